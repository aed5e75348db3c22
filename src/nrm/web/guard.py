"""The one decorator for pages: signed in, and the domain's errors answered alike everywhere.

A record missing or not visible answers 404, one visible but not permitted 403, and a
membership left unclear sends the official to choose it in the header. Each refusal is
audited, so that probing leaves a trace (Art. 18).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from nrm.errors import ActingUnclear, NotAllowed, NotFound


def denied_record(request: HttpRequest, error: Exception) -> None:
    """Audit a refused request: who, what path, which refusal; never the values sent."""
    from nrm.audit.services import record

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    record(actor=user, action="denied", purpose=request.method or "",
           detail={"path": request.path[:200], "error": getattr(error, "code", type(error).__name__)})


def guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            denied_record(request, error)
            raise Http404 from None
        except ActingUnclear as error:
            denied_record(request, error)
            messages.error(request, error.message)
            return redirect(request.META.get("HTTP_REFERER") or "web:home")
        except NotAllowed as error:
            denied_record(request, error)
            raise PermissionDenied(str(error)) from None

    return login_required(wrapper)
