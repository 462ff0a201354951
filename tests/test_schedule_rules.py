"""Time rules for nudges across zones, DST changes, Friday afternoons and holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from coaching.nudges import UserClock, digest_due, first_list_due, is_obsolete
from coaching.schedule import (
    QuietHours,
    business_days_after,
    counting_start,
    holiday_calendar,
    local_moment,
    next_allowed,
    retry_delay,
)

UTC = UTC


@pytest.mark.parametrize(
    ("zone", "sent_utc", "due_utc"),
    [
        # UTC-10 (Honolulu): Mon 09:00 local = 19:00 UTC; before noon, so Monday is day zero.
        ("Pacific/Honolulu", datetime(2026, 11, 23, 19, 0, tzinfo=UTC), datetime(2026, 11, 26, 19, 0, tzinfo=UTC)),
        # UTC+5:30 (Kolkata): Mon 13:00 local, after noon: day zero is Tuesday, due Fri 09:00 local.
        ("Asia/Kolkata", datetime(2026, 11, 23, 7, 30, tzinfo=UTC), datetime(2026, 11, 27, 3, 30, tzinfo=UTC)),
        # UTC+13 (Tongatapu): Tue 10:00 local = Mon 21:00 UTC; due Fri 09:00 local = Thu 20:00 UTC.
        ("Pacific/Tongatapu", datetime(2026, 11, 23, 21, 0, tzinfo=UTC), datetime(2026, 11, 26, 20, 0, tzinfo=UTC)),
    ],
)
def test_three_business_days_in_three_zones(zone, sent_utc, due_utc) -> None:
    assert business_days_after(sent_utc, 3, zone) == due_utc


def test_friday_afternoon_counts_from_monday() -> None:
    friday_3pm_berlin = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
    assert counting_start(friday_3pm_berlin, "Europe/Berlin") == date(2026, 11, 30)
    assert business_days_after(friday_3pm_berlin, 3, "Europe/Berlin") == datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


def test_holiday_is_skipped() -> None:
    german = holiday_calendar("DE")
    wed_before_christmas = datetime(2026, 12, 23, 8, 0, tzinfo=UTC)  # 09:00 Berlin, before noon
    # Thu 24 counts, Fri 25 and Sat 26 (holidays/weekend) don't, Mon 28, Tue 29.
    assert business_days_after(wed_before_christmas, 3, "Europe/Berlin", german).date() == date(2026, 12, 29)
    assert business_days_after(wed_before_christmas, 3, "Europe/Berlin").date() == date(2026, 12, 28)
    assert holiday_calendar("XX") == frozenset()


def test_dst_spring_forward_and_fall_back() -> None:
    # Europe/Berlin skips 02:00-03:00 on 29 March 2026: 02:30 lands just after the gap.
    assert local_moment(date(2026, 3, 29), time(2, 30), "Europe/Berlin") == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    # US clocks fall back on 1 Nov 2026: 09:00 New York is 14:00 UTC that day, 13:00 UTC the day before.
    assert local_moment(date(2026, 11, 1), time(9), "America/New_York") == datetime(2026, 11, 1, 14, 0, tzinfo=UTC)
    assert local_moment(date(2026, 10, 31), time(9), "America/New_York") == datetime(2026, 10, 31, 13, 0, tzinfo=UTC)


def test_quiet_hours_move_to_the_next_morning() -> None:
    late = datetime(2026, 11, 24, 21, 30, tzinfo=UTC)  # 22:30 Berlin
    assert next_allowed(late, "Europe/Berlin") == datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    early = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)  # 06:00 Berlin
    assert next_allowed(early, "Europe/Berlin") == datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    fine = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert next_allowed(fine, "Europe/Berlin") == fine
    assert QuietHours(time(22), time(7)).contains(time(23)) and not QuietHours(time(22), time(7)).contains(time(7))


def test_business_day_nudge_skips_the_weekend() -> None:
    saturday_noon = datetime(2026, 11, 28, 11, 0, tzinfo=UTC)
    assert next_allowed(saturday_noon, "Europe/Berlin", business_days_only=True) == datetime(
        2026, 11, 30, 7, 0, tzinfo=UTC
    )


def test_digest_and_first_list_times() -> None:
    clock = UserClock.of("Asia/Kolkata")
    wednesday = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert digest_due(wednesday, 0, clock) == datetime(2026, 11, 30, 3, 30, tzinfo=UTC)  # Mon 09:00 IST
    friday_evening = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)  # 19:30 IST
    assert first_list_due(friday_evening, clock) == datetime(2026, 11, 30, 3, 30, tzinfo=UTC)  # Mon 09:00
    thursday_afternoon = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)  # 13:30 IST: no noon cut-off for the check-in
    assert first_list_due(thursday_afternoon, clock) == datetime(2026, 11, 27, 3, 30, tzinfo=UTC)  # Fri 09:00


def test_obsolete_and_backoff() -> None:
    assert is_obsolete("digest", onboarded=True, active=False)
    assert not is_obsolete("digest", onboarded=True, active=True)
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 20)] == [5, 10, 20, 600]


def test_digest_reports_the_week_and_picks_next_actions() -> None:
    from coaching.answers import Goal, Period
    from coaching.nudges import WeekStats, next_actions, weekly_digest

    busy = WeekStats(requests_sent=3, replies=2, conversations=2, replies_to_answer=1, ready=4, to_research=2)
    text = weekly_digest(Goal(2, Period.WEEK), busy)
    assert "Requests sent: 3 · Replies: 2" in text and "2 of your goal of 2" in text and "Well done" in text
    assert next_actions(busy, Goal(2, Period.WEEK))[:2] == [
        "Answer the 1 reply waiting for you, within 24 hours.",
        "Send a request to one of the 4 people ready to contact (/draft).",
    ]
    quiet = next_actions(WeekStats(), Goal(8, Period.MONTH))
    assert quiet[0] == "Brainstorm five more people to talk to (/find)."
    assert quiet[1] == "Line up 2 more conversations to reach this week's goal."
    assert len(quiet) == 3
