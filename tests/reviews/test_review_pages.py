"""The review pages: who may open them, the fixed order on the page, the forms, and the
customer's link without a login until it is withdrawn or expires."""

import re
from datetime import date, timedelta

from django.urls import reverse

from heedful.lib import clock
from heedful.reviews import services
from heedful.reviews.models import Review
from heedful.reviews.periods import parse_period

Q3 = parse_period("2026-Q3")


def review_urls(review: Review) -> list[tuple[str, str]]:
    pk = review.pk
    external_id = review.account.external_id
    return [
        ("get", reverse("reviews:list", args=[external_id])),
        ("get", reverse("reviews:period", args=[external_id, "2026-Q3"])),
        ("post", reverse("reviews:prepare", args=[external_id, "2026-Q3"])),
        ("get", reverse("reviews:detail", args=[pk])),
        ("get", reverse("reviews:pdf", args=[pk])),
        ("post", reverse("reviews:comment", args=[pk])),
        ("post", reverse("reviews:topic_add", args=[pk])),
        ("post", reverse("reviews:send", args=[pk])),
        ("post", reverse("reviews:share", args=[pk])),
    ]


def test_a_rep_off_the_team_finds_no_review_of_another_account(
    client, mixed, people,  # noqa: ANN001
) -> None:
    # given
    review = services.prepare(user=people.rep, account=mixed, period=Q3)
    client.force_login(people.other_rep)
    # when / then: every address answers 404 and nothing changes
    for method, url in review_urls(review):
        assert getattr(client, method)(url).status_code == 404, url
    assert Review.objects.count() == 1 and not review.comments.exists()


def test_the_page_shows_the_sections_in_their_fixed_order(client, mixed, people) -> None:  # noqa: ANN001
    client.force_login(people.manager)
    response = client.get(reverse("reviews:period", args=["ACC-OURS", "2026-Q3"]))
    html = response.content.decode()
    assert response.status_code == 200
    positions = [html.index(f'id="{section}-title"') for section in services.SECTIONS]
    assert positions == sorted(positions)
    assert "Prepare this review" in html
    assert html.count("Missed</strong>") == 3


def test_a_bad_period_is_refused_saying_what_to_type(client, mixed, people) -> None:  # noqa: ANN001
    client.force_login(people.rep)
    response = client.get(reverse("reviews:open", args=["ACC-OURS"]), {"period": "2026-Q5"})
    assert response.status_code == 422
    assert "expected YYYY-Qn" in response.content.decode()


def test_commentary_from_an_old_page_is_refused_with_409_keeping_what_was_typed(
    client, mixed, people,  # noqa: ANN001
) -> None:
    review = services.prepare(user=people.rep, account=mixed, period=Q3)
    client.force_login(people.rep)
    url = reverse("reviews:comment", args=[review.pk])
    form = {"metric": "First-call resolution %", "what_happened": "Volume.",
            "what_we_are_doing": "Two agents.", "version": ""}
    assert client.post(url, form).status_code == 302
    response = client.post(url, {**form, "what_happened": "My other words."})
    assert response.status_code == 409
    assert "My other words." in response.content.decode()
    assert review.comments.get().what_happened == "Volume."


def sent_with_link(mixed, people):  # noqa: ANN001, ANN201
    review = services.prepare(user=people.rep, account=mixed, period=Q3)
    return services.send(user=people.rep, review=review,
                         version=services.review_version(review), link_days=7)


def test_the_customers_link_opens_without_a_login_until_withdrawn(
    client, mixed, people,  # noqa: ANN001
) -> None:
    # given
    sent = sent_with_link(mixed, people)
    url = reverse("shared_review", args=[sent.token])
    # when / then
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Evergreen Property Management" in html and "Your account team" in html
    assert "Save the commentary" not in html
    assert client.get(reverse("shared_review_pdf", args=[sent.token]))["Content-Type"] == (
        "application/pdf")
    services.revoke(user=people.rep, review=sent.review, link_id=sent.link.pk)
    assert client.get(url).status_code == 404


def test_the_customers_link_stops_once_expired(client, mixed, people, monkeypatch) -> None:  # noqa: ANN001
    sent = sent_with_link(mixed, people)
    later = clock.now() + timedelta(days=7)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert client.get(reverse("shared_review", args=[sent.token])).status_code == 404


def test_sending_shows_the_link_once(client, mixed, people) -> None:  # noqa: ANN001
    review = services.prepare(user=people.rep, account=mixed, period=Q3)
    client.force_login(people.rep)
    response = client.post(reverse("reviews:send", args=[review.pk]), {
        "version": services.review_version(review), "days": "30"})
    html = response.content.decode()
    token = re.search(r"/shared/reviews/([\w-]+)/", html)
    assert token and client.get(f"/shared/reviews/{token[1]}/").status_code == 200
    assert token[1] not in client.get(reverse("reviews:detail", args=[review.pk])).content.decode()


def test_a_topic_without_a_title_is_refused_saying_so(client, mixed, people) -> None:  # noqa: ANN001
    review = services.prepare(user=people.rep, account=mixed, period=Q3)
    client.force_login(people.rep)
    response = client.post(reverse("reviews:topic_add", args=[review.pk]),
                           {"kind": "roadmap", "title": " ", "text": "The portal."})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Title: This field cannot be blank." in html and "The portal." in html
    assert not review.topics.exists()


def test_the_team_sees_the_accounts_health_in_the_period_and_the_customer_does_not(
    client, mixed, people,  # noqa: ANN001
) -> None:
    # given: two scans scored the account in the quarter, one after it
    from heedful.health.models import HealthScore

    for on, score in ((date(2026, 8, 1), 80), (date(2026, 9, 15), 62), (date(2026, 10, 2), 40)):
        HealthScore.objects.create(account=mixed, on=on, score=score, components={})
    review = services.prepare(user=people.rep, account=mixed, period=Q3)
    client.force_login(people.rep)
    # when
    draft = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    # then: the period's scores only, in words and as a chart
    assert "Health score 62 on 15 Sep 2026, down 18 from 80 on 1 Aug 2026." in draft
    assert 'id="review-health-chart' in draft
    # and the customer's link never shows it
    sent = sent_with_link(mixed, people)
    shared = client.get(reverse("shared_review", args=[sent.token])).content.decode()
    assert "Health score" not in shared
