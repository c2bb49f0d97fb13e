"""Domain exceptions that views, the API and commands turn into readable 4xx answers."""


class HeedfulError(Exception):
    """Base of every error a user can act on."""


class NotFound(HeedfulError):
    """The record does not exist, or the user may not see it (we do not say which)."""


class InvalidInput(HeedfulError):
    """The input is wrong; ``errors`` maps a field name to its reasons."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


class NotAllowed(HeedfulError):
    """The user may see the record but not change it (the product catalogue is the admins')."""


class StaleVersion(HeedfulError):
    """The record changed since the caller read it (optimistic concurrency); nothing was
    written. ``record`` is the record as stored now, ``current_version`` its version."""

    def __init__(self, message: str, *, current_version: str, record: object = None) -> None:
        super().__init__(message)
        self.current_version = current_version
        self.record = record


class IdNotAvailable(InvalidInput):
    """A create named an id that is taken. Answered the same whether the caller may see the
    record holding it or not, so that it confirms no hidden record."""
