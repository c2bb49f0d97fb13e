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
