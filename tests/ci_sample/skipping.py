"""Run by tests/test_ci_skips.py alone, never collected with the suite (its name does not
start with test_): one test that passes and two that are skipped, for different reasons."""

import pytest


def test_that_passes() -> None:
    assert True


def test_skipped_in_the_body() -> None:
    pytest.skip("the sample needs a fax machine")


@pytest.mark.skip(reason="the sample is switched off")
def test_skipped_by_a_mark() -> None:
    raise AssertionError("never runs")
