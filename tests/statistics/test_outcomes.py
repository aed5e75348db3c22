"""Returns and compensation outcomes in the national figures: counted over the Coordinator's
population, through the release's disclosure control, never below k."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from nrm.authorities.roles import Role
from nrm.compensation.models import Claim, ClaimDecision
from nrm.returns.models import ReflectionPeriod, ReturnPlan, ReturnStatus
from nrm.statistics.dashboard import national_figures
from nrm.statistics.models import Release
from tests.factories import InstitutionFactory, official
from tests.statistics.attacker import intervals
from tests.statistics.conftest import cases

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 12, 1)


def _returned(case, recorder, institution, *, day, assessed):
    return ReturnPlan.objects.create(
        case=case, recorded_by=recorder, recorded_by_institution=institution, destination="AL",
        planned_on=day, wants_to_return=True, risk_assessed=assessed,
        status=ReturnStatus.CARRIED_OUT, carried_out_on=day)


def _reflection(case, recorder, institution, *, day):
    return ReflectionPeriod.objects.create(case=case, recorded_by=recorder,
                                           recorded_by_institution=institution, start=day,
                                           days=30, granted_by=institution)


def _decided(case, recorder, institution, commission, *, day, decision, amount):
    claim = Claim.objects.create(
        case=case, commission=commission, claimant="victim", claimant_name="x", basis="state_compensation",
        filed_on=day, time_runs_from=day, filed_by=recorder, filed_by_institution=institution)
    if decision:
        ClaimDecision.objects.create(claim=claim, decision=decision, amount=Decimal(amount),
                                     article="43", reason="r", decided_on=day,
                                     decided_by_institution=commission)
    return claim


@pytest.fixture
def recorded(police_institution):
    recorder = official(Role.POLICE_INVESTIGATOR, police_institution)
    commission = InstitutionFactory(code="KKV")
    made = cases(police_institution, 30, year=2025)
    demo = cases(police_institution, 6, year=2025, demo=True)
    for case in made[:8]:
        _returned(case, recorder, police_institution, day=dt.date(2025, 5, 1), assessed=True)
    for case in made[8:10]:  # two returns with no risk assessment: below k
        _returned(case, recorder, police_institution, day=dt.date(2025, 6, 1), assessed=False)
    for case in made[10:17]:
        _reflection(case, recorder, police_institution, day=dt.date(2025, 4, 1))
    for case in made[17:23]:
        _decided(case, recorder, police_institution, commission, day=dt.date(2025, 9, 1),
                 decision="full", amount="1000.00")
    for case in made[23:25]:  # two refusals, and three additional awards in 2026: below k
        _decided(case, recorder, police_institution, commission, day=dt.date(2025, 9, 2),
                 decision="refused", amount="0")
    for case in made[25:28]:
        _decided(case, recorder, police_institution, commission, day=dt.date(2026, 2, 2),
                 decision="additional", amount="777.00")
    later = cases(police_institution, 30, year=2026)  # a second year, so a small cell's
    for case in later[:9]:  # complements can be found among other small-enough cells
        _returned(case, recorder, police_institution, day=dt.date(2026, 5, 1), assessed=True)
    for case in later[9:15]:
        _returned(case, recorder, police_institution, day=dt.date(2026, 6, 1), assessed=False)
    for case in later[15:25]:
        _reflection(case, recorder, police_institution, day=dt.date(2026, 4, 1))
    for case in later[25:30]:
        _decided(case, recorder, police_institution, commission, day=dt.date(2027, 1, 5),
                 decision="full", amount="1000.00")
    for case in demo:  # demo cases are never counted
        _returned(case, recorder, police_institution, day=dt.date(2025, 5, 1), assessed=True)
        _decided(case, recorder, police_institution, commission, day=dt.date(2026, 2, 2),
                 decision="additional", amount="4321.00")
    return made


def _figures(user):
    return national_figures(user=user, on=ON, recipient="test", channel="test")


def test_the_figures_equal_a_plain_count_where_they_are_shown(recorded, coordinator):
    figures = _figures(coordinator)
    returns = figures.returns.counts
    assert returns[("Total", "return_assessed")] == ReturnPlan.objects.filter(
        case__demo=False, risk_assessed=True).count() == 17
    assert returns[("2026", "reflection_granted")] == ReflectionPeriod.objects.filter(
        case__demo=False, start__year=2026).count() == 10
    assert figures.claims_filed.counts[("2025",)] == Claim.objects.filter(
        case__demo=False, filed_on__year=2025).count() == 8
    assert figures.compensation.counts[("Total", "full")] == 11
    assert figures.awarded[0] == ("2025", 6, Decimal("6000"))
    assert figures.awarded[2] == ("2027", 5, None)  # not ended: see the differencing test


def test_a_decision_an_appeal_replaced_is_not_counted(recorded, coordinator):
    first = ClaimDecision.objects.filter(decision="full", decided_on__year=2025).first()
    appeal = ClaimDecision.objects.create(
        claim=first.claim, decision="refused", amount=Decimal("0"), article="43", reason="r",
        decided_on=dt.date(2025, 9, 3), decided_by_institution=first.decided_by_institution,
        replaces=first)
    assert not ClaimDecision.objects.get(pk=first.pk).in_force and appeal.in_force
    figures = _figures(coordinator)
    assert figures.compensation.counts[("Total", "full")] == 10
    assert figures.awarded[0] == ("2025", 5, Decimal("5000"))


def test_a_small_category_is_hidden_and_cannot_be_recovered_from_the_release(
        recorded, coordinator):
    figures = _figures(coordinator)
    for protected, small in ((figures.returns, ("2025", "return_not_assessed")),
                             (figures.compensation, ("2025", "refused")),
                             (figures.compensation, ("2026", "additional"))):
        assert protected.counts[small] is None
        found = intervals([(protected.table.dims, protected.counts)])
        low, high = found[protected.table.canonical(small)]
        assert high - low >= 5 - 1e-6, (small, low, high)
        assert 0 < protected.table.value(small) < 5


def test_the_sum_awarded_is_hidden_below_k_claims(recorded, coordinator):
    awarded = dict((year, total) for year, _n, total in _figures(coordinator).awarded)
    assert awarded["2026"] is None  # three claims of 777: one would name its claimant


def test_an_award_added_between_two_releases_cannot_be_read_from_their_difference(
        recorded, coordinator, police_institution):
    # The attack: read the sums, wait for one more award, read again; the difference would
    # be that award. A year still open is never published, and an ended year's sum is
    # rounded, so a late correction to one award (an appeal) is not readable either.
    recorder = official(Role.POLICE_INVESTIGATOR, police_institution)
    commission = Claim.objects.first().commission
    for case in cases(police_institution, 2, year=2026):  # 2026 now has k awards
        _decided(case, recorder, police_institution, commission, day=dt.date(2026, 10, 1),
                 decision="full", amount="1000.00")
    before = _figures(coordinator).awarded
    newcomer = cases(police_institution, 1, year=2026)[0]
    _decided(newcomer, recorder, police_institution, commission, day=dt.date(2026, 11, 30),
             decision="full", amount="2345.00")
    first = ClaimDecision.objects.filter(decision="full", decided_on__year=2025).first()
    ClaimDecision.objects.create(
        claim=first.claim, decision="full", amount=Decimal("1200.00"), article="43",
        reason="appeal", decided_on=dt.date(2025, 12, 1),
        decided_by_institution=first.decided_by_institution, replaces=first)
    after = _figures(coordinator).awarded
    assert [(year, total) for year, _n, total in after] == [
        (year, total) for year, _n, total in before]
    assert dict((year, total) for year, _n, total in after)["2026"] is None


def test_a_sum_one_award_dominates_is_hidden_however_many_make_it_up(
        recorded, coordinator, police_institution):
    recorder = official(Role.POLICE_INVESTIGATOR, police_institution)
    commission = Claim.objects.first().commission
    for case in cases(police_institution, 5, year=2024):
        _decided(case, recorder, police_institution, commission, day=dt.date(2024, 3, 3),
                 decision="full", amount="100.00")
    big = cases(police_institution, 1, year=2024)[0]
    _decided(big, recorder, police_institution, commission, day=dt.date(2024, 3, 4),
             decision="full", amount="90000.00")
    awarded = dict((year, total) for year, _n, total in _figures(coordinator).awarded)
    assert awarded["2024"] is None  # the sum, less a little, is the one large award
    assert awarded["2025"] == Decimal("6000")


def test_the_release_hash_covers_the_new_figures(recorded, coordinator):
    first = _figures(coordinator)
    ReturnPlan.objects.filter(risk_assessed=True).first().delete()
    _figures(coordinator)
    digests = list(Release.objects.order_by("pk").values_list("output_sha256", flat=True))
    assert first.release_id and len(set(digests)) == 2


@pytest.fixture
def page(settings):
    settings.NRM_DEMO = True

    def sign_in(role):
        client = Client()
        client.force_login(official(role, is_demo=True))
        return client
    return sign_in


def test_the_dashboard_and_the_report_show_the_outcomes_with_the_same_marks(recorded, page):
    client = page(Role.NATIONAL_COORDINATOR)
    for url in (reverse("statistics:dashboard"), reverse("statistics:annual_report", args=[2025])):
        html = client.get(url).content.decode()
        assert re.search(r"<td>2026</td><td>Reflection period granted</td><td>10</td>", html)
        assert re.search(r"<td>Return carried out, no risk assessment</td><td>suppressed</td>",
                         html)
        assert re.search(r"<td>2025</td><td>6000.00</td>", html)
        assert re.search(r"<td>2026</td><td>suppressed</td>", html)
        assert "777" not in html and "4321" not in html


@pytest.mark.parametrize("role", [Role.POLICE_INVESTIGATOR, Role.SOCIAL_WORKER, Role.AUDITOR])
def test_no_other_role_reaches_the_outcomes(recorded, page, role):
    client = page(role)
    assert client.get(reverse("statistics:dashboard")).status_code == 403
    assert client.get(reverse("statistics:annual_report", args=[2025])).status_code == 403
    assert not Release.objects.exists()


def test_assets_are_published_by_ended_year_so_one_new_confiscation_changes_nothing(
        recorded, coordinator, police_institution):
    from nrm.proceedings.models import Asset, Proceeding

    def confiscated(on, amount):
        proceeding = Proceeding.objects.create(court_file_number="PP", institution=police_institution,
                                               investigation_on=on)
        Asset.objects.create(proceeding=proceeding, action="confiscated", amount=Decimal(amount),
                             description="d", on=on)

    for _ in range(5):
        confiscated(dt.date(2025, 3, 1), "1000.00")
    for _ in range(4):
        confiscated(dt.date(2026, 3, 1), "1000.00")
    before = _figures(coordinator).assets
    confiscated(dt.date(2026, 11, 30), "7531.00")  # the fifth of the open year
    after = _figures(coordinator).assets
    assert before == after == [("2025", "confiscated", 5, Decimal("5000"))]
