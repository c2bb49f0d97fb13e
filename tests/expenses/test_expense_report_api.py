"""Expense reports through /api/v1/expense-reports: a finance system files the month's
reports, a rep files their own, and each reads only what the pages would show them (a rep
their own, a manager their people's)."""

import json
from datetime import date
from decimal import Decimal

from django.test import Client

from heedful.core.models import AuditEntry
from heedful.expenses.models import ExpenseReport
from tests.api.conftest import API, client_for

URL = API + "/expense-reports"


def _post(client: Client, **fields: object):  # noqa: ANN202
    body = {"period": "2026-10", "due_on": "2026-11-05", "amount": "1840.50",
            "budget": "2000.00", "currency": "EUR", **fields}
    return client.post(URL, json.dumps(body), content_type="application/json")


def _report(rep, period: str = "2026-10", **fields: object) -> ExpenseReport:  # noqa: ANN001
    return ExpenseReport.objects.create(
        rep=rep, period=period, due_on=date(2026, 11, 5), currency="USD", **fields
    )


def test_finance_files_a_reps_report_and_the_rep_and_their_manager_read_it(people) -> None:  # noqa: ANN001
    # when
    response = _post(client_for(people.admin), rep_username="rep", submitted_on="2026-11-03")
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["rep_username"], body["amount"], body["currency"]) == ("rep", "1840.50", "EUR")
    url = f"{URL}/{body['id']}"
    assert client_for(people.rep).get(url).json() == body
    assert client_for(people.manager).get(url).status_code == 200
    assert client_for(people.other_rep).get(url).status_code == 404
    assert client_for(people.other_manager).get(URL).json()["count"] == 0


def test_a_rep_files_their_own_report_without_naming_themselves(people) -> None:  # noqa: ANN001
    response = _post(client_for(people.rep))
    assert response.status_code == 201
    assert ExpenseReport.objects.get().rep == people.rep


def test_a_rep_cannot_file_another_reps_report(people) -> None:  # noqa: ANN001
    response = _post(client_for(people.rep), rep_username="other_rep")
    assert response.status_code == 422
    assert "yourself and the people who report to you" in (
        response.json()["errors"]["rep_username"][0]
    )
    assert ExpenseReport.objects.count() == 0


def test_a_second_report_for_the_same_month_is_a_conflict(people) -> None:  # noqa: ANN001
    # given
    _report(people.rep)
    # when
    response = _post(client_for(people.rep))
    # then
    assert response.status_code == 409
    assert ExpenseReport.objects.count() == 1


def test_a_month_or_an_amount_that_is_wrong_is_refused_naming_the_field(people) -> None:  # noqa: ANN001
    rep = client_for(people.rep)
    month = _post(rep, period="2026-13")
    negative = _post(rep, amount="-10.00")
    assert month.status_code == negative.status_code == 422
    assert "period" in month.json()["errors"]
    assert "amount" in negative.json()["errors"]
    assert ExpenseReport.objects.count() == 0


def test_a_late_submission_is_recorded_and_a_stale_change_writes_nothing(people) -> None:  # noqa: ANN001
    # given: the rep and their manager read the same report
    report = _report(people.rep, amount=Decimal("900.00"))
    url = f"{URL}/{report.pk}"
    rep, manager = client_for(people.rep), client_for(people.manager)
    read_by_rep, read_by_manager = rep.get(url), manager.get(url)
    # when: the rep records it came in, then the manager writes from what they read
    first = rep.patch(url, json.dumps({"submitted_on": "2026-11-09"}),
                      content_type="application/json", headers={"If-Match": read_by_rep["ETag"]})
    second = manager.patch(url, json.dumps({"amount": "1.00"}), content_type="application/json",
                           headers={"If-Match": read_by_manager["ETag"]})
    # then
    assert first.status_code == 200 and first.json()["submitted_on"] == "2026-11-09"
    assert second.status_code == 412
    report.refresh_from_db()
    assert (report.submitted_on, report.amount) == (date(2026, 11, 9), Decimal("900.00"))
    assert report.days_late(date(2026, 12, 1)) == 4


def test_a_manager_deletes_a_report_another_manager_cannot_see(people) -> None:  # noqa: ANN001
    # given
    report = _report(people.rep)
    url = f"{URL}/{report.pk}"
    # when
    hidden = client_for(people.other_manager).delete(url)
    deleted = client_for(people.manager).delete(url)
    # then
    assert hidden.status_code == 404
    assert deleted.status_code == 204
    assert not ExpenseReport.objects.exists()
    assert AuditEntry.objects.get().action == "expensereport.delete"


def test_reports_filter_by_rep_and_months_and_sort(people) -> None:  # noqa: ANN001
    # given
    for month in ("2026-08", "2026-09", "2026-10"):
        _report(people.rep, period=month)
    _report(people.other_rep, period="2026-09")
    # when
    page = client_for(people.admin).get(URL, {
        "rep_username": "rep", "period_from": "2026-09", "period_to": "2026-10",
        "ordering": "-period",
    }).json()
    # then
    assert page["count"] == 2
    assert [item["period"] for item in page["items"]] == ["2026-10", "2026-09"]
    outstanding = client_for(people.admin).get(URL, {"is_outstanding": True}).json()
    assert outstanding["count"] == 4


def test_the_openapi_description_lists_expense_reports(db) -> None:  # noqa: ANN001
    paths = Client().get(API + "/openapi.json").json()["paths"]
    assert set(paths[URL]) == {"get", "post"}
    assert set(paths[URL + "/{id}"]) == {"get", "patch", "delete"}
