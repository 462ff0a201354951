"""Engine and session factories built from a database URL."""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.util import await_only


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
    # Up to 40 connections: the bot runs 32 updates at once (bot/processor.py), each holding one for its
    # transaction, and the dispatcher needs a few more; SQLAlchemy's default of 15 made updates queue for one.
    in_memory = is_sqlite and make_url(url).database in (None, "", ":memory:")  # one shared connection, no pool
    pool = {} if in_memory else {"pool_size": 10, "max_overflow": 30}
    engine = create_async_engine(url, pool_pre_ping=not is_sqlite, hide_parameters=True, **pool)
    if is_sqlite:
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        if not in_memory:
            WriterQueue().install(engine)
    return engine


_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.IGNORECASE)
_HOLDS = "infocoach_holds_write_turn"
WRITER_WAIT = 15.0  # seconds; longer than SQLite's own busy timeout (10 s), so this never fails first


class WriterQueue:
    """SQLite's writers take turns, in the order they asked, in asyncio rather than in SQLite.

    SQLite allows one writing transaction at a time. Its busy handler makes the others sleep and try again,
    up to 100 ms a try: unfair (the oldest can lose every race, and with 32 updates at once some waited
    for seconds) and slow to hand over. Here a connection's first write in a transaction waits for its turn
    on an ``asyncio.Lock`` (FIFO), and its commit or rollback passes the turn on at once.

    A transaction that waits longer than ``WRITER_WAIT`` goes ahead anyway and meets SQLite's busy timeout,
    as without this queue: a stuck turn is a slowdown with an error, never a hang.
    """

    def __init__(self) -> None:
        self._turn = asyncio.Lock()

    def install(self, engine: AsyncEngine) -> None:
        sync = engine.sync_engine
        event.listen(sync, "before_cursor_execute", self._before_execute)
        event.listen(sync, "commit", self._pass_on)
        event.listen(sync, "rollback", self._pass_on)
        # A connection that goes back to the pool, or breaks, gives its turn up too (a safety net).
        event.listen(sync.pool, "checkin", lambda _dbapi, record: self._release(record.info if record else {}))
        event.listen(sync.pool, "invalidate", lambda _dbapi, record, _error: self._release(record.info))

    def _before_execute(self, conn, _cursor, statement: str, *_args) -> None:
        if conn.info.get(_HOLDS) or not _WRITES.match(statement):
            return
        try:
            # Runs inside SQLAlchemy's greenlet, so the async lock can be awaited from this sync hook.
            await_only(asyncio.wait_for(self._turn.acquire(), WRITER_WAIT))
        except TimeoutError:
            logging.getLogger(__name__).warning("Waited %.0f s for SQLite's writer turn; going ahead", WRITER_WAIT)
            return
        conn.info[_HOLDS] = True

    def _pass_on(self, conn) -> None:
        self._release(conn.info)

    def _release(self, info: dict) -> None:
        if info.pop(_HOLDS, False):
            self._turn.release()


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: objects stay readable after commit, with no lazy load under asyncio.
    return async_sessionmaker(engine, expire_on_commit=False)
