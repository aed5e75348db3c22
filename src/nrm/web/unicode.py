"""Text that no database stores alike is refused at the door: lone surrogates and NUL.

A lone surrogate (U+D800 to U+DFFF) is no character: SQLite stores it and then every read
that encodes it fails (one such value made every HTCDS export answer 500), and PostgreSQL
refuses it, as it refuses NUL. Every input is checked with the same rule: the API's
parser (nrm.api.parser), the pages' middleware below, and the import's validation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _


def text_fault(text: str) -> str | None:
    """Why `text` cannot be stored, or None when it can."""
    if "\x00" in text:
        return _("contains a NUL character")
    for char in text:
        if "\ud800" <= char <= "\udfff":
            return _("contains a lone surrogate (U+%(code)04X), which is not a character") % {
                "code": ord(char)}
    return None


def first_fault(value: Any, path: str = "") -> tuple[str, str] | None:
    """(dotted path, reason) of the first bad text in a JSON-like value, keys included."""
    if isinstance(value, str):
        fault = text_fault(value)
        return (path, fault) if fault else None
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and (fault := text_fault(key)):
                return (path or "*", _("a field name %(reason)s") % {"reason": fault})
            if found := first_fault(item, here):
                return found
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            if found := first_fault(item, f"{path}.{index}" if path else str(index)):
                return found
    return None


class UnicodeMiddleware:
    """Refuses a page request whose query or form values (or names) hold bad text, with a
    400 that names the field; before any view can store or echo it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for source in (request.GET, request.POST):
            for name, values in source.lists():
                found = first_fault({name: values})
                if found:
                    field = found[0].rsplit(".", 1)[0] if found[0] != "*" else "*"
                    return HttpResponseBadRequest(f"{field}: {found[1]}".encode(
                        "utf-8", "backslashreplace"), content_type="text/plain; charset=utf-8")
        return self.get_response(request)
