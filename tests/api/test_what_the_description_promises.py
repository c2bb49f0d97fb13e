"""What the OpenAPI description promises and the server used to break (schemathesis finds
these too, tests/api/test_openapi_truth.py; here each is named)."""

import pytest
from django.test import Client

from tests.api.conftest import API, client_for


def _patch(client: Client, path: str, body: str):  # noqa: ANN202
    return client.patch(API + path, body, content_type="application/json")


@pytest.mark.parametrize("body", ["[]", '"Oslo"', "1", "null"])
def test_a_patch_body_that_is_not_an_object_is_refused(people, body: str) -> None:  # noqa: ANN001
    # when
    response = _patch(client_for(people.rep), "/accounts/ACC-OURS", body)
    # then
    assert response.status_code == 422
    assert "JSON object" in response.json()["detail"]


def test_plays_filter_takes_a_rule_key_not_built_yet(people) -> None:  # noqa: ANN001
    response = client_for(people.rep).get(API + "/plays", {"rule": "deals.ghosted"})
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_plays_filter_refuses_a_key_no_contract_lists(people) -> None:  # noqa: ANN001
    response = client_for(people.rep).get(API + "/plays", {"rule": "deals.imaginary"})
    assert response.status_code == 422
    assert "rule" in response.json()["errors"]


def test_the_description_lists_the_choices_and_who_may_be_empty(db) -> None:  # noqa: ANN001
    schemas = Client().get(API + "/openapi.json").json()["components"]["schemas"]
    contract = schemas["ContractIn"]["properties"]
    assert contract["billing_period"]["enum"] == ["monthly", "quarterly", "annual"]
    assert "anyOf" not in contract["billing_period"]  # optional, but never null
    assert {"type": "null"} in contract["notice_days"]["anyOf"]
    assert "EUR" in contract["currency"]["anyOf"][0]["enum"]
    assert schemas["ContractIn"]["x-checked-together"] == [
        "account_external_id", "currency", "end_date",
    ]


def test_every_operation_documents_401_and_422(db) -> None:  # noqa: ANN001
    paths = Client().get(API + "/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert {"401", "422"} <= set(operation["responses"]), (method, path)


def test_a_day_filter_refuses_seconds_since_1970(people) -> None:  # noqa: ANN001
    response = client_for(people.rep).get(API + "/contracts", {"ends_to": "0"})
    assert response.status_code == 422
    assert "ends_to" in response.json()["errors"]


def test_a_parameter_given_twice_is_refused(people) -> None:  # noqa: ANN001
    response = client_for(people.rep).get(API + "/accounts?status=customer&status=former")
    assert response.status_code == 422
    assert "status" in response.json()["errors"]


def test_an_address_no_endpoint_serves_answers_json_404(people) -> None:  # noqa: ANN001
    response = client_for(people.rep).get(API + "/accounts/a%0Ab")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
