"""A python-telegram-bot persistence kept in the application's own database.

It holds only conversation states and small per-user scratch data; the user's answers live in
the real tables. The update processor saves the sender's state at the end of every update, inside that
update's transaction (see storage.uow and bot.processor), and only what changed: the answer and the step
it leads to are committed together, so a restart, even an unclean one, resumes each conversation at the
step the user was on.

State scales with the users who are active, not with all users: scratch data is loaded the first time
its user sends something after a start (PTB asks through ``refresh_user_data``), empty scratch data has
no row, and only conversation steps written within ``idle_after`` are loaded; older ones are deleted,
here at startup and by ``sweep`` while running (a flow left idle that long is over).

What it remembers per user, to skip unchanged writes, is one dictionary entry per kind: scratch data by
user id (a hash of its JSON), and each open step by user id (its JSON and the minute it was written). The
values are shared objects: users on the same step since the same minute, or with the same scratch data, hold
one tuple or one number between them, so a user costs their two entries (about 60 bytes) and little else.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import ConversationDict, ConversationKey

from storage.models import ConversationState, ScratchData
from storage.uow import current_scope

_USER = "user"
_TOUCH_EVERY = timedelta(hours=1)
_TOUCH_MINUTES = int(_TOUCH_EVERY.total_seconds()) // 60
_NO_DATA = hash("{}")  # the fingerprint of empty scratch data (no row), the same for everyone

_T = TypeVar("_T")
StepKey = int | tuple[Any, ...]  # a conversation key; a private chat's (chat id, user id), both equal, as the id
Stamp = tuple[str, int]  # a step as written: its JSON, and the minute it was written (see _minute)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _minute(moment: datetime) -> int:
    """Whole minutes since the Unix epoch: a step's write time, as precise as the hourly touch needs."""
    return int(moment.timestamp()) // 60


def _step_key(key: tuple[Any, ...]) -> StepKey:
    """A conversation key as remembered: a private chat's (chat id, user id) is the user id alone."""
    return key[0] if len(key) == 2 and key[0] == key[1] else tuple(key)


class _Shared:
    """One object for equal values that many users hold at once (a step and its minute, a fingerprint), so
    each holder costs a reference, not a copy. At most ``size`` values: when full it starts afresh (what it
    handed out stays valid, it is only no longer shared with newcomers)."""

    def __init__(self, size: int = 1024) -> None:
        self._size = size
        self._table: dict[Any, Any] = {}

    def __call__(self, value: _T) -> _T:
        found = self._table.get(value)
        if found is None:
            if len(self._table) >= self._size:
                self._table.clear()
            self._table[value] = found = value
        return found


class SqlPersistence(BasePersistence[dict, dict, dict]):
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        idle_after: timedelta,
        clock: Callable[[], datetime] = utcnow,
    ):
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=False, user_data=True, callback_data=False),
            # PTB's periodic flush would write every user's state outside their updates' transactions;
            # the processor saves each update's own state instead, so the flush only runs at shutdown.
            update_interval=365 * 24 * 3600,
        )
        self._factory = session_factory
        self.idle_after = idle_after
        self.clock = clock
        # What was last written (or read): a write is skipped when nothing changed. A user is here once they
        # have sent something since the start (their scratch data is loaded then); a step, while it has a row.
        self._data_written: dict[int, int] = {}  # user id -> hash of the scratch data's JSON (_NO_DATA: no row)
        self._steps_written: dict[str, dict[StepKey, Stamp]] = {}  # name -> key -> (state's JSON, minute)
        self._shared = _Shared()

    def remembered(self) -> tuple[int, int]:
        """How many users' scratch data and how many open steps are remembered (to skip unchanged writes)."""
        return len(self._data_written), sum(len(steps) for steps in self._steps_written.values())

    def _steps_of(self, name: str) -> dict[StepKey, Stamp]:
        steps = self._steps_written.get(name)
        if steps is None:
            steps = self._steps_written[name] = {}
        return steps

    def _stamp(self, encoded: str, moment: datetime) -> Stamp:
        return self._shared((encoded, _minute(moment)))

    # Conversations -------------------------------------------------------------------------

    async def get_conversations(self, name: str) -> ConversationDict:
        """Steps written within ``idle_after``; older ones are deleted (their flow timed out)."""
        now = self.clock()
        async with self._factory() as session, session.begin():
            of_name = ConversationState.name == name
            await session.execute(
                update(ConversationState).where(of_name, ConversationState.updated_at.is_(None)).values(updated_at=now)
            )
            await session.execute(
                delete(ConversationState).where(of_name, ConversationState.updated_at < now - self.idle_after)
            )
            rows = list(await session.scalars(select(ConversationState).where(of_name)))
        steps = self._steps_of(name)
        for row in rows:
            steps[_step_key(tuple(json.loads(row.key)))] = self._stamp(row.state, row.updated_at or now)
        return {tuple(json.loads(row.key)): json.loads(row.state) for row in rows}

    async def save_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        """The processor's save of one step: skipped when unchanged, unless its time is an hour old (the user
        is still about, so the sweep must not end the flow)."""
        steps = self._steps_written.get(name)
        written = steps.get(_step_key(key)) if steps is not None else None
        if new_state is None:
            if written is None:
                return  # no row to delete
        elif written is not None and written[0] == json.dumps(new_state):
            # Rewritten only once more than a whole hour has passed (minutes are whole: up to 61 minutes).
            if _minute(self.clock()) - written[1] <= _TOUCH_MINUTES:
                return
        await self.update_conversation(name, key, new_state)

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        encoded_key = json.dumps(list(key))
        encoded = None if new_state is None else json.dumps(new_state)

        async def write(session: AsyncSession) -> None:
            if encoded is None:
                await session.execute(
                    delete(ConversationState).where(
                        ConversationState.name == name, ConversationState.key == encoded_key
                    )
                )
                self._steps_of(name).pop(_step_key(key), None)
            else:
                now = self.clock()
                await _upsert(session, ConversationState, {"name": name, "key": encoded_key},
                              {"state": encoded, "updated_at": now})  # fmt: skip
                self._steps_of(name)[_step_key(key)] = self._stamp(encoded, now)

        await self._write(write)

    async def sweep(self, name: str) -> list[ConversationKey]:
        """Delete the steps of ``name`` idle for ``idle_after``; returns their keys, to end them in memory."""
        cutoff = self.clock() - self.idle_after
        async with self._factory() as session, session.begin():
            stale = ConversationState.name == name, ConversationState.updated_at < cutoff
            keys = list(await session.scalars(select(ConversationState.key).where(*stale)))
            if keys:
                await session.execute(delete(ConversationState).where(*stale))
        ended = [tuple(json.loads(key)) for key in keys]
        steps = self._steps_of(name)
        for key in ended:
            steps.pop(_step_key(key), None)
        return ended

    async def _write(self, write) -> None:
        """Inside an update: queue the write for that update's commit (PTB runs these concurrently, and
        a session serves one at a time). Otherwise (shutdown): its own transaction."""
        scope = current_scope()
        if scope is not None:
            scope.deferred.append(write)
            return
        async with self._factory() as session, session.begin():
            await write(session)

    # User data -------------------------------------------------------------------------------

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        """Nothing up front: each user's scratch data is loaded with their first update (below)."""
        return defaultdict(dict)

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        """PTB calls this before each update's handlers; the first time for a user, load their row."""
        if user_id in self._data_written:
            return
        async with self._factory() as session:
            row = await session.get(ScratchData, (_USER, user_id))
        if row is None:
            self._data_written[user_id] = _NO_DATA
            return
        self._data_written[user_id] = self._shared(hash(row.data))
        user_data.clear()
        user_data.update(json.loads(row.data))

    async def save_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        """The processor's save of one user's scratch data: skipped when unchanged; empty means no row."""
        await self.update_user_data(user_id, data)

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        encoded = json.dumps(data)
        fingerprint = hash(encoded)
        if self._data_written.get(user_id, _NO_DATA) == fingerprint:
            return  # unchanged since it was last written or read (and nothing for someone without a row)

        async def write(session: AsyncSession) -> None:
            if data:
                await _upsert(session, ScratchData, {"kind": _USER, "owner_id": user_id}, {"data": encoded})
            else:
                await session.execute(
                    delete(ScratchData).where(ScratchData.kind == _USER, ScratchData.owner_id == user_id)
                )
            self._data_written[user_id] = self._shared(fingerprint) if data else _NO_DATA

        await self._write(write)

    async def drop_user_data(self, user_id: int) -> None:
        self._data_written.pop(user_id, None)

        async def write(session: AsyncSession) -> None:
            await session.execute(delete(ScratchData).where(ScratchData.kind == _USER, ScratchData.owner_id == user_id))

        await self._write(write)

    # Not stored: chat data, bot data and callback data ------------------------------------------

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        """Chat data is not stored (store_data.chat_data is False)."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Chat data is not stored."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Chat data is not stored."""

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        """Bot data is not stored."""

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        """Bot data is not stored."""

    async def get_callback_data(self) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None:
        """Callback data is not stored: buttons carry short ids, not cached objects."""

    async def flush(self) -> None:
        """Every update is written as it happens; nothing is buffered here."""


async def _upsert(session: AsyncSession, model: type, keys: dict[str, Any], values: dict[str, Any]) -> None:
    """One INSERT … ON CONFLICT DO UPDATE, where ``session.merge`` would SELECT first, then write."""
    dialect = session.get_bind().dialect.name
    await session.execute(_upsert_statement(dialect, model, tuple(keys), tuple(values)), {**keys, **values})


@functools.cache
def _upsert_statement(dialect: str, model: type, keys: tuple[str, ...], columns: tuple[str, ...]) -> Any:
    """Built once per shape, values bound at execution: an ON CONFLICT statement built anew for every write is
    compiled anew too (SQLAlchemy's statement cache doesn't find it), a cost paid on every step."""
    statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(model)
    return statement.on_conflict_do_update(
        index_elements=list(keys), set_={column: statement.excluded[column] for column in columns}
    )
