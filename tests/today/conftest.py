"""Plays for Today's tests: made directly, with what a rule would write."""

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from heedful.plays.models import Play

_serial = itertools.count(1)


@pytest.fixture
def make_play() -> Callable[..., Play]:
    def make(account: Any, **fields: Any) -> Play:  # noqa: ANN401
        number = next(_serial)
        values = {
            "rule": "billing.spike", "subject": f"invoice:INV-{number}", "owner": account.owner,
            "priority": 50, "title": f"Play {number}", "explanation": f"Why play {number}.",
            "suggested_action": "Call them.",
        }
        values.update(fields)
        return Play.objects.create(account=account, **values)

    return make
