"""Links and terminal output built from user data: only safe schemes, no control sequences."""

import pytest

from heedful.lib.text import safe_url, terminal_safe


@pytest.mark.parametrize("website, expected", [
    ("ours-telecom.example", "https://ours-telecom.example"),
    ("https://ours.example/about?x=1", "https://ours.example/about?x=1"),
    ("HTTP://ours.example", "HTTP://ours.example"),
    ("ours.example:8080/status", "https://ours.example:8080/status"),
    ("  https://ours.example  ", "https://ours.example"),
])
def test_a_web_address_becomes_a_link(website: str, expected: str) -> None:
    assert safe_url(website) == expected


@pytest.mark.parametrize("website", [
    "javascript:alert(1)//://x",
    "JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "",
])
def test_any_other_scheme_is_no_link(website: str) -> None:
    assert safe_url(website) == ""


def test_e_mail_addresses_and_phone_numbers_keep_their_own_scheme() -> None:
    assert safe_url("rita@ours.example", "mailto") == "mailto:rita@ours.example"
    assert safe_url("+1 303 555 0100", "tel") == "tel:+1 303 555 0100"
    # A "number" that is a script is still only dialled, never run.
    assert safe_url("javascript:alert(1)", "tel") == "tel:javascript:alert(1)"


def test_terminal_escapes_and_controls_are_stripped_but_text_stays() -> None:
    # given
    hostile = "Acme\x1b[2J\x1b]0;owned\x07 [red]x[/red]\r\x00\x9b31m\u202eFreight\tLtd\nline 2"
    # when
    shown = terminal_safe(hostile)
    # then
    assert shown == "Acme [red]x[/red]Freight\tLtd\nline 2"
    assert terminal_safe("Zoë Šimić 日本") == "Zoë Šimić 日本"
