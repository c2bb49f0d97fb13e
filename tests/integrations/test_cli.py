"""The real `heedful` executable on a fresh embedded database: exit codes and stderr."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integrations.conftest import FULL

HEEDFUL = Path(sys.executable).parent / "heedful"


@pytest.fixture
def heedful(tmp_path: Path):  # noqa: ANN201
    """Run `heedful` on an empty SQLite database of its own (never the test database)."""
    env = {**os.environ, "HEEDFUL_HOME": str(tmp_path / "home")}
    env.pop("HEEDFUL_DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(HEEDFUL), *args], env=env, capture_output=True, text=True, timeout=120
        )

    migrated = run("migrate", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr
    return run


def test_bad_file_exits_2_and_names_file_line_and_column_on_stderr(
    heedful, tmp_path: Path  # noqa: ANN001
) -> None:
    # given
    path = tmp_path / "users.csv"
    path.write_text(
        "username,full_name,role\nzoe,Zoë Müller,rep\nbad name,Bad,boss\n", encoding="utf-8"
    )
    # when
    result = heedful("import", "users", str(path))
    # then
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"{path}:3: username: Enter a valid username." in result.stderr
    assert f"{path}:3: role: 'boss' is not one of rep, manager, executive, admin" in result.stderr
    assert heedful("export", str(tmp_path / "out")).returncode == 0
    assert (tmp_path / "out" / "users.csv").read_text(encoding="utf-8").count("\n") == 1


def test_import_all_export_round_trip_on_a_fresh_database(heedful, tmp_path: Path) -> None:  # noqa: ANN001
    # given
    assert heedful("import-all", str(FULL)).returncode == 0
    assert heedful("export", str(tmp_path / "first")).returncode == 0
    # when the export is imported into another empty database
    home = tmp_path / "home"
    for path in home.glob("heedful.sqlite3*"):
        path.unlink()
    assert heedful("migrate", "--verbosity", "0").returncode == 0
    imported = heedful("import-all", str(tmp_path / "first"), "--json")
    assert heedful("export", str(tmp_path / "second")).returncode == 0
    # then
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("{")
    for path in sorted((tmp_path / "first").glob("*.csv")):
        assert path.read_bytes() == (tmp_path / "second" / path.name).read_bytes(), path.name
