"""What stays in memory per user, and that keeping less changes nothing a user sees.

The persistence remembers what it last wrote, to skip unchanged writes: one entry per user for scratch data
and one per open step, whose values many users share. The flood gate keeps a few floats per user seen in
the last few seconds. Memory is measured with tracemalloc (bytes, never time); writes are counted as SQL
statements that reach the database.
"""

from __future__ import annotations

import asyncio
import gc
import random
import tracemalloc
from collections import deque
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from bot.local_api import TelegramUser
from coaching.limits import FloodGate, Verdict
from storage.db import create_engine, create_session_factory
from storage.models import ConversationState, ScratchData
from storage.persistence import SqlPersistence
from storage.uow import update_transaction
from tests.conftest import driver_for

MONDAY = datetime(2026, 12, 1, 9, tzinfo=UTC)


@pytest.fixture
async def engine(migrated_url: str):
    engine = create_engine(migrated_url)
    yield engine
    await engine.dispose()


def statements(engine) -> list[str]:
    """Every SQL statement sent from now on, as its first word (INSERT, DELETE, SELECT, ...)."""
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        sent.append(statement.split()[0].upper())

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    return sent


def writes(sent: list[str]) -> list[str]:
    return [word for word in sent if word in {"INSERT", "UPDATE", "DELETE"}]


async def rows(factory, model) -> int:
    async with factory() as session:
        return await session.scalar(select(func.count()).select_from(model))


# The persistence's bookkeeping --------------------------------------------------------------------------


async def test_bookkeeping_is_one_entry_per_user_and_kind_and_costs_little(engine) -> None:
    factory = create_session_factory(engine)
    persistence = SqlPersistence(factory, idle_after=timedelta(days=2), clock=lambda: MONDAY)
    for user in range(1, 21):  # warm SQLAlchemy's statement caches, which are bounded and not per user
        await persistence.save_user_data(user, {"onboarding_mode": "next"})
        await persistence.save_conversation("onboarding", (user, user), "field")
    users = range(1000, 1400)
    ids = [int(str(user)) for user in users]  # the ids exist already: PTB's update holds them too
    tracemalloc.start(30)
    try:
        before = tracemalloc.take_snapshot()
        async with update_transaction(factory):  # the writes are queued and committed at once, as in an update
            for user in ids:
                await persistence.save_user_data(user, {"onboarding_mode": "next"})
                await persistence.save_conversation("onboarding", (user, user), "field")
        gc.collect()  # the update's queued writes, once it is over
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    kept = [tracemalloc.Filter(True, "*/storage/persistence.py", all_frames=True)]
    growth = sum(
        stat.size_diff for stat in after.filter_traces(kept).compare_to(before.filter_traces(kept), "filename")
    )
    assert persistence.remembered() == (len(users) + 20, len(users) + 20)
    # Before: a tuple key with the key's JSON, a (hash, datetime) tuple and a hash: about 320 bytes a user.
    assert growth / len(users) < 150, f"{growth / len(users):.0f} bytes a user"


async def test_unchanged_scratch_data_and_steps_are_not_written_again(engine) -> None:
    factory = create_session_factory(engine)
    moment = [MONDAY]
    persistence = SqlPersistence(factory, idle_after=timedelta(days=2), clock=lambda: moment[0])
    sent = statements(engine)
    for user in (7, 8):  # the same data and step for both: shared values must still be told apart by user
        await persistence.save_user_data(user, {"onboarding_mode": "next"})
        await persistence.save_conversation("onboarding", (user, user), "field")
    assert len(writes(sent)) == 4
    sent.clear()
    moment[0] += timedelta(minutes=59)
    for user in (7, 8):
        await persistence.save_user_data(user, {"onboarding_mode": "next"})
        await persistence.save_conversation("onboarding", (user, user), "field")
        await persistence.save_conversation("find", (user, user), None)  # never had a step here: no DELETE
    assert sent == [], "nothing changed and the steps are under an hour old"
    await persistence.save_user_data(7, {"onboarding_mode": "all"})
    await persistence.save_conversation("onboarding", (8, 8), "roles")
    assert len(writes(sent)) == 2, "one write per change, only for whoever changed"
    sent.clear()
    moment[0] += timedelta(minutes=2)  # 61 minutes after user 7's step was written
    await persistence.save_conversation("onboarding", (7, 7), "field")
    await persistence.save_conversation("onboarding", (8, 8), "roles")
    assert len(writes(sent)) == 1, "user 7's step is re-touched after an hour; user 8's was written 2 minutes ago"


async def test_a_touch_is_never_sooner_than_an_hour(engine) -> None:
    """Minutes are whole: a step written late in a minute is not re-touched a minute early."""
    factory = create_session_factory(engine)
    moment = [MONDAY + timedelta(seconds=59)]
    persistence = SqlPersistence(factory, idle_after=timedelta(days=2), clock=lambda: moment[0])
    await persistence.save_conversation("onboarding", (7, 7), "field")
    sent = statements(engine)
    moment[0] = MONDAY + timedelta(minutes=60)  # 59 minutes and a second later, 60 whole minutes apart
    await persistence.save_conversation("onboarding", (7, 7), "field")
    assert writes(sent) == []
    moment[0] = MONDAY + timedelta(minutes=61)
    await persistence.save_conversation("onboarding", (7, 7), "field")
    assert len(writes(sent)) == 1


async def test_private_and_group_keys_of_one_user_stay_apart(engine) -> None:
    factory = create_session_factory(engine)
    persistence = SqlPersistence(factory, idle_after=timedelta(days=2), clock=lambda: MONDAY)
    await persistence.save_conversation("find", (7, 7), "companies")
    await persistence.save_conversation("find", (-500, 7), "roles")
    await persistence.save_conversation("find", (7,), "roles")
    sent = statements(engine)
    await persistence.save_conversation("find", (7, 7), "companies")
    assert sent == []
    await persistence.save_conversation("find", (-500, 7), None)
    await persistence.save_conversation("find", (7,), None)
    assert len(writes(sent)) == 2
    await persistence.save_conversation("find", (-500, 7), None)
    assert len(writes(sent)) == 2, "deleted already: nothing left to delete"
    restarted = SqlPersistence(factory, idle_after=timedelta(days=2), clock=lambda: MONDAY)
    assert await restarted.get_conversations("find") == {(7, 7): "companies"}


async def test_a_swept_step_is_forgotten_and_a_returning_user_is_written_again(engine) -> None:
    factory = create_session_factory(engine)
    moment = [MONDAY]
    persistence = SqlPersistence(factory, idle_after=timedelta(days=2), clock=lambda: moment[0])
    await persistence.save_conversation("find", (7, 7), "companies")
    moment[0] += timedelta(days=2, hours=1)
    assert await persistence.sweep("find") == [(7, 7)]
    assert persistence.remembered() == (0, 0)
    sent = statements(engine)
    await persistence.save_conversation("find", (7, 7), None)
    assert writes(sent) == [], "the row is gone: nothing to delete"
    await persistence.save_conversation("find", (7, 7), "companies")
    assert await rows(factory, ConversationState) == 1, "back on the same step: written again"


async def test_restart_loads_steps_and_scratch_data_lazily_and_skips_unchanged(engine) -> None:
    factory = create_session_factory(engine)
    first = SqlPersistence(factory, idle_after=timedelta(days=2), clock=lambda: MONDAY)
    await first.save_user_data(7, {"onboarding_mode": "all"})
    await first.save_user_data(8, {"onboarding_mode": "all"})
    await first.save_user_data(8, {})  # emptied: no row
    await first.save_conversation("onboarding", (7, 7), "field")
    assert await rows(factory, ScratchData) == 1

    restarted = SqlPersistence(factory, idle_after=timedelta(days=2), clock=lambda: MONDAY + timedelta(minutes=5))
    assert await restarted.get_conversations("onboarding") == {(7, 7): "field"}
    assert restarted.remembered() == (0, 1), "scratch data waits for each user's first update"
    sent = statements(engine)
    data: dict = {}
    await restarted.refresh_user_data(7, data)
    assert data == {"onboarding_mode": "all"}
    empty: dict = {}
    await restarted.refresh_user_data(8, empty)
    assert empty == {}
    await restarted.refresh_user_data(7, data)  # loaded once per user
    assert sent.count("SELECT") == 2
    await restarted.save_user_data(7, data)
    await restarted.save_user_data(8, empty)
    await restarted.save_conversation("onboarding", (7, 7), "field")
    assert writes(sent) == [], "what was loaded counts as written"
    await restarted.drop_user_data(7)
    assert restarted.remembered() == (1, 1)
    assert await rows(factory, ScratchData) == 0


# Through the application ----------------------------------------------------------------------------------


async def test_after_many_users_first_steps_one_entry_each_is_remembered(api, bot_app) -> None:
    people = [TelegramUser(id=7000 + n, first_name=f"Person{n}") for n in range(12)]

    async def first_steps(person: TelegramUser) -> None:
        chat = driver_for(api, bot_app, person)
        await chat.send("/start")
        await chat.press(f"Call me {person.first_name}")
        await chat.send(f"field of {person.first_name}")

    await asyncio.gather(*(first_steps(person) for person in people))
    persistence = bot_app.persistence
    assert isinstance(persistence, SqlPersistence)
    assert persistence.remembered() == (len(people), len(people)), "one scratch entry and one open step each"
    throttle = bot_app.update_processor.throttle
    assert throttle.gate.tracked() <= len(people)


async def test_ptb_keeps_nothing_for_users_with_no_scratch_data_once_their_update_is_done(api, bot_app) -> None:
    people = [TelegramUser(id=7100 + n, first_name=f"Person{n}") for n in range(8)]
    await asyncio.gather(*(driver_for(api, bot_app, person).send("/help") for person in people))
    await driver_for(api, bot_app, people[0]).send("/help")  # one more, once all the others are over
    assert not any(person.id in bot_app.user_data for person in people), "no empty scratch dict per user"
    # PTB marks each update's ids when it is over, for a flush that never runs: only the last update's stay.
    assert bot_app._user_ids_to_be_updated_in_persistence <= {people[0].id}
    assert bot_app._chat_ids_to_be_updated_in_persistence <= {people[0].id}


# The flood gate ---------------------------------------------------------------------------------------------


def reference_check(history: dict[int, tuple[deque, list[float]]], user: int, now: float) -> Verdict:
    """The rule as coaching.limits states it, kept the plain way: every admitted time, and the last drop."""
    admitted, last_drop = history.setdefault(user, (deque(), [float("-inf")]))
    inside = [t for t in admitted if now - t < 5.0]
    if len(inside) < 20:
        admitted.append(now)
        return Verdict.ADMIT
    told = now - last_drop[0] < 5.0
    last_drop[0] = now
    return Verdict.DROP if told else Verdict.TELL


@pytest.mark.parametrize("seed", range(5))
def test_the_compact_gate_judges_as_the_plain_rule(seed: int) -> None:
    rng = random.Random(seed)
    gate, history = FloodGate(), {}
    now = 0.0
    for _ in range(5000):
        now += rng.choice([0.0, 0.01, 0.05, 0.2, 1.0, 6.0])
        user = rng.choice([1, 2, 3])
        assert gate.check(user, now) is reference_check(history, user, now), (seed, now, user)


def gate_bytes_per_user(updates_each: int) -> float:
    gate = FloodGate(max_users=100_000)
    users = [int(str(n)) for n in range(10_000, 12_000)]
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for step in range(updates_each):
            for user in users:
                gate.check(user, 1.0 + step * 0.01)
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    return sum(stat.size_diff for stat in after.compare_to(before, "filename")) / len(users)


def test_the_gate_keeps_little_per_user() -> None:
    # Before: a deque of 20 slots and a float object per time, about 900 bytes after one update.
    assert gate_bytes_per_user(1) < 250
    assert gate_bytes_per_user(25) < 450, "at the limit: 20 times, 8 bytes each"
