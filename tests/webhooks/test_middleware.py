"""The senders' door answers ahead of the pages' middleware, and still refuses a host Heedful
does not serve and sends the security headers."""

from django.test import Client

from heedful.webhooks.models import ReceivedEvent
from tests.webhooks.conftest import deliver, payload, raw, zendesk_headers


def test_a_delivery_to_a_host_heedful_does_not_serve_is_refused_and_stores_nothing(
    zendesk, settings  # noqa: ANN001
) -> None:
    # given Heedful serving one host only
    settings.ALLOWED_HOSTS = ["crm.vendor.example"]
    body = raw(payload("zendesk_ticket_created.json"))
    # when a signed delivery arrives addressed to another
    response = Client(HTTP_HOST="attacker.example").post(
        "/webhooks/zendesk/", body, content_type="application/json",
        headers=zendesk_headers(body),
    )
    # then
    assert response.status_code == 400
    assert not ReceivedEvent.objects.exists()


def test_the_answer_carries_the_security_headers_and_no_cookie(zendesk, send) -> None:  # noqa: ANN001
    body = raw(payload("zendesk_ticket_created.json"))
    response = send("zendesk", body, zendesk_headers(body))
    assert response.status_code == 202
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.cookies


def test_an_address_under_webhooks_that_is_no_source_s_is_not_found(db) -> None:  # noqa: ANN001
    response = deliver(Client(), "no/such/door", b"{}", {})
    assert response.status_code == 404
