"""What every database connection is told when it opens (bench/README.md says why)."""

from django.db import connection


def test_connections_are_tuned_for_the_rules(db) -> None:  # noqa: ANN001
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # JIT compiled the rules' queries for longer than it saved
            cursor.execute("SHOW jit")
            assert cursor.fetchone() == ("off",)
        else:
            # 128 MiB of page cache instead of 2: plays are written twice as fast
            cursor.execute("PRAGMA cache_size")
            assert cursor.fetchone() == (-131072,)
