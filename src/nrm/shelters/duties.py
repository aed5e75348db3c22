"""The shelter's duty before a stay's lawful end (docs/law-readings.md, reading 18, "The end of a stay").

The law engine gives a stay its lawful end (the `until` of `shelter_accommodation`) and
raises `accommodation_overstay` once it has passed; it names no obligation to act before.
This duty source does: while the person is still in the stay and the stay has a lawful
end, the institution providing it owes preparing the end of the stay, or seeking its
extension (23.7), PREPARE_DAYS before that end. It reads only the case's law facts and the
engine's assessment, so the nightly sweep raises it in bulk as it raises the law's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_noop

from nrm.cases.legal import DutySource, SourcedDuty
from nrm.law import Assessment

PREPARE_END_OF_STAY = "prepare_end_of_stay"
# A week: time to seek an extension on one of the bases of 23.7 (a doctor's opinion, the
# prosecutor's need, the victim's request) or to arrange where the person goes next.
PREPARE_DAYS = 7
# Of the entitlements the engine returns for one stay, the most specific provision wins:
# a child's (38.8), a pregnant woman's (23.8), anyone's (23.6).
SPECIFIC_FIRST = ("38.8", "23.8", "23.6")


def _left_on(facts: dict[str, Any]) -> dt.date | None:
    left = ((facts.get("case") or {}).get("accommodation") or {}).get("left_on")
    return dt.date.fromisoformat(left) if left else None


def end_of_stay_duties(facts: dict[str, Any], assessment: Assessment, on: dt.date) -> list[SourcedDuty]:
    left = _left_on(facts)
    if left is not None and left <= on:
        return []  # the person has left: nothing to prepare
    stays = {str(e.article): e for e in assessment.entitlements if e.code == "shelter_accommodation"}
    stay = next((stays[a] for a in SPECIFIC_FIRST if a in stays), None)
    if stay is None:
        stay = next(iter(stays.values()), None)  # a provision a later law version may add
    if stay is None or stay.until is None:
        return []  # no stay, or no fixed end (proceedings under way): nothing ends yet
    due = stay.until - dt.timedelta(days=PREPARE_DAYS)
    if stay.from_ is not None and due < stay.from_:
        due = stay.from_  # a stay shorter than the notice: due on admission
    return [SourcedDuty(PREPARE_END_OF_STAY, str(stay.article), due)]


SOURCE = DutySource(
    name="shelters",
    owners={PREPARE_END_OF_STAY: ("service_provider", "case_management")},
    labels={PREPARE_END_OF_STAY: gettext_noop("Prepare the end of the stay, or seek its extension")},
    duties=end_of_stay_duties,
)
