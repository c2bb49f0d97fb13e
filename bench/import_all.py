"""Benchmark of ``heedful import-all`` of a generated book into an empty database (issue 7).

Issue 7 validates CSV rows with the same code as API bodies; its "done when" asks that
importing the 100,000-account generated data be no slower than before on either database.
This script measures that, before and after, on the same CSV files:

1. the CSV folder: ``heedful generate --accounts N --seed S --as-of D`` into a scratch SQLite
   home, then ``heedful export DIR`` (DIR defaults to /work/bench-data/import-N, outside the
   repository). With ``--reuse`` an existing DIR is taken as it is; when DIR is missing but
   the generated home is there (DIR-generated), only the export runs again, with the code of
   today (after a change of the CSV format, delete DIR and re-run with ``--reuse``);
2. for each database (SQLite in a fresh empty HEEDFUL_HOME; PostgreSQL, with
   ``--database-url``, a database ``--pg-database`` on that server, dropped and created),
   ``heedful migrate``, then ``heedful import-all DIR --json`` timed as a child process:
   wall time of the whole command, and of the import alone (until its summary is printed:
   after the commit and before the scan of the imported accounts the command then runs),
   peak memory of the command (and at the end of the import alone), rows per second, and,
   from the command's progress bars, the time each file spent being checked and written;
3. ``--repeat`` runs per database (each into a new empty one), the median reported;
   ``--save FILE`` writes the figures as JSON, ``--baseline FILE`` (one saved before)
   prints after ÷ before per database. ``--compare-with CHECKOUT`` (another checkout with
   its .venv, e.g. the worktree of the code before) instead runs both codes' import-all
   alternately, so that before and after meet the same load: on the shared machine the same
   import took 301 s in one run and 602 s in another.

    .venv/bin/python bench/import_all.py --accounts 100000 \\
        --database-url postgresql://postgres@127.0.0.1:55440/heedful \\
        --save /work/bench-data/import-baseline.json
    .venv/bin/python bench/import_all.py --accounts 20000 --reuse \\
        --database-url postgresql://postgres@127.0.0.1:55440/heedful \\
        --baseline bench/import_all_baseline.json
    .venv/bin/python bench/import_all.py --accounts 20000 --reuse --repeat 3 \\
        --database-url postgresql://postgres@127.0.0.1:55440/heedful \\
        --compare-with /work/wt-bench
    .venv/bin/python bench/import_all.py --accounts 2000    # a quick check, SQLite only

The load average (``uptime``) is recorded before and after each timing: the machine is
shared, and a busy one inflates every figure.
"""

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
HEEDFUL = ROOT / ".venv" / "bin" / "heedful"
DATA_ROOT = Path("/work/bench-data")
DEFAULT_AS_OF = "2026-11-22"
IMPORT_ONLY = False  # --import-only
# The command's rich progress bars name the file and the phase ("accounts.csv: writing").
PHASE = re.compile(rb"([a-z_]+\.csv): (checking|writing)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1, help="Seed of the generator.")
    parser.add_argument("--as-of", default=DEFAULT_AS_OF,
                        help=f"The generated data's today (default {DEFAULT_AS_OF}).")
    parser.add_argument("--csv-dir", help="The exported CSV folder (default: "
                        f"{DATA_ROOT}/import-N; the generated home beside it, DIR-generated).")
    parser.add_argument("--reuse", action="store_true",
                        help="Take the CSV folder (or the generated home) made by an earlier run.")
    parser.add_argument("--sqlite-home", help="Where the SQLite imports go (a fresh "
                        "subfolder per run, deleted after it; default: a temporary folder).")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--database-url",
                        help="A PostgreSQL server to measure too (its database is not touched).")
    parser.add_argument("--pg-database", default="heedful_import_bench",
                        help="The database dropped and created on that server for each run.")
    parser.add_argument("--import-only", action="store_true",
                        help="Stop each import-all once its import is committed (its summary "
                        "line), without the scan it runs after; 'whole command' is then that.")
    parser.add_argument("--repeat", type=int, default=1,
                        help="Imports per database (the median is reported).")
    parser.add_argument("--save", help="Write this run's figures to this JSON file.")
    parser.add_argument("--baseline", help="A JSON file written by --save before: print "
                        "after ÷ before per database.")
    parser.add_argument("--compare-with", metavar="CHECKOUT", help="Another checkout of "
                        "heedful with its .venv (the code before a change): run its import-all "
                        "and this one's alternately, --repeat times each, and print this one's "
                        "÷ its (both meet the same load, unlike a baseline saved earlier).")
    options = parser.parse_args()
    if options.repeat < 1:
        parser.error("--repeat: expected at least 1")
    before = Path(options.compare_with or ROOT).resolve() / ".venv" / "bin" / "heedful"
    if options.compare_with and not before.exists():
        parser.error(f"--compare-with: no {before}")
    if options.compare_with and options.baseline:
        parser.error("--compare-with and --baseline: give one of them")
    if options.skip_sqlite and not options.database_url:
        parser.error("--skip-sqlite needs --database-url (nothing to measure)")

    global IMPORT_ONLY
    IMPORT_ONLY = options.import_only
    csv_dir = Path(options.csv_dir or DATA_ROOT / f"import-{options.accounts}")
    source = prepare_csv(csv_dir, options)
    figures: dict[str, Any] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": git_describe(),
        "code": code_commit(),
        "csv": source,
        "repeat": options.repeat,
        "databases": {},
    }
    baseline = json.loads(Path(options.baseline).read_text()) if options.baseline else None
    if options.compare_with:
        checkout = Path(options.compare_with)
        baseline = {**figures, "git": git_describe(checkout), "code": code_commit(checkout),
                    "databases": {}}
        figures["compared_with"] = baseline
    vendors = ([] if options.skip_sqlite else ["sqlite"]) + (
        ["postgresql"] if options.database_url else [])
    for vendor in vendors:
        if options.compare_with and baseline is not None:
            after, earlier = compare_database(vendor, csv_dir, options, before)
            figures["databases"][vendor] = after
            baseline["databases"][vendor] = earlier
        else:
            figures["databases"][vendor] = measure_database(vendor, csv_dir, options)
    if options.save:
        Path(options.save).write_text(json.dumps(figures, indent=1) + "\n")
        print(f"figures saved to {options.save}", file=sys.stderr)
    if baseline is not None and options.compare_with:
        report(baseline, None, title="before (--compare-with)")
    report(figures, baseline)


# --- The CSV folder ------------------------------------------------------------------------


def prepare_csv(csv_dir: Path, options: argparse.Namespace) -> dict[str, Any]:
    """Make (or, with --reuse, take) the exported folder; what it holds, and how it was made."""
    generated_home = csv_dir.with_name(csv_dir.name + "-generated")
    made_file = csv_dir / "bench-made.json"  # not a <kind>.csv: import-all ignores it
    if options.reuse and made_file.exists():
        earlier = json.loads(made_file.read_text())
        note(f"reusing the CSV folder {csv_dir} ({earlier['accounts']:,} accounts, seed "
             f"{earlier['seed']}, exported {earlier['exported_at']})")
        return {**earlier, "directory": str(csv_dir), "files": csv_files(csv_dir)}
    if csv_dir.exists():
        if not options.reuse:
            sys.exit(f"{csv_dir} already exists: --reuse to import it as it is, or delete it")
        sys.exit(f"{csv_dir} exists but was not made by this script (no {made_file.name})")
    sqlite = generated_home / "heedful.sqlite3"
    env = sqlite_env(generated_home)
    made: dict[str, Any] = {
        "accounts": options.accounts, "seed": options.seed, "as_of": options.as_of,
    }
    if options.reuse and sqlite.exists():
        note(f"reusing the generated database in {generated_home}")
        made["generate_seconds"] = None
    else:
        if generated_home.exists():
            sys.exit(f"{generated_home} exists: --reuse to export it again, or delete it")
        generated_home.mkdir(parents=True)
        command = ["generate", "--accounts", str(options.accounts), "--seed",
                   str(options.seed), "--as-of", options.as_of]
        note(f"heedful {' '.join(command)} into {generated_home}")
        started = time.perf_counter()
        heedful(command, env)
        made["generate_seconds"] = round(time.perf_counter() - started, 1)
    heedful(["migrate", "-v", "0"], env)  # an older generated database, today's code
    note(f"heedful export {csv_dir}")
    started = time.perf_counter()
    heedful(["export", str(csv_dir)], env)
    made["export_seconds"] = round(time.perf_counter() - started, 1)
    made["exported_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    made["exported_by"] = git_describe()
    made_file.write_text(json.dumps(made, indent=1) + "\n")
    return {**made, "directory": str(csv_dir), "files": csv_files(csv_dir)}


def csv_files(csv_dir: Path) -> dict[str, dict[str, int]]:
    """Each CSV file's data rows and bytes (rows counted as lines: quoted newlines in cells
    would count twice, which only shifts rows per second a little)."""
    files = {}
    for path in sorted(csv_dir.glob("*.csv")):
        with path.open("rb") as handle:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
        files[path.name] = {"rows": max(lines - 1, 0), "bytes": path.stat().st_size}
    return files


# --- Measuring one database ----------------------------------------------------------------


def measure_database(
    vendor: str, csv_dir: Path, options: argparse.Namespace, program: Path = HEEDFUL,
    only: int | None = None,
) -> dict[str, Any]:
    """``--repeat`` imports with ``program`` (only the ``only``-th, when given)."""
    runs = []
    for number in range(1, options.repeat + 1) if only is None else [only]:
        if vendor == "sqlite":
            parent = Path(options.sqlite_home) if options.sqlite_home else None
            if parent:
                parent.mkdir(parents=True, exist_ok=True)
            home = Path(tempfile.mkdtemp(prefix="heedful-importbench-", dir=parent))
            env = sqlite_env(home)
        else:
            home = Path(tempfile.mkdtemp(prefix="heedful-importbench-pg-"))
            url = fresh_database(options.database_url, options.pg_database)
            env = {**sqlite_env(home), "HEEDFUL_DATABASE_URL": url}
        try:
            heedful(["migrate", "-v", "0"], env, program)
            note(f"[{vendor}] run {number}/{options.repeat}: {program} import-all {csv_dir}")
            run = timed_import(csv_dir, env, program)
            run["database_bytes"] = database_bytes(vendor, home, env)
        finally:
            shutil.rmtree(home, ignore_errors=True)
        note(f"[{vendor}] run {number}: import {run['import_seconds']:.1f} s, whole command "
             f"{run['total_seconds']:.1f} s, peak {run['peak_bytes'] / 2**20:,.0f} MiB, "
             f"load {run['load_before'][0]:.1f} → {run['load_after'][0]:.1f}")
        runs.append(run)
    return {"runs": runs, "median": median_run(runs)}


def compare_database(vendor: str, csv_dir: Path, options: argparse.Namespace,
                     before: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """``--repeat`` imports with each code, alternating which goes first (before, after;
    after, before; ...) so that both meet the same load; (after, before)."""
    programs = {"before": before, "after": HEEDFUL}
    runs: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
    for number in range(1, options.repeat + 1):
        for code in ("before", "after") if number % 2 else ("after", "before"):
            note(f"[{vendor}] the code {code}:")
            measured = measure_database(vendor, csv_dir, options, programs[code], number)
            runs[code] += measured["runs"]
    after, earlier = ({"runs": runs[code], "median": median_run(runs[code])}
                      for code in ("after", "before"))
    return after, earlier


def timed_import(csv_dir: Path, env: dict[str, str], program: Path = HEEDFUL) -> dict[str, Any]:
    """Run ``heedful import-all DIR --json``: the times of its summary line (end of the
    import), its end (after the scan it triggers), its peak memory, and when each file's
    progress bar first showed."""
    child_env = {
        **env,
        "PYTHONUNBUFFERED": "1",  # the summary line arrives when it is written
        "TTY_COMPATIBLE": "1",    # rich draws its progress bars into the pipe too
        "COLUMNS": "200",
    }
    load_before = os.getloadavg()
    started = time.perf_counter()
    child = subprocess.Popen(
        [str(program), "import-all", str(csv_dir), "--json"], env=child_env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    phases: dict[str, float] = {}
    stderr_tail = bytearray()
    reader = threading.Thread(target=read_progress,
                              args=(child.stderr, started, phases, stderr_tail), daemon=True)
    reader.start()
    summary_line = child.stdout.readline()
    import_seconds = time.perf_counter() - started
    import_peak = high_water_mark(child.pid)  # the scan that follows has not started yet
    if IMPORT_ONLY and summary_line:
        child.terminate()  # the import is committed; the scan after it is not measured
    rest = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    total_seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if IMPORT_ONLY and summary_line and child.returncode == -signal.SIGTERM:
        child.returncode = 0
    reader.join()
    load_after = os.getloadavg()
    if child.returncode:
        sys.exit(f"import-all failed ({child.returncode}):\n"
                 f"{stderr_tail.decode(errors='replace')[-4000:]}\n{rest.decode()[-2000:]}")
    try:
        summary = json.loads(summary_line)
        created = {entry["kind"]: entry["created"] for entry in summary["files"]}
    except (ValueError, KeyError, TypeError):
        created = {}  # an import-all that prints something else first: only the times
    rows = sum(created.values())
    return {
        "import_seconds": round(import_seconds, 2),
        "total_seconds": round(total_seconds, 2),
        "after_import_seconds": round(total_seconds - import_seconds, 2),
        "rows_created": rows,
        "rows_per_second": round(rows / import_seconds) if rows else None,
        "created": created,
        "peak_bytes": usage.ru_maxrss * 1024,  # kilobytes on Linux
        "import_peak_bytes": import_peak,
        "phases": phase_seconds(phases, import_seconds),
        "load_before": [round(value, 2) for value in load_before],
        "load_after": [round(value, 2) for value in load_after],
    }


def read_progress(stream: BinaryIO, started: float, phases: dict[str, float],
                  tail: bytearray) -> None:
    """Note when each "<file>.csv: checking|writing" progress bar first appears."""
    carry = b""
    while chunk := stream.read1(65536):  # type: ignore[attr-defined]
        now = time.perf_counter() - started
        text = carry + chunk
        for match in PHASE.finditer(text):
            phases.setdefault(f"{match[1].decode()} {match[2].decode()}", now)
        carry = text[-64:]
        tail.extend(chunk)
        del tail[:-20000]


def phase_seconds(first_seen: dict[str, float], end: float) -> dict[str, float]:
    """Each phase lasts from its first bar to the next phase's (the last one to the end of
    the import). Files too small for a bar (``PROGRESS_ABOVE_ROWS``) count in the phase
    before them; the reading of the CSV files counts in none."""
    ordered = sorted(first_seen.items(), key=lambda item: item[1])
    return {
        name: round((ordered[index + 1][1] if index + 1 < len(ordered) else end) - seen, 2)
        for index, (name, seen) in enumerate(ordered)
    }


def high_water_mark(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = ("import_seconds", "total_seconds", "after_import_seconds", "peak_bytes",
            "import_peak_bytes", "rows_per_second")
    return {
        key: statistics.median(values) if (values := [run[key] for run in runs
                                                      if run[key] is not None]) else None
        for key in keys
    }


# --- Databases and commands ----------------------------------------------------------------


def sqlite_env(home: Path) -> dict[str, str]:
    env = {**os.environ, "HEEDFUL_HOME": str(home)}
    env.pop("HEEDFUL_DATABASE_URL", None)
    return env


def fresh_database(server_url: str, name: str) -> str:
    """Drop and create ``name`` on the server of ``server_url``; its URL."""
    import psycopg

    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        sys.exit(f"--pg-database: {name!r} is not a plain lower-case name")
    parts = urlsplit(server_url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_bytes(vendor: str, home: Path, env: dict[str, str]) -> int | None:
    if vendor == "sqlite":
        return sum(path.stat().st_size for path in home.glob("heedful.sqlite3*"))
    import psycopg

    with psycopg.connect(env["HEEDFUL_DATABASE_URL"]) as connection:
        row = connection.execute("SELECT pg_database_size(current_database())").fetchone()
    return int(row[0]) if row else None


def heedful(arguments: list[str], env: dict[str, str], program: Path = HEEDFUL) -> None:
    subprocess.run([str(program), *arguments], env=env, check=True, stdout=subprocess.DEVNULL)


def git_describe(root: Path = ROOT) -> str:
    done = subprocess.run(["git", "-C", str(root), "describe", "--always", "--dirty"],
                          capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def code_commit(root: Path = ROOT) -> str:
    """The last commit that changed the application (the benchmark's own commits do not)."""
    done = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%h", "--",
                           "heedful", "pyproject.toml"], capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- Report --------------------------------------------------------------------------------


def report(figures: dict[str, Any], baseline: dict[str, Any] | None, title: str = "") -> None:
    csv = figures["csv"]
    rows = sum(entry["rows"] for entry in csv["files"].values())
    size = sum(entry["bytes"] for entry in csv["files"].values())
    heading = f"{title}: " if title else ""
    print(f"\n{heading}heedful import-all of {csv['accounts']:,} generated accounts "
          f"(seed {csv['seed']}, "
          f"as of {csv['as_of']}): {len(csv['files'])} files, {rows:,} rows, "
          f"{size / 2**20:,.0f} MiB; code {figures.get('code', figures['git'])}; "
          f"median of {figures['repeat']}")
    for vendor, measured in figures["databases"].items():
        median = measured["median"]
        loads = [run["load_before"][0] for run in measured["runs"]] + [
            run["load_after"][0] for run in measured["runs"]]
        print(f"\n{vendor} (load {min(loads):.1f}–{max(loads):.1f})")
        line("import (until the summary)", median["import_seconds"], "s")
        line("whole command (with the scan after it)", median["total_seconds"], "s")
        line("rows per second (import)", median["rows_per_second"], "")
        line("peak memory, whole command", mib(median["peak_bytes"]), "MiB")
        line("peak memory at the end of the import", mib(median["import_peak_bytes"]), "MiB")
        last = measured["runs"][-1]
        print(f"  database size after it: {mib(last['database_bytes']):,.0f} MiB")
        if last["phases"]:
            print("  per file (last run; seconds, rows created):")
            start = last["import_seconds"] - sum(last["phases"].values())
            print(f"    {'start, reading every file':<32} {start:>8.1f} s")
            for phase, seconds in last["phases"].items():
                kind = phase.split(".csv")[0]
                created = last["created"].get(kind)
                rate = (f", {created / seconds:,.0f} rows/s"
                        if created and seconds > 0 and phase.endswith("writing") else "")
                count = f"{created:,}" if created is not None else "?"
                print(f"    {phase:<32} {seconds:>8.1f} s  ({count} rows{rate})")
        if baseline and vendor in baseline.get("databases", {}):
            before = baseline["databases"][vendor]["median"]
            code = baseline.get("code", baseline.get("git", "?"))
            print(f"  after ÷ before (baseline code {code}):")
            for key, label in (("import_seconds", "import"), ("total_seconds", "whole command"),
                               ("peak_bytes", "peak memory")):
                if before.get(key) and median.get(key):
                    print(f"    {label:<36} {median[key] / before[key]:>6.2f}x "
                          f"({before[key]:,.1f} → {median[key]:,.1f})"
                          if key != "peak_bytes" else
                          f"    {label:<36} {median[key] / before[key]:>6.2f}x "
                          f"({mib(before[key]):,.0f} → {mib(median[key]):,.0f} MiB)")


def line(label: str, value: float | None, unit: str) -> None:
    digits = 1 if unit else 0  # counts (rows per second) without decimals
    shown = "—" if value is None else f"{value:,.{digits}f} {unit}".rstrip()
    print(f"  {label:<40} {shown}")


def mib(value: float | None) -> float | None:
    return None if value is None else value / 2**20


if __name__ == "__main__":
    main()
