"""Errors of the exchange services; each names the field (and, for files, the row)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    row: int  # 1 = the first case in the file (for CSV, the line after the header)
    field: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, field {self.field}: {self.reason}"


class ImportRejected(ValueError):
    """The whole file is refused: nothing was stored. `errors` lists every fault found."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(f"import rejected, nothing stored: {len(errors)} error(s)")


class ExchangeError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class NotAllowed(PermissionError):
    """The actor may not do this. For a case, also when it is not visible to them, so that
    whether a case exists is not revealed (missing and forbidden answer the same)."""
