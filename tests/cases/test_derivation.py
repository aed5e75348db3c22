"""Nothing an official is shown lets them derive a field they may not see (issue 7: 1, 4,
11, 14): the assessment date is no oracle for a child's birth date, un-childing a case does
not open it, parameters answer 400 naming themselves, and refusals leave a trace."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from nrm.audit.models import AuditEvent
from nrm.authorities.roles import Role
from nrm.cases.models import Capacity, Case
from nrm.cases.services import case_assign
from tests.api_client import ApiClient
from tests.factories import InstitutionFactory, official, registered_case

pytestmark = pytest.mark.django_db

BORN = date(2014, 2, 2)


@pytest.fixture(autouse=True)
def frozen(time_machine) -> None:
    time_machine.move_to(datetime(2026, 5, 10, 10, 0, tzinfo=UTC), tick=False)


@pytest.fixture
def child_case():
    """A child's case: a named police officer, a colleague of the same station on the team
    but not named, an analyst, and an outsider."""
    station = InstitutionFactory(code="police-d")
    named = official(Role.POLICE_INVESTIGATOR, station)
    case = registered_case(named, birth_date=BORN, child=True,
                           case_facts={"reasonable_grounds_on": "2026-05-01",
                                       "exploitation": ["begging"]})
    clinic = InstitutionFactory(code="clinic-d")
    case_assign(actor=named, case=case, institution=clinic, capacity=Capacity.SERVICE_PROVIDER)
    return {
        "case": Case.objects.get(pk=case.pk),
        "named": named,
        "colleague": official(Role.POLICE_INVESTIGATOR, station),
        "analyst": official(Role.SECRETARIAT_ANALYST),
        "coordinator": official(Role.NATIONAL_COORDINATOR),
        "outsider": official(Role.CONSULAR_OFFICER),
    }


def _dates(body) -> set[str]:
    """Every ISO date anywhere in a response."""
    found: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            found.add(value)

    walk(body)
    return found


def _birth_derived(born: date) -> set[str]:
    """Dates a reader could turn back into the birth date: birthdays, for every age."""
    return {born.replace(year=born.year + years).isoformat() for years in range(0, 30)}


@pytest.mark.parametrize("who", ["colleague", "analyst", "coordinator"])
def test_the_assessment_date_is_no_oracle_for_a_birth_date_they_may_not_see(child_case, who) -> None:
    api = ApiClient(child_case[who])
    case_id = child_case["case"].pk
    # The attack: assess on a day before the birth date, then binary-search the child flag.
    probe = api.get(f"/cases/{case_id}", on="2013-09-20")
    assert probe.status_code == 403, probe.content
    assert probe.json()["field"] == "on"
    assert "2014" not in probe.content.decode()
    for day in ("2032-02-01", "2032-02-02", "2032-02-03"):
        assert api.get(f"/cases/{case_id}", on=day).status_code == 403
    shown = api.get(f"/cases/{case_id}").json()
    assert shown["identity"] is None
    assert not (_dates(shown) & _birth_derived(BORN)), "a date that gives the birth date away"
    assert BORN.isoformat() not in json.dumps(shown)


def test_the_named_official_still_assesses_on_any_date_and_sees_every_date(child_case) -> None:
    api = ApiClient(child_case["named"])
    shown = api.get(f"/cases/{child_case['case'].pk}").json()
    assert shown["identity"]["birth_date"] == BORN.isoformat()
    assert "withheld" not in shown["assessment"]
    then = api.get(f"/cases/{child_case['case'].pk}", on="2026-01-01")
    assert then.status_code == 200 and then.json()["assessment"]["child"] is True


def test_what_is_withheld_is_exactly_what_moves_with_the_birth_date(child_case) -> None:
    named = ApiClient(child_case["named"]).get(f"/cases/{child_case['case'].pk}").json()
    hidden = ApiClient(child_case["colleague"]).get(f"/cases/{child_case['case'].pk}").json()
    withheld = hidden["assessment"]["withheld"]
    assert withheld, "a child's rights end on a birthday: something must be withheld"
    for path in [p for p in withheld if p.count(".") == 2]:
        name, code, key = path.split(".")
        item = next(i for i in named["assessment"][name] if i["code"] == code)
        assert item[key] is not None
        assert next(i for i in hidden["assessment"][name] if i["code"] == code)[key] is None
    # What does not depend on the birth date is shown to the team as it is.
    assert hidden["assessment"]["child"] is True
    assert {i["code"] for i in hidden["assessment"]["obligations"]} <= {
        i["code"] for i in named["assessment"]["obligations"]}
    assert "refer_to_child_protection" in {i["code"] for i in hidden["assessment"]["obligations"]}


def test_two_children_a_day_apart_across_a_16th_birthday_look_the_same_to_a_hidden_reader() -> None:
    """The attack found on a running server: vocational training (Art. 24, aged 16) listed
    for one child and not for another told their ages apart, and the day it appeared gave
    the birth date."""
    station = InstitutionFactory(code="police-e")
    named = official(Role.POLICE_INVESTIGATOR, station)
    colleague = official(Role.POLICE_INVESTIGATOR, station)
    shown = []
    for born in (date(2010, 5, 10), date(2010, 5, 11)):  # 16 today, and 16 tomorrow
        case = registered_case(named, birth_date=born, child=True,
                               case_facts={"reasonable_grounds_on": "2026-05-01"})
        body = ApiClient(colleague).get(f"/cases/{case.pk}").json()
        assert body["identity"] is None
        shown.append(json.dumps({k: body["assessment"][k] for k in (
            "entitlements", "obligations", "prohibitions", "violations", "child")}, sort_keys=True))
    assert shown[0] == shown[1]
    assert "vocational_training" not in shown[0]


def test_acting_as_an_institution_not_on_the_team_opens_nothing_and_is_not_named_falsely() -> None:
    """Found on a running server: a read as a chosen institution that had no access was
    answered through the other membership and audited under the chosen one."""
    from nrm.authorities.models import Membership
    from tests.factories import IN_FORCE

    station, consulate = InstitutionFactory(code="police-f"), InstitutionFactory(code="consulate-f")
    dual = official(Role.POLICE_INVESTIGATOR, station)
    Membership.objects.create(user=dual, institution=consulate, role=Role.CONSULAR_OFFICER, **IN_FORCE)
    case = registered_case(dual)
    api = ApiClient(dual)
    assert api.get(f"/cases/{case.pk}").status_code == 200
    before = AuditEvent.objects.count()
    response = api.get(f"/cases/{case.pk}", HTTP_X_ACTING_AS="consulate-f")
    assert response.status_code == 404
    named = AuditEvent.objects.filter(id__gt=before, action="read", institution="consulate-f")
    assert not named.exists()
    assert api.get(f"/cases/{case.pk}", HTTP_X_ACTING_AS="police-f").status_code == 200


def test_un_childing_a_case_is_refused_to_an_official_not_named_on_it(child_case) -> None:
    api = ApiClient(child_case["colleague"])
    case = child_case["case"]
    for person in ({"believed_under_18": False}, {"age_ascertained": True}):
        response = api.patch(f"/cases/{case.pk}", {"person": person},
                             HTTP_IF_MATCH=f'"{case.version}"')
        assert response.status_code == 403, response.content
        assert response.json()["field"].startswith("person.")
        assert "given_name" not in response.content.decode()
        assert Case.objects.get(pk=case.pk).child is True


def test_a_named_official_changing_the_child_facts_alerts_the_team(child_case) -> None:
    api = ApiClient(child_case["named"])
    case = child_case["case"]
    response = api.patch(f"/cases/{case.pk}", {"person": {"believed_under_18": True}},
                         HTTP_IF_MATCH=f'"{case.version}"')
    assert response.status_code == 200, response.content
    alerts = ApiClient(child_case["colleague"]).get("/alerts").json()
    assert "child_status_changed" in {a["code"] for a in alerts}


def test_an_answer_to_a_write_never_shows_more_than_the_reader_saw_before(child_case) -> None:
    """A team official who may change facts, but not see the child's identity, changes a case
    fact: the answer has the same shape as their read, identity null."""
    api = ApiClient(child_case["colleague"])
    case = child_case["case"]
    before = api.get(f"/cases/{case.pk}").json()
    response = api.patch(f"/cases/{case.pk}", {"case": {"exploitation": ["begging", "forced_labour"]}},
                         HTTP_IF_MATCH=f'"{case.version}"')
    assert response.status_code == 200, response.content
    after = response.json()
    assert after["identity"] is None and before["identity"] is None
    assert set(after) == set(before)
    assert not (_dates(after) & _birth_derived(BORN))


@pytest.mark.parametrize("query, field", [
    ({"offset": "-1"}, "offset"), ({"offset": "1e20"}, "offset"), ({"limit": "0"}, "limit"),
    ({"limit": "100000"}, "limit"), ({"stage": "nonsense"}, "stage"),
])
def test_every_list_parameter_is_validated_into_a_400_that_names_it(child_case, query, field) -> None:
    response = ApiClient(child_case["named"]).get("/cases", **query)
    assert response.status_code == 400, response.content
    assert field in response.json()["field"]


def test_a_duties_status_that_does_not_exist_is_a_400(child_case) -> None:
    response = ApiClient(child_case["named"]).get("/duties", status="nonsense", offset="-5")
    assert response.status_code == 400


def test_a_refused_request_is_audited_naming_the_official(child_case) -> None:
    outsider = child_case["outsider"]
    before = AuditEvent.objects.filter(action="denied").count()
    response = ApiClient(outsider).get(f"/cases/{child_case['case'].pk}")
    assert response.status_code == 404
    events = AuditEvent.objects.filter(action="denied").order_by("id")[before:]
    assert [e.actor_id for e in events] == [outsider.pk]
    assert events[0].detail["path"].endswith(f"/cases/{child_case['case'].pk}")


def test_the_duties_list_is_no_oracle_for_a_hidden_case_by_its_date_filters(child_case) -> None:
    """A reader who may not see the child's identity cannot bracket a due date with the
    list's date filters: those apply only to duties whose dates the reader may see."""
    from nrm.cases.models import Duty

    case = child_case["case"]
    Duty.objects.filter(case=case).update(due_on=date(2026, 6, 1))
    api = ApiClient(child_case["colleague"])
    mine = {d.pk for d in Duty.objects.filter(case=case)
            if d.institution_id in {m.institution_id for m in child_case["colleague"].memberships.all()}}
    assert mine, "the colleague's institution owes duties on the case"
    early = {d["id"] for d in api.get("/duties", due_before="2026-05-15").json()}
    late = {d["id"] for d in api.get("/duties", due_after="2026-07-01").json()}
    assert mine <= early and mine <= late
    named = ApiClient(child_case["named"])
    assert not mine & {d["id"] for d in named.get("/duties", due_after="2026-07-01").json()}


def _probes(api, case, day: date):
    """Three writes that check a date against the birth date, each with a later field wrong
    so that nothing is stored: the refusal names the field that failed first."""
    facts = api.patch(f"/cases/{case.pk}", {"case": {"reasonable_grounds_on": day.isoformat(),
                                                     "identified_on": "2099-01-01"}},
                      HTTP_IF_MATCH=f'"{case.version}"')
    decision = api.post(f"/cases/{case.pk}/decisions",
                        {"to_stage": "assisted", "decided_on": day.isoformat(), "grounds": " "})
    rights = api.post(f"/cases/{case.pk}/rights",
                      {"rights": ["information"], "explained_on": day.isoformat(), "language": ""})
    return [(r.status_code, r.json().get("field")) for r in (facts, decision, rights)]


def test_a_date_before_the_birth_date_is_no_oracle_to_one_who_may_not_see_it(child_case) -> None:
    # The attack: write with a date and a later field wrong, and see which field is refused;
    # "before the person's date of birth" on one side, the later field on the other, is a
    # binary search for the birth date in 15 requests, storing nothing.
    api, case = ApiClient(child_case["colleague"]), child_case["case"]
    before, on, after = (_probes(api, case, day) for day in (
        date(2014, 2, 1), BORN, date(2014, 2, 3)))
    assert before == on == after == [(400, "case.identified_on"), (400, "grounds"),
                                     (400, "language")]
    assert Case.objects.get(pk=case.pk).version == case.version


def test_the_named_official_is_still_told_a_date_lies_before_the_birth(child_case) -> None:
    api, case = ApiClient(child_case["named"]), child_case["case"]
    assert _probes(api, case, date(2014, 2, 1)) == [
        (400, "case.reasonable_grounds_on"), (400, "decided_on"), (400, "explained_on")]
