"""/settings: read the user's settings and change them; reminders follow at once."""

from __future__ import annotations

from datetime import datetime

from services.nudges import reschedule_digest
from storage.models import User
from storage.uow import UnitOfWork

SettingsRecord = User  # what the UI reads to show the settings

CHANGEABLE = frozenset(
    {
        "quiet_start_hour",
        "quiet_end_hour",
        "country",
        "digest_weekday",
        "strict_drafts",
        "max_follow_ups",
        "muted_kinds",
    }
)


async def load(uow: UnitOfWork, user_id: int, chat_id: int) -> User:
    return await uow.users.get_or_create(user_id, chat_id)


async def change(uow: UnitOfWork, user_id: int, chat_id: int, now: datetime, **changes: object) -> User:
    """Apply already-checked changes, then re-plan the weekly digest for the new day, zone and hours."""
    unknown = set(changes) - CHANGEABLE
    if unknown:
        raise ValueError(f"not a setting: {sorted(unknown)}")
    user = await uow.users.get_or_create(user_id, chat_id)
    for name, value in changes.items():
        setattr(user, name, value)
    await reschedule_digest(uow, user, now)
    return user
