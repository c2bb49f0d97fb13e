"""The OpenAPI description and the interactive docs."""

from django.test import Client

from tests.api.conftest import API
from tests.api.resources import routes


def test_openapi_json_is_served_and_lists_every_path(db) -> None:  # noqa: ANN001
    # when
    response = Client().get(API + "/openapi.json")
    # then
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Heedful API"
    for method, path in routes():
        assert method.lower() in document["paths"][API + path], (method, path)
    assert "/api/v1/accounts/{external_id}" in document["paths"]
    schemes = document["components"]["securitySchemes"]
    assert any(scheme.get("scheme") == "bearer" for scheme in schemes.values())


def test_operation_ids_are_unique(db) -> None:  # noqa: ANN001
    document = Client().get(API + "/openapi.json").json()
    ids = [op["operationId"] for path in document["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))


def test_docs_page_is_served(db) -> None:  # noqa: ANN001
    response = Client().get(API + "/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
