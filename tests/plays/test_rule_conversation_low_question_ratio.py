from datetime import date

from heedful.meetings.bands import update_bands
from tests.plays.meeting_records import meeting, spoke

RULE = "conversation.low_question_ratio"


def test_a_rep_under_one_question_per_statement_hears_it_and_so_does_their_manager(
    people, findings,  # noqa: ANN001
) -> None:
    # given (as of 22 Nov 2026): 6 questions, 10 statements over two meetings
    people.rep.full_name = "Dana Smith"
    people.rep.save()
    spoke(meeting(people.theirs, on=date(2026, 11, 3)), people.rep, questions=2, statements=6)
    spoke(meeting(people.ours, on=date(2026, 11, 18)), people.rep, questions=4, statements=4)
    # when
    found = {play.owner_id: play for play in findings(RULE)}
    # then: on the account of the latest meeting
    assert set(found) == {people.rep.pk, people.manager.pk}
    to_rep, to_manager = found[people.rep.pk], found[people.manager.pk]
    assert (to_rep.account_id, to_rep.subject) == (people.ours.pk, f"rep:{people.rep.pk}")
    assert to_manager.subject == f"rep:{people.rep.pk}:manager"
    assert to_manager.explanation == (
        "Dana Smith, who reports to you, asked 0.6 questions for each statement in 2 meetings "
        "of the last 30 days (6 questions, 10 statements); at least 1 is a conversation."
    )
    assert to_rep.facts["question_ratio"] == 0.6


def test_a_ratio_of_one_or_older_meetings_or_the_customers_talk_stay_quiet(
    people, findings,  # noqa: ANN001
) -> None:
    spoke(meeting(people.ours, on=date(2026, 11, 18)), people.rep, questions=5, statements=5)
    spoke(meeting(people.ours, on=date(2026, 10, 20)), people.other_rep, questions=0,
          statements=9)  # 33 days ago
    customer = spoke(meeting(people.ours, on=date(2026, 11, 19)), people.other_rep, questions=0,
                     statements=9)
    customer.is_internal = False
    customer.save()
    assert findings(RULE) == []


def test_the_admins_band_is_the_rules_minimum(people, findings) -> None:  # noqa: ANN001
    # given
    spoke(meeting(people.ours, on=date(2026, 11, 18)), people.rep, questions=4, statements=5)
    assert len(findings(RULE)) == 2
    # when
    update_bands(user=people.admin, changes={"minimum_question_ratio": "0.75"})
    # then
    assert findings(RULE) == []


def test_more_questions_clear_it(people, findings) -> None:  # noqa: ANN001
    spoke(meeting(people.ours, on=date(2026, 11, 10)), people.rep, questions=1, statements=4)
    assert len(findings(RULE)) == 2
    spoke(meeting(people.ours, on=date(2026, 11, 20)), people.rep, questions=5, statements=1)
    assert findings(RULE) == []
