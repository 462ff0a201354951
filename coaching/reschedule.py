"""Moving pending reminders when a setting changes, and releasing them after a pause.

Pure functions over aware datetimes; ``now`` is always a parameter.

**A new time zone or new quiet hours.** Reminders planned at a time of day (the follow-up clock,
the digest, the first-list check-in, keeping in touch, report back, the not-now re-ask) keep their
*local* time: a 09:00 Berlin follow-up becomes 09:00 in New York, on the same date. Reminders tied
to a real moment (a meeting's prep the evening before and an hour before, the reflection after it,
the thank-you 24 hours after it) keep their instant: the meeting doesn't move because the user did.
Either way the result is checked again against the (new) quiet hours, and business-day reminders
against business days, moving it to the next allowed moment; only the hour-before-meeting reminder
is never held back. Nothing is moved into the past: what would be, is due now.

**After a pause.** Everything that fell due while reminders were paused is released without a
flood (``release_plan``):

1. dropped: what no longer applies by the usual rules (a reply logged, a contact closed, archived or
   deleted, a meeting off the calendar); digests and the first-list check-in whose moment passed;
   a meeting's prep when the meeting has started; a clock reminder superseded by a later one for the
   same contact (day 3 "ask a second person" once day 7's "follow up" is due too);
2. a meeting's prep for a meeting still ahead goes at once;
3. the rest, most urgent first (thank-yous, reflections, follow-ups, then keeping in touch), fill
   up to ``RELEASE_RIGHT_AWAY`` (3) at once, counting the meeting preps, then ``RELEASE_PER_MORNING``
   (3) each following morning at 09:00 local (business-day reminders on business days only), a
   minute apart, each checked against quiet hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from coaching.defaults import PAUSE_HOLD_RECHECK, RELEASE_PER_MORNING, RELEASE_RIGHT_AWAY
from coaching.enums import NudgeKind
from coaching.nudges import BUSINESS_DAY_KINDS, CONTACT_KINDS, UserClock
from coaching.schedule import MORNING, is_business_day, local_moment, next_allowed


class Anchor(StrEnum):
    LOCAL = "local"  # planned at a time of day: keeps its local time in a new zone
    INSTANT = "instant"  # tied to a real moment (a meeting): keeps its instant
    FIXED = "fixed"  # the hour before a meeting: keeps its instant, never held back by quiet hours


ANCHORS: dict[str, Anchor] = {
    NudgeKind.PREP_HOUR_BEFORE: Anchor.FIXED,
    NudgeKind.PREP_DAY_BEFORE: Anchor.INSTANT,
    NudgeKind.REFLECT: Anchor.INSTANT,
    NudgeKind.THANK_YOU: Anchor.INSTANT,
}


def anchor_of(kind: str) -> Anchor:
    return ANCHORS.get(kind, Anchor.LOCAL)


def same_local_time(moment: datetime, old_zone: str, new_zone: str) -> datetime:
    """The same wall-clock date and time in ``new_zone``, as UTC: 09:00 Berlin -> 09:00 New York."""
    local = moment.astimezone(ZoneInfo(old_zone)).replace(tzinfo=None)
    return local_moment(local.date(), local.time(), new_zone)


def moved(due: datetime, kind: str, *, old_zone: str, clock: UserClock, now: datetime) -> datetime:
    """Where a pending reminder goes when the zone changes from ``old_zone`` to ``clock.zone`` and/or the
    quiet hours become ``clock.quiet`` (see the module's rule)."""
    anchor = anchor_of(kind)
    if anchor is Anchor.FIXED:
        return due
    local = anchor is Anchor.LOCAL and old_zone != clock.zone
    target = same_local_time(due, old_zone, clock.zone) if local else due
    return next_allowed(
        max(target, now),
        clock.zone,
        clock.quiet,
        business_days_only=kind in BUSINESS_DAY_KINDS,
        holidays=clock.holidays,
    )


# The pause ---------------------------------------------------------------------------------------------------


def is_paused(paused_at: datetime | None, paused_until: datetime | None, now: datetime) -> bool:
    """Paused since ``paused_at``, until ``paused_until`` (None: until resumed)."""
    return paused_at is not None and (paused_until is None or now < paused_until)


def pause_over(paused_at: datetime | None, paused_until: datetime | None, now: datetime) -> bool:
    """A timed pause whose end has come, with its held reminders still to release."""
    return paused_at is not None and paused_until is not None and now >= paused_until


def pause_ends(now: datetime, days: int, zone: str) -> datetime:
    """A pause of ``days`` ends at 09:00 local time, ``days`` days from today."""
    today = now.astimezone(ZoneInfo(zone)).date()
    return local_moment(today + timedelta(days=days), MORNING, zone)


def hold_until(paused_until: datetime | None, now: datetime) -> datetime:
    """Where a reminder falling due in a pause waits: the pause's end, or a month (then again) if open-ended."""
    return paused_until if paused_until is not None and paused_until > now else now + PAUSE_HOLD_RECHECK


@dataclass(frozen=True)
class Held:
    """A reminder that fell due while paused, as the release rule sees it."""

    id: int
    kind: str
    subject: str = ""
    due_at: datetime | None = None  # for the order among equals
    obsolete: bool = False  # by the usual rules (services.nudges): reply logged, contact closed, ...
    meeting_at: datetime | None = None  # a meeting reminder's meeting start
    silent: bool = False  # muted: handled without a message, so it takes no place in the pace


@dataclass(frozen=True)
class Release:
    """For each held reminder: its new due time, or None to drop it."""

    due: dict[int, datetime | None]
    right_away: int = 0
    later: int = 0
    dropped: int = 0


# Most urgent first; clock reminders keep their order along the clock.
RELEASE_ORDER = (
    NudgeKind.PREP_HOUR_BEFORE,
    NudgeKind.PREP_DAY_BEFORE,
    NudgeKind.THANK_YOU,
    NudgeKind.REFLECT,
    NudgeKind.CLOSE,
    NudgeKind.FOLLOW_UP,
    NudgeKind.SECOND_PERSON,
    NudgeKind.INTRO_FOLLOW_UP,
    NudgeKind.NOT_NOW,
    NudgeKind.REPORT_BACK,
    NudgeKind.KEEP_IN_TOUCH,
)
_MEETING_PREP = (NudgeKind.PREP_HOUR_BEFORE, NudgeKind.PREP_DAY_BEFORE)
_PASSED = (NudgeKind.DIGEST, NudgeKind.FIRST_LIST)  # their moment is gone; the next digest is planned anew
# Along one contact's clock, a later reminder supersedes an earlier one.
_CLOCK_RANK: dict[str, int] = {
    NudgeKind.SECOND_PERSON: 0,
    NudgeKind.INTRO_FOLLOW_UP: 0,
    NudgeKind.FOLLOW_UP: 1,
    NudgeKind.CLOSE: 2,
}


def _urgency(item: Held) -> tuple[int, datetime, int]:
    rank = RELEASE_ORDER.index(NudgeKind(item.kind)) if item.kind in RELEASE_ORDER else len(RELEASE_ORDER)
    return rank, item.due_at or datetime.min.replace(tzinfo=UTC), item.id


def _dropped(items: list[Held], now: datetime) -> set[int]:
    dropped = {
        i.id
        for i in items
        if i.obsolete
        or i.kind in _PASSED
        or (i.kind in _MEETING_PREP and (i.meeting_at is None or i.meeting_at <= now))
    }
    latest: dict[str, Held] = {}
    for item in items:
        if item.kind not in CONTACT_KINDS or item.id in dropped:
            continue
        best = latest.get(item.subject)
        if best is None or (_CLOCK_RANK[item.kind], item.id) > (_CLOCK_RANK[best.kind], best.id):
            if best is not None:
                dropped.add(best.id)
            latest[item.subject] = item
        else:
            dropped.add(item.id)
    return dropped


def release_plan(
    items: list[Held],
    now: datetime,
    clock: UserClock,
    *,
    right_away: int = RELEASE_RIGHT_AWAY,
    per_morning: int = RELEASE_PER_MORNING,
) -> Release:
    """When each held reminder goes, or None to drop it (see the module's rule)."""
    dropped = _dropped(items, now)
    due: dict[int, datetime | None] = {i: None for i in dropped}
    kept = sorted((i for i in items if i.id not in dropped), key=_urgency)
    for item in kept:
        if item.silent:
            due[item.id] = now
    paced = [i for i in kept if not i.silent]
    sent_now = 0
    waiting: list[Held] = []
    for item in paced:
        if item.kind in _MEETING_PREP:
            due[item.id] = now  # about a fixed moment still ahead: never held back (quiet hours too, for the hour)
            sent_now += 1
    for item in paced:
        if item.kind in _MEETING_PREP:
            continue
        at = _allowed(now, item.kind, clock)
        if sent_now < right_away and _same_day(at, now, clock):
            due[item.id] = at
            sent_now += 1
        else:
            waiting.append(item)
    later = len(waiting)
    due.update(_spread(waiting, now, clock, per_morning))
    return Release(due, sent_now, later, len(dropped))


def _allowed(moment: datetime, kind: str, clock: UserClock) -> datetime:
    return next_allowed(
        moment, clock.zone, clock.quiet, business_days_only=kind in BUSINESS_DAY_KINDS, holidays=clock.holidays
    )


def _local_day(moment: datetime, clock: UserClock) -> date:
    return moment.astimezone(ZoneInfo(clock.zone)).date()


def _same_day(moment: datetime, now: datetime, clock: UserClock) -> bool:
    """``moment`` is within the user's next waking stretch: today, or the morning after a late-night resume."""
    return _local_day(moment, clock) == _local_day(next_allowed(now, clock.zone, clock.quiet), clock)


def _spread(waiting: list[Held], now: datetime, clock: UserClock, per_morning: int) -> dict[int, datetime]:
    """``per_morning`` a morning from the day after the next waking stretch, in order of urgency."""
    due: dict[int, datetime] = {}
    day = _local_day(next_allowed(now, clock.zone, clock.quiet), clock)
    left = list(waiting)
    while left:
        day += timedelta(days=1)
        business = is_business_day(day, clock.holidays)
        today = [i for i in left if business or i.kind not in BUSINESS_DAY_KINDS][: max(1, per_morning)]
        start = next_allowed(local_moment(day, MORNING, clock.zone), clock.zone, clock.quiet)
        for slot, item in enumerate(today):
            due[item.id] = start + timedelta(minutes=slot)
            left.remove(item)
    return due


def paced(
    items: list[Held],
    now: datetime,
    clock: UserClock,
    *,
    right_away: int = RELEASE_RIGHT_AWAY,
    per_morning: int = RELEASE_PER_MORNING,
) -> dict[int, datetime]:
    """Reminders a settings change made due at once (a shorter report-back period, say), paced like a
    release: nothing is dropped, most urgent first, the rest over the next mornings."""
    plan = release_plan(
        [Held(i.id, i.kind, i.subject, i.due_at, silent=i.silent) for i in items if i.kind not in _PASSED],
        now,
        clock,
        right_away=right_away,
        per_morning=per_morning,
    )
    return {key: value for key, value in plan.due.items() if value is not None}
