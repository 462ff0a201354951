"""Onboarding: each answer saved as it is given; finishing schedules the welcome nudges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coaching.answers import Goal
from coaching.onboarding import Mode, next_step
from coaching.profile import ProfileView, Step
from services.nudges import reschedule_pending, schedule_welcome
from services.users import profile_of
from storage.uow import UnitOfWork


async def open_profile(uow: UnitOfWork, user_id: int, chat_id: int) -> ProfileView:
    """/start or /profile: the user's profile (created on first contact, from their private chat).

    A user who had blocked the bot and came back is already active again, with their held reminders
    released (handlers.private runs services.nudges.user_back before any flow).
    """
    user = await uow.users.get_or_create(user_id, chat_id)
    return profile_of(user)


async def profile(uow: UnitOfWork, user_id: int) -> ProfileView | None:
    user = await uow.users.get(user_id)
    return profile_of(user) if user else None


async def is_onboarded(uow: UnitOfWork, user_id: int) -> bool:
    user = await uow.users.get(user_id)
    return user is not None and user.onboarded_at is not None


@dataclass(frozen=True)
class Progress:
    profile: ProfileView
    following: Step | None  # the next question, or None
    finished: bool  # the whole profile is done (not for a single edited detail)


async def save_answer(
    uow: UnitOfWork, user_id: int, chat_id: int, step: Step, value: object | None, mode: Mode, now: datetime
) -> Progress:
    """Store ``value`` for ``step`` (None keeps the current one) and work out what comes next."""
    user = await uow.users.get_or_create(user_id, chat_id)
    old_zone = user.timezone
    if isinstance(value, Goal):
        user.goal_count, user.goal_period = value.count, value.period.value
    elif value is not None:
        setattr(user, step.value, value)
    if step is Step.TIMEZONE and old_zone and value and value != old_zone:
        # A new zone: pending reminders keep their local time, a meeting's reminders their moment.
        await reschedule_pending(uow, user, old_zone, now)
    following = next_step(step, profile_of(user), mode)
    finished = mode is not Mode.SINGLE and following is None
    if finished and user.onboarded_at is None:
        user.onboarded_at = now
        await schedule_welcome(uow, user, now)
    return Progress(profile_of(user), following, finished)
