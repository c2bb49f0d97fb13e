from datetime import date

from heedful.plays.engine import scan
from heedful.plays.models import Play
from tests.factories import (
    AccountFactory,
    HoldingFactory,
    NewsItemFactory,
    ProductFactory,
    ProductFamilyFactory,
    ReleaseFactory,
)

RULE = "health.business_change"
HELP = "Call and ask: I know times might be tough; is there anything I can do to help?"


def test_negative_news_offers_help_and_says_what_is_held_back(people, findings) -> None:  # noqa: ANN001
    # given
    NewsItemFactory(account=people.ours, sentiment="negative", occurred_on=date(2026, 11, 10),
                    headline="Ours Telecom to close 30% of its offices")
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert play.subject.startswith("news:2026-11-10:")
    assert play.explanation == (
        'On 10 Nov 2026 (12 days ago) the news said: "Ours Telecom to close 30% of its offices". '
        "Until 8 Feb 2027 Heedful holds back product whitespace and roadmap-briefing plays for "
        "Ours Telecom."
    )
    assert play.suggested_action.startswith(HELP)
    assert play.facts["held_back_until"] == "2027-02-08"
    assert play.facts["held_back_rules"] == ["catalog.whitespace", "roadmap.briefing_due"]


def test_news_older_than_30_days_or_not_negative_stays_quiet(people, findings) -> None:  # noqa: ANN001
    NewsItemFactory(account=people.ours, sentiment="negative", occurred_on=date(2026, 10, 22))
    NewsItemFactory(account=people.ours, sentiment="neutral", occurred_on=date(2026, 11, 20))
    NewsItemFactory(account=people.ours, sentiment="positive", occurred_on=date(2026, 11, 20))
    assert findings(RULE) == []


def test_news_30_days_ago_fires(people, findings) -> None:  # noqa: ANN001
    NewsItemFactory(account=people.ours, sentiment="negative", occurred_on=date(2026, 10, 23))
    assert len(findings(RULE)) == 1


def whitespace_and_roadmap(people):  # noqa: ANN001, ANN201
    """Ours owns Voice with a release due, and misses Professional services most peers own."""
    voice = ProductFactory(family=ProductFamilyFactory(name="Voice"))
    HoldingFactory(account=people.ours, product=voice)
    ReleaseFactory(product=voice, release_on=date(2027, 1, 15))
    services = ProductFactory(family=ProductFamilyFactory(name="Professional services"))
    for _ in range(3):
        HoldingFactory(account=AccountFactory(owner=people.other_rep), product=services)


def test_bad_news_holds_back_whitespace_and_roadmap_for_90_days(people, as_of) -> None:  # noqa: ANN001
    # given
    whitespace_and_roadmap(people)
    rules = ["catalog.whitespace", "roadmap.briefing_due", RULE]
    assert scan(as_of=as_of, rules=rules, account_ids=[people.ours.pk]).created == 2
    # when bad news arrives (an old one: the play is gone, the hold still applies)
    NewsItemFactory(account=people.ours, sentiment="negative", occurred_on=date(2026, 9, 1))
    result = scan(as_of=as_of, rules=rules, account_ids=[people.ours.pk])
    # then the pitches close and no help play (older than 30 days)
    assert result.suppressed == 2
    assert result.closed == 2
    assert not Play.objects.filter(account=people.ours, status="open").exists()


def test_the_hold_ends_after_90_days(people, as_of) -> None:  # noqa: ANN001
    whitespace_and_roadmap(people)
    NewsItemFactory(account=people.ours, sentiment="negative", occurred_on=date(2026, 8, 23))
    result = scan(as_of=as_of, rules=["catalog.whitespace", "roadmap.briefing_due"],
                  account_ids=[people.ours.pk])
    assert result.suppressed == 0
    assert result.created == 2


def test_the_hold_applies_when_only_the_held_rules_are_scanned(people, as_of) -> None:  # noqa: ANN001
    whitespace_and_roadmap(people)
    NewsItemFactory(account=people.ours, sentiment="negative", occurred_on=date(2026, 11, 10))
    result = scan(as_of=as_of, rules=["catalog.whitespace"], account_ids=[people.ours.pk])
    assert (result.suppressed, result.created) == (1, 0)
