"""Engine and session factories built from a database URL."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def _ensure_sqlite_folder(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the dispatcher read while a handler writes; foreign keys are off by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    # Safe with WAL: a crash of the process loses nothing; only a power cut can lose the last commits.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class HideRows(logging.Filter):
    """At DEBUG, SQLAlchemy's engine logs every row it fetches, and rows hold what users typed: the
    record stays (the statement's trace is useful), the row's values don't."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == "Row %r":
            record.args = ("(values hidden)",)
        return True


_ENGINE_LOGGER = logging.getLogger("sqlalchemy.engine.Engine")
if not any(isinstance(f, HideRows) for f in _ENGINE_LOGGER.filters):
    _ENGINE_LOGGER.addFilter(HideRows())


def create_engine(url: str) -> AsyncEngine:
    """An async engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
    is_sqlite = make_url(url).get_backend_name() == "sqlite"
    if is_sqlite:
        _ensure_sqlite_folder(url)
    # hide_parameters: SQL parameters hold what users typed; errors and logs show the statement only.
    engine = create_async_engine(url, pool_pre_ping=not is_sqlite, hide_parameters=True)
    if is_sqlite:
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: objects stay readable after commit, with no lazy load under asyncio.
    return async_sessionmaker(engine, expire_on_commit=False)
