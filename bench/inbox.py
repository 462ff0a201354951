"""Benchmark: the durable inbox's cost, against the bare echo baseline in the same run.

Run:  .venv/bin/python -m bench.inbox [--users 200] [--rounds 3]
Three bots long-poll the same local Bot API on 127.0.0.1, one after the other, each with one message per
user queued up front (see bench/updates.py): a bare python-telegram-bot echo bot, InfoCoach answering
/today without the inbox, and InfoCoach as shipped, with it (each update stored and committed before the
next getUpdates, then marked done inside the handler's transaction). No rate limiter: the bot's own cost.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from bench.updates import TOKEN, echo_bot, seed_users, serve
from bot.app import build_application
from bot.local_api import LocalBotApi, TelegramUser
from bot.settings import Settings
from storage.migrate import upgrade_url


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
            without = await serve(
                build_application(settings, dispatch=False, rate_limit=False, inbox=False), api, people, "/today"
            )
            with_inbox = await serve(
                build_application(settings, dispatch=False, rate_limit=False), api, people, "/today"
            )
            print(
                f"round {round_}: bare echo bot {baseline:5.0f}/s · InfoCoach /today without the inbox {without:5.0f}/s "
                f"({without / baseline:.0%}) · with the inbox {with_inbox:5.0f}/s ({with_inbox / baseline:.0%}; "
                f"{with_inbox / without - 1:+.0%} against without) · {users} users"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.users, args.rounds))
