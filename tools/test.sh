#!/usr/bin/env bash
# `make test`: install what the tests need, then run the whole suite on SQLite and on
# PostgreSQL, browser tests included. With CI=true any skipped test fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}

test -x "$VENV/bin/python" || "$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install -q --upgrade pip
"$VENV/bin/pip" install -q -e ".[test]"

bash tools/system-packages.sh

work=$(mktemp -d)
cleanup() { bash tools/postgres.sh stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

echo "== ruff"
"$VENV/bin/ruff" check heedful tests bench

echo "== mypy"
HEEDFUL_HOME="$work/mypy" "$VENV/bin/mypy" heedful

export DJANGO_ALLOW_ASYNC_UNSAFE=true
status=0

echo "== tests on SQLite"
HEEDFUL_HOME="$work/sqlite" "$VENV/bin/pytest" -q -n "${HEEDFUL_TEST_WORKERS:-2}" -m "not postgres_only" "$@" || status=$?

echo "== tests on PostgreSQL"
if url=$(bash tools/postgres.sh start "$work/pg"); then
  HEEDFUL_HOME="$work/pg-home" HEEDFUL_DATABASE_URL="$url" "$VENV/bin/pytest" -q -n "${HEEDFUL_TEST_WORKERS:-2}" "$@" || status=$?
else
  echo "PostgreSQL could not be started: see the lines above." >&2
  status=1
fi
exit $status
