"""The nudge dispatcher: one periodic JobQueue job that claims due nudge rows and sends them.

Sends are paced here, not bot-wide: at most ``global_rate`` a second in total and one a second per
chat, so replies to a person who is typing are never queued behind a burst of reminders.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
from aiolimiter import AsyncLimiter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application, ContextTypes, ExtBot

from bot.requests import NO_RETRY_ON_429, no_timeout_retries
from coaching.enums import NudgeStatus
from handlers.nudges import nudge_keyboard
from services import nudges as services
from services.charts import render_progress_png
from services.transactions import UnitOfWork

log = logging.getLogger(__name__)
JOB_NAME = "nudge-dispatcher"
# A timeout after the request went out is ambiguous: Telegram may have delivered it (docs/reliability.md).
MAYBE_DELIVERED = "timeout: maybe delivered"
AMBIGUOUS_WAIT = timedelta(minutes=1)
CHART_CAPTION = "Your progress: the funnel, and conversations per week against your goal."


def utcnow() -> datetime:
    return datetime.now(UTC)


class Dispatcher:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        batch: int = 200,
        lease: timedelta = timedelta(minutes=2),
        global_rate: float | None = 25,
        per_chat_interval: float = 1.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._factory = session_factory
        self._batch, self._lease = batch, lease
        self._limiter = AsyncLimiter(global_rate, 1) if global_rate else None
        self._per_chat_interval = per_chat_interval
        self._last_send: dict[int, float] = {}
        self._clock = clock
        # One send at a time, and its "sent" mark committed before the next send starts: a kill can then double
        # at most the one send in flight (docs/reliability.md). Preparing a delivery takes the same lock, so a mark
        # never waits behind other reminders' writes either (SQLite's busy back-off is up to 100 ms a try).
        self._one_at_a_time = asyncio.Lock()

    async def job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.run_once(context.bot)

    async def run_once(self, bot: Bot) -> int:
        """Claim what is due now and send it; returns how many were sent."""
        async with UnitOfWork(self._factory) as uow:
            claimed = await services.claim_due(uow, self._clock(), limit=self._batch, lease=self._lease)
        by_user: dict[int, list[int]] = defaultdict(list)
        for nudge_id, user_id in claimed:
            by_user[user_id].append(nudge_id)
        results = await asyncio.gather(*(self._send_user(bot, batch) for batch in by_user.values()))
        return sum(results)

    async def _send_user(self, bot: Bot, nudge_ids: list[int]) -> int:
        sent = 0
        for nudge_id in nudge_ids:
            outcome = await self._send_one(bot, nudge_id)
            sent += outcome == "sent"  # after a 403 the rest are held by prepare_delivery, not sent
        return sent

    async def _pace(self, chat_id: int) -> None:
        wait = self._last_send.get(chat_id, 0) + self._per_chat_interval - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        if self._limiter:
            await self._limiter.acquire()
        self._last_send[chat_id] = time.monotonic()

    async def _send_one(self, bot: Bot, nudge_id: int) -> str:
        """Send one claimed nudge, unless the service dropped it (obsolete) or deferred it (quiet hours)."""
        async with self._one_at_a_time, UnitOfWork(self._factory) as uow:
            delivery = await services.prepare_delivery(uow, nudge_id, self._clock())
        if delivery is None:
            return "skipped"
        await self._pace(delivery.chat_id)
        async with self._one_at_a_time:
            outcome = await self._send_and_mark(bot, nudge_id, delivery)
        if outcome == "sent" and delivery.chart is not None:
            await self._send_chart(bot, delivery)
        return outcome

    async def _send_and_mark(self, bot: Bot, nudge_id: int, delivery: services.Delivery) -> str:
        try:
            # No retry inside the rate limiter: a 429 puts the nudge back in the queue (see below). No retry of a
            # timeout inside the request either: it may mean "delivered", decided below.
            with no_timeout_retries():
                await bot.send_message(
                    delivery.chat_id,
                    delivery.html,
                    parse_mode=ParseMode.HTML,
                    reply_markup=nudge_keyboard(nudge_id, delivery.action, delivery.meeting_id),
                    **_no_limiter_retry(bot),
                )
        except TimedOut as error:
            if _never_sent(error):
                return await self._failed(nudge_id, error=type(error).__name__, transient=True)
            return await self._maybe_delivered(nudge_id)
        except RetryAfter as error:
            return await self._failed(nudge_id, error="429", retry_after=_retry_after_seconds(error))
        except Forbidden:
            # Blocked: this reminder and every later one are held (not cancelled) until the user is back.
            async with UnitOfWork(self._factory) as uow:
                await services.user_blocked(uow, delivery.user_id, self._clock(), nudge_id=nudge_id)
            log.info("User %s blocked the bot; their reminders are held until they are back", delivery.user_id)
            return "blocked"
        except BadRequest as error:
            return await self._failed(nudge_id, error=f"BadRequest: {error}"[:200])
        except NetworkError as error:
            return await self._failed(nudge_id, error=type(error).__name__, transient=True)
        # Marked sent the moment Telegram accepted it, in a transaction of its own: nothing is batched behind it.
        async with UnitOfWork(self._factory) as uow:
            await services.delivered(uow, nudge_id, self._clock())
        return "sent"

    async def _send_chart(self, bot: Bot, delivery: services.Delivery) -> None:
        """The digest's chart, after the digest is marked sent: best effort, never sent twice."""
        png = await asyncio.to_thread(render_progress_png, delivery.chart)  # ~20 ms of CPU, off the loop
        await self._pace(delivery.chat_id)
        try:
            await bot.send_photo(delivery.chat_id, png, caption=CHART_CAPTION, **_no_limiter_retry(bot))
        except TelegramError as error:
            log.info("The digest chart was not sent: %s", type(error).__name__)

    async def _maybe_delivered(self, nudge_id: int) -> str:
        """Telegram may have delivered it: record that, and don't send it again within the minute. After that
        minute it is tried once more; a second ambiguous timeout gives up (a reminder at most twice, never more)."""
        now = self._clock()
        async with UnitOfWork(self._factory) as uow:
            nudge = await uow.nudges.get(nudge_id)
            if nudge is None or nudge.status != NudgeStatus.SENDING:
                return "failed"
            again = nudge.last_error == MAYBE_DELIVERED
            nudge.attempts += 1
            nudge.status = NudgeStatus.FAILED if again else NudgeStatus.PENDING
            nudge.lease_until, nudge.last_error = None, MAYBE_DELIVERED
            if not again:
                nudge.due_at = now + AMBIGUOUS_WAIT
        log.info("Reminder %s timed out after it was sent; %s", nudge_id, "given up" if again else "retry in a minute")
        return "failed"

    async def _failed(self, nudge_id: int, **how) -> str:
        async with UnitOfWork(self._factory) as uow:
            await services.delivery_failed(uow, nudge_id, self._clock(), **how)
        return "failed"


def _never_sent(error: TimedOut) -> bool:
    """A timeout while connecting, or waiting for a free connection: the request never left."""
    return isinstance(error.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout) or "Pool timeout" in str(error)


def _no_limiter_retry(bot: Bot) -> dict:
    """Only PTB's ExtBot (with its rate limiter) takes ``rate_limit_args``; a bare Bot has no limiter."""
    return {"rate_limit_args": NO_RETRY_ON_429} if isinstance(bot, ExtBot) else {}


def _retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        # PTB 22 returns int seconds today and timedelta in a future major version; accept both.
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def install(app: Application, dispatcher: Dispatcher, interval: float = 2.0) -> None:
    """Run the dispatcher every ``interval`` seconds on PTB's JobQueue.

    misfire_grace_time=None: APScheduler's default of 1 s silently skips a run that starts late;
    coalesce and max_instances=1: a slow run is never overlapped or stacked up.
    """
    app.job_queue.run_repeating(
        dispatcher.job,
        interval=interval,
        first=0.5,
        name=JOB_NAME,
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
