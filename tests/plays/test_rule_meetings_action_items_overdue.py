from datetime import date

from tests.plays.meeting_records import action_item, meeting

RULE = "meetings.action_items_overdue"


def test_our_open_items_past_due_go_to_their_owner(people, findings) -> None:  # noqa: ANN001
    # given (as of 22 Nov 2026)
    people.rep.full_name = "Dana Smith"
    people.rep.save()
    held = meeting(people.ours, on=date(2026, 11, 2))
    action_item(held, user=people.rep, what="Send the revised quote", due_on=date(2026, 11, 6))
    action_item(held, user=people.rep, what="Book the workshop", due_on=date(2026, 11, 20))
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert (play.subject, play.owner_id) == (f"action_items:{people.rep.pk}", people.rep.pk)
    assert play.title == "2 action items for Ours Telecom past due"
    assert play.explanation == (
        "Dana Smith promised Ours Telecom “Send the revised quote” (due 6 Nov 2026) and "
        "“Book the workshop” (due 20 Nov 2026); the oldest is 16 days late."
    )
    assert play.priority == 65  # 55, and 10 more: one is two weeks late
    assert play.facts["count"] == 2


def test_items_not_yet_due_done_or_the_customers_stay_quiet(people, findings) -> None:  # noqa: ANN001
    from tests.factories import ContactFactory

    held = meeting(people.ours, on=date(2026, 11, 2))
    action_item(held, user=people.rep, due_on=date(2026, 11, 22))  # due today
    action_item(held, user=people.rep, due_on=date(2026, 11, 6), status="done")
    action_item(held, contact=ContactFactory(account=people.ours), due_on=date(2026, 11, 6))
    action_item(held, user=people.rep)  # no date
    assert findings(RULE) == []


def test_marking_the_item_done_clears_it(people, findings) -> None:  # noqa: ANN001
    held = meeting(people.ours, on=date(2026, 11, 2))
    item = action_item(held, user=people.rep, due_on=date(2026, 11, 6))
    assert len(findings(RULE)) == 1
    item.status = "done"
    item.save()
    assert findings(RULE) == []
