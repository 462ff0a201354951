"""The durable inbox: nothing Telegram handed over is lost to a crash.

Telegram forgets an update once the bot asks for the next ones (``getUpdates`` with a higher offset).
PTB's Updater puts each fetched update into the application's queue, then asks for more; so the
inbox *is* that queue: ``InboxQueue.put`` holds the update, and the Updater's next ``getUpdates`` (the
only request that moves the offset on) first stores every held update in one transaction (``InboxRequest``
calls ``Inbox.flush``), then queues them for the handlers. One commit for each batch Telegram hands over,
not one for each update. The same holds for the webhook (bot/web.py): ``Inbox.receive(update_json)``
stores, then queues, and the HTTP answer comes after.

- The flood throttle (``bot.throttle``) is asked first: a flood's excess is never stored.
- Idempotent by update id: an update fetched again (the bot died before confirming it) is stored once
  and queued once.
- Done in the same transaction as the handler's own writes (``bot.processor``), so an update is
  either handled and done, or neither.
- At startup, before polling starts, every row not done is queued again, in update id order.
- A handler that fails is retried at once, up to ``MAX_ATTEMPTS`` in all. The oldest update replayed after
  a stop is charged an attempt as it starts (see ``starting``), so a crash while it runs counts; after
  ``MAX_CRASHES`` it is not replayed again. A parked update is logged by id (never its text), so a poison
  update can't loop forever.
- Done rows are kept for a day, parked ones for a week, then pruned.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.error import NetworkError
from telegram.ext import Application, ContextTypes
from telegram.request import HTTPXRequest

from bot.throttle import Throttle
from coaching.limits import Verdict
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a handler that fails: tried this many times in all
MAX_CRASHES = 5  # a replayed update running when the process died: parked once charged this many attempts
KEEP_DONE = timedelta(days=1)
KEEP_PARKED = timedelta(days=7)
PRUNE_EVERY = timedelta(hours=1)
PRUNE_JOB = "inbox-prune"


def utcnow() -> datetime:
    return datetime.now(UTC)


def _user_of(update: Update) -> int | None:
    user = update.effective_user
    return user.id if user is not None else None


class UnreadableUpdate(ValueError):
    """A webhook's JSON that is not an update (no integer update_id, a field of the wrong shape)."""


class InboxQueue(asyncio.Queue):
    """The application's update queue: an update is stored before ``put`` returns (see the module doc)."""

    def __init__(self) -> None:
        super().__init__()
        self.inbox: Inbox | None = None

    async def put(self, item: Any) -> None:
        if self.inbox is not None and isinstance(item, Update):
            if not self.inbox.turned_away(item):  # a flood's excess: never stored, never handled (bot/throttle.py)
                self.inbox.hold(item)  # stored and queued before the next getUpdates (Inbox.flush)
            return
        await super().put(item)

    def enqueue_stored(self, item: Any) -> None:
        """Queue an update that is in the inbox already (the replay, a webhook)."""
        super().put_nowait(item)


class Inbox:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._factory = session_factory
        self.clock = clock
        self.queue = InboxQueue()
        self.queue.inbox = self
        self.app: Application | None = None
        # The flood throttle asks at the door, before anything is stored: a flood's excess costs no commits
        # that everyone else's updates would wait behind (bench/flood.py measured ~1.5 s for 500 at once).
        self.throttle: Throttle | None = None
        self.on_turned_away: Callable[[Update], None] | None = None  # the processor's "this one is finished"
        self._held: list[Update] = []  # fetched, not stored yet: Telegram still has them too
        self._replayed: set[int] = set()  # the oldest update queued again at startup, until it starts (``starting``)
        self._flushing = asyncio.Lock()
        self._flush_soon: asyncio.Task | None = None

    def turned_away(self, update: Update) -> bool:
        """True when the flood throttle drops ``update`` (it answers the user itself)."""
        if self.throttle is None or self.app is None:
            return False
        verdict = self.throttle.verdict(update)
        if verdict is Verdict.ADMIT:
            return False
        self.throttle.turn_away(self.app, update, verdict)
        if self.on_turned_away is not None:
            self.on_turned_away(update)
        return True

    # Receiving ---------------------------------------------------------------------------------------

    def hold(self, update: Update) -> None:
        """Keep a fetched update until ``flush`` stores it. The Updater's next getUpdates flushes first; a flush
        is also started here, for an update put in the queue some other way (it finds the batch gone, if the
        Updater's flush came first)."""
        self._held.append(update)
        if self._flush_soon is None or self._flush_soon.done():
            self._flush_soon = asyncio.get_running_loop().create_task(self._flush_quietly())

    async def _flush_quietly(self) -> None:
        try:
            await self.flush()
        except Exception as error:  # noqa: BLE001 - kept held; the Updater's next getUpdates flushes again
            log.warning("Could not store fetched updates (%s); trying again", type(error).__name__)

    async def flush(self) -> None:
        """Store every held update in one transaction, then queue the new ones in the order they came. On failure
        they stay held, and the getUpdates that called this doesn't go out: Telegram keeps them too."""
        async with self._flushing:
            batch = self._held[:]
            if not batch:
                return
            rows = [(u.update_id, _user_of(u), json.dumps(u.to_dict(), ensure_ascii=True)) for u in batch]
            async with UnitOfWork(self._factory) as uow:
                fresh = await uow.inbox.store_many(rows, self.clock())
            del self._held[: len(batch)]
            for update in batch:
                if update.update_id in fresh:  # not stored already: queued by the replay, or handled before a crash
                    self.queue.enqueue_stored(update)

    async def store(self, update: Update, payload: str | None = None) -> bool:
        """Write the update (committed); False when it was there already."""
        raw = payload if payload is not None else json.dumps(update.to_dict(), ensure_ascii=True)
        async with UnitOfWork(self._factory) as uow:
            return await uow.inbox.store(update.update_id, _user_of(update), raw, self.clock())

    async def receive(self, update_json: dict[str, Any]) -> bool:
        """For a webhook: store the update as Telegram sent it, then queue it. False: seen already, or a flood's
        excess (never stored). Raises ``UnreadableUpdate`` for JSON that is not an update."""
        assert self.app is not None, "the inbox is started with the application"
        update_id = update_json.get("update_id")
        if not isinstance(update_id, int) or isinstance(update_id, bool) or not 0 <= update_id < 2**63:
            raise UnreadableUpdate("update_id")
        try:
            update = Update.de_json(update_json, self.app.bot)
        except (TypeError, ValueError, KeyError, AttributeError) as error:  # a field of the wrong shape
            raise UnreadableUpdate(type(error).__name__) from error
        if self.turned_away(update):
            return False
        if not await self.store(update, json.dumps(update_json, ensure_ascii=True)):
            return False
        self.queue.enqueue_stored(update)
        return True

    # Outcomes (called by bot.processor) ----------------------------------------------------------------

    async def mark_done(self, update_id: int) -> None:
        """Done. Inside an update's transaction this joins it (storage.uow): done commits with the handler's
        writes, or not at all; elsewhere (an update turned away before any handler) it is its own transaction."""
        async with UnitOfWork(self._factory) as uow:
            await uow.inbox.mark_done(update_id, self.clock())

    async def starting(self, update_id: int) -> bool:
        """Called as an update starts; False when it must not run. The oldest update replayed after a stop is
        charged an attempt as it starts, before it runs: if it kills the process again, that attempt stays
        counted, so a poison update is parked after ``MAX_CRASHES`` instead of looping (once the others are
        done, it is the oldest). Only the oldest, and only once it starts: with users in parallel a crash
        interrupts many, most of them innocent, and finds more still waiting; charging those would park
        updates that did nothing wrong."""
        if update_id not in self._replayed:
            return True
        self._replayed.discard(update_id)
        async with UnitOfWork(self._factory) as uow:
            attempts, parked = await uow.inbox.failed(update_id, MAX_CRASHES, self.clock())
        if parked:
            log.warning("Update %s was running at %s crashes; parked in the inbox", update_id, attempts)
        return not parked

    async def failed(self, update_id: int) -> bool:
        """The handler failed once more; True when the update is parked (no more attempts)."""
        async with UnitOfWork(self._factory) as uow:
            attempts, parked = await uow.inbox.failed(update_id, MAX_ATTEMPTS, self.clock())
        if parked:
            log.warning("Update %s failed %s times; parked in the inbox, not retried", update_id, attempts)
        return parked

    # Startup -------------------------------------------------------------------------------------------

    async def start(self, app: Application) -> int:
        """Prune, then queue every update not yet done (before polling starts); returns how many."""
        self.app = app
        await self.prune()
        replayed = 0
        async with UnitOfWork(self._factory) as uow:
            rows = await uow.inbox.unfinished()
            for row in rows:
                if row.attempts >= MAX_CRASHES:  # interrupted by a crash that many times already
                    log.warning("Update %s was tried %s times; parked in the inbox", row.update_id, row.attempts)
                    row.status, row.done_at = "parked", self.clock()  # pruned a week from now
                    continue
                try:
                    update = Update.de_json(json.loads(row.payload), app.bot)
                except (ValueError, TypeError, KeyError) as error:
                    log.warning("Update %s could not be read back (%s); parked", row.update_id, type(error).__name__)
                    row.status, row.done_at = "parked", self.clock()  # pruned a week from now
                    continue
                self.queue.enqueue_stored(update)
                if not replayed:  # the oldest: charged an attempt as it starts (see ``starting``)
                    self._replayed.add(update.update_id)
                replayed += 1
        if replayed:
            log.info("Replaying %s updates received before the last stop", replayed)
        if app.job_queue is not None:
            app.job_queue.run_repeating(self._prune_job, interval=PRUNE_EVERY, first=PRUNE_EVERY, name=PRUNE_JOB)
        return replayed

    async def _prune_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.prune()

    async def prune(self) -> int:
        now = self.clock()
        async with UnitOfWork(self._factory) as uow:
            return await uow.inbox.prune(now - KEEP_DONE, now - KEEP_PARKED)


class InboxRequest(HTTPXRequest):
    """The Updater's request for ``getUpdates``: before asking (and so telling Telegram the last batch arrived),
    store that batch (``Inbox.flush``). If it can't be stored, the request fails as a network error would,
    and PTB's polling loop tries again with its back-off; nothing fetched is confirmed meanwhile."""

    def __init__(self, inbox: Inbox, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._inbox = inbox

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        try:
            await self._inbox.flush()
        except Exception as error:
            raise NetworkError(f"fetched updates could not be stored ({type(error).__name__})") from error
        return await super().do_request(url, method, *args, **kwargs)
