"""The response rule: each write answers with what the same official's read shows; reads of
personal data are audited with exactly the fields shown."""

from __future__ import annotations

import pytest

from nrm.audit.models import AuditEvent
from tests.api_client import ApiClient

pytestmark = pytest.mark.django_db


def test_every_proceeding_write_answers_what_the_read_then_shows(world):
    api = ApiClient(world.prosecutor)
    opened = api.post("/proceedings", {"court_file_number": "PP-4/26", "case_ids": [world.adult.pk, world.child.pk],
                                       "investigation_on": "2026-06-02"})
    pid = opened.json()["id"]
    writes = [
        lambda: api.post(f"/proceedings/{pid}/defendants", {"kind": "natural", "name": "Suspect Three"}),
        lambda: api.post(f"/proceedings/{pid}/withdrawals", {"case_id": world.child.pk,
                                                             "withdrawn_on": "2026-06-09"}),
        lambda: api.post(f"/proceedings/{pid}/assets", {"action": "frozen", "amount": "99.99",
                                                        "on": "2026-06-05"}),
        lambda: api.patch(f"/proceedings/{pid}", {"stage": "prosecution", "prosecution_on": "2026-06-10"},
                          HTTP_IF_MATCH='"1"'),
    ]
    for write in writes:
        answer = write()
        assert answer.status_code in (200, 201), answer.content
        assert answer.json() == api.get(f"/proceedings/{pid}").json()


def test_reads_of_measures_and_interviews_are_audited_with_the_fields_shown(world):
    api = ApiClient(world.prosecutor)
    api.post(f"/cases/{world.adult.pk}/protection-measures", {
        "kind": "no_visual_contact", "article": "15.3", "ordered_on": "2026-06-10"})
    api.post(f"/cases/{world.adult.pk}/interviews", {"held_on": "2026-06-03", "interviewer": "A"})
    measures = api.get(f"/cases/{world.adult.pk}/protection-measures").json()
    event = AuditEvent.objects.filter(action="read", record_type="proceedings.protectionmeasure").last()
    assert set(event.fields) == set(measures[0]) - {"id", "case_id", "proceeding_id", "version"}
    interviews = api.get(f"/cases/{world.adult.pk}/interviews").json()
    event = AuditEvent.objects.filter(action="read", record_type="proceedings.interview").last()
    assert set(event.fields) == set(interviews[0]) - {"id", "case_id", "proceeding_id", "institution", "exceptional"}
    # A refused probe leaves a trace.
    ApiClient(world.social_worker).get(f"/cases/{world.adult.pk}/protection-measures")
    assert AuditEvent.objects.filter(action="denied", actor=world.social_worker).exists()


def test_a_proceeding_shows_each_reader_only_the_victims_whose_case_they_may_see(world):
    from nrm.authorities.roles import Role
    from nrm.cases.models import Capacity
    from nrm.cases.services import case_assign
    from tests.factories import InstitutionFactory, official

    office = InstitutionFactory(code="advocacy")
    advocate = official(Role.VICTIM_ADVOCATE, office, username="advocate")
    case_assign(actor=world.investigator, case=world.adult, institution=office,
                capacity=Capacity.CASE_MANAGEMENT, user=advocate)
    pid = ApiClient(world.prosecutor).post("/proceedings", {
        "court_file_number": "PP-6/26", "case_ids": [world.adult.pk, world.child.pk],
        "investigation_on": "2026-06-02"}).json()["id"]
    seen = ApiClient(advocate).get(f"/proceedings/{pid}")
    assert [v["case_id"] for v in seen.json()["victims"]] == [world.adult.pk]
    assert world.child.reference.encode() not in seen.content
    # The advocate sees, but may not change it.
    assert ApiClient(advocate).post(f"/proceedings/{pid}/sentencing-sessions",
                                    {"session_on": "2026-07-01"}).status_code == 403


def test_the_proceedings_list_and_the_notices_read_in_a_fixed_number_of_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = ApiClient(world.prosecutor)

    def counted(path):
        with CaptureQueriesContext(connection) as queries:
            assert api.get(path).status_code == 200
        return len(queries)

    def add():
        pid = api.post("/proceedings", {"court_file_number": "PP-Q", "case_ids": [world.adult.pk, world.child.pk],
                                        "investigation_on": "2026-06-02"}).json()["id"]
        api.post(f"/proceedings/{pid}/sentencing-sessions", {"session_on": "2026-07-01"})

    add()
    few = (counted("/proceedings"), counted("/proceedings/notices"))
    for _ in range(3):
        add()
    assert (counted("/proceedings"), counted("/proceedings/notices")) == few
