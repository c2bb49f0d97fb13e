"""How the REST API knows who is calling: a bearer token, or the web app's session.

Tokens are compared by their SHA-256 (``ApiToken.hash``); the raw token is never stored,
logged or echoed in an answer. A token past its ``expires_at`` is refused with 401 and a
message that says it expired.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from heedful.core.models import ApiToken, User
from heedful.lib import clock

AUTHENTICATION_REQUIRED = (
    "Authentication required: send 'Authorization: Bearer <token>' "
    "(create a token with `heedful token create USERNAME`) or log in to the web app."
)
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``. A header that is present but wrong is answered
    with 401 at once, rather than falling back to the session."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header, "")
        if not header:
            return None
        scheme, _, raw_token = header.partition(" ")
        if scheme.lower() != "bearer" or not raw_token.strip():
            raise AuthenticationError(message="Use the header 'Authorization: Bearer <token>'.")
        return self.authenticate(request, raw_token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User:
        found = (
            ApiToken.objects.select_related("user").filter(token_hash=ApiToken.hash(token)).first()
        )
        if found is None:
            raise AuthenticationError(
                message="This API token is not valid: it is mistyped or was revoked."
            )
        now = clock.now()
        if found.has_expired(now):
            assert found.expires_at is not None
            expired = timezone.localtime(found.expires_at)
            raise AuthenticationError(
                message=f"This API token expired on {expired:%Y-%m-%d %H:%M %Z}; create a new "
                "one with `heedful token create USERNAME`."
            )
        if not found.user.is_active:
            raise AuthenticationError(message="The user of this API token is deactivated.")
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found.user


class SessionLogin(APIKeyCookie):
    """The web app's logged-in session. Unsafe methods need Django's CSRF token (the
    ``X-CSRFToken`` header), as every form of the web app does."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        csrf_exempt = getattr(request, "_ninja_csrf_exempt", False)
        if request.method in UNSAFE_METHODS and not csrf_exempt and check_csrf(request):
            raise HttpError(
                403, "CSRF check failed: send the csrftoken cookie's value as X-CSRFToken."
            )
        return user  # type: ignore[no-any-return]


def request_user(request: HttpRequest) -> User:
    """The caller of an API endpoint, which Ninja's auth (``BearerToken`` or ``SessionLogin``,
    required by every endpoint) put on ``request.auth``."""
    user = getattr(request, "auth", None)
    assert isinstance(user, User), "an API endpoint was reached without an authenticated user"
    return user
