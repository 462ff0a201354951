"""Talking to the Bot API: transient failures are retried before a handler ever sees them.

A 5xx answer, a dropped connection or a timeout is retried twice with a short pause, so a reply is
not lost to a hiccup (a retried send may, rarely, arrive twice; the data behind it is never doubled).
A 429 is handled by the shared rate limiter (bot/limiter.py): every send waits ``retry_after``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest

log = logging.getLogger(__name__)

TRANSIENT_RETRIES = 2
_PAUSES = (0.3, 1.0)

_retry_timeouts: ContextVar[bool] = ContextVar("infocoach_retry_timeouts", default=True)


@contextmanager
def no_timeout_retries() -> Iterator[None]:
    """A timeout inside is not retried here: the nudge dispatcher decides what it means (maybe delivered)."""
    token = _retry_timeouts.set(False)
    try:
        yield
    finally:
        _retry_timeouts.reset(token)


class RetryingRequest(HTTPXRequest):
    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        for attempt in range(TRANSIENT_RETRIES + 1):
            last = attempt == TRANSIENT_RETRIES
            try:
                code, payload = await super().do_request(url, method, *args, **kwargs)
            except (TimedOut, NetworkError) as error:
                if last or (isinstance(error, TimedOut) and not _retry_timeouts.get()):
                    raise
                log.warning("Bot API request failed (%s); retrying", type(error).__name__)
            else:
                if code < 500 or last:
                    return code, payload
                log.warning("Bot API answered %s; retrying", code)
            await asyncio.sleep(_PAUSES[min(attempt, len(_PAUSES) - 1)])
        raise AssertionError("unreachable")
