"""The unit of work: one transaction per update, committed on success, rolled back on error."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.repositories import ContactRepository, DraftRepository, EmployerRepository, NudgeRepository, UserRepository


class UnitOfWork:
    """``async with UnitOfWork(factory) as uow:`` gives repositories over one session.

    Leaving the block normally commits; an exception rolls back. Repositories never commit.
    """

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._factory = session_factory
        self.session: AsyncSession

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._factory()
        self.users = UserRepository(self.session)
        self.nudges = NudgeRepository(self.session)
        self.contacts = ContactRepository(self.session)
        self.employers = EmployerRepository(self.session)
        self.drafts = DraftRepository(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                await self.session.commit()
            else:
                await self.session.rollback()
        finally:
            await self.session.close()
