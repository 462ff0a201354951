"""Storage: aware UTC datetimes, the unit of work, and the SQL-backed PTB persistence."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from storage.db import create_engine, create_session_factory
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


async def test_persistence_round_trip(factory) -> None:
    persistence = SqlPersistence(factory)
    await persistence.update_conversation("onboarding", (7, 7), "roles")
    await persistence.update_conversation("onboarding", (8, 8), "name")
    await persistence.update_conversation("onboarding", (8, 8), None)
    await persistence.update_user_data(7, {"onboarding_mode": "all"})
    fresh = SqlPersistence(factory)
    assert await fresh.get_conversations("onboarding") == {(7, 7): "roles"}
    assert (await fresh.get_user_data())[7] == {"onboarding_mode": "all"}
    await fresh.drop_user_data(7)
    assert 7 not in await SqlPersistence(factory).get_user_data()


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
