"""The API: each endpoint allowed, refused (another role, a record out of scope) and bad
input, on the one setup; amounts as exact decimal text."""

from __future__ import annotations

import datetime as dt

import pytest

from nrm.authorities.roles import Role
from nrm.cases.models import Capacity, CaseAssignment
from nrm.compensation.models import Claim, ClaimDecision, Payment, Vote
from tests.factories import InstitutionFactory, official

CLAIM = {
    "commission": "commission", "claimant": "victim", "claimant_name": "Claimant Sample",
    "basis": "state_compensation", "filed_on": "2026-06-01", "time_runs_from": "2026-03-01",
    "defendant": "convicted",
    "harms": [{"kind": "physical", "amount": "1200.40", "evidence": "medical report"}],
    "receipts": [{"source": "offender", "amount": "200.20", "received_on": "2026-05-01"}],
    "documents": [{"description": "court judgment", "received_on": "2026-05-02"}],
}


@pytest.fixture
def filed(world, api):
    answer = api(world.advocate).post(f"/cases/{world.adult.pk}/compensation-claims", CLAIM)
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_the_case_team_files_a_claim_and_sees_the_engine_s_proposal_to_the_cent(world, api, filed):
    assert filed["proposal"]["decision"] == "additional"
    assert filed["proposal"]["amount"] == "1000.20" and filed["proposal"]["article"] == "42.4.1"
    assert filed["harm_total"] == "1200.40" and filed["claimant_name"] == "Claimant Sample"
    assert filed["deadline_on"] == "2026-08-28" and filed["filed_late"] is False


def test_a_claim_is_refused_to_an_official_who_may_only_view_or_is_off_the_team(world, api):
    police = InstitutionFactory(code="police")
    CaseAssignment.objects.create(case=world.adult, institution=police, capacity=Capacity.LEAD)
    viewer = official(Role.POLICE_INVESTIGATOR, police)
    assert api(viewer).post(f"/cases/{world.adult.pk}/compensation-claims", CLAIM).status_code == 403
    assert api(world.outsider).post(f"/cases/{world.adult.pk}/compensation-claims", CLAIM).status_code == 404
    assert api(world.members[0]).post(f"/cases/{world.adult.pk}/compensation-claims", CLAIM).status_code == 404
    assert not Claim.objects.exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"harms": [{"kind": "physical", "amount": "-5.00", "evidence": "x"}]}, "harms.0.amount"),
    ({"receipts": [{"source": "offender", "amount": "1.234", "received_on": "2026-05-01"}]}, "receipts.0.amount"),
    ({"basis": "lottery"}, "basis"),
    ({"filed_on": "2027-01-01"}, "filed_on"),
])
def test_bad_claims_answer_400_naming_the_field(world, api, change, field):
    answer = api(world.advocate).post(f"/cases/{world.adult.pk}/compensation-claims", {**CLAIM, **change})
    assert answer.status_code == 400, answer.content
    assert answer.json()["field"] == field
    assert not Claim.objects.exists()


def test_an_amount_sent_as_a_json_number_is_refused_never_rounded(world, api):
    body = {**CLAIM, "harms": [{"kind": "physical", "amount": 0.1, "evidence": "x"}]}
    answer = api(world.advocate).post(f"/cases/{world.adult.pk}/compensation-claims", body)
    assert answer.status_code in (400, 422)
    assert not Claim.objects.exists()


def test_a_commission_member_sees_the_claim_and_nothing_else_of_the_case(world, api, filed):
    member = api(world.members[0])
    claim = member.get(f"/compensation/claims/{filed['id']}")
    assert claim.status_code == 200
    body = claim.json()
    assert body["case_reference"] == world.adult.reference and body["claimant_name"] == "Claimant Sample"
    assert "Adulta" not in claim.content.decode() and "person" not in body
    assert member.get(f"/cases/{world.adult.pk}").status_code == 404
    assert member.get(f"/cases/{world.child.pk}").status_code == 404
    assert member.get("/cases").json() == []
    assert [row["id"] for row in member.get("/compensation/queue").json()] == [filed["id"]]


def test_members_of_another_commission_and_outsiders_get_404(world, api, filed):
    for user in (world.other_commission_member, world.outsider):
        assert api(user).get(f"/compensation/claims/{filed['id']}").status_code == 404
        assert api(user).get("/compensation/queue").json() == []


def test_a_team_member_who_may_not_see_the_identity_sees_no_personal_text(world, api):
    prosecution = InstitutionFactory(code="prosecution")
    CaseAssignment.objects.create(case=world.child, institution=prosecution, capacity=Capacity.CASE_MANAGEMENT)
    prosecutor = official(Role.PROSECUTOR, prosecution)
    body = {**CLAIM, "claimant": "legal_representative"}
    filed = api(world.advocate).post(f"/cases/{world.child.pk}/compensation-claims", body).json()
    seen = api(prosecutor).get(f"/compensation/claims/{filed['id']}").json()
    assert seen["claimant_name"] is None and seen["harms"][0]["evidence"] is None
    assert seen["harms"][0]["amount"] == "1200.40" and seen["proposal"]["decision"] == "additional"


def test_the_patch_needs_if_match_and_refuses_a_stale_one(world, api, filed):
    path = f"/compensation/claims/{filed['id']}"
    team = api(world.advocate)
    assert team.patch(path, {"defendant": "unable_to_pay"}).status_code == 428
    assert team.patch(path, {"defendant": "unable_to_pay"}, HTTP_IF_MATCH='"7"').status_code == 409
    changed = team.patch(path, {"receipts": [{"source": "offender", "amount": "1000.20", "received_on": "2026-06-10"}]},
                         HTTP_IF_MATCH='"1"')
    assert changed.status_code == 200 and changed["ETag"] == '"2"'
    assert changed.json()["proposal"] == {"decision": "none", "amount": "0.00", "article": "42.2",
                                          "arithmetic": changed.json()["proposal"]["arithmetic"], "error": None}


def test_a_session_from_agenda_to_vote_to_decision_to_payment(world, api, filed):
    chair, second, third = (api(m) for m in world.members)
    session = chair.post("/compensation/sessions", {"commission": "commission", "held_on": "2026-06-15"})
    assert session.status_code == 201
    sid = session.json()["id"]
    assert world.outsider and api(world.outsider).post(
        "/compensation/sessions", {"commission": "commission", "held_on": "2026-06-15"}).status_code == 403
    agenda = chair.post(f"/compensation/sessions/{sid}/agenda", {"claim_id": filed["id"]})
    assert agenda.status_code == 201
    item = agenda.json()["items"][0]
    assert (item["proposed_decision"], item["proposed_amount"]) == ("additional", "1000.20")
    assert chair.post(f"/compensation/items/{item['id']}/decision").json()["field"] == "votes"
    assert chair.post(f"/compensation/items/{item['id']}/votes", {"choice": "for"}).json()["field"] == "present"
    terms = [t.pk for t in world.terms]
    assert chair.post(f"/compensation/sessions/{sid}/present", {"members": terms}).status_code == 200
    assert chair.post(f"/compensation/items/{item['id']}/votes", {"choice": "maybe"}).json()["field"] == "choice"
    assert chair.post(f"/compensation/items/{item['id']}/votes", {"choice": "for"}).status_code == 201
    assert chair.post(f"/compensation/items/{item['id']}/votes", {"choice": "for"}).status_code == 409
    assert api(world.other_commission_member).post(
        f"/compensation/items/{item['id']}/votes", {"choice": "for"}).status_code == 404
    second.post(f"/compensation/items/{item['id']}/votes", {"choice": "for"})
    adopted = third.post(f"/compensation/items/{item['id']}/decision")
    assert adopted.status_code == 201, adopted.content
    decision = adopted.json()["decision"]
    assert (decision["decision"], decision["amount"], decision["article"]) == ("additional", "1000.20", "42.4.1")
    assert Vote.objects.count() == 2 and ClaimDecision.objects.count() == 1
    bad = chair.post(f"/compensation/decisions/{decision['id']}/payments",
                     {"kind": "made", "amount": "-10.00", "on": "2026-06-15"})
    assert bad.status_code == 400 and bad.json()["field"] == "amount"
    assert api(world.advocate).post(f"/compensation/decisions/{decision['id']}/payments",
                                    {"kind": "made", "amount": "10.00", "on": "2026-06-15"}).status_code == 403
    paid = chair.post(f"/compensation/decisions/{decision['id']}/payments",
                      {"kind": "made", "amount": "1100.20", "on": "2026-06-15"})
    assert paid.status_code == 201
    assert paid.json()["summary"] == {"due": "1000.20", "ordered": "0.00", "paid": "1100.20",
                                      "outstanding": "0.00", "overpaid": "100.00"}
    assert Payment.objects.count() == 1
    # The case team sees the decision on its claim.
    team = api(world.advocate).get(f"/cases/{world.adult.pk}/compensation-claims").json()
    assert team[0]["decision"]["decision"] == "additional" and team[0]["status"] == "decided"


def test_an_appeal_through_the_api_replaces_the_decision(world, api, filed, time_machine):
    chair = api(world.members[0])
    sid = chair.post("/compensation/sessions", {"commission": "commission", "held_on": "2026-06-15"}).json()["id"]
    item = chair.post(f"/compensation/sessions/{sid}/agenda", {"claim_id": filed["id"]}).json()["items"][0]
    chair.post(f"/compensation/sessions/{sid}/present", {"members": [t.pk for t in world.terms]})
    for member in world.members[:2]:
        api(member).post(f"/compensation/items/{item['id']}/votes", {"choice": "for"})
    decision = chair.post(f"/compensation/items/{item['id']}/decision").json()["decision"]
    appealed = api(world.advocate).post(f"/compensation/decisions/{decision['id']}/appeals",
                                        {"lodged_on": "2026-06-15", "grounds": "harm under-assessed"})
    assert appealed.status_code == 201 and appealed.json()["status"] == "appealed"
    appeal = appealed.json()["appeals"][0]
    assert api(world.outsider).post(f"/compensation/appeals/{appeal['id']}/outcome",
                                    {"outcome": "rejected", "decided_on": "2026-06-15"}).status_code == 404
    missing = chair.post(f"/compensation/appeals/{appeal['id']}/outcome",
                         {"outcome": "succeeded", "decided_on": "2026-06-15", "decision": "full",
                          "amount": "1500.00"})
    assert missing.status_code == 400 and missing.json()["field"] == "reason"
    won = chair.post(f"/compensation/appeals/{appeal['id']}/outcome",
                     {"outcome": "succeeded", "decided_on": "2026-06-15", "decision": "full",
                      "amount": "1500.00", "reason": "the second report"})
    assert won.status_code == 200
    body = won.json()
    assert body["decision"]["amount"] == "1500.00" and body["decision"]["replaces"] == decision["id"]
    assert [d["in_force"] for d in body["decisions"]] == [False, True]


def test_members_are_appointed_by_the_administrator_only(world, api):
    newcomer = official(Role.COMMISSION_MEMBER, world.commission, username="newcomer")
    body = {"commission": "commission", "username": "newcomer", "term_start": "2026-06-01"}
    assert api(world.members[0]).post("/compensation/members", body).status_code == 403
    assert api(world.admin).post("/compensation/members", {**body, "username": "advocate"}).json()["field"] == "user"
    made = api(world.admin).post("/compensation/members", body)
    assert made.status_code == 201 and made.json()["username"] == newcomer.username
    assert api(world.admin).post("/compensation/members", {**body, "term_end": "2026-01-01"}).json()["field"] == "term_end"


def test_the_queue_refuses_an_unknown_status_and_a_limit_out_of_bounds(world, api):
    member = api(world.members[0])
    assert member.get("/compensation/queue?status=nonsense").json()["field"] == "status"
    assert member.get("/compensation/queue?limit=100000").status_code in (400, 422)


def test_the_claim_answer_is_dated_for_the_deadline_and_late_filing(world, api):
    late = {**CLAIM, "time_runs_from": "2025-06-01", "filed_on": "2026-06-01"}
    body = api(world.advocate).post(f"/cases/{world.adult.pk}/compensation-claims", late).json()
    assert body["deadline_on"] == (dt.date(2025, 6, 1) + dt.timedelta(days=180)).isoformat()
    assert body["filed_late"] is True


def test_a_withdrawn_claim_is_no_longer_the_law_s_fact(world, api, filed):
    from nrm.cases.models import LegalState

    path = f"/compensation/claims/{filed['id']}/withdraw"
    assert LegalState.objects.get(case=world.adult).assessment["compensation"] is not None
    assert api(world.members[0]).post(path, HTTP_IF_MATCH='"1"').status_code == 403
    assert api(world.advocate).post(path).status_code == 428
    withdrawn = api(world.advocate).post(path, HTTP_IF_MATCH='"1"')
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert LegalState.objects.get(case=world.adult).assessment["compensation"] is None
    again = api(world.advocate).post(path, HTTP_IF_MATCH='"2"')
    assert again.status_code == 409 and again.json()["field"] == "status"
