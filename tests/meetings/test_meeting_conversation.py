"""The meeting page's conversation: a transcript uploaded, an unknown speaker named in one
step, the figures against the bands with a talk-share chart and a timeline, commitments
accepted as action items, and the rule on how the rep listens run at once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from heedful.meetings.models import ActionItem, SpeakerName, Transcript
from heedful.plays.models import Play, PlayStatus

pytestmark = pytest.mark.django_db

LOW_QUESTION_RATIO = "conversation.low_question_ratio"

REVIEW = """WEBVTT

00:00:00.000 --> 00:02:30.000
<v Rep>Let me walk you through our whole roadmap for next year in detail.

00:02:30.000 --> 00:02:40.000
<v Rich>The outage cost us a day. We need the report.

00:02:40.000 --> 00:02:50.000
<v Speaker 1>And the invoices were wrong twice. Why?

00:02:50.000 --> 00:03:00.000
<v Rep>I'll send the outage report by Friday. Which invoices were they?
"""


def upload(client, meeting, text: str, name: str = "review.vtt"):  # noqa: ANN001, ANN201
    return client.post(
        reverse("meetings:upload_transcript", args=[meeting.pk]),
        {"transcript": SimpleUploadedFile(name, text.encode(), content_type="text/vtt")},
    )


def test_an_uploaded_transcript_shows_figures_against_the_bands_and_the_charts(
    client, people, meeting  # noqa: ANN001
) -> None:
    # given
    client.force_login(people.rep)
    # when
    response = upload(client, meeting, REVIEW)
    # then
    assert response.status_code == 302
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    figures = page[page.index('id="conversation-figures"'):]
    assert "Our talk share" in figures and "band: 40% to 60%" in figures
    assert "2 min 30 s (Rep)" in figures  # the rep's monologue, past the 2-minute band
    assert "outside the band" in figures
    assert 'class="chart chart-shares"' in page and 'class="chart chart-timeline"' in page
    assert "chart-span-highlight" in page  # the monologue drawn in red


def test_an_unknown_speaker_is_shown_with_their_lines_and_named_in_one_step(
    client, people, meeting  # noqa: ANN001
) -> None:
    client.force_login(people.rep)
    upload(client, meeting, REVIEW)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Who is speaking?" in page
    assert "<blockquote>And the invoices were wrong twice. Why?</blockquote>" in page
    giulia = meeting.attendees.get(contact=meeting.giulia)
    response = client.post(
        reverse("meetings:name_speaker", args=[meeting.pk]),
        {"label": "Speaker 1", "attendee": giulia.pk},
    )
    assert response.status_code == 302
    assert SpeakerName.objects.get(meeting=meeting, label="Speaker 1").attendee == giulia
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Who is speaking?" not in page
    assert "Giulia Rossi <span class=\"muted small\">“Speaker 1”</span>" in page


def test_a_malformed_transcript_is_refused_naming_the_line_and_nothing_is_saved(
    client, people, meeting  # noqa: ANN001
) -> None:
    client.force_login(people.rep)
    response = upload(client, meeting, "WEBVTT\n\n00:00:05.000 --> banana\n<v Rep>Hi\n")
    assert response.status_code == 422
    assert "review.vtt: line 3" in response.content.decode()
    assert not Transcript.objects.filter(meeting=meeting).exists()


def test_a_commitment_heard_is_accepted_as_an_action_item_in_one_click(
    client, people, meeting  # noqa: ANN001
) -> None:
    client.force_login(people.rep)
    upload(client, meeting, REVIEW)
    transcript = Transcript.objects.get(meeting=meeting)
    found = transcript.figures["action_items"]
    assert found, "the analyzer finds the rep's promise"
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Commitments heard in the transcript" in page
    client.post(reverse("meetings:accept_suggested_action", args=[meeting.pk]), {
        "text": found[0]["text"], "owner": found[0]["owner"] or "", "due": found[0]["due"] or "",
    })
    item = ActionItem.objects.get(meeting=meeting)
    assert (item.user, item.source) == (people.rep, "transcript")
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Commitments heard in the transcript" not in page


# The rep asks two questions for each statement: a conversation.
LISTENING = """WEBVTT

00:00:00.000 --> 00:00:20.000
<v Rep>What matters most to you this quarter? Which invoices were wrong?

00:00:20.000 --> 00:01:00.000
<v Rich>The March ones. The outage cost us a day.

00:01:00.000 --> 00:01:10.000
<v Rep>I see. Who else felt it? How did you work around it?
"""


def open_plays_of_the_rep(people) -> list[tuple[str, int | None]]:  # noqa: ANN001
    return list(
        Play.objects.filter(rule=LOW_QUESTION_RATIO, status=PlayStatus.OPEN)
        .order_by("owner__username").values_list("account__name", "owner_id")
    )


def test_an_upload_raises_the_reps_listening_play_at_once_and_a_better_one_clears_it(
    client, people, meeting, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    # given: no play yet for how the rep listens
    client.force_login(people.rep)
    assert not Play.objects.filter(rule=LOW_QUESTION_RATIO).exists()
    # when: the rep uploads the review's transcript on the meeting page (one question, two
    # statements), and nobody runs a scan
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, meeting, REVIEW)
    # then: the play is there for the rep and their manager, on the meeting's account
    assert response.status_code == 302
    assert open_plays_of_the_rep(people) == [
        ("Ours Telecom", people.manager.pk), ("Ours Telecom", people.rep.pk)
    ]
    # when: a transcript where the rep asks more than they tell replaces it
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, meeting, LISTENING, name="review-fixed.vtt")
    # then: the plays are gone, again without a scan
    assert open_plays_of_the_rep(people) == []
    assert set(Play.objects.filter(rule=LOW_QUESTION_RATIO).values_list("status", flat=True)) == {
        PlayStatus.DONE
    }


def test_naming_a_speaker_as_the_rep_raises_their_listening_play_at_once(
    client, people, meeting, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    # given: a transcript where the rep is "Speaker 2", so nobody of ours has figures yet
    client.force_login(people.rep)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, meeting, REVIEW.replace("<v Rep>", "<v Speaker 2>"))
    assert open_plays_of_the_rep(people) == []
    ours = meeting.attendees.get(user=people.rep)
    # when: the rep names "Speaker 2" as themselves
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:name_speaker", args=[meeting.pk]),
            {"label": "Speaker 2", "attendee": ours.pk},
        )
    # then
    assert response.status_code == 302
    assert open_plays_of_the_rep(people) == [
        ("Ours Telecom", people.manager.pk), ("Ours Telecom", people.rep.pk)
    ]


def test_a_refused_upload_runs_no_rule(
    client, people, meeting, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    client.force_login(people.rep)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(client, meeting, "WEBVTT\n\n00:00:05.000 --> banana\n<v Rep>Hi\n")
    assert response.status_code == 422
    assert callbacks == []
