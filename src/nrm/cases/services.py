"""Writes to persons and cases: one function per change, each audited in its transaction."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from nrm.audit.services import record
from nrm.authorities.models import Institution, User
from nrm.cases.models import (
    IDENTITY_FIELDS,
    Capacity,
    Case,
    CaseAssignment,
    Person,
    ReferenceCounter,
)
from nrm.crypto.keyring import keyed_hash


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if c.isalnum() or c.isspace())
    return " ".join(letters.casefold().split())


def person_match_key(given_name: str | None, family_name: str | None, birth_date: date | None) -> str:
    """Keyed hash of normalised names and birth date; empty when too little is known."""
    if not (given_name and family_name and birth_date):
        return ""
    names = " ".join(sorted([_normalise(given_name), _normalise(family_name)]))
    return keyed_hash("person", f"{names}|{birth_date.isoformat()}")


def next_reference(year: int) -> str:
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"NRM-{year}-{counter.last:06d}"


@transaction.atomic
def case_register(
    *,
    actor: User,
    institution: Institution,
    identity: dict[str, Any],
    sex: str = "unknown",
    citizenship: str = "",
    person_facts: dict[str, Any] | None = None,
    case_facts: dict[str, Any] | None = None,
    child: bool = False,
    demo: bool = False,
    testimony: str = "",
    purpose: str = "registration",
) -> Case:
    """Register a presumed victim: the person, the case, and the registering team."""
    person = Person(sex=sex, citizenship=citizenship, facts=person_facts or {})
    for name in IDENTITY_FIELDS:
        setattr(person, name, identity.get(name))
    person.match_key = person_match_key(person.given_name, person.family_name, person.birth_date)
    person.save()
    case = Case.objects.create(
        reference=next_reference(timezone.localdate().year),
        person=person,
        registered_by=institution,
        facts=case_facts or {},
        child=child,
        demo=demo,
        testimony=testimony,
    )
    CaseAssignment.objects.create(case=case, institution=institution, capacity=Capacity.LEAD)
    CaseAssignment.objects.create(
        case=case, institution=institution, user=actor, capacity=Capacity.LEAD
    )
    record(
        actor=actor, action="create", record_type="cases.case", records=[case],
        fields=[n for n in IDENTITY_FIELDS if identity.get(n)] + ["facts"] + (["testimony"] if testimony else []),
        purpose=purpose,
    )
    return case


@transaction.atomic
def case_assign(
    *, actor: User, case: Case, institution: Institution, capacity: str, user: User | None = None
) -> CaseAssignment:
    assignment = CaseAssignment.objects.create(
        case=case, institution=institution, user=user, capacity=capacity
    )
    record(
        actor=actor, action="assign", record_type="cases.case", records=[case],
        detail={"institution": institution.code, "capacity": capacity,
                "user": user.username if user else None},
    )
    return assignment
