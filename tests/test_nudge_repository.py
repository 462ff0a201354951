"""NudgeRepository against a real database: scheduling once per dedup key, claiming due rows with a
lease (never the same row twice), and settling reminders whose subject moved on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coaching.enums import NudgeStatus
from storage.db import create_engine, create_session_factory
from storage.models import Nudge
from storage.uow import UnitOfWork

UTC = UTC
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # a Wednesday; never the real clock
LEASE = timedelta(minutes=2)
ANA, BEN = 1001, 1002


@pytest.fixture
async def factory(migrated_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(migrated_url)
    factory = create_session_factory(engine)
    async with UnitOfWork(factory) as uow:
        for user_id in (ANA, BEN):
            await uow.users.get_or_create(user_id, user_id)
    yield factory
    await engine.dispose()


async def add(
    factory,
    key: str,
    *,
    due_at: datetime = NOW,
    kind: str = "follow_up",
    subject: str = "1",
    user_id: int = ANA,
    **fields,
) -> int:
    """Schedule a nudge, then put it in the state a test needs (status, lease, sent_at, done_at...)."""
    async with UnitOfWork(factory) as uow:
        nudge = await uow.nudges.schedule(user_id=user_id, kind=kind, subject=subject, due_at=due_at, dedup_key=key)
        for name, value in fields.items():
            setattr(nudge, name, value)
        await uow.session.flush()
        return nudge.id


async def row(factory, nudge_id: int) -> Nudge:
    async with UnitOfWork(factory) as uow:
        return await uow.nudges.get(nudge_id)


async def rows(factory) -> dict[int, Nudge]:
    async with UnitOfWork(factory) as uow:
        return {n.id: n for n in await uow.session.scalars(select(Nudge))}


async def claim(factory, now: datetime = NOW, *, limit: int = 50) -> list[int]:
    async with UnitOfWork(factory) as uow:
        return [n.id for n in await uow.nudges.claim_due(now, limit=limit, lease=LEASE)]


def state(nudge: Nudge) -> tuple:
    return nudge.status, nudge.due_at, nudge.attempts, nudge.lease_until, nudge.sent_at, nudge.done_at


# schedule ---------------------------------------------------------------------------------------------------


async def test_schedule_is_idempotent_by_dedup_key(factory) -> None:
    """Scheduling the same key again (even with another due time, in another transaction) keeps the one row."""
    first = await add(factory, "follow_up:1:r1")
    async with UnitOfWork(factory) as uow:
        again = await uow.nudges.schedule(
            user_id=ANA, kind="follow_up", subject="1", due_at=NOW + timedelta(days=3), dedup_key="follow_up:1:r1"
        )
        same_transaction = await uow.nudges.schedule(
            user_id=ANA, kind="follow_up", subject="1", due_at=NOW + timedelta(days=5), dedup_key="follow_up:1:r1"
        )
        assert again.id == same_transaction.id == first
    nudges = await rows(factory)
    assert list(nudges) == [first]
    assert (nudges[first].status, nudges[first].due_at) == (NudgeStatus.PENDING, NOW)


async def test_schedule_keeps_a_sent_or_failed_nudge_as_it_is(factory) -> None:
    """Only a cancelled nudge is revived: one already sent or failed is returned unchanged, not re-sent."""
    sent = await add(factory, "k:sent", status=NudgeStatus.SENT, sent_at=NOW)
    failed = await add(factory, "k:failed", status=NudgeStatus.FAILED, attempts=5)
    before = {i: state(n) for i, n in (await rows(factory)).items()}
    assert await add(factory, "k:sent", due_at=NOW + timedelta(days=1)) == sent
    assert await add(factory, "k:failed", due_at=NOW + timedelta(days=1)) == failed
    assert {i: state(n) for i, n in (await rows(factory)).items()} == before


async def test_a_cancelled_nudge_scheduled_again_is_revived(factory) -> None:
    """Scheduling a cancelled nudge's key again means it is wanted again: pending, new due time, attempts 0."""
    nudge = await add(factory, "second_person:1:r1", status=NudgeStatus.CANCELLED, attempts=3, done_at=NOW)
    later = NOW + timedelta(days=2)
    assert await add(factory, "second_person:1:r1", due_at=later) == nudge
    revived = await row(factory, nudge)
    assert (revived.status, revived.due_at, revived.attempts, revived.done_at) == (NudgeStatus.PENDING, later, 0, None)
    assert await claim(factory, later) == [nudge]


# claim_due ----------------------------------------------------------------------------------------------------


async def test_claim_due_takes_only_due_pending_and_expired_lease_rows(factory) -> None:
    """Claimed: pending and due, or sending with an expired lease; each gets status sending and a fresh lease."""
    due = await add(factory, "due", due_at=NOW - timedelta(minutes=5))
    due_now = await add(factory, "due-now", due_at=NOW, user_id=BEN)
    expired = await add(
        factory,
        "expired",
        due_at=NOW - timedelta(hours=1),
        status=NudgeStatus.SENDING,
        lease_until=NOW - timedelta(seconds=1),
    )
    untouched = [
        await add(factory, "future", due_at=NOW + timedelta(seconds=1)),
        await add(
            factory,
            "leased",
            due_at=NOW - timedelta(hours=1),
            status=NudgeStatus.SENDING,
            lease_until=NOW + timedelta(seconds=30),
        ),
        await add(factory, "sent", due_at=NOW - timedelta(hours=1), status=NudgeStatus.SENT, sent_at=NOW),
        await add(factory, "failed", due_at=NOW - timedelta(hours=1), status=NudgeStatus.FAILED),
        await add(factory, "cancelled", due_at=NOW - timedelta(hours=1), status=NudgeStatus.CANCELLED),
    ]
    before = {i: state(n) for i, n in (await rows(factory)).items() if i in untouched}
    assert await claim(factory) == [expired, due, due_now]  # oldest due first
    after = await rows(factory)
    for nudge_id in (due, due_now, expired):
        assert (after[nudge_id].status, after[nudge_id].lease_until) == (NudgeStatus.SENDING, NOW + LEASE)
    assert {i: state(after[i]) for i in untouched} == before


async def test_claim_due_respects_the_limit(factory) -> None:
    """At most ``limit`` rows per claim, oldest first; the rest stay pending for the next claim."""
    ids = [await add(factory, f"n{i}", due_at=NOW - timedelta(minutes=10 - i)) for i in range(5)]
    assert await claim(factory, limit=3) == ids[:3]
    assert await claim(factory, limit=3) == ids[3:]
    assert await claim(factory, limit=3) == []


async def test_a_claimed_row_is_not_claimed_again_until_its_lease_expires(factory) -> None:
    """A claimed row is held by its lease: not claimed again while it runs, claimable once it has expired."""
    nudge = await add(factory, "once")
    assert await claim(factory) == [nudge]
    assert await claim(factory) == []
    assert await claim(factory, NOW + LEASE - timedelta(seconds=1)) == []
    later = NOW + LEASE + timedelta(seconds=1)
    assert await claim(factory, later) == [nudge]  # the first claimant died: someone else takes over
    assert (await row(factory, nudge)).lease_until == later + LEASE


async def test_two_concurrent_claims_never_take_the_same_row(factory) -> None:
    """Two dispatchers claiming at the same moment, in open transactions, get disjoint rows."""
    ids = {await add(factory, f"n{i}", due_at=NOW - timedelta(minutes=i)) for i in range(6)}
    first_claimed = asyncio.Event()

    async def first() -> list[int]:
        async with UnitOfWork(factory) as uow:
            claimed = [n.id for n in await uow.nudges.claim_due(NOW, limit=4, lease=LEASE)]
            first_claimed.set()
            await asyncio.sleep(0.3)  # hold the transaction open while the second one claims
            return claimed

    async def second() -> list[int]:
        await first_claimed.wait()
        async with UnitOfWork(factory) as uow:
            return [n.id for n in await uow.nudges.claim_due(NOW, limit=4, lease=LEASE)]

    one, two = await asyncio.wait_for(asyncio.gather(first(), second()), timeout=15)
    assert len(one) == 4 and not set(one) & set(two), (one, two)
    assert set(one) | set(two) <= ids
    async with UnitOfWork(factory) as uow:
        if uow.session.bind.dialect.name == "postgresql":  # SKIP LOCKED: the second takes the rows left over
            assert set(one) | set(two) == ids, (one, two)
    sending = {i for i, n in (await rows(factory)).items() if n.status == NudgeStatus.SENDING}
    assert sending == set(one) | set(two)


async def test_sequential_claims_in_two_sessions_never_repeat_a_row(factory) -> None:
    """Claims from separate sessions, one after the other, hand out each due row exactly once."""
    ids = {await add(factory, f"n{i}", due_at=NOW - timedelta(minutes=i)) for i in range(7)}
    seen: list[int] = []
    for _ in range(4):
        seen += await claim(factory, limit=2)
    assert sorted(seen) == sorted(ids)


# settle_about and settle_kind -------------------------------------------------------------------------------


async def test_settle_about_cancels_planned_and_settles_sent_nudges_of_one_subject(factory) -> None:
    """settle_about: planned ones about the subject are cancelled, sent-not-done ones get done_at; nothing else moves."""
    kinds = ("second_person", "follow_up")
    pending = await add(factory, "p", kind="follow_up", subject="7", due_at=NOW + timedelta(days=1))
    sending = await add(
        factory, "s", kind="second_person", subject="7", status=NudgeStatus.SENDING, lease_until=NOW + LEASE
    )
    sent = await add(
        factory, "sent", kind="second_person", subject="7", status=NudgeStatus.SENT, sent_at=NOW - timedelta(days=1)
    )
    untouched = [
        await add(
            factory,
            "done",
            kind="second_person",
            subject="7",
            status=NudgeStatus.SENT,
            sent_at=NOW - timedelta(days=2),
            done_at=NOW - timedelta(days=1),
        ),
        await add(factory, "failed", kind="follow_up", subject="7", status=NudgeStatus.FAILED),
        await add(factory, "other-kind", kind="close_silent", subject="7"),
        await add(factory, "other-subject", kind="follow_up", subject="8"),
        await add(factory, "other-subject-sent", kind="follow_up", subject="8", status=NudgeStatus.SENT, sent_at=NOW),
        await add(factory, "other-user", kind="follow_up", subject="7", user_id=BEN),
        await add(
            factory, "other-user-sent", kind="follow_up", subject="7", user_id=BEN, status=NudgeStatus.SENT, sent_at=NOW
        ),
    ]
    before = {i: state(n) for i, n in (await rows(factory)).items() if i in untouched}
    settled_at = NOW + timedelta(hours=1)
    async with UnitOfWork(factory) as uow:
        await uow.nudges.settle_about(ANA, "7", kinds, settled_at)
    after = await rows(factory)
    assert (after[pending].status, after[pending].done_at) == (NudgeStatus.CANCELLED, None)
    assert (after[sending].status, after[sending].done_at) == (NudgeStatus.CANCELLED, None)
    assert (after[sent].status, after[sent].done_at) == (NudgeStatus.SENT, settled_at)
    assert {i: state(after[i]) for i in untouched} == before
    assert sorted(await claim(factory, NOW + timedelta(days=2))) == sorted(
        i for i in untouched if after[i].status == NudgeStatus.PENDING
    )


async def test_settle_kind_marks_older_sent_ones_done(factory) -> None:
    """settle_kind: sent, not-done nudges of the kind with a smaller id are done; the newer and the rest stay."""
    older = await add(
        factory, "digest:1", kind="digest", subject="", status=NudgeStatus.SENT, sent_at=NOW - timedelta(days=14)
    )
    older_done = await add(
        factory,
        "digest:2",
        kind="digest",
        subject="",
        status=NudgeStatus.SENT,
        sent_at=NOW - timedelta(days=7),
        done_at=NOW - timedelta(days=6),
    )
    other_kind = await add(
        factory, "first_list", kind="first_list", subject="", status=NudgeStatus.SENT, sent_at=NOW - timedelta(days=7)
    )
    other_user = await add(
        factory,
        "digest:ben",
        kind="digest",
        subject="",
        user_id=BEN,
        status=NudgeStatus.SENT,
        sent_at=NOW - timedelta(days=7),
    )
    newest = await add(factory, "digest:3", kind="digest", subject="", status=NudgeStatus.SENT, sent_at=NOW)
    upcoming = await add(factory, "digest:4", kind="digest", subject="", due_at=NOW + timedelta(days=7))
    before = {i: state(n) for i, n in (await rows(factory)).items()}
    async with UnitOfWork(factory) as uow:
        await uow.nudges.settle_kind(ANA, "digest", NOW, before_id=newest)
    after = await rows(factory)
    assert after[older].done_at == NOW
    for nudge_id in (older_done, other_kind, other_user, newest, upcoming):
        assert state(after[nudge_id]) == before[nudge_id], nudge_id
    async with UnitOfWork(factory) as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Nudge)) == 6
