"""The domain's errors: one kit for every app, one JSON shape for the API, one page answer.

Services raise these; the API answers them as `{"error", "message", "field"}` with the
status each names (nrm.api.app), and pages as 404, 403 or a message naming the field
(nrm.web.guard). Missing and not visible are the same error on purpose: whether a record
exists is itself private (Art. 18).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


class DomainError(Exception):
    """A request refused; nothing was stored. `field` names the dotted field at fault."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "invalid"

    def __init__(self, message: str = "", *, field: str = "") -> None:
        self.message = message
        self.field = field
        super().__init__(f"{field}: {message}" if field and message else message or field)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.code, "message": str(self)}
        if self.field:
            body["field"] = self.field
        return body


class Invalid(DomainError, ValueError):
    """The content of a write is refused: `Invalid(field, message)`."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)


class NotFound(DomainError, LookupError):
    """No such record, or not one this official may see."""

    status = 404
    code = "not_found"


class NotAllowed(DomainError, PermissionError):
    """The record is visible, but the official's role may not do this to it."""

    status = 403
    code = "forbidden"


class Conflict(DomainError):
    """Someone changed the record since it was read: refused, never silently lost."""

    status = 409
    code = "conflict"


class PreconditionFailed(DomainError):
    status = 412
    code = "precondition_failed"


class PreconditionRequired(DomainError):
    status = 428
    code = "precondition_required"


class TooManyRequests(DomainError):
    status = 429
    code = "too_many_requests"


class ActingUnclear(DomainError):
    """The official holds several memberships that could act here and chose none."""

    status = 409
    code = "acting_unclear"


# --- Errors with a shape of their own ---------------------------------------------------

class CaseNotFound(NotFound):
    def __init__(self, case_id: object) -> None:
        super().__init__(f"case {case_id} not found")
        self.case_id = case_id


class StaleVersion(PreconditionFailed):
    """The case changed since the caller read it: their write would lose someone else's."""

    def __init__(self, current: int) -> None:
        from django.utils.translation import gettext as _

        super().__init__(_("the case is at version %(version)s; read it again and re-apply the change")
                         % {"version": current}, field="If-Match")
        self.current = current


# --- Exchange (HTCDS import, duplicate checks, merges) ----------------------------------

@dataclass(frozen=True)
class RowError:
    """One fault of an imported file: row 1 is its first case (in CSV, the line after the
    header), `field` the HTCDS field, `reason` what is wrong."""

    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, field {self.field}: {self.reason}"


class ImportRejected(Invalid):
    """The whole file is refused before anything is stored; `errors` lists every fault."""

    def __init__(self, errors: list[RowError]) -> None:
        from django.utils.translation import gettext as _

        self.errors = errors
        first = errors[0] if errors else RowError(0, "*", "")
        super().__init__(first.field, _("import rejected, nothing stored: %(count)s error(s); "
                                        "first: %(first)s") % {"count": len(errors), "first": first})

    def body(self) -> dict[str, Any]:
        return super().body() | {"errors": [
            {"row": e.row, "field": e.field, "message": e.reason} for e in self.errors]}


# --- Screening -------------------------------------------------------------------------

class ScreeningError(Invalid):
    """A screening refused for its content."""


class UnknownIndicator(ScreeningError):
    pass


class IndicatorFromOtherList(ScreeningError):
    pass


class FutureDate(ScreeningError):
    pass


class ListNotInForce(ScreeningError):
    pass
