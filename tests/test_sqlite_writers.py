"""SQLite's writers take turns in asyncio, in the order they asked (storage/db.py, ``WriterQueue``).

These run on a SQLite file of their own in either suite: the queue is SQLite's alone."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine, create_session_factory


async def _engine(tmp_path: Path) -> AsyncEngine:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'writers.db'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE log (id INTEGER PRIMARY KEY, who TEXT)"))
    return engine


async def _write(engine: AsyncEngine, who: str, committed: list[str], hold: float = 0.0) -> None:
    async with create_session_factory(engine)() as session:
        await session.execute(text("INSERT INTO log (who) VALUES (:who)"), {"who": who})
        await asyncio.sleep(hold)  # a reply's round trip, with the write lock held
        await session.commit()
        committed.append(who)


async def test_writers_waiting_for_the_lock_go_in_the_order_they_asked(tmp_path: Path) -> None:
    engine = await _engine(tmp_path)
    committed: list[str] = []
    try:
        first = asyncio.create_task(_write(engine, "first", committed, hold=0.3))
        await asyncio.sleep(0.05)
        waiting = []
        for name in ("b", "c", "d", "e", "f"):
            waiting.append(asyncio.create_task(_write(engine, name, committed, hold=0.02)))
            await asyncio.sleep(0.02)  # each asks a little after the one before
        await asyncio.gather(first, *waiting)
    finally:
        await engine.dispose()
    assert committed == ["first", "b", "c", "d", "e", "f"], "first come, first served"


async def test_a_rollback_or_a_closed_session_passes_the_turn_on(tmp_path: Path) -> None:
    engine = await _engine(tmp_path)
    factory = create_session_factory(engine)
    try:
        async with factory() as session:
            await session.execute(text("INSERT INTO log (who) VALUES ('rolled back')"))
            await session.rollback()
        async with factory() as session:
            await session.execute(text("INSERT INTO log (who) VALUES ('never committed')"))
        # Both gave their turn up: this write goes at once (else it would wait WRITER_WAIT, then time out).
        committed: list[str] = []
        await asyncio.wait_for(_write(engine, "next", committed), timeout=5)
        async with engine.connect() as connection:
            rows = (await connection.execute(text("SELECT who FROM log"))).scalars().all()
    finally:
        await engine.dispose()
    assert rows == ["next"]


async def test_readers_never_wait_for_a_writer(tmp_path: Path) -> None:
    engine = await _engine(tmp_path)
    factory = create_session_factory(engine)
    try:
        async with factory() as writer:
            await writer.execute(text("INSERT INTO log (who) VALUES ('pending')"))
            async with factory() as reader:  # WAL: a reader sees the last commit, without waiting
                count = await asyncio.wait_for(reader.scalar(text("SELECT count(*) FROM log")), timeout=1)
            await writer.commit()
    finally:
        await engine.dispose()
    assert count == 0
