"""`infocoach chat`: the real bot, with its database and nudges, in a terminal chat.

The application is the one `build_application()` makes; only its Bot API is the local emulator
on 127.0.0.1, and this module plays the Telegram client: it prints what the bot sends and turns
what you type into messages and button presses.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import re
import sys
import threading
import time
from pathlib import Path

from pydantic import SecretStr
from telegram import Update

from bot.app import build_application
from bot.local_api import LocalBotApi, TelegramUser
from bot.local_api.server import Event, SentMessage
from bot.settings import Settings
from bot.terminal import inert, render_html

DEMO_DATABASE = "data/chat-demo.db"
FILES_DIR = Path("data/chat-files")
_LOCAL_TOKEN = "1000000001:local-chat-token-not-for-telegram"
_PRESS = re.compile(r"^(\d+)(?:\.(\d+))?$")
HELP = (
    "Type a message and press Enter; commands work as in Telegram (try /start).\n"
    "Buttons show as [1] Yes  [2] No: type 1 to press the first button of the latest message,\n"
    "or 3.2 for button 2 of message [3]. Start a line with a space to send a number as text.\n"
    "/location LAT LON shares a location. /quit or Ctrl-D leaves; the chat continues next time."
)


def user_for(name: str) -> TelegramUser:
    """A stable Telegram user for a chat name, so `--user Ana` is the same person every time."""
    digest = int(hashlib.sha256(name.strip().lower().encode()).hexdigest()[:8], 16)
    return TelegramUser(id=2_000_000_000 + digest % 1_000_000_000, first_name=name.strip()[:64] or "You")


def database_url(value: str | None) -> str:
    if not value:
        return f"sqlite+aiosqlite:///{DEMO_DATABASE}"
    return value if "://" in value else f"sqlite+aiosqlite:///{value}"


class TerminalChat:
    """Prints the bot's side of the chat and numbers its messages, so buttons can be pressed by number."""

    def __init__(self, api: LocalBotApi, user: TelegramUser, out=sys.stdout) -> None:
        self.api, self.user, self.out = api, user, out
        # Styling for a terminal; plain text when piped or when NO_COLOR is set.
        self.color = out.isatty() and not os.environ.get("NO_COLOR")
        self.numbers: dict[int, int] = {}  # Telegram message_id -> number shown
        self.shown: list[SentMessage] = []
        self.seq = api.last_seq()

    def show_new(self) -> bool:
        events = self.api.events_since(self.seq, self.user.id)
        for event in events:
            self.seq = event.seq
            self._show(event)
        return bool(events)

    def _show(self, event: Event) -> None:
        message = event.message
        if message is None:
            return
        if event.kind == "delete":
            self._print(f"[{self.numbers.get(message.message_id, '?')}] (deleted)")
            return
        edited = event.kind == "edit"
        if not edited:
            self.shown.append(message)
            self.numbers[message.message_id] = len(self.shown)
        number = self.numbers.get(message.message_id, "?")
        label = f"[{number}]{' (edited)' if edited else ''}"
        if self.color:
            label = f"\x1b[36m{label}\x1b[0m"
        # Plain-text messages (drafts to copy) are shown as sent; HTML ones are styled.
        body = inert(message.text) if message.html == message.text else render_html(message.html, color=self.color)
        lines = [f"{label} {body}"]
        if message.document:
            lines.append(f"    📎 saved to {self._save(message)}")
        if message.photo is not None:
            lines.append(f"    🖼 saved to {self._save_photo(message)}")
        if message.buttons:
            labels = [inert(b["text"]) for row in message.buttons for b in row]
            lines.append("    " + "  ".join(f"[{i}] {label}" for i, label in enumerate(labels, 1)))
        if message.reply_keyboard:
            keys = "  ".join(f"«{inert(b.get('text', ''))}»" for row in message.reply_keyboard for b in row)
            lines.append(f"    keyboard: {keys}  (type the text, or /location LAT LON)")
        self._print("\n".join(lines))

    def _save(self, message: SentMessage) -> Path:
        name, content = message.document
        FILES_DIR.mkdir(parents=True, exist_ok=True)
        path = FILES_DIR / Path(name).name
        path.write_bytes(content)
        return path

    def _save_photo(self, message: SentMessage) -> Path:
        FILES_DIR.mkdir(parents=True, exist_ok=True)
        path = FILES_DIR / f"photo-{message.message_id}.png"
        path.write_bytes(message.photo or b"")
        return path

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def act(self, line: str) -> tuple[str | None, int | None]:
        """Turn a typed line into an update: (a problem to show, or None; the update id)."""
        match = _PRESS.match(line)
        if match and self.shown:
            return self._press(match)
        if line.startswith("/location"):
            parts = line.split()
            try:
                lat, lon = float(parts[1]), float(parts[2])
            except (IndexError, ValueError):
                return "Usage: /location 52.52 13.40", None
            return None, self.api.send_from(self.user, location={"latitude": lat, "longitude": lon})
        return None, self.api.send_from(self.user, line.strip() if line.startswith(" ") else line)

    def _press(self, match: re.Match) -> tuple[str | None, int | None]:
        if match.group(2):
            number, button = int(match.group(1)), int(match.group(2))
            if not 1 <= number <= len(self.shown):
                return f"There is no message [{number}].", None
            message = self.shown[number - 1]
        else:
            button = int(match.group(1))
            with_buttons = [m for m in self.shown if m.buttons]
            if not with_buttons:
                return None, self.api.send_from(self.user, match.group(0))
            message = with_buttons[-1]
        flat = [b for row in message.buttons for b in row]
        if not 1 <= button <= len(flat):
            return f"Message [{self.numbers[message.message_id]}] has no button {button}.", None
        if "callback_data" not in flat[button - 1]:
            return "That button opens a link; nothing to press here.", None
        return None, self.api.press_from(self.user, message, flat[button - 1]["callback_data"])


def _read_lines(queue: asyncio.Queue, loop: asyncio.AbstractEventLoop) -> None:
    for line in sys.stdin:
        loop.call_soon_threadsafe(queue.put_nowait, line.rstrip("\n"))
    loop.call_soon_threadsafe(queue.put_nowait, None)


async def chat(settings: Settings, user: TelegramUser) -> None:
    with LocalBotApi(_LOCAL_TOKEN) as api:
        api.chats[user.id] = user
        app = build_application(
            settings.model_copy(
                update={"telegram_bot_token": SecretStr(_LOCAL_TOKEN), "telegram_api_base_url": api.base_url}
            )
        )
        async with app:
            await app.post_init(app)
            await app.start()
            await app.updater.start_polling(timeout=1, allowed_updates=Update.ALL_TYPES)
            try:
                await _converse(api, user)
            finally:
                await app.updater.stop()
                await app.stop()
        await app.post_shutdown(app)


async def _show_forever(terminal: TerminalChat) -> None:
    while True:
        terminal.show_new()
        await asyncio.sleep(0.05)


async def _until_answered(api: LocalBotApi, user: TelegramUser, seq: int, update_id: int | None) -> None:
    """Wait for the bot to answer and go quiet, so typed-ahead (or piped) lines act in order."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while loop.time() < deadline:
        await asyncio.sleep(0.03)
        events = api.events_since(seq, user.id)
        acknowledged = update_id is None or api.acknowledged(update_id)
        if events and acknowledged and time.monotonic() - events[-1].at > 0.3:
            return


async def _converse(api: LocalBotApi, user: TelegramUser) -> None:
    terminal = TerminalChat(api, user)
    print(f"InfoCoach local chat as {inert(user.first_name)}. {HELP}\n", flush=True)
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue = asyncio.Queue()
    threading.Thread(target=_read_lines, args=(lines, loop), daemon=True).start()
    shower = asyncio.create_task(_show_forever(terminal))
    try:
        while True:
            line = await lines.get()
            if line is None or line.strip() == "/quit":
                break
            if not line.strip():
                continue
            seq = api.last_seq()
            problem, update_id = terminal.act(line)
            if problem:
                print(problem, flush=True)
                continue
            await _until_answered(api, user, seq, update_id)
            terminal.show_new()
    finally:
        shower.cancel()
    terminal.show_new()
    print("Bye! Your chat is saved; `infocoach chat` picks it up again.", flush=True)


def run_chat(settings: Settings, *, user_name: str, database: str | None, fresh: bool) -> int:
    from storage.migrate import upgrade_url

    url = database_url(database)
    if fresh:
        if not url.startswith("sqlite"):
            print("infocoach: --fresh only resets a SQLite database file.", file=sys.stderr)
            return 2
        path = Path(url.split("///", 1)[1])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    Path("data").mkdir(exist_ok=True)
    logging.getLogger().handlers[:] = [logging.FileHandler("data/chat.log")]
    upgrade_url(url)
    try:
        asyncio.run(chat(settings.model_copy(update={"database_url": url}), user_for(user_name)))
    except KeyboardInterrupt:
        print("\nBye!")
    return 0
