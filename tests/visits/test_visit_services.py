"""A visit announced in the contact's channel with a code and a link only its hashes keep;
a late one flagged; the customer's page refusing every wrong code alike."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from heedful.core.exceptions import InvalidInput
from heedful.interactions.models import Interaction
from heedful.visits import services
from heedful.visits.models import WRONG_CODES_ALLOWED, Visit


def link(token: str) -> str:
    return f"https://heedful.example/visit/{token}/"


def test_announcement_goes_by_email_to_an_email_person_with_code_and_link(
    people, visit, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    # when
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.announce(user=people.rep, visit=visit, link_for=link)
    # then
    assert sent.channel == "email" and sent.sent_by_email
    [message] = mail.outbox
    assert message.to == ["rich@ours.example"]
    assert sent.code in message.body and sent.link in message.body
    assert "Hannah Schmid (Field engineer)" in message.body and "+1 415 555 0100" in message.body
    stored = Visit.objects.get(pk=visit.pk)
    assert sent.code not in stored.code_hash and sent.link.split("/")[-2] not in stored.token_hash
    assert stored.is_announced_in_time() and not stored.is_flagged(timezone.now())
    assert Interaction.objects.filter(kind="email", subject__startswith="Visit announced").exists()


def test_announcement_to_a_phone_person_is_a_call_not_an_email(people, visit) -> None:  # noqa: ANN001
    Visit.objects.filter(pk=visit.pk).update(contact=people.ours.contacts.get(
        external_id="CON-GIULIA"))
    visit.refresh_from_db()
    sent = services.announce(user=people.rep, visit=visit, link_for=link)
    assert sent.channel == "phone" and not sent.sent_by_email and not mail.outbox
    assert Interaction.objects.filter(kind="call", subject__startswith="Visit announced").exists()


def test_a_visit_announced_less_than_a_day_ahead_is_flagged(people, visit) -> None:  # noqa: ANN001
    soon = timezone.now() + timedelta(hours=5)
    Visit.objects.filter(pk=visit.pk).update(window_start=soon,
                                             window_end=soon + timedelta(hours=1))
    visit.refresh_from_db()
    assert visit.is_flagged(timezone.now())  # not announced, past the deadline
    services.announce(user=people.rep, visit=visit, link_for=link)
    visit.refresh_from_db()
    assert visit.is_flagged(timezone.now())
    assert Interaction.objects.filter(subject__startswith="Visit announced (late)").exists()


def test_the_right_code_opens_the_visit_and_a_wrong_one_is_refused(people, visit) -> None:  # noqa: ANN001
    sent = services.announce(user=people.rep, visit=visit, link_for=link)
    token = sent.link.split("/")[-2]
    assert services.verify(token=token, code=sent.code) == visit
    wrong = "000000" if sent.code != "000000" else "111111"
    with pytest.raises(services.Refused) as wrong_code:
        services.verify(token=token, code=wrong)
    with pytest.raises(services.Refused) as no_visit:
        services.verify(token="x" * 43, code=sent.code)
    assert str(wrong_code.value) == str(no_visit.value) == services.REFUSED


def test_after_too_many_wrong_codes_even_the_right_one_is_refused(people, visit) -> None:  # noqa: ANN001
    sent = services.announce(user=people.rep, visit=visit, link_for=link)
    token = sent.link.split("/")[-2]
    Visit.objects.filter(pk=visit.pk).update(wrong_codes=WRONG_CODES_ALLOWED)
    with pytest.raises(services.Refused):
        services.verify(token=token, code=sent.code)


def test_announcing_again_replaces_the_link(people, visit) -> None:  # noqa: ANN001
    first = services.announce(user=people.rep, visit=visit, link_for=link)
    second = services.announce(user=people.rep, visit=visit, link_for=link)
    with pytest.raises(services.Refused):
        services.verify(token=first.link.split("/")[-2], code=first.code)
    assert services.verify(token=second.link.split("/")[-2], code=second.code) == visit


def test_the_customer_view_holds_nothing_internal(people, visit) -> None:  # noqa: ANN001
    services.announce(user=people.rep, visit=visit, link_for=link)
    visit.refresh_from_db()
    shown = services.customer_view(visit)
    text = repr(shown)
    assert "Hannah Schmid" in text and "WO-2291" in text and "+1 415 555 0100" in text
    assert "Margin" not in text and "rich@ours.example" not in text and "Ours Telecom" not in text


def test_a_window_longer_than_twelve_hours_is_refused(people, visit) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput) as refusal:
        services.create_at(user=people.rep, account=people.ours, data={
            "contact": "CON-RICH", "visitor": "hannah", "visitor_role": "Engineer",
            "work_order": "WO-1", "purpose": "Check", "our_phone": "+1 415 555 0100",
            "window_start": "2027-01-05T08:00", "window_end": "2027-01-06T08:00",
        })
    assert "window_end" in refusal.value.errors
    assert Visit.objects.count() == 1


def test_photo_must_be_a_picture(people, visit) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput):
        services.set_photo(user=people.rep, visit=visit, content=b"%PDF-1.4 not a photo")
    services.set_photo(user=people.rep, visit=visit, content=b"\x89PNG\r\n\x1a\n" + b"0" * 10)
    visit.refresh_from_db()
    assert visit.photo_type == "image/png"
