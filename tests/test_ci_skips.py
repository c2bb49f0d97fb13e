"""With CI=true a skipped test fails the run, and the run says which tests and why."""

import os
import subprocess
import sys
from pathlib import Path

SAMPLE = Path(__file__).parent / "ci_sample" / "skipping.py"


def run_sample(*, ci: bool) -> subprocess.CompletedProcess:
    env = {**os.environ, "CI": "true" if ci else ""}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-p", "no:cacheprovider",
         str(SAMPLE)],
        env=env, capture_output=True, text=True, timeout=300, cwd=Path(__file__).parent.parent,
    )


def test_ci_run_with_skips_fails_naming_each_skipped_test_and_its_reason() -> None:
    # when
    result = run_sample(ci=True)
    # then
    assert result.returncode == 1, result.stdout
    assert "tests/ci_sample/skipping.py::test_skipped_in_the_body: the sample needs a fax " \
        "machine" in result.stdout
    assert "tests/ci_sample/skipping.py::test_skipped_by_a_mark: the sample is switched off" \
        in result.stdout
    assert "test_that_passes" not in result.stdout


def test_skips_outside_ci_leave_the_run_green() -> None:
    # when
    result = run_sample(ci=False)
    # then
    assert result.returncode == 0, result.stdout
