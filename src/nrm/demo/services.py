"""Builds the demo installation; every write goes through the domain services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from nrm.audit.services import record
from nrm.authorities.models import OPEN_ENDED_ROLES, Institution, Membership, User
from nrm.cases.models import Case
from nrm.cases.services import case_assign, case_register
from nrm.demo import data
from nrm.proceedings.models import MeasureKind, ProtectionMeasure
from nrm.shelters.models import Placement, Shelter


@transaction.atomic
def demo_load(say: Callable[[str], None] = print) -> None:
    for code, kind, parent, name, name_sq, name_sr, services in data.INSTITUTIONS:
        Institution.objects.get_or_create(
            code=code,
            defaults={"kind": kind, "name": name, "name_sq": name_sq, "name_sr": name_sr,
                      "services": services,
                      "parent": Institution.objects.get(code=parent)},
        )
    users: dict[str, User] = {}
    now = timezone.now()
    grant_ends = timezone.localdate() + timedelta(days=settings.NRM_GRANT_MAX_DAYS)
    for username, code, role in data.USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username, password=data.DEMO_PASSWORD, is_demo=True,
                # The auditor reviews every grant in the admin, read-only.
                is_staff=role in ("system_admin", "auditor"),
            )
            record(actor=None, action="demo.user", record_type="authorities.user", records=[user])
        # Demo grants are made by the installation, approved by no one (like migrated ones).
        Membership.objects.get_or_create(
            user=user, institution=Institution.objects.get(code=code), role=role,
            defaults={"granted_at": now, "approved_at": now,
                      "expires_on": None if role in OPEN_ENDED_ROLES else grant_ends},
        )
        users[username] = user
    if not Case.objects.filter(demo=True).exists():
        _cases(users)
    say(f"Demo officials (password: {data.DEMO_PASSWORD}; second factor skipped while NRM_DEMO=1):")
    for username, code, role in data.USERS:
        say(f"  {username:<12} {role:<22} {code}")


def _cases(users: dict[str, User]) -> None:
    today = timezone.localdate()
    shelter = Shelter.objects.create(
        operator=Institution.objects.get(code="ngo-shelter"), name="Shelter A",
        address="Demo street 1, Demo town", capacity=12, accepts_children=False,
    )
    for spec in data.cases(today):
        registrar = users[str(spec["registrar"])]
        membership = registrar.memberships.select_related("institution").get()
        case = case_register(
            actor=registrar, institution=membership.institution,
            identity=dict(spec["identity"]),  # type: ignore[call-overload]
            sex=str(spec["sex"]), citizenship=str(spec["citizenship"]),
            person_facts=dict(spec["person_facts"]),  # type: ignore[call-overload]
            case_facts={**dict(spec["case_facts"]),  # type: ignore[call-overload]
                        "reasonable_grounds_on": (today - timedelta(days=10)).isoformat()},
            child=bool(spec.get("child")), demo=True, region=str(spec.get("region", "")),
        )
        for code, username, capacity in spec["team"]:  # type: ignore[attr-defined]
            case_assign(actor=registrar, case=case, institution=Institution.objects.get(code=code),
                        capacity=capacity, user=users[username] if username else None)
        if spec.get("shelter"):
            Placement.objects.create(case=case, shelter=shelter, admitted_on=today - timedelta(days=9))
        if spec.get("protection"):
            ProtectionMeasure.objects.create(
                case=case, kind=MeasureKind.POLICE_SECURITY, ordered_on=today - timedelta(days=8),
                ordered_by=Institution.objects.get(code="state-prosecutor"),
                details="Police patrol at the shelter twice a night",
            )
