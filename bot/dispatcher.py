"""The nudge dispatcher: one periodic JobQueue job that claims due nudge rows and sends them.

Sends are paced here, not bot-wide: at most ``global_rate`` a second in total and one a second per
chat, so replies to a person who is typing are never queued behind a burst of reminders.
"""

from __future__ import annotations

import asyncio
from html import escape
import logging
import time
import warnings
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from aiolimiter import AsyncLimiter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, ContextTypes

from coaching import nudges as rules
from coaching.followup import ClockNudge, clock_nudge_obsolete
from coaching.schedule import next_allowed, retry_delay
from storage.repositories import CANCELLED, FAILED, PENDING, SENT
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
JOB_NAME = "nudge-dispatcher"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def nudge_keyboard(nudge_id: int, action: tuple[str, str] | None) -> InlineKeyboardMarkup:
    rows = []
    if action:
        rows.append([InlineKeyboardButton(action[0], callback_data=f"nd:go:{nudge_id}")])
    rows.append([InlineKeyboardButton("✅ Done", callback_data=f"nd:done:{nudge_id}")])
    rows.append([InlineKeyboardButton("⏰ 1 day", callback_data=f"nd:s1d:{nudge_id}"),
                 InlineKeyboardButton("⏰ 1 week", callback_data=f"nd:s1w:{nudge_id}")])
    rows.append([InlineKeyboardButton("🔕 Stop these reminders", callback_data=f"nd:stop:{nudge_id}")])
    return InlineKeyboardMarkup(rows)


class Dispatcher:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], *, batch: int = 200,
                 lease: timedelta = timedelta(minutes=2), global_rate: float | None = 25,
                 per_chat_interval: float = 1.0, clock: Callable[[], datetime] = utcnow) -> None:
        self._factory = session_factory
        self._batch, self._lease = batch, lease
        self._limiter = AsyncLimiter(global_rate, 1) if global_rate else None
        self._per_chat_interval = per_chat_interval
        self._last_send: dict[int, float] = {}
        self._clock = clock

    async def job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.run_once(context.bot)

    async def run_once(self, bot: Bot) -> int:
        """Claim what is due now and send it; returns how many were sent."""
        async with UnitOfWork(self._factory) as uow:
            claimed = await uow.nudges.claim_due(self._clock(), limit=self._batch, lease=self._lease)
            users = {user.id: user for user in await uow.users.get_many({n.user_id for n in claimed})}
        by_user: dict[int, list] = defaultdict(list)
        for nudge in claimed:
            by_user[nudge.user_id].append(nudge)
        results = await asyncio.gather(*(self._send_user(bot, users.get(user_id), batch)
                                         for user_id, batch in by_user.items()))
        return sum(results)

    async def _send_user(self, bot: Bot, user, nudges: list) -> int:
        sent = 0
        for nudge in nudges:
            outcome = await self._send_one(bot, user, nudge)
            sent += outcome == SENT
            if outcome == "blocked":
                break
        return sent

    async def _contact_of(self, nudge):
        if nudge.kind not in rules.CONTACT_KINDS or not nudge.subject.isdigit():
            return None
        async with UnitOfWork(self._factory) as uow:
            return await uow.contacts.get_owned(int(nudge.subject), nudge.user_id)

    async def _week_stats(self, user_id: int, now: datetime) -> rules.WeekStats:
        async with UnitOfWork(self._factory) as uow:
            return rules.WeekStats(**await uow.contacts.week_stats(user_id, now - timedelta(days=7)))

    @staticmethod
    def _obsolete(nudge, user, contact) -> bool:
        if rules.is_obsolete(nudge.kind, onboarded=user.onboarded_at is not None, active=user.is_active):
            return True
        if nudge.kind not in rules.CONTACT_KINDS:
            return False
        return contact is None or clock_nudge_obsolete(
            nudge.kind, replied=contact.replied_at is not None, closed=contact.stage == "closed",
            archived=contact.archived, follow_ups_sent=contact.follow_ups_sent, max_follow_ups=user.max_follow_ups)

    async def _pace(self, chat_id: int) -> None:
        wait = self._last_send.get(chat_id, 0) + self._per_chat_interval - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        if self._limiter:
            await self._limiter.acquire()
        self._last_send[chat_id] = time.monotonic()

    async def _send_one(self, bot: Bot, user, nudge) -> str:
        """Send one claimed nudge, unless it is obsolete (dropped) or the user's quiet hours began (deferred)."""
        contact = await self._contact_of(nudge)
        if user is None or self._obsolete(nudge, user, contact):
            return await self._settle(nudge.id, CANCELLED)
        now = self._clock()
        clock = user.clock()
        allowed = next_allowed(now, clock.zone, clock.quiet)
        if allowed > now:
            return await self._settle(nudge.id, PENDING, due_at=allowed)
        stats = await self._week_stats(user.id, now) if nudge.kind == rules.NudgeKind.DIGEST else None
        text = rules.render(nudge.kind, user.profile().goal, escape(contact.name, quote=False) if contact else "",
                            escape(contact.company, quote=False) if contact and contact.company else None, stats)
        chat_id, nudge_id, user_id = user.chat_id, nudge.id, user.id
        await self._pace(chat_id)
        try:
            await bot.send_message(chat_id, text.html, parse_mode=ParseMode.HTML,
                                   reply_markup=nudge_keyboard(nudge_id, text.action))
        except RetryAfter as error:
            return await self._settle(nudge_id, PENDING, delay=_retry_after_seconds(error), error="429")
        except Forbidden:
            async with UnitOfWork(self._factory) as uow:
                blocked = await uow.users.get(user_id)
                blocked.is_active = False
                await uow.nudges.cancel_pending(user_id)
            log.info("User %s blocked the bot; their pending nudges are cancelled", user_id)
            return "blocked"
        except BadRequest as error:
            return await self._settle(nudge_id, FAILED, error=f"BadRequest: {error}"[:200])
        except NetworkError as error:
            return await self._settle(nudge_id, PENDING, error=type(error).__name__, retry=True)
        return await self._settle(nudge_id, SENT)

    async def _settle(self, nudge_id: int, status: str, *, delay: float = 0, error: str | None = None,
                      retry: bool = False, due_at: datetime | None = None) -> str:
        now = self._clock()
        async with UnitOfWork(self._factory) as uow:
            nudge = await uow.nudges.get(nudge_id)
            nudge.lease_until = None
            nudge.last_error = error
            if retry:
                nudge.attempts += 1
                if nudge.attempts >= rules.MAX_SEND_ATTEMPTS:
                    status = FAILED
                delay = retry_delay(nudge.attempts).total_seconds()
            nudge.status = status
            if status == PENDING:
                nudge.due_at = due_at or now + timedelta(seconds=delay)
            if status == SENT:
                nudge.sent_at = now
                user = await uow.users.get(nudge.user_id)
                if nudge.kind == ClockNudge.CLOSE and nudge.subject.isdigit():
                    contact = await uow.contacts.get_owned(int(nudge.subject), nudge.user_id)
                    if contact is not None and contact.replied_at is None:
                        contact.stage, contact.reply = "closed", "none"
                if nudge.kind == rules.NudgeKind.DIGEST:
                    due = rules.digest_due(now + timedelta(hours=1), user.digest_weekday, user.clock())
                    await uow.nudges.schedule(user_id=user.id, kind=rules.NudgeKind.DIGEST, subject="",
                                              due_at=due, dedup_key=rules.digest_key(user.id, due))
        return status


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
        dispatcher.job, interval=interval, first=0.5, name=JOB_NAME,
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
