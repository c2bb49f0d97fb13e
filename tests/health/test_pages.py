"""The health score on the pages: the Account 360 shows the score, its trend and each component
with its numbers; the owner says how they feel there; an admin changes the weights on the
settings page (audited, refused from a stale page)."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse

from heedful.core.models import AuditEntry
from heedful.health import services
from heedful.health.models import OwnerSentimentEntry, ScoreSetting
from tests.conftest import AS_OF
from tests.factories import TicketFactory


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: AS_OF)
    return AS_OF


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip())


def section(body: str, identifier: str) -> str:
    start = body.index(f'id="{identifier}"')
    return text_of(body[start:body.index("</section>", start)])


def test_the_account_360_shows_the_score_its_trend_and_every_component(client, people) -> None:  # noqa: ANN001
    # given: two scans, the second after a severity-1 ticket opened
    services.compute_scores(as_of=AS_OF - timedelta(days=7))
    TicketFactory(account=people.ours, severity=1, status="open")
    services.compute_scores(as_of=AS_OF)
    explained = services.explain(people.ours, AS_OF)
    assert explained is not None
    client.force_login(people.rep)
    # when
    body = client.get(reverse("accounts:detail", args=["ACC-OURS"])).content.decode()
    # then
    health = section(body, "health")
    severe = next(line for line in explained.components if line.key == "severe_tickets")
    assert f"{explained.score} of 100" in health
    assert (f"Open severe tickets 0 of {severe.most} 1 severity-1 and 0 severity-2 tickets open"
            in health)
    assert f"Score {explained.score} of 100 The sum of the points above." in health
    assert "Down " in health and "since 15 Nov 2026" in health
    assert 'id="health-chart-title"' in body
    assert "Not counted this time" in health and "SLA results" in health
    assert "Change the score's weights" not in health  # a rep changes no weight
    tile = text_of(body[body.index('id="health-tile"'):body.index("</div>", body.index(
        'id="health-tile"'))])
    assert f"Health score {explained.score} of 100 · At risk Down " in tile


def test_the_owner_says_how_they_feel_and_the_score_counts_it_at_once(client, people) -> None:  # noqa: ANN001
    # given
    services.compute_scores(as_of=AS_OF)
    before = services.explain(people.ours, AS_OF)
    client.force_login(people.rep)
    # when
    response = client.post(
        reverse("health:sentiment", args=["ACC-OURS"]),
        {"sentiment": "negative", "note": "Their CFO wants to cut costs"},
    )
    # then
    assert response.status_code == 302 and response["Location"].endswith("#health")
    body = client.get(response["Location"]).content.decode()
    health = section(body, "health")
    assert "Saved how you feel about this account" in health
    assert "The owner's sentiment: Worried , set on 22 Nov 2026 by Rep" in health
    assert "“Their CFO wants to cut costs”" in health
    after = services.explain(people.ours, AS_OF)
    assert after is not None and before is not None and after.score < before.score


def test_a_sentiment_without_a_choice_says_what_to_do_and_saves_nothing(client, people) -> None:  # noqa: ANN001
    client.force_login(people.rep)
    response = client.post(reverse("health:sentiment", args=["ACC-OURS"]), {"note": "x"},
                           follow=True)
    assert "Your sentiment was not saved: Choose worried, neutral or confident." in (
        response.content.decode()
    )
    assert not OwnerSentimentEntry.objects.exists()


def test_only_the_owner_sets_the_sentiment(client, people) -> None:  # noqa: ANN001
    # the manager sees the account but does not own it; another rep does not see it
    client.force_login(people.manager)
    assert client.post(reverse("health:sentiment", args=["ACC-OURS"]),
                       {"sentiment": "positive"}).status_code == 403
    client.force_login(people.other_rep)
    assert client.post(reverse("health:sentiment", args=["ACC-OURS"]),
                       {"sentiment": "positive"}).status_code == 404
    assert not OwnerSentimentEntry.objects.exists()


def test_an_admin_changes_a_weight_and_the_audit_log_says_who(client, people) -> None:  # noqa: ANN001
    client.force_login(people.admin)
    page = client.get(reverse("health:settings")).content.decode()
    version = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
    values = services.get_score_settings()
    response = client.post(reverse("health:settings"),
                           {**values, "weight_sla": 30, "version": version})
    assert response.status_code == 302
    assert ScoreSetting.objects.get(name="weight_sla").value == 30
    assert ScoreSetting.objects.count() == 1  # only what differs from the defaults
    entry = AuditEntry.objects.get(action="healthscore.settings")
    assert entry.user == people.admin
    assert entry.detail["before"]["weight_sla"] == 15 and entry.detail["after"]["weight_sla"] == 30


def test_a_save_from_a_page_opened_before_another_admins_change_is_refused(client, people) -> None:  # noqa: ANN001
    client.force_login(people.admin)
    page = client.get(reverse("health:settings")).content.decode()
    version = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
    services.update_score_settings(values={"weight_news": 20})
    response = client.post(reverse("health:settings"),
                           {**services.get_score_settings(), "weight_sla": 30, "version": version})
    assert response.status_code == 422
    assert "Another admin changed the health score's settings" in text_of(
        response.content.decode())
    assert not ScoreSetting.objects.filter(name="weight_sla").exists()


def test_a_negative_weight_is_refused_naming_the_weight(client, people) -> None:  # noqa: ANN001
    client.force_login(people.admin)
    response = client.post(reverse("health:settings"),
                           {**services.get_score_settings(), "weight_sla": -1})
    assert response.status_code == 422
    assert "Weight of sla results: must not be negative." in response.content.decode()
    assert not ScoreSetting.objects.exists()


def test_only_admins_open_the_settings(client, people) -> None:  # noqa: ANN001
    client.force_login(people.manager)
    assert client.get(reverse("health:settings")).status_code == 403
