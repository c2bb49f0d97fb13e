"""Fixtures of the book's pages: a pinned "today", as on the other account pages."""

from datetime import date

import pytest

from tests.accounts.conftest import ours  # noqa: F401 (the list and search pages' accounts)
from tests.conftest import AS_OF


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    """Views ask ``timezone.localdate()`` for "as of"; pin it so day counts are stable."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: AS_OF)
    return AS_OF
