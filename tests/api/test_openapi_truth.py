"""schemathesis holds /api/v1 to its OpenAPI description, as an admin and as a rep.

Every operation the served description lists is tested, so an endpoint another app adds is
covered without a line here. Each runs a few deterministic examples (the description's own,
then valid and invalid inputs drawn from it) in the test's own database transaction, through
the WSGI app. schemathesis's coverage phase (every boundary of every field) is left out: it
costs over a second per operation, and the suite runs on a shared 2-core machine; run it with
`st run http://127.0.0.1:8000/api/v1/openapi.json -H "Authorization: Bearer ..."`.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from heedful.accounts.records import ID_NOT_AVAILABLE
from heedful.core.models import ApiToken, User
from heedful.wsgi import application

CONFIG = schemathesis.Config.from_dict({
    "phases": {"coverage": {"enabled": False}},
    "generation": {"mode": "all"},  # valid inputs, and invalid ones that must be refused
})
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)
EXAMPLES = settings(
    max_examples=10, derandomize=True, deadline=None, database=None,
    suppress_health_check=list(HealthCheck),
)
TAKEN = {401, 403, 404, 409, 412}
"""Answers a valid request may get for reasons outside the body: who asks, which records
exist, and which versions are stored."""


@pytest.fixture(autouse=True)
def _keep_the_tests_connection() -> Iterator[None]:
    """schemathesis calls the WSGI app itself, whose end of request closes the database
    connection, and with it the test's transaction (PostgreSQL); Django's test Client
    keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _body_schema(case: schemathesis.Case) -> dict[str, Any]:
    document = case.operation.schema.raw_schema
    operation = document["paths"][case.operation.path][case.method.lower()]
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    found = body.get("schema", {})
    while "$ref" in found:
        found = document["components"]["schemas"][found["$ref"].rsplit("/", 1)[-1]]
    return found


@schemathesis.check
def valid_input_is_taken(ctx: Any, response: Any, case: schemathesis.Case) -> bool | None:
    """schemathesis's positive_data_acceptance, knowing what JSON Schema cannot say: a 422
    for a valid input names only fields the body lists in ``x-checked-together`` (dates in
    order, a reference to a record that must exist on the same account)."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    status = response.status_code
    if status < 300 or status in TAKEN:
        return None
    if status == 422:
        together = set(_body_schema(case).get("x-checked-together", []))
        errors = response.json().get("errors", {})
        refused = {name for name, reasons in errors.items() if reasons != [ID_NOT_AVAILABLE]}
        if errors and refused <= together:
            return None
    raise AssertionError(
        f"A request valid by the description was refused with {status}: {response.text[:500]}"
    )


def _call(case: schemathesis.Case, user: User) -> None:
    _, raw = ApiToken.issue(user=user, name="schemathesis")
    case.call_and_validate(
        headers={"Authorization": f"Bearer {raw}"},
        excluded_checks=[positive_data_acceptance],
        additional_checks=[valid_input_is_taken],
    )


@schema.parametrize()
@EXAMPLES
def test_api_does_what_its_description_says_for_an_admin(case, people) -> None:  # noqa: ANN001
    _call(case, people.admin)


@schema.parametrize()
@EXAMPLES
def test_api_does_what_its_description_says_for_a_rep(case, people) -> None:  # noqa: ANN001
    _call(case, people.rep)
