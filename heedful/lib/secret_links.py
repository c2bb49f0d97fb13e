"""Links a customer opens without a login (a meeting's shared page, a visit to verify): the
address carries a 256-bit token, and only its SHA-256 is stored, so a stolen database opens
no page and the link can be shown once only (ADR 0028)."""

import hashlib
import secrets

LONGEST_TOKEN = 100
"""A token is 43 characters; anything much longer is not one of ours and is not hashed."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_of_offered(token: str) -> str | None:
    """The hash to look ``token`` up by, or None for an empty or overlong one (which no page
    has: the caller answers as for an unknown token)."""
    if not token or len(token) > LONGEST_TOKEN:
        return None
    return token_hash(token)
