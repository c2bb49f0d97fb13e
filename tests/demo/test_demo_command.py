"""``heedful demo`` as a person runs it: a subprocess on a fresh embedded database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

HEEDFUL = [sys.executable, "-m", "heedful.cli"]


def run(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "HEEDFUL_DATABASE_URL"}
    env["HEEDFUL_HOME"] = str(home)
    return subprocess.run([*HEEDFUL, *args], env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def test_demo_builds_prints_logins_and_stories_and_reruns_cleanly(tmp_path: Path) -> None:
    # when
    first = run(["demo", "--no-serve", "--as-of", "2026-11-22"], tmp_path)
    again = run(["demo", "--no-serve", "--as-of", "2026-11-22"], tmp_path)
    # then
    assert first.returncode == 0, first.stderr
    for username in ("rep", "manager", "executive", "admin"):
        assert f"  {username} " in first.stdout
    assert "heedful-demo" in first.stdout
    assert "/accounts/ACC-10001/" in first.stdout
    assert first.stdout.count("(log in as ") == 15
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "heedful.sqlite3").exists()


def test_demo_refuses_a_bad_as_of_with_exit_2(tmp_path: Path) -> None:
    result = run(["demo", "--no-serve", "--as-of", "22/11/2026"], tmp_path)
    assert result.returncode == 2
    assert "--as-of" in result.stderr and "YYYY-MM-DD" in result.stderr


def test_demo_refuses_a_database_that_is_not_a_demo(people) -> None:  # noqa: ANN001
    # when
    with pytest.raises(CommandError) as error:
        call_command("demo", "--no-serve", "--as-of", "2026-11-22")
    # then
    assert error.value.returncode == 2
    assert "not the demo" in str(error.value)
    assert people.ours.__class__.objects.filter(external_id="ACC-OURS").exists()
