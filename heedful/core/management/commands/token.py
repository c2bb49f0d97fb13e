"""``heedful token create USERNAME [--name N] [--expires-in-days N | --expires YYYY-MM-DD]``,
``heedful token list``, ``heedful token revoke PREFIX``: API tokens. The raw token is printed
once, at creation; only its hash is kept. A token with an expiry is refused from then on."""

import json
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from heedful.core import audit
from heedful.core.models import ApiToken, User
from heedful.lib import clock

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Create, list and revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Issue a token for a user; printed once.")
        create.add_argument("username")
        create.add_argument("--name", default="API", help="What the token is for.")
        expiry = create.add_mutually_exclusive_group()
        expiry.add_argument(
            "--expires-in-days", type=int, metavar="N",
            help="Refuse the token N days from now (N at least 1).",
        )
        expiry.add_argument(
            "--expires", metavar="YYYY-MM-DD",
            help="Refuse the token from the start of this day on (HEEDFUL_TIME_ZONE).",
        )
        create.add_argument("--json", action="store_true", help="Print JSON.")
        listing = actions.add_parser(
            "list", help="Every token: prefix, name, user, last use, expiry."
        )
        listing.add_argument("--user", dest="username", help="Only this user's tokens.")
        listing.add_argument("--json", action="store_true", help="Print JSON.")
        revoke = actions.add_parser("revoke", help="Delete the token starting with PREFIX.")
        revoke.add_argument("prefix")
        revoke.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            expires_at = expiry_from(
                in_days=options["expires_in_days"], on_day=options["expires"]
            )
            self.create(
                options["username"], options["name"], expires_at=expires_at,
                as_json=options["json"],
            )
        elif action == "list":
            self.list(options["username"], as_json=options["json"])
        else:
            self.revoke(options["prefix"], as_json=options["json"])

    def create(
        self, username: str, name: str, *, expires_at: datetime | None, as_json: bool
    ) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.", returncode=BAD_INPUT)
        if not user.is_active:
            raise CommandError(f"User {username!r} is deactivated.", returncode=BAD_INPUT)
        token, raw = ApiToken.issue(user=user, name=name, expires_at=expires_at)
        expires = expires_at.isoformat() if expires_at else None
        audit.record(user=None, action="api_token.create", subject=f"API token {token.prefix}",
                     detail={"username": username, "name": name, "expires_at": expires})
        if as_json:
            self.stdout.write(json.dumps({"prefix": token.prefix, "name": name,
                                          "username": username, "token": raw,
                                          "expires_at": expires}))
            return
        self.stdout.write(raw)
        self.stderr.write(
            f"API token {token.prefix}… for {username} ({name}), {_expiry_words(expires_at)}. "
            "It is shown only now; use it as 'Authorization: Bearer <token>'."
        )

    def list(self, username: str | None, *, as_json: bool) -> None:
        now = clock.now()
        found = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if username:
            found = found.filter(user__username=username)
        tokens = list(found)
        rows: list[dict[str, Any]] = [
            {
                "prefix": token.prefix, "name": token.name, "username": token.user.username,
                "created_at": token.created_at.isoformat(),
                "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
                "expires_at": token.expires_at.isoformat() if token.expires_at else None,
                "is_expired": token.has_expired(now),
            }
            for token in tokens
        ]
        if as_json:
            self.stdout.write(json.dumps(rows))
            return
        for token, row in zip(tokens, rows, strict=True):
            last_used = (row["last_used_at"] or "never")[:16]
            self.stdout.write(
                f"{row['prefix']}  {row['username']:<20} {row['name']:<30} "
                f"created {row['created_at'][:16]}  last used {last_used}  "
                + ("EXPIRED, " if row["is_expired"] else "")
                + _expiry_words(token.expires_at)
            )

    def revoke(self, prefix: str, *, as_json: bool) -> None:
        matches = list(ApiToken.objects.filter(prefix__startswith=prefix).select_related("user"))
        if not matches:
            raise CommandError(f"No API token starts with {prefix!r}.", returncode=BAD_INPUT)
        if len(matches) > 1:
            raise CommandError(
                f"{len(matches)} API tokens start with {prefix!r}; give more characters.",
                returncode=BAD_INPUT,
            )
        token = matches[0]
        token.delete()
        audit.record(user=None, action="api_token.revoke", subject=f"API token {token.prefix}",
                     detail={"username": token.user.username, "name": token.name})
        if as_json:
            self.stdout.write(json.dumps({"revoked": token.prefix}))
        else:
            self.stdout.write(f"Revoked {token.prefix}… ({token.user.username}, {token.name}).")


def expiry_from(*, in_days: int | None, on_day: str | None) -> datetime | None:
    """The moment a new token expires: ``in_days`` from now, or the start of ``on_day`` in
    the organisation's time zone; None for neither. Bad input is a CommandError (exit 2)."""
    now = clock.now()
    if in_days is not None:
        if in_days < 1:
            raise CommandError("--expires-in-days must be 1 or more.", returncode=BAD_INPUT)
        return now + timedelta(days=in_days)
    if on_day is None:
        return None
    try:
        day = date.fromisoformat(on_day)
    except ValueError:
        raise CommandError(
            f"--expires {on_day!r} is not a date as YYYY-MM-DD.", returncode=BAD_INPUT
        ) from None
    expires_at = timezone.make_aware(datetime.combine(day, time.min))
    if expires_at <= now:
        raise CommandError(
            f"--expires {on_day} is not in the future: the token would never work.",
            returncode=BAD_INPUT,
        )
    return expires_at


def _expiry_words(expires_at: datetime | None) -> str:
    if expires_at is None:
        return "never expires"
    return f"expires {timezone.localtime(expires_at):%Y-%m-%d %H:%M %Z}"
