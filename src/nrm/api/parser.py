"""The API's JSON parser: a body holding a lone surrogate or NUL is refused with a 400 that
names the field path, before any handler or database sees it (see nrm.web.unicode)."""

from __future__ import annotations

import json
from typing import Any, cast

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.parser import Parser

from nrm.errors import DomainError, Invalid
from nrm.web.unicode import first_fault


class TextSafeParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        try:
            data = json.loads(request.body)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise Invalid("body", _("not valid JSON (%(reason)s)") % {
                "reason": getattr(error, "msg", "not UTF-8")}) from None
        found = first_fault(data)
        if found:
            raise Invalid(found[0] or "body", found[1])
        return cast(dict[str, Any], data)


def on_unparsable(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja wraps whatever the parser raises in an HttpError(400); a refusal of the kit's
    is answered in the kit's one shape instead ({"error", "message", "field"})."""
    cause = exc.__cause__
    if isinstance(cause, DomainError):
        return JsonResponse(cause.body(), status=cause.status)
    return JsonResponse({"error": "invalid" if exc.status_code == 400 else "error",
                         "message": str(exc)}, status=exc.status_code)


# For NinjaAPI.add_exception_handler in nrm.api.app.
PARSE_ERROR_HANDLER = (HttpError, on_unparsable)
