"""The nudge dispatcher: one periodic JobQueue job that claims due nudge rows and sends them.

Each chat gets at most one reminder a second, paced here. The bot-wide pace is the shared rate limiter's
(bot/limiter.py): reminders go as ``BULK``, behind replies to people typing, within the same budget of
Telegram's 30 messages a second, and a 429 pauses them with everything else.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application, ContextTypes, ExtBot

from bot import metrics
from bot.limiter import BULK, retry_after_seconds
from bot.requests import no_timeout_retries
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
        prepare_batch: int = 25,
        sends_at_once: int = 4,
        lease: timedelta = timedelta(minutes=2),
        per_chat_interval: float = 1.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._factory = session_factory
        self._batch, self._prepare_batch, self._lease = batch, prepare_batch, lease
        self._per_chat_interval = per_chat_interval
        self._last_send: dict[int, float] = {}
        self._clock = clock
        # At most ``sends_at_once`` sends in flight (to different chats), each marked sent in its own commit the
        # moment Telegram accepts it: a kill can double at most the sends in flight (docs/reliability.md).
        # Preparing happens between rounds of sends, never during one, so a mark never waits behind a prepare's
        # writes (SQLite's busy back-off is up to 100 ms a try).
        self._sends = asyncio.Semaphore(sends_at_once)
        # Accepted, waiting for their mark; one mark at a time marks all of them (see _mark_sent).
        self._unmarked: list[tuple[int, str, asyncio.Future[None]]] = []
        self._marking = asyncio.Lock()
        self.last_run: datetime | None = None  # when a run last finished, in real time (GET /healthz)

    async def job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.run_once(context.bot)

    async def run_once(self, bot: Bot) -> int:
        """Claim what is due now and send it; returns how many were sent."""
        moment = time.monotonic()  # chats paced long enough ago are forgotten: the map stays small
        self._last_send = {c: t for c, t in self._last_send.items() if moment - t < self._per_chat_interval}
        async with UnitOfWork(self._factory) as uow:
            claimed = await services.claim_due(uow, self._clock(), limit=self._batch, lease=self._lease)
        sent = 0
        for start in range(0, len(claimed), self._prepare_batch):
            deliveries = await self._prepare([nudge_id for nudge_id, _ in claimed[start : start + self._prepare_batch]])
            by_user: dict[int, list[tuple[int, services.Delivery]]] = defaultdict(list)
            for nudge_id, delivery in deliveries:
                by_user[delivery.user_id].append((nudge_id, delivery))
            sent += sum(await asyncio.gather(*(self._send_user(bot, batch) for batch in by_user.values())))
        self.last_run = utcnow()
        return sent

    async def _prepare(self, nudge_ids: list[int]) -> list[tuple[int, services.Delivery]]:
        """Render a handful of reminders in one transaction (a second's worth at Telegram's pace, so none is
        stale by the time it goes), their rows loaded together; the dropped and the deferred are settled there and
        not returned. If one fails, the rest are prepared one by one, so one bad reminder doesn't hold back the
        others."""
        now = self._clock()
        try:
            async with UnitOfWork(self._factory) as uow:
                prepared = await services.prepare_deliveries(uow, nudge_ids, now)
                deferred = await _deferred(uow, prepared)
        except Exception:  # noqa: BLE001 - rolled back; found again one at a time below
            prepared, deferred = [], 0
            for nudge_id in nudge_ids:
                async with UnitOfWork(self._factory) as uow:
                    prepared.append((nudge_id, await services.prepare_delivery(uow, nudge_id, now)))
                    deferred += await _deferred(uow, prepared[-1:])
        metrics.nudges("deferred", deferred)
        return [(nudge_id, delivery) for nudge_id, delivery in prepared if delivery is not None]

    async def _send_user(self, bot: Bot, batch: list[tuple[int, services.Delivery]]) -> int:
        sent = 0
        for index, (nudge_id, delivery) in enumerate(batch):
            outcome = await self._send_one(bot, nudge_id, delivery)
            sent += outcome == "sent"
            metrics.nudges("deferred" if outcome == "blocked" else outcome)
            if outcome == "blocked":  # the rest of theirs are held too, unsent, like the one refused
                metrics.nudges("deferred", len(batch) - index - 1)
                async with UnitOfWork(self._factory) as uow:
                    for held_id, _ in batch[index + 1 :]:
                        await services.user_blocked(uow, delivery.user_id, self._clock(), nudge_id=held_id)
                break
        return sent

    async def _pace(self, chat_id: int) -> None:
        wait = self._last_send.get(chat_id, 0) + self._per_chat_interval - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        self._last_send[chat_id] = time.monotonic()

    async def _send_one(self, bot: Bot, nudge_id: int, delivery: services.Delivery) -> str:
        """Send one prepared reminder, then its chart (a digest's)."""
        await self._pace(delivery.chat_id)
        async with self._sends:
            outcome = await self._send_and_mark(bot, nudge_id, delivery)
        if outcome == "sent" and delivery.chart is not None:
            await self._send_chart(bot, delivery)
        return outcome

    async def _send_and_mark(self, bot: Bot, nudge_id: int, delivery: services.Delivery) -> str:
        try:
            # No retry inside the rate limiter: a 429 puts the nudge back in the queue (see below), and the limiter
            # holds every send for its retry_after. No retry of a
            # timeout inside the request either: it may mean "delivered", decided below.
            with no_timeout_retries():
                await bot.send_message(
                    delivery.chat_id,
                    delivery.html,
                    parse_mode=ParseMode.HTML,
                    reply_markup=nudge_keyboard(nudge_id, delivery.action, delivery.meeting_id),
                    **_bulk(bot),
                )
        except TimedOut as error:
            if _never_sent(error):
                return await self._failed(nudge_id, error=type(error).__name__, transient=True)
            return await self._maybe_delivered(nudge_id)
        except RetryAfter as error:
            return await self._failed(nudge_id, error="429", retry_after=retry_after_seconds(error))
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
        await self._mark_sent(nudge_id, delivery.kind)
        return "sent"

    async def _mark_sent(self, nudge_id: int, kind: str) -> None:
        """Marked sent the moment Telegram accepted it, with the others accepted meanwhile, in one transaction.

        One mark runs at a time (SQLite has one writer: marks side by side would wait on its busy back-off), and
        whichever send gets to it next marks everything accepted by then. Each send keeps its place among the
        ``sends_at_once`` until its own mark has committed, so the sends in flight and the accepted ones not yet
        marked are never more than ``sends_at_once`` together: what a kill can double (docs/reliability.md).
        """
        marked = asyncio.get_running_loop().create_future()
        self._unmarked.append((nudge_id, kind, marked))
        async with self._marking:
            if not marked.done():  # else an earlier mark took it along
                group, self._unmarked = self._unmarked, []
                await self._mark_group(group)
        await marked  # raises if this one's mark failed

    async def _mark_group(self, group: list[tuple[int, str, asyncio.Future[None]]]) -> None:
        """One transaction for the group; if it fails, each is marked in one of its own, so one bad mark doesn't
        fail the others. Interrupted (the job cancelled), the sends waiting on it are told so, never left waiting."""
        try:
            await self._mark_each(group)
        finally:
            for _, _, marked in group:
                marked.cancel()  # a no-op once it has its outcome

    async def _mark_each(self, group: list[tuple[int, str, asyncio.Future[None]]]) -> None:
        try:
            async with UnitOfWork(self._factory) as uow:
                await services.delivered_many(uow, [(nudge_id, kind) for nudge_id, kind, _ in group], self._clock())
        except Exception as error:  # noqa: BLE001 - rolled back; each tried again alone below
            if len(group) == 1:
                group[0][2].set_exception(error)
                return
            for nudge_id, kind, marked in group:
                try:
                    async with UnitOfWork(self._factory) as uow:
                        await services.delivered(uow, nudge_id, self._clock(), kind=kind)
                except Exception as error:  # noqa: BLE001 - handed to the send it belongs to
                    marked.set_exception(error)
                else:
                    marked.set_result(None)
            return
        for _, _, marked in group:
            marked.set_result(None)

    async def _send_chart(self, bot: Bot, delivery: services.Delivery) -> None:
        """The digest's chart, after the digest is marked sent: best effort, never sent twice."""
        png = await asyncio.to_thread(render_progress_png, delivery.chart)  # ~20 ms of CPU, off the loop
        await self._pace(delivery.chat_id)
        try:
            await bot.send_photo(delivery.chat_id, png, caption=CHART_CAPTION, **_bulk(bot))
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


async def _deferred(uow: UnitOfWork, prepared: list[tuple[int, services.Delivery | None]]) -> int:
    """How many of the reminders not to send now were put back for later (held, paused, quiet hours), not dropped."""
    later = 0
    for nudge_id, delivery in prepared:
        nudge = await uow.nudges.get(nudge_id) if delivery is None else None  # loaded already: no query
        later += nudge is not None and nudge.status == NudgeStatus.PENDING
    return later


def _never_sent(error: TimedOut) -> bool:
    """A timeout while connecting, or waiting for a free connection: the request never left."""
    return isinstance(error.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout) or "Pool timeout" in str(error)


def _bulk(bot: Bot) -> dict:
    """A reminder waits behind replies, and a 429 puts it back in the queue instead of retrying in the
    limiter. Only PTB's ExtBot with a rate limiter takes ``rate_limit_args`` (benchmarks run without)."""
    return {"rate_limit_args": BULK} if isinstance(bot, ExtBot) and bot.rate_limiter is not None else {}


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
