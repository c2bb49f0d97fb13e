"""The REST API under /api/v1: one NinjaAPI, one router per app (see each app's api.py).

Every endpoint needs a caller (a bearer token or the web session) and answers errors as
``{"detail": "...", "errors": {"field": ["reason"]}}``: 401 unauthenticated, 404 for what does
not exist or the caller may not see, 409 for an id that cannot be used, 412 for a PATCH whose
``If-Match`` names a version that is no longer stored, 422 for invalid input.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.openapi.schema import OpenAPISchema

from heedful.accounts.api import router as accounts_router
from heedful.billing.api import router as billing_router
from heedful.book.api import router as book_router
from heedful.catalog.api import router as catalog_router
from heedful.coaching.api import router as coaching_router
from heedful.core.api_auth import AUTHENTICATION_REQUIRED, BearerToken, SessionLogin
from heedful.core.exceptions import (
    IdNotAvailable,
    InvalidInput,
    NotAllowed,
    NotFound,
    StaleVersion,
)
from heedful.events.api import router as events_router
from heedful.expenses.api import router as expenses_router
from heedful.forecasts.api import router as forecasts_router
from heedful.interactions.api import router as interactions_router
from heedful.meetings.api import router as meetings_router
from heedful.orders.api import router as orders_router
from heedful.plays.api import router as plays_router
from heedful.programs.api import router as programs_router
from heedful.sales.api import router as sales_router
from heedful.support.api import router as support_router
from heedful.visits.api import router as visits_router


class HeedfulAPI(NinjaAPI):
    """Builds its OpenAPI description once per process: the routes never change after start,
    and building it for 108 operations took 0.4-0.8 s on a quiet machine, several seconds
    under load, on each visit to /api/v1/docs."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None,
    ) -> OpenAPISchema:
        key = (path_prefix, tuple(sorted((path_params or {}).items())))
        built: dict[Any, OpenAPISchema] = self.__dict__.setdefault("_built_schemas", {})
        if key not in built:
            built[key] = super().get_openapi_schema(
                path_prefix=path_prefix, path_params=path_params
            )
        return built[key]  # read by the docs and the schema's tests, never changed


api = HeedfulAPI(
    title="Heedful API",
    version="1",
    description="Customer accounts and every record on them, as the caller may see them. "
    "Authenticate with `Authorization: Bearer <token>` (`heedful token create USERNAME`).",
    urls_namespace="api",
    auth=[BearerToken(), SessionLogin()],
    # /api/v1/docs works offline: Swagger UI comes from django-ninja's static files, and
    # it asks no outside validator about the schema.
    docs=Swagger(settings={"validatorUrl": None}),
)

for router in (
    accounts_router, catalog_router, billing_router, support_router, orders_router,
    interactions_router, meetings_router, sales_router, plays_router, book_router,
    forecasts_router, expenses_router, coaching_router, visits_router, events_router,
    programs_router,
):
    api.add_router("", router)


def _error(
    request: HttpRequest, status: int, detail: str, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


def not_found_anywhere(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    """A JSON 404 for an address under /api/v1/ that no endpoint serves."""
    return _error(request, 404, "There is no such address in the API; see /api/v1/docs.")


@api.exception_handler(NotFound)
def not_found(request: HttpRequest, error: NotFound) -> HttpResponse:
    return _error(request, 404, str(error))


@api.exception_handler(NotAllowed)
def not_allowed(request: HttpRequest, error: NotAllowed) -> HttpResponse:
    return _error(request, 403, str(error))


@api.exception_handler(InvalidInput)
def invalid_input(request: HttpRequest, error: InvalidInput) -> HttpResponse:
    summary = "; ".join(f"{name}: {reasons[0]}" for name, reasons in error.errors.items())
    return _error(request, 422, f"{error} {summary}".strip(), error.errors)


@api.exception_handler(IdNotAvailable)
def id_not_available(request: HttpRequest, error: IdNotAvailable) -> HttpResponse:
    return _error(request, 409, str(error), error.errors)


@api.exception_handler(StaleVersion)
def stale_version(request: HttpRequest, error: StaleVersion) -> HttpResponse:
    response = _error(request, 412, str(error))
    response["ETag"] = f'"{error.current_version}"'
    return response


@api.exception_handler(SchemaValidationError)
def invalid_schema(request: HttpRequest, error: SchemaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for item in error.errors:
        location = [str(part) for part in item.get("loc", ())]
        while location and location[0] in {"body", "query", "path", "payload", "params"}:
            location.pop(0)
        errors.setdefault(".".join(location) or "__all__", []).append(str(item.get("msg")))
    return invalid_input(request, InvalidInput("The input is not valid.", errors))


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    detail = AUTHENTICATION_REQUIRED if error.message == "Unauthorized" else error.message
    response = _error(request, 401, detail)
    response["WWW-Authenticate"] = 'Bearer realm="heedful"'
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return _error(request, error.status_code, error.message)
