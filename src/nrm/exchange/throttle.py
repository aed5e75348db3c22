"""The duplicate check is no lookup service: checks are limited per official, and fishing
for a person's data (the same names with dates tried one after another, or many people
looked up in a short while) refuses further checks for the window and alerts the auditor.

A check answers a count across institutions the official may not see (Art. 18), so each
answer leaks a bit: 365 checks with one name and every day of a year would give a child's
birth date. Kept in Django's cache (settings.CACHES): only keyed hashes, never names.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from nrm.audit.services import record
from nrm.errors import TooManyRequests

# The limits are settings (nrm.conf.settings): NRM_DUPLICATE_CHECK_WINDOW_SECONDS, the
# window every limit counts in; _LIMIT, checks an official may make in it; _DISTINCT,
# distinct lookups before it is fishing; _SAME_NAMES, dates tried with one person's names
# that are fishing.


def limit(name: str) -> int:
    return int(getattr(settings, f"NRM_DUPLICATE_CHECK_{name}"))


def _keys(user: Any) -> tuple[str, str]:
    return f"nrm:duplicates:checks:{user.pk}", f"nrm:duplicates:blocked:{user.pk}"


def admit(*, user: Any, acting: Any, names: str, lookup: str) -> None:
    """Count this check (`names` and `lookup` are keyed hashes), or refuse it with 429."""
    window = limit("WINDOW_SECONDS")
    checks_key, blocked_key = _keys(user)
    refused = TooManyRequests(_("too many duplicate checks; try again later"), field="case")
    if cache.get(blocked_key):
        record(actor=user, action="duplicates.refused", purpose="duplicate check",
               acting=acting, detail={"lookup": lookup, "reason": "fishing"})
        raise refused
    now = time.time()
    history = [entry for entry in cache.get(checks_key, []) if entry[0] > now - window]
    history.append((now, names, lookup))
    cache.set(checks_key, history, timeout=window)
    dates_tried = {entry[2] for entry in history if entry[1] == names}
    distinct = {entry[2] for entry in history}
    if (len(dates_tried) >= limit("SAME_NAMES")
            or len(distinct) > limit("DISTINCT")):
        cache.set(blocked_key, True, timeout=window)
        # The auditor's alert: who fished, as which membership, and the pattern (counts
        # only; the lookups are keyed hashes).
        record(actor=user, action="duplicates.fishing", purpose="duplicate check",
               acting=acting, detail={"checks": len(history), "distinct_lookups": len(distinct),
                                      "same_names_dates": len(dates_tried),
                                      "window_seconds": window})
        raise refused
    if len(history) > limit("LIMIT"):
        record(actor=user, action="duplicates.refused", purpose="duplicate check",
               acting=acting, detail={"lookup": lookup, "reason": "limit"})
        raise refused
