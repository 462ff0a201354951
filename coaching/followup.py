"""The 3B7 follow-up clock and replies, in business days in the user's time zone.

Day 3 with no reply: reach a second person at the same employer. Day 7: one polite follow-up.
Still nothing some days after the last allowed follow-up: close the contact as "no response".
"""

from __future__ import annotations

from datetime import datetime, time
from enum import StrEnum

from coaching.defaults import (
    BOOSTER_DAYS,
    CLOSE_AFTER_FOLLOW_UP_DAYS,
    DEFAULT_MAX_FOLLOW_UPS,
    FOLLOW_UP_DAY,
    INTRO_FOLLOW_UP_DAY,
    MAX_FOLLOW_UPS,
    SECOND_PERSON_DAY,
)
from coaching.enums import NudgeKind, Reply
from coaching.nudges import UserClock
from coaching.schedule import business_days_after, next_allowed

__all__ = ["BOOSTER_DAYS", "DEFAULT_MAX_FOLLOW_UPS", "ClockNudge", "Reply", "CLOCK_KINDS"]


class ClockNudge(StrEnum):
    """The nudges of one contact's follow-up clock (values shared with NudgeKind)."""

    SECOND_PERSON = NudgeKind.SECOND_PERSON.value
    FOLLOW_UP = NudgeKind.FOLLOW_UP.value
    CLOSE = NudgeKind.CLOSE.value
    INTRO_FOLLOW_UP = NudgeKind.INTRO_FOLLOW_UP.value


CLOCK_KINDS = tuple(ClockNudge)


def _due(sent_at: datetime, days: int, clock: UserClock) -> datetime:
    moment = business_days_after(sent_at, days, clock.zone, clock.holidays)
    return next_allowed(moment, clock.zone, clock.quiet, business_days_only=True, holidays=clock.holidays)


def request_clock(sent_at: datetime, clock: UserClock, *, max_follow_ups: int) -> list[tuple[ClockNudge, datetime]]:
    """The nudges a sent request starts: day 3, and day 7 unless follow-ups are switched off."""
    nudges = [(ClockNudge.SECOND_PERSON, _due(sent_at, SECOND_PERSON_DAY, clock))]
    if max_follow_ups > 0:
        nudges.append((ClockNudge.FOLLOW_UP, _due(sent_at, FOLLOW_UP_DAY, clock)))
    else:
        nudges.append((ClockNudge.CLOSE, _due(sent_at, FOLLOW_UP_DAY, clock)))
    return nudges


def intro_clock(sent_at: datetime, clock: UserClock) -> list[tuple[ClockNudge, datetime]]:
    """Asking a mutual contact for an introduction: one check a week later, on the mutual contact."""
    return [(ClockNudge.INTRO_FOLLOW_UP, _due(sent_at, INTRO_FOLLOW_UP_DAY, clock))]


def after_follow_up(
    sent_at: datetime, clock: UserClock, *, follow_ups_sent: int, max_follow_ups: int
) -> tuple[ClockNudge, datetime]:
    """After a follow-up: another one a week later while allowed, otherwise closing."""
    if follow_ups_sent < max_follow_ups:
        return ClockNudge.FOLLOW_UP, _due(sent_at, FOLLOW_UP_DAY, clock)
    return ClockNudge.CLOSE, _due(sent_at, CLOSE_AFTER_FOLLOW_UP_DAYS, clock)


def may_follow_up(follow_ups_sent: int, max_follow_ups: int) -> bool:
    """Never encourage more follow-ups than the setting allows: persistence is not pestering."""
    return follow_ups_sent < min(max_follow_ups, MAX_FOLLOW_UPS)


def is_booster(sent_at: datetime | None, replied_at: datetime, clock: UserClock) -> bool:
    """Replied within 3 business days of the request: answer them first, within 24 hours."""
    if sent_at is None:
        return False
    deadline = business_days_after(sent_at, BOOSTER_DAYS, clock.zone, clock.holidays, at=time(23, 59))
    return replied_at <= deadline


def clock_nudge_obsolete(
    kind: str, *, replied: bool, closed: bool, archived: bool, follow_ups_sent: int, max_follow_ups: int
) -> bool:
    """A clock nudge for someone who replied, was closed or archived, or who has had enough follow-ups."""
    if kind == ClockNudge.INTRO_FOLLOW_UP:
        return replied or archived or closed
    if replied or archived or (closed and kind != ClockNudge.CLOSE):
        return True
    if kind == ClockNudge.CLOSE:
        return closed
    if kind == ClockNudge.FOLLOW_UP:
        return not may_follow_up(follow_ups_sent, max_follow_ups)
    return False
