"""Every answer to a write is shaped by the field policy of the same official's read (issue 7,
finding 2): each write endpoint is sent as each relevant role on a child's case, and its
answer must equal what that role's GET of the record shows next, with nothing more; the
audit names every personal field the answer showed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from nrm.audit.models import AuditEvent
from nrm.authorities.roles import Role
from nrm.referrals.models import ConsentGiver, Referral
from nrm.referrals.services import (
    consent_record,
    goal_add,
    referral_accept,
    referral_create,
)
from tests.factories import official
from tests.referrals.conftest import TODAY

pytestmark = pytest.mark.django_db

SECRET = "SECRET-above-the-bakery"
# Free text that speaks of the person, on any of the records these endpoints answer with.
FREE_TEXT = ("note", "description", "decline_note")


@dataclass
class Setup:
    case: Any
    consent: int  # a consent in force, with a note
    proposed: int  # a referral proposed, not sent
    sent: int  # a referral sent to the shelter, not answered
    accepted: int  # a referral the shelter accepted: the shelter is on the team
    goal: int  # a goal with a description and a note


@pytest.fixture
def setup(world) -> Setup:
    child = world.child
    consent = consent_record(actor=world.worker, case=child, given_by=ConsentGiver.LEGAL_REPRESENTATIVE,
                             given_on=TODAY, scope=["all"], note=SECRET)

    def referral(**kwargs: Any) -> Referral:
        return referral_create(actor=world.worker, case=child, service="shelter",
                               provider="shelter-ngo", **kwargs)

    accepted = referral_accept(actor=world.shelter_staff, referral=referral())
    goal = goal_add(actor=world.worker, case=child, area="housing", description=SECRET,
                    owner="shelter-ngo", due_on=TODAY, note=SECRET)
    return Setup(case=child, consent=consent.pk, proposed=referral(send=False).pk,
                 sent=referral().pk, accepted=accepted.pk, goal=goal.pk)


def _roles(world) -> dict[str, Any]:
    return {
        "named": world.worker,  # registered the child's case: named on its team
        "not_named": official(Role.POLICE_INVESTIGATOR, world.police, username="colleague"),
        "provider": world.shelter_staff,  # on the team through the accepted referral
    }


# Each write: (method, path, body) from the setup, and the GET that reads the record after.
Write = Callable[[Setup], tuple[str, str, dict[str, Any]]]
WRITES: dict[str, Write] = {
    "consent_create": lambda s: ("post", f"/cases/{s.case.pk}/consents", {
        "given_by": "legal_representative", "given_on": TODAY.isoformat(), "scope": ["medical"],
        "note": SECRET}),
    "consent_withdraw": lambda s: ("post", f"/consents/{s.consent}/withdraw", {}),
    "referral_propose": lambda s: ("post", f"/cases/{s.case.pk}/referrals", {
        "service": "psycho_social", "provider": "shelter-ngo", "send": False}),
    "referral_create": lambda s: ("post", f"/cases/{s.case.pk}/referrals", {
        "service": "psycho_social", "provider": "shelter-ngo"}),
    "referral_send": lambda s: ("post", f"/referrals/{s.proposed}/send", {}),
    "referral_accept": lambda s: ("post", f"/referrals/{s.sent}/accept", {}),
    "referral_decline": lambda s: ("post", f"/referrals/{s.sent}/decline", {
        "reason": "other", "note": SECRET}),
    "referral_complete": lambda s: ("post", f"/referrals/{s.accepted}/complete", {}),
    "referral_cancel": lambda s: ("post", f"/referrals/{s.sent}/cancel", {}),
    "goal_create": lambda s: ("post", f"/cases/{s.case.pk}/care-plan", {
        "area": "health", "description": SECRET, "owner": "police-unit",
        "due_on": "2026-09-01", "note": SECRET}),
    "goal_change": lambda s: ("patch", f"/care-plan/{s.goal}", {"status": "open"}),
}
READ_BACK = {
    "consent": "/consents/{id}",
    "referral": "/referrals/{id}",
    "goal": "/care-plan/{id}",
}


def _read_back(name: str, body: dict[str, Any]) -> str:
    kind = name.split("_")[0]
    return READ_BACK[kind].format(id=body["id"])


def _personal(body: dict[str, Any]) -> set[str]:
    """The personal fields an answer shows: free text with a value, and shared identity."""
    return {name for name in FREE_TEXT if body.get(name)} | set(body.get("person") or {})


@pytest.mark.parametrize("role", ["named", "not_named", "provider"])
@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_write_answers_no_more_than_the_same_officials_read(api, world, setup, role, write):
    user = _roles(world)[role]
    method, path, body = WRITES[write](setup)
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    response = getattr(api(user), method)(path, body)

    if response.status_code >= 400:
        # A refusal says why, in the one error shape, and nothing of the person.
        assert response.status_code in (403, 404), response.json()
        assert set(response.json()) <= {"error", "message", "field"}
        assert SECRET not in response.content.decode()
        return
    written = response.json()
    shown = AuditEvent.objects.filter(id__gt=before)
    audited = {name for event in shown for name in event.fields}
    read = api(user).get(_read_back(write, written))
    assert read.status_code == 200, read.json()
    # The answer to the write is the read, key for key and value for value.
    assert written == read.json()
    # And every personal field it showed is named in the audit of that request.
    assert _personal(written) <= audited, (write, role, _personal(written), audited)
    if role != "named":
        # Free text goes where a child's identity goes: to officials named on the case only.
        assert SECRET not in response.content.decode()
        assert all(written.get(name) is None for name in FREE_TEXT if name in written)


def test_the_named_official_is_answered_the_free_text_and_the_audit_says_so(api, world, setup):
    """The counterpart of the test above: a leak would be seen, since the text is there."""
    response = api(world.worker).patch(f"/care-plan/{setup.goal}", {"status": "open"})
    assert response.status_code == 200
    assert (response.json()["description"], response.json()["note"]) == (SECRET, SECRET)
    reads = [event for event in AuditEvent.objects.filter(action="read",
                                                          record_type="referrals.careplangoal")
             if event.record_ids == [str(setup.goal)]]
    assert reads and set(reads[-1].fields) == {"description", "note"}


def test_an_official_not_named_on_a_childs_case_changes_a_goal_but_is_not_shown_its_text(
        api, world, setup):
    """The attack of finding 2: PATCH status, and read the description in the answer."""
    colleague = _roles(world)["not_named"]
    response = api(colleague).patch(f"/care-plan/{setup.goal}", {"status": "achieved"})
    assert response.status_code == 200
    assert response.json()["status"] == "achieved"
    assert (response.json()["description"], response.json()["note"]) == (None, None)


def test_withdrawing_consent_does_not_answer_its_note_to_whom_the_read_withholds_it(api, world, setup):
    colleague = _roles(world)["not_named"]
    response = api(colleague).post(f"/consents/{setup.consent}/withdraw")
    assert response.status_code == 200
    assert response.json()["withdrawn_on"] == TODAY.isoformat()
    assert response.json()["note"] is None
