"""Returns and compensation outcomes in the national figures: counted over the Coordinator's
population, through the release's disclosure control, never below k."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from nrm.authorities.roles import Role
from nrm.compensation.models import Claim, ClaimDecision
from nrm.proceedings.models import Asset, Proceeding
from nrm.returns.models import ReflectionPeriod, ReturnPlan, ReturnStatus
from nrm.statistics.dashboard import national_figures
from nrm.statistics.models import Release
from tests.factories import InstitutionFactory, official
from tests.statistics.attacker import intervals
from tests.statistics.conftest import cases

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 12, 1)  # the day of the release, and "today" when a record is entered late


def _entered(day):
    """Enter records on this day (at noon, local time): the sums go by the year a record
    was entered, so each is entered on its own day unless a test says otherwise."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=ZoneInfo("Europe/Belgrade")),
                               tick=False)


def _returned(case, recorder, institution, *, day, assessed):
    return ReturnPlan.objects.create(
        case=case, recorded_by=recorder, recorded_by_institution=institution, destination="AL",
        planned_on=day, wants_to_return=True, risk_assessed=assessed,
        status=ReturnStatus.CARRIED_OUT, carried_out_on=day)


def _reflection(case, recorder, institution, *, day):
    return ReflectionPeriod.objects.create(case=case, recorded_by=recorder,
                                           recorded_by_institution=institution, start=day,
                                           days=30, granted_by=institution)


def _decided(case, recorder, institution, commission, *, day, decision, amount, entered=None):
    with _entered(entered or day):
        claim = Claim.objects.create(
            case=case, commission=commission, claimant="victim", claimant_name="x",
            basis="state_compensation", filed_on=day, time_runs_from=day, filed_by=recorder,
            filed_by_institution=institution)
        if decision:
            ClaimDecision.objects.create(claim=claim, decision=decision, amount=Decimal(amount),
                                         article="43", reason="r", decided_on=day,
                                         decided_by_institution=commission)
    return claim


def _appeal(first, *, day, decision, amount, entered=None):
    """A decision on appeal replacing `first`, decided on `day`, entered on `entered`."""
    with _entered(entered or day):
        return ClaimDecision.objects.create(
            claim=first.claim, decision=decision, amount=Decimal(amount), article="43",
            reason="appeal", decided_on=day, decided_by_institution=first.decided_by_institution,
            replaces=first)


def _asset(institution, *, on, amount, proceeding=None, entered=None, action="confiscated"):
    """An asset of `proceeding` (a new one by default) dated `on`, entered on `entered`."""
    with _entered(entered or on):
        if proceeding is None:
            proceeding = Proceeding.objects.create(court_file_number="PP", institution=institution,
                                                   investigation_on=on)
        Asset.objects.create(proceeding=proceeding, action=action, amount=Decimal(amount),
                             description="d", on=on)
    return proceeding


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


def _figures(user, on=ON):
    return national_figures(user=user, on=on, recipient="test", channel="test")


def _published(awarded):
    """The award sums as the page shows them: the year and the sum (or suppressed)."""
    return [(year, total) for year, _n, total in awarded]


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
    # The appeal is entered in 2025, the year of the decision it replaces: the year ended
    # with the refusal standing. (One entered after the year ended is the next test's.)
    first = ClaimDecision.objects.filter(decision="full", decided_on__year=2025).first()
    appeal = _appeal(first, day=dt.date(2025, 9, 3), decision="refused", amount="0")
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
    _appeal(first, day=dt.date(2025, 12, 1), decision="full", amount="1200.00",
            entered=dt.date(2026, 11, 30))
    after = _figures(coordinator).awarded
    assert _published(after) == _published(before)
    assert dict((year, total) for year, _n, total in after)["2026"] is None


def _five_and_one_in_2024(police_institution, *, small: str, big: str):
    """Five claims awarded `small` and one awarded `big` in 2024; the big one's claim."""
    recorder = official(Role.POLICE_INVESTIGATOR, police_institution)
    commission = Claim.objects.first().commission
    for case in cases(police_institution, 5, year=2024):
        _decided(case, recorder, police_institution, commission, day=dt.date(2024, 3, 3),
                 decision="full", amount=small)
    return _decided(cases(police_institution, 1, year=2024)[0], recorder, police_institution,
                    commission, day=dt.date(2024, 3, 4), decision="full", amount=big)


def test_a_sum_one_award_dominates_is_hidden_however_many_make_it_up(
        recorded, coordinator, police_institution):
    _five_and_one_in_2024(police_institution, small="100.00", big="90000.00")
    awarded = dict((year, total) for year, _n, total in _figures(coordinator).awarded)
    assert awarded["2024"] is None  # the sum, less a little, is the one large award
    assert awarded["2025"] == Decimal("6000")


def test_a_claim_with_two_awards_is_one_contributor_to_the_dominance_rule(
        recorded, coordinator, police_institution):
    # A full and an additional award on one claim, neither above 85 % of the year's sum,
    # are together 89 % of it: by row the sum was shown, and it is that claimant's award.
    claim = _five_and_one_in_2024(police_institution, small="2000.00", big="40000.00")
    commission = claim.commission
    with _entered(dt.date(2024, 5, 6)):
        ClaimDecision.objects.create(claim=claim, decision="additional", amount=Decimal("40000.00"),
                                     article="44", reason="r", decided_on=dt.date(2024, 5, 6),
                                     decided_by_institution=commission)
    assert _figures(coordinator).awarded[0] == ("2024", 6, None)


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
    for _ in range(5):
        _asset(police_institution, on=dt.date(2025, 3, 1), amount="1000.00")
    for _ in range(4):
        _asset(police_institution, on=dt.date(2026, 3, 1), amount="1000.00")
    before = _figures(coordinator).assets
    _asset(police_institution, on=dt.date(2026, 11, 30), amount="7531.00")  # the open year's fifth
    after = _figures(coordinator).assets
    assert before == after == [("2025", "confiscated", 5, Decimal("5000"))]


def test_one_proceeding_split_into_many_assets_is_one_contributor_to_the_dominance_rule(
        recorded, coordinator, police_institution):
    # The attack: ten assets of 9,000 EUR in one proceeding beside four proceedings of
    # 100 EUR. No asset is above 85 % of the 90,400, so a rule by row published "90000",
    # and that is one proceeding's confiscation (99.6 %), naming its defendant.
    big = None
    for _ in range(10):
        big = _asset(police_institution, on=dt.date(2025, 6, 1), amount="9000.00", proceeding=big)
    for _ in range(4):
        _asset(police_institution, on=dt.date(2025, 6, 2), amount="100.00")
    assert _figures(coordinator).assets == [("2025", "confiscated", 5, None)]
    # The same proceeding at most 85 % of the sum is shown: by contributors, not by rows.
    for _ in range(4):
        _asset(police_institution, on=dt.date(2025, 6, 3), amount="4000.00")
    assert _figures(coordinator).assets == [("2025", "confiscated", 9, Decimal("106000"))]


def test_an_asset_dated_back_into_an_ended_year_changes_no_published_figure(
        recorded, coordinator, police_institution):
    # The attack: enter today an asset dated in 2025, a year already published; the two
    # releases would differ by exactly that asset. It counts in the year it was entered.
    old = None
    for _ in range(5):
        old = _asset(police_institution, on=dt.date(2025, 3, 1), amount="1000.00")
    _asset(police_institution, on=dt.date(2025, 3, 1), amount="1000.00", action="seized")
    for _ in range(4):
        _asset(police_institution, on=dt.date(2026, 3, 1), amount="1000.00")
    before = _figures(coordinator).assets
    assert before == [("2025", "confiscated", 5, Decimal("5000")), ("2025", "seized", 1, None)]
    _asset(police_institution, on=dt.date(2025, 7, 1), amount="5000.00", entered=ON)
    _asset(police_institution, on=dt.date(2025, 7, 1), amount="4000.00", entered=ON,
           proceeding=old)
    for _ in range(5):  # a seized cell of an ended year reaching k today stays hidden
        _asset(police_institution, on=dt.date(2025, 7, 2), amount="3000.00", action="seized",
               entered=ON)
    assert _figures(coordinator).assets == before
    # They are published with 2026, once it has ended: counted once, never dropped.
    assert _figures(coordinator, on=dt.date(2027, 1, 4)).assets == [
        *before, ("2026", "confiscated", 6, Decimal("13000")), ("2026", "seized", 5, Decimal("15000"))]


def test_a_decision_dated_back_or_an_appeal_entered_after_the_year_changes_no_published_sum(
        recorded, coordinator, police_institution):
    # The attack: enter today a decision of a session held in 2025 (sessions may be
    # recorded after their day), or an appeal that replaces a 2025 award; the 2025 sum of
    # the two releases would differ by that award. 2025 is summed as it stood at its end.
    recorder = official(Role.POLICE_INVESTIGATOR, police_institution)
    commission = Claim.objects.first().commission
    before = _figures(coordinator).awarded
    assert _published(before)[0] == ("2025", Decimal("6000"))
    late = cases(police_institution, 1, year=2025)[0]
    _decided(late, recorder, police_institution, commission, day=dt.date(2025, 12, 20),
             decision="full", amount="3000.00", entered=ON)
    first = ClaimDecision.objects.filter(decision="full", decided_on__year=2025).first()
    _appeal(first, day=dt.date(2025, 12, 22), decision="full", amount="5000.00", entered=ON)
    second = ClaimDecision.objects.filter(decision="full", decided_on__year=2025,
                                          replaced_by__isnull=True).exclude(claim=first.claim)[1]
    _appeal(second, day=dt.date(2026, 11, 2), decision="refused", amount="0", entered=ON)
    assert _published(_figures(coordinator).awarded) == _published(before)
    # 2026, once ended, counts what was entered in it: the late award and the appeal's
    # (the refusal awards nothing), beside the three additional awards of 777.
    awarded = _figures(coordinator, on=dt.date(2027, 6, 1)).awarded
    assert awarded[:2] == [("2025", 6, Decimal("6000")), ("2026", 5, Decimal("10000"))]


def test_the_release_hash_covers_the_euro_sums(recorded, coordinator):
    _figures(coordinator)
    award = ClaimDecision.objects.filter(decision="full", created_at__year=2025).first()
    ClaimDecision.objects.filter(pk=award.pk).update(amount=Decimal("9000.00"))  # a correction
    figures = _figures(coordinator)
    assert dict((y, t) for y, _n, t in figures.awarded)["2025"] != Decimal("6000")
    digests = list(Release.objects.order_by("pk").values_list("output_sha256", flat=True))
    assert len(set(digests)) == 2
