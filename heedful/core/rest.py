"""The shape every REST resource shares: paging, ordering, filtering, and its four endpoints.

Each app's ``api.py`` declares its resources (``Resource``) and ``register`` adds, the same
way for all of them:

- ``GET /<path>``: a page ``{count, limit, offset, items}``, filtered by the resource's
  FilterSchema and sorted by ``ordering`` (a whitelisted name, ``-`` for descending);
- ``GET /<path>/{key}``, ``PATCH /<path>/{key}``: one record by its external id, number or
  id; 404 when the user cannot see it. Both answer the record's version as ``ETag``
  (``heedful.core.versions``); a PATCH with ``If-Match`` is refused with 412 and writes
  nothing when the record changed since (a PATCH without it writes whatever is stored);
- ``POST /<path>``: 201 with the new record; 409 when its id is taken, whether or not the
  caller may see the record that holds it;
- ``DELETE /<path>/{key}``, for a resource that declares ``delete``: 204; 404 when the user
  cannot see it, 403 when they may see it but not delete it.

A resource whose records are history (a forecast submission: a change is a new submission)
says ``is_editable=False`` and has no PATCH.

Endpoints only translate: API field names (those of the CSV formats in CONTRACTS.md) to the
form's field names and back, then call the app's services, which apply the visibility rule
and validate through the app's ModelForm.
"""

import inspect
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.db.models.expressions import Combinable
from django.http import HttpRequest, HttpResponse
from ninja import FilterSchema, Query, Router, Schema, Status
from pydantic import AfterValidator, BeforeValidator, Field, create_model

from heedful.core.api_auth import request_user
from heedful.core.exceptions import InvalidInput, NotFound
from heedful.core.versions import etag_of, lock_if_unchanged
from heedful.lib.text import join_list
from heedful.lib.validators import validate_no_control_characters

MAXIMUM_PAGE_SIZE = 500
MAXIMUM_OFFSET = 10_000_000
"""Beyond every table we hold; larger numbers overflow the databases' 64-bit integers (a 500
before this bound). Filter or sort to reach records further down."""


def _iso_only(value: Any) -> Any:
    """A day or a moment as ISO 8601 text only: pydantic would also read 0 or "1.5" as
    seconds since 1970, which the description (format date, date-time) refuses."""
    if isinstance(value, int | float) or isinstance(value, str) and not _ISO_START.match(value):
        raise ValueError("Use ISO 8601, e.g. 2026-11-30 or 2026-11-30T09:00:00Z.")
    return value


_ISO_START = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}")
Day = Annotated[date, BeforeValidator(_iso_only)]
"""A date filter's value (``?ends_from=2026-12-01``)."""
def _in_utc(value: datetime) -> datetime:
    """A moment as UTC (naive means UTC): the databases take no offset beyond ±15:59."""
    try:
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    except OverflowError:
        raise ValueError("Out of range once in UTC.") from None


Moment = Annotated[datetime, BeforeValidator(_iso_only), AfterValidator(_in_utc)]
"""A timestamp filter's value; without a time zone it is UTC."""


class ListParams(Schema):
    limit: int = Field(25, ge=1, le=MAXIMUM_PAGE_SIZE, description="How many items per page.")
    offset: int = Field(
        0, ge=0, le=MAXIMUM_OFFSET, description="How many items to skip (at most 10,000,000)."
    )


class _ListQuery(Protocol):
    """What a list endpoint reads of its parameters (``register`` builds their schema)."""

    limit: int
    offset: int
    ordering: str | None


class Page(Schema):
    count: int = Field(description="How many items match, over all pages.")
    limit: int
    offset: int


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Per field, the reasons it was refused."
    )


def patch_schema(schema: type[Schema], name: str) -> type[Schema]:
    """The PATCH twin of a create schema: the same fields, each optional; only the fields
    sent are changed."""
    fields: dict[str, Any] = {}
    for field_name, info in schema.model_fields.items():
        assert info.annotation is not None  # pydantic sets it for every declared field
        fields[field_name] = (info.annotation | None, Field(None, description=info.description))
    return create_model(name, __base__=Schema, __module__=schema.__module__, **fields)


@dataclass(frozen=True)
class Resource:
    path: str
    """The URL segment, e.g. ``contacts``."""
    key: str
    """The path parameter naming one record (``external_id``, ``invoice_number``, ``id``),
    passed to the services by the same name."""
    out: type[Schema]
    page: type[Page]
    create_schema: type[Schema]
    patch_schema: type[Schema]
    filters: type[FilterSchema]
    orderings: Mapping[str, str]
    """The names ``ordering`` accepts and the model field each sorts by."""
    get_all: Callable[..., QuerySet[Any]]
    get_or_raise: Callable[..., Model]
    create: Callable[..., Model]
    update: Callable[..., Model]
    form_names: Mapping[str, str] = field(default_factory=dict)
    """API field → form field, where they differ (``account_external_id`` → ``account``)."""
    joined_lists: tuple[str, ...] = ()
    """API list fields stored as one ``;``-separated text (aliases, likes, tags)."""
    is_editable: bool = True
    """Whether PATCH changes a record; False for history, which is added to, never changed
    (``update`` then refuses, for the doors that write without HTTP)."""
    delete: Callable[..., None] | None = None
    """Deletes one record (``user=``, the key by name); None: the API deletes none."""

    @property
    def operation_name(self) -> str:
        return self.path.replace("-", "_")

    def to_form_data(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name, value in payload.items():
            if name in self.joined_lists and isinstance(value, list):
                value = join_list([str(item) for item in value])
            elif isinstance(value, datetime) and value.tzinfo is None:
                value = value.replace(tzinfo=UTC)  # naive timestamps are UTC
            data[self.form_names.get(name, name)] = value
        return data

    def to_api_errors(self, error: InvalidInput) -> InvalidInput:
        api_names = {form_name: api_name for api_name, form_name in self.form_names.items()}
        errors = {api_names.get(name, name): reasons for name, reasons in error.errors.items()}
        return type(error)(str(error), errors)  # the same kind: a taken id stays a 409


def refuse_repeated_parameters(request: HttpRequest) -> None:
    """Every query parameter of a list is one value: ``?status=a&status=b`` is refused (422)
    rather than read as its last value, as the description says (a string, not a list)."""
    repeated = sorted(name for name, values in request.GET.lists() if len(values) > 1)
    if repeated:
        raise InvalidInput(
            "Give each parameter once.",
            {name: ["Give this parameter once."] for name in repeated},
        )


NUL = "\x00"


def query_holds_nul(request: HttpRequest) -> bool:
    """Whether a query parameter holds the NUL character. No stored text holds one (every
    text refuses control characters) and PostgreSQL cannot even be asked, so such a filter
    matches nothing."""
    return any(NUL in value for _name, values in request.GET.lists() for value in values)


def refuse_nul_in_body(values: Mapping[str, Any], *, words: Sequence[str] = ()) -> None:
    """A field whose text holds NUL is refused, in the form's words, before any query reads it
    (PostgreSQL cannot compare text with it); the description's patterns refuse it too."""
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        if name in words:
            continue  # a list of words stored as one text: its form refuses NUL itself
        texts = value if isinstance(value, list) else [value]
        text = ";".join(item for item in texts if isinstance(item, str))
        if NUL in text:
            try:
                validate_no_control_characters(text)
            except ValidationError as error:
                errors[name] = list(error.messages)
    if errors:
        raise InvalidInput("The input is not valid.", errors)


def paginate(
    queryset: QuerySet[Any], *, limit: int, offset: int, ordering: Sequence[str | Combinable]
) -> dict:
    ordering = ordering or list(queryset.query.order_by or queryset.model._meta.ordering)
    items = list(queryset.order_by(*ordering, "pk")[offset : offset + limit])
    return {"count": queryset.count(), "limit": limit, "offset": offset, "items": items}


def _with_key(view: Callable[..., Any], resource: Resource, *, payload: Any = None) -> None:
    """Give a view the signature Ninja reads: ``(request, response, <key>, [payload])``."""
    parameters = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        # Ninja passes the answer's headers as ``response`` (the ETag goes there).
        inspect.Parameter(
            "response", inspect.Parameter.KEYWORD_ONLY, annotation=HttpResponse
        ),
        inspect.Parameter(
            resource.key, inspect.Parameter.KEYWORD_ONLY,
            annotation=int if resource.key == "id" else str,
        ),
    ]
    if payload is not None:
        parameters.append(
            inspect.Parameter("payload", inspect.Parameter.KEYWORD_ONLY, annotation=payload)
        )
    view.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]


def _refuse_nul_in_key(path: Mapping[str, Any]) -> None:
    for value in path.values():
        if isinstance(value, str) and NUL in value:
            raise NotFound(f"No record {value!r} that you can see.")


REGISTERED: dict[str, Resource] = {}
"""Every resource ``register`` added, by its path: the doors that write the API's bodies
without HTTP (signed webhooks in Heedful's own JSON) find the same schemas and services here."""


def register(router: Router, resource: Resource, *, tag: str) -> None:
    REGISTERED[resource.path] = resource
    name = resource.operation_name
    sort_names = [*resource.orderings, *(f"-{key}" for key in resource.orderings)]
    # A Literal of names known at run time only: no type mypy could check.
    ordering_type: Any = Literal[tuple(sort_names)] | None
    params_schema = create_model(
        f"{resource.out.__name__.removesuffix('Out')}ListParams",
        __base__=ListParams,
        ordering=(
            ordering_type,
            Field(None, description="Sort by this field; a leading '-' sorts descending."),
        ),
    )
    # A text key is a ``path`` parameter: a stored id may hold "/" (sent as is or as %2F).
    converter = "" if resource.key == "id" else "path:"
    collection = f"/{resource.path}"
    one = f"/{resource.path}/{{{converter}{resource.key}}}"

    def list_records(
        request: HttpRequest,
        filters: Query[resource.filters],  # type: ignore[name-defined]
        params: Query[params_schema],  # type: ignore[valid-type]
    ) -> dict:
        refuse_repeated_parameters(request)
        query: _ListQuery = params  # params_schema is built at run time: tell mypy its fields
        if query_holds_nul(request):
            return {"count": 0, "limit": query.limit, "offset": query.offset, "items": []}
        queryset = filters.filter(resource.get_all(user=request_user(request)))
        ordering = []
        if query.ordering:
            descending = query.ordering.startswith("-")
            column = resource.orderings[query.ordering.lstrip("-")]
            ordering = [f"-{column}" if descending else column]
        return paginate(queryset, limit=query.limit, offset=query.offset, ordering=ordering)

    def get_record(request: HttpRequest, response: HttpResponse, **path: Any) -> Model:
        _refuse_nul_in_key(path)
        record = resource.get_or_raise(user=request_user(request), **path)
        response["ETag"] = etag_of(record)
        return record

    def create_record(
        request: HttpRequest, response: HttpResponse, payload: resource.create_schema  # type: ignore[name-defined]
    ) -> Any:
        refuse_nul_in_body(
            payload.model_dump(exclude_unset=True), words=resource.joined_lists
        )
        data = resource.to_form_data(payload.model_dump(exclude_unset=True))
        try:
            record = resource.create(user=request_user(request), data=data)
        except InvalidInput as error:
            raise resource.to_api_errors(error) from None
        response["ETag"] = etag_of(record)
        return Status(201, record)

    def update_record(
        request: HttpRequest, response: HttpResponse, payload: Schema, **path: Any
    ) -> Model:
        _refuse_nul_in_key(path)
        refuse_nul_in_body(
            payload.model_dump(exclude_unset=True), words=resource.joined_lists
        )
        user = request_user(request)
        changes = resource.to_form_data(payload.model_dump(exclude_unset=True))
        expected = request.headers.get("If-Match")
        try:
            with transaction.atomic():
                if expected is not None:
                    # Checked and written in one transaction, the row locked in between.
                    lock_if_unchanged(resource.get_or_raise(user=user, **path), expected=expected)
                record = resource.update(user=user, changes=changes, **path)
        except InvalidInput as error:
            raise resource.to_api_errors(error) from None
        response["ETag"] = etag_of(record)
        return record

    def delete_record(request: HttpRequest, response: HttpResponse, **path: Any) -> Any:
        _refuse_nul_in_key(path)
        assert resource.delete is not None  # only registered for a resource that deletes
        resource.delete(user=request_user(request), **path)
        return Status(204, None)

    _with_key(get_record, resource)
    _with_key(update_record, resource, payload=resource.patch_schema)
    _with_key(delete_record, resource)
    refused = {401: ErrorOut, 422: ErrorOut}
    router.add_api_operation(
        collection, ["GET"], list_records, response={200: resource.page, **refused},
        tags=[tag], operation_id=f"list_{name}", summary=f"List {resource.path}",
    )
    router.add_api_operation(
        collection, ["POST"], create_record,
        response={
            201: resource.out, 400: ErrorOut, **refused, 403: ErrorOut, 404: ErrorOut,
            409: ErrorOut,
        },
        tags=[tag], operation_id=f"create_{name}", summary=f"Create one of {resource.path}",
        description="403 when you may not write this kind (the product catalogue is the "
        "admins'; a web session without its CSRF token); 404 when the body names an account (or "
        "a record on one) that you cannot see; 409 when the id is taken.",
    )
    router.add_api_operation(
        one, ["GET"], get_record, response={200: resource.out, **refused, 404: ErrorOut},
        tags=[tag], operation_id=f"get_{name}", summary=f"Get one of {resource.path}",
    )
    if resource.delete is not None:
        router.add_api_operation(
            one, ["DELETE"], delete_record,
            response={204: None, **refused, 403: ErrorOut, 404: ErrorOut},
            tags=[tag], operation_id=f"delete_{name}", summary=f"Delete one of {resource.path}",
            description="404 when you cannot see it; 403 when you may see it but not delete it.",
        )
    if not resource.is_editable:
        return
    router.add_api_operation(
        one, ["PATCH"], update_record,
        response={
            200: resource.out, 400: ErrorOut, **refused, 403: ErrorOut, 404: ErrorOut,
            409: ErrorOut, 412: ErrorOut,
        },
        tags=[tag], operation_id=f"update_{name}", summary=f"Update one of {resource.path}",
        description="Send the record's ETag (from GET) as If-Match to change it only as you "
        "read it: 412, and nothing written, when it changed since.",
    )
