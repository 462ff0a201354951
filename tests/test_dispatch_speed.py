"""The dispatcher's cost in statements, and the same results for it: a batch of reminders is prepared in a
fixed number of queries whatever its size, with the very messages and settlements that preparing each alone
gives; the marks of sends accepted together share one transaction, and a digest's mark plans the next one."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Bot

from bot.dispatcher import Dispatcher
from bot.local_api import LocalBotApi, TelegramUser
from coaching.enums import MeetingStatus, NudgeKind, NudgeStatus, Reply, Stage
from services import nudges as services
from storage.db import create_engine, create_session_factory
from storage.models import Contact, DraftRecord, Meeting, Nudge, User
from storage.uow import UnitOfWork
from tests.conftest import TOKEN

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # a Monday, 11:00 in Berlin: outside quiet hours
LEASE = timedelta(minutes=2)


@pytest.fixture
async def engine(migrated_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(migrated_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)


@contextmanager
def statements(engine: AsyncEngine):
    """Counts the SQL statements run, by their first word (SELECT, UPDATE, ...), and the commits."""
    seen: Counter[str] = Counter()

    def count(_conn, _cursor, statement, *_args) -> None:
        seen[statement.split()[0].upper()] += 1

    def commit(_conn) -> None:
        seen["COMMIT"] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    event.listen(engine.sync_engine, "commit", commit)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
        event.remove(engine.sync_engine, "commit", commit)


def user(user_id: int, **fields) -> User:
    values = {"chat_id": user_id, "is_active": True, "timezone": "Europe/Berlin", "name": "Ana", "field": "UX",
              "quiet_start_minute": 21 * 60, "quiet_end_minute": 8 * 60, "digest_weekday": 0, "muted_kinds": "",
              "onboarded_at": NOW - timedelta(days=30), "goal_count": 2, "goal_period": "week"}  # fmt: skip
    return User(id=user_id, **{**values, **fields})


async def digests_for(factory, user_ids: range, *, contacts: int = 0) -> None:
    """Onboarded users, each with a weekly digest due now, ``contacts`` contacts and a request sent this week."""
    async with UnitOfWork(factory) as uow:
        for user_id in user_ids:
            uow.session.add(user(user_id))
        await uow.session.flush()
        for user_id in user_ids:
            for index in range(contacts):
                contact = Contact(user_id=user_id, name=f"C{index}", stage=Stage.REQUESTED, archived=index == 0,
                                  request_sent_at=NOW - timedelta(days=2), met_at=NOW - timedelta(days=index))  # fmt: skip
                uow.session.add(contact)
                await uow.session.flush()
                uow.session.add(DraftRecord(user_id=user_id, contact_id=contact.id, kind="request", body="Hi",
                                            sent_at=NOW - timedelta(days=index)))  # fmt: skip
            uow.session.add(Nudge(user_id=user_id, kind=NudgeKind.DIGEST, subject="", due_at=NOW - timedelta(minutes=1),
                                  status=NudgeStatus.PENDING, attempts=0, dedup_key=f"digest:{user_id}:now"))  # fmt: skip


async def add_digest(factory, key: str, due_at: datetime) -> None:
    """A digest of user 1's, already sent."""
    async with UnitOfWork(factory) as uow:
        uow.session.add(Nudge(user_id=1, kind=NudgeKind.DIGEST, subject="", due_at=due_at, status=NudgeStatus.SENT,
                              sent_at=due_at, attempts=0, dedup_key=key))  # fmt: skip


async def claim(factory, now: datetime = NOW) -> list[int]:
    async with UnitOfWork(factory) as uow:
        return [nudge_id for nudge_id, _ in await services.claim_due(uow, now, limit=500, lease=LEASE)]


# Statements -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 25])
async def test_a_batch_of_digests_is_prepared_in_four_queries_whatever_its_size(engine, factory, size) -> None:
    """The reminders, their users, the contacts and the requests sent: one query each, for 3 digests or for 25."""
    await digests_for(factory, range(1, size + 1), contacts=3)
    claimed = await claim(factory)
    assert len(claimed) == size
    with statements(engine) as seen:
        async with UnitOfWork(factory) as uow:
            prepared = await services.prepare_deliveries(uow, claimed, NOW)
    assert all(delivery is not None for _, delivery in prepared), prepared
    assert seen == {"SELECT": 4, "COMMIT": 1}, seen


async def test_claiming_is_two_statements_whatever_the_number(engine, factory) -> None:
    await digests_for(factory, range(1, 41))
    with statements(engine) as seen:
        claimed = await claim(factory)
    assert len(claimed) == 40
    assert (seen["SELECT"], seen["UPDATE"]) == (1, 1), seen


async def test_digests_accepted_together_are_marked_in_one_transaction(engine, factory) -> None:
    """Four digests marked at once: one transaction of four statements (the mark, the owners, last week's settled
    with the pending cancelled, the next planned), and each user ends with one digest sent and one planned."""
    async with UnitOfWork(factory) as uow:
        uow.session.add(user(1))
    await add_digest(factory, "last-week", NOW - timedelta(days=7))  # sent, and older than the one due now
    await digests_for(factory, range(2, 6))
    async with UnitOfWork(factory) as uow:  # user 1's, due now
        await uow.session.execute(update(Nudge).where(Nudge.dedup_key == "digest:5:now").values(user_id=1))
    await add_digest(factory, "newer", NOW + timedelta(days=1))  # sent, with a higher id than the one due now
    claimed = await claim(factory)
    with statements(engine) as seen:
        async with UnitOfWork(factory) as uow:
            await services.delivered_many(uow, [(nudge_id, NudgeKind.DIGEST) for nudge_id in claimed], NOW)
    assert seen == {"UPDATE": 2, "SELECT": 1, "INSERT": 1, "COMMIT": 1}, seen
    async with UnitOfWork(factory) as uow:
        rows = list(await uow.session.scalars(select(Nudge).order_by(Nudge.id)))
    by_user: dict[int, list[tuple]] = {}
    for row in rows:
        by_user.setdefault(row.user_id, []).append((row.status, row.due_at, row.done_at))
    next_monday = datetime(2026, 12, 14, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
    for user_id in range(2, 5):
        assert by_user[user_id] == [(NudgeStatus.SENT, NOW - timedelta(minutes=1), None),
                                    (NudgeStatus.PENDING, next_monday, None)], by_user[user_id]  # fmt: skip
    assert by_user[1] == [
        (NudgeStatus.SENT, NOW - timedelta(days=7), NOW),  # last week's: done
        (NudgeStatus.SENT, NOW - timedelta(minutes=1), None),
        (NudgeStatus.SENT, NOW + timedelta(days=1), None),  # the newer one stays as it was
        (NudgeStatus.PENDING, next_monday, None),
    ], by_user[1]


async def test_the_one_by_one_mark_of_a_digest_matches_the_grouped_one(engine, factory) -> None:
    """delivered(kind=digest) in a transaction of its own: the same rows as the grouped mark, a cancelled next
    digest of the same date revived rather than duplicated."""
    await digests_for(factory, range(1, 2))
    (nudge_id,) = await claim(factory)
    async with UnitOfWork(factory) as uow:  # planned once, then cancelled (say, the weekday changed and back)
        uow.session.add(Nudge(user_id=1, kind=NudgeKind.DIGEST, subject="", due_at=NOW, attempts=3,
                              status=NudgeStatus.CANCELLED, dedup_key="digest:1:2026-12-14"))  # fmt: skip
    async with UnitOfWork(factory) as uow:
        await services.delivered(uow, nudge_id, NOW, kind=NudgeKind.DIGEST)
    async with UnitOfWork(factory) as uow:
        rows = {n.dedup_key: n for n in await uow.session.scalars(select(Nudge))}
    assert len(rows) == 2
    revived = rows["digest:1:2026-12-14"]
    assert (revived.status, revived.due_at, revived.attempts) == (
        NudgeStatus.PENDING,
        datetime(2026, 12, 14, 8, 0, tzinfo=UTC),
        0,
    )
    assert rows["digest:1:now"].status == NudgeStatus.SENT


async def test_a_run_costs_few_statements_and_sends_each_digest_once(engine, factory) -> None:
    """A whole run over the bot API: every digest sent once, marked sent, the next planned, in under three
    statements a reminder (it was fifteen when each was prepared and marked alone)."""
    count = 30
    await digests_for(factory, range(1, count + 1))
    with LocalBotApi(TOKEN) as api:
        for chat in range(1, count + 1):
            api.chats[chat] = TelegramUser(id=chat, first_name="Ana")
        async with Bot(TOKEN, base_url=api.base_url) as bot:
            dispatcher = Dispatcher(factory, clock=lambda: NOW)
            with statements(engine) as seen:
                assert await dispatcher.run_once(bot) == count
            sent = {chat: len(api.chat_messages(chat)) for chat in range(1, count + 1)}
    assert sent == {chat: 1 for chat in range(1, count + 1)}
    assert sum(n for word, n in seen.items() if word != "COMMIT") <= 3 * count, seen
    async with UnitOfWork(factory) as uow:
        statuses = Counter(n.status for n in await uow.session.scalars(select(Nudge)))
    assert statuses == {NudgeStatus.SENT: count, NudgeStatus.PENDING: count}, statuses


async def test_marks_wait_for_each_other_and_never_outnumber_the_sends_at_once(factory) -> None:
    """With marks slowed down, the accepted-not-yet-marked and the in-flight never exceed ``sends_at_once``: the
    bound on what a kill can double. Sends keep going while a group is being marked."""
    await digests_for(factory, range(1, 21))
    open_now, most = 0, 0
    original = services.delivered_many

    async def slow_marks(uow, sent, now):
        await asyncio.sleep(0.02)
        await original(uow, sent, now)

    class CountingBot(Bot):
        async def send_message(self, *args, **kwargs):
            nonlocal open_now, most
            open_now += 1
            most = max(most, open_now)
            return await super().send_message(*args, **kwargs)

    dispatcher = Dispatcher(factory, clock=lambda: NOW, sends_at_once=3)
    original_mark_group = dispatcher._mark_group

    async def mark_group(group):
        nonlocal open_now
        await original_mark_group(group)
        open_now -= len(group)

    dispatcher._mark_group = mark_group  # type: ignore[method-assign]
    with LocalBotApi(TOKEN) as api:
        for chat in range(1, 21):
            api.chats[chat] = TelegramUser(id=chat, first_name="Ana")
        async with CountingBot(TOKEN, base_url=api.base_url) as bot:
            services.delivered_many = slow_marks
            try:
                assert await dispatcher.run_once(bot) == 20
            finally:
                services.delivered_many = original
    assert 1 < most <= 3, most


# The same results, batched or not -----------------------------------------------------------------------------


class _Rollback(Exception):
    pass


async def outcome(factory, prepare: Callable, nudge_ids: list[int]) -> tuple[list, dict]:
    """What preparing ``nudge_ids`` gives, and the rows it leaves, rolled back afterwards."""
    result: tuple[list, dict] = ([], {})
    with pytest.raises(_Rollback):
        async with UnitOfWork(factory) as uow:
            deliveries = await prepare(uow, nudge_ids)
            await uow.session.flush()
            uow.session.expire_all()
            nudges = {n.id: (n.status, n.due_at, n.last_error, n.done_at, n.sent_at)
                      for n in await uow.session.scalars(select(Nudge))}  # fmt: skip
            contacts = {c.id: (c.stage, c.reply, c.last_touch_at) for c in await uow.session.scalars(select(Contact))}
            result = (deliveries, {"nudges": nudges, "contacts": contacts})
            raise _Rollback
    return result


async def test_a_batch_prepares_exactly_what_each_alone_would(factory) -> None:
    """Every sort of reminder, for users active, paused, blocked, muting one kind or in quiet hours, with contacts
    archived, another user's contact named in a subject, meetings on and off: the batch renders the same messages
    (html, buttons, chart) and leaves the same rows as preparing each in turn."""
    async with UnitOfWork(factory) as uow:
        uow.session.add_all([
            user(1, pitch="I design <forms>"),
            user(2, paused_at=NOW - timedelta(days=1), paused_until=NOW + timedelta(days=2)),
            user(3, is_active=False),
            user(4, muted_kinds="follow_up"),
            user(5, timezone="Asia/Tokyo"),  # 19:00 there: quiet hours start at 21:00, so still allowed
            user(6, timezone="Pacific/Auckland"),  # 23:00 there: quiet hours
            user(7, onboarded_at=None),
        ])  # fmt: skip
        await uow.session.flush()
        contacts = {}
        for owner in range(1, 8):
            for name, fields in {
                "dana": {"stage": Stage.REQUESTED, "company": "Acme & Co", "request_sent_at": NOW - timedelta(days=3)},
                "eli": {"stage": Stage.MET, "met_at": NOW - timedelta(days=2), "last_touch_at": NOW - timedelta(days=90)},
                "fay": {"stage": Stage.READY, "archived": True, "met_at": NOW - timedelta(days=1)},
                "gus": {"stage": Stage.REQUESTED, "reply": Reply.YES, "replied_at": NOW - timedelta(days=1)},
            }.items():  # fmt: skip
                contact = Contact(user_id=owner, name=f"{name.title()} <{owner}>", **fields)
                uow.session.add(contact)
                await uow.session.flush()
                contacts[owner, name] = contact.id
        meetings = {}
        for owner in range(1, 8):
            for name, starts, status in (
                ("soon", NOW + timedelta(hours=1), MeetingStatus.SCHEDULED),
                ("tomorrow", NOW + timedelta(days=1), MeetingStatus.SCHEDULED),
                ("gone", NOW - timedelta(days=1), MeetingStatus.CANCELLED),
                ("done", NOW - timedelta(hours=2), MeetingStatus.HAPPENED),
            ):
                meeting = Meeting(user_id=owner, contact_id=contacts[owner, "eli"], starts_at=starts, minutes=30,
                                  format="video", status=status)  # fmt: skip
                uow.session.add(meeting)
                await uow.session.flush()
                meetings[owner, name] = meeting.id
        uow.session.add(DraftRecord(user_id=1, contact_id=contacts[1, "dana"], kind="request", body="Hi",
                                    sent_at=NOW - timedelta(days=3)))  # fmt: skip
        plans = []
        for owner in range(1, 8):
            plans += [
                (NudgeKind.DIGEST, ""),
                (NudgeKind.FIRST_LIST, ""),
                (NudgeKind.SECOND_PERSON, str(contacts[owner, "dana"])),
                (NudgeKind.FOLLOW_UP, str(contacts[owner, "dana"])),
                (NudgeKind.FOLLOW_UP, str(contacts[owner, "gus"])),
                (NudgeKind.CLOSE, str(contacts[owner, "fay"])),
                (NudgeKind.SECOND_PERSON, str(contacts[owner % 7 + 1, "dana"])),  # someone else's contact
                (NudgeKind.KEEP_IN_TOUCH, str(contacts[owner, "eli"])),
                (NudgeKind.THANK_YOU, str(contacts[owner, "eli"])),
                (NudgeKind.PREP_HOUR_BEFORE, f"m{meetings[owner, 'soon']}"),
                (NudgeKind.PREP_DAY_BEFORE, f"m{meetings[owner, 'tomorrow']}"),
                (NudgeKind.PREP_DAY_BEFORE, f"m{meetings[owner, 'gone']}"),
                (NudgeKind.REFLECT, f"m{meetings[owner, 'done']}"),
                (NudgeKind.REFLECT, f"m{meetings[owner % 7 + 1, 'done']}"),  # someone else's meeting
                (NudgeKind.REFLECT, "m999999"),
            ]
            for index, (kind, subject) in enumerate(plans[-15:]):
                uow.session.add(Nudge(user_id=owner, kind=kind, subject=subject, due_at=NOW - timedelta(minutes=5),
                                      status=NudgeStatus.PENDING, attempts=0, dedup_key=f"t:{owner}:{index}"))  # fmt: skip
    claimed = await claim(factory)
    assert len(claimed) == 7 * 15

    async def one_by_one(uow, ids):
        return [(nudge_id, await services.prepare_delivery(uow, nudge_id, NOW)) for nudge_id in ids]

    async def batched(uow, ids):
        return await services.prepare_deliveries(uow, ids, NOW)

    alone, alone_rows = await outcome(factory, one_by_one, claimed)
    together, together_rows = await outcome(factory, batched, claimed)
    assert together == alone
    assert together_rows == alone_rows
    sent = [delivery for _, delivery in together if delivery is not None]
    assert 10 <= len(sent) < len(claimed), "the scenario sends some and holds, drops or defers others"
    assert any(d.chart is not None for d in sent) and any(d.kind == NudgeKind.PREP_DAY_BEFORE for d in sent)
