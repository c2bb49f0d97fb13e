"""Forecast submissions through /api/v1/forecast-submissions: another system files a rep's
forecast through the same service as the page (history kept, the latest marked, late ones
flagged) and reads them as the pages show them (a rep their own, a manager their people's)."""

import json
from datetime import UTC, date, datetime

import pytest

from heedful.core.models import AuditEntry
from heedful.forecasts.models import ForecastAdjustment, ForecastPeriod, ForecastSubmission
from heedful.lib import clock
from tests.api.conftest import API, client_for

URL = API + "/forecast-submissions"


@pytest.fixture
def period(db) -> ForecastPeriod:  # noqa: ANN001
    return ForecastPeriod.objects.create(
        name="2026-Q4", starts_on=date(2026, 10, 1), ends_on=date(2026, 12, 31),
        due_on=date(2026, 11, 20), currency="EUR",
    )


def _file(client, **fields):  # noqa: ANN001, ANN003, ANN202
    body = {"period": "2026-Q4", "commit": "100000.00", "best_case": "150000.00",
            "pipeline": "300000.00", **fields}
    return client.post(URL, json.dumps(body), content_type="application/json")


def _on(monkeypatch, day: int) -> None:  # noqa: ANN001
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, day, 15, tzinfo=UTC))


def test_a_resubmission_keeps_the_first_as_history_and_marks_itself_latest(
    people, period, monkeypatch  # noqa: ANN001
) -> None:
    # given
    rep = client_for(people.rep)
    _on(monkeypatch, 18)
    first = _file(rep, note="First look")
    # when
    _on(monkeypatch, 19)
    second = _file(rep, commit="120000.00")
    # then
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["rep_username"] == "rep" and second.json()["currency"] == "EUR"
    listed = rep.get(URL, {"period": "2026-Q4", "ordering": "-submitted_at"}).json()
    assert [(item["commit"], item["is_latest"]) for item in listed["items"]] == [
        ("120000.00", True), ("100000.00", False),
    ]
    assert listed["items"][1]["note"] == "First look"
    assert rep.get(URL, {"is_latest": True}).json()["count"] == 1
    assert AuditEntry.objects.filter(action="forecastsubmission.create").count() == 2


def test_a_forecast_filed_after_the_due_date_is_flagged_late(people, period, monkeypatch) -> None:  # noqa: ANN001
    # given: due on 20 November
    _on(monkeypatch, 21)
    # when
    response = _file(client_for(people.rep))
    # then
    assert response.status_code == 201
    assert response.json()["is_late"] is True
    assert client_for(people.manager).get(URL, {"is_late": True}).json()["count"] == 1


def test_a_manager_reads_their_reps_forecasts_and_nobody_else_does(people, period) -> None:  # noqa: ANN001
    # given
    filed = _file(client_for(people.rep)).json()
    url = f"{URL}/{filed['id']}"
    # then
    assert client_for(people.manager).get(url).status_code == 200
    assert client_for(people.director).get(URL, {"rep_username": "rep"}).json()["count"] == 1
    assert client_for(people.other_rep).get(url).status_code == 404
    assert client_for(people.other_manager).get(url).status_code == 404
    assert client_for(people.other_manager).get(URL).json()["count"] == 0


def test_a_manager_cannot_file_a_forecast_for_their_rep(people, period) -> None:  # noqa: ANN001
    # when: a manager changes a rep's figures by an adjustment, never by submitting
    response = _file(client_for(people.manager), rep_username="rep")
    # then
    assert response.status_code == 422
    assert "adjusts" in response.json()["errors"]["rep_username"][0]
    assert ForecastSubmission.objects.count() == 0


def test_an_admin_files_a_forecast_for_a_rep(people, period) -> None:  # noqa: ANN001
    # when: an integration, under an admin's token, files what the rep submitted elsewhere
    response = _file(client_for(people.admin), rep_username="rep")
    # then
    assert response.status_code == 201
    assert ForecastSubmission.objects.get().rep == people.rep


def test_a_best_case_below_the_commit_is_refused_naming_the_field(people, period) -> None:  # noqa: ANN001
    response = _file(client_for(people.rep), best_case="90000.00")
    assert response.status_code == 422
    assert response.json()["errors"]["best_case"] == [
        "Best case includes commit: make it at least the commit."
    ]
    assert ForecastSubmission.objects.count() == 0


def test_an_unknown_period_or_a_negative_amount_is_refused_naming_the_field(people, period) -> None:  # noqa: ANN001
    rep = client_for(people.rep)
    unknown = _file(rep, period="2031-Q1")
    negative = _file(rep, commit="-5.00")
    assert unknown.status_code == negative.status_code == 422
    assert "no forecast period" in unknown.json()["errors"]["period"][0]
    assert "commit" in negative.json()["errors"]
    assert ForecastSubmission.objects.count() == 0


def test_a_submission_is_never_changed_or_deleted(people, period) -> None:  # noqa: ANN001
    # given
    rep = client_for(people.rep)
    filed = _file(rep).json()
    url = f"{URL}/{filed['id']}"
    # when
    patched = rep.patch(url, json.dumps({"commit": "1.00"}), content_type="application/json")
    deleted = rep.delete(url)
    # then
    assert patched.status_code == deleted.status_code == 405
    assert rep.get(url).json() == filed


def test_the_openapi_description_lists_forecast_submissions(db) -> None:  # noqa: ANN001
    paths = client_for_description()
    assert set(paths[URL]) == {"get", "post"}
    assert set(paths[URL + "/{id}"]) == {"get"}


def client_for_description() -> dict:
    from django.test import Client

    return Client().get(API + "/openapi.json").json()["paths"]


ADJUSTMENTS = API + "/forecast-adjustments"


def _adjust(client, **fields):  # noqa: ANN001, ANN003, ANN202
    body = {"period": "2026-Q4", "rep_username": "rep", "category": "commit",
            "change": "-25000.00", "reason": "The Acme deal slips to January.", **fields}
    return client.post(ADJUSTMENTS, json.dumps(body), content_type="application/json")


def test_a_manager_adjusts_apart_from_the_reps_own_figures_and_the_rep_reads_why(
    people, period  # noqa: ANN001
) -> None:
    # given
    filed = _file(client_for(people.rep)).json()
    # when
    response = _adjust(client_for(people.manager))
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["manager_username"], body["change"], body["currency"]) == (
        "manager", "-25000.00", "EUR"
    )
    assert client_for(people.rep).get(f"{URL}/{filed['id']}").json() == filed
    read = client_for(people.rep).get(ADJUSTMENTS, {"rep_username": "rep"}).json()
    assert [item["reason"] for item in read["items"]] == ["The Acme deal slips to January."]
    assert client_for(people.other_manager).get(f"{ADJUSTMENTS}/{body['id']}").status_code == 404


def test_only_the_reps_manager_adjusts_and_nobody_their_own(people, period) -> None:  # noqa: ANN001
    by_rep = _adjust(client_for(people.rep))
    by_stranger = _adjust(client_for(people.other_manager))
    own = _adjust(client_for(people.manager), rep_username="manager")
    for response in (by_rep, by_stranger, own):
        assert response.status_code == 422
        assert response.json()["errors"]["rep_username"] == ["Choose someone who reports to you."]
    assert not ForecastAdjustment.objects.exists()


def test_an_adjustment_of_nothing_or_without_a_reason_is_refused_naming_the_field(
    people, period  # noqa: ANN001
) -> None:
    manager = client_for(people.manager)
    zero = _adjust(manager, change="0.00")
    blank = _adjust(manager, reason="   ")
    assert zero.status_code == blank.status_code == 422
    assert zero.json()["errors"]["change"] == [
        "Write how much to add (or, with a minus, to take off)."
    ]
    assert "reason" in blank.json()["errors"]
    assert not ForecastAdjustment.objects.exists()


def test_an_adjustment_is_kept_as_made(people, period) -> None:  # noqa: ANN001
    made = _adjust(client_for(people.manager)).json()
    url = f"{ADJUSTMENTS}/{made['id']}"
    manager = client_for(people.manager)
    assert manager.patch(url, json.dumps({"change": "1.00"}),
                         content_type="application/json").status_code == 405
    assert manager.delete(url).status_code == 405
    assert manager.get(url).json() == made
