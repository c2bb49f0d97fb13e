"""The forecast pages: a rep submits (and is refused with what to correct), the manager's
roll-up shows adjustments apart, and nobody adjusts their own forecast."""

from datetime import date

import pytest

from heedful.forecasts.models import ForecastAdjustment, ForecastPeriod, ForecastSubmission
from heedful.lib import clock


@pytest.fixture
def period(db, monkeypatch: pytest.MonkeyPatch) -> ForecastPeriod:  # noqa: ANN001
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 18))
    return ForecastPeriod.objects.create(name="2026-Q4", starts_on=date(2026, 10, 1),
                                         ends_on=date(2026, 12, 31), due_on=date(2026, 11, 20))


def test_the_rep_is_reminded_then_submits(client, people, period) -> None:  # noqa: ANN001
    client.force_login(people.rep)
    page = client.get("/forecasts/").content.decode()
    assert "Your 2026-Q4 forecast is due on 20 Nov 2026, in 2 days." in page
    response = client.post("/forecasts/", {"period": "2026-Q4", "commit": "100000",
                                           "best_case": "150000", "pipeline": "400000"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "$100,000.00" in page and "latest" in page
    assert "forecast is due" not in page


def test_a_refused_forecast_keeps_what_was_typed(client, people, period) -> None:  # noqa: ANN001
    client.force_login(people.rep)
    response = client.post("/forecasts/", {"period": "2026-Q4", "commit": "200",
                                           "best_case": "100", "pipeline": "400"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Best case includes commit: make it at least the commit." in page
    assert 'value="200"' in page
    assert not ForecastSubmission.objects.exists()


def test_the_roll_up_shows_the_adjustment_beside_the_reps_figure(client, people, period) -> None:  # noqa: ANN001
    client.force_login(people.rep)
    client.post("/forecasts/", {"period": "2026-Q4", "commit": "100000",
                                "best_case": "150000", "pipeline": "400000"})
    client.force_login(people.manager)
    client.post("/forecasts/team/adjust/", {"period": "2026-Q4", "rep": "rep",
                                            "category": "commit", "change": "-20000",
                                            "reason": "Northwind slips"})
    page = client.get("/forecasts/team/?period=2026-Q4").content.decode()
    assert "$100,000.00" in page and "$80,000.00" in page
    assert "“Northwind slips”" in page


def test_a_rep_cannot_adjust_anyone(client, people, period) -> None:  # noqa: ANN001
    client.force_login(people.rep)
    response = client.post("/forecasts/team/adjust/", {
        "period": "2026-Q4", "rep": "rep", "category": "commit", "change": "5",
        "reason": "Feeling lucky"})
    assert response.status_code == 400
    assert not ForecastAdjustment.objects.exists()
