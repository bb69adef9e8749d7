"""A workspace's SLA settings as pure values: the rules a change must keep (each problem names its
field), and the stored form read back unchanged."""

from __future__ import annotations

from datetime import date, time
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.errors import ValidationFailed
from chalicelib.domain.sla_policies import DEFAULT_POLICY, SlaPolicy, Targets
from chalicelib.domain.sla_settings import (
    DEFAULT_BUSINESS_HOURS,
    BusinessHours,
    Holiday,
    SlaSettings,
    check_policy,
    checked_business_hours,
    reordered,
)

WEEK = DEFAULT_BUSINESS_HOURS.weekly_hours


def hours(**changes: object) -> BusinessHours:
    base = {"time_zone": "Europe/Berlin", "weekly_hours": WEEK, "holidays": ()}
    return BusinessHours(**{**base, **changes})  # type: ignore[arg-type]


def fields(error: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [e["field"] for e in error.value.errors]


def test_the_default_hours_are_weekdays_nine_to_five_utc() -> None:
    calendar = checked_business_hours(DEFAULT_BUSINESS_HOURS)
    assert calendar.time_zone == "UTC"
    assert calendar.weekly_hours[0] == ((time(9), time(17)),) and calendar.weekly_hours[6] == ()


def test_custom_closings_become_holidays_with_the_countrys() -> None:
    closing = Holiday(date(2026, 12, 28), date(2026, 12, 31), "Winter closing")
    calendar = checked_business_hours(hours(holidays=(closing,), holiday_country="DE", holiday_subdivision="BY"))
    assert all(calendar.is_holiday(date(2026, 12, d)) for d in (25, 28, 29, 30, 31))
    assert calendar.is_holiday(date(2027, 1, 6))  # Epiphany in Bavaria, any year
    assert not calendar.is_holiday(date(2026, 12, 23))


def test_overlapping_and_repeated_closings_name_the_later_one() -> None:
    with pytest.raises(ValidationFailed) as raised:
        checked_business_hours(
            hours(
                holidays=(
                    Holiday(date(2026, 12, 20), date(2026, 12, 31)),
                    Holiday(date(2026, 12, 24), date(2026, 12, 24)),
                    Holiday(date(2027, 1, 2), date(2027, 1, 1)),
                    Holiday(date(2027, 5, 1), date(2027, 5, 1)),
                    Holiday(date(2027, 5, 1), date(2027, 5, 1)),
                )
            )
        )
    assert fields(raised) == ["holidays.1", "holidays.2.end", "holidays.4"]


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationFailed) as raised:
        checked_business_hours(hours(time_zone="Nowhere/Land", weekly_hours=((),) * 7, holiday_country="XX"))
    assert set(fields(raised)) == {"weekly_hours", "time_zone", "holiday_country"}


def test_a_closing_longer_than_a_year_is_refused() -> None:
    with pytest.raises(ValidationFailed) as raised:
        checked_business_hours(hours(holidays=(Holiday(date(2026, 1, 1), date(2027, 1, 5)),)))
    assert fields(raised) == ["holidays.0.end"]


def test_stored_hours_read_back_unchanged_with_midnight_as_24_00() -> None:
    late = hours(
        weekly_hours=(((time(8), time(12)), (time(13), time(0))),) + ((),) * 6,
        holidays=(Holiday(date(2026, 12, 24), date(2026, 12, 24), "Eve"),),
        holiday_country="US",
    )
    stored = late.to_dict()
    assert stored["weekly_hours"]["monday"] == [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "24:00"}]
    assert BusinessHours.from_dict(stored) == late


MINUTES = st.one_of(st.none(), st.integers(min_value=1, max_value=525_600))


@given(
    st.dictionaries(
        st.sampled_from(["urgent", "high", "normal", "low"]), st.tuples(MINUTES, MINUTES, MINUTES), min_size=1
    ),
    st.booleans(),
)
def test_a_policy_reads_back_as_stored(targets: dict[str, tuple[int | None, ...]], business: bool) -> None:
    policy = SlaPolicy(
        "p1",
        "Name",
        MappingProxyType(
            {
                p: Targets(*(None if m is None else m * 60 for m in minutes))  # type: ignore[arg-type]
                for p, minutes in targets.items()
            }
        ),
        business,
        queue="billing",
        tag=None,
    )
    assert SlaPolicy.from_dict(policy.to_dict()) == policy


def test_a_policy_needs_a_positive_target_for_some_priority() -> None:
    with pytest.raises(ValidationFailed) as raised:
        check_policy(SlaPolicy("p", "P", MappingProxyType({})))
    assert fields(raised) == ["targets"]
    with pytest.raises(ValidationFailed) as raised:
        check_policy(SlaPolicy("p", "P", MappingProxyType({"high": Targets()})))
    assert fields(raised) == ["targets.high"]
    with pytest.raises(ValidationFailed) as raised:
        check_policy(SlaPolicy("p", "P", MappingProxyType({"low": Targets(resolution=-60)})))
    assert fields(raised) == ["targets.low.resolution_minutes"]
    assert check_policy(DEFAULT_POLICY) is DEFAULT_POLICY


def test_reordering_must_name_every_policy_once() -> None:
    a, b = (SlaPolicy(i, i, MappingProxyType({"low": Targets(resolution=60)})) for i in ("a", "b"))
    assert reordered((a, b), ["b", "a"]) == (b, a)
    for ids in (["a"], ["a", "a"], ["a", "b", "c"]):
        with pytest.raises(ValidationFailed):
            reordered((a, b), ids)


def test_settings_give_the_clock_its_context() -> None:
    policy = SlaPolicy("a", "A", MappingProxyType({"low": Targets(resolution=60)}), queue="billing")
    context = SlaSettings(policies=(policy,)).context()
    assert context.policy_for("low", "billing", ()) == policy
    assert context.policy_for("low", "support", ()) == DEFAULT_POLICY
