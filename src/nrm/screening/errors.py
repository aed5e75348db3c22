"""Errors of the screening services; each names the field it is about."""

from __future__ import annotations


class ScreeningError(ValueError):
    """Invalid input to a screening service; `field` is the argument at fault."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")


class UnknownIndicator(ScreeningError):
    pass


class IndicatorFromOtherList(ScreeningError):
    pass


class FutureDate(ScreeningError):
    pass


class ListNotInForce(ScreeningError):
    pass


class NotAllowed(PermissionError):
    """The actor may not do this; also raised when the record is not visible to them, so
    that whether a case exists is not revealed (the "missing" and "forbidden" answers are
    the same)."""
