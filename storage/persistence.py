"""A python-telegram-bot persistence kept in the application's own database.

It holds only conversation states and small per-user scratch data; the user's answers live in
the real tables. The application flushes it at the end of every update, inside that update's
transaction (see storage.uow and bot.processor): the answer and the step it leads to are committed
together, so a restart, even an unclean one, resumes each conversation at the step the user was on.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import ConversationDict, ConversationKey

from storage.models import ConversationState, ScratchData
from storage.uow import current_scope

_USER = "user"


class SqlPersistence(BasePersistence[dict, dict, dict]):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], update_interval: float = 60):
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=False, user_data=True, callback_data=False),
            update_interval=update_interval,
        )
        self._factory = session_factory
        self._written: dict[int, str] = {}  # user id -> the scratch data as last written

    # Conversations -------------------------------------------------------------------------

    async def get_conversations(self, name: str) -> ConversationDict:
        async with self._factory() as session:
            rows = await session.scalars(select(ConversationState).where(ConversationState.name == name))
            return {tuple(json.loads(row.key)): json.loads(row.state) for row in rows}

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        encoded_key = json.dumps(list(key))

        async def write(session: AsyncSession) -> None:
            if new_state is None:
                await session.execute(
                    delete(ConversationState).where(
                        ConversationState.name == name, ConversationState.key == encoded_key
                    )
                )
            else:
                await session.merge(ConversationState(name=name, key=encoded_key, state=json.dumps(new_state)))

        await self._write(write)

    async def _write(self, write) -> None:
        """Inside an update: queue the write for that update's commit (PTB runs these concurrently, and
        a session serves one at a time). Otherwise (a conversation timeout, shutdown): its own transaction."""
        scope = current_scope()
        if scope is not None:
            scope.deferred.append(write)
            return
        async with self._factory() as session, session.begin():
            await write(session)

    # User data -------------------------------------------------------------------------------

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        async with self._factory() as session:
            rows = list(await session.scalars(select(ScratchData).where(ScratchData.kind == _USER)))
            self._written = {row.owner_id: row.data for row in rows}
            return defaultdict(dict, {row.owner_id: json.loads(row.data) for row in rows})

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        encoded = json.dumps(data)
        if self._written.get(user_id) == encoded:
            return  # unchanged since it was last written: nothing to do
        if user_id not in self._written and not data:
            return  # empty, for someone with no row (an update from a group, say): no row to write

        async def write(session: AsyncSession) -> None:
            await session.merge(ScratchData(kind=_USER, owner_id=user_id, data=encoded))
            self._written[user_id] = encoded

        await self._write(write)

    async def drop_user_data(self, user_id: int) -> None:
        self._written.pop(user_id, None)

        async def write(session: AsyncSession) -> None:
            await session.execute(delete(ScratchData).where(ScratchData.kind == _USER, ScratchData.owner_id == user_id))

        await self._write(write)

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        """Nothing to refresh: this process is the only writer of its users' scratch data."""

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
