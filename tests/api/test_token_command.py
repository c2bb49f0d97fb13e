"""``heedful token create|list|revoke``."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from heedful.core.models import ApiToken
from tests.api.conftest import API


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_create_prints_a_working_token_once(people) -> None:  # noqa: ANN001
    # when
    raw, message = run("create", "rep", "--name", "laptop")
    # then
    assert raw.startswith("hf_")
    assert "shown only now" in message
    token = ApiToken.objects.get(user=people.rep)
    assert token.name == "laptop" and token.token_hash == ApiToken.hash(raw)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(API + "/accounts").status_code == 200
    listing, _ = run("list")
    assert token.prefix in listing and raw not in listing


def test_create_for_an_unknown_user_is_bad_input(people) -> None:  # noqa: ANN001
    with pytest.raises(CommandError) as raised:
        run("create", "nobody")
    assert raised.value.returncode == 2
    assert not ApiToken.objects.exists()


def test_revoke_by_prefix_stops_the_token(people) -> None:  # noqa: ANN001
    # given
    raw, _ = run("create", "rep")
    # when
    output, _ = run("revoke", raw[:8])
    # then
    assert "Revoked" in output
    assert not ApiToken.objects.exists()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(API + "/accounts").status_code == 401


def test_revoke_refuses_an_ambiguous_prefix(people) -> None:  # noqa: ANN001
    # given
    run("create", "rep")
    run("create", "rep")
    # when
    with pytest.raises(CommandError) as raised:
        run("revoke", "hf_")
    # then
    assert raised.value.returncode == 2
    assert ApiToken.objects.count() == 2
