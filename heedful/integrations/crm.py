"""What the importers of CRM exports (Salesforce, HubSpot) share.

An importer reads the vendor's files and *translates* each record into a row of one of our
canonical CSV kinds (``csv_import.SPECS``): the same cells a person would write in our own
``contacts.csv``, kept on the vendor file's line. The canonical import then checks and
writes those rows exactly as it does our own files, through the kinds' declarations and the
one writer of ownership (ADR 0027). Nothing here decides what a valid record is: it only
says which vendor column a canonical column came from, so a problem reads
``Contact.csv:12: ReportsToId: ...`` on the vendor's own file, line and column.

What only the translation can find (a datetime the vendor wrote in no format it uses, an id
that is no id) is a problem too, and the whole import is refused with every problem listed.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from heedful.catalog.models import Product
from heedful.core.models import User
from heedful.integrations.csv_import import FileResult, ImportRejected, import_tables
from heedful.integrations.models import SourceRecord
from heedful.interactions.models import Interaction
from heedful.lib.csvfile import CsvRow, CsvTable, Problem, chunked, parse_timestamp
from heedful.sales import services as sales_services
from heedful.sales.models import CloseDateChange, Opportunity

BATCH_SIZE = 2000
_WHITE_SPACE = re.compile(r"\s+")


def one_line(text: str) -> str:
    """A name or subject as one line: a CRM may keep line breaks (or the spaces an export put
    in their place) in a field that Heedful shows on one line."""
    return _WHITE_SPACE.sub(" ", text).strip()


@dataclass
class CanonicalTable:
    """Rows of one canonical kind translated from one vendor file. ``source_columns`` says,
    for each canonical column, the vendor column it came from."""

    kind: str
    table: CsvTable
    source_columns: dict[str, str]


@dataclass
class CrmResult:
    """What an import did (or, in a dry run, would do), per vendor file."""

    results: list[FileResult]
    skipped: Counter[str]
    """Records of each vendor file left out on purpose (deleted, no account), by file."""

    def lines(self, *, dry_run: bool) -> list[str]:
        note = " (dry run: nothing written)" if dry_run else ""
        kinds_of_file = Counter(result.file for result in self.results)
        lines, told = [], set()
        for result in self.results:
            # A file that feeds two kinds (OpportunityHistory.csv: stages and close dates)
            # says which line is which; its skipped rows are told once.
            name = result.file if kinds_of_file[result.file] == 1 else (
                f"{result.file} ({result.kind.replace('_', ' ')})"
            )
            skipped = 0 if result.file in told else self.skipped.get(result.file, 0)
            told.add(result.file)
            lines.append(f"{name}: {result.created} created, {result.updated} updated, "
                         f"{result.unchanged} unchanged, {skipped} skipped{note}")
        written = {result.file for result in self.results}
        lines += [
            f"{file}: 0 created, 0 updated, 0 unchanged, {count} skipped{note}"
            for file, count in self.skipped.items() if file not in written
        ]
        return lines

    def as_dict(self, *, dry_run: bool) -> dict[str, Any]:
        return {
            "dry_run": dry_run,
            "files": [
                {**result.as_dict(), "skipped": self.skipped.get(result.file, 0)}
                for result in self.results
            ],
        }

    @property
    def changed_kinds(self) -> list[str]:
        return [result.kind for result in self.results if result.created or result.updated]


@dataclass
class PastCloseDateMoveIn:
    """A move of an opportunity's close date that the vendor's history records (file and
    line say where), written through ``sales.services.record_close_date_moves`` once the
    canonical import has written the opportunities."""

    file: str
    line: int
    column: str
    """The vendor column naming the opportunity, where a problem with it is reported."""
    opportunity_external_id: str
    before: date
    after: date
    changed_at: datetime
    username: str
    """Who moved it ("" when the export does not say or names no user of ours)."""


CLOSE_DATE_CHANGES = "close_date_changes"
"""The kind a result of the close-date history is counted under (not a CSV kind)."""


@dataclass
class Translation:
    """The canonical tables an export becomes, the problems found on the way, and the
    source ids to remember once the import commits."""

    system: str
    warn: Callable[[str], None]
    tables: list[CanonicalTable] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    remembered: dict[tuple[str, str], str] = field(default_factory=dict)
    """(object type, source id) → the Heedful key it became, to store."""
    rekeyed: dict[str, str] = field(default_factory=dict)
    """An interaction's natural key as stored → as the export now makes it."""
    close_date_moves: list[PastCloseDateMoveIn] = field(default_factory=list)

    def table(self, kind: str, file: str, source_columns: Mapping[str, str]) -> CanonicalTable:
        """A new canonical table of ``kind`` from the vendor ``file``; its header is the
        canonical columns ``source_columns`` names, in that order."""
        canonical = CanonicalTable(
            kind, CsvTable(file=file, header=list(source_columns)), dict(source_columns)
        )
        self.tables.append(canonical)
        return canonical

    @staticmethod
    def add_row(canonical: CanonicalTable, line: int, cells: Mapping[str, str]) -> None:
        canonical.table.rows.append(CsvRow(line=line, cells=dict(cells)))

    def problem(self, file: str, line: int, column: str, reason: str) -> None:
        self.problems.append(Problem(file, line, column, reason))

    def skip(self, file: str, line: int, reason: str) -> None:
        self.skipped[file] += 1
        self.warn(f"{file}:{line}: skipped: {reason}")

    def stored_keys(self, object_type: str, source_ids: Iterable[str]) -> dict[str, str]:
        """The Heedful key each of these source ids became in an earlier import."""
        keys: dict[str, str] = {}
        for chunk in chunked(sorted(set(source_ids)), BATCH_SIZE):
            keys.update(
                SourceRecord.objects.filter(
                    system=self.system, object_type=object_type, source_id__in=chunk
                ).values_list("source_id", "key")
            )
        return keys

    def remember(self, object_type: str, source_id: str, key: str) -> None:
        self.remembered[(object_type, source_id)] = key

    def created_on_of_deal(
        self, *, file: str, line: int, column: str, created: date | None, closed: date | None
    ) -> date | None:
        """The day a deal was created, never after the day it closed (ADR 0030). A CRM says
        "created" for the day the record was entered: a deal entered after it closed (a
        late entry, a migration from another tool) says it was created after it closed.
        The close date is the fact a team reports on, so it is kept, the created date is
        taken as the close date, and a warning names the row."""
        if created is None or closed is None or created <= closed:
            return created
        self.warn(f"{file}:{line}: {column}: {created.isoformat()} is after the deal closed "
                  f"({closed.isoformat()}): entered after it closed, so it is imported as "
                  f"created on {closed.isoformat()}")
        return closed

    def interaction_key(
        self, object_type: str, source_id: str, stored: str | None, cells: Mapping[str, str]
    ) -> str | None:
        """The interaction a vendor activity becomes (its natural key, made from the
        canonical cells as the import will make it), remembered; when an earlier import
        stored it under another key (the activity's subject or time changed), it is re-keyed
        first, so the import updates it rather than adding a second one. None when the
        time is unreadable (the import reports it)."""
        key = natural_key_of(cells)
        if key is None:
            return None  # the import reports the cell
        if stored is not None and stored != key:
            self.rekeyed[stored] = key
        self.remember(object_type, source_id, key)
        return key


def natural_key_of(cells: Mapping[str, str]) -> str | None:
    """The natural key the canonical import gives an interaction of these cells; None when
    its time is unreadable."""
    try:
        occurred_at = parse_timestamp(cells["occurred_at"]).isoformat()
    except ValueError:
        return None
    return Interaction.compute_natural_key(
        account_external_id=cells["account_external_id"], occurred_at_iso=occurred_at,
        kind=cells["kind"], username=cells.get("username", ""),
        subject=cells.get("subject", "").strip(),
    )


def whole_number(raw: str) -> str:
    """A quantity as a CRM writes it (Salesforce's is a double, ``2.0``) as the whole number
    it is; any other value is passed on as written, for the canonical import to refuse on
    the file's own line and column."""
    value = raw.strip()
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    if number.is_finite() and number == number.to_integral_value():
        return str(int(number))
    return value


def skus_in_catalogue(codes: set[str]) -> set[str]:
    """The product codes that are SKUs of Heedful's catalogue (products are matched by SKU;
    a line of a product the catalogue lacks is skipped with a warning)."""
    found: set[str] = set()
    for chunk in chunked(sorted(codes - {""}), BATCH_SIZE):
        found.update(Product.objects.filter(sku__in=chunk).values_list("sku", flat=True))
    return found


def added_up(first: dict[str, str], cells: dict[str, str]) -> bool:
    """Add a second line of one product on one opportunity (a CRM allows it, Heedful keeps
    one) to the first when both have one price and readable quantities; False when they
    cannot be added up."""
    try:
        same_price = Decimal(first["unit_price"]) == Decimal(cells["unit_price"])
        quantities = int(first["quantity"] or 1), int(cells["quantity"] or 1)
    except (InvalidOperation, ValueError):
        return False
    if not same_price:
        return False
    first["quantity"] = str(sum(quantities))
    return True


def run(translation: Translation, *, dry_run: bool) -> CrmResult:
    """Import the translated tables in one transaction, all or nothing: raises
    ImportRejected (nothing written) listing the translation's problems and the canonical
    import's, each on the vendor's file, line and column. A dry run rolls everything back."""
    tables = [(canonical.kind, canonical.table) for canonical in translation.tables]
    problems = list(translation.problems)
    results: list[FileResult] = []
    started = timezone.now()
    with transaction.atomic():
        _rekey_interactions(translation.rekeyed)
        try:
            results = import_tables(tables, warn=translation.warn)
        except ImportRejected as rejected:
            problems += [_on_source_column(problem, translation) for problem in rejected.problems]
        if not problems:
            results += _record_close_date_history(translation, started=started, problems=problems)
        if problems:
            problems.sort(key=lambda problem: (problem.file, problem.line))
            raise ImportRejected(problems)
        _store_source_ids(translation)
        if dry_run:
            transaction.set_rollback(True)
    return CrmResult(results=_by_file(results), skipped=translation.skipped)


def _record_close_date_history(
    translation: Translation, *, started: datetime, problems: list[Problem]
) -> list[FileResult]:
    """Write the close-date moves the vendor's history records, each at its own time and by
    its own user, through the one writer (which keeps a move once: a history imported again
    adds nothing). The move this very import noted "now" on an opportunity whose new close
    date the export brings (``OpportunitiesSpec.after_write``) is the history's last move,
    which says when it really happened: the history's replaces it, as a stage history
    replaces the "entered today" stage."""
    moves = translation.close_date_moves
    if not moves:
        return []
    opportunity_ids: dict[str, int] = {}
    for chunk in chunked(sorted({move.opportunity_external_id for move in moves}), BATCH_SIZE):
        opportunity_ids.update(
            Opportunity.objects.filter(external_id__in=chunk).values_list("external_id", "pk")
        )
    user_ids = dict(User.objects.filter(
        username__in=sorted({move.username for move in moves} - {""})
    ).values_list("username", "pk"))
    known = []
    for move in moves:
        if move.opportunity_external_id not in opportunity_ids:
            problems.append(Problem(
                move.file, move.line, move.column,
                f"no opportunity {move.opportunity_external_id!r} (is its file in the folder?)",
            ))
        else:
            known.append(move)
    if problems:
        return []
    _forget_moves_noted_now(
        {(opportunity_ids[move.opportunity_external_id], move.before, move.after)
         for move in known},
        since=started,
    )
    results = []
    for file in sorted({move.file for move in known}):
        of_file = [move for move in known if move.file == file]
        created = sales_services.record_close_date_moves(
            [
                sales_services.PastCloseDateMove(
                    opportunity_ids[move.opportunity_external_id], move.before, move.after,
                    move.changed_at, user_ids.get(move.username),
                )
                for move in of_file
            ],
            by=None,
        )
        results.append(FileResult(
            kind=CLOSE_DATE_CHANGES, file=file, created=created, unchanged=len(of_file) - created,
        ))
    return results


def _forget_moves_noted_now(
    history: set[tuple[int, date, date]], *, since: datetime
) -> None:
    """Take off the moves an import noted at its own time (no person) since ``since`` that
    the history holds with their real time."""
    replaced: list[int] = []
    for chunk in chunked(sorted({opportunity_id for opportunity_id, _, _ in history}), BATCH_SIZE):
        noted = CloseDateChange.objects.filter(
            opportunity_id__in=chunk, changed_by=None, changed_at__gte=since,
        ).values_list("pk", "opportunity_id", "close_date_from", "close_date_to")
        replaced += [pk for pk, *move in noted if tuple(move) in history]
    for chunk in chunked(replaced, BATCH_SIZE):
        CloseDateChange.objects.filter(pk__in=chunk).delete()


def _by_file(results: Sequence[FileResult]) -> list[FileResult]:
    """One result per vendor file and kind (a file may feed a kind twice, e.g. in two
    passes)."""
    merged: dict[tuple[str, str], FileResult] = {}
    for result in results:
        seen = merged.setdefault(
            (result.file, result.kind), FileResult(kind=result.kind, file=result.file)
        )
        seen.created += result.created
        seen.updated += result.updated
        seen.unchanged += result.unchanged
    return list(merged.values())


def _on_source_column(problem: Problem, translation: Translation) -> Problem:
    for canonical in translation.tables:
        if canonical.table.file == problem.file and problem.column in canonical.source_columns:
            source = canonical.source_columns[problem.column]
            return Problem(problem.file, problem.line, source, problem.reason)
    return problem


def _rekey_interactions(rekeyed: Mapping[str, str]) -> None:
    """Interactions an activity changed the key of since the last import take their new key
    (unless an interaction holds it already: the import then updates that one)."""
    if not rekeyed:
        return
    taken = set(
        Interaction.objects.filter(natural_key__in=list(rekeyed.values())).values_list(
            "natural_key", flat=True
        )
    )
    for old, new in rekeyed.items():
        if new not in taken:
            Interaction.objects.filter(natural_key=old).update(natural_key=new)


def _store_source_ids(translation: Translation) -> None:
    if not translation.remembered:
        return
    by_type: dict[str, dict[str, str]] = {}
    for (object_type, source_id), key in translation.remembered.items():
        by_type.setdefault(object_type, {})[source_id] = key
    for object_type, keys in by_type.items():
        stored = translation.stored_keys(object_type, keys)
        SourceRecord.objects.bulk_create(
            [
                SourceRecord(
                    system=translation.system, object_type=object_type, source_id=source_id,
                    key=key,
                )
                for source_id, key in keys.items() if source_id not in stored
            ],
            batch_size=BATCH_SIZE,
        )
        changed = [source_id for source_id, key in keys.items()
                   if source_id in stored and stored[source_id] != key]
        for source_id in changed:
            SourceRecord.objects.filter(
                system=translation.system, object_type=object_type, source_id=source_id
            ).update(key=keys[source_id])
