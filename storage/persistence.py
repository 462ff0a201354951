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
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

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


def utcnow() -> datetime:
    return datetime.now(UTC)


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
        # What was last written (or read), by a hash: a write is skipped when nothing changed.
        self._data_written: dict[int, int] = {}  # user id -> hash of the scratch data's JSON
        self._steps_written: dict[tuple[str, str], tuple[int, datetime]] = {}  # (name, key) -> (hash, when)

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
        for row in rows:
            self._steps_written[(name, row.key)] = (hash(row.state), row.updated_at or now)
        return {tuple(json.loads(row.key)): json.loads(row.state) for row in rows}

    async def save_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        """The processor's save of one step: skipped when unchanged, unless its time is an hour old (the user
        is still about, so the sweep must not end the flow)."""
        written = self._steps_written.get((name, json.dumps(list(key))))
        if new_state is None:
            if written is None:
                return
        elif written is not None and written[0] == hash(json.dumps(new_state)):
            if self.clock() - written[1] < _TOUCH_EVERY:
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
                self._steps_written.pop((name, encoded_key), None)
            else:
                await _upsert(session, ConversationState, {"name": name, "key": encoded_key},
                              {"state": encoded, "updated_at": self.clock()})  # fmt: skip
                self._steps_written[(name, encoded_key)] = (hash(encoded), self.clock())

        await self._write(write)

    async def sweep(self, name: str) -> list[ConversationKey]:
        """Delete the steps of ``name`` idle for ``idle_after``; returns their keys, to end them in memory."""
        cutoff = self.clock() - self.idle_after
        async with self._factory() as session, session.begin():
            stale = ConversationState.name == name, ConversationState.updated_at < cutoff
            keys = list(await session.scalars(select(ConversationState.key).where(*stale)))
            if keys:
                await session.execute(delete(ConversationState).where(*stale))
        for key in keys:
            self._steps_written.pop((name, key), None)
        return [tuple(json.loads(key)) for key in keys]

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
            self._data_written[user_id] = hash("{}")
            return
        self._data_written[user_id] = hash(row.data)
        user_data.clear()
        user_data.update(json.loads(row.data))

    async def save_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        """The processor's save of one user's scratch data: skipped when unchanged; empty means no row."""
        await self.update_user_data(user_id, data)

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        encoded = json.dumps(data)
        if self._data_written.get(user_id, hash("{}")) == hash(encoded):
            return  # unchanged since it was last written or read (and nothing for someone without a row)

        async def write(session: AsyncSession) -> None:
            if data:
                await _upsert(session, ScratchData, {"kind": _USER, "owner_id": user_id}, {"data": encoded})
            else:
                await session.execute(
                    delete(ScratchData).where(ScratchData.kind == _USER, ScratchData.owner_id == user_id)
                )
            self._data_written[user_id] = hash(encoded)

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
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(model).values(**keys, **values)
    await session.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=values))
