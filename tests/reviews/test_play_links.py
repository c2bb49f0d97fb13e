"""The plays ``service.sla_miss`` and ``service.scope_overrun`` link to the draft review of
the account for the quarter they are about."""

from datetime import date

from django.urls import reverse

from heedful.plays import engine
from heedful.plays.facts import shown_facts
from heedful.plays.models import Play


def test_sla_miss_and_scope_overrun_plays_link_to_the_quarters_review(
    client, mixed, people,  # noqa: ANN001
) -> None:
    # given: Q3's misses and overrun, scanned in October
    engine.scan(as_of=date(2026, 10, 5), rules=["service.sla_miss", "service.scope_overrun"])
    link = reverse("reviews:period", args=["ACC-OURS", "2026-Q3"])
    plays = Play.objects.filter(account=mixed)
    assert plays.exists()
    for play in plays:
        # when
        shown = {fact.key: fact for fact in shown_facts(play)}
        # then
        assert f'href="{link}"' in shown["review_period"].html, play.rule
        assert shown["review_period"].text == "The Q3 2026 review"
    # and the link opens the review of that quarter, ready to prepare
    client.force_login(people.rep)
    assert "Prepare this review" in client.get(link).content.decode()
