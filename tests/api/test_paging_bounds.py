"""Offsets, limits and page numbers too large for the database are refused or shown as the
last page, never a server error."""

import pytest
from django.test import Client

from heedful.core.models import ApiToken, User
from tests.api.conftest import API
from tests.api.resources import SPECS

LIST_PATHS = sorted([*SPECS, "plays"])
HUGE = "9223372036854775808"  # one above the largest 64-bit integer


def _api_client(user: User) -> Client:
    _, raw = ApiToken.issue(user=user, name="tests")
    # A server error must show as a 500 answer here, not as an exception in the test.
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False)


@pytest.mark.parametrize("path", LIST_PATHS)
def test_an_offset_beyond_64_bits_is_refused_with_a_reason(people, path: str) -> None:  # noqa: ANN001
    # when
    response = _api_client(people.rep).get(f"{API}/{path}", {"offset": HUGE})
    # then
    assert response.status_code == 422
    body = response.json()
    assert "offset" in body["errors"]
    assert "less than or equal to 10000000" in body["detail"]


@pytest.mark.parametrize("path", LIST_PATHS)
def test_the_largest_offset_allowed_answers_an_empty_page(people, path: str) -> None:  # noqa: ANN001
    # when
    response = _api_client(people.rep).get(f"{API}/{path}", {"offset": 10_000_000})
    # then
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize("path", LIST_PATHS)
@pytest.mark.parametrize("limit", ["0", "501", HUGE, "ten"])
def test_a_limit_out_of_range_is_refused(people, path: str, limit: str) -> None:  # noqa: ANN001
    # when
    response = _api_client(people.rep).get(f"{API}/{path}", {"limit": limit})
    # then
    assert response.status_code == 422
    assert "limit" in response.json()["errors"]


PAGES = ["/plays/", "/plays/team/", "/accounts/"]
JUNK = [HUGE, "99999999999999999999999999999999999999", "-5", "1e400", "abc", "0", "½"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("page", JUNK)
def test_a_junk_or_huge_page_number_shows_a_page(people, url: str, page: str) -> None:  # noqa: ANN001
    # given
    client = Client(raise_request_exception=False)
    client.force_login(people.manager)
    # when
    response = client.get(url, {"page": page})
    # then
    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/plays/", "/accounts/"])
@pytest.mark.parametrize("owner", [HUGE, "99999999999999999999999999999999999999"])
def test_a_huge_owner_filter_shows_nothing(people, url: str, owner: str) -> None:  # noqa: ANN001
    # given
    client = Client(raise_request_exception=False)
    client.force_login(people.rep)
    # when
    response = client.get(url, {"owner": owner})
    # then
    assert response.status_code == 200
    assert "Ours Telecom" not in response.content.decode()


@pytest.mark.parametrize("url", ["/plays/", "/accounts/"])
@pytest.mark.parametrize("owner", ["²", "-1", "1e3", " 7"])
def test_a_junk_owner_filter_is_ignored(people, url: str, owner: str) -> None:  # noqa: ANN001
    # given
    client = Client(raise_request_exception=False)
    client.force_login(people.rep)
    # when
    response = client.get(url, {"owner": owner})
    # then
    assert response.status_code == 200
