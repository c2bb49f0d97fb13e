"""The bands a conversation's figures are read against, in one place (ADR 0025).

An admin sets them (the admin site's "Conversation bands", or ``update_bands``); until one
does, the code's defaults hold: our talk share between 40% and 60%, a question ratio of at
least 1, no monologue of 2 minutes or more. The meeting page marks figures outside them, the
rep trends page draws them, and the ``conversation.low_question_ratio`` rule reads its
minimum here.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import transaction

from heedful.accounts.record_forms import error_dict
from heedful.core import audit
from heedful.core.exceptions import InvalidInput
from heedful.core.models import User
from heedful.meetings.models import ConversationBands

FIELDS = (
    "internal_talk_share_low", "internal_talk_share_high", "minimum_question_ratio",
    "longest_monologue_seconds",
)


@dataclass(frozen=True)
class Bands:
    internal_talk_share_low: float
    """A fraction (0.4), as ``talk_share`` in the figures."""
    internal_talk_share_high: float
    minimum_question_ratio: float
    longest_monologue_seconds: float

    def talk_share_in_band(self, share: float | None) -> bool | None:
        if share is None:
            return None
        return self.internal_talk_share_low <= share <= self.internal_talk_share_high

    def question_ratio_in_band(self, ratio: float | None) -> bool | None:
        return None if ratio is None else ratio >= self.minimum_question_ratio

    def monologue_in_band(self, seconds: float | None) -> bool | None:
        return None if seconds is None else seconds < self.longest_monologue_seconds


def _bands_of(row: ConversationBands) -> Bands:
    return Bands(
        internal_talk_share_low=row.internal_talk_share_low / 100,
        internal_talk_share_high=row.internal_talk_share_high / 100,
        minimum_question_ratio=float(row.minimum_question_ratio),
        longest_monologue_seconds=float(row.longest_monologue_seconds),
    )


DEFAULT_BANDS = _bands_of(ConversationBands())


def current_bands() -> Bands:
    """The bands in force: the admin's, else the defaults (one query)."""
    row = ConversationBands.objects.order_by("pk").first()
    return DEFAULT_BANDS if row is None else _bands_of(row)


class BandsForm(forms.ModelForm):
    """The admin's form (the admin site uses it too): each value checked by the model."""

    class Meta:
        model = ConversationBands
        fields = FIELDS


def update_bands(*, user: User | None, changes: Mapping[str, Any]) -> Bands:
    """Change the bands (fields of ``FIELDS``; absent ones keep their value), audited.
    ``InvalidInput`` with reasons per field; nothing changes then."""
    with transaction.atomic():
        row = ConversationBands.objects.select_for_update().order_by("pk").first()
        row = row or ConversationBands()
        before = _bands_of(row)
        current = {name: getattr(row, name) for name in FIELDS}
        form = BandsForm(data={**current, **changes}, instance=row)
        if not form.is_valid():
            raise InvalidInput("The bands were not changed.", error_dict(form))
        row = form.save(commit=False)
        row.updated_by = user if user is not None and user.pk else None
        row.save()
        after = _bands_of(row)
        if after != before:
            audit.record(
                user=user, action="conversationbands.update", subject="conversation bands",
                detail={"before": before.__dict__, "after": after.__dict__},
            )
    return after


__all__ = ["DEFAULT_BANDS", "Bands", "BandsForm", "current_bands", "update_bands"]
