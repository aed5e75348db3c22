from __future__ import annotations

from django.utils.translation import gettext as _


class CaseError(ValueError):
    """A write refused for its content; `field` names the dotted field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


class DecisionNotAllowed(PermissionError):
    """The official's role may not take this decision on this case (e.g. 12.1)."""


class StaleVersion(Exception):
    """The case changed since the caller read it: their write would lose someone else's."""

    def __init__(self, current: int) -> None:
        super().__init__(_("the case is at version %(version)s; read it again and re-apply the change")
                         % {"version": current})
        self.current = current
