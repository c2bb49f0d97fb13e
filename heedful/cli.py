"""The ``heedful`` command: Django's management commands with Heedful's settings preset.

Exit codes follow CONTRACTS.md: 0 success, 2 bad input, 1 any other failure.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heedful.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["heedful", *argv])
    if len(args) > 1 and args[1] == "import-all":
        args[1] = "import_all"
    try:
        execute_from_command_line(args)
    except KeyboardInterrupt:
        sys.exit(1)


if __name__ == "__main__":
    main()
