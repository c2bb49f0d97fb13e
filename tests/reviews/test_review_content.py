"""The review's content as ``heedful review --json`` prints it (CONTRACTS.md "Service
review"): the sections in their fixed order, every metric month met or missed, scope overrun
in quantity and percent (never below zero), support, billing and what we heard."""

from heedful.reviews import services
from heedful.reviews.periods import parse_period


def content(account):  # noqa: ANN001, ANN201
    return services.as_contract(services.build_content(
        account=account, period=parse_period("2026-Q3"), as_of=parse_period("2026-11").end,
    ))


def test_the_contract_keys_and_the_fixed_order_of_the_sections(mixed) -> None:  # noqa: ANN001
    # when
    review = content(mixed)
    # then
    assert list(review) == [
        "account_external_id", "period", "sections", "metrics", "scope", "support", "billing",
        "heard", "topics",
    ]
    assert review["account_external_id"] == "ACC-OURS"
    assert review["period"] == {"from": "2026-07-01", "to": "2026-09-30"}
    assert review["sections"] == ["metrics", "scope", "support", "billing", "heard", "topics"]


def test_every_metric_month_of_the_period_is_there_met_or_missed(mixed) -> None:  # noqa: ANN001
    review = content(mixed)
    missed = [(row["metric"], row["period"]) for row in review["metrics"] if not row["met"]]
    assert missed == [
        ("Average speed of answer (s)", "2026-09"),
        ("First-call resolution %", "2026-08"),
        ("First-call resolution %", "2026-09"),
    ]
    assert len(review["metrics"]) == 9  # three metrics, three months: none left out
    speed = next(row for row in review["metrics"]
                 if row["metric"].startswith("Average") and row["period"] == "2026-09")
    assert speed == {"metric": "Average speed of answer (s)", "period": "2026-09", "target": 30,
                     "actual": 41, "higher_is_better": False, "met": False}
    assert any(row["actual"] == 95.5 for row in review["metrics"])


def test_scope_overrun_in_quantity_and_percent_never_below_zero(mixed) -> None:  # noqa: ANN001
    review = content(mixed)
    rows = {(row["function"], row["period"]): row for row in review["scope"]}
    assert rows[("Service desk tickets", "2026-08")] == {
        "function": "Service desk tickets", "period": "2026-08", "contracted": 4000,
        "delivered": 5420, "overrun": 1420, "overrun_percent": 35.5,
    }
    assert rows[("Service desk tickets", "2026-09")]["overrun_percent"] == 40
    under = rows[("Desk-side visits", "2026-07")]
    assert (under["delivered"], under["overrun"], under["overrun_percent"]) == (240, 0, 0)


def test_support_by_severity_median_time_and_what_is_still_open(mixed) -> None:  # noqa: ANN001
    support = content(mixed)["support"]
    assert (support["opened"], support["resolved"]) == (4, 3)
    assert support["median_hours_to_resolve"] == 10.0  # 5, 10 and 20 hours
    severity_3 = support["by_severity"][2]
    assert severity_3 == {"severity": 3, "opened": 2, "resolved": 2,
                          "median_hours_to_resolve": 15.0}
    assert [ticket["ticket"] for ticket in support["still_open"]] == ["TCK-4"]
    assert support["still_open_count"] == 1


def test_billing_lists_the_invoices_and_the_open_dispute(mixed) -> None:  # noqa: ANN001
    billing = content(mixed)["billing"]
    assert [row["invoice"] for row in billing["invoices"]] == [
        "INV-2026-07", "INV-2026-08", "INV-2026-09"]
    assert [row["disputed"] for row in billing["invoices"]] == [False, True, False]
    assert billing["totals"] == [{"currency": "USD", "amount": 42000}]
    assert billing["disputes"] == [{
        "invoice": "INV-2026-08", "opened_on": "2026-08-20", "amount": 2000, "currency": "USD",
        "status": "open", "resolved_on": None,
    }]


def test_what_we_heard_is_the_meetings_playback_and_action_items(mixed) -> None:  # noqa: ANN001
    heard = content(mixed)["heard"]
    (meeting,) = heard["meetings"]
    assert meeting["title"] == "Quarterly service meeting"
    assert meeting["playback"].startswith("The service desk is busier")
    assert [(item["what"], item["side"]) for item in meeting["action_items"]] == [
        ("Send the volume report by function", "ours"),
        ("Share the new-site opening plan", "customer"),
    ]


def test_a_month_and_a_range_of_days_are_periods_too(mixed) -> None:  # noqa: ANN001
    august = services.build_content(account=mixed, period=parse_period("2026-08"),
                                    as_of=parse_period("2026-11").end)
    assert {row["period"] for row in august["metrics"]} == {"2026-08"}
    span = services.build_content(account=mixed, period=parse_period("2026-08-15..2026-09-10"),
                                  as_of=parse_period("2026-11").end)
    assert {row["period"] for row in span["metrics"]} == {"2026-08", "2026-09"}
    assert span["support"]["opened"] == 2  # TCK-3 on 1 Sep and TCK-4 on 10 Sep
