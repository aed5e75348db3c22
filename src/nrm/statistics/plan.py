"""The action plan (8.4.2, 48.2) and training (9.5, 11.6): reads and writes.

Training counts are of officials, never of victims, so they are shown as they are; the
action plan holds no personal data at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.authorities.models import Institution
from nrm.errors import Conflict, Invalid, NotAllowed, NotFound
from nrm.statistics.models import Activity, Attendance, FrontLineStaff


def _allowed(user: Any, action: Action) -> None:
    if not access.allows(user, action, Kind.ACTION_PLAN):
        raise NotAllowed("the action plan and training are kept by the National Coordinator "
                         "and read by the secretariat's analysts", field="user")


def activities_list(*, user: Any, on: dt.date) -> QuerySet[Activity]:
    """Every activity, with `overdue` computed in the query: past deadline and not completed."""
    _allowed(user, Action.VIEW)
    return (Activity.objects.select_related("objective__strategy", "responsible")
            .annotate(overdue=Q(completed_on__isnull=True, deadline__lt=on)))


def activities_overdue(*, user: Any, on: dt.date) -> QuerySet[Activity]:
    return activities_list(user=user, on=on).filter(completed_on__isnull=True, deadline__lt=on)


@transaction.atomic
def activity_progress_report(*, actor: Any, activity_id: int, version: int, progress: Decimal,
                             on: dt.date, completed: bool = False) -> Activity:
    _allowed(actor, Action.CHANGE)
    activity = Activity.objects.select_for_update().filter(pk=activity_id).first()
    if activity is None:
        raise NotFound("no such activity", field="activity")
    if activity.version != version:
        raise Conflict("the activity was changed since it was read; reload it", field="version")
    if progress < 0:
        raise Invalid("progress", "progress cannot be negative")
    activity.progress = progress
    activity.progress_reported_on = on
    activity.completed_on = on if completed else None
    activity.version = F("version") + 1
    activity.save(update_fields=["progress", "progress_reported_on", "completed_on", "version"])
    record(actor=actor, action="update", record_type="statistics.activity", records=[activity],
           fields=["progress", "progress_reported_on", "completed_on"])
    activity.refresh_from_db()
    return activity


@dataclass(frozen=True)
class Coverage:
    institution: str
    trained: int
    officials: int | None

    @property
    def share(self) -> float | None:
        if not self.officials:
            return None
        return min(1.0, self.trained / self.officials)


def training_coverage(*, user: Any, on: dt.date, years: int = 3) -> list[Coverage]:
    """Per institution: officials trained in the last `years` years over its front-line staff.

    Trained is the sum of attendance lines (an official at two sessions counts twice), so the
    share is capped at one; the staff is the latest count the institution reported.
    """
    _allowed(user, Action.VIEW)
    since = on.replace(year=on.year - years) if not (on.month == 2 and on.day == 29) \
        else on.replace(year=on.year - years, day=28)
    trained = (Attendance.objects.filter(institution=OuterRef("pk"), session__held_on__gt=since,
                                         session__held_on__lte=on)
               .order_by().values("institution").annotate(n=Sum("participants")).values("n"))
    staff = (FrontLineStaff.objects.filter(institution=OuterRef("pk"), year__lte=on.year)
             .order_by("-year").values("officials")[:1])
    rows = (Institution.objects.annotate(trained=Subquery(trained), officials=Subquery(staff))
            .filter(Q(trained__isnull=False) | Q(officials__isnull=False))
            .order_by("code").values("code", "trained", "officials"))
    return [Coverage(institution=r["code"], trained=r["trained"] or 0, officials=r["officials"])
            for r in rows]
