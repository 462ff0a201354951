"""Benchmark: what one user flooding the bot does to everyone else's reply time.

Run:  .venv/bin/python -m bench.flood [--users 20] [--flood 500] [--seconds 10] [--rounds 3] [--database-url URL]

InfoCoach as shipped (rate limiter, durable inbox, flood throttle) long-polls the local Bot API on 127.0.0.1
in this process, on a temporary SQLite file (or the empty PostgreSQL database at ``--database-url``, which is
migrated). ``--users`` onboarded users each send /today at a human pace (one every 1-2 s, staggered, the
same seeded schedule in every scenario of a round) for ``--seconds``. A message's latency is the time from
``api.send_from`` to the first message the bot sends in that chat after it (``time.monotonic``, the fake's
clock for its events). Per round:

- bare echo bot, calm: a bare python-telegram-bot echo bot, the same users and pace (the reference);
- InfoCoach, calm: the normal users only;
- InfoCoach, flood: one more user sends ``--flood`` /today at once at the start; for them, how many got a
  reply, how many flood notices they were sent, how many updates the throttle dropped, and how long their
  updates took to get through the bot (stored by the inbox, then handled or turned away);
- InfoCoach, flood + 429: the same, and halfway through the fake refuses one sendMessage with 429
  retry_after=2: how many sendMessage requests reach the fake in the 2 s after that answer (the limiter
  should pause every send, so 0), and when the next one comes.

Reported for the normal users: p50, p95, p99 and max latency (nearest rank), and any never answered.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import random
import tempfile
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy.engine import make_url
from telegram import Update
from telegram.ext import Application

from bench.updates import TOKEN, echo_bot
from bot.app import build_application
from bot.local_api import LocalBotApi, TelegramUser
from bot.local_api.server import Event, TelegramError
from bot.processor import TransactionalUpdateProcessor
from bot.settings import Settings
from bot.throttle import sender_of
from coaching.limits import FLOOD_NOTICE, Verdict
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_url
from storage.models import User

PAUSE = 2  # retry_after of the injected 429, seconds
DRAIN_SECONDS = 60  # how long to wait for replies once the normal users stop


@dataclass(frozen=True)
class Sent:
    """One /today from a normal user."""

    chat_id: int
    seq: int  # the fake's last event before it: the reply is a later "send" in the same chat
    at: float  # time.monotonic(), the clock of the fake's Event.at


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)  # seconds, normal users' answered messages
    unanswered: int = 0
    replies: int = 0  # the flooder's, flood notices aside
    notices: int = 0
    dropped: Counter[int] = field(default_factory=Counter)  # updates the throttle turned away, per user
    backlog: float = 0.0  # seconds from queueing the flood to its last update handled (or turned away)
    sends_in_pause: int | None = None  # sendMessage requests reaching the fake during the 429's pause
    next_send: float | None = None  # seconds from the 429 to the next sendMessage


class Stamps:
    """When each sendMessage reached the fake, and when a 429 was answered (as tests/test_limiter.py does)."""

    def __init__(self, api: LocalBotApi) -> None:
        self.sends: list[float] = []
        self.refusals: list[float] = []
        handle = api.handle

        def stamped(token: str, method: str, raw: dict[str, Any], files: dict[str, Any]) -> Any:
            if method.lower() == "sendmessage":
                self.sends.append(time.monotonic())
            try:
                return handle(token, method, raw, files)
            except TelegramError as error:
                if error.code == 429:
                    self.refusals.append(time.monotonic())
                raise

        api.handle = stamped  # type: ignore[method-assign]


def schedule(users: list[TelegramUser], seconds: float, rng: random.Random) -> list[tuple[float, TelegramUser]]:
    """Each user's /today times: a staggered start, then one every 1-2 s."""
    plan = []
    for user in users:
        at = rng.uniform(0, 2)
        while at < seconds:
            plan.append((at, user))
            at += rng.uniform(1, 2)
    return sorted(plan, key=lambda item: item[0])


async def play(api: LocalBotApi, plan: list[tuple[float, TelegramUser]]) -> list[Sent]:
    """Send on schedule, whatever the bot does (open loop: a slow bot cannot slow the senders down)."""
    start, sent = time.monotonic(), []
    for offset, user in plan:
        await asyncio.sleep(max(start + offset - time.monotonic(), 0))
        seq, at = api.last_seq(), time.monotonic()
        api.send_from(user, "/today")
        sent.append(Sent(user.id, seq, at))
    return sent


def latencies(api: LocalBotApi, sent: list[Sent]) -> list[float | None]:
    """Each message's reply time: the first send in its chat after it that an earlier message didn't take."""
    replies: defaultdict[int, deque[Event]] = defaultdict(deque)
    for event in api.events_since(min((s.seq for s in sent), default=0)):
        if event.kind == "send":
            replies[event.chat_id].append(event)
    found: list[float | None] = []
    for message in sent:  # in the order sent, so in order within each chat too
        queue = replies[message.chat_id]
        while queue and queue[0].seq <= message.seq:
            queue.popleft()
        found.append(queue.popleft().at - message.at if queue else None)
    return found


async def wait_for(done: Callable[[], bool], timeout: float = DRAIN_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        await asyncio.sleep(0.02)


async def calm_and_flood(
    app: Application,
    api: LocalBotApi,
    plan: list[tuple[float, TelegramUser]],
    flooder: TelegramUser | None = None,
    flood: int = 0,
    stamps: Stamps | None = None,
    fail_at: float | None = None,
) -> Outcome:
    """Run one scenario against ``app`` (InfoCoach or the echo bot), started and stopped here."""
    outcome = Outcome()
    handled: dict[int, float] = {}  # update id -> when its processing ended
    processor = app.update_processor
    if isinstance(processor, TransactionalUpdateProcessor):
        processor.done_callbacks.append(lambda update_id: handled.setdefault(update_id, time.monotonic()))
        if processor.throttle is not None:
            throttle, verdict = processor.throttle, processor.throttle.verdict

            def counted(update: object) -> Verdict:
                said = verdict(update)
                if said is not Verdict.ADMIT:
                    outcome.dropped[sender_of(update) or 0] += 1
                return said

            throttle.verdict = counted  # type: ignore[method-assign]
    await app.initialize()
    if app.post_init:
        await app.post_init(app)  # as run_polling does: sets the commands, starts the inbox
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(timeout=1, allowed_updates=Update.ALL_TYPES)
    first_seq, started = api.last_seq(), time.monotonic()
    try:
        flood_ids = [api.send_from(flooder, "/today") for _ in range(flood)] if flooder else []
        if fail_at is not None:
            asyncio.get_running_loop().call_later(fail_at, _refuse_one_send, api)
        sent = await play(api, plan)
        await wait_for(lambda: None not in latencies(api, sent) and handled.keys() >= set(flood_ids))
    finally:
        await app.updater.stop()
        await app.stop()  # also waits for the throttle's notices, sent in the background
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
    found = latencies(api, sent)
    outcome.latencies = [seconds for seconds in found if seconds is not None]
    outcome.unanswered = found.count(None)
    if flooder:
        texts = [e.message.text for e in api.events_since(first_seq, flooder.id) if e.kind == "send" and e.message]
        outcome.notices = texts.count(FLOOD_NOTICE)
        outcome.replies = len(texts) - outcome.notices
        outcome.backlog = max((handled.get(i, math.inf) for i in flood_ids), default=started) - started
    if stamps and fail_at is not None:
        refused = next((t for t in stamps.refusals if t > started), None)
        if refused is not None:
            later = [t - refused for t in stamps.sends if t > refused]
            outcome.sends_in_pause = sum(1 for gap in later if gap < PAUSE)
            outcome.next_send = min(later, default=None)
    return outcome


def _refuse_one_send(api: LocalBotApi) -> None:
    api.fail_next(
        "sendMessage", error_code=429, description=f"Too Many Requests: retry after {PAUSE}", retry_after=PAUSE
    )


async def seed(url: str, ids: range) -> None:
    """Onboarded users, as bench/updates.py's seed_users makes them; through the ORM, so PostgreSQL works too."""
    engine = create_engine(url)
    now = datetime.now(UTC)
    async with create_session_factory(engine)() as session, session.begin():
        session.add_all(
            User(
                id=i, chat_id=i, is_active=True, created_at=now, updated_at=now, onboarded_at=now,
                timezone="Europe/Berlin", name="Ana", field="UX", quiet_start_minute=1260, quiet_end_minute=480,
                digest_weekday=0, muted_kinds="",
            )
            for i in ids
        )  # fmt: skip
    await engine.dispose()


def percentile(values: list[float], p: float) -> float:
    """Nearest rank."""
    ordered = sorted(values)
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]


def row(label: str, outcome: Outcome) -> str:
    ms = [f"{percentile(outcome.latencies, p) * 1000:7.0f}" for p in (50, 95, 99, 100)]
    missing = f"   ({outcome.unanswered} never answered)" if outcome.unanswered else ""
    return f"  {label:<28}{len(outcome.latencies):>5}" + "".join(ms) + missing


async def main(users: int, flood: int, seconds: float, rounds: int, database_url: str | None, seed_: int) -> None:
    people = [TelegramUser(id=u, first_name=f"U{u}") for u in range(1, users + 1)]
    flooder = TelegramUser(id=users + 1, first_name="Flood")
    with tempfile.TemporaryDirectory() as tmp, LocalBotApi(TOKEN) as api:
        url = database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        await asyncio.to_thread(upgrade_url, url)
        await seed(url, range(1, users + 2))
        settings = Settings(
            telegram_bot_token=SecretStr(TOKEN),
            telegram_api_base_url=api.base_url,
            database_url=url,
            _env_file=None,  # type: ignore[call-arg]  # pydantic-settings' own argument
        )
        stamps = Stamps(api)
        database = make_url(url).get_backend_name()
        for round_ in range(1, rounds + 1):
            plan = schedule(people, seconds, random.Random(seed_ + round_))
            echo = await calm_and_flood(echo_bot(api), api, plan)
            calm = await calm_and_flood(build_application(settings, dispatch=False), api, plan)
            flooded = await calm_and_flood(build_application(settings, dispatch=False), api, plan, flooder, flood)
            refused = await calm_and_flood(
                build_application(settings, dispatch=False), api, plan, flooder, flood, stamps, fail_at=seconds / 2
            )
            print(
                f"round {round_}: {users} users, /today every 1-2 s for {seconds:g} s; "
                f"the flooder sends {flood} at once; {database}"
            )
            print(f"  {'latency of the others, ms':<28}{'n':>5}{'p50':>7}{'p95':>7}{'p99':>7}{'max':>7}")
            print(row("bare echo bot, calm", echo))
            print(row("InfoCoach, calm", calm))
            print(row("InfoCoach, flood", flooded))
            print(row(f"InfoCoach, flood + 429 ({PAUSE} s)", refused))
            others = sum(n for user, n in flooded.dropped.items() if user != flooder.id)
            print(
                f"  flooder: {flooded.replies} replies, {flooded.notices} flood notice(s), "
                f"{flooded.dropped[flooder.id]} dropped of {flood} (all handled {flooded.backlog:.2f} s after "
                f"queueing); others' updates dropped: {others}"
            )
            if refused.sends_in_pause is None or refused.next_send is None:
                print("  429: no sendMessage was refused (the injected 429 was never taken)")
            else:
                print(
                    f"  429: {refused.sends_in_pause} sendMessage requests reached the fake in the {PAUSE} s after it; "
                    f"the next one {refused.next_send:.2f} s after"
                )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20, help="normal users (default 20)")
    parser.add_argument("--flood", type=int, default=500, help="messages the flooder sends at once (default 500)")
    parser.add_argument("--seconds", type=float, default=10, help="how long the normal users send (default 10)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1, help="seeds the normal users' schedule")
    parser.add_argument("--database-url", help="an empty PostgreSQL database to migrate and use (default: SQLite)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # the limiter's expected warning about the 429 would break the table
    asyncio.run(main(args.users, args.flood, args.seconds, args.rounds, args.database_url, args.seed))
