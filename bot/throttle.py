"""The flood throttle at the door: one user sending too much, too fast, is slowed; no one else notices.

The durable inbox asks ``Throttle.verdict`` as an update arrives, before it is stored (without an inbox,
the update processor asks before any handler): a dropped update is never stored, handled or committed,
so it costs a dictionary lookup and leaves no trace. The rule and its numbers are in ``coaching.limits`` (20 updates in any 5 seconds per user).

- Every update with a human sender counts for that sender, in a private chat or a group alike.
  Block and unblock (``my_chat_member``) and other membership updates are never dropped: they carry
  state the bot must keep.
- Over the limit, the first dropped update of a spell gets one polite message, always in the user's
  private chat (never in a group; a user who never opened one with the bot is told nothing); a
  pressed button is always answered, with a short popup, since Telegram wants every callback query
  answered.
- Those replies go out in the background, two at a time at most, so a flood never holds up the updates
  of other users waiting behind it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

from coaching.limits import FLOOD_BUTTON_ANSWER, FLOOD_NOTICE, FloodGate, Verdict

log = logging.getLogger(__name__)

_REPLIES_AT_ONCE = 2  # background replies to dropped updates in flight, at most


def sender_of(update: object) -> int | None:
    """The user an update counts for, or None when it is never throttled."""
    if not isinstance(update, Update) or update.my_chat_member or update.chat_member or update.chat_join_request:
        return None
    user = update.effective_user
    return None if user is None or user.is_bot else user.id


class Throttle:
    """The per-user flood gate, with a clock (``time.monotonic`` unless a test sets its own)."""

    def __init__(self, gate: FloodGate | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.gate = gate if gate is not None else FloodGate()
        self.clock = clock
        self._replies: asyncio.Semaphore | None = None

    def verdict(self, update: object) -> Verdict:
        """Let the update through, or drop it (and whether to say so). Reads the clock once."""
        user_id = sender_of(update)
        if user_id is None:
            return Verdict.ADMIT
        return self.gate.check(user_id, self.clock())

    def turn_away(self, app: Application, update: Update, verdict: Verdict) -> None:
        """A dropped update: answer its button, and at the start of a spell, say why (in the background)."""
        query = update.callback_query
        if query is not None:
            self._in_background(app, query.answer(FLOOD_BUTTON_ANSWER))
        user_id = sender_of(update)
        if verdict is Verdict.TELL and user_id is not None:
            log.info("User %s is sending updates too fast; dropping the excess for a few seconds", user_id)
            # A user's private chat has the user's id, wherever the flood came from.
            self._in_background(app, app.bot.send_message(user_id, FLOOD_NOTICE))

    def _in_background(self, app: Application, call: Coroutine[Any, Any, Any]) -> None:
        app.create_task(self._send(call), name="throttle-reply")

    async def _send(self, call: Coroutine[Any, Any, Any]) -> None:
        if self._replies is None:
            self._replies = asyncio.Semaphore(_REPLIES_AT_ONCE)
        async with self._replies:
            try:
                await call
            except TelegramError as error:  # too old to answer, blocked, ...: the update is dropped anyway
                log.info("Could not answer a throttled update: %s", type(error).__name__)
