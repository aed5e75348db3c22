"""Exchange endpoints: HTCDS export and import, duplicate checks and merges. Thin: parse,
call the service, answer; access and audit happen in the services and selectors, and
their errors (nrm.errors) reach the API's one handler as they are."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import ninja
from django.http import HttpRequest, HttpResponse
from ninja import Query, Schema, Status

from nrm.authorities.models import Institution
from nrm.errors import NotFound
from nrm.exchange import fileformat, jobs
from nrm.exchange.selectors import DUPLICATE_WARNING, duplicates_check, fishing_alerts, merge_pair
from nrm.exchange.services import case_merge, htcds_export

router = ninja.Router(tags=["exchange"])


class ExchangeExportQuery(Schema):
    format: Literal["json", "csv"] = "json"
    with_identity: bool = False


FILE_RESPONSE = {"responses": {200: {"description": "The HTCDS 2.0 file", "content": {
    "application/json": {"schema": {"type": "object"}},
    "text/csv": {"schema": {"type": "string"}}}}}}


@router.get("/exports/htcds", summary="The cases you may see, in IOM's HTCDS 2.0 (audited)",
            openapi_extra=FILE_RESPONSE)
def export_htcds(request: HttpRequest, query: Query[ExchangeExportQuery]) -> HttpResponse:
    content = htcds_export(user=request.user, with_identity=query.with_identity,
                           fmt=query.format)
    response = HttpResponse(content, content_type=fileformat.CONTENT_TYPES[query.format])
    response["Content-Disposition"] = f'attachment; filename="nrm-htcds.{query.format}"'
    response["Cache-Control"] = "no-store"  # personal data stays out of caches (Art. 18)
    return response


class ExchangeImportIn(Schema):
    rows: list[dict[str, Any]]
    institution: str | None = None


class ExchangeImportedOut(Schema):
    source: str
    reference: str
    possible_duplicates: int
    warning: str | None = None


class ExchangeImportJobOut(Schema):
    id: int
    status: str
    rows: int
    rows_done: int
    error: str | None = None
    created: list[ExchangeImportedOut] | None = None


def _institution(code: str | None) -> Institution | None:
    if not code:
        return None
    institution = Institution.objects.filter(code=code).first()
    if institution is None:
        raise NotFound(f"no institution {code!r}", field="institution")
    return institution


def _job_out(job: Any) -> ExchangeImportJobOut:
    created = None
    # The auditor sees a job's progress, never the sender's numbers or the cases made.
    if job.status == job.Status.DONE and not getattr(job, "auditor_view", False):
        created = [ExchangeImportedOut(
            source=item["source"], reference=item["reference"], possible_duplicates=item["possible_duplicates"],
            warning=DUPLICATE_WARNING if item["possible_duplicates"] else None)
            for item in job.results()]
    return ExchangeImportJobOut(id=job.pk, status=job.status, rows=job.rows_total,
                                rows_done=job.rows_done, error=job.error or None,
                                created=created)


@router.post("/imports/htcds", response={202: ExchangeImportJobOut},
             summary="Register cases from another system (HTCDS 2.0 rows) as a background "
                     "job: the whole file is checked first, then stored batch by batch")
def import_htcds(request: HttpRequest, payload: ExchangeImportIn) -> Any:
    job = jobs.import_job_start(actor=request.user, rows=payload.rows,  # type: ignore[arg-type]
                                institution=_institution(payload.institution))
    return Status(202, _job_out(job))


@router.get("/imports/htcds/{job_id}", response=ExchangeImportJobOut,
            summary="An import job's progress, and the cases it registered once done")
def import_htcds_job(request: HttpRequest, job_id: int) -> Any:
    return _job_out(jobs.import_job_get(user=request.user, job_id=job_id))


class ExchangeMergeIn(Schema):
    into: int
    grounds: str


class ExchangeMergeOut(Schema):
    merged: str
    into: str
    decided_at: dt.datetime


@router.post("/cases/{case_id}/merge", response=ExchangeMergeOut,
             summary="Decide that a case is the same person's as another, and merge it")
def merge_case(request: HttpRequest, case_id: int, payload: ExchangeMergeIn) -> Any:
    merge, keep = merge_pair(user=request.user, case_id=case_id, into=payload.into)
    decision = case_merge(actor=request.user, keep=keep, merge=merge,  # type: ignore[arg-type]
                          grounds=payload.grounds)
    return ExchangeMergeOut(merged=merge.reference, into=keep.reference,
                            decided_at=decision.decided_at)


class ExchangeDuplicateCheckIn(Schema):
    case: int  # the case being registered or merged, which the official may change
    given_name: str
    family_name: str
    birth_date: dt.date


class ExchangeDuplicateCheckOut(Schema):
    possible_duplicates: int
    message: str | None = None


# POST, not GET: names and birth dates in a query string end up in proxy and server logs
# (Art. 18); a body does not.
@router.post("/duplicates/check", response=ExchangeDuplicateCheckOut,
             summary="For a case you register or merge: is this person perhaps registered "
                     "elsewhere? Limited per official; fishing alerts the auditor")
def check_duplicates(request: HttpRequest, payload: ExchangeDuplicateCheckIn) -> Any:
    found = duplicates_check(user=request.user, case_id=payload.case,
                             given_name=payload.given_name, family_name=payload.family_name,
                             birth_date=payload.birth_date)
    return ExchangeDuplicateCheckOut(possible_duplicates=found,
                                     message=DUPLICATE_WARNING if found else None)


class ExchangeFishingAlertOut(Schema):
    id: int
    at: dt.datetime
    official: str
    institution: str
    role: str
    detail: dict[str, int]


@router.get("/duplicates/alerts", response=list[ExchangeFishingAlertOut],
            summary="For the auditor: officials who fished with the duplicate check")
def duplicate_alerts(request: HttpRequest) -> Any:
    return [ExchangeFishingAlertOut(
        id=event.id, at=event.at, official=event.actor_username, institution=event.institution,
        role=event.role, detail={k: int(v) for k, v in event.detail.items()})
        for event in fishing_alerts(user=request.user)]
