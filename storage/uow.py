"""The unit of work: one transaction per update, committed on success, rolled back on error.

While an update is being handled, ``update_transaction`` opens one session for all of it: every
unit of work entered meanwhile joins that session, and the conversation's new step (PTB persistence)
is written into it too, so the data a user gives and the step it moves them to commit together.
Outside an update (the nudge dispatcher, the CLI, tests), each unit of work is its own transaction.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import TracebackType

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.repositories import (
    ContactRepository,
    DraftRepository,
    EmployerRepository,
    InboxRepository,
    MeetingRepository,
    NudgeRepository,
    ReflectionRepository,
    UserRepository,
)


@dataclass
class UpdateScope:
    """The transaction of the update being handled; ``failed`` makes it roll back at the end.

    ``task`` is the task handling the update: only it shares the session. Other tasks can inherit
    this context (a job that APScheduler started while an update was running does); they get
    their own transactions, since one session serves one task at a time.
    """

    session: AsyncSession
    task: asyncio.Task | None = None
    active: bool = True
    failed: bool = False
    # Writes queued by the PTB persistence, applied in order just before the commit.
    deferred: list[Callable[[AsyncSession], Awaitable[None]]] = field(default_factory=list)


_scope: ContextVar[UpdateScope | None] = ContextVar("infocoach_update_scope", default=None)


def current_scope() -> UpdateScope | None:
    """The update transaction still open in this context, if any (PTB persistence queues writes into it)."""
    scope = _scope.get()
    return scope if scope is not None and scope.active else None


def joinable_scope() -> UpdateScope | None:
    """The open update transaction, if this task is the one handling that update."""
    scope = current_scope()
    return scope if scope is not None and scope.task is asyncio.current_task() else None


def mark_failed() -> None:
    """Roll back the current update's transaction when it ends (its handler failed)."""
    scope = joinable_scope()
    if scope is not None:
        scope.failed = True


@asynccontextmanager
async def update_transaction(session_factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[UpdateScope]:
    """One transaction around everything an update does; commits unless it failed."""
    scope = UpdateScope(session_factory(), task=asyncio.current_task())
    token = _scope.set(scope)
    try:
        yield scope
        if scope.failed:
            await scope.session.rollback()
        else:
            for write in scope.deferred:
                await write(scope.session)
            await scope.session.commit()
    except BaseException:
        scope.failed = True
        await scope.session.rollback()
        raise
    finally:
        scope.active = False
        _scope.reset(token)
        await scope.session.close()


class UnitOfWork:
    """``async with UnitOfWork(factory) as uow:`` gives repositories over one session.

    Leaving the block normally commits; an exception rolls back. Repositories never commit.
    Inside an update's transaction it joins that one instead: leaving flushes new rows (their ids are
    needed), changes wait for the update's commit (or the next query, which sees them all the same), and
    an exception marks the whole update to roll back.
    """

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._factory = session_factory
        self._scope: UpdateScope | None = None
        self.session: AsyncSession

    async def __aenter__(self) -> UnitOfWork:
        self._scope = joinable_scope()
        self.session = self._scope.session if self._scope else self._factory()
        self.users = UserRepository(self.session)
        self.nudges = NudgeRepository(self.session)
        self.contacts = ContactRepository(self.session)
        self.employers = EmployerRepository(self.session)
        self.drafts = DraftRepository(self.session)
        self.meetings = MeetingRepository(self.session)
        self.reflections = ReflectionRepository(self.session)
        self.inbox = InboxRepository(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._scope is not None:
            if exc_type is None and (self.session.deleted or _needs_ids(self.session)):
                # New rows get their generated ids now (buttons carry them), and deletes go before any later insert
                # (a flush inserts first). Changes to rows wait for the update's commit, after its replies: a
                # write takes SQLite's one writer turn, and holding it through a reply's round trip made every
                # other user's write wait that long too.
                await self.session.flush()
            elif exc_type is not None:
                self._scope.failed = True
            return
        try:
            if exc_type is None:
                await self.session.commit()
            else:
                await self.session.rollback()
        finally:
            await self.session.close()


def _needs_ids(session: AsyncSession) -> bool:
    """Whether a row added in this session still waits for the database to give it its id."""
    return any(None in inspect(row).mapper.primary_key_from_instance(row) for row in session.new)
