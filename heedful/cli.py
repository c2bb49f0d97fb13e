"""The ``heedful`` command: Django's management commands with Heedful's settings preset.

``heedful --help`` lists Heedful's own commands, one line each; Django's own (dumpdata,
sqlflush and some forty more) stay reachable under ``heedful help --all``. Errors are printed
as our messages alone (no "CommandError:" in front) on stderr, and a reader that goes away
(``heedful scan --json | head -1``) ends the command quietly.

Exit codes follow CONTRACTS.md: 0 success, 2 bad input, 1 any other failure; 141 (a closed
pipe, as for any command stopped by SIGPIPE).
"""

import os
import signal
import sys
from typing import Any

# A command that another program stopped reading: the shell's code for "killed by SIGPIPE".
CLOSED_PIPE = 128 + signal.SIGPIPE
BAD_INPUT = 2
LIST_EVERY_COMMAND = "--all"
HELP_ARGUMENTS: tuple[list[str], ...] = (["--help"], ["-h"], ["help"], [])

# Commands from outside Heedful's own apps that running Heedful needs, in our words.
BORROWED_COMMANDS = {
    "migrate": "Create or upgrade the database (run it after installing a new version).",
    "axes_reset_username": "Unlock logging in as these user names after too many wrong "
    "passwords.",
    "db_worker": "Run queued background work (with HEEDFUL_TASKS_BACKEND=database).",
}
# Spelled on the command line with a hyphen (README), named with an underscore in Python.
SPELLINGS = {"import-all": "import_all", "convert-maven": "convert_maven"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heedful.settings")
    args = list(sys.argv if argv is None else ["heedful", *argv])
    args[0] = "heedful"
    if len(args) > 1:
        args[1] = SPELLINGS.get(args[1], args[1])
    try:
        read_settings()
        HeedfulCommandLine(args).execute()
        sys.stdout.flush()
    except KeyboardInterrupt:
        sys.exit(1)
    except BrokenPipeError:
        # Nothing more can be written; send what Python still holds for stdout to /dev/null,
        # or its flush at exit raises the same error again, with a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(CLOSED_PIPE)


def read_settings() -> None:
    """Read the settings (every HEEDFUL_* variable) now, so that a bad value is one line on
    stderr, exit 2, rather than a traceback from deep inside Django."""
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 (the first read loads the settings module)
    except ValueError as error:
        # heedful.settings.SettingError, or a value Django or dj-database-url refuses (a time
        # zone, a database URL): each names the variable and what it expected.
        sys.stderr.write(f"{error}\n")
        sys.exit(BAD_INPUT)


class HeedfulCommandLine:
    """Heedful's help and error output around Django's command runner."""

    def __init__(self, args: list[str]) -> None:
        from django.core.management import ManagementUtility

        self.args = args
        self.django = ManagementUtility(args)

    def execute(self) -> None:
        import django
        from django.core.management import BaseCommand

        arguments = self.args[1:]
        if arguments in HELP_ARGUMENTS:
            django.setup()
            sys.stdout.write(heedful_help() + "\n")
            return
        if arguments == ["help", LIST_EVERY_COMMAND]:
            # Django's own listing of every command, by app.
            self.django.argv = self.args[:2]
            self.django.execute()
            return
        if arguments[0] in ("help", "version", "--version") or (
            "DJANGO_AUTO_COMPLETE" in os.environ
        ):
            # Help on one command, the version, shell completion: as Django answers them.
            self.django.execute()
            return
        django.setup()
        command = self.django.fetch_command(arguments[0])
        assert isinstance(command, BaseCommand)
        run(command, self.args)


def heedful_help() -> str:
    """Heedful's commands, one line each, and where Django's own are."""
    from django.core.management import get_commands, load_command_class

    lines = [
        "Heedful: the customer-engagement platform for B2B account teams.",
        "",
        "Usage: heedful COMMAND [options]",
        "       heedful help COMMAND   (the options of one command)",
        "",
        "Commands:",
    ]
    entries = []
    for name, app in get_commands().items():
        if isinstance(app, str) and app.startswith("heedful."):
            summary = first_sentence(load_command_class(app, name).help)
        elif name in BORROWED_COMMANDS:
            summary = BORROWED_COMMANDS[name]
        else:
            continue
        spelled = next((hyphen for hyphen, under in SPELLINGS.items() if under == name), name)
        entries.append((spelled, summary))
    width = max(len(name) for name, _ in entries) + 2
    lines += [f"  {name:<{width}}{summary}" for name, summary in sorted(entries)]
    lines += [
        "",
        "More: Django's own commands, for operators and developers: heedful help --all",
    ]
    return "\n".join(lines)


def first_sentence(text: str) -> str:
    """The first sentence (or clause before a semicolon) of a command's help, on one line."""
    flat = " ".join(text.split())
    ends = [at for at in (flat.find(". "), flat.find("; ")) if at != -1]
    return flat if not ends else flat[: min(ends)] + "."


def run(command: Any, args: list[str]) -> None:
    """Django's ``BaseCommand.run_from_argv``, with our messages printed without Django's
    "CommandError:" prefix (the exit code stays the error's: 2 for bad input)."""
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management.base import CommandError, SystemCheckError, handle_default_options
    from django.db import connections

    # Bad options are argparse's: a usage line, the problem, exit 2.
    command._called_from_command_line = True
    parser = command.create_parser(args[0], args[1])
    options = parser.parse_args(args[2:])
    command_options = vars(options)
    positional = command_options.pop("args", ())
    handle_default_options(options)
    reader_gone = False
    try:
        command.execute(*positional, **command_options)
    except BrokenPipeError:
        # Let go of the error here: its traceback holds the command's open database cursors
        # (a streamed query), which must close before their connection does below.
        reader_gone = True
    except CommandError as error:
        if options.traceback:
            raise
        if isinstance(error, SystemCheckError):
            command.stderr.write(str(error), lambda text: text)
        else:
            command.stderr.write(str(error))
        sys.exit(error.returncode)
    finally:
        try:
            connections.close_all()
        except ImproperlyConfigured:
            pass
    if reader_gone:
        raise BrokenPipeError


if __name__ == "__main__":
    main()
