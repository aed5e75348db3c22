"""The pages: allowed, refused and bad input on one setup, and what the official then sees."""

from __future__ import annotations

import datetime as dt

import pytest

from nrm.proceedings.models import ProtectionMeasure
from nrm.proceedings.services import defendant_add, defendant_custody, proceeding_open
from tests.proceedings.conftest import page_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo_second_factor(settings):
    """Officials signed in by the test pass the second factor in demo mode only."""
    settings.NRM_DEMO = True


_client = page_client


def test_the_prosecutor_opens_a_proceeding_from_the_page_and_a_bad_reference_keeps_the_input(world):
    client = _client(world.prosecutor)
    bad = client.post("/proceedings/", {"court_file_number": "PP-9/26", "case_reference": "NRM-0000-000000",
                                        "investigation_on": "2026-06-02"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "has-error" in html and 'value="PP-9/26"' in html and "NRM-0000-000000" in html
    opened = client.post("/proceedings/", {"court_file_number": "PP-9/26",
                                           "case_reference": world.adult.reference,
                                           "investigation_on": "2026-06-02"}, follow=True)
    assert opened.status_code == 200
    assert "PP-9/26" in opened.content.decode() and world.adult.reference in opened.content.decode()
    home = client.get("/proceedings/").content.decode()
    assert "PP-9/26" in home and 'href="/proceedings/"' in home  # listed, and linked in the nav
    assert f'href="/cases/{world.child.pk}/justice/"' in home


def test_roles_without_proceedings_get_no_page_and_no_link(world):
    for user in (world.social_worker, world.coordinator):
        client = _client(user)
        assert client.get("/proceedings/").status_code == 403
        assert 'href="/proceedings/"' not in client.get("/").content.decode()


def test_a_trial_before_the_investigation_is_refused_next_to_its_field(world):
    proceeding = proceeding_open(actor=world.prosecutor, court_file_number="PP-1", case_ids=[world.adult.pk],
                                 investigation_on=dt.date(2026, 6, 2))
    client = _client(world.prosecutor)
    answer = client.post(f"/proceedings/{proceeding.pk}/", {
        "action": "stage", "version": 1, "stage": "trial", "prosecution_on": "2026-06-03",
        "trial_on": "2026-05-01"})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert 'value="2026-05-01"' in html and "is before" in html
    assert _client(world.outsider).get(f"/proceedings/{proceeding.pk}/").status_code == 404


def test_prosecuting_a_victim_shows_the_prohibition_then_records_the_override(world):
    proceeding = proceeding_open(actor=world.prosecutor, court_file_number="PP-1", case_ids=[world.adult.pk],
                                 investigation_on=dt.date(2026, 6, 2))
    client = _client(world.prosecutor)
    form = {"action": "defendant", "kind": "natural", "role": "suspect", "name": "Suspect Two",
            "victim_case_reference": world.adult.reference}
    refused = client.post(f"/proceedings/{proceeding.pk}/", form)
    assert refused.status_code == 400 and "13.1" in refused.content.decode()
    done = client.post(f"/proceedings/{proceeding.pk}/", {**form, "override_ground": "Unrelated fraud"},
                       follow=True)
    assert "prosecuted despite Art. 13.1" in done.content.decode()


def test_the_release_of_a_defendant_shows_as_a_notice_the_prosecutor_records_as_given(world):
    proceeding = proceeding_open(actor=world.prosecutor, court_file_number="PP-1", case_ids=[world.adult.pk],
                                 investigation_on=dt.date(2026, 6, 2))
    defendant = defendant_add(actor=world.prosecutor, proceeding_id=proceeding.pk, kind="natural", name="S")
    defendant_custody(actor=world.prosecutor, defendant_id=defendant.pk, custody="released",
                      on=dt.date(2026, 6, 14))
    client = _client(world.prosecutor)
    html = client.get("/proceedings/").content.decode()
    assert "Release of a defendant (20.2.13)" in html and "2026-06-14" in html
    notice = proceeding.notices.get()
    client.post(f"/proceedings/notices/{notice.pk}/inform/", {"informed_on": "2026-06-15",
                                                              "information": "Told in person"})
    assert "No notice is due." in client.get("/proceedings/").content.decode()


def test_the_case_page_warns_before_a_childs_second_interview_and_records_a_measure(world):
    client = _client(world.prosecutor)
    page = f"/cases/{world.child.pk}/justice/"
    interview = {"action": "interview", "held_on": "2026-06-03", "interviewer": "Prosecutor A",
                 "premises": "", "child_appropriate_premises": "true"}
    no_premises = client.post(page, interview)
    assert no_premises.status_code == 400 and "16.1.2" in no_premises.content.decode()
    client.post(page, {**interview, "premises": "Child room"})
    shown = client.get(page).content.decode()
    assert "This child has been interviewed already" in shown and "16.1.5" in shown
    again = client.post(page, {**interview, "premises": "Child room", "held_on": "2026-06-05"})
    assert again.status_code == 400 and "exceptional" in again.content.decode()
    client.post(page, {"action": "measure", "kind": "closed_hearing", "article": "18.4",
                       "ordered_on": "2026-06-10"})
    assert "Hearing closed to the public" in client.get(page).content.decode()
    assert ProtectionMeasure.objects.filter(case=world.child).count() == 1


def test_roles_the_policy_does_not_name_see_neither_the_interview_log_nor_the_measures(world):
    ProtectionMeasure.objects.create(case=world.adult, kind="relocation", ordered_on=dt.date(2026, 6, 1),
                                     ordered_by=world.prosecution)
    for user in (world.social_worker, world.coordinator, world.outsider):
        client = _client(user)
        assert client.get(f"/cases/{world.adult.pk}/justice/").status_code == 404
        assert client.get(f"/cases/{world.child.pk}/justice/").status_code == 404
    # The prosecution colleague not named on the case sees the interview log, never a measure.
    html = _client(world.colleague).get(f"/cases/{world.adult.pk}/justice/").content.decode()
    assert "Interviews" in html and "Protection measures" not in html and "Relocation" not in html


def test_the_coordinator_sees_the_override_alert_on_their_page_and_others_are_refused(world):
    proceeding = proceeding_open(actor=world.prosecutor, court_file_number="PP-5", case_ids=[world.adult.pk],
                                 investigation_on=dt.date(2026, 6, 2))
    defendant_add(actor=world.prosecutor, proceeding_id=proceeding.pk, kind="natural", name="Adulta",
                  victim_case_id=world.adult.pk, override_ground="Unrelated")
    client = _client(world.coordinator)
    html = client.get("/proceedings/non-punishment-alerts/").content.decode()
    assert world.adult.reference in html and "13.1" in html and "Adulta" not in html
    assert 'href="/proceedings/non-punishment-alerts/"' in client.get("/").content.decode()
    assert _client(world.prosecutor).get("/proceedings/non-punishment-alerts/").status_code == 403


def test_assets_and_a_closure_are_recorded_on_the_proceedings_page(world):
    proceeding = proceeding_open(actor=world.prosecutor, court_file_number="PP-8", case_ids=[world.adult.pk],
                                 investigation_on=dt.date(2026, 6, 2))
    client = _client(world.prosecutor)
    page = f"/proceedings/{proceeding.pk}/"
    early = client.post(page, {"action": "asset", "asset_action": "frozen", "amount": "250.50", "on": "2026-05-01"})
    assert early.status_code == 400 and 'value="250.50"' in early.content.decode()
    assert "before the investigation" in early.content.decode()
    done = client.post(page, {"action": "asset", "asset_action": "confiscated", "amount": "250.50",
                              "on": "2026-06-05"}, follow=True).content.decode()
    assert "Confiscated" in done and "250.50" in done
    requested = client.post(page, {"action": "closure", "premises": "Bar Nowhere", "requested_on": "2026-06-06"},
                            follow=True).content.decode()
    assert "Pending before the judge" in requested
    closure = proceeding.closures.get()
    refused = client.post(page, {"action": "decide", "closure_id": closure.pk, "decision": "granted",
                                 "decided_on": "2026-06-07"})
    assert refused.status_code == 403  # only a judge decides (Art. 17)
