"""Errors of the referral services; each names the field it is about, for the API and forms."""

from __future__ import annotations


class ReferralError(ValueError):
    """Invalid input: `field` is the argument at fault; nothing was stored."""

    status = 400

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class VersionConflict(ReferralError):
    """Someone else changed the record since it was read: refused, never silently lost."""

    status = 409


class NotAllowed(PermissionError):
    """The actor's role or institution may not do this to a record they may see."""


class RecordNotFound(LookupError):
    """No such record, or not one this user may see: the two answers are the same on purpose."""
