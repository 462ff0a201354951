"""/settings: read the user's settings and change them; pending reminders follow at once.

- the time zone: reminders planned at a time of day keep their local time in the new zone; a meeting's
  reminders keep their moment (coaching.reschedule.moved);
- quiet hours and the holiday country: pending reminders now inside quiet hours (or on a holiday) move
  to the next allowed moment;
- the keep-in-touch cadence, report-back and not-now periods: the pending reminders that follow the
  user's default are planned again from the same starting point;
- a pause holds every reminder; resuming (or the pause's end) releases them calmly (services.nudges).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from coaching import keep_in_touch as touch
from coaching import reschedule
from coaching.enums import NudgeKind
from coaching.settings import SettingsView, check_cadence
from services import after
from services.nudges import HELD, Released, release_held, reschedule_digest, reschedule_pending
from services.users import clock_of
from storage.models import Nudge, User
from storage.uow import UnitOfWork

SettingsRecord = User  # what the UI reads to show the settings

CHANGEABLE = frozenset(
    {
        "quiet_start_minute",
        "quiet_end_minute",
        "country",
        "digest_weekday",
        "strict_drafts",
        "max_follow_ups",
        "muted_kinds",
        "touch_ideal_days",
        "touch_max_days",
        "report_back_days",
        "not_now_days",
    }
)
_MOVING = frozenset({"quiet_start_minute", "quiet_end_minute", "country"})


@dataclass(frozen=True)
class Saved:
    """The settings after a change, and what it did to pending reminders."""

    user: User
    moved: int = 0  # reminders moved (a new zone, quiet hours or holidays)
    released: Released | None = None  # resuming: what happened to the reminders that waited
    was_paused: bool = True  # resuming: False when reminders were not paused (an old button)


def view_of(user: User, now: datetime) -> SettingsView:
    """The menu's values, from the user's row."""
    return SettingsView(
        zone=user.timezone,
        quiet_start=user.quiet_start_minute,
        quiet_end=user.quiet_end_minute,
        paused=reschedule.is_paused(user.paused_at, user.paused_until, now),
        paused_until=user.paused_until,
        country=user.country,
        digest_weekday=user.digest_weekday,
        muted_kinds=tuple(filter(None, user.muted_kinds.split(","))),
        strict=user.strict_drafts,
        max_follow_ups=user.max_follow_ups,
        touch_ideal_days=user.touch_ideal_days,
        touch_max_days=user.touch_max_days,
        report_back_days=user.report_back_days,
        not_now_days=user.not_now_days,
    )


async def load(uow: UnitOfWork, user_id: int, chat_id: int, now: datetime | None = None) -> User:
    """The user's settings; a pause that has ended meanwhile releases what waited (if no reminder did yet)."""
    user = await uow.users.get_or_create(user_id, chat_id)
    if now is not None and reschedule.pause_over(user.paused_at, user.paused_until, now):
        await release_held(uow, user, now)
    return user


async def change(uow: UnitOfWork, user_id: int, chat_id: int, now: datetime, **changes: object) -> Saved:
    """Apply already-checked changes, then move what they affect: pending reminders, the weekly digest.

    Raises InvalidAnswer (nothing changed) for a keep-in-touch maximum below the ideal.
    """
    unknown = set(changes) - CHANGEABLE
    if unknown:
        raise ValueError(f"not a setting: {sorted(unknown)}")
    user = await uow.users.get_or_create(user_id, chat_id)
    ideal = changes.get("touch_ideal_days", user.touch_ideal_days)
    maximum = changes.get("touch_max_days", user.touch_max_days)
    if isinstance(ideal, int) and isinstance(maximum, int):
        check_cadence(ideal, maximum)
    changed = {name for name, value in changes.items() if getattr(user, name) != value}
    for name, value in changes.items():
        setattr(user, name, value)
    moved = 0
    if changed & _MOVING:
        moved = await reschedule_pending(uow, user, user.timezone or "UTC", now)
    if changed & {"touch_ideal_days", "touch_max_days"}:
        await _replan_touch(uow, user, now)
    if "report_back_days" in changed:
        await _replan_after(uow, user, NudgeKind.REPORT_BACK, now)
    if "not_now_days" in changed:
        await _replan_after(uow, user, NudgeKind.NOT_NOW, now)
    await reschedule_digest(uow, user, now)
    return Saved(user, moved)


async def set_timezone(uow: UnitOfWork, user_id: int, chat_id: int, zone: str, now: datetime) -> Saved:
    """A new zone (from /settings or /profile): pending reminders keep their local time, meetings their moment."""
    user = await uow.users.get_or_create(user_id, chat_id)
    old = user.timezone or "UTC"
    user.timezone = zone
    moved = await reschedule_pending(uow, user, old, now) if old != zone else 0
    return Saved(user, moved)


async def pause(uow: UnitOfWork, user_id: int, chat_id: int, days: int | None, now: datetime) -> Saved:
    """Pause every reminder for ``days`` (until 09:00 local that day), or until resumed (None)."""
    user = await uow.users.get_or_create(user_id, chat_id)
    if not reschedule.is_paused(user.paused_at, user.paused_until, now):
        user.paused_at = now
    user.paused_until = reschedule.pause_ends(now, days, clock_of(user).zone) if days else None
    return Saved(user)


async def resume(uow: UnitOfWork, user_id: int, chat_id: int, now: datetime) -> Saved:
    """Reminders back on: what fell due meanwhile is released without a flood (services.nudges.release_held)."""
    user = await uow.users.get_or_create(user_id, chat_id)
    if user.paused_at is None:
        return Saved(user, was_paused=False)
    return Saved(user, released=await release_held(uow, user, now))


# The periods after a meeting, planned again -------------------------------------------------------------------


async def _pending(uow: UnitOfWork, user_id: int, kind: str) -> list[Nudge]:
    return await uow.nudges.pending_of(user_id, kind=kind)


async def _replan_touch(uow: UnitOfWork, user: User, now: datetime) -> None:
    """New default cadence: contacts that follow it get their next keep-in-touch reminder planned again
    from their last interaction; contacts with their own period (or stopped) keep theirs."""
    for nudge in await _pending(uow, user.id, NudgeKind.KEEP_IN_TOUCH):
        contact = await uow.contacts.get_owned(int(nudge.subject), user.id) if nudge.subject.isdigit() else None
        if contact is None or contact.touch_days is not None or contact.touch_stopped or contact.archived:
            continue
        await after.set_cadence(uow, user.id, contact.id, 0, now)


async def _replan_after(uow: UnitOfWork, user: User, kind: str, now: datetime) -> None:
    """A new report-back or re-ask period: each pending one is due that long after its start (the thank-you,
    the "not now"). Any that the change makes due at once go out calmly, as after a pause."""
    clock = clock_of(user)
    overdue: list[tuple[Nudge, reschedule.Held]] = []
    for nudge in await _pending(uow, user.id, kind):
        contact = await uow.contacts.get_owned(int(nudge.subject), user.id) if nudge.subject.isdigit() else None
        start = None
        if contact is not None:
            start = contact.thanked_at if kind == NudgeKind.REPORT_BACK else contact.replied_at
        if start is None:
            continue
        if kind == NudgeKind.REPORT_BACK:
            due = touch.report_back_due(start, timedelta(days=user.report_back_days), clock.zone, clock.quiet)
        else:
            due = touch.not_now_due(start, timedelta(days=user.not_now_days), clock.zone, clock.quiet)
        if due > now:
            nudge.due_at, nudge.last_error = due, None  # a reminder held by a pause is no longer due: not held
        elif nudge.last_error != HELD:
            overdue.append((nudge, reschedule.Held(nudge.id, nudge.kind, nudge.subject, due)))
    if reschedule.is_paused(user.paused_at, user.paused_until, now):
        for nudge, _held in overdue:
            nudge.due_at = now  # held when it comes up, released with the rest when the pause ends
        return
    spread = reschedule.paced([held for _nudge, held in overdue], now, clock)
    for nudge, held in overdue:
        nudge.due_at = spread.get(held.id, now)
