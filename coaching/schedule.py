"""When a reminder may go out: business days, the 12:00 cut-off, quiet hours, holidays.

Pure functions over aware datetimes; ``now`` and every moment are parameters, never the clock.
"""

from __future__ import annotations

import functools
from collections.abc import Container
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from coaching.defaults import CUTOFF, MORNING, QUIET_END_HOUR, QUIET_START_HOUR

__all__ = ["CUTOFF", "MORNING"]


@dataclass(frozen=True)
class QuietHours:
    """Local hours when no nudge is sent; ``start`` > ``end`` wraps past midnight (21:00-08:00)."""

    start: time = time(QUIET_START_HOUR, 0)
    end: time = time(QUIET_END_HOUR, 0)

    def contains(self, moment: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


@functools.cache
def holiday_calendar(country: str | None) -> Container[date]:
    """Public holidays of ``country`` (ISO code), or an empty set; unknown codes are ignored."""
    if not country:
        return frozenset()
    import holidays  # deferred: loading the calendars costs time that most users never need

    try:
        return holidays.country_holidays(country.upper())
    except NotImplementedError:
        return frozenset()


def is_business_day(day: date, holidays: Container[date] = frozenset()) -> bool:
    return day.weekday() < 5 and day not in holidays


def next_business_day(day: date, holidays: Container[date] = frozenset()) -> date:
    day += timedelta(days=1)
    while not is_business_day(day, holidays):
        day += timedelta(days=1)
    return day


def add_business_days(start: date, days: int, holidays: Container[date] = frozenset()) -> date:
    for _ in range(days):
        start = next_business_day(start, holidays)
    return start


def counting_start(sent_at: datetime, zone: str, holidays: Container[date] = frozenset()) -> date:
    """Day zero of a business-day clock: the send day, or the next business day when sent at or
    after noon local time, or on a weekend or holiday."""
    local = sent_at.astimezone(ZoneInfo(zone))
    if local.time() >= CUTOFF or not is_business_day(local.date(), holidays):
        return next_business_day(local.date(), holidays)
    return local.date()


def business_days_after(
    sent_at: datetime, days: int, zone: str, holidays: Container[date] = frozenset(), at: time = MORNING
) -> datetime:
    """The moment (UTC) ``days`` business days after ``sent_at``, at ``at`` local time."""
    day = add_business_days(counting_start(sent_at, zone, holidays), days, holidays)
    return local_moment(day, at, zone)


def local_moment(day: date, at: time, zone: str) -> datetime:
    """``day`` at ``at`` in ``zone``, as UTC.

    A wall time skipped by a DST change lands just after the gap (02:30 -> 03:30); a repeated one
    takes its first occurrence (zoneinfo's fold=0 does both).
    """
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def next_allowed(
    moment: datetime,
    zone: str,
    quiet: QuietHours = QuietHours(),
    *,
    business_days_only: bool = False,
    holidays: Container[date] = frozenset(),
) -> datetime:
    """The first moment at or after ``moment`` outside quiet hours (and on a business day if asked)."""
    tz = ZoneInfo(zone)
    local = moment.astimezone(tz)
    for _ in range(30):
        if business_days_only and not is_business_day(local.date(), holidays):
            local = local_moment(next_business_day(local.date(), holidays), quiet.end, zone).astimezone(tz)
            continue
        if quiet.contains(local.time()):
            day = local.date() if local.time() < quiet.end else local.date() + timedelta(days=1)
            local = local_moment(day, quiet.end, zone).astimezone(tz)
            continue
        return local.astimezone(UTC)
    return local.astimezone(UTC)


def next_weekday_morning(now: datetime, weekday: int, zone: str, at: time = MORNING) -> datetime:
    """The next ``weekday`` (0 = Monday) at ``at`` local time strictly after ``now``, in UTC."""
    local_today = now.astimezone(ZoneInfo(zone)).date()
    for offset in range(8):
        day = local_today + timedelta(days=offset)
        if day.weekday() == weekday:
            moment = local_moment(day, at, zone)
            if moment > now:
                return moment
    raise AssertionError("unreachable: a weekday recurs within 8 days")


def snooze(
    now: datetime,
    period: timedelta,
    zone: str,
    quiet: QuietHours = QuietHours(),
    *,
    business_days_only: bool = False,
    holidays: Container[date] = frozenset(),
) -> datetime:
    """When a snoozed reminder comes back: the same rules as its first delivery."""
    return next_allowed(now + period, zone, quiet, business_days_only=business_days_only, holidays=holidays)


def retry_delay(attempts: int, base: float = 5.0, cap: float = 600.0) -> timedelta:
    """Exponential backoff for a failed send: 5 s, 10 s, 20 s … at most 10 minutes."""
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))
