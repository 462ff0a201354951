"""What the UI layers get from the composition root: the database, the dispatcher and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """What handlers need from the composition root; kept in ``bot_data``.

    ``clock`` is the only source of "now" for handlers, so tests can move time.
    """

    session_factory: async_sessionmaker[AsyncSession]
    engine: AsyncEngine
    dispatcher: Any  # bot.dispatcher.Dispatcher (services don't import bot/)
    clock: Callable[[], datetime] = field(default=utcnow)
