"""Shared fixtures: the named users of every permission test, Chromium for browser tests, and
the CI rule that nothing may be skipped."""

import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("HEEDFUL_HOME", tempfile.mkdtemp(prefix="heedful-test-"))
# Django's live_server and Playwright's sync API share a thread with a running event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The public data sets beside the checkout (never copied into the repository).
SHARED_DATA = os.environ.get(
    "HEEDFUL_SHARED_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data")
)
AS_OF = date(2026, 11, 22)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Real hashing costs ~0.3 s a user; the tests are about who sees what, not hash strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Chat messages are posted inline, inside the test's transaction, so a test sees what was
    # recorded; tests/plays/test_triggers.py turns the thread on to prove it never blocks.
    settings.HEEDFUL_CHAT_IN_BACKGROUND = False


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if in_ci() and skipped and exitstatus == 0:
        reporter.write("\n")
        reporter.write_line(f"CI=true: {len(skipped)} skipped test(s) fail the run:", red=True)
        for report in skipped:
            reporter.write_line(f"  {report.nodeid}: {skip_reason(report)}", red=True)
        session.exitstatus = 1


def skip_reason(report: pytest.TestReport) -> str:
    """The reason given to pytest.skip or a skip mark (pytest keeps it as the last item of
    ``(path, line, "Skipped: reason")``)."""
    if isinstance(report.longrepr, tuple):
        return report.longrepr[2].removeprefix("Skipped: ")
    return str(report.longrepr)


@pytest.fixture(autouse=True)
def _search_reads_its_words_afresh() -> None:
    """Search remembers the words of the names until its index changes; a test's writes are
    rolled back, which can leave the index looking as it did before another test's writes."""
    from heedful.book.search import forget_words

    forget_words()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync",
        ],
    }


@pytest.fixture
def as_of() -> date:
    return AS_OF


@pytest.fixture
def people(db):  # noqa: ANN001, ANN201
    """The named users of every permission test and two accounts:

    - ``rep``: on the team of ``ours`` (owner); ``other_rep``: owns ``theirs``;
    - ``manager``: manages ``rep`` (not ``other_rep``); ``director`` manages ``manager``;
    - ``executive`` and ``admin`` see everything.
    """
    from tests.factories import AccountFactory, UserFactory

    director = UserFactory(username="director", role="manager")
    manager = UserFactory(username="manager", role="manager", manager=director)
    rep = UserFactory(username="rep", role="rep", manager=manager)
    other_manager = UserFactory(username="other_manager", role="manager")
    other_rep = UserFactory(username="other_rep", role="rep", manager=other_manager)
    executive = UserFactory(username="executive", role="executive")
    admin = UserFactory(username="admin", role="admin")
    ours = AccountFactory(external_id="ACC-OURS", name="Ours Telecom", owner=rep)
    theirs = AccountFactory(external_id="ACC-THEIRS", name="Theirs Utilities", owner=other_rep)
    return type("People", (), dict(
        director=director, manager=manager, rep=rep, other_manager=other_manager,
        other_rep=other_rep, executive=executive, admin=admin, ours=ours, theirs=theirs,
    ))


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write a CSV file from text (dedented lines joined by newlines) in a temporary folder."""

    def write(name: str, text: str, *, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        lines = [line.strip() for line in text.strip().splitlines()]
        path.write_text("\n".join(lines) + "\n", encoding=encoding)
        return path

    return write
