"""Who may call the API: a bearer token (only its hash at rest) or the web session."""

import json

import pytest
from django.test import Client

from heedful.core.models import ApiToken, AuditEntry
from tests.api.conftest import API, client_for
from tests.factories import PASSWORD


def test_missing_token_is_401_with_a_readable_message(people) -> None:  # noqa: ANN001
    # when
    response = Client().get(API + "/accounts")
    # then
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header", ["Bearer hf_wrong", "Bearer ", "Token abc", "Basic dXNlcjpwdw=="]
)
def test_wrong_token_is_401(people, header: str) -> None:  # noqa: ANN001
    response = Client(HTTP_AUTHORIZATION=header).get(API + "/accounts")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_revoked_token_is_401(people) -> None:  # noqa: ANN001
    # given
    token, raw = ApiToken.issue(user=people.rep, name="laptop")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(API + "/accounts").status_code == 200
    # when
    token.delete()
    # then
    response = client.get(API + "/accounts")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_token_of_a_deactivated_user_is_401(people) -> None:  # noqa: ANN001
    # given
    client = client_for(people.rep)
    people.rep.is_active = False
    people.rep.save()
    # when
    response = client.get(API + "/accounts")
    # then
    assert response.status_code == 401
    assert "deactivated" in response.json()["detail"]


def test_valid_token_records_when_it_was_last_used(people) -> None:  # noqa: ANN001
    # given
    token, raw = ApiToken.issue(user=people.rep, name="script")
    assert token.last_used_at is None
    # when
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(API + "/accounts")
    # then
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_the_hash_of_a_token_is_stored(people) -> None:  # noqa: ANN001
    # when
    token, raw = ApiToken.issue(user=people.rep, name="script")
    Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(API + "/accounts")
    # then
    stored = ApiToken.objects.values().get(pk=token.pk)
    assert raw not in json.dumps(stored, default=str)
    assert stored["token_hash"] == ApiToken.hash(raw)
    assert raw not in json.dumps(list(AuditEntry.objects.values("subject", "detail")))


def test_an_error_answer_does_not_echo_the_token(people) -> None:  # noqa: ANN001
    response = Client(HTTP_AUTHORIZATION="Bearer hf_secret-value").get(API + "/accounts")
    assert "hf_secret-value" not in response.content.decode()


def test_logged_in_session_may_read(people) -> None:  # noqa: ANN001
    # given
    client = Client()
    assert client.login(username="rep", password=PASSWORD)
    # when
    response = client.get(API + "/accounts")
    # then
    assert response.status_code == 200
    assert [item["external_id"] for item in response.json()["items"]] == ["ACC-OURS"]


def test_session_write_needs_the_csrf_token(people) -> None:  # noqa: ANN001
    # given
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="rep", password=PASSWORD)
    body = json.dumps({"city": "Lisbon"})
    # when
    refused = client.patch(API + "/accounts/ACC-OURS", body, content_type="application/json")
    # then
    assert refused.status_code == 403
    people.ours.refresh_from_db()
    assert people.ours.city == ""
    # when the page sends the CSRF token, as its forms do
    client.get("/login/")
    csrf = client.cookies["csrftoken"].value
    accepted = client.patch(API + "/accounts/ACC-OURS", body, content_type="application/json",
                            HTTP_X_CSRFTOKEN=csrf)
    # then
    assert accepted.status_code == 200
    people.ours.refresh_from_db()
    assert people.ours.city == "Lisbon"


def test_bearer_token_writes_need_no_csrf_token(people) -> None:  # noqa: ANN001
    _, raw = ApiToken.issue(user=people.rep, name="script")
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.patch(API + "/accounts/ACC-OURS", json.dumps({"city": "Porto"}),
                            content_type="application/json")
    assert response.status_code == 200
