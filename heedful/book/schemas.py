"""API input and output of customer search."""

from ninja import Schema
from pydantic import Field


class SearchParams(Schema):
    q: str = Field(min_length=1, description="A name, alias, e-mail address or phone number.")
    limit: int = Field(10, ge=1, le=100)


class SearchHit(Schema):
    kind: str = Field(description="account or contact")
    external_id: str
    name: str
    account_external_id: str
    account_name: str
    matched: str = Field(description="The field that matched.")
    score: float = Field(description="0-100: how well; 100 for an exact identifier.")
    closeness: str = Field(
        description="exact, close (every word typed found, give or take a typo) or loose "
        "(only part of it)."
    )
