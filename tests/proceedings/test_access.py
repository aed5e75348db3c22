"""Every role through proceedings, interviews and protection measures, allowed and denied.

The expected grants are written out here, apart from the policy's tables, so a change of
policy shows up as a change of this file in review.
"""

from __future__ import annotations

import datetime as dt

import pytest

from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.authorities.roles import InstitutionKind, Role
from nrm.cases.models import Capacity, CaseAssignment
from nrm.proceedings.models import (
    Interview,
    MeasureKind,
    Proceeding,
    ProceedingVictim,
    ProtectionMeasure,
)
from tests.api_client import ApiClient
from tests.factories import InstitutionFactory, official, registered_case

pytestmark = pytest.mark.django_db

TEAM_ROLES = [
    Role.POLICE_INVESTIGATOR, Role.PROSECUTOR, Role.JUDGE, Role.VICTIM_ADVOCATE,
    Role.SOCIAL_WORKER, Role.SHELTER_STAFF, Role.HEALTH_WORKER, Role.LABOUR_INSPECTOR,
    Role.FOREIGNERS_OFFICER, Role.CONSULAR_OFFICER, Role.COMMISSION_MEMBER,
]
NATIONAL_ROLES = [Role.NATIONAL_COORDINATOR, Role.SECRETARIAT_ANALYST, Role.AUDITOR, Role.SYSTEM_ADMIN]

# On the case's team: proceeding, interview (team: the institution or the official named);
# protection measure (only the official named, 18.4).
EXPECTED: dict[Role, dict[Kind, str]] = {
    Role.POLICE_INVESTIGATOR: {Kind.PROCEEDING: "VC", Kind.INTERVIEW: "VC", Kind.PROTECTION_MEASURE: "VC"},
    Role.PROSECUTOR: {Kind.PROCEEDING: "VC", Kind.INTERVIEW: "VC", Kind.PROTECTION_MEASURE: "VC"},
    Role.JUDGE: {Kind.PROCEEDING: "VC", Kind.INTERVIEW: "VC", Kind.PROTECTION_MEASURE: "VC"},
    Role.VICTIM_ADVOCATE: {Kind.PROCEEDING: "V", Kind.INTERVIEW: "V", Kind.PROTECTION_MEASURE: "V"},
}
NOTHING = {Kind.PROCEEDING: "-", Kind.INTERVIEW: "-", Kind.PROTECTION_MEASURE: "-"}


def _world():
    registrar_office = InstitutionFactory(code="registrar")
    lead = InstitutionFactory(code="lead-office")
    registrar = official(Role.POLICE_INVESTIGATOR, registrar_office, username="registrar")
    case = registered_case(registrar)
    proceeding = Proceeding.objects.create(court_file_number="PP-1", institution=lead,
                                           investigation_on=dt.date(2026, 1, 2))
    ProceedingVictim.objects.create(proceeding=proceeding, case=case)
    interview = Interview.objects.create(case=case, held_on=dt.date(2026, 1, 3), interviewer="A",
                                         institution=registrar_office, recorded_by=registrar)
    measure = ProtectionMeasure.objects.create(case=case, kind=MeasureKind.VIDEO_LINK,
                                               ordered_on=dt.date(2026, 1, 4), ordered_by=lead)
    return case, {Kind.PROCEEDING: proceeding, Kind.INTERVIEW: interview,
                  Kind.PROTECTION_MEASURE: measure}


def _grants(user, records):
    return {kind: "".join(a for a, action in (("V", Action.VIEW), ("C", Action.CHANGE))
                          if access.allows(user, action, kind, record)) or "-"
            for kind, record in records.items()}


def _joined(role, case, relation):
    kind = InstitutionKind.COORDINATION if role in NATIONAL_ROLES else InstitutionKind.AUTHORITY
    institution = InstitutionFactory(code=f"{role.value}-{relation}", kind=kind)
    user = official(role, institution, username=f"{role.value}-{relation}")
    if relation in ("named", "institution"):
        CaseAssignment.objects.create(case=case, institution=institution, capacity=Capacity.PROCEEDINGS,
                                      user=user if relation == "named" else None)
    return user


@pytest.mark.parametrize("relation", ["named", "institution", "outside"])
@pytest.mark.parametrize("role", TEAM_ROLES, ids=lambda r: r.value)
def test_team_roles_get_exactly_what_the_matrix_grants(role, relation):
    case, records = _world()
    user = _joined(role, case, relation)
    table = EXPECTED.get(role, NOTHING)
    expected = {
        Kind.PROCEEDING: table[Kind.PROCEEDING] if relation != "outside" else "-",
        Kind.INTERVIEW: table[Kind.INTERVIEW] if relation != "outside" else "-",
        Kind.PROTECTION_MEASURE: table[Kind.PROTECTION_MEASURE] if relation == "named" else "-",
    }
    assert _grants(user, records) == expected


@pytest.mark.parametrize("role", NATIONAL_ROLES, ids=lambda r: r.value)
def test_national_roles_see_no_proceeding_interview_or_measure(role):
    case, records = _world()
    user = _joined(role, case, "outside")
    assert _grants(user, records) == NOTHING
    api = ApiClient(user)
    for path in (f"/cases/{case.pk}/protection-measures", f"/cases/{case.pk}/interviews",
                 f"/proceedings/{records[Kind.PROCEEDING].pk}"):
        assert api.get(path).status_code == 404
    assert api.get("/proceedings").json() == []


def test_the_office_leading_a_proceeding_sees_it_off_the_case_team_but_not_the_victims_case():
    case, records = _world()
    lead = records[Kind.PROCEEDING].institution
    prosecutor = official(Role.PROSECUTOR, lead, username="lead-prosecutor")
    assert _grants(prosecutor, records) == {Kind.PROCEEDING: "VC", Kind.INTERVIEW: "-",
                                            Kind.PROTECTION_MEASURE: "-"}
    body = ApiClient(prosecutor).get(f"/proceedings/{records[Kind.PROCEEDING].pk}").json()
    assert body["victims"] == []  # the victim's case is not theirs to see


@pytest.mark.parametrize("role", TEAM_ROLES + NATIONAL_ROLES, ids=lambda r: r.value)
def test_only_the_national_coordinator_receives_non_punishment_alerts(role):
    user = official(role, InstitutionFactory(code=f"{role.value}-office"), username=f"{role.value}-alerts")
    expected = role is Role.NATIONAL_COORDINATOR
    assert access.allows(user, Action.VIEW, Kind.NON_PUNISHMENT_ALERT) is expected
    assert access.allows(user, Action.CHANGE, Kind.NON_PUNISHMENT_ALERT) is False
