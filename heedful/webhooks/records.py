"""Writing a record that arrived by webhook the way the REST API writes it: the API's schema for
its body (types, enums, required fields), then the kind's services and form (visibility, the
model's validators and checks, the audit log, and the write hooks that re-evaluate the
account's plays after the commit). One truth: a body the API refuses is refused here too."""

from collections.abc import Callable, Mapping
from typing import Any

import pydantic
from django.db.models import Model

from heedful.billing import services as billing_services
from heedful.core.exceptions import InvalidInput, NotFound
from heedful.core.models import User
from heedful.core.rest import REGISTERED, Resource
from heedful.webhooks.senders import Write

DELETES: dict[str, Callable[..., None]] = {
    "invoices": lambda *, user, key: billing_services.delete_invoice(
        user=user, invoice_number=key
    ),
}
"""The kinds a sender may delete (a voided invoice), by the API's path."""


def resources() -> dict[str, Resource]:
    """The REST API's resources by path (``orders``, ``tickets``, …)."""
    import heedful.api  # noqa: F401 - registers every app's resources

    return REGISTERED


def _validated(schema: type[pydantic.BaseModel], data: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return schema.model_validate(dict(data)).model_dump(exclude_unset=True)
    except pydantic.ValidationError as error:
        errors: dict[str, list[str]] = {}
        for item in error.errors():
            name = ".".join(str(part) for part in item.get("loc", ())) or "__all__"
            errors.setdefault(name, []).append(str(item.get("msg")))
        summary = "; ".join(f"{name}: {reasons[0]}" for name, reasons in errors.items())
        raise InvalidInput(f"The input is not valid. {summary}", errors) from None


def _existing(resource: Resource, *, user: User, key: str) -> Model | None:
    if not key:
        return None
    try:
        return resource.get_or_raise(user=user, **{resource.key: key})
    except NotFound:
        return None


def upsert(write: Write, *, user: User) -> Model | None:
    """Create the record, or change the fields ``write`` gives if it exists; delete it for a
    deleting write (None, and nothing done, when there is nothing to delete). Raises the
    services' ``InvalidInput`` (with the API's field names) or ``NotFound``."""
    resource = resources()[write.kind]
    if write.delete:
        if _existing(resource, user=user, key=write.key) is not None:
            DELETES[write.kind](user=user, key=write.key)
        return None
    try:
        for attempt in (1, 2):
            existing = _existing(resource, user=user, key=write.key)
            try:
                if existing is None:
                    body = _validated(resource.create_schema, write.data)
                    return resource.create(user=user, data=resource.to_form_data(body))
                body = _validated(resource.patch_schema, write.data)
                return resource.update(
                    user=user, changes=resource.to_form_data(body), **{resource.key: write.key}
                )
            except InvalidInput:
                # Created by another delivery (a parallel worker) since we looked, taken at
                # the form's check (IdNotAvailable) or at the INSERT: change it instead, once.
                created_meanwhile = existing is None and _existing(
                    resource, user=user, key=write.key
                ) is not None
                if attempt == 2 or not created_meanwhile:
                    raise
    except InvalidInput as error:
        raise resource.to_api_errors(error) from None
    return None  # not reached: the loop returns or raises
