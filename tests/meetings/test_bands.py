"""The conversation bands: the code's defaults until an admin sets them, in one place."""

import pytest

from heedful.core.exceptions import InvalidInput
from heedful.core.models import AuditEntry
from heedful.meetings.bands import DEFAULT_BANDS, current_bands, update_bands
from heedful.meetings.models import ConversationBands


def test_the_defaults_hold_until_an_admin_sets_the_bands(db) -> None:  # noqa: ANN001
    bands = current_bands()
    assert bands == DEFAULT_BANDS
    assert (bands.internal_talk_share_low, bands.internal_talk_share_high) == (0.4, 0.6)
    assert bands.minimum_question_ratio == 1.0
    assert bands.longest_monologue_seconds == 120
    assert bands.talk_share_in_band(0.65) is False
    assert bands.monologue_in_band(120) is False


def test_an_admin_sets_the_bands_and_every_reader_sees_them(people) -> None:  # noqa: ANN001
    # when
    update_bands(user=people.admin, changes={"minimum_question_ratio": "0.8"})
    # then
    bands = current_bands()
    assert bands.minimum_question_ratio == 0.8
    assert bands.internal_talk_share_high == 0.6
    assert AuditEntry.objects.filter(action="conversationbands.update").count() == 1


def test_a_lowest_share_above_the_highest_is_refused_and_nothing_changes(people) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput) as refused:
        update_bands(user=people.admin, changes={"internal_talk_share_low": 70})
    assert "internal_talk_share_high" in refused.value.errors
    assert not ConversationBands.objects.exists()
    assert current_bands() == DEFAULT_BANDS


def test_the_admin_site_edits_the_one_row(people, client) -> None:  # noqa: ANN001
    # given
    client.force_login(people.admin)
    # when
    response = client.post("/admin/meetings/conversationbands/add/", {
        "internal_talk_share_low": 30, "internal_talk_share_high": 55,
        "minimum_question_ratio": "1.5", "longest_monologue_seconds": 90,
    })
    # then
    assert response.status_code == 302, response.content[:2000]
    assert current_bands().longest_monologue_seconds == 90
    assert client.get("/admin/meetings/conversationbands/add/").status_code == 403
