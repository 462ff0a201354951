"""Repositories: queries by owner. They add and load; only the unit of work commits."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import User


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> User | None:
        return await self._session.get(User, user_id)

    async def get_or_create(self, user_id: int, chat_id: int) -> User:
        user = await self.get(user_id)
        if user is None:
            user = User(id=user_id, chat_id=chat_id, is_active=True)
            self._session.add(user)
            await self._session.flush()
        return user
