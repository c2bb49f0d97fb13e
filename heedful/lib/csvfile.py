"""Reading and writing Heedful's CSV files, and parsing their cells.

A file is UTF-8 (a leading BOM is accepted), comma separated, RFC 4180 quoted, with a header
row. Every row keeps the physical line it starts on (the header is line 1), so an error can
say ``FILE:LINE: column: reason`` even when a quoted cell spans several lines.

Cells are neutralised for spreadsheets on the way out and restored on the way in (see
``neutralise_cell``), so a file opened in a spreadsheet never runs a formula and an
export read back by ``heedful import`` or ``import-all`` gives the exact text written.

Cell parsers take the stripped, non-empty text of a cell and raise ``ValueError`` with a
reason a person can act on; they know nothing about models. They read a value's type only:
what a valid value is (a currency, a month, an id) is the model field's validators' to say
(``heedful.lib.validators``), for the CSV import and the API alike.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

BOM = b"\xef\xbb\xbf"
FILE_COLUMN = "(file)"

# A spreadsheet reads a cell starting with one of these as a formula (tab and carriage
# return too: some strip them and read on).
_FORMULA_STARTS = "=+-@\t\r"
_MAY_NEED_APOSTROPHE = frozenset(_FORMULA_STARTS + "'")  # a cheap test before the patterns
# Cheaper still for a whole row: its cells joined by NULs, searched once, the first cell
# tested on its own (a NUL inside a cell only costs the slow path).
_ROW_MAY_NEED_APOSTROPHE = re.compile("\x00[=+\\-@\t\r']")
_NEEDS_APOSTROPHE = re.compile(r"'*[=+\-@\t\r]")
_HAS_APOSTROPHE = re.compile(r"'+[=+\-@\t\r]")
# A negative amount is a number to a spreadsheet, never a formula; a leading "+" is not
# accepted here because our formatter never writes one on a number, and "+390114553197"
# is a phone number a spreadsheet would otherwise turn into 390114553197.
_PLAIN_NUMBER = re.compile(r"-\d+(\.\d+)?")


def neutralise_cell(text: str) -> str:
    """The cell as written: one more leading apostrophe when a spreadsheet would take it for
    a formula (``=1+1`` becomes ``'=1+1``, ``'=x`` becomes ``''=x``), unchanged otherwise.

    Cells that already start with apostrophes before a formula character get one more too,
    so ``restore_cell`` can tell them apart: the pair is a bijection on all strings.
    """
    if text[:1] not in _MAY_NEED_APOSTROPHE:
        return text
    if _NEEDS_APOSTROPHE.match(text) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def restore_cell(text: str) -> str:
    """The cell as meant: the inverse of ``neutralise_cell`` (one leading apostrophe less
    when apostrophes lead to a formula character)."""
    if text[:1] == "'" and _HAS_APOSTROPHE.match(text):
        return text[1:]
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, printed as ``FILE:LINE: column: reason``."""

    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        if not self.line:
            return f"{self.file}: {self.reason}"
        return f"{self.file}:{self.line}: {self.column}: {self.reason}"


class CsvFileError(Exception):
    """The file cannot be read as CSV at all (encoding, quoting, no header)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class CsvRow:
    line: int
    cells: dict[str, str]
    extra_cells: list[str] = field(default_factory=list)


@dataclass
class CsvTable:
    file: str
    header: list[str]
    rows: list[CsvRow] = field(default_factory=list)


def read_csv(path: str | Path) -> CsvTable:
    """The header and rows of a CSV file; rows that are entirely empty are skipped.

    Raises CsvFileError when the bytes are not UTF-8, the quoting is broken or there is no
    header. Cells missing at the end of a short row read as empty; the cells of a long row
    beyond the header are kept in ``extra_cells`` for the caller to report. Every cell is
    restored (``restore_cell``), whoever wrote the file.
    """
    name = str(path)
    raw = Path(path).read_bytes()
    if raw.startswith(BOM):
        raw = raw[len(BOM):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise CsvFileError(Problem(name, line, FILE_COLUMN, "not valid UTF-8")) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    table: CsvTable | None = None
    start = 1
    try:
        for cells in reader:
            joined = "\x00".join(cells)  # one test for the row: does any cell start with '?
            if joined.startswith("'") or "\x00'" in joined:
                cells = [restore_cell(cell) for cell in cells]
            if table is None:
                header = [cell.strip() for cell in cells]
                width = len(header)
                table = CsvTable(file=name, header=header)
            elif any(cells) and (len(cells) > 1 or cells[0].strip()):
                values = dict(zip(header, cells, strict=False))
                extra: list[str] = []
                if len(cells) < width:
                    values.update((missing, "") for missing in header[len(cells):])
                elif len(cells) > width:
                    extra = [cell for cell in cells[width:] if cell.strip()]
                table.rows.append(CsvRow(line=start, cells=values, extra_cells=extra))
            start = reader.line_num + 1
    except csv.Error as error:
        raise CsvFileError(
            Problem(name, reader.line_num or 1, FILE_COLUMN, f"malformed CSV ({error})")
        ) from None
    if table is None or not any(table.header):
        raise CsvFileError(Problem(name, 1, FILE_COLUMN, "empty file: expected a header row"))
    return table


def write_csv(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write a UTF-8 CSV (no BOM, CRLF line ends as RFC 4180 says), every cell neutralised
    for spreadsheets (``neutralise_cell``); returns the row count."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([neutralise_cell(cell) for cell in header])
        for row in rows:
            joined = "\x00".join(row)
            if joined[:1] in _MAY_NEED_APOSTROPHE or _ROW_MAY_NEED_APOSTROPHE.search(joined):
                row = [
                    neutralise_cell(cell) if cell[:1] in _MAY_NEED_APOSTROPHE else cell
                    for cell in row
                ]
            writer.writerow(row)
            count += 1
    return count


# --- Cell parsers ------------------------------------------------------------------------

_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(raw: str) -> date:
    if not _DATE.match(raw):
        raise ValueError(f"{raw!r} is not a date (use YYYY-MM-DD)")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a date (use YYYY-MM-DD)") from None


def parse_timestamp(raw: str) -> datetime:
    """An ISO 8601 timestamp as an aware datetime in UTC; a naive one is taken as UTC."""
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(
            f"{raw!r} is not an ISO 8601 timestamp (use e.g. 2026-11-20T09:30:00Z)"
        ) from None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_bool(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"{raw!r} is not true or false (use true/false, yes/no or 1/0)")


def parse_decimal(raw: str, *, max_digits: int, decimal_places: int) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"{raw!r} is not a decimal number (use e.g. 2500.00)") from None
    if not value.is_finite():
        raise ValueError(f"{raw!r} is not a finite number")
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    places = max(0, -exponent)
    whole_digits = max(0, len(digits) - places) if exponent < 0 else len(digits) + exponent
    if places > decimal_places:
        raise ValueError(f"{raw!r} has more than {decimal_places} decimal places")
    if whole_digits > max_digits - decimal_places:
        raise ValueError(f"{raw!r} is too large (at most {max_digits - decimal_places} digits)")
    return value


def parse_integer(raw: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a whole number") from None
    if minimum is not None and value < minimum or maximum is not None and value > maximum:
        low = "" if minimum is None else f"at least {minimum}"
        high = "" if maximum is None else f"at most {maximum}"
        raise ValueError(f"{raw!r} must be {' and '.join(part for part in (low, high) if part)}")
    return value


# --- Cell formatters (the inverse of the parsers, for exports) ---------------------------


def format_cell(value: object) -> str:
    """The canonical text of a value: dates YYYY-MM-DD, timestamps ISO 8601 in UTC, booleans
    true/false, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# The same texts for a value whose type is known (a column's), without format_cell's tests:
# an export formats millions of cells.


def format_text(value: str | None) -> str:
    return value or ""


def format_number(value: object) -> str:
    return "" if value is None else str(value)


def format_bool(value: bool | None) -> str:
    return "" if value is None else "true" if value else "false"


def format_date(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def format_timestamp(value: datetime | None) -> str:
    return "" if value is None else value.astimezone(UTC).isoformat()


def chunked(items: Iterable[object], size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
