"""``heedful serve [--host H] [--port N] [--workers N]``: the web app under gunicorn, static
files served by whitenoise."""

import gc
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

BAD_INPUT = 2


def serve(*, host: str, port: int, workers: int = 2, threads: int = 4) -> None:
    """Collect static files quietly, then serve until interrupted."""
    from gunicorn.app.base import BaseApplication

    call_command("collectstatic", interactive=False, verbosity=0)
    # Workers are forked: none may inherit this process's database connection.
    connections.close_all()

    class Application(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("accesslog", "-")

        def load(self) -> Any:
            from heedful.wsgi import application

            # What a worker has loaded lives as long as it does: keep it out of the garbage
            # collector's full passes, which otherwise walked it in one request of ten and
            # added 60 ms there (the accounts list at 100,000 accounts, bench/pages.py).
            gc.collect()
            gc.freeze()
            return application

    Application().run()


class Command(BaseCommand):
    help = "Serve the web app (gunicorn; whitenoise serves static files)."
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"]
        if not 0 < port < 65536:
            raise CommandError(f"--port {port}: expected 1 to 65535.", returncode=BAD_INPUT)
        if options["workers"] < 1:
            raise CommandError("--workers: expected at least 1.", returncode=BAD_INPUT)
        self.stdout.write(f"Serving Heedful on http://{options['host']}:{port}/ (Ctrl-C stops).")
        self.stdout.flush()
        serve(host=options["host"], port=port, workers=options["workers"])
