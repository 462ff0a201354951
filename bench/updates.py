"""Benchmark: interactive updates through InfoCoach vs a bare python-telegram-bot echo bot.

Run:  .venv/bin/python -m bench.updates [--users 200] [--rounds 3]
Both bots long-poll the same local Bot API on 127.0.0.1 in this process, one after the other, with
the same updates queued up front: each user sends /today (InfoCoach: a user row, the /today service,
one transaction with the persisted conversation state) or text (the echo bot replies). The figure is
updates handled per second, from the first update fetched to the last reply sent. InfoCoach runs twice:
without PTB's rate limiter (its own cost) and as shipped (paced to Telegram's 30 messages/s).
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.app import build_application
from bot.local_api import LocalBotApi, TelegramUser
from bot.settings import Settings
from storage.migrate import upgrade_url

TOKEN = "123456789:BENCH-token-for-the-local-api-000"


def seed_users(path: Path, users: int) -> None:
    db = sqlite3.connect(path)
    now = datetime.now(UTC).isoformat(sep=" ")
    db.executemany(
        "INSERT INTO users (id, chat_id, is_active, created_at, updated_at, timezone, onboarded_at, name, field, "
        "quiet_start_minute, quiet_end_minute, digest_weekday, muted_kinds) "
        "VALUES (?, ?, 1, ?, ?, 'Europe/Berlin', ?, 'Ana', 'UX', 1260, 480, 0, '')",
        ((u, u, now, now, now) for u in range(1, users + 1)),
    )
    db.commit()
    db.close()


def sent_messages(api: LocalBotApi) -> int:
    return sum(1 for method, _ in list(api.requests) if method.lower() == "sendmessage")


async def serve(app: Application, api: LocalBotApi, users: list[TelegramUser], text: str) -> float:
    """Queue one message per user, start polling, and time until every reply has gone out."""
    before = sent_messages(api)
    async with app:
        await app.start()
        for user in users:
            api.send_from(user, text)
        start = time.perf_counter()
        await app.updater.start_polling(timeout=1, allowed_updates=Update.ALL_TYPES)
        while sent_messages(api) - before < len(users):
            await asyncio.sleep(0.002)
        elapsed = time.perf_counter() - start
        await app.updater.stop()
        await app.stop()
    return len(users) / elapsed


def echo_bot(api: LocalBotApi) -> Application:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_chat.send_message(update.message.text)

    app = Application.builder().token(TOKEN).base_url(api.base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    return app


async def main(users: int, rounds: int) -> None:
    people = [TelegramUser(id=u, first_name=f"U{u}") for u in range(1, users + 1)]
    with tempfile.TemporaryDirectory() as tmp, LocalBotApi(TOKEN) as api:
        path = Path(tmp) / "bench.db"
        url = f"sqlite+aiosqlite:///{path}"
        await asyncio.to_thread(upgrade_url, url)
        seed_users(path, users)
        settings = Settings(
            telegram_bot_token=TOKEN, telegram_api_base_url=api.base_url, database_url=url, _env_file=None
        )
        for round_ in range(1, rounds + 1):
            baseline = await serve(echo_bot(api), api, people, "hello")
            shipped = await serve(build_application(settings, dispatch=False), api, people, "/today")
            bare = await serve(build_application(settings, dispatch=False, rate_limit=False), api, people, "/today")
            print(
                f"round {round_}: bare echo bot {baseline:5.0f}/s · InfoCoach /today {bare:5.0f}/s "
                f"({bare / baseline:.0%} of the echo bot) · as shipped, paced to Telegram's 30 messages/s: "
                f"{shipped:4.0f}/s · {users} users"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.users, args.rounds))
