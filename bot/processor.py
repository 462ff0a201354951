"""How updates are processed: each inside one database transaction, with its conversation step.

The handlers' writes and the PTB persistence's writes (the conversation's new step, scratch data)
join one transaction per update, committed after the last handler. When a handler fails (say
Telegram refused its reply after the answer was stored), everything the update did is rolled back,
its scratch data is restored, and the user can simply send the same answer again: nothing is
half-saved and nothing is saved twice.

With the durable inbox (``bot.inbox``), marking the update done is one more write of that same
transaction; a failed update is retried a few times, then parked.

Before all that, the flood throttle (``bot.throttle``) may turn an update away: then nothing runs for
it at all, no handler and no transaction, and the user is told politely, once.
"""

from __future__ import annotations

import copy
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import Application, BaseUpdateProcessor

from bot.inbox import Inbox
from bot.throttle import Throttle
from coaching.limits import Verdict
from storage.uow import update_transaction

log = logging.getLogger(__name__)


class TransactionalUpdateProcessor(BaseUpdateProcessor):
    """One update at a time, each in its own transaction (see the module docstring)."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession], throttle: Throttle | None = None) -> None:
        super().__init__(max_concurrent_updates=1)
        self._factory = session_factory
        self.app: Application | None = None
        self.throttle = throttle  # None: no flood throttle
        self.inbox: Inbox | None = None  # None: no durable inbox (a worker, which handles no updates)
        # Called with the update id once its transaction has ended (committed or rolled back).
        self.done_callbacks: list[Callable[[int], Any]] = []

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        if self.throttle is not None and self.app is not None and isinstance(update, Update):
            verdict = self.throttle.verdict(update)
            if verdict is not Verdict.ADMIT:
                if inspect.iscoroutine(coroutine):
                    coroutine.close()  # never started: no handler ran, nothing was stored
                self.throttle.turn_away(self.app, update, verdict)
                try:
                    if self.inbox is not None and update_id is not None:
                        await self.inbox.mark_done(update_id)
                finally:
                    self._done(update)
                return
        user_id = update.effective_user.id if isinstance(update, Update) and update.effective_user else None
        before = self._scratch(user_id)
        try:
            while True:
                async with update_transaction(self._factory) as scope:
                    await coroutine
                    if not scope.failed and self.app is not None:
                        await self.app.update_persistence()  # queued into this transaction
                    if not scope.failed and self.inbox is not None and update_id is not None:
                        await self.inbox.mark_done(update_id)  # joins this transaction: done with its writes
                if not scope.failed:
                    return
                self._restore(user_id, before)
                if self.inbox is None or self.app is None or update_id is None or await self.inbox.failed(update_id):
                    return
                coroutine = self.app.process_update(update)  # the inbox retries it (bot/inbox.py)
        finally:
            self._done(update)

    def _done(self, update: object) -> None:
        if isinstance(update, Update):
            for callback in self.done_callbacks:
                callback(update.update_id)

    def _scratch(self, user_id: int | None) -> dict | None:
        if self.app is None or user_id is None or user_id not in self.app.user_data:
            return None
        return copy.deepcopy(dict(self.app.user_data[user_id]))

    def _restore(self, user_id: int | None, before: dict | None) -> None:
        """The update was rolled back: its scratch data goes back to what it was too."""
        if self.app is None or user_id is None:
            return
        data = self.app.user_data[user_id]
        data.clear()
        data.update(before or {})

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
