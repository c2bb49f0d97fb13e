"""The `heedful` executable as a person at a terminal meets it: its help, its error messages,
and a reader that stops early (`heedful scan --json | head -1`)."""

import fcntl
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

HEEDFUL = Path(sys.executable).parent / "heedful"
OUR_COMMANDS = (
    "createuser", "demo", "digest", "export", "generate", "import", "import-all", "migrate",
    "review", "scan", "search", "serve", "token", "transcript", "webhooks", "report",
    "convert-maven",
)
SMALLEST_PIPE = 4096


def environment(home: Path) -> dict[str, str]:
    """Its own SQLite database in ``home``, never the test database."""
    env = {**os.environ, "HEEDFUL_HOME": str(home)}
    env.pop("HEEDFUL_DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("demo-home")
    built = subprocess.run(
        [str(HEEDFUL), "demo", "--no-serve", "--as-of", "2026-11-22"],
        env=environment(home), capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stderr
    return home


@pytest.fixture
def heedful(demo_home: Path) -> Callable[..., subprocess.CompletedProcess]:
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(HEEDFUL), *args], env=environment(demo_home), capture_output=True, text=True,
            timeout=120,
        )

    return run


@pytest.mark.parametrize("asking", [["--help"], ["help"], []])
def test_help_lists_heedfuls_commands_one_line_each(heedful, asking: list[str]) -> None:  # noqa: ANN001
    # when
    result = heedful(*asking)
    # then: each of our commands on one line with what it does; Django's own are not listed
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for command in OUR_COMMANDS:
        [line] = [line for line in lines if line.startswith(f"  {command} ")]
        assert len(line.split()) > 4, line
    assert len(lines) < 30
    for django_command in ("dumpdata", "sqlflush", "squashmigrations", "[django]", "[auth]"):
        assert django_command not in result.stdout
    assert "heedful help --all" in result.stdout


def test_django_commands_are_listed_on_asking_for_all(heedful) -> None:  # noqa: ANN001
    # when
    result = heedful("help", "--all")
    # then
    assert result.returncode == 0
    assert "dumpdata" in result.stdout and "scan" in result.stdout


def test_help_on_one_command_shows_its_options(heedful) -> None:  # noqa: ANN001
    # when
    result = heedful("help", "scan")
    # then
    assert result.returncode == 0
    assert "--as-of" in result.stdout


@pytest.mark.parametrize("spelling", ["convert-maven", "convert_maven"])
def test_convert_maven_is_spelled_with_a_hyphen_and_the_old_spelling_still_runs(
    heedful, spelling: str, tmp_path: Path  # noqa: ANN001
) -> None:
    # when: a folder without the Maven files
    result = heedful(spelling, str(tmp_path), str(tmp_path / "out"))
    # then: the command ran and refused the folder
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == f"{tmp_path}: no sales_pipeline.csv here"


@pytest.mark.parametrize(("args", "message"), [
    (["scan", "--as-of", "22/11/2026"], "--as-of: '22/11/2026' is not a date (use YYYY-MM-DD)"),
    (["scan", "--account", "ACC-NOPE"], "--account: no account ACC-NOPE"),
    (["token", "create", "nobody"], "No user 'nobody'."),
    (["serve", "--port", "0"], "--port 0: expected 1 to 65535."),
])
def test_errors_are_our_message_alone_on_stderr_with_exit_2(
    heedful, args: list[str], message: str  # noqa: ANN001
) -> None:
    # when
    result = heedful(*args)
    # then
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == message
    assert "CommandError" not in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("json", [True, False])
def test_a_reader_that_stops_early_ends_the_scan_quietly(demo_home: Path, json: bool) -> None:
    # given: a pipe that holds little, so the scan writes into it after the reader has gone
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, SMALLEST_PIPE)
    scan = subprocess.Popen(
        [str(HEEDFUL), "scan", "--as-of", "2026-11-22", *(["--json"] if json else [])],
        env=environment(demo_home), stdout=write_end, stderr=subprocess.PIPE, text=True,
    )
    os.close(write_end)
    # when: the reader takes the first line and goes away (as `| head -1` does)
    with os.fdopen(read_end) as reader:
        first_line = reader.readline()
    stderr = scan.communicate(timeout=120)[1]
    # then: no traceback, and the exit code of a command stopped by a closed pipe
    assert first_line.strip()
    assert scan.returncode in (0, 141)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr
    assert "Exception ignored" not in stderr


def test_a_bad_setting_is_one_line_naming_the_variable(tmp_path: Path) -> None:
    # given
    env = {**environment(tmp_path), "HEEDFUL_PAGE_SIZE": "lots"}
    # when
    result = subprocess.run(
        [str(HEEDFUL), "scan"], env=env, capture_output=True, text=True, timeout=120
    )
    # then
    assert result.returncode == 2
    assert result.stderr == "HEEDFUL_PAGE_SIZE='lots': expected a whole number\n"
