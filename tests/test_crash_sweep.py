"""The crash sweep: `kill -9` the real `infocoach run` at random moments while it works through a backlog of
updates from many users, restart it, and count the answers to every update.

Guarantee measured (docs/reliability.md, "Durable inbox"): no update is lost, and each is handled once (its
data and step commit together with "done"). Its answer is sent before that commit, so an update in flight
at a kill may be answered again: at most one extra answer per update in flight, and updates of different
users are handled side by side (each user's one at a time), so a kill repeats at most one answer per user,
and never more than the updates that run at once (bot/processor.py).
"""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path

from sqlalchemy import select

from bot.local_api import LocalBotApi, TelegramUser
from bot.processor import MAX_CONCURRENT
from storage.db import create_engine, create_session_factory
from storage.models import Inbox, User
from storage.uow import UnitOfWork
from tests.test_cli_process import start_bot, stop, wait_until_polling

USERS = [TelegramUser(id=7000 + i, first_name=f"U{i}") for i in range(40)]
# Each user's updates, and the text that answers each one (the next question).
STEPS = [("/start", "What should I call you?"), ("{name}", "Which field"), ("Marine biology", "Which roles")]
KILLS = 4


def answers(api: LocalBotApi, user: TelegramUser, marker: str) -> int:
    return sum(marker in m.text for m in api.chat_messages(user.id))


def all_answered(api: LocalBotApi) -> bool:
    return all(answers(api, u, STEPS[-1][1]) >= 1 for u in USERS)


async def test_kill_9_with_a_backlog_loses_nothing_and_answers_each_update_at_most_once_more_per_kill(
    api: LocalBotApi, migrated_url: str, tmp_path: Path
) -> None:
    rng = random.Random(14)
    for step, _ in STEPS:  # the backlog: every user's messages are waiting before the bot starts
        for user in USERS:
            api.send_from(user, step.format(name=f"Name{user.id}"))
    polls = 0
    for kill in range(KILLS):
        bot = start_bot(api, migrated_url, tmp_path, f"run{kill}.log")
        try:
            wait_until_polling(api, bot, after=polls)
            time.sleep(rng.uniform(0.05, 0.35))
        finally:
            bot.send_signal(signal.SIGKILL)
            bot.wait(timeout=30)
        polls = sum(1 for method, _ in api.requests if method == "getUpdates")

    bot = start_bot(api, migrated_url, tmp_path, "final.log")
    try:
        wait_until_polling(api, bot, after=polls)
        deadline = time.monotonic() + 30
        while not all_answered(api) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)  # anything more would show up now
    finally:
        stop(bot, signal.SIGTERM)

    counts = {(u.id, marker): answers(api, u, marker) for u in USERS for _, marker in STEPS}
    missing = [key for key, n in counts.items() if n == 0]
    assert missing == [], f"updates never answered: {missing}"
    extra = {key: n - 1 for key, n in counts.items() if n > 1}
    print(f"answers repeated after {KILLS} kills: {sum(extra.values())} of {len(counts)}")  # for the docs
    for user in USERS:
        repeats = sum(n for (user_id, _), n in extra.items() if user_id == user.id)
        assert repeats <= KILLS, f"more than one repeat per kill for {user.id}: {extra}"
    assert sum(extra.values()) <= KILLS * MAX_CONCURRENT, f"more repeats than updates in flight: {extra}"

    engine = create_engine(migrated_url)
    try:
        async with UnitOfWork(create_session_factory(engine)) as uow:
            users = {u.id: u for u in await uow.session.scalars(select(User))}
            statuses = set(await uow.session.scalars(select(Inbox.status)))
    finally:
        await engine.dispose()
    assert {u.id: (users[u.id].name, users[u.id].field) for u in USERS} == {
        u.id: (f"Name{u.id}", "Marine biology") for u in USERS
    }, "each answer stored once, in its place"
    assert statuses == {"done"}
    logs = b"".join(path.read_bytes() for path in tmp_path.glob("*.log"))
    assert b"Marine biology" not in logs and b"Traceback" not in logs
