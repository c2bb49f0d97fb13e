"""What a person reads about the demo's plays, on every page and message that shows one: the
queue, the play page, the Account 360, the urgent e-mail and chat message, the digest, and
the rules' settings page. Facts read as words: money with its currency, people by name, dates
as "28 Nov 2026", choices by their label; never a Python structure, a raw key, an ISO date or
a bare decimal like 30.0000."""

import html
import re
from collections.abc import Iterator

import pytest
from django.test import Client

from heedful.core.models import Role, User
from heedful.plays.engine import scan
from heedful.plays.facts import Kind, render_facts, shown_facts
from heedful.plays.models import Play, PlayStatus
from heedful.plays.notifications import chat_message, digest_for, urgent_email
from heedful.plays.rules import ALL_RULES, RULES_BY_KEY, facts_of_plays_of
from tests.conftest import AS_OF
from tests.demo.helpers import built_demo

ISO_DATE_OR_MONTH = re.compile(r"(?<![\w-])\d{4}-\d{2}(?:-\d{2})?(?![\w-])")
SNAKE_CASE_KEY = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
LONG_DECIMAL = re.compile(r"\d\.\d{3,}")
CURRENCY = re.compile(r"[$€£¥₹]|\b[A-Z]{3}\b|[A-Z]{1,3}\$")
FACT = re.compile(
    r'<div data-fact="([a-z_]+)"(?: class="fact-wide")?><dt>(.*?)</dt><dd>(.*?)</dd></div>', re.S
)
TAG = re.compile(r"<[^>]+>")


def visible_text(markup: str) -> str:
    return html.unescape(TAG.sub(" ", markup))


def assert_reads_as_words(text: str, where: str) -> None:
    """What a person checks first: nothing that looks like data instead of words."""
    assert "{" not in text and "}" not in text, f"{where}: a data structure in {text!r}"
    assert not ISO_DATE_OR_MONTH.search(text), f"{where}: an ISO date in {text!r}"
    assert not SNAKE_CASE_KEY.search(text), f"{where}: a raw key in {text!r}"
    assert not LONG_DECIMAL.search(text), f"{where}: a bare decimal in {text!r}"


def play_article(body: str, play: Play) -> str:
    start = body.rindex("<article", 0, body.index(f'id="play-{play.pk}"'))
    return body[start:body.index("</article>", start)]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[None]:  # noqa: ANN001
    with django_db_blocker.unblock(), built_demo(AS_OF):
        scan(as_of=AS_OF)
        yield


@pytest.fixture
def one_play_per_rule(demo, db) -> list[Play]:  # noqa: ANN001
    """The most important open play of each rule the demo raises."""
    plays = []
    for rule in ALL_RULES:
        play = (
            Play.objects.filter(rule=rule.key, status=PlayStatus.OPEN, owner__isnull=False)
            .select_related("account", "owner").order_by("-priority", "id").first()
        )
        if play is not None:
            plays.append(play)
    return plays


def test_the_demo_raises_plays_of_most_rules(one_play_per_rule) -> None:  # noqa: ANN001
    assert len(one_play_per_rule) >= 14


def test_every_fact_a_rule_stores_is_declared_with_a_label(demo, db) -> None:  # noqa: ANN001
    undeclared = {
        (play.rule, key)
        for play in Play.objects.all()
        for key in play.facts
        if key not in facts_of_plays_of(RULES_BY_KEY[play.rule])
    }
    # A money fact's currency is declared by its amount.
    assert {key for _, key in undeclared} <= {"currency"}


def test_every_play_of_the_demo_reads_as_words(demo, db) -> None:  # noqa: ANN001
    for play in Play.objects.select_related("account", "owner"):
        for fact in shown_facts(play):
            assert_reads_as_words(f"{fact.label} {fact.text}", f"{play.rule} {fact.key}")
        assert_reads_as_words(
            f"{play.title} {play.explanation} {play.suggested_action}", f"{play.rule} words"
        )


@pytest.mark.parametrize("shown_on", ["queue", "play", "account"])
def test_each_page_shows_each_rules_facts_in_words(
    one_play_per_rule, shown_on: str  # noqa: ANN001
) -> None:
    for play in one_play_per_rule:
        # given
        client = Client()
        client.force_login(play.owner)
        url = {
            "queue": f"/plays/?rule={play.rule}&account={play.account.external_id}",
            "play": f"/plays/{play.pk}/",
            "account": f"/accounts/{play.account.external_id}/",
        }[shown_on]
        # when
        response = client.get(url)
        # then
        assert response.status_code == 200, url
        article = play_article(response.content.decode(), play)
        where = f"{shown_on} {play.rule}"
        assert_reads_as_words(visible_text(article), where)
        assert_facts_read_by_their_kind(play, article, where)


def assert_facts_read_by_their_kind(play: Play, article: str, where: str) -> None:
    declared = facts_of_plays_of(RULES_BY_KEY[play.rule])
    usernames = set(User.objects.values_list("username", flat=True))
    shown = {key: (label, markup) for key, label, markup in FACT.findall(article)}
    assert shown, f"{where}: no facts shown"
    for key, (label, markup) in shown.items():
        fact = declared[key]
        text = " ".join(visible_text(markup).split())
        assert label == fact.label
        assert text not in usernames, f"{where} {key}: a login name instead of a person"
        if fact.kind == Kind.MONEY:
            assert CURRENCY.search(text), f"{where} {key}: {text!r} has no currency"
        if fact.kind == Kind.PERSON:
            person = User.objects.get(pk=play.facts[key]["id"])
            assert text == person.display_name and "<a href=" in markup, where
        if fact.kind == Kind.CHOICE and not fact.many:
            assert text in fact.choices.values(), f"{where} {key}: {text!r} is not a label"
        if fact.kind in (Kind.CONTACT, Kind.RECORD) and isinstance(play.facts[key], dict):
            assert text == play.facts[key]["name"] and "<a href=" in markup, where


def test_people_read_by_name_and_money_with_its_currency(one_play_per_rule) -> None:  # noqa: ANN001
    plays = {play.rule: play for play in one_play_per_rule}
    spike = {f.key: f.text for f in shown_facts(plays["billing.spike"])}
    assert spike["amount"] == "$7,800.00"
    assert spike["median_previous"] == "$2,500.00"
    assert spike["contract"] == "Managed voice & SIP trunking"
    sponsor = {f.key: f.text for f in shown_facts(plays["team.exec_visit_due"])}
    assert sponsor["sponsor"] == plays["team.exec_visit_due"].owner.display_name
    order = plays["orders.shipped_followup"]
    assert "ORD-" not in order.title
    assert order.title == "Follow up the order of SD-WAN rollout: 120 branch edge appliances"


def test_urgent_email_and_chat_message_read_as_words(one_play_per_rule) -> None:  # noqa: ANN001
    for play in one_play_per_rule:
        subject, body = urgent_email(play)
        chat = chat_message(play)["text"]
        assert_reads_as_words(f"{subject}\n{body}", f"e-mail {play.rule}")
        assert_reads_as_words(chat.replace("<http", "<"), f"chat {play.rule}")
    ticket = next(p for p in one_play_per_rule if p.rule == "support.ticket_opened")
    _, body = urgent_email(ticket)
    assert "Status: Open" in body and "Opened: 21 Nov 2026" in body


def test_digest_reads_as_words(one_play_per_rule) -> None:  # noqa: ANN001
    for owner in {play.owner for play in one_play_per_rule}:
        digest = digest_for(user=owner, as_of=AS_OF)
        if digest is None:
            continue
        assert_reads_as_words(f"{digest.subject}\n{digest.body}", f"digest {owner.username}")
        assert digest.subject.endswith("for 22 Nov 2026")


def test_settings_page_labels_every_threshold_in_words(demo, db) -> None:  # noqa: ANN001
    # given
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).first()
    assert admin is not None
    client = Client()
    client.force_login(admin)
    # when
    body = client.get("/plays/settings/").content.decode()
    # then
    text = visible_text(body[body.index("<main"):])
    assert_reads_as_words(text, "settings")
    assert "(change_percent)" not in text
    assert "Flag a bill that differs from the usual by more than (%)" in text
    for rule in ALL_RULES:
        for name in rule.defaults:
            assert rule.threshold_label(name) in text
            assert rule.threshold_label(name) != name.replace("_", " ").capitalize()


def test_a_fact_no_rule_declared_still_reads_as_words() -> None:
    shown = render_facts({
        "products": [{"sku": "NET-MPLS", "quantity": 6, "tier": "24x7"}],
        "target": "30.0000", "opened_on": "2026-11-28", "is_key": True,
    })
    texts = {fact.key: fact.text for fact in shown}
    assert texts == {
        "products": "Sku NET-MPLS, quantity 6, tier 24x7",
        "target": "30", "opened_on": "28 Nov 2026", "is_key": "yes",
    }
