from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error the API answers as JSON: {"error", "message", "field"?}."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        return body


class NotFound(ApiError):
    """Also the answer to "forbidden" for records: whether a record exists is itself private."""

    status = 404
    code = "not_found"


class Forbidden(ApiError):
    status = 403
    code = "forbidden"
