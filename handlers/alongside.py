"""Bot API calls that go out alongside the rest of an update, not before it.

Marking a pressed button as answered (answering the query, editing the keyboard away) shows nothing the
next reply depends on; at Telegram's round trips of 50 ms and more, making the reply wait for it costs
every button step one or two round trips. So a handler hands such a call to ``alongside``: it starts at
once and runs while the handler goes on, and the update processor (bot/processor.py) waits for it in
``calls_alongside`` before the update's transaction commits, so an update still ends with all it sent.

Outside an update (a test calling a handler directly, a job) the call is simply awaited.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class _Calls:
    owner: asyncio.Task | None  # the task handling the update: another task (a job it started) awaits its own
    tasks: list[asyncio.Task] = field(default_factory=list)


_calls: ContextVar[_Calls | None] = ContextVar("infocoach_calls_alongside", default=None)


async def alongside(call: Coroutine[Any, Any, Any]) -> None:
    """Start ``call`` and go on; the update waits for it before it ends. Its failure is logged, not raised:
    only calls whose outcome nothing depends on belong here."""
    calls = _calls.get()
    if calls is None or calls.owner is not asyncio.current_task():
        await call
        return
    calls.tasks.append(asyncio.create_task(call))


@asynccontextmanager
async def calls_alongside() -> AsyncIterator[None]:
    """Around one update's handlers: on the way out, wait for every call started ``alongside``."""
    calls = _Calls(asyncio.current_task())
    token = _calls.set(calls)
    try:
        yield
    finally:
        _calls.reset(token)
        for outcome in await asyncio.gather(*calls.tasks, return_exceptions=True):
            if isinstance(outcome, BaseException):
                log.info("A call alongside an update failed: %s", type(outcome).__name__)
