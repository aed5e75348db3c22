"""The NinjaAPI instance: JSON errors that name the field, one error shape everywhere."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from nrm.api.auth import BearerToken
from nrm.api.parser import PARSE_ERROR_HANDLER, TextSafeParser
from nrm.errors import DomainError, NotAllowed, NotFound

api = NinjaAPI(
    title="NRM API",
    version="1",
    description="The National Referral Mechanism under Law No. 04/L-218. Every request is "
    "authorised by the access policy and recorded in the audit chain.",
    auth=BearerToken(),
    openapi_url="/openapi.json",
    docs_url=None,
    urls_namespace="api-v1",
    parser=TextSafeParser(),
)
api.add_exception_handler(*PARSE_ERROR_HANDLER)  # the parser's refusals in the one shape


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """Every service's refusal, in one JSON shape: {"error", "message", "field"}."""
    if isinstance(exc, (NotFound, NotAllowed)):
        from nrm.web.guard import denied_record

        denied_record(request, exc)
    return api.create_response(request, exc.body(), status=exc.status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in {"body", "payload", "query", "path"}]
        errors.append({"field": ".".join(location), "message": error.get("msg", "invalid")})
    first = errors[0] if errors else {"field": "", "message": "invalid request"}
    return api.create_response(
        request,
        {"error": "invalid", "field": first["field"],
         "message": f"{first['field']}: {first['message']}" if first["field"] else first["message"],
         "errors": errors},
        status=400,
    )


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
    return api.create_response(
        request, {"error": "unauthenticated", "message": "a valid bearer token is required"},
        status=401,
    )


from nrm.api.routes import router as officials_router  # noqa: E402
from nrm.cases.api import router as cases_router  # noqa: E402
from nrm.exchange.api import router as exchange_router  # noqa: E402
from nrm.proceedings.api import router as proceedings_router  # noqa: E402
from nrm.referrals.api import router as referrals_router  # noqa: E402
from nrm.screening.api import router as screening_router  # noqa: E402

# Each domain app keeps its endpoints in its own api.py as a ninja Router.
for router in (officials_router, cases_router, screening_router, referrals_router, exchange_router,
               proceedings_router):
    api.add_router("/", router)

from nrm.returns.api import router as returns_router  # noqa: E402

api.add_router("/", returns_router)

from nrm.compensation.api import router as compensation_router  # noqa: E402

api.add_router("/", compensation_router)

from nrm.shelters.api import router as shelters_router  # noqa: E402

api.add_router("/", shelters_router)
