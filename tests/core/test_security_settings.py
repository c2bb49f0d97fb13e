"""The HEEDFUL_* settings for a site behind a TLS proxy and for login throttling, read in a
fresh process as a server would read them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# A request through Django's test client in a process of its own: what a browser would get.
PROBE = """
import json, django
from django.conf import settings
from django.test.utils import setup_test_environment
django.setup()
setup_test_environment()
from django.test import Client
response = Client().get("/login/", headers={"X-Forwarded-Proto": "https"})
print(json.dumps({
    "hsts": response.headers.get("Strict-Transport-Security"),
    "csrf_cookie_secure": bool(response.cookies["csrftoken"]["secure"]),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "login_attempts": settings.AXES_FAILURE_LIMIT,
    "lockout_seconds": settings.AXES_COOLOFF_TIME.total_seconds(),
}))
"""


def run_settings(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    environment = {
        name: value for name, value in os.environ.items()
        if not name.startswith("HEEDFUL_") and name != "DJANGO_SETTINGS_MODULE"
    }
    environment.update(
        HEEDFUL_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="heedful.settings", **variables
    )
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=environment, capture_output=True, text=True,
        timeout=120,
    )


def probe(tmp_path: Path, **variables: str) -> dict:
    finished = run_settings(tmp_path, **variables)
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout)


def test_behind_a_tls_proxy_cookies_are_secure_and_browsers_are_told_https_only(
    tmp_path: Path,
) -> None:
    # when
    answer = probe(tmp_path, HEEDFUL_SECURE_PROXY="true", HEEDFUL_HSTS_SECONDS="31536000")
    # then
    assert answer["hsts"] == "max-age=31536000"
    assert answer["csrf_cookie_secure"] is True
    assert answer["session_cookie_secure"] is True


def test_without_a_proxy_plain_http_keeps_working(tmp_path: Path) -> None:
    # when
    answer = probe(tmp_path)
    # then: a forwarded header alone is not trusted, and cookies still travel over http
    assert answer["hsts"] is None
    assert answer["csrf_cookie_secure"] is False
    assert answer["session_cookie_secure"] is False


def test_login_attempts_and_lockout_minutes_come_from_the_environment(tmp_path: Path) -> None:
    # when
    answer = probe(tmp_path, HEEDFUL_LOGIN_ATTEMPTS="3", HEEDFUL_LOGIN_LOCKOUT_MINUTES="30")
    # then
    assert answer["login_attempts"] == 3
    assert answer["lockout_seconds"] == 30 * 60


@pytest.mark.parametrize("name, value", [
    ("HEEDFUL_SECURE_PROXY", "maybe"),
    ("HEEDFUL_SECURE_COOKIES", "sometimes"),
    ("HEEDFUL_HSTS_SECONDS", "a year"),
    ("HEEDFUL_HSTS_SECONDS", "-1"),
    ("HEEDFUL_LOGIN_ATTEMPTS", "0"),
    ("HEEDFUL_LOGIN_LOCKOUT_MINUTES", "soon"),
])
def test_a_bad_value_stops_the_start_and_names_the_variable(
    tmp_path: Path, name: str, value: str
) -> None:
    # when
    finished = run_settings(tmp_path, **{name: value})
    # then
    assert finished.returncode != 0
    assert f"{name}={value!r}" in finished.stderr
