"""A page whose service raises NotFound answers the 404 page, wherever the view is (one
middleware, no catch in each view); the API keeps its JSON 404."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import path

from heedful.core.exceptions import InvalidInput, NotFound
from heedful.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db


def _missing_record(request: HttpRequest) -> HttpResponse:
    raise NotFound("No such record that you can see.")


def _invalid_input(request: HttpRequest) -> HttpResponse:
    raise InvalidInput("Wrong.")


# The site's addresses too: the 404 page links to them.
urlpatterns = [
    path("missing/", _missing_record),
    path("invalid/", _invalid_input),
    *site_urlpatterns,
]


@pytest.mark.urls(__name__)
def test_a_view_whose_service_finds_nothing_answers_the_not_found_page(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    response = client.get("/missing/")
    # then
    assert response.status_code == 404
    assert "There is nothing here that you can see." in response.content.decode()


@pytest.mark.urls(__name__)
def test_other_errors_are_not_turned_into_not_found(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    client.raise_request_exception = False
    # when
    response = client.get("/invalid/")
    # then
    assert response.status_code == 500


def test_the_api_answers_a_record_it_cannot_show_with_its_json_404(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    response = client.get("/api/v1/accounts/NO-SUCH-ACCOUNT")
    # then
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
