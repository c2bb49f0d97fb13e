"""Today and now, in one place, so that tests can set the clock (monkeypatch ``today``)."""

from datetime import date, datetime

from django.utils import timezone


def today() -> date:
    """The organisation's date today (``HEEDFUL_TIME_ZONE``)."""
    return timezone.localdate()


def now() -> datetime:
    return timezone.now()
