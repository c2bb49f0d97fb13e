"""The OpenAPI description and the interactive docs."""

import re

import pytest
from django.test import Client
from playwright.sync_api import Browser, Route, expect

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


def test_docs_page_loads_only_our_own_files_and_fits_a_phone(db) -> None:  # noqa: ANN001
    # when
    body = Client().get(API + "/docs").content.decode()
    # then: every script, style and icon is one of our static files (no CDN)
    addresses = re.findall(r'(?:src|href)="([^"]*)"', body)
    assert addresses
    assert all(address.startswith("/static/") for address in addresses), addresses
    assert "/static/ninja/swagger-ui-bundle.js" in addresses
    assert body.count("<script") == body.count("<script src=") + body.count(
        '<script type="application/json"'
    )
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in body


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_docs_show_the_operations_on_a_phone_with_no_network(browser: Browser, live_server) -> None:  # noqa: ANN001
    # given: a phone, and no network but our own server
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
    )
    page = context.new_page()
    outside: list[str] = []

    def only_our_server(route: Route) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_our_server)
    # when
    page.goto(f"{live_server.url}{API}/docs")
    # then: the operations list, laid out for the phone's width
    # Swagger UI lays out a 330 KB description (108 operations): seconds on a busy machine
    expect(page.get_by_role("heading", name="Heedful API")).to_be_visible(timeout=20_000)
    expect(page.locator(".opblock-summary-path").first).to_contain_text("/api/v1/accounts")
    assert page.locator(".opblock").count() > 20
    assert page.evaluate("document.documentElement.clientWidth") == 390
    assert outside == []
    context.close()
