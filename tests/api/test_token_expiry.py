"""API tokens can carry an expiry: ``heedful token create USERNAME --expires-in-days N`` or
``--expires YYYY-MM-DD``; ``token list`` shows it; from then on the API refuses the token
with 401 and says it expired. The clock is ``heedful.lib.clock`` (set by the tests)."""

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from heedful.core.models import ApiToken
from heedful.lib import clock
from tests.api.conftest import API

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The clock, fixed at ``NOW``; ``now[0] = ...`` moves it."""
    moment = [NOW]
    monkeypatch.setattr(clock, "now", lambda: moment[0])
    return moment


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def _get(raw: str):  # noqa: ANN202
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(API + "/accounts")


def test_a_token_expiring_in_days_works_until_then_and_is_refused_after(people, now) -> None:  # noqa: ANN001
    # given
    raw, message = run("create", "rep", "--expires-in-days", "30")
    assert "expires 2026-12-22" in message
    assert ApiToken.objects.get().expires_at == NOW + timedelta(days=30)
    # when
    now[0] = NOW + timedelta(days=30) - timedelta(seconds=1)
    before = _get(raw)
    now[0] = NOW + timedelta(days=30)
    after = _get(raw)
    # then
    assert before.status_code == 200
    assert after.status_code == 401
    assert "This API token expired on 2026-12-22" in after.json()["detail"]
    assert "heedful token create" in after.json()["detail"]


def test_a_token_expiring_on_a_day_is_refused_from_the_start_of_that_day(people, now, settings) -> None:  # noqa: ANN001, E501
    # given
    settings.TIME_ZONE = "UTC"
    raw, _ = run("create", "rep", "--expires", "2026-12-01")
    # when
    now[0] = datetime(2026, 11, 30, 23, 59, tzinfo=UTC)
    last_evening = _get(raw)
    now[0] = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    that_day = _get(raw)
    # then
    assert last_evening.status_code == 200
    assert that_day.status_code == 401
    assert "expired on 2026-12-01 00:00" in that_day.json()["detail"]


def test_a_token_without_expiry_never_expires(people, now) -> None:  # noqa: ANN001
    # given
    raw, message = run("create", "rep")
    # when
    now[0] = NOW + timedelta(days=3650)
    # then
    assert "never expires" in message
    assert _get(raw).status_code == 200


def test_list_shows_each_expiry_and_which_expired(people, now) -> None:  # noqa: ANN001
    # given
    run("create", "rep", "--name", "short", "--expires-in-days", "1")
    run("create", "rep", "--name", "long", "--expires-in-days", "90")
    run("create", "rep", "--name", "forever")
    now[0] = NOW + timedelta(days=2)
    # when
    text, _ = run("list")
    rows = {row["name"]: row for row in json.loads(run("list", "--json")[0])}
    # then
    lines = {line.split()[2]: line for line in text.splitlines()}
    assert "EXPIRED, expires 2026-11-23" in lines["short"]
    assert "EXPIRED" not in lines["long"] and "expires 2027-02-20" in lines["long"]
    assert "never expires" in lines["forever"]
    assert rows["short"]["is_expired"] is True and rows["long"]["is_expired"] is False
    assert rows["long"]["expires_at"].startswith("2027-02-20T09:00")
    assert rows["forever"]["expires_at"] is None


@pytest.mark.parametrize("args", [
    ["--expires-in-days", "0"],
    ["--expires-in-days", "-3"],
    ["--expires", "2026-11-22"],
    ["--expires", "2025-01-01"],
    ["--expires", "next week"],
])
def test_an_expiry_that_is_not_in_the_future_is_bad_input(people, now, args: list[str]) -> None:  # noqa: ANN001
    with pytest.raises(CommandError) as raised:
        run("create", "rep", *args)
    assert raised.value.returncode == 2
    assert not ApiToken.objects.exists()


def test_both_expiry_options_at_once_are_refused(people, now) -> None:  # noqa: ANN001
    with pytest.raises(CommandError):
        run("create", "rep", "--expires-in-days", "3", "--expires", "2027-01-01")
    assert not ApiToken.objects.exists()
