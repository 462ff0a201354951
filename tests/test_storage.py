"""Storage: aware UTC datetimes, the unit of work, and the SQL-backed PTB persistence."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from storage.db import create_engine, create_session_factory
from storage.models import ConversationState, ScratchData
from storage.persistence import SqlPersistence
from storage.uow import UnitOfWork, update_transaction


@pytest.fixture
async def factory(migrated_url: str):
    engine = create_engine(migrated_url)
    yield create_session_factory(engine)
    await engine.dispose()


async def test_datetimes_come_back_aware_in_utc(factory) -> None:
    berlin_noon = datetime(2026, 3, 29, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    async with UnitOfWork(factory) as uow:
        user = await uow.users.get_or_create(1, 1)
        user.onboarded_at = berlin_noon
    async with UnitOfWork(factory) as uow:
        loaded = await uow.users.get(1)
    assert loaded.onboarded_at == berlin_noon
    assert loaded.onboarded_at.tzinfo is not None and loaded.onboarded_at.utcoffset() == timedelta(0)


async def test_naive_datetimes_are_refused(factory) -> None:
    with pytest.raises(Exception, match="naive"):
        async with UnitOfWork(factory) as uow:
            user = await uow.users.get_or_create(2, 2)
            user.onboarded_at = datetime(2026, 1, 1)


async def test_unit_of_work_rolls_back_on_error(factory) -> None:
    with pytest.raises(RuntimeError):
        async with UnitOfWork(factory) as uow:
            (await uow.users.get_or_create(3, 3)).name = "Lost"
            raise RuntimeError("boom")
    async with UnitOfWork(factory) as uow:
        assert await uow.users.get(3) is None


def persistence_at(factory, moment: datetime) -> SqlPersistence:
    return SqlPersistence(factory, idle_after=timedelta(days=2), clock=lambda: moment)


async def scratch_of(persistence: SqlPersistence, user_id: int) -> dict:
    data: dict = {}
    await persistence.refresh_user_data(user_id, data)
    return data


async def test_persistence_round_trip(factory) -> None:
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    persistence = persistence_at(factory, now)
    await persistence.update_conversation("onboarding", (7, 7), "roles")
    await persistence.update_conversation("onboarding", (8, 8), "name")
    await persistence.update_conversation("onboarding", (8, 8), None)
    await persistence.update_user_data(7, {"onboarding_mode": "all"})
    fresh = persistence_at(factory, now)
    assert await fresh.get_conversations("onboarding") == {(7, 7): "roles"}
    assert await fresh.get_user_data() == {}, "scratch data is loaded per user, on their first update"
    assert await scratch_of(fresh, 7) == {"onboarding_mode": "all"}
    await fresh.drop_user_data(7)
    assert await scratch_of(persistence_at(factory, now), 7) == {}


async def test_empty_scratch_data_has_no_row(factory) -> None:
    persistence = persistence_at(factory, datetime(2026, 12, 1, 9, tzinfo=UTC))
    await persistence.save_user_data(9, {})
    await persistence.save_user_data(10, {"draft": 1})
    await persistence.save_user_data(10, {})
    async with factory() as session:
        assert (await session.scalars(select(ScratchData))).all() == []


async def test_idle_conversation_steps_are_not_loaded_and_are_swept(factory) -> None:
    monday = datetime(2026, 12, 1, 9, tzinfo=UTC)
    await persistence_at(factory, monday).update_conversation("find", (7, 7), "companies")
    await persistence_at(factory, monday + timedelta(days=1)).update_conversation("find", (8, 8), "roles")
    thursday = persistence_at(factory, monday + timedelta(days=2, hours=1))
    assert await thursday.get_conversations("find") == {(8, 8): "roles"}, "idle for two days: over"
    later = persistence_at(factory, monday + timedelta(days=3, hours=1))
    assert await later.sweep("find") == [(8, 8)]
    assert await later.get_conversations("find") == {}


async def test_an_unchanged_step_is_not_written_again_until_an_hour_later(factory) -> None:
    moment = [datetime(2026, 12, 1, 9, tzinfo=UTC)]
    persistence = SqlPersistence(factory, idle_after=timedelta(days=2), clock=lambda: moment[0])
    await persistence.save_conversation("find", (7, 7), "companies")
    writes_before = await stamp_of(factory)
    moment[0] += timedelta(minutes=30)
    await persistence.save_conversation("find", (7, 7), "companies")
    assert await stamp_of(factory) == writes_before
    moment[0] += timedelta(minutes=31)
    await persistence.save_conversation("find", (7, 7), "companies")
    assert await stamp_of(factory) == moment[0], "still in use: its time is refreshed, so it is not swept"


async def stamp_of(factory) -> datetime | None:
    async with factory() as session:
        return await session.scalar(select(ConversationState.updated_at))


async def test_a_task_started_during_an_update_gets_its_own_transaction(migrated_url: str) -> None:
    """A job that inherits an update's context (APScheduler starts some that way) must not share its session."""
    engine = create_engine(migrated_url)
    factory = create_session_factory(engine)
    sessions = {}

    async def job() -> None:
        async with UnitOfWork(factory) as uow:
            sessions["job"] = uow.session
            await uow.users.get_or_create(2002, 2002)

    async with update_transaction(factory) as scope:
        async with UnitOfWork(factory) as uow:
            sessions["handler"] = uow.session
            await uow.users.get_or_create(2001, 2001)
        started = asyncio.create_task(job())  # the task copies this context, scope and all
        await asyncio.sleep(0)
    await started  # on SQLite it waits for the update's commit to write: its own transaction
    await engine.dispose()
    assert sessions["handler"] is scope.session
    assert sessions["job"] is not scope.session
