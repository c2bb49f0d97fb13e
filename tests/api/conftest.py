"""Fixtures of the API tests: a client authenticated as each named user, by bearer token."""

from collections.abc import Callable

import pytest
from django.test import Client

from heedful.core.models import ApiToken, User

API = "/api/v1"


def client_for(user: User) -> Client:
    _, raw = ApiToken.issue(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def api_client() -> Callable[[User], Client]:
    """``api_client(people.rep)``: a Client that sends a fresh bearer token of that user."""
    return client_for
