"""Screening a case and deciding reasonable grounds (Art. 3.1.17, 9.2, 12.2, 20.5)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from nrm.audit.models import AuditEvent
from nrm.authorities.roles import Role
from nrm.cases.models import Case
from nrm.errors import (
    CaseNotFound,
    FutureDate,
    IndicatorFromOtherList,
    ListNotInForce,
    ScreeningError,
    UnknownIndicator,
)
from nrm.screening.models import Decision, Indicator, IndicatorList, Screening
from nrm.screening.selectors import screening_grounds, screening_list
from nrm.screening.services import screening_decide, screening_record
from tests.factories import official, registered_case

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def shipped() -> IndicatorList:
    return IndicatorList.objects.get(code="ilo-eu-2009")


def codes(indicator_list, audience, exploitation, dimension, strength, n):
    found = list(indicator_list.indicators.filter(
        audience=audience, exploitation=exploitation, dimension=dimension, strength=strength,
    ).order_by("code").values_list("code", flat=True)[:n])
    assert len(found) == n
    return found


def trafficked_adult(lst):
    return (codes(lst, "adult", "labour", "deceptive_recruitment", "strong", 1)
            + codes(lst, "adult", "labour", "deceptive_recruitment", "medium", 1)
            + codes(lst, "adult", "labour", "exploitative_conditions", "medium", 3)
            + codes(lst, "adult", "labour", "coercion_at_destination", "strong", 2))


@pytest.fixture
def team():
    """A police investigator who registered a case, and one from elsewhere who did not."""
    investigator = official(Role.POLICE_INVESTIGATOR)
    outsider = official(Role.POLICE_INVESTIGATOR)
    return investigator, outsider, registered_case(investigator)


def screen(actor, case, lst, observed, **kwargs):
    args = dict(actor=actor, case=case, list=lst, observed=observed, screened_on=TODAY,
                audience="adult", exploitation="labour")
    return screening_record(**(args | kwargs))


def test_a_team_member_may_screen_the_case_but_an_official_not_on_the_team_may_not(team, shipped):
    investigator, outsider, case = team
    screening = screen(investigator, case, shipped, trafficked_adult(shipped))
    assert screening.meets_threshold is True
    assert screening.institution == investigator.memberships.get().institution
    with pytest.raises(CaseNotFound):
        screen(outsider, case, shipped, trafficked_adult(shipped))
    assert Screening.objects.count() == 1


def test_officials_see_the_screenings_of_cases_they_may_view_only(team, shipped):
    investigator, outsider, case = team
    screening = screen(investigator, case, shipped, trafficked_adult(shipped))
    assert list(screening_list(user=investigator)) == [screening]
    assert list(screening_list(user=outsider)) == []


def test_the_advice_names_each_element_and_an_adult_without_means_is_below_threshold(team, shipped):
    investigator, _, case = team
    observed = (codes(shipped, "adult", "labour", "coercive_recruitment", "strong", 1)
                + codes(shipped, "adult", "labour", "coercive_recruitment", "medium", 1)
                + codes(shipped, "adult", "labour", "exploitative_conditions", "medium", 2))
    screening = screen(investigator, case, shipped, observed)
    assert screening.result["recruitment"]["positive"] is True
    assert screening.result["exploitation"]["counts"] == {"strong": 0, "medium": 2, "weak": 0}
    assert screening.result["exploitation"]["positive"] is False
    assert screening.meets_threshold is False


def test_a_child_is_screened_on_the_child_list_and_needs_no_means(shipped):
    advocate = official(Role.VICTIM_ADVOCATE)
    case = registered_case(advocate, child=True)
    observed = (codes(shipped, "child", "sexual", "coercive_recruitment", "strong", 2)
                + codes(shipped, "child", "sexual", "exploitative_conditions", "medium", 3))
    with pytest.raises(ScreeningError, match="audience"):
        screen(advocate, case, shipped, observed, exploitation="sexual")
    screening = screen(advocate, case, shipped, observed, audience="child", exploitation="sexual")
    assert screening.meets_threshold is True
    assert screening.result["means"]["required"] is False


def test_deciding_reasonable_grounds_makes_the_person_a_presumed_victim_at_once(team, shipped):
    investigator, _, case = team
    screening = screen(investigator, case, shipped, trafficked_adult(shipped))
    before = AuditEvent.objects.count()
    screening_decide(actor=investigator, screening=screening, decision="reasonable_grounds",
                     grounds="Synthetic grounds: recruited with a false job offer.")
    case = Case.objects.get(pk=case.pk)
    assert case.facts["reasonable_grounds_on"] == "2026-06-15"
    assert case.stage == "presumed_victim"
    screening.refresh_from_db()
    assert (screening.decision, screening.decided_by) == (Decision.REASONABLE_GROUNDS, investigator)
    assert screening.grounds == "Synthetic grounds: recruited with a false job offer."
    events = AuditEvent.objects.filter(id__gt=before).order_by("id")
    assert [(e.action, e.record_type) for e in events] == [
        ("decide", "screening.screening"), ("decide", "cases.case")]
    assert events[1].detail["to"] == "presumed_victim"
    # Through the cases' own write path: a recorded decision, and the legal state at once.
    decision = case.decisions.get()
    assert (decision.from_stage, decision.to_stage, decision.decided_by) == (
        "screening", "presumed_victim", investigator)
    assert f"screening #{screening.pk}" in decision.grounds
    assert case.legal_state.assessment["entitlements"], "rights from the same request (20.5)"
    assert all("false job offer" not in str(e.detail) for e in events)


def test_the_official_decides_whatever_the_advice(team, shipped):
    investigator, _, case = team
    screening = screen(investigator, case, shipped, [])
    assert screening.meets_threshold is False
    screening_decide(actor=investigator, screening=screening, decision="reasonable_grounds",
                     grounds="Synthetic: disclosed in interview.")
    assert Case.objects.get(pk=case.pk).stage == "presumed_victim"


def test_no_reasonable_grounds_leaves_the_case_as_it_was(team, shipped):
    investigator, _, case = team
    screening = screen(investigator, case, shipped, [])
    screening_decide(actor=investigator, screening=screening, decision="no_reasonable_grounds",
                     grounds="Synthetic: no indicator found.")
    case = Case.objects.get(pk=case.pk)
    assert (case.stage, case.facts.get("reasonable_grounds_on")) == ("screening", None)
    with pytest.raises(ScreeningError, match="already decided"):
        screening_decide(actor=investigator, screening=screening, decision="reasonable_grounds",
                         grounds="Synthetic.")


def test_an_official_not_on_the_team_cannot_decide_nor_read_the_grounds(team, shipped):
    investigator, outsider, case = team
    screening = screen(investigator, case, shipped, [])
    with pytest.raises(CaseNotFound):
        screening_decide(actor=outsider, screening=screening, decision="reasonable_grounds",
                         grounds="Synthetic.")
    screening_decide(actor=investigator, screening=screening, decision="no_reasonable_grounds",
                     grounds="Synthetic grounds.")
    assert screening_grounds(user=outsider, screening=screening) is None
    assert screening_grounds(user=investigator, screening=screening) == "Synthetic grounds."
    assert AuditEvent.objects.filter(action="view", fields=["grounds"]).count() == 1


def test_an_unknown_indicator_code_is_refused_naming_the_field(team, shipped):
    investigator, _, case = team
    with pytest.raises(UnknownIndicator, match="^observed: unknown indicator code 'XX-9-99'"):
        screen(investigator, case, shipped, ["XX-9-99"])


def test_an_indicator_of_another_audience_or_exploitation_is_refused(team, shipped):
    investigator, _, case = team
    sexual = codes(shipped, "adult", "sexual", "exploitative_conditions", "medium", 1)
    with pytest.raises(IndicatorFromOtherList, match="^observed:"):
        screen(investigator, case, shipped, sexual)


def test_an_indicator_from_another_list_version_is_refused(team, shipped):
    investigator, _, case = team
    other = IndicatorList.objects.create(code="other", version="1", title="Other", source="test",
                                         adopted_on=dt.date(2020, 1, 1))
    Indicator.objects.create(indicator_list=other, code="OTHER-1", dimension="exploitative_conditions",
                             strength="strong", audience="adult", exploitation="labour", text="x")
    with pytest.raises(IndicatorFromOtherList, match="^observed: OTHER-1 is not on"):
        screen(investigator, case, shipped, ["OTHER-1"])


def test_a_screening_dated_in_the_future_is_refused(team, shipped):
    investigator, _, case = team
    with pytest.raises(FutureDate, match="^screened_on:"):
        screen(investigator, case, shipped, [], screened_on=TODAY + dt.timedelta(days=1))


def test_only_the_list_in_force_on_the_screening_date_may_be_used(team, shipped):
    investigator, _, case = team
    draft = IndicatorList.objects.create(code="draft", version="1", title="Draft", source="test",
                                         adopted_on=dt.date(2020, 1, 1))
    with pytest.raises(ListNotInForce, match="^list:"):
        screen(investigator, case, draft, [])
