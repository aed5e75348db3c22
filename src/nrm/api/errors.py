"""Transitional names for the error kit in nrm.errors; removed once no router uses them."""

from __future__ import annotations

from nrm.errors import DomainError as ApiError
from nrm.errors import NotAllowed as Forbidden
from nrm.errors import NotFound

__all__ = ["ApiError", "Forbidden", "NotFound"]
