"""A python-telegram-bot persistence kept in the application's own database.

It holds only conversation states and small per-user scratch data; the user's answers live in
the real tables. The application flushes it after every update (see bot.app), so a restart,
even an unclean one, resumes each conversation at the step the user was on.
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

_USER = "user"


class SqlPersistence(BasePersistence[dict, dict, dict]):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], update_interval: float = 60):
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=False, user_data=True, callback_data=False),
            update_interval=update_interval,
        )
        self._factory = session_factory

    # Conversations -------------------------------------------------------------------------

    async def get_conversations(self, name: str) -> ConversationDict:
        async with self._factory() as session:
            rows = await session.scalars(select(ConversationState).where(ConversationState.name == name))
            return {tuple(json.loads(row.key)): json.loads(row.state) for row in rows}

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        encoded_key = json.dumps(list(key))
        async with self._factory() as session, session.begin():
            if new_state is None:
                await session.execute(
                    delete(ConversationState).where(
                        ConversationState.name == name, ConversationState.key == encoded_key
                    )
                )
            else:
                await session.merge(ConversationState(name=name, key=encoded_key, state=json.dumps(new_state)))

    # User data -------------------------------------------------------------------------------

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        async with self._factory() as session:
            rows = await session.scalars(select(ScratchData).where(ScratchData.kind == _USER))
            return defaultdict(dict, {row.owner_id: json.loads(row.data) for row in rows})

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        async with self._factory() as session, session.begin():
            await session.merge(ScratchData(kind=_USER, owner_id=user_id, data=json.dumps(data)))

    async def drop_user_data(self, user_id: int) -> None:
        async with self._factory() as session, session.begin():
            await session.execute(
                delete(ScratchData).where(ScratchData.kind == _USER, ScratchData.owner_id == user_id)
            )

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
