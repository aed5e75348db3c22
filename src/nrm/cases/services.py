"""Writes to persons and cases: one function per change, each audited in its transaction,
each followed by the case's legal state recomputed under the law."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.models import Institution, User
from nrm.cases.legal import CHILD_STATUS_CHANGED, PROVIDERS, TEAM_NOTICES, legal_state_refresh
from nrm.cases.models import (
    IDENTITY_FIELDS,
    AgeGroup,
    Capacity,
    Case,
    CaseAssignment,
    Person,
    ReferenceCounter,
    Region,
    Sex,
    Stage,
    StageDecision,
)
from nrm.crypto.keyring import keyed_hash
from nrm.errors import CaseNotFound, NotAllowed, StaleVersion
from nrm.errors import Invalid as CaseError
from nrm.law import Facts, LawError
from nrm.law.situation import age_on

# Person facts kept in their own columns rather than in Person.facts.
PERSON_COLUMNS = ("sex", "citizenship")


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


# Plausibility limits on what an official types (issue 10): no one recorded was born
# before this day, and no text is longer than these many characters.
EARLIEST_DATE = date(1900, 1, 1)
IDENTITY_MAX_LENGTH = {"given_name": 100, "family_name": 100, "contact": 300,
                       "document_number": 50, "address": 300}
TESTIMONY_MAX_LENGTH = 20_000
# Dated case facts: none lies before the person's birth, none before EARLIEST_DATE.
DATED_CASE_FACTS = ("reasonable_grounds_on", "identified_on", "deportation_ordered_on")


def date_plausible(field: str, day: date | None, *, on: date, born: date | None = None,
                   future: bool = False) -> None:
    """Refuse a date before 1900, before the person's birth or (unless `future`) after `on`."""
    if day is None:
        return
    if day < EARLIEST_DATE:
        raise CaseError(field, _("%(date)s is before %(earliest)s; check the year")
                        % {"date": day.isoformat(), "earliest": EARLIEST_DATE.isoformat()})
    if not future and day > on:
        raise CaseError(field, _("%(date)s is in the future") % {"date": day.isoformat()})
    if born is not None and day < born:
        raise CaseError(field, _("%(date)s is before the person's date of birth")
                        % {"date": day.isoformat()})


def text_plausible(field: str, value: str | None, limit: int) -> None:
    if value is not None and len(value) > limit:
        raise CaseError(field, _("at most %(limit)s characters (%(count)s given)")
                        % {"limit": limit, "count": len(value)})


def identity_validate(identity: dict[str, Any], *, on: date) -> None:
    """Limits on the identity fields, naming the field at fault (person.<name>)."""
    for name, limit in IDENTITY_MAX_LENGTH.items():
        text_plausible(f"person.{name}", identity.get(name), limit)
    date_plausible("person.birth_date", identity.get("birth_date"), on=on)


def birth_seen(actor: Any, case: Case) -> date | None:
    """The person's birth date if `actor` may see it, for the checks a write makes against
    it. To one who may not, "before the person's date of birth" would answer a binary
    search over the dates they try (the derivation rule): their dates are checked for
    plausibility without it, and the engine takes them as recorded."""
    if access.allows(actor, access.Action.VIEW, access.Kind.IDENTITY, case):
        return case.person.birth_date
    return None


def facts_validate(person_facts: dict[str, Any], case_facts: dict[str, Any], *,
                   birth_date: date | None, on: date, birth_seen: bool = True) -> None:
    """Reject facts the law engine would reject, naming the dotted fact (law/CONTRACT.md),
    and facts no person's life allows: a date before 1900 or before the person's birth
    (this last only when the writer may see the birth date, `birth_seen`)."""
    person = {k: v for k, v in person_facts.items() if v is not None}
    if birth_date is not None:
        person["birth_date"] = birth_date.isoformat()
    try:
        facts = Facts.from_dict({"person": person, "case": case_facts})
        facts.check_on(on)
    except LawError as error:
        raise CaseError(error.field, error.message) from None
    date_plausible("person.birth_date", facts.person.birth_date, on=on)
    # The engine takes dated facts as recorded (law/CONTRACT.md); a case system records
    # decisions that were taken, so grounds and identification cannot lie in the future.
    born = facts.person.birth_date if birth_seen else None
    for name in DATED_CASE_FACTS:
        date_plausible(f"case.{name}", getattr(facts.case, name), on=on,
                       born=born, future=name == "deportation_ordered_on")
    reflection = facts.case.reflection
    if reflection is not None:
        date_plausible("case.reflection.start", reflection.start, on=on, born=born, future=True)


# The National Reporter's age bands (issue 15): the first age that is no longer in each band.
AGE_BANDS = ((12, AgeGroup.UNDER_12), (18, AgeGroup.UNDER_18), (25, AgeGroup.UNDER_25),
             (35, AgeGroup.UNDER_35), (50, AgeGroup.UNDER_50))


def age_group_of(birth_date: date | None, on: date) -> str:
    """The age band of someone born on `birth_date`, on `on` (whole years, as the law counts
    them); unknown without a birth date, or for a birth date after `on`."""
    if birth_date is None or birth_date > on:
        return AgeGroup.UNKNOWN
    age = age_on(birth_date, on)
    return next((band for limit, band in AGE_BANDS if age < limit), AgeGroup.OVER_50)


def age_groups_follow(*, person: Person) -> int:
    """Every case of `person` gets the age band of the person on its registration day (the
    local date of `created_at`); only the cases whose band moved are written, in bulk.

    The band is the one plaintext trace of the encrypted birth date, kept for the national
    statistics' GROUP BY (issue 15) and shown to no one (docs/access.md)."""
    moved = []
    for case in Case.objects.filter(person_id=person.pk).only("pk", "created_at", "age_group"):
        band = age_group_of(person.birth_date, timezone.localdate(case.created_at))
        if case.age_group != band:
            case.age_group = band
            moved.append(case)
    Case.objects.bulk_update(moved, ["age_group"])
    return len(moved)


def region_value(region: str | None) -> str:
    """A region's code as stored: one of Region, or blank (not known)."""
    if region in (None, ""):
        return ""
    if region not in Region.values:
        raise CaseError("region", _("unknown region %(region)s; known: %(known)s")
                        % {"region": repr(region), "known": ", ".join(Region.values)})
    return str(region)


def _identity_value(name: str, value: Any) -> Any:
    if value in (None, ""):
        return None
    if name == "birth_date" and not isinstance(value, date):
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise CaseError("person.birth_date",
                            _("%(value)s is not a date (YYYY-MM-DD)") % {"value": repr(value)}) from None
    if name != "birth_date" and not isinstance(value, str):
        raise CaseError(f"person.{name}", _("must be text"))
    return value


def _split_person(person: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Identity fields (encrypted) apart from the contract's other person facts."""
    identity = {k: _identity_value(k, person[k]) for k in IDENTITY_FIELDS if k in person}
    facts = {k: v for k, v in person.items() if k not in IDENTITY_FIELDS}
    return identity, facts


@transaction.atomic
def case_register(
    *,
    actor: User,
    institution: Institution | None = None,
    identity: dict[str, Any],
    sex: str = Sex.UNKNOWN,
    citizenship: str = "",
    person_facts: dict[str, Any] | None = None,
    case_facts: dict[str, Any] | None = None,
    child: bool = False,
    demo: bool = False,
    testimony: str = "",
    region: str = "",
    purpose: str = "registration",
    person: Person | None = None,
    stage_as_sent: tuple[str, date, str] | None = None,
) -> Case:
    """Register a presumed victim: the person, the case, the registering team, its legal state.

    The official registers acting as one of their memberships that may write identities
    (`institution` narrows it); registering writes a person's identity, so only those
    roles may. With `person`, the new case is that person's next one (someone trafficked
    again): the person's identity and facts are kept as recorded, and only the case is
    new. `stage_as_sent` (stage, decided on, grounds) records another system's decision
    on the stage, for an import, as a decision like any other. `region` is where the person
    was identified (blank: not known); the case's age band follows the birth date.
    """
    acting = access.acting(actor, roles=access.REGISTERING_ROLES,
                           institution_id=institution.pk if institution is not None else None)
    institution = Institution.objects.get(pk=acting.institution_id)
    today = timezone.localdate()
    text_plausible("testimony", testimony, TESTIMONY_MAX_LENGTH)
    region = region_value(region)
    if person is None:
        identity = {k: _identity_value(k, v) for k, v in identity.items() if k in IDENTITY_FIELDS}
        identity_validate(identity, on=today)
        person_facts = {k: v for k, v in (person_facts or {}).items() if k not in PERSON_COLUMNS}
        if stage_as_sent is None and not (
                any(v is not None for v in identity.values()) or person_facts or case_facts
                or (sex and sex != Sex.UNKNOWN) or citizenship or testimony or region):
            # An empty form registered a case nobody could ever find again (issue 10); an
            # import is another system's record, kept under its own number.
            raise CaseError("person", _("nothing to register: give at least a name, the date of "
                                        "birth or one fact of the person or the case"))
        facts_validate({**person_facts, "sex": sex or None, "citizenship": citizenship or None},
                       case_facts or {}, birth_date=identity.get("birth_date"), on=today)
        person = Person(sex=sex or Sex.UNKNOWN, citizenship=citizenship or "", facts=person_facts)
        for name in IDENTITY_FIELDS:
            setattr(person, name, identity.get(name))
        person.match_key = person_match_key(person.given_name, person.family_name, person.birth_date)
        person.save()
    else:
        identity = {}
        facts_validate({**person.facts, "sex": person.sex, "citizenship": person.citizenship or None},
                       case_facts or {}, birth_date=person.birth_date, on=today)
    # Reasonable grounds recorded at registration make a presumed victim at once (3.1.17, 20.5).
    presumed = bool((case_facts or {}).get("reasonable_grounds_on"))
    case = Case.objects.create(
        reference=next_reference(today.year), person=person, registered_by=institution,
        facts=case_facts or {}, child=child, demo=demo, testimony=testimony, region=region,
        stage=Stage.PRESUMED_VICTIM if presumed else Stage.SCREENING,
    )
    # The new case's age band, on its own registration day (and a further case of the same
    # person puts their every case right, should one have been left behind).
    age_groups_follow(person=person)
    case.age_group = age_group_of(person.birth_date, timezone.localdate(case.created_at))
    if presumed:
        StageDecision.objects.create(
            case=case, from_stage=Stage.SCREENING, to_stage=Stage.PRESUMED_VICTIM,
            decided_on=date.fromisoformat(str(case.facts["reasonable_grounds_on"])),
            decided_by=actor, institution=institution, role=acting.role,
            grounds="Reasonable grounds recorded at registration",
        )
    if stage_as_sent is not None and stage_as_sent[0] != case.stage:
        if stage_as_sent[0] not in Stage.values:
            raise CaseError("stage", _("unknown stage %(stage)s") % {"stage": repr(stage_as_sent[0])})
        StageDecision.objects.create(
            case=case, from_stage=case.stage, to_stage=stage_as_sent[0],
            decided_on=stage_as_sent[1], decided_by=actor, institution=institution,
            role=acting.role, grounds=stage_as_sent[2],
        )
        case.stage = stage_as_sent[0]
        case.save(update_fields=["stage", "updated_at"])
    CaseAssignment.objects.create(case=case, institution=institution, capacity=Capacity.LEAD)
    CaseAssignment.objects.create(case=case, institution=institution, user=actor, capacity=Capacity.LEAD)
    record(
        actor=actor, action="create", record_type="cases.case", records=[case],
        fields=[n for n in IDENTITY_FIELDS if identity.get(n)] + ["facts"]
        + (["testimony"] if testimony else []) + (["region"] if region else []),
        purpose=purpose, acting=acting,
    )
    legal_state_refresh(case=case, on=today)
    return case


def _merge(current: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """A JSON merge patch: a key set to null removes the fact."""
    merged = dict(current)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


# Facts that decide whether a person is a child, and so who may see their identity (35.1.5).
CHILD_DECIDING = frozenset({"birth_date", "believed_under_18", "age_ascertained"})


@transaction.atomic
def case_update(
    *,
    actor: User,
    case_id: int,
    expected_version: int | None,
    person: dict[str, Any] | None = None,
    case: dict[str, Any] | None = None,
    region: str | None = None,
    purpose: str = "case update",
) -> Case:
    """Change a case's facts (and the person's) if nobody changed the case since it was read.

    The row lock and the version check together mean no write is ever silently lost.
    `region` (None: unchanged, blank: not known) is an identity-level field: only those who
    may change the person's identity may change it.
    """
    locked = access.cases(actor, access.Action.CHANGE).select_for_update().filter(pk=case_id).first()
    if locked is None:
        raise CaseNotFound(case_id)
    acting = access.acting(actor, case=locked)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(locked.version)
    target = Person.objects.select_for_update().get(pk=locked.person_id)
    changed: list[str] = []
    identity, person_facts = _split_person(person or {})
    identity_validate(identity, on=timezone.localdate())
    deciding = sorted(CHILD_DECIDING & (set(identity) | set(person_facts)))
    if deciding:
        # Whether the person is a child decides who sees their identity: only officials
        # named on the case may change it, or un-childing a case would open it (35.1.5).
        try:
            acting = access.acting(actor, case=locked, personal=True)
        except NotAllowed:
            raise NotAllowed(_("only officials named on the case may change whether the person "
                               "is a child (Art. 35.1.5)"), field=f"person.{deciding[0]}") from None
    if identity:
        if not access.allows(actor, access.Action.CHANGE, access.Kind.IDENTITY, locked):
            raise NotAllowed(_("you may not change this person's identity"),
                             field=f"person.{sorted(identity)[0]}")
        for name, value in identity.items():
            setattr(target, name, value)
            changed.append(name)
        target.match_key = person_match_key(target.given_name, target.family_name, target.birth_date)
    if region is not None:
        region = region_value(region)
        if not access.allows(actor, access.Action.CHANGE, access.Kind.IDENTITY, locked):
            # Where the person was identified goes where the identity goes (Art. 18).
            raise NotAllowed(_("you may not change where this person was identified"),
                             field="region")
        if region != locked.region:
            locked.region = region
            changed.append("region")
    for column in PERSON_COLUMNS:
        if column in person_facts:
            setattr(target, column, person_facts.pop(column) or ("unknown" if column == "sex" else ""))
            changed.append(column)
    target.facts = _merge(target.facts, person_facts)
    locked.facts = _merge(locked.facts, case or {})
    owned = {fact: provider.name for provider in PROVIDERS.values() for fact in provider.facts}
    for key in case or {}:
        if key in owned:
            raise CaseError(f"case.{key}", _("this fact is recorded in %(app)s, not on the case")
                            % {"app": owned[key]})
    changed += [f"person.{k}" for k in person_facts] + [f"case.{k}" for k in (case or {})]
    facts_validate({**target.facts, "sex": target.sex, "citizenship": target.citizenship or None},
                   locked.facts, birth_date=target.birth_date, on=timezone.localdate(),
                   birth_seen=birth_seen(actor, locked) is not None)
    target.save()
    locked.version += 1
    locked.save(update_fields=["facts", "version", "region", "updated_at"])
    locked.person = target
    record(actor=actor, action="update", record_type="cases.case", records=[locked],
           fields=changed, purpose=purpose, acting=acting)
    was_child = locked.child
    legal_state_refresh(case=locked, on=timezone.localdate())
    if deciding:
        legal_notice_raise(case=locked, code=CHILD_STATUS_CHANGED,
                           detail={"fields": deciding, "child_before": was_child,
                                   "child_now": locked.child})
    if "birth_date" in identity:
        # A corrected birth date moves the age band of every case of the person, each on its
        # own registration day (issue 15).
        age_groups_follow(person=target)
        locked.age_group = age_group_of(target.birth_date, timezone.localdate(locked.created_at))
    if identity or person_facts:
        # The person's other cases follow at once: a corrected birth date can make them a
        # child's cases, whose identity only named officials may see (35.1.5).
        for other in Case.objects.filter(person=target).exclude(pk=locked.pk).select_related("person"):
            legal_state_refresh(case=other, on=timezone.localdate())
    return locked


def legal_notice_raise(*, case: Case, code: str, detail: dict[str, Any]) -> None:
    from nrm.cases.models import Alert

    Alert.objects.update_or_create(
        case=case, code=code, article=TEAM_NOTICES[code],
        defaults={"raised_on": timezone.localdate(), "resolved_on": None},
    )
    record(actor=None, action="alert.raise", record_type="cases.case", records=[case],
           detail={"code": code, **detail})


@transaction.atomic
def case_assign(
    *, actor: User, case: Case, institution: Institution, capacity: str, user: User | None = None,
    acting: access.Acting | None = None,
) -> CaseAssignment:
    """Put an institution (or one of its officials) on a case's team.

    The actor acts as a member of the team who may change the case; or, with `acting`, as
    the very institution that joins as a service provider, once its referral was accepted
    (the referral service checks that).
    """
    if acting is None:
        acting = access.acting(actor, case=case)
    elif (acting not in access.held(actor)
          or acting.institution_id != institution.pk or capacity != Capacity.SERVICE_PROVIDER):
        raise NotAllowed(_("you may not put this institution on the case's team"))
    if capacity not in Capacity.values:
        raise CaseError("capacity", _("unknown capacity %(capacity)s") % {"capacity": repr(capacity)})
    assignment = CaseAssignment.objects.create(
        case=case, institution=institution, user=user, capacity=capacity
    )
    record(
        actor=actor, action="assign", record_type="cases.case", records=[case],
        detail={"institution": institution.code, "capacity": capacity,
                "user": user.username if user else None}, acting=acting,
    )
    legal_state_refresh(case=case, on=timezone.localdate())
    return assignment


@transaction.atomic
def case_unassign(*, actor: User, case: Case, institution: Institution, capacity: str,
                  reason: str) -> int:
    """End an institution's place on a case team in one capacity; the rows stay as history."""
    acting = access.acting(actor, case=case)
    ended = CaseAssignment.objects.filter(
        case=case, institution=institution, capacity=capacity, ended_at__isnull=True
    ).update(ended_at=timezone.now())
    if ended:
        record(actor=actor, action="unassign", record_type="cases.case", records=[case],
               detail={"institution": institution.code, "capacity": capacity, "reason": reason},
               acting=acting)
        legal_state_refresh(case=case, on=timezone.localdate())
    return ended


@transaction.atomic
def case_mark_merged(*, actor: User, keep: Case, merge: Case) -> access.Acting:
    """Point `merge` at `keep`, the same person's case; the actor may change both.

    Returns the membership the actor acted as, for the caller's own record of the decision.
    """
    changeable = access.cases(actor, access.Action.CHANGE).select_for_update()
    locked = {c.pk: c for c in changeable.filter(pk__in=[keep.pk, merge.pk])}
    if len(locked) != 2 or keep.pk == merge.pk:
        raise CaseNotFound(merge.pk if keep.pk in locked else keep.pk)
    acting = access.acting(actor, case=locked[merge.pk])
    merged = locked[merge.pk]
    merged.merged_into_id = keep.pk
    merged.version += 1
    merged.save(update_fields=["merged_into", "version", "updated_at"])
    record(actor=actor, action="merge", record_type="cases.case", records=[merged, locked[keep.pk]],
           fields=["merged_into"], purpose="duplicate merge", acting=acting)
    return acting


@transaction.atomic
def legal_state_follow(*, case_id: int) -> Case:
    """An app recorded a fact it provides to the law engine (a stay, an interview, a removal
    order): the case's legal state follows at once, inside the caller's transaction, so
    the duties and prohibitions an official sees are never a night behind (20.5)."""
    case = Case.objects.select_for_update().select_related("person").get(pk=case_id)
    legal_state_refresh(case=case, on=timezone.localdate())
    return case
