"""The Commission decides in session: quorum, one vote per member, the proposal or a
recorded departure, grounds with their articles; appeals replace; payments are exact."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from nrm.audit.models import AuditEvent
from nrm.cases.services import case_update
from nrm.compensation import selectors, services
from nrm.compensation.models import ClaimDecision, ClaimStatus, Vote
from nrm.errors import Conflict, Invalid, NotAllowed

SESSION_DAY = dt.date(2026, 6, 15)


def on_agenda(world, claim=None):
    claim = claim or world.claim()
    session = services.session_plan(actor=world.members[0], commission_id=world.commission.pk,
                                    held_on=SESSION_DAY)
    item = services.agenda_add(actor=world.members[0], session=session, claim=claim)
    return session, item


def present(world, session, n=3):
    services.session_attend(actor=world.members[0], session=session,
                            members=[t.pk for t in world.terms[:n]])


def vote(world, item, *choices):
    for member, choice in zip(world.members, choices, strict=False):
        services.vote_cast(actor=member, item=item, choice=choice)


def test_the_motion_on_the_agenda_is_the_engine_s_proposal_and_adopting_it_needs_no_reason(world):
    session, item = on_agenda(world)
    assert (item.proposed_decision, item.proposed_amount, item.proposed_article) == (
        "full", Decimal("1000.10"), "42.4.3")
    present(world, session)
    vote(world, item, "for", "for", "against")
    decision = services.decision_adopt(actor=world.members[0], item=item)
    assert (decision.decision, decision.amount, decision.article, decision.departs) == (
        "full", Decimal("1000.10"), "42.4.3", False)
    assert decision.appeal_deadline_on == SESSION_DAY + dt.timedelta(days=15)
    assert type(decision.claim).objects.get(pk=decision.claim_id).status == ClaimStatus.DECIDED


def test_a_decision_without_a_vote_is_refused_naming_votes(world):
    session, item = on_agenda(world)
    present(world, session)
    with pytest.raises(Invalid) as refused:
        services.decision_adopt(actor=world.members[0], item=item)
    assert refused.value.field == "votes"
    assert not ClaimDecision.objects.exists()


def test_a_vote_with_no_quorum_is_refused_naming_quorum(world):
    session, item = on_agenda(world)
    present(world, session, n=1)  # one of three serving: no quorum
    with pytest.raises(Invalid) as refused:
        services.vote_cast(actor=world.members[0], item=item, choice="for")
    assert refused.value.field == "quorum"
    assert not Vote.objects.exists()


def test_a_decision_with_fewer_voters_than_the_quorum_is_refused_naming_quorum(world):
    session, item = on_agenda(world)
    present(world, session)
    vote(world, item, "for")
    with pytest.raises(Invalid) as refused:
        services.decision_adopt(actor=world.members[0], item=item)
    assert refused.value.field == "quorum"


def test_a_motion_without_a_majority_is_not_adopted(world):
    session, item = on_agenda(world)
    present(world, session)
    vote(world, item, "for", "against", "abstain")
    with pytest.raises(Invalid) as refused:
        services.decision_adopt(actor=world.members[0], item=item)
    assert refused.value.field == "votes"


def test_one_vote_per_member_a_second_is_refused_and_the_first_kept(world):
    session, item = on_agenda(world)
    present(world, session)
    services.vote_cast(actor=world.members[0], item=item, choice="for")
    with pytest.raises(Conflict) as refused:
        services.vote_cast(actor=world.members[0], item=item, choice="against")
    assert refused.value.field == "choice"
    assert list(Vote.objects.values_list("choice", flat=True)) == ["for"]


def test_the_database_keeps_one_vote_per_member_whatever_the_race(world):
    # vote_cast checks nothing before inserting: the unique constraint alone decides, so two
    # requests of one member racing leave one vote, and two members' votes never collide.
    session, item = on_agenda(world)
    present(world, session)
    vote(world, item, "for", "against")
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(item=item, member=world.terms[0], choice="against")
    assert sorted(Vote.objects.values_list("member__user__username", "choice")) == [
        ("member-1", "for"), ("member-2", "against")]


def test_a_non_member_and_a_member_not_serving_may_not_vote(world):
    session, item = on_agenda(world)
    present(world, session)
    with pytest.raises(NotAllowed):
        services.vote_cast(actor=world.other_commission_member, item=item, choice="for")
    world.terms[2].term_end = dt.date(2026, 1, 1)
    world.terms[2].save()
    with pytest.raises(NotAllowed):
        services.vote_cast(actor=world.members[2], item=item, choice="for")


def test_departing_from_the_proposal_needs_a_recorded_reason(world):
    session, item = on_agenda(world)
    with pytest.raises(Invalid) as refused:
        services.motion_set(actor=world.members[0], item=item, decision="full", amount="900.00",
                            grounds=["double_compensation"])
    assert refused.value.field == "reason"
    services.motion_set(actor=world.members[0], item=item, decision="full", amount="900.00",
                        grounds=["double_compensation"], reason="a payment from a foundation is documented")
    present(world, session)
    vote(world, item, "for", "for", "for")
    decision = services.decision_adopt(actor=world.members[0], item=item)
    assert (decision.departs, decision.amount, decision.proposed_amount) == (
        True, Decimal("900.00"), Decimal("1000.10"))
    assert decision.reason == "a payment from a foundation is documented"


def test_a_reduction_names_its_ground_44_3(world):
    _session, item = on_agenda(world)
    with pytest.raises(Invalid) as refused:
        services.motion_set(actor=world.members[0], item=item, decision="full", amount="900.00",
                            reason="less")
    assert refused.value.field == "grounds"


def test_a_refusal_names_its_ground_with_its_article(world):
    _session, item = on_agenda(world)
    with pytest.raises(Invalid) as refused:
        services.motion_set(actor=world.members[0], item=item, decision="refused", amount="0",
                            reason="no")
    assert refused.value.field == "grounds"
    with pytest.raises(Invalid) as refused:
        services.motion_set(actor=world.members[0], item=item, decision="refused", amount="10.00",
                            reason="no", grounds=["late"])
    assert refused.value.field == "amount"


def test_the_engine_s_refusal_under_44_2_is_adopted_with_its_article(world):
    claim = world.claim()
    case_update(actor=world.advocate, case_id=world.adult.pk, expected_version=None,
                case={"organized_crime_involvement": True})
    session, item = on_agenda(world, claim)
    assert (item.proposed_decision, item.proposed_article) == ("refused", "44.2")
    services.motion_set(actor=world.members[0], item=item, decision="refused", amount="0.00",
                        grounds=["organised_crime"])
    present(world, session)
    vote(world, item, "for", "for")
    decision = services.decision_adopt(actor=world.members[0], item=item)
    assert (decision.decision, decision.amount, decision.article, decision.departs) == (
        "refused", Decimal("0.00"), "44.2", False)
    assert decision.grounds == ["organised_crime"]


def decided(world):
    session, item = on_agenda(world)
    present(world, session)
    vote(world, item, "for", "for", "for")
    return services.decision_adopt(actor=world.members[0], item=item)


def test_an_appeal_that_succeeds_replaces_the_decision(world):
    old = decided(world)
    appeal = services.appeal_lodge(actor=world.advocate, decision=old, lodged_on=SESSION_DAY,
                                   grounds="the emotional harm was under-assessed")
    services.appeal_decide(actor=world.members[1], appeal=appeal, outcome="succeeded",
                           decided_on=SESSION_DAY, decision="full", amount="1500.00",
                           reason="a second expert report")
    old.refresh_from_db()
    view = selectors.claim_view(user=world.members[0], claim=old.claim)
    assert not view.decisions[0].in_force
    assert view.decision is not None and view.decision.replaces_id == old.pk
    assert (view.decision.decision, view.decision.amount, view.decision.departs) == (
        "full", Decimal("1500.00"), True)
    assert view.claim.status == ClaimStatus.DECIDED


def test_an_appeal_after_its_deadline_is_refused_naming_lodged_on(world, time_machine):
    old = decided(world)
    time_machine.move_to(dt.datetime(2026, 7, 20, 10, 0, tzinfo=dt.UTC))
    with pytest.raises(Invalid) as refused:
        services.appeal_lodge(actor=world.advocate, decision=old, lodged_on=dt.date(2026, 7, 20),
                              grounds="late")
    assert refused.value.field == "lodged_on"


def test_a_rejected_appeal_keeps_the_decision_in_force(world):
    old = decided(world)
    appeal = services.appeal_lodge(actor=world.advocate, decision=old, lodged_on=SESSION_DAY, grounds="g")
    services.appeal_decide(actor=world.members[1], appeal=appeal, outcome="rejected", decided_on=SESSION_DAY)
    assert selectors.claim_view(user=world.members[0], claim=old.claim).decision.pk == old.pk


def test_payments_in_instalments_and_an_overpayment_shown_never_negative(world):
    decision = decided(world)
    pay = world.members[0]
    services.payment_record(actor=pay, decision=decision, kind="ordered", amount="500.05", on=SESSION_DAY)
    services.payment_record(actor=pay, decision=decision, kind="ordered", amount="500.05", on=SESSION_DAY,
                            instalment=2)
    with pytest.raises(Invalid) as refused:
        services.payment_record(actor=pay, decision=decision, kind="ordered", amount="0.01", on=SESSION_DAY,
                                instalment=3)
    assert refused.value.field == "amount"
    for bad in ("-1.00", "0", "0.001"):
        with pytest.raises(Invalid) as refused:
            services.payment_record(actor=pay, decision=decision, kind="made", amount=bad, on=SESSION_DAY)
        assert refused.value.field == "amount"
    services.payment_record(actor=pay, decision=decision, kind="made", amount="700.00", on=SESSION_DAY)
    services.payment_record(actor=pay, decision=decision, kind="made", amount="400.00", on=SESSION_DAY,
                            instalment=2)
    summary = selectors.claim_view(user=pay, claim=decision.claim).summary
    assert (summary.due, summary.ordered, summary.paid, summary.outstanding, summary.overpaid) == (
        Decimal("1000.10"), Decimal("1000.10"), Decimal("1100.00"), Decimal("0.00"), Decimal("99.90"))


def test_the_offender_pays_restitution_before_fines_40_2(world):
    claim = world.claim(basis="court_restitution", restitution_ordered="800.00", fines_ordered="300.00",
                        receipts=[{"source": "offender", "amount": "900.00", "received_on": dt.date(2026, 5, 1)}])
    allocation = selectors.claim_view(user=world.advocate, claim=claim).allocation
    assert (allocation.restitution_paid, allocation.fines_paid) == (Decimal("800.00"), Decimal("100.00"))


def test_each_write_is_audited_as_the_membership_acted_as_with_fields_never_values(world):
    decided(world)
    votes = AuditEvent.objects.filter(record_type="compensation.vote")
    assert votes.count() == 3 and set(votes.values_list("role", flat=True)) == {"commission_member"}
    claim_event = AuditEvent.objects.get(record_type="compensation.claim", action="create")
    assert "claimant_name" in claim_event.fields and "Claimant Sample" not in str(claim_event.detail)


def test_one_member_cannot_decide_alone_on_a_backdated_session(world):
    """Found by the attack on a running server: a session dated years back, when only one
    member served, had a quorum of one; any member recorded anyone's presence; the decision
    was dated before the claim was filed."""
    claim = world.claim()
    long_ago = SESSION_DAY - dt.timedelta(days=365 * 3)
    with pytest.raises(Invalid) as refused:
        services.session_plan(actor=world.members[0], commission_id=world.commission.pk,
                              held_on=long_ago)
    assert refused.value.field == "held_on"
    session = services.session_plan(actor=world.members[0], commission_id=world.commission.pk,
                                    held_on=claim.filed_on - dt.timedelta(days=1))
    with pytest.raises(Invalid) as refused:
        services.agenda_add(actor=world.members[0], session=session, claim=claim)
    assert refused.value.field == "claim"
    session, item = on_agenda(world, claim)
    assert not world.terms[1].chair
    with pytest.raises(NotAllowed):
        services.session_attend(actor=world.members[1], session=session,
                                members=[world.terms[0].pk, world.terms[2].pk])
    assert not ClaimDecision.objects.exists()


def test_a_second_overlapping_term_for_the_same_official_is_refused(world):
    with pytest.raises(Conflict) as refused:
        services.member_appoint(actor=world.admin, commission=world.commission, user=world.members[0],
                                term_start=world.terms[0].term_start + dt.timedelta(days=10))
    assert refused.value.field == "term_start"
    assert selectors.quorum(type("S", (), {"commission_id": world.commission.pk,
                                           "held_on": SESSION_DAY})()) == 2
