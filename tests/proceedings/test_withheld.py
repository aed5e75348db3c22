"""A proceeding's answers say nothing of a case the reader may not see.

A defendant who is a victim names their case, and the prohibition's articles are copied
from that case's legal state (13.2 tells that the person is a child). A reader on the
proceeding who may not see that case (here the judge and the prosecutor, who are on the
adult victim's team only) is shown such a defendant as one with no case: in the API's reads
and in the answers to writes, and on the page. Recording a defendant with a case the
recorder may not see is refused like a case that does not exist, so that the refusal is no
oracle either. The same holds for the notices a write raises and for separating victims.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nrm.authorities.models import User
from nrm.authorities.roles import Role
from nrm.cases.models import Capacity, Case
from nrm.cases.services import case_assign
from nrm.proceedings.models import Defendant
from tests.api_client import ApiClient
from tests.factories import InstitutionFactory, official, registered_case
from tests.proceedings.conftest import page_client

pytestmark = pytest.mark.django_db

NO_CASE = {"victim_case_id": None, "prohibition_articles": [], "override_recorded": False}


@dataclass
class Hidden:
    judge: User  # named on the adult victim's case, and on no other
    adult: Case  # the police's own cases: on no prosecutor's nor court's team
    child: Case
    proceeding: int  # led by the prosecution, for the world's adult victim


@pytest.fixture
def hidden(world) -> Hidden:
    court = InstitutionFactory(code="court")
    judge = official(Role.JUDGE, court, username="judge")
    case_assign(actor=world.investigator, case=world.adult, institution=court,
                capacity=Capacity.PROCEEDINGS, user=judge)
    grounds = {"reasonable_grounds_on": "2026-06-01"}
    adult = registered_case(world.investigator, given_name="Hidda", birth_date=dt.date(1985, 11, 20),
                            case_facts=grounds)
    child = registered_case(world.investigator, given_name="Hiddchild", birth_date=dt.date(2012, 3, 4),
                            child=True, case_facts=grounds)
    opened = ApiClient(world.prosecutor).post("/proceedings", {
        "court_file_number": "PP-20/26", "case_ids": [world.adult.pk], "investigation_on": "2026-06-02"})
    assert opened.status_code == 201, opened.content
    for user in (judge, world.prosecutor):
        for case in (adult, child):
            assert ApiClient(user).get(f"/cases/{case.pk}").status_code == 404
    return Hidden(judge=judge, adult=adult, child=child, proceeding=opened.json()["id"])


def _police_add(world, hidden, case, name):
    """The police, who may see the case, name it on a defendant they prosecute anyway."""
    answer = ApiClient(world.investigator).post(f"/proceedings/{hidden.proceeding}/defendants", {
        "kind": "natural", "role": "suspect", "name": name, "birth_date": "1985-11-20",
        "victim_case_id": case.pk, "override_ground": "forged documents charge"})
    assert answer.status_code == 201, answer.content
    return answer


def _defendants(answer):
    return {d["name"]: d for d in answer.json()["defendants"]}


def _link(defendant):
    return {k: defendant[k] for k in NO_CASE}


_page = page_client


def _leaks(content: bytes, *cases: Case) -> list[str]:
    """Whatever of the cases an answer shows: a reference, an id named on a defendant, the
    prohibition's articles, an override, the page's sentence."""
    text = content.decode()
    compact = "".join(text.split())
    return ([case.reference for case in cases if case.reference in text]
            + [f'"victim_case_id":{case.pk}' for case in cases if f'"victim_case_id":{case.pk}' in compact]
            + [m for m in ('"13.1"', '"13.2"', '"override_recorded":true') if m in compact]
            + [m for m in ("prosecuted despite",) if m in text])


def test_the_writer_who_may_see_the_case_is_shown_it(world, hidden):
    added = _police_add(world, hidden, hidden.child, "Child Suspect")
    assert _link(_defendants(added)["Child Suspect"]) == {
        "victim_case_id": hidden.child.pk, "prohibition_articles": ["13.1", "13.2"],
        "override_recorded": True}
    assert _leaks(added.content, hidden.child) == [
        f'"victim_case_id":{hidden.child.pk}', '"13.1"', '"13.2"', '"override_recorded":true']


def test_the_judge_reads_a_defendant_on_a_case_they_may_not_see_as_one_with_no_case(world, hidden):
    _police_add(world, hidden, hidden.adult, "Adult Suspect")
    _police_add(world, hidden, hidden.child, "Child Suspect")
    ApiClient(world.investigator).post(f"/proceedings/{hidden.proceeding}/defendants",
                                       {"kind": "natural", "name": "Plain Suspect"})
    for reader in (hidden.judge, world.prosecutor):
        read = ApiClient(reader).get(f"/proceedings/{hidden.proceeding}")
        assert read.status_code == 200
        shown = _defendants(read)
        assert [_link(shown[n]) for n in ("Adult Suspect", "Child Suspect", "Plain Suspect")] == [NO_CASE] * 3
        assert _leaks(read.content, hidden.adult, hidden.child) == []


def test_the_judges_page_shows_no_prohibition_from_a_case_they_may_not_see(world, hidden, settings):
    settings.NRM_DEMO = True
    _police_add(world, hidden, hidden.child, "Child Suspect")
    page = _page(hidden.judge).get(f"/proceedings/{hidden.proceeding}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Child Suspect" in html  # the defendant is the proceeding's, and shown
    assert "prosecuted despite" not in html and hidden.child.reference not in html
    # The police, who see the case, see the prohibition on the same page.
    police = _page(world.investigator).get(f"/proceedings/{hidden.proceeding}/").content.decode()
    assert "prosecuted despite Art. 13.1, 13.2" in police


def test_the_answers_to_writes_withhold_it_too(world, hidden):
    _police_add(world, hidden, hidden.child, "Child Suspect")
    pid = hidden.proceeding
    suspect = Defendant.objects.get(victim_case=hidden.child).pk
    judge, prosecutor = ApiClient(hidden.judge), ApiClient(world.prosecutor)
    writes = [
        (prosecutor, lambda: prosecutor.post(f"/proceedings/{pid}/defendants",
                                             {"kind": "natural", "name": "Another Suspect"})),
        (prosecutor, lambda: prosecutor.post(f"/proceedings/defendants/{suspect}/custody",
                                             {"custody": "detained", "on": "2026-06-10"})),
        (judge, lambda: judge.post(f"/proceedings/{pid}/assets",
                                   {"action": "frozen", "amount": "10.00", "on": "2026-06-05"})),
        (judge, lambda: judge.post(f"/proceedings/{pid}/closures",
                                   {"premises": "Bar Nowhere", "requested_on": "2026-06-06"})),
    ]
    for api, write in writes:
        answer = write()
        assert answer.status_code in (200, 201), answer.content
        assert _link(_defendants(answer)["Child Suspect"]) == NO_CASE
        assert _leaks(answer.content, hidden.child) == []
        assert answer.json() == api.get(f"/proceedings/{pid}").json()


def test_naming_a_case_you_may_not_see_is_refused_like_a_case_that_does_not_exist(world, hidden):
    api = ApiClient(world.prosecutor)
    path = f"/proceedings/{hidden.proceeding}/defendants"
    body = {"kind": "natural", "name": "Probe"}
    for extra in ({}, {"override_ground": "probe"}):
        seen = api.post(path, {**body, **extra, "victim_case_id": hidden.child.pk})
        missing = api.post(path, {**body, **extra, "victim_case_id": 999999})
        assert seen.status_code == missing.status_code == 404
        unseen, absent = seen.json(), missing.json()
        assert unseen["field"] == absent["field"] == "victim_case_id"
        assert unseen["error"] == absent["error"]
        assert unseen["message"].replace(str(hidden.child.pk), "N") == absent["message"].replace("999999", "N")
        assert "13." not in unseen["message"]
    assert not Defendant.objects.filter(proceeding_id=hidden.proceeding).exists()


def test_naming_it_on_the_page_is_refused_like_a_reference_that_does_not_exist(world, hidden, settings):
    settings.NRM_DEMO = True
    client = _page(world.prosecutor)
    form = {"action": "defendant", "kind": "natural", "role": "suspect", "name": "Probe"}
    missing_reference = hidden.child.reference[:-1] + ("0" if hidden.child.reference[-1] != "0" else "1")
    assert not Case.objects.filter(reference=missing_reference).exists()
    seen = client.post(f"/proceedings/{hidden.proceeding}/", {**form, "victim_case_reference": hidden.child.reference})
    missing = client.post(f"/proceedings/{hidden.proceeding}/", {**form, "victim_case_reference": missing_reference})
    assert seen.status_code == missing.status_code == 400
    for answer, reference in ((seen, hidden.child.reference), (missing, missing_reference)):
        html = answer.content.decode()
        assert f"no case {reference} that you may see" in html and "prosecuted despite" not in html
    assert not Defendant.objects.filter(proceeding_id=hidden.proceeding).exists()


def test_the_notices_a_write_raises_answer_only_for_the_victims_you_may_see(world, hidden):
    # The police open a proceeding for the adult the prosecutor sees and for their own case.
    opened = ApiClient(world.investigator).post("/proceedings", {
        "court_file_number": "PP-21/26", "case_ids": [world.adult.pk, hidden.adult.pk],
        "investigation_on": "2026-06-02"})
    assert opened.status_code == 201, opened.content
    set_ = ApiClient(world.prosecutor).post(f"/proceedings/{opened.json()['id']}/sentencing-sessions",
                                            {"session_on": "2026-07-01"})
    assert set_.status_code == 201, set_.content
    assert [n["case_id"] for n in set_.json()] == [world.adult.pk]
    assert hidden.adult.reference.encode() not in set_.content


def test_separating_the_victims_you_see_does_not_tell_whether_others_remain(world, hidden):
    investigator, prosecutor = ApiClient(world.investigator), ApiClient(world.prosecutor)
    alone = investigator.post("/proceedings", {"court_file_number": "PP-22/26", "case_ids": [world.adult.pk],
                                               "investigation_on": "2026-06-02"}).json()["id"]
    with_hidden = investigator.post("/proceedings", {
        "court_file_number": "PP-23/26", "case_ids": [world.adult.pk, hidden.adult.pk],
        "investigation_on": "2026-06-02"}).json()["id"]
    answers = [prosecutor.post(f"/proceedings/{pid}/separations",
                               {"case_ids": [world.adult.pk], "court_file_number": "PP-X"})
               for pid in (alone, with_hidden)]
    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].json() == answers[1].json()
    # The police, who see both victims, may separate one of them.
    split = investigator.post(f"/proceedings/{with_hidden}/separations",
                              {"case_ids": [hidden.adult.pk], "court_file_number": "PP-23/A"})
    assert split.status_code == 201


def test_the_judges_read_costs_the_same_queries_however_many_victims_are_prosecuted(world, hidden):
    api = ApiClient(hidden.judge)

    def counted():
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"/proceedings/{hidden.proceeding}").status_code == 200
        return len(queries)

    _police_add(world, hidden, hidden.adult, "First")
    counted()  # once, so that what is read once per client is read
    few = counted()
    for n in range(3):
        _police_add(world, hidden, hidden.child, f"More {n}")
    assert counted() == few
