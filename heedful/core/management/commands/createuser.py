"""``heedful createuser USERNAME --role ROLE [--manager USERNAME]``: add one of our staff.

The password comes from ``--password``, else ``HEEDFUL_PASSWORD``, else a prompt when a person
is at the terminal; with none of these the user gets an unusable password (an admin can set
one later) and the command says so.
"""

import getpass
import os
import sys
from datetime import date
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from heedful.core.models import Role, User

BAD_INPUT = 2


def bad_input(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


class Command(BaseCommand):
    help = "Create one of our staff users with a role (rep, manager, executive, admin)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--role", required=True, help="One of: " + ", ".join(Role.values) + "."
        )
        parser.add_argument("--manager", help="Username of the person they report to.")
        parser.add_argument("--password", help="Else HEEDFUL_PASSWORD, else a prompt.")
        parser.add_argument("--email", default="")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--start-date", help="First working day, YYYY-MM-DD.")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"].strip()
        if not username:
            raise bad_input("USERNAME must not be empty.")
        if User.objects.filter(username=username).exists():
            raise bad_input(f"A user named {username!r} already exists.")
        role = options["role"].strip().lower()
        if role not in Role.values:
            raise bad_input(
                f"--role {options['role']!r}: expected one of {', '.join(Role.values)}."
            )
        manager = None
        if options["manager"]:
            manager = User.objects.filter(username=options["manager"]).first()
            if manager is None:
                raise bad_input(f"--manager {options['manager']!r}: no such user.")
        email = options["email"].strip().lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise bad_input(f"--email {options['email']!r}: not an e-mail address.") from None
        start_date = None
        if options["start_date"]:
            try:
                start_date = date.fromisoformat(options["start_date"])
            except ValueError:
                raise bad_input(
                    f"--start-date {options['start_date']!r}: expected YYYY-MM-DD."
                ) from None

        user = User(
            username=username,
            role=role,
            manager=manager,
            email=email,
            full_name=options["full_name"].strip(),
            start_date=start_date,
        )
        password = self._password(options["password"], user)
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        with transaction.atomic():
            user.save()
        self.stdout.write(f"Created {role} {username!r}.")
        if password is None:
            self.stdout.write(
                "No password given (use --password, HEEDFUL_PASSWORD or run it at a terminal): "
                "the user cannot log in until an admin sets one."
            )

    def _password(self, given: str | None, user: User) -> str | None:
        password = given if given is not None else os.environ.get("HEEDFUL_PASSWORD")
        if password is None and sys.stdin.isatty():
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise bad_input("The two passwords differ.")
        if password is None:
            return None
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise bad_input("Password refused: " + " ".join(error.messages)) from None
        return password
