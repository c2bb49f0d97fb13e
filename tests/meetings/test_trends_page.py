"""A rep's conversation trends: for the rep and their managers, nobody else."""

import pytest
from django.urls import reverse

from heedful.meetings.transcripts import store_transcript
from tests.meetings.test_meeting_conversation import REVIEW

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("viewer", ["rep", "manager", "director", "executive"])
def test_the_rep_and_those_above_them_see_the_reps_trends(
    client, people, meeting, viewer: str  # noqa: ANN001
) -> None:
    # given: the rep's quarterly review, transcribed
    store_transcript(user=people.rep, meeting=meeting, file_name="review.vtt", content=REVIEW)
    client.force_login(getattr(people, viewer))
    # when
    response = client.get(reverse("meetings:trends", args=["rep"]))
    # then: one question for two statements in November
    page = response.content.decode()
    assert response.status_code == 200
    assert "How Rep listens" in page
    assert "Latest: <strong>Nov 2026: 0.5</strong>" in page
    assert 'class="chart chart-trend"' in page


@pytest.mark.parametrize("viewer", ["other_rep", "other_manager"])
def test_nobody_else_sees_a_reps_trends(client, people, meeting, viewer: str) -> None:  # noqa: ANN001
    client.force_login(getattr(people, viewer))
    assert client.get(reverse("meetings:trends", args=["rep"])).status_code == 404
    assert client.get(reverse("meetings:trends", args=["nobody"])).status_code == 404


def test_my_trends_are_my_own(client, people, meeting) -> None:  # noqa: ANN001
    client.force_login(people.rep)
    page = client.get(reverse("meetings:my_trends")).content.decode()
    assert "How Rep listens" in page
    assert "not measured yet" in page
