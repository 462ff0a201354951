"""Drive a chat with the bot through the local Bot API: send, press, read, print a transcript."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from bot.local_api.server import LocalBotApi, SentMessage, TelegramUser

BotMessage = SentMessage


class ChatDriver:
    """One user's side of a private chat.

    ``send`` and ``press`` return once the bot has answered and gone quiet for ``settle`` seconds
    (or after ``timeout``), with the messages it sent or edited meanwhile. When the bot runs in the
    same process, ``processed(update_id)`` can tell exactly when an update is done instead.
    """

    def __init__(
        self,
        api: LocalBotApi,
        user: TelegramUser,
        *,
        settle: float = 0.25,
        timeout: float = 15,
        processed: Callable[[int], bool] | None = None,
    ) -> None:
        self.api, self.user = api, user
        self.settle, self.timeout = settle, timeout
        self.processed = processed
        self.transcript: list[str] = []

    async def send(self, text: str) -> list[BotMessage]:
        self.transcript.append(f"> {text}")
        return await self._await_reply(lambda: self.api.send_from(self.user, text))

    async def send_all(self, *texts: str) -> list[BotMessage]:
        """Send several messages in turn, each after the bot has answered the one before."""
        replies: list[BotMessage] = []
        for text in texts:
            replies = await self.send(text)
        return replies

    async def send_content(self, description: str, **content: Any) -> list[BotMessage]:
        """Send a non-text message, e.g. ``send_content("sticker", sticker={...})``."""
        self.transcript.append(f"> [{description}]")
        return await self._await_reply(lambda: self.api.send_from(self.user, **content))

    async def set_blocked(self, blocked: bool) -> list[BotMessage]:
        """The user blocks the bot (my_chat_member "kicked"; sends to them fail with 403) or unblocks it."""
        self.transcript.append(f"> [{'blocks' if blocked else 'unblocks'} the bot]")
        return await self._await_reply(lambda: self.api.chat_member_update(self.user, blocked=blocked))

    async def send_in_group(self, group_id: int, text: str) -> list[BotMessage]:
        """Write ``text`` in the group ``group_id`` (api.add_group first): what the bot sent to the group or
        to this user's private chat meanwhile."""
        self.transcript.append(f"[group {group_id}]> {text}")
        return await self._await_reply(lambda: self.api.send_in_group(self.user, group_id, text), group_id)

    async def press_in_group(self, group_id: int, data: str) -> list[BotMessage]:
        """Press a button carrying ``data`` under a (bot's) message in the group ``group_id``."""
        message = BotMessage(group_id, 1, "An old message", "An old message",
                             buttons=[[{"text": "Press", "callback_data": data}]])  # fmt: skip
        self.transcript.append(f"[group {group_id}]> [{data}]")
        return await self._await_reply(lambda: self.api.press_from(self.user, message, data), group_id)

    async def press(self, label: str, message: BotMessage | None = None) -> list[BotMessage]:
        """Press the button whose label contains ``label`` on ``message`` (default: the newest with one)."""
        target = message or self.last_with_buttons()
        for row in target.buttons:
            for button in row:
                if label.lower() in button["text"].lower() and "callback_data" in button:
                    return await self.press_data(button["callback_data"], target, label=button["text"])
        raise AssertionError(f"no button {label!r} in {target.button_labels()}")

    async def skip_why_them(self) -> list[BotMessage]:
        """Before a first draft to someone the bot asks what made you think of them: skip it, if asked."""
        if "made you think of them" in self.last_text():
            return await self.press("Skip")
        return []

    async def press_data(self, data: str, message: BotMessage, label: str | None = None) -> list[BotMessage]:
        """Press a button with arbitrary callback data, as a crafted client could."""
        self.transcript.append(f"> [{label or data}]")
        return await self._await_reply(lambda: self.api.press_from(self.user, message, data))

    async def _await_reply(self, act, group_id: int | None = None) -> list[BotMessage]:
        seq = self.api.last_seq()
        update_id = act()
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            await asyncio.sleep(0.005)
            if self.processed is not None:
                if self.processed(update_id):
                    break
                continue
            events = self._events(seq, group_id)
            if events and self.api.acknowledged(update_id) and time.monotonic() - events[-1].at >= self.settle:
                break
        messages = []
        for event in self._events(seq, group_id):
            if event.message is not None and event.message not in messages and not event.message.deleted:
                messages.append(event.message)
        # In the order the chat shows them, not the order they changed: a pressed message's keyboard is edited
        # alongside the reply (handlers/alongside.py), so its edit can land after the new message.
        messages.sort(key=lambda message: (message.chat_id, message.message_id))
        for message in messages:
            self.transcript.append(render(message))
        return messages

    def _events(self, seq: int, group_id: int | None):
        chats = (self.user.id, group_id)
        return [e for e in self.api.events_since(seq) if e.chat_id in chats]

    # Reading ------------------------------------------------------------------------------------

    def messages(self) -> list[BotMessage]:
        return self.api.chat_messages(self.user.id)

    def last(self) -> BotMessage:
        messages = self.messages()
        if not messages:
            raise AssertionError("the bot has sent nothing in this chat")
        return messages[-1]

    def last_text(self) -> str:
        return self.last().text

    def last_with_buttons(self) -> BotMessage:
        for message in reversed(self.messages()):
            if message.buttons:
                return message
        raise AssertionError("no message with buttons in this chat")

    def print_transcript(self) -> str:
        text = "\n".join(self.transcript)
        print(text)
        return text


def render(message: BotMessage) -> str:
    lines = [f"< {message.text}"]
    if message.buttons:
        lines.append("  " + "  ".join(f"[{label}]" for label in message.button_labels()))
    if message.reply_keyboard:
        lines.append("  keyboard: " + "  ".join(f"({b.get('text')})" for row in message.reply_keyboard for b in row))
    return "\n".join(lines)
