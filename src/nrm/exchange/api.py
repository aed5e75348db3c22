"""Exchange endpoints: HTCDS export and import, duplicate checks and merges. Thin: parse,
call the service, answer; access and audit happen in the services and selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import ninja
from django.http import HttpRequest, HttpResponse
from ninja import Query, Schema, Status

from nrm.api.errors import ApiError, Forbidden, NotFound
from nrm.authorities import access
from nrm.exchange import fileformat
from nrm.exchange.errors import ExchangeError, ImportRejected, NotAllowed
from nrm.exchange.selectors import DUPLICATE_WARNING, duplicates_check
from nrm.exchange.services import case_merge, htcds_export, htcds_import

router = ninja.Router(tags=["exchange"])


class ExportQuery(Schema):
    format: Literal["json", "csv"] = "json"
    with_identity: bool = False


@router.get("/exports/htcds", summary="The cases you may see, in IOM's HTCDS 2.0 (audited)")
def export_htcds(request: HttpRequest, query: Query[ExportQuery]) -> HttpResponse:
    try:
        content = htcds_export(user=request.user, with_identity=query.with_identity,
                               fmt=query.format)
    except NotAllowed as error:
        raise Forbidden(str(error), field="with_identity") from error
    response = HttpResponse(content, content_type=fileformat.CONTENT_TYPES[query.format])
    response["Content-Disposition"] = f'attachment; filename="nrm-htcds.{query.format}"'
    response["Cache-Control"] = "no-store"  # personal data stays out of caches (Art. 18)
    return response


class ImportIn(Schema):
    rows: list[dict[str, Any]]
    institution: str | None = None


class RowErrorOut(Schema):
    row: int
    field: str
    message: str


class ImportedOut(Schema):
    source: str
    reference: str
    possible_duplicates: int
    warning: str | None = None


class ImportOut(Schema):
    created: list[ImportedOut]


class ImportRejectedError(ApiError):
    code = "invalid"

    def __init__(self, rejected: ImportRejected) -> None:
        super().__init__(f"{rejected}; first: {rejected.errors[0]}", field=rejected.errors[0].field)
        self.errors = rejected.errors

    def body(self) -> dict[str, Any]:
        return super().body() | {"errors": [
            {"row": e.row, "field": e.field, "message": e.reason} for e in self.errors]}


@router.post("/imports/htcds", response={201: ImportOut},
             summary="Register cases from another system (HTCDS 2.0 rows); all or none")
def import_htcds(request: HttpRequest, payload: ImportIn) -> Any:
    from nrm.authorities.models import Institution

    institution = None
    if payload.institution:
        institution = Institution.objects.filter(code=payload.institution).first()
        if institution is None:
            raise ApiError(f"institution: no institution {payload.institution!r}",
                           field="institution")
    try:
        imported = htcds_import(actor=request.user, rows=payload.rows,  # type: ignore[arg-type]
                                institution=institution)
    except ImportRejected as rejected:
        raise ImportRejectedError(rejected) from rejected
    except NotAllowed as error:
        raise Forbidden(str(error)) from error
    return Status(201, {"created": [
        {"source": i.source_number, "reference": i.case.reference,
         "possible_duplicates": i.possible_duplicates,
         "warning": DUPLICATE_WARNING if i.possible_duplicates else None}
        for i in imported]})


class MergeIn(Schema):
    into: int
    grounds: str


class MergeOut(Schema):
    merged: str
    into: str
    decided_at: dt.datetime


@router.post("/cases/{case_id}/merge", response=MergeOut,
             summary="Decide that a case is the same person's as another, and merge it")
def merge_case(request: HttpRequest, case_id: int, payload: MergeIn) -> Any:
    cases = access.cases(request.user, access.Action.CHANGE)
    merge = cases.filter(pk=case_id).first()
    keep = cases.filter(pk=payload.into).first()
    if merge is None:
        raise NotFound(f"case {case_id} not found")
    if keep is None:
        raise NotFound(f"into: case {payload.into} not found", field="into")
    try:
        decision = case_merge(actor=request.user, keep=keep, merge=merge,  # type: ignore[arg-type]
                              grounds=payload.grounds)
    except ExchangeError as error:
        raise ApiError(str(error), field=error.field) from error
    except NotAllowed as error:
        raise NotFound(str(error)) from error
    return {"merged": merge.reference, "into": keep.reference, "decided_at": decision.decided_at}


class DuplicateCheckIn(Schema):
    given_name: str
    family_name: str
    birth_date: dt.date


class DuplicateCheckOut(Schema):
    possible_duplicates: int
    message: str | None = None


# POST, not GET: names and birth dates in a query string end up in proxy and server logs
# (Art. 18); a body does not.
@router.post("/duplicates/check", response=DuplicateCheckOut,
             summary="For registration forms: is this person perhaps registered elsewhere?")
def check_duplicates(request: HttpRequest, payload: DuplicateCheckIn) -> Any:
    try:
        found = duplicates_check(user=request.user, given_name=payload.given_name,
                                 family_name=payload.family_name, birth_date=payload.birth_date)
    except NotAllowed as error:
        raise Forbidden(str(error)) from error
    return {"possible_duplicates": found, "message": DUPLICATE_WARNING if found else None}
