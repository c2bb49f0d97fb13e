from datetime import UTC, date, datetime

import pytest

from tests.factories import (
    HoldingFactory,
    InteractionFactory,
    ProductFactory,
    ProductFamilyFactory,
    ReleaseFactory,
)

RULE = "roadmap.briefing_due"


@pytest.fixture
def voice(people):  # noqa: ANN001, ANN201
    family = ProductFamilyFactory(name="Voice")
    owned = ProductFactory(family=family, sku="VG-1", name="Voice Gateway")
    HoldingFactory(account=people.ours, product=owned)
    return ProductFactory(family=family, sku="CM-1", name="Call Manager")


def test_release_due_in_a_family_they_own_fires(people, voice, findings) -> None:  # noqa: ANN001
    # given
    ReleaseFactory(product=voice, name="5.0", release_on=date(2027, 1, 15))
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert play.account_id == people.ours.pk
    assert play.explanation == (
        "They own Voice products; Call Manager 5.0 is due on 15 Jan 2027 (in 54 days). Nobody "
        "has briefed them on the roadmap in the last 180 days."
    )
    assert play.facts["releases"] == [
        {"sku": "CM-1", "name": "5.0", "product": "Call Manager", "release_on": "2027-01-15"}]
    assert "roadmap briefing" in play.suggested_action


def test_release_out_in_the_last_90_days_fires(people, voice, findings) -> None:  # noqa: ANN001
    ReleaseFactory(product=voice, name="4.2", release_on=date(2026, 9, 1))
    found = findings(RULE)
    assert "Call Manager 4.2 is out since 1 Sep 2026 (82 days ago)" in found[0].explanation


def test_roadmap_talk_in_180_days_keeps_it_quiet(people, voice, findings) -> None:  # noqa: ANN001
    ReleaseFactory(product=voice, release_on=date(2027, 1, 15))
    InteractionFactory(account=people.ours, tags=";roadmap;",
                       occurred_at=datetime(2026, 5, 26, 10, 0, tzinfo=UTC))
    assert findings(RULE) == []


def test_roadmap_talk_181_days_ago_does_not_count(people, voice, findings) -> None:  # noqa: ANN001
    ReleaseFactory(product=voice, release_on=date(2027, 1, 15))
    InteractionFactory(account=people.ours, tags=";roadmap;",
                       occurred_at=datetime(2026, 5, 25, 10, 0, tzinfo=UTC))
    assert len(findings(RULE)) == 1


def test_releases_outside_the_window_or_other_families_stay_quiet(people, voice, findings) -> None:  # noqa: ANN001
    ReleaseFactory(product=voice, name="far", release_on=date(2027, 2, 21))
    ReleaseFactory(product=voice, name="old", release_on=date(2026, 8, 23))
    data = ProductFactory(family=ProductFamilyFactory(name="Data"))
    ReleaseFactory(product=data, release_on=date(2027, 1, 1))
    assert findings(RULE) == []


def test_several_releases_make_one_play(people, voice, findings) -> None:  # noqa: ANN001
    ReleaseFactory(product=voice, name="5.0", release_on=date(2027, 1, 15))
    ReleaseFactory(product=voice, name="4.9", release_on=date(2026, 12, 1))
    found = findings(RULE)
    assert len(found) == 1
    assert "Call Manager 4.9 is due on 1 Dec 2026 (in 9 days), and 1 more release" in (
        found[0].explanation)


def test_no_holdings_stays_quiet(people, findings) -> None:  # noqa: ANN001
    ReleaseFactory(release_on=date(2027, 1, 15))
    assert findings(RULE) == []
