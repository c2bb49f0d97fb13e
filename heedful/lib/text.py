"""Text helpers shared by imports, search and pages."""

import re
import unicodedata


def fold(text: str) -> str:
    """Lower-case text without accents, for matching "Zoë" with "zoe"; the stored name keeps
    its accents."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


def split_list(raw: str) -> list[str]:
    """A ``;``-separated CSV list, trimmed, without empties."""
    return [item.strip() for item in (raw or "").split(";") if item.strip()]


def join_list(items: list[str]) -> str:
    return ";".join(items)


# The schemes a link built from user data may carry: a browser runs ``javascript:`` (and
# ``data:``, ``vbscript:``...) on click, so anything else is shown as plain text.
SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Browsers drop tabs and newlines anywhere in a URL and leading control characters, so
# "java\tscript:" is "javascript:": a value holding any control character is never a link.
_URL_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def safe_url(value: str, scheme: str = "https") -> str:
    """``value`` as a link target with an allowed scheme, or "" when it must stay plain text.

    With ``scheme`` "mailto" or "tel" the value is an address or number put after that
    scheme. Otherwise it is a web address: one without a scheme gets ``scheme``
    ("ours.example" → "https://ours.example"), and one whose scheme is not http, https,
    mailto or tel (``javascript:alert(1)//://x``) gives "".
    """
    if scheme not in SAFE_LINK_SCHEMES:
        raise ValueError(f"{scheme!r} is not a scheme a link may carry")
    candidate = (value or "").strip()
    if not candidate or _URL_UNSAFE_CHARACTERS.search(candidate):
        return ""
    if scheme in {"mailto", "tel"}:
        return f"{scheme}:{candidate}"
    found = _SCHEME.match(candidate)
    if found is None or "." in found.group(1):
        # No scheme, or a host and port ("ours.example:8080"): the link gets ``scheme``.
        return f"{scheme}://{candidate}"
    return candidate if found.group(1).lower() in SAFE_LINK_SCHEMES else ""


# Terminal escape sequences (CSI "\x1b[2J" or "\x9b2J", OSC "\x1b]0;title\x07", and shorter
# ones), then any other C0 control but newline and tab, DEL, the C1 controls, and the
# bidirectional overrides that make text read in another order than it is written.
_TERMINAL_ESCAPE_SEQUENCES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]*[0-~]?"
)
_TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` without the control characters and escape sequences that a terminal would
    obey (clear the screen, move the cursor, retitle the window): for printing names and ids
    that came from user data. Newlines and tabs stay."""
    return _TERMINAL_CONTROLS.sub("", _TERMINAL_ESCAPE_SEQUENCES.sub("", text or ""))
