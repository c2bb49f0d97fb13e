"""``heedful token create USERNAME [--name N]``, ``heedful token list``, ``heedful token revoke
PREFIX``: API tokens. The raw token is printed once, at creation; only its hash is kept."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heedful.core import audit
from heedful.core.models import ApiToken, User

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Create, list and revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Issue a token for a user; printed once.")
        create.add_argument("username")
        create.add_argument("--name", default="API", help="What the token is for.")
        create.add_argument("--json", action="store_true", help="Print JSON.")
        listing = actions.add_parser("list", help="Every token: prefix, name, user, last use.")
        listing.add_argument("--user", dest="username", help="Only this user's tokens.")
        listing.add_argument("--json", action="store_true", help="Print JSON.")
        revoke = actions.add_parser("revoke", help="Delete the token starting with PREFIX.")
        revoke.add_argument("prefix")
        revoke.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self.create(options["username"], options["name"], as_json=options["json"])
        elif action == "list":
            self.list(options["username"], as_json=options["json"])
        else:
            self.revoke(options["prefix"], as_json=options["json"])

    def create(self, username: str, name: str, *, as_json: bool) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.", returncode=BAD_INPUT)
        if not user.is_active:
            raise CommandError(f"User {username!r} is deactivated.", returncode=BAD_INPUT)
        token, raw = ApiToken.issue(user=user, name=name)
        audit.record(user=None, action="api_token.create", subject=f"API token {token.prefix}",
                     detail={"username": username, "name": name})
        if as_json:
            self.stdout.write(json.dumps({"prefix": token.prefix, "name": name,
                                          "username": username, "token": raw}))
            return
        self.stdout.write(raw)
        self.stderr.write(
            f"API token {token.prefix}… for {username} ({name}). It is shown only now; use it "
            "as 'Authorization: Bearer <token>'."
        )

    def list(self, username: str | None, *, as_json: bool) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if username:
            tokens = tokens.filter(user__username=username)
        rows: list[dict[str, Any]] = [
            {
                "prefix": token.prefix, "name": token.name, "username": token.user.username,
                "created_at": token.created_at.isoformat(),
                "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
            }
            for token in tokens
        ]
        if as_json:
            self.stdout.write(json.dumps(rows))
            return
        for row in rows:
            last_used = (row["last_used_at"] or "never")[:16]
            self.stdout.write(
                f"{row['prefix']}  {row['username']:<20} {row['name']:<30} "
                f"created {row['created_at'][:16]}  last used {last_used}"
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
