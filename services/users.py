"""The user's profile and clock, as the coaching rules see them."""

from __future__ import annotations

from coaching.nudges import UserClock
from coaching.profile import ProfileView
from storage.models import User


def clock_of(user: User) -> UserClock:
    """The user's zone, quiet hours and holidays: what every time rule needs."""
    return UserClock.of(user.timezone, user.quiet_start_minute, user.quiet_end_minute, user.country)


def profile_of(user: User) -> ProfileView:
    return ProfileView(
        name=user.name,
        field=user.field,
        roles=user.roles,
        stage=user.stage,
        timezone=user.timezone,
        goal_count=user.goal_count,
        goal_period=user.goal_period,
        motivation=user.motivation,
        pitch=user.pitch,
    )
