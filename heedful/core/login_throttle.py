"""Login throttling with django-axes: the backend that refuses a locked-out user name, and
the login page that says so (settings: HEEDFUL_LOGIN_ATTEMPTS, HEEDFUL_LOGIN_LOCKOUT_MINUTES).
"""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' lock-out check for logins that come through a web request (the login page, the
    admin's). A caller with no request (a script, the test client's ``login``) has no
    address to count attempts by and is let through to the password check, where axes'
    own backend would refuse it outright."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)  # type: ignore[no-any-return]


def locked_out_page(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The login page again, saying in plain words that this user name is locked and for how
    long (answered 429 Too Many Requests)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    context = {
        "locked_out": True,
        "lockout_minutes": settings.HEEDFUL_LOGIN_LOCKOUT_MINUTES,
        "login_attempts": settings.HEEDFUL_LOGIN_ATTEMPTS,
        "username": username,
        "next": request.POST.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=429)
