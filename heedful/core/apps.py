from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def turn_jit_off(sender: Any, connection: Any, **kwargs: Any) -> None:
    """PostgreSQL compiles queries it expects to be long (most rules) before running them,
    which took longer than it saved: a full scan 15% slower, the spike rule 40%. Set per
    session, not as a startup option, which connection poolers such as PgBouncer refuse."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")


class CoreConfig(AppConfig):
    name = "heedful.core"
    label = "core"

    def ready(self) -> None:
        connection_created.connect(turn_jit_off, dispatch_uid="heedful-jit-off")
