"""How updates are processed: users in parallel, each user's updates in order, each update inside one
database transaction with its conversation step.

Up to ``MAX_CONCURRENT`` updates run at once, but never two of the same user (nor two without a user):
an update waits for the one before it from the same sender, in the order Telegram sent them, so
conversations see their steps in order and one user's state never meets another's.

The handlers' writes and the PTB persistence's writes (the conversation's new step, scratch data)
join one transaction per update, committed after the last handler. When a handler fails (say
Telegram refused its reply after the answer was stored), everything the update did is rolled back,
its scratch data is restored, and the user can simply send the same answer again: nothing is
half-saved and nothing is saved twice.

With the durable inbox (``bot.inbox``), marking the update done is one more write of that same
transaction; a failed update is retried a few times, then parked.

Before all that, the flood throttle (``bot.throttle``) may turn an update away (at the inbox's door, or
here without an inbox): then nothing runs for it at all, no handler and no transaction, and the user is
told politely, once.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import pickle
import time
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import Application, BaseUpdateProcessor

from bot import metrics
from bot.conversations import open_conversations
from bot.inbox import Inbox
from bot.throttle import Throttle
from coaching.limits import Verdict
from handlers.alongside import calls_alongside
from storage.persistence import SqlPersistence
from storage.uow import update_transaction

log = logging.getLogger(__name__)

MAX_CONCURRENT = 32  # updates in flight at once, across users


class TransactionalUpdateProcessor(BaseUpdateProcessor):
    """Users in parallel, each user in order; one transaction per update (see the module docstring)."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        throttle: Throttle | None = None,
        max_concurrent: int = MAX_CONCURRENT,
    ) -> None:
        super().__init__(max_concurrent_updates=max_concurrent)
        self._factory = session_factory
        self.app: Application | None = None
        self.throttle = throttle  # None: no flood throttle
        self.inbox: Inbox | None = None  # None: no durable inbox (a worker, which handles no updates)
        # Called with the update id once its transaction has ended (committed or rolled back).
        self.done_callbacks: list[Callable[[int], Any]] = []
        # Per sender, the last update queued: the next one of theirs waits for it to finish.
        self._tails: dict[int | None, asyncio.Future[None]] = {}

    async def process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Take a place in the sender's line at once (PTB starts these in the order updates arrive), then wait
        for the update before it and for a free slot."""
        sender = _sender_of(update)
        before = self._tails.get(sender)
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[sender] = mine
        try:
            if before is not None:
                await asyncio.shield(before)
            await super().process_update(update, coroutine)
        finally:
            mine.set_result(None)
            if self._tails.get(sender) is mine:
                del self._tails[sender]

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        # With the inbox, the throttle asked at its door already (bot/inbox.py); a replayed update is never dropped.
        if self.throttle is not None and self.inbox is None and self.app is not None and isinstance(update, Update):
            verdict = self.throttle.verdict(update)
            if verdict is not Verdict.ADMIT:
                _close(coroutine)  # never started: no handler ran, nothing was stored
                self.throttle.turn_away(self.app, update, verdict)
                try:
                    if self.inbox is not None and update_id is not None:
                        await self.inbox.mark_done(update_id)
                finally:
                    self.finished(update)
                return
        user_id = update.effective_user.id if isinstance(update, Update) and update.effective_user else None
        try:
            try:
                if self.inbox is not None and update_id is not None and not await self.inbox.starting(update_id):
                    _close(coroutine)  # parked: replayed too often after crashes (bot/inbox.py)
                    return
                await self._load_scratch(user_id)
            except BaseException:
                _close(coroutine)
                raise
            before = self._scratch(user_id)
            started = time.monotonic()
            while True:
                async with update_transaction(self._factory) as scope:
                    async with calls_alongside():  # a button's answer and keyboard edit, say
                        await coroutine
                    if not scope.failed and self.app is not None and isinstance(update, Update):
                        await self._save_state(update)  # queued into this transaction
                    if not scope.failed and self.inbox is not None and update_id is not None:
                        await self.inbox.mark_done(update_id)  # joins this transaction: done with its writes
                if not scope.failed:
                    metrics.update_handled(update, time.monotonic() - started)
                    return
                metrics.handler_failed(update)
                self._restore(user_id, before)
                if self.inbox is None or self.app is None or update_id is None or await self.inbox.failed(update_id):
                    return
                coroutine = self.app.process_update(update)  # the inbox retries it (bot/inbox.py)
        finally:
            self.finished(update)

    async def _save_state(self, update: Update) -> None:
        """This update's sender's scratch data and conversation steps, and nobody else's: PTB's own
        ``update_persistence`` writes whatever any user touched, which, with users in parallel, could be
        another user's step before their update commits."""
        app = self.app
        persistence = app.persistence if app is not None else None
        if app is None or not isinstance(persistence, SqlPersistence) or update.effective_user is None:
            return
        user_id = update.effective_user.id
        chat_id = update.effective_chat.id if update.effective_chat else user_id
        # Not there: dropped by this update (/delete_me), so its row goes too.
        await persistence.save_user_data(user_id, app.user_data[user_id] if user_id in app.user_data else {})
        key = (chat_id, user_id)  # ConversationHandler's key: per chat and per user (PTB's defaults)
        for name, states in open_conversations(app).items():
            await persistence.save_conversation(name, key, states.get(key))
            states.pop_accessed_keys()  # PTB's own bookkeeping for update_persistence, not needed here
        _forget_in_memory(app, user_id)

    def finished(self, update: object) -> None:
        """Tell the done callbacks an update is finished: handled, rolled back or turned away."""
        if isinstance(update, Update):
            for callback in self.done_callbacks:
                callback(update.update_id)

    async def _load_scratch(self, user_id: int | None) -> None:
        """Scratch data is loaded lazily (storage/persistence.py): load it before the snapshot below, so a
        rolled-back update restores what the user had, not an empty dict."""
        persistence = self.app.persistence if self.app is not None else None
        if user_id is not None and isinstance(persistence, SqlPersistence) and self.app is not None:
            await persistence.refresh_user_data(user_id, self.app.user_data[user_id])

    def _scratch(self, user_id: int | None) -> bytes | None:
        """A copy of the user's scratch data, to restore if the update fails (a pickle: a deep copy at a
        fraction of ``copy.deepcopy``'s cost, and taken for every update)."""
        if self.app is None or user_id is None or user_id not in self.app.user_data:
            return None
        return pickle.dumps(self.app.user_data[user_id], protocol=pickle.HIGHEST_PROTOCOL)

    def _restore(self, user_id: int | None, before: bytes | None) -> None:
        """The update was rolled back: its scratch data goes back to what it was too."""
        if self.app is None or user_id is None:
            return
        data = self.app.user_data[user_id]
        data.clear()
        data.update(pickle.loads(before) if before is not None else {})  # noqa: S301 - our own bytes, just made

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


def _close(coroutine: Awaitable[Any]) -> None:
    """An update's handlers that will not run: closed, so Python doesn't warn they were never awaited."""
    if inspect.iscoroutine(coroutine):
        coroutine.close()


def _forget_in_memory(app: Application, user_id: int) -> None:
    """What PTB would otherwise keep for every user ever seen: the ids it marks for its periodic flush (which
    never runs here: the persistence's update_interval), and an empty scratch dict (its defaultdict makes a
    new one when the user is back; the persistence remembers there is no row, so nothing is read again).

    PTB marks an update's ids once its processing is over, so the marks cleared here are those of updates
    finished before: their state was saved by their own ``_save_state``, and nothing is lost."""
    app._user_ids_to_be_updated_in_persistence.clear()  # noqa: SLF001
    app._chat_ids_to_be_updated_in_persistence.clear()  # noqa: SLF001
    if user_id in app.user_data and not app.user_data[user_id]:
        app._user_data.pop(user_id, None)  # noqa: SLF001


def _sender_of(update: object) -> int | None:
    """Whose line an update waits in: its sender's; updates without one share a line of their own."""
    user = update.effective_user if isinstance(update, Update) else None
    return user.id if user is not None else None
