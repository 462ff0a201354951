"""Benchmark: nudge dispatch rate vs a bare send_message loop, and startup time vs pending nudges.

Run:  .venv/bin/python -m bench.nudges [--nudges 2000] [--pending 1000000]
Everything runs against the local Bot API on 127.0.0.1 and a temporary SQLite file. The baseline
(a bare loop of bot.send_message) is measured in the same run, against the same server.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from telegram import Bot

from bot.app import build_application
from bot.dispatcher import Dispatcher
from bot.local_api import LocalBotApi, TelegramUser
from bot.settings import Settings
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_url

TOKEN = "123456789:BENCH-token-for-the-local-api-000"


def seed(path: Path, users: int, nudges: int, due: datetime) -> None:
    """Insert users and pending nudges with plain sqlite3 (fast bulk load)."""
    db = sqlite3.connect(path)
    now = datetime.now(UTC).isoformat(sep=" ")
    db.executemany(
        "INSERT INTO users (id, chat_id, is_active, created_at, updated_at, timezone, onboarded_at, "
        "quiet_start_minute, quiet_end_minute, digest_weekday, muted_kinds) "
        "VALUES (?, ?, 1, ?, ?, 'UTC', ?, 0, 0, 0, '')",
        ((u, u, now, now, now) for u in range(1, users + 1)),
    )
    db.executemany(
        "INSERT INTO nudges (user_id, kind, subject, due_at, status, attempts, dedup_key, created_at) "
        "VALUES (?, 'first_list', '', ?, 'pending', 0, ?, ?)",
        ((1 + i % users, due.isoformat(sep=" "), f"b{i}", now) for i in range(nudges)),
    )
    db.commit()
    db.close()


async def dispatch_rate(api: LocalBotApi, url: str, count: int, sends_at_once: int) -> tuple[float, float]:
    users = [TelegramUser(id=u, first_name=f"U{u}") for u in range(1, count + 1)]
    for user in users:
        api.chats[user.id] = user
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        start = time.perf_counter()
        for user in users:
            await bot.send_message(user.id, "baseline")
        baseline = count / (time.perf_counter() - start)

        engine = create_engine(url)
        dispatcher = Dispatcher(
            create_session_factory(engine), batch=500, per_chat_interval=0, sends_at_once=sends_at_once
        )
        start = time.perf_counter()
        sent = 0
        while sent < count:
            sent += await dispatcher.run_once(bot)
        rate = count / (time.perf_counter() - start)
        await engine.dispose()
    return baseline, rate


async def startup_seconds(api: LocalBotApi, url: str) -> float:
    start = time.perf_counter()
    app = build_application(
        Settings(telegram_bot_token=TOKEN, telegram_api_base_url=api.base_url, database_url=url, _env_file=None)
    )
    async with app:
        await app.start()
        elapsed = time.perf_counter() - start
        await app.stop()
    return elapsed


async def main(nudges: int, pending: int, sends_at_once: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, LocalBotApi(TOKEN) as api:
        path = Path(tmp) / "bench.db"
        url = f"sqlite+aiosqlite:///{path}"
        await asyncio.to_thread(upgrade_url, url)
        seed(path, nudges, nudges, datetime.now(UTC) - timedelta(minutes=1))
        baseline, rate = await dispatch_rate(api, url, nudges, sends_at_once)
        print(f"bare send_message loop:  {baseline:8.0f} messages/s")
        print(
            f"nudge dispatcher:        {rate:8.0f} nudges/s ({rate / baseline:.0%} of the bare loop), "
            f"{nudges} nudges, {sends_at_once} at once, no rate limit"
        )

        empty = Path(tmp) / "empty.db"
        await asyncio.to_thread(upgrade_url, f"sqlite+aiosqlite:///{empty}")
        full = Path(tmp) / "full.db"
        await asyncio.to_thread(upgrade_url, f"sqlite+aiosqlite:///{full}")
        seed(full, 1000, pending, datetime.now(UTC) + timedelta(days=30))
        cold = await startup_seconds(api, f"sqlite+aiosqlite:///{empty}")
        loaded = await startup_seconds(api, f"sqlite+aiosqlite:///{full}")
        print(f"startup with 0 pending nudges:         {cold * 1000:6.0f} ms")
        print(f"startup with {pending:,} pending nudges: {loaded * 1000:6.0f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nudges", type=int, default=2000)
    parser.add_argument("--pending", type=int, default=1_000_000)
    parser.add_argument("--sends-at-once", type=int, default=4, help="the dispatcher's sends in flight")
    args = parser.parse_args()
    asyncio.run(main(args.nudges, args.pending, args.sends_at_once))
