"""The meeting page's conversation: a transcript uploaded, an unknown speaker named in one
step, the figures against the bands with a talk-share chart and a timeline, and commitments
accepted as action items."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from heedful.meetings.models import ActionItem, SpeakerName, Transcript

pytestmark = pytest.mark.django_db

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
