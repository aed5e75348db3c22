"""Duplicates found by keyed hashes across institutions, never by showing the other case;
merging is a recorded decision by someone who may change both cases (Art. 18)."""

from __future__ import annotations

import datetime as dt

import pytest

from nrm.audit.models import AuditEvent
from nrm.authorities.roles import Role
from nrm.cases.services import case_assign
from nrm.crypto.keyring import keyed_hash
from nrm.errors import Invalid, NotFound
from nrm.exchange.models import MergeDecision
from nrm.exchange.selectors import (
    DUPLICATE_WARNING,
    duplicates_at_registration,
    duplicates_check,
    registration_warning,
)
from nrm.exchange.services import case_merge
from tests.factories import official, registered_case

pytestmark = pytest.mark.django_db
BORN = dt.date(1998, 4, 5)


@pytest.fixture
def two_institutions():
    """The police and a shelter each registered the same woman, her name written apart."""
    police = official(Role.POLICE_INVESTIGATOR)
    shelter = official(Role.SOCIAL_WORKER)
    first = registered_case(police, given_name="Ardita  ", family_name="Krasniqi",
                            birth_date=BORN)
    second = registered_case(shelter, given_name="ardíta", family_name="KRASNIQI", birth_date=BORN)
    return police, shelter, first, second


def institution(user):
    return user.memberships.get().institution


def test_the_same_person_is_found_across_institutions_however_the_name_is_written(two_institutions):
    police, shelter, first, second = two_institutions
    assert first.person.match_key == second.person.match_key != ""
    assert duplicates_at_registration(match_key=second.person.match_key,
                                      institution=institution(shelter)) == 1
    assert duplicates_check(user=shelter, case_id=second.pk, given_name="Krasniqi",
                            family_name="Ardita ", birth_date=BORN) == 1


def test_the_warning_names_whom_to_ask_and_never_the_other_case(two_institutions):
    police, shelter, first, second = two_institutions
    warning = registration_warning(case=second)
    assert warning == DUPLICATE_WARNING and "National Anti-Trafficking Coordinator" in warning
    assert first.reference not in warning and institution(police).name not in warning


def test_cases_of_ones_own_institution_and_other_people_are_not_counted(two_institutions):
    police, shelter, first, second = two_institutions
    assert duplicates_check(user=police, case_id=first.pk, given_name="Ardita",
                            family_name="Krasniqi", birth_date=dt.date(1998, 4, 6)) == 0
    own = registered_case(shelter, given_name="Ardita", family_name="Krasniqi", birth_date=BORN)
    assert duplicates_at_registration(match_key=own.person.match_key,
                                      institution=institution(shelter)) == 1


def test_a_duplicate_check_is_audited_without_the_name(two_institutions):
    police, shelter, first, second = two_institutions
    duplicates_check(user=shelter, case_id=second.pk, given_name="Ardita",
                     family_name="Krasniqi", birth_date=BORN)
    event = AuditEvent.objects.filter(action="duplicates.check").get()
    assert event.actor == shelter and event.record_ids == [str(second.pk)]
    assert event.detail["possible_duplicates"] == 1
    # What was looked up, as a keyed hash under its own purpose: equal lookups match, the
    # names cannot be read back.
    assert event.detail["lookup"] == keyed_hash("duplicate-check", second.person.match_key)
    assert event.detail["lookup"] != second.person.match_key
    assert "Ardita" not in str(event.detail) + str(event.record_ids)
    assert BORN.isoformat() not in str(event.detail)


def test_an_analyst_may_not_check_for_duplicates(two_institutions):
    police, shelter, first, second = two_institutions
    with pytest.raises(NotFound):
        duplicates_check(user=official(Role.SECRETARIAT_ANALYST), case_id=first.pk,
                         given_name="Ardita", family_name="Krasniqi", birth_date=BORN)


def test_a_check_needs_a_case_the_official_may_change_and_never_counts_that_case(
        two_institutions):
    police, shelter, first, second = two_institutions
    # The police may not change the shelter's case: no check for it.
    with pytest.raises(NotFound):
        duplicates_check(user=police, case_id=second.pk, given_name="Ardita",
                         family_name="Krasniqi", birth_date=BORN)
    assert not AuditEvent.objects.filter(action="duplicates.check").exists()
    # Checked for their own case, the shelter's is found; the case itself never is.
    assert duplicates_check(user=police, case_id=first.pk, given_name="Ardita",
                            family_name="Krasniqi", birth_date=BORN) == 1


@pytest.fixture
def on_both(two_institutions):
    """The police investigator's institution joins the shelter's case team."""
    police, shelter, first, second = two_institutions
    case_assign(actor=shelter, case=second, institution=institution(police),
                capacity="identification")
    return two_institutions


def test_an_official_who_may_change_both_cases_merges_them_as_a_recorded_decision(on_both):
    police, shelter, first, second = on_both
    decision = case_merge(actor=police, keep=first, merge=second, grounds="Same documents")
    second.refresh_from_db()
    assert second.merged_into == first
    decision.refresh_from_db()
    assert (decision.kept, decision.merged, decision.decided_by) == (first, second, police)
    assert decision.grounds == "Same documents"
    event = AuditEvent.objects.filter(action="merge").get()
    assert sorted(event.record_ids) == sorted([str(first.pk), str(second.pk)])
    # The decision is recorded as the membership acted as.
    decided = AuditEvent.objects.filter(action="merge.decision").get()
    assert decided.record_ids == [str(decision.pk)] and decided.role == Role.POLICE_INVESTIGATOR
    assert decision.institution == institution(police)
    # A merged case is no longer a possible duplicate.
    assert duplicates_at_registration(match_key=first.person.match_key,
                                      institution=institution(police)) == 0


def test_an_official_who_may_change_only_one_case_may_not_merge(two_institutions):
    police, shelter, first, second = two_institutions
    with pytest.raises(NotFound):
        case_merge(actor=police, keep=first, merge=second, grounds="Same person")
    second.refresh_from_db()
    assert second.merged_into is None and not MergeDecision.objects.exists()


def test_a_case_is_never_merged_into_itself_or_into_a_merged_case(on_both):
    police, shelter, first, second = on_both
    with pytest.raises(Invalid, match="into: a case cannot be merged into itself"):
        case_merge(actor=police, keep=first, merge=first, grounds="x")
    case_merge(actor=police, keep=first, merge=second, grounds="Same documents")
    third = registered_case(police, given_name="Ardita", family_name="Krasniqi", birth_date=BORN)
    with pytest.raises(Invalid, match="into: .* is itself merged"):
        case_merge(actor=police, keep=second, merge=third, grounds="x")
    with pytest.raises(Invalid, match="already merged"):
        case_merge(actor=police, keep=third, merge=second, grounds="x")
    assert MergeDecision.objects.count() == 1
