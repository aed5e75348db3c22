"""Factories for tests: synthetic officials and cases, never real-looking personal data."""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Any

import factory

from nrm.authorities.models import Institution, Membership, User
from nrm.authorities.roles import InstitutionKind, Role
from nrm.cases.models import Case
from nrm.cases.services import case_register


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"inst-{n}")
    name = factory.Sequence(lambda n: f"Institution {n}")
    kind = InstitutionKind.AUTHORITY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"official-{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")


def official(role: Role | str, institution: Institution | None = None, **kwargs: Any) -> User:
    """A user holding `role` at `institution` (a fresh institution when none is given)."""
    user = UserFactory(**kwargs)
    user.save()
    Membership.objects.create(
        user=user, institution=institution or InstitutionFactory(), role=Role(role),
        **IN_FORCE,
    )
    return user


# Test officials hold grants already approved (by no one: set-up, like migrated grants) and
# ending far off, so that tests which travel in time keep them. tests/core/test_grants.py
# makes grants through the services instead.
IN_FORCE: dict[str, Any] = {"approved_at": dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
                            "expires_on": date(2100, 1, 1)}


def registered_case(
    actor: User,
    *,
    child: bool = False,
    given_name: str = "Testname",
    family_name: str = "Example",
    birth_date: date | None = None,
    **kwargs: Any,
) -> Case:
    """A registered case; `child` picks a birth date that makes the law see a child."""
    if birth_date is None:
        birth_date = date(2014, 1, 1) if child else date(1990, 1, 1)
    membership = actor.memberships.select_related("institution").first()
    assert membership is not None
    return case_register(
        actor=actor,
        institution=membership.institution,
        identity={"given_name": given_name, "family_name": family_name, "birth_date": birth_date},
        child=child,
        **kwargs,
    )
