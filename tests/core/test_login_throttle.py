"""Login throttling: after HEEDFUL_LOGIN_ATTEMPTS wrong passwords a user name is locked from
that address for HEEDFUL_LOGIN_LOCKOUT_MINUTES, and the login page says so."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from heedful.core.models import ApiToken
from tests.api.conftest import API
from tests.factories import PASSWORD


def log_in(client: Client, username: str, password: str):  # noqa: ANN201
    return client.post(reverse("login"), {"username": username, "password": password})


def is_logged_in(client: Client) -> bool:
    return client.get(reverse("accounts:list")).status_code == 200


def fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        log_in(client, username, "wrong password")


def test_five_wrong_passwords_lock_the_user_name_with_a_plain_message(people) -> None:  # noqa: ANN001
    # given
    client = Client()
    fail(client, "rep", 4)
    # when
    fifth = log_in(client, "rep", "still wrong")
    right = log_in(client, "rep", PASSWORD)
    # then
    assert fifth.status_code == right.status_code == 429
    for response in (fifth, right):
        page = response.content.decode()
        assert "Too many wrong passwords" in page
        assert "locked for 15 minutes" in page
        assert "do not match" not in page
        assert 'value="rep"' in page
    assert not is_logged_in(client)


def test_a_wrong_password_before_the_limit_only_says_it_does_not_match(people) -> None:  # noqa: ANN001
    # given
    client = Client()
    fail(client, "rep", 3)
    # when
    response = log_in(client, "rep", "wrong again")
    # then
    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert "locked" not in response.content.decode()


def test_a_right_password_starts_the_count_again(people) -> None:  # noqa: ANN001
    # given
    client = Client()
    fail(client, "rep", 4)
    assert log_in(client, "rep", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    fail(client, "rep", 4)
    # when
    response = log_in(client, "rep", PASSWORD)
    # then
    assert response.status_code == 302
    assert is_logged_in(client)


def test_the_lock_holds_one_user_name_from_one_address(people) -> None:  # noqa: ANN001
    # given: rep is locked from 127.0.0.1
    fail(Client(), "rep", 5)
    # when
    colleague = Client()
    colleague_answer = log_in(colleague, "manager", PASSWORD)
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    elsewhere_answer = log_in(elsewhere, "rep", PASSWORD)
    # then
    assert colleague_answer.status_code == 302 and is_logged_in(colleague)
    assert elsewhere_answer.status_code == 302 and is_logged_in(elsewhere)


def test_a_locked_user_keeps_api_token_access(people) -> None:  # noqa: ANN001
    # given
    _, raw = ApiToken.issue(user=people.rep, name="laptop")
    fail(Client(), "rep", 5)
    # when
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(API + "/accounts")
    # then
    assert response.status_code == 200


def test_the_admin_has_no_password_form_of_its_own(people) -> None:  # noqa: ANN001
    # given: the admin's login address sends everyone to Heedful's login, the throttled one
    client = Client()
    # when
    response = client.post(reverse("admin:login"), {"username": "admin", "password": PASSWORD})
    # then: no password was checked there
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_after_the_configured_minutes(people, settings) -> None:  # noqa: ANN001
    # given: two tries and a 1-minute lock, reached
    settings.HEEDFUL_LOGIN_ATTEMPTS = settings.AXES_FAILURE_LIMIT = 2
    settings.HEEDFUL_LOGIN_LOCKOUT_MINUTES = 1
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    client = Client()
    fail(client, "rep", 1)
    locked = log_in(client, "rep", "wrong")
    assert "locked for 1 minute." in locked.content.decode()
    assert log_in(client, "rep", PASSWORD).status_code == 429
    # when: the minute passes
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=2))
    # then
    assert log_in(client, "rep", PASSWORD).status_code == 302
    assert is_logged_in(client)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_person_locked_out_reads_why(page, live_server, people) -> None:  # noqa: ANN001
    # given
    page.goto(f"{live_server.url}/login/")
    for _ in range(5):
        page.get_by_label("User name").fill("rep")
        page.get_by_label("Password").fill("wrong password")
        page.get_by_role("button", name="Log in").click()
    # when
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # then
    alert = page.get_by_role("alert")
    assert "locked for 15 minutes" in alert.inner_text()
    assert page.get_by_label("User name").input_value() == "rep"
    assert page.get_by_role("heading", name="Log in to Heedful").is_visible()
