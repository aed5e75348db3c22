"""The pages: the Commission's queue and session, a claim, filing one, and the case page;
allowed, refused and bad input on one setup, and what the official sees after each action."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from nrm.compensation import services
from nrm.compensation.models import Claim, ClaimDecision, Payment, Session, Vote
from tests.compensation.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(settings, world):
    """A signed-in browser; demo users pass the second factor in demo mode only."""
    settings.NRM_DEMO = True

    def sign_in(user):
        user.is_demo = True
        user.save(update_fields=["is_demo"])
        client = Client()
        client.force_login(user)
        return client

    return sign_in


FORM = {
    "commission": "commission", "claimant": "victim", "claimant_name": "Claimant Sample",
    "basis": "state_compensation", "defendant": "unknown", "filed_on": "2026-06-01",
    "time_runs_from": "2026-03-01", "material_amount": "300.30", "material_evidence": "invoices",
    "emotional_amount": "200.00", "emotional_evidence": "psychologist's report",
    "insurance_amount": "100.00", "received_on": "2026-05-01", "documents": "court record\nmedical report",
}


def text(page) -> str:
    return re.sub(r"\s+", " ", page.content.decode())


def test_the_case_team_files_a_claim_and_sees_the_proposal_on_the_case_page(browser, world):
    team = browser(world.advocate)
    assert "File a claim for compensation" in text(team.get(f"/cases/{world.adult.pk}/"))
    page = team.post(f"/cases/{world.adult.pk}/compensation/new/", FORM, follow=True)
    assert page.status_code == 200
    shown = text(page)
    assert "Claim filed with the Commission." in shown
    assert "The law's proposal" in shown and "Full compensation · 400.30 EUR" in shown and "Art. 42.4.3" in shown


def test_a_bad_amount_is_shown_next_to_its_field_with_the_input_kept(browser, world):
    page = browser(world.advocate).post(f"/cases/{world.adult.pk}/compensation/new/",
                                        {**FORM, "emotional_amount": "-20.00"})
    assert page.status_code == 400
    shown = text(page)
    field = shown[shown.index('id="id_emotional_amount"') - 300:shown.index('id="id_emotional_amount"') + 400]
    assert "has-error" in field and "may not be negative" in field and 'value="-20.00"' in field
    assert not Claim.objects.exists()


def test_filing_is_refused_to_the_commission_and_to_outsiders(browser, world):
    for user in (world.members[0], world.outsider):
        assert browser(user).post(f"/cases/{world.adult.pk}/compensation/new/", FORM).status_code == 404
    assert not Claim.objects.exists()


def test_the_queue_is_the_commission_s_and_refused_to_others(browser, world):
    world.claim()
    member = browser(world.members[0])
    page = member.get("/compensation/")
    assert page.status_code == 200 and world.adult.reference in text(page)
    assert "Compensation Commission</a>" in text(page)  # the nav links the page for members
    assert browser(world.advocate).get("/compensation/").status_code == 403
    assert "Compensation Commission</a>" not in text(browser(world.advocate).get("/cases/"))
    assert browser(world.other_commission_member).get("/compensation/").status_code == 200
    assert world.adult.reference not in text(browser(world.other_commission_member).get("/compensation/"))


def test_a_member_plans_a_session_puts_the_claim_on_it_and_the_vote_decides(browser, world):
    claim = world.claim()
    chair, second = browser(world.members[0]), browser(world.members[1])
    bad = chair.post("/compensation/", {"commission": str(world.commission.pk), "held_on": ""})
    assert bad.status_code == 200 and "has-error" in text(bad)
    planned = chair.post("/compensation/", {"commission": str(world.commission.pk), "held_on": "2026-06-15"},
                         follow=True)
    session = Session.objects.get()
    assert "Session planned." in text(planned)
    act = f"/compensation/sessions/{session.pk}/act/"
    agenda = chair.post(act, {"action": "agenda", "claim": str(claim.pk)}, follow=True)
    item = session.items.get()
    assert "Full compensation · 1000.10 EUR" in text(agenda)
    early = chair.post(act, {"action": "vote", "item": str(item.pk), "choice": "for"})
    assert early.status_code == 400 and "present:" in text(early)
    chair.post(act, {"action": "present", "members": [str(t.pk) for t in world.terms]})
    no_vote = chair.post(act, {"action": "adopt", "item": str(item.pk)})
    assert no_vote.status_code == 400 and "votes:" in text(no_vote)
    voted = chair.post(act, {"action": "vote", "item": str(item.pk), "choice": "for"}, follow=True)
    assert "You voted: For" in text(voted)
    second.post(act, {"action": "vote", "item": str(item.pk), "choice": "for"})
    assert Vote.objects.count() == 2
    adopted = second.post(act, {"action": "adopt", "item": str(item.pk)}, follow=True)
    assert "Adopted" in text(adopted) and ClaimDecision.objects.count() == 1
    # Another Commission's member and the case team may not act on the session.
    assert browser(world.other_commission_member).get(f"/compensation/sessions/{session.pk}/").status_code == 404
    assert browser(world.advocate).post(act, {"action": "vote", "item": str(item.pk)}).status_code == 404
    # The case team sees the decision on the case page.
    case_page = text(browser(world.advocate).get(f"/cases/{world.adult.pk}/"))
    assert "Full compensation · 1000.10 EUR" in case_page


def test_a_departing_motion_without_its_reason_keeps_the_input_and_names_the_field(browser, world):
    claim = world.claim()
    session = services.session_plan(actor=world.members[0], commission_id=world.commission.pk, held_on=TODAY)
    item = services.agenda_add(actor=world.members[0], session=session, claim=claim)
    page = browser(world.members[0]).post(f"/compensation/sessions/{session.pk}/act/", {
        "action": "motion", "item": str(item.pk), f"m{item.pk}-decision": "full",
        f"m{item.pk}-amount": "800.00", f"m{item.pk}-grounds": ["double_compensation"]})
    assert page.status_code == 400
    shown = text(page)
    assert "record the reason" in shown and 'value="800.00"' in shown


def test_payments_and_appeals_on_the_claim_page(browser, world):
    claim = world.claim()
    session = services.session_plan(actor=world.members[0], commission_id=world.commission.pk,
                                    held_on=TODAY)
    item = services.agenda_add(actor=world.members[0], session=session, claim=claim)
    services.session_attend(actor=world.members[0], session=session, members=[t.pk for t in world.terms])
    for m in world.members[:2]:
        services.vote_cast(actor=m, item=item, choice="for")
    services.decision_adopt(actor=world.members[0], item=item)
    member, team = browser(world.members[0]), browser(world.advocate)
    act = f"/compensation/claims/{claim.pk}/act/"
    bad = member.post(act, {"action": "payment", "kind": "made", "amount": "-1", "on": "2026-06-15",
                            "instalment": "1"})
    assert bad.status_code == 400 and "may not be negative" in text(bad) and not Payment.objects.exists()
    paid = member.post(act, {"action": "payment", "kind": "made", "amount": "1100.10", "on": "2026-06-15",
                             "instalment": "1"}, follow=True)
    assert "overpaid by 100.00 EUR" in text(paid)
    assert team.post(act, {"action": "payment", "kind": "made", "amount": "1", "on": "2026-06-15",
                           "instalment": "1"}).status_code == 403
    appealed = team.post(act, {"action": "appeal", "lodged_on": "2026-06-15", "grounds": "under-assessed"},
                         follow=True)
    assert "Pending" in text(appealed)
    won = member.post(act, {"action": "outcome", "outcome": "succeeded", "decided_on": "2026-06-15",
                            "decision": "full", "amount": "1500.00", "reason": "new report"}, follow=True)
    assert "replaced on appeal" in text(won) and "1500.00 EUR" in text(won)
    assert browser(world.outsider).get(f"/compensation/claims/{claim.pk}/").status_code == 404


def test_the_case_page_audits_the_claim_read_without_personal_text_it_does_not_show(browser, world):
    from nrm.audit.models import AuditEvent

    world.claim()
    page = text(browser(world.advocate).get(f"/cases/{world.adult.pk}/"))
    assert "Claimant Sample" not in page
    event = AuditEvent.objects.filter(record_type="compensation.claim", action="read").latest("id")
    assert event.purpose == "case page" and "claimant_name" not in event.fields
