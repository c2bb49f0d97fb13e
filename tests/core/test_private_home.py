"""HEEDFUL_HOME and what Heedful keeps in it (the SQLite database with its -wal and -shm
files, the secret key) are readable by their user alone."""

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest


def heedful(home: Path, *arguments: str) -> None:
    environment = {
        name: value for name, value in os.environ.items()
        if not name.startswith("HEEDFUL_") and name != "DJANGO_SETTINGS_MODULE"
    }
    environment["HEEDFUL_HOME"] = str(home)
    command = [sys.executable, "-c", "from heedful.cli import main; main()", *arguments]
    finished = subprocess.run(
        command, env=environment, capture_output=True, text=True, timeout=300
    )
    assert finished.returncode == 0, finished.stderr


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def shared_umask():  # noqa: ANN201
    """The usual umask, under which a new file is readable by everyone."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_migrate_in_a_fresh_home_keeps_everything_private(tmp_path: Path, shared_umask) -> None:  # noqa: ANN001
    # given
    home = tmp_path / "heedful-home"
    # when
    heedful(home, "migrate")
    # then
    database = home / "heedful.sqlite3"
    assert mode(home) == 0o700
    assert mode(home / "secret_key") == 0o600
    assert mode(database) == 0o600
    # and: the files SQLite adds while the database is in use are private too
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE probe (id INTEGER)")
    connection.commit()
    try:
        assert mode(Path(f"{database}-wal")) == 0o600
        assert mode(Path(f"{database}-shm")) == 0o600
    finally:
        connection.close()


def test_a_database_left_readable_by_others_is_made_private(tmp_path: Path, shared_umask) -> None:  # noqa: ANN001
    # given: a home from an earlier version, its files readable by everyone
    home = tmp_path / "old-home"
    home.mkdir()
    for name in ("heedful.sqlite3", "secret_key"):
        (home / name).write_text("" if name.endswith("sqlite3") else "an-old-secret-key")
        (home / name).chmod(0o644)
    # when
    heedful(home, "check")
    # then
    assert mode(home / "heedful.sqlite3") == 0o600
    assert mode(home / "secret_key") == 0o600
    assert (home / "secret_key").read_text() == "an-old-secret-key"
