"""The removal check: "may a removal of this person be carried out on date D?" (31.3).

An officer of the ministry for foreigners or the border police asks it of a person known
to them by name and birth date, or by document number; both are matched by keyed hashes
(the duplicate check's person key, and this app's document key), never by the values.
The answer is one of three sentences, in English as the law's record (pages say it in the
reader's language), and nothing else: no case, no stage, and when there
is no bar, no hint whether the person is in NRM at all (Art. 18). A match with no bar and
no match take the same path: the same queries, the same number of the engine's
assessments (padded with a fixed decoy), so neither the body nor the time tells them apart.

Every check is audited with keyed hashes of what was asked; checks are limited per
officer, and many different people checked with few removals ordered, or one person
checked on date after date, is fishing: the officer is refused for the window and the
auditor alerted (removal_check.fishing).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.audit.models import AuditEvent
from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.authorities.roles import Role
from nrm.cases.legal import contributed_facts, law_facts
from nrm.cases.models import Case
from nrm.cases.services import person_match_key
from nrm.crypto.keyring import keyed_hash
from nrm.errors import Invalid, NotAllowed, TooManyRequests
from nrm.law import LawError, assess
from nrm.law.versions import FIRST_DAY_IN_FORCE as LAW_IN_FORCE
from nrm.returns.models import DocumentKey, RemovalOrder
from nrm.returns.services import DOCUMENT, document_key, document_normalise

CHECKING_ROLES = frozenset({Role.FOREIGNERS_OFFICER, Role.POLICE_INVESTIGATOR})
# Every check assesses this many cases, real or decoy, so the work does not say how many
# cases matched (a person with more cases than this is assessed in full).
SLOTS = 3
NO_MATCH = "0" * 64  # a key no keyed hash equals: what is looked up when a detail is missing
NO_BAR = "no bar recorded"
# SAME_PERSON_DATES: dates tried for one person in the window before it is fishing. A
# standing bar on a child's return ends on the 18th birthday, so dates tried one after
# another for the same document number would find a birth date the officer does not hold.
DEFAULTS = {"WINDOW_SECONDS": 3600, "LIMIT": 60, "DISTINCT": 15, "SAME_PERSON_DATES": 4}
# A decoy in the shape of a foreigner's case, assessed when fewer cases matched than SLOTS.
DECOY = {"person": {"birth_date": "1990-01-01", "citizenship": "AL", "asylum_requested": False},
         "case": {"reasonable_grounds_on": "2026-01-01", "located": "kosovo",
                  "reflection": {"start": "2026-01-01", "days": 30}}}


def limit(name: str) -> int:
    """NRM_REMOVAL_CHECK_<name> from the settings, else the default above."""
    return int(getattr(settings, f"NRM_REMOVAL_CHECK_{name}", DEFAULTS[name]))


@dataclass(frozen=True)
class Answer:
    on: dt.date
    answer: str
    barred: bool
    until: dt.date | None
    articles: tuple[str, ...]


def _bar(assessment: dict[str, Any]) -> tuple[tuple[str, ...], dt.date | None, bool]:
    """The articles of the removal bars on the day assessed: standing ones (refoulement,
    a child's return) or the deportation bar's last day."""
    standing: list[str] = []
    until: dt.date | None = None
    for item in assessment["prohibitions"]:
        if item["code"] in ("refoulement", "child_return"):
            standing.append(item["article"])
        elif item["code"] == "deportation" and item["until"]:
            day = dt.date.fromisoformat(item["until"])
            until = day if until is None else max(until, day)
    return tuple(standing), until, bool(standing or until)


def _answer(on: dt.date, assessments: list[dict[str, Any]]) -> Answer:
    standing: list[str] = []
    until: dt.date | None = None
    for assessment in assessments:
        articles, last, _barred = _bar(assessment)
        standing += [a for a in articles if a not in standing]
        if last is not None:
            until = last if until is None else max(until, last)
    if standing:
        return Answer(on, f"no removal (Art. {', '.join(standing)})", True, None, tuple(standing))
    if until is not None:
        after = until + dt.timedelta(days=1)
        return Answer(on, f"no removal before {after.isoformat()} (Art. 31.3)", True, after, ("31.3",))
    return Answer(on, NO_BAR, False, None, ())


# Dates tried for one identifier (the name and birth date, or the document number) are
# remembered this long, each identifier on its own: a made-up name beside a real document
# number, or a new window, would otherwise let a binary search over dates find the day a
# child's bar ends, and so the birth date (35.1.5).
PERSON_DATES_SECONDS = 30 * 24 * 3600


def _dates_tried(*, user: Any, components: tuple[str, ...], on: dt.date) -> int:
    """Remember `on` for each identifier given; the most dates tried for any of them."""
    most = 0
    for component in components:
        if component == NO_MATCH:
            continue
        key = f"nrm:removal:dates:{user.pk}:{component}"
        dates = set(cache.get(key, ())) | {on.isoformat()}
        cache.set(key, sorted(dates), timeout=PERSON_DATES_SECONDS)
        most = max(most, len(dates))
    return most


def _admit(*, user: Any, acting: access.Acting, lookup: str, on: dt.date,
           components: tuple[str, ...] = ()) -> None:
    """Count the check, or refuse it (429); fishing alerts the auditor."""
    window = limit("WINDOW_SECONDS")
    checks_key, blocked_key = f"nrm:removal:checks:{user.pk}", f"nrm:removal:blocked:{user.pk}"
    refused = TooManyRequests(_("too many removal checks; try again later"), field="on")
    # The same queries on every path: the removals this officer recorded in the window.
    since = timezone.now() - dt.timedelta(seconds=window)
    removals = RemovalOrder.objects.filter(recorded_by=user, recorded_at__gte=since).count()
    if cache.get(blocked_key):
        record(actor=user, action="removal_check.refused", purpose="removal check", acting=acting,
               detail={"lookup": lookup, "reason": "fishing"})
        raise refused
    now = time.time()
    history = [entry for entry in cache.get(checks_key, []) if entry[0] > now - window]
    history.append((now, lookup, on.isoformat()))
    cache.set(checks_key, history, timeout=window)
    distinct = {entry[1] for entry in history}
    dates_tried = max(len({entry[2] for entry in history if entry[1] == lookup}),
                      _dates_tried(user=user, components=components, on=on))
    if len(distinct) > limit("DISTINCT") + removals or dates_tried > limit("SAME_PERSON_DATES"):
        cache.set(blocked_key, True, timeout=window)
        record(actor=user, action="removal_check.fishing", purpose="removal check", acting=acting,
               detail={"checks": len(history), "distinct_lookups": len(distinct),
                       "same_person_dates": dates_tried, "removals_ordered": removals,
                       "window_seconds": window})
        raise refused
    if len(history) > limit("LIMIT"):
        record(actor=user, action="removal_check.refused", purpose="removal check", acting=acting,
               detail={"lookup": lookup, "reason": "limit"})
        raise refused


def _day(value: dt.date | str | None) -> tuple[dt.date | None, bool]:
    """A date as given (a date, or text from a form or a JSON body), and whether it parsed."""
    if value is None or value == "":
        return None, True
    if isinstance(value, dt.date):
        return value, True
    try:
        return dt.date.fromisoformat(str(value).strip()), True
    except ValueError:
        return None, False


def removal_check(*, user: Any, on: dt.date | str | None, given_name: str = "",
                  family_name: str = "", birth_date: dt.date | str | None = None,
                  document_number: str = "") -> Answer:
    """Answer the removal check; bad input is refused naming the field, and audited too
    (dates arrive as given, so that a malformed one is refused here, after its trace)."""
    if not access.national_allows(user, Action.VIEW, Kind.REMOVAL_CHECK):
        raise NotAllowed(_("only the ministry for foreigners and the border police make removal checks"))
    acting = access.acting(user, roles=CHECKING_ROLES)
    on = _day(on)[0]  # a malformed date is a missing one: "give the date"
    birth_date, birth_ok = _day(birth_date)
    given_name, family_name = (given_name or "").strip(), (family_name or "").strip()
    names_key = person_match_key(given_name, family_name, birth_date) or NO_MATCH
    number = document_normalise(document_number)
    doc_key = document_key(number) if number else NO_MATCH
    lookup = keyed_hash("removal-check", f"{names_key}|{doc_key}")
    refusal: Invalid | None = None
    if on is None:
        refusal = Invalid("on", _("give the date of the removal (YYYY-MM-DD)"))
    elif on < LAW_IN_FORCE:
        refusal = Invalid("on", _("the law applies from %(date)s: give a removal date from then on")
                          % {"date": LAW_IN_FORCE.isoformat()})
    elif not birth_ok:
        refusal = Invalid("birth_date", _("give the birth date as YYYY-MM-DD"))
    elif number and not DOCUMENT.match(number):
        refusal = Invalid("document_number", _("a document number is 5 to 20 letters and digits"))
    elif names_key == NO_MATCH and not number:
        missing = next((name for name, value in (("given_name", given_name), ("family_name", family_name),
                                                  ("birth_date", birth_date)) if not value),
                       "document_number")
        refusal = Invalid(missing, _("give the name and birth date, or a document number"))
    if refusal is not None:
        # Audited before the refusal, in its own transaction: a malformed check leaves its trace.
        record(actor=user, action="removal_check", purpose="removal check", acting=acting,
               detail={"lookup": lookup, "refused": refusal.field})
        raise refusal
    if on is None:  # refused above; said again for the type checker
        raise Invalid("on", _("give the date of the removal (YYYY-MM-DD)"))
    _admit(user=user, acting=acting, lookup=lookup, on=on, components=(names_key, doc_key))
    # Read without the policy, on purpose: the point is to find bars on cases the officer
    # may not see; what leaves this function is the answer, never a record.
    documents = DocumentKey.objects.filter(key=doc_key).values("person_id")
    matched = list(Case.objects.filter(Q(person__match_key=names_key) | Q(person__in=documents))
                   .select_related("person").order_by("pk"))
    ids = [case.pk for case in matched] + [-1] * (SLOTS - len(matched))
    contributed = contributed_facts(ids)
    assessments = []
    for case in matched:
        try:
            assessments.append(assess(law_facts(case, contributed.get(case.pk, {})), on).to_dict())
        except LawError:
            continue  # facts the engine cannot read bar nothing; the case team sees the error
    for _slot in range(SLOTS - len(matched)):
        try:  # the same work, and the same answer, whether a case matched or not
            assess(DECOY, on).to_dict()
        except LawError:
            continue
    answer = _answer(on, assessments)
    record(actor=user, action="removal_check", purpose="removal check", acting=acting,
           detail={"lookup": lookup, "on": on.isoformat(), "barred": answer.barred})
    return answer


def fishing_alerts(*, user: Any) -> list[AuditEvent]:
    """The auditor's alerts of officers fishing with the removal check, newest first."""
    if not access.national_allows(user, Action.VIEW, Kind.AUDIT_LOG):
        raise NotAllowed(_("only the auditor sees the audit log"))
    return list(AuditEvent.objects.filter(action="removal_check.fishing").order_by("-id")[:200])
