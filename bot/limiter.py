"""One budget for everything the bot sends: replies and reminders together stay under Telegram's limits.

Telegram allows a bot about 30 messages a second in all and 20 a minute in one group; beyond that it
answers 429 with ``retry_after``. ``SharedLimiter`` is python-telegram-bot's rate limiter for the bot, so
every request but ``getUpdates`` passes through it, the nudge dispatcher's included:

- **At most ``per_second`` messages in any one second** (a sliding window: it starts empty, so a burst
  after a quiet spell never sends more than the limit in its first second either). Requests without a
  chat (answering a button, getMe) don't count, as in Telegram.
- **Replies first.** A reminder (``BULK``) waits while a reply to a person typing is waiting, and reminders
  never take the last few places of a window (``reserve``): a reply that arrives mid-burst finds one free at
  once instead of waiting for the window to drain. Reminders are also spread evenly over the window, so
  its places don't all free up, and get taken back, at the same moment.
- **A 429 pauses every send** for its ``retry_after``, not only the one refused: the request that got it
  waits and tries again (up to ``retries``); a reminder doesn't retry here, the dispatcher puts it back in
  its queue for after the pause. It also cuts the rate by a quarter, which grows back by one message a
  second every 10 s without a 429: where Telegram allows less than the settings say, the bot learns it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot import metrics

log = logging.getLogger(__name__)

TELEGRAM_PER_SECOND = 30  # messages a second for a bot, in all (Telegram's free limit)
TELEGRAM_PER_GROUP_MINUTE = 20  # messages a minute in one group
WINDOW_MARGIN = 1.05  # the overall window, a little longer than a second (see SharedLimiter)
REPLY_SHARE = 1 / 15  # of each window, kept free of reminders for replies (at least 2 places: 30/s leaves 2)
SLOW_DOWN = 0.75  # after a 429, the overall rate is cut by a quarter…
CALM_STEP = 10.0  # …and grows back by one message a second per this many seconds without one


@dataclass(frozen=True)
class SendRules:
    """How one request is limited: passed as ``rate_limit_args`` (always truthy, as PTB requires)."""

    retries: int = 2  # tries again this many times after a 429, once the pause is over
    bulk: bool = False  # a reminder: waits behind replies


REPLY = SendRules()
BULK = SendRules(retries=0, bulk=True)


class Window:
    """At most ``limit`` events in any ``period`` seconds."""

    def __init__(self, limit: int, period: float) -> None:
        self.limit, self.period = limit, period
        self._times: deque[float] = deque()

    def wait(self, now: float, keep_free: int = 0) -> float:
        """Seconds until one more event fits and still leaves ``keep_free`` places (0: now)."""
        # The same sum here and below, so an entry still in the window always means a wait above zero.
        while self._times and self._times[0] + self.period <= now:
            self._times.popleft()
        room = max(1, self.limit - keep_free)
        if len(self._times) < room:
            return 0.0
        return self._times[len(self._times) - room] + self.period - now

    def add(self, now: float) -> None:
        self._times.append(now)

    def idle(self, now: float) -> bool:
        self.wait(now)  # forgets what left the window
        return not self._times


class SharedLimiter(BaseRateLimiter[SendRules]):
    """See the module docstring."""

    def __init__(
        self,
        per_second: float = TELEGRAM_PER_SECOND,
        per_group_minute: int = TELEGRAM_PER_GROUP_MINUTE,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        # A fractional rate (say 0.5/s) becomes whole messages over a longer window. The window is a little longer
        # than Telegram's: a send is counted as it leaves, and the network can bring two closer together.
        limit, period = (int(per_second), 1.0) if per_second >= 1 else (1, 1 / per_second)
        self._overall = Window(limit, period * WINDOW_MARGIN)
        self._ceiling = limit  # the configured rate; after a 429 the window's limit drops below it, then climbs back
        self._calm_since = 0.0
        self._per_group_minute = per_group_minute
        self._groups: dict[int | str, Window] = {}
        self._clock, self._sleep = clock, sleep
        self._paused_until = 0.0
        self._replies_waiting = 0
        self._next_bulk = 0.0  # reminders are spread evenly: the next may not leave before this
        self.pauses = 0  # 429s seen: for tests and metrics

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,  # noqa: ARG002
        data: dict[str, Any],
        rate_limit_args: SendRules | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        rules = rate_limit_args or REPLY
        chat_id = data.get("chat_id")
        for attempt in range(rules.retries + 1):
            await self._slot(chat_id, rules.bulk)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                self._pause(error)
                if attempt == rules.retries:
                    raise
        raise AssertionError("unreachable")

    def _pause(self, error: RetryAfter) -> None:
        seconds = retry_after_seconds(error)
        now = self._clock()
        self._paused_until = max(self._paused_until, now + seconds)
        # Telegram's real limit is lower than ours (a smaller bot tier, other traffic): ask for less from now on.
        self._overall.limit = max(1, int(self._overall.limit * SLOW_DOWN))
        self._calm_since = now + seconds
        self.pauses += 1
        metrics.rate_limited()
        log.warning("Telegram asked to slow down: every send waits %.0f s", seconds)

    async def _slot(self, chat_id: object, bulk: bool) -> None:
        """Wait for the pause to end, the reply queue (for a reminder) and a free place in the windows."""
        group = _group_of(chat_id)
        if not bulk:
            self._replies_waiting += 1
        try:
            while True:
                now = self._clock()
                self._speed_up(now)
                wait = max(self._paused_until - now, 0.0)
                if chat_id is not None:
                    wait = max(wait, self._overall.wait(now))
                if group is not None:
                    wait = max(wait, self._group(group).wait(now))
                if wait == 0.0 and bulk:
                    # A reply waiting goes first; otherwise leave the reserve free, and keep to the even pace.
                    wait = 0.01 if self._replies_waiting else self._bulk_wait(now)
                if wait == 0.0:
                    break
                await self._sleep(wait)
        finally:
            if not bulk:
                self._replies_waiting -= 1
        now = self._clock()
        if bulk:
            self._next_bulk = now + self._overall.period / self._bulk_room()
        if chat_id is not None:
            self._overall.add(now)
        if group is not None:
            self._group(group).add(now)

    def _bulk_room(self) -> int:
        """Places of the overall window reminders may take: all but the replies' reserve."""
        limit = self._overall.limit
        return max(1, limit - max(2, round(limit * REPLY_SHARE)))

    def _bulk_wait(self, now: float) -> float:
        reserve = self._overall.limit - self._bulk_room()
        return max(self._overall.wait(now, keep_free=reserve), self._next_bulk - now)

    def _speed_up(self, now: float) -> None:
        """One more message a second for every ``CALM_STEP`` seconds without a 429, up to the configured rate."""
        steps = int((now - self._calm_since) // CALM_STEP)
        if self._overall.limit < self._ceiling and steps > 0:
            self._overall.limit = min(self._ceiling, self._overall.limit + steps)
            self._calm_since += steps * CALM_STEP

    def _group(self, group: int | str) -> Window:
        if len(self._groups) > 1000:  # forget groups with nothing in their window
            now = self._clock()
            self._groups = {key: window for key, window in self._groups.items() if not window.idle(now)}
        return self._groups.setdefault(group, Window(self._per_group_minute, 60.0))


def _group_of(chat_id: object) -> int | str | None:
    """Groups and channels have negative ids (or an @username); private chats are positive."""
    if isinstance(chat_id, str):
        try:
            chat_id = int(chat_id)
        except ValueError:
            return chat_id
    return chat_id if isinstance(chat_id, int) and chat_id < 0 else None


def retry_after_seconds(error: RetryAfter) -> float:
    """PTB 22 gives ``retry_after`` as int seconds today, a timedelta in its next major version (opted in)."""
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
