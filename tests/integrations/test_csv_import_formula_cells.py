"""``heedful import`` reads a file through the same reader as ``import-all``, so an exported
file imported one kind at a time loses its spreadsheet apostrophes too."""

from pathlib import Path

from heedful.accounts.models import NewsItem
from tests.integrations.conftest import export_bytes, run


def test_import_of_one_file_takes_the_spreadsheet_apostrophe_off(people, write_csv) -> None:  # noqa: ANN001
    # given a file as the export writes it (one apostrophe more before a formula character)
    path = write_csv("news.csv", """
        account_external_id,occurred_on,sentiment,headline
        ACC-OURS,2026-11-01,neutral,'=HYPERLINK("http://evil.example")
        ACC-OURS,2026-11-02,neutral,''=x
        ACC-OURS,2026-11-03,neutral,'Twas a good quarter
        ACC-OURS,2026-11-04,neutral,'-5.00 means the apostrophe was typed
    """)
    # when
    result = run("import", "news", str(path))
    # then
    assert result.returncode == 0, result.stderr
    assert list(NewsItem.objects.order_by("occurred_on").values_list("headline", flat=True)) == [
        '=HYPERLINK("http://evil.example")',
        "'=x",
        "'Twas a good quarter",
        "-5.00 means the apostrophe was typed",
    ]


def test_an_exported_file_imported_alone_changes_nothing(people, tmp_path: Path) -> None:  # noqa: ANN001
    # given a headline a spreadsheet would run, exported
    NewsItem.objects.create(
        account=people.ours, occurred_on="2026-11-01", sentiment="neutral", headline="@SUM(A1)"
    )
    exported = export_bytes(tmp_path)
    assert b"'@SUM(A1)" in exported["news.csv"]
    # when
    result = run("import", "news", str(tmp_path / "news.csv"))
    # then
    assert result.returncode == 0, result.stderr
    assert "0 created, 0 updated" in result.stdout
    assert list(NewsItem.objects.values_list("headline", flat=True)) == ["@SUM(A1)"]
