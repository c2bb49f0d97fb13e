"""The export is derived from the import's column declarations: a column declared once is
written in the order, and from the field, the import reads it into."""

from pathlib import Path

import pytest

from heedful.accounts.models import NewsItem
from heedful.integrations import csv_export
from heedful.integrations.csv_import import SPECS
from tests.integrations.conftest import empty_database, export_bytes, run


def test_the_export_follows_the_import_columns(
    people, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    # given the news columns declared in another order
    news = SPECS["news"]
    monkeypatch.setattr(news, "columns", tuple(reversed(type(news).columns)))
    monkeypatch.setitem(csv_export.PLANS, "news", csv_export.plan("news"))
    NewsItem.objects.create(
        account=people.ours, occurred_on="2026-11-01", sentiment="positive", headline="Won"
    )
    # when
    exported = export_bytes(tmp_path / "before")
    # then
    assert exported["news.csv"].decode().splitlines() == [
        "headline,sentiment,occurred_on,account_external_id",
        "Won,positive,2026-11-01,ACC-OURS",
    ]
    empty_database()
    assert run("import_all", str(tmp_path / "before")).returncode == 0
    assert export_bytes(tmp_path / "after") == exported
