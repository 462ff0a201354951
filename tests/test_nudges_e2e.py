"""Nudges end to end: the dispatcher sends through the strict local Bot API, buttons act on rows."""

from __future__ import annotations

import asyncio
import signal
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.dispatcher import Dispatcher
from bot.local_api import LocalBotApi, TelegramUser
from bot.requests import TRANSIENT_RETRIES
from storage.db import create_engine, create_session_factory
from storage.models import Nudge, User
from storage.uow import UnitOfWork
from tests.conftest import ANA
from tests.driver import ChatDriver
from tests.test_cli_process import start_bot, stop, wait_until_polling
from tests.test_onboarding_e2e import onboard

NOW = lambda: datetime.now(UTC)  # noqa: E731


def factory_of(app):
    return app.bot_data["services"].session_factory


def fast_dispatcher(app) -> Dispatcher:
    return Dispatcher(factory_of(app), per_chat_interval=0)


async def make_due(app, kind: str = "first_list", user_id: int = ANA.id) -> int:
    """Make the user's nudge of ``kind`` due a minute ago, with quiet hours off so the hour of the run doesn't matter."""
    async with UnitOfWork(factory_of(app)) as uow:
        user = await uow.users.get(user_id)
        user.quiet_start_minute = user.quiet_end_minute = 0
        nudge = await uow.session.scalar(select(Nudge).where(Nudge.user_id == user_id, Nudge.kind == kind))
        nudge.due_at = NOW() - timedelta(minutes=1)
        return nudge.id


async def nudge_row(app, nudge_id: int) -> Nudge:
    async with UnitOfWork(factory_of(app)) as uow:
        return await uow.nudges.get(nudge_id)


def sent_nudges(api: LocalBotApi, text: str) -> int:
    return sum(1 for e in api.events if e.kind == "send" and text in e.message.text)


async def test_due_nudge_arrives_with_buttons_then_snooze_and_stop(ana: ChatDriver, api, bot_app) -> None:
    await onboard(ana)
    nudge_id = await make_due(bot_app)
    assert await fast_dispatcher(bot_app).run_once(bot_app.bot) == 1
    message = ana.last()
    assert "five people" in message.text
    assert message.button_labels() == [
        "📋 What's due today",
        "✅ Done",
        "⏰ 1 day",
        "⏰ 1 week",
        "🔕 Stop these reminders",
    ]
    assert await fast_dispatcher(bot_app).run_once(bot_app.bot) == 0, "sent once only"

    await ana.press("1 day", message)
    row = await nudge_row(bot_app, nudge_id)
    assert row.status == "pending" and row.due_at > NOW() + timedelta(hours=20)
    assert "Snoozed until" in ana.last().text
    await ana.press_data(f"nd:s1w:{nudge_id}", message)  # an old button: answered, changes nothing
    assert (await nudge_row(bot_app, nudge_id)).due_at == row.due_at

    digest_id = await make_due(bot_app, kind="digest")
    await fast_dispatcher(bot_app).run_once(bot_app.bot)
    digest = ana.last()
    assert "Your week" in digest.text and "of your goal of 2" in digest.text
    await ana.press("Stop these reminders", digest)
    async with UnitOfWork(factory_of(bot_app)) as uow:
        user = await uow.users.get(ANA.id)
        pending_digests = await uow.session.scalars(
            select(Nudge).where(Nudge.kind == "digest", Nudge.status == "pending")
        )
    assert "digest" in user.muted_kinds and list(pending_digests) == []
    assert (await nudge_row(bot_app, digest_id)).done_at is not None


async def test_quiet_hours_defer_a_due_nudge(ana: ChatDriver, api, bot_app) -> None:
    await onboard(ana)
    nudge_id = await make_due(bot_app)
    local_hour = NOW().astimezone(ZoneInfo("Europe/Berlin")).hour
    async with UnitOfWork(factory_of(bot_app)) as uow:  # quiet from this hour for the next ten
        user = await uow.users.get(ANA.id)
        user.quiet_start_minute, user.quiet_end_minute = local_hour * 60, (local_hour + 10) % 24 * 60
    assert await fast_dispatcher(bot_app).run_once(bot_app.bot) == 0
    row = await nudge_row(bot_app, nudge_id)
    local_due = row.due_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert row.status == "pending" and local_due.hour == (local_hour + 10) % 24 and local_due.minute == 0
    assert sent_nudges(api, "A small step") == 0


async def test_today_lists_what_is_due(ana: ChatDriver, bot_app) -> None:
    await onboard(ana)
    await make_due(bot_app)
    await fast_dispatcher(bot_app).run_once(bot_app.bot)
    replies = await ana.send("/today")
    assert "List five people" in replies[0].text and "(now)" in replies[0].text
    await ana.press("List five people")
    assert "Nothing is due" in (await ana.send("/today"))[0].text


async def test_other_users_nudge_ids_are_not_found(ana: ChatDriver, ben: ChatDriver, bot_app) -> None:
    await onboard(ana)
    nudge_id = await make_due(bot_app)
    await fast_dispatcher(bot_app).run_once(bot_app.bot)
    await ben.send("/start")
    await ben.press_data(f"nd:stop:{nudge_id}", ben.last())
    row = await nudge_row(bot_app, nudge_id)
    assert row.done_at is None
    async with UnitOfWork(factory_of(bot_app)) as uow:
        assert (await uow.users.get(ANA.id)).muted_kinds == ""


async def test_429_is_honoured_and_delivered_once(ana: ChatDriver, api, bot_app) -> None:
    await onboard(ana)
    nudge_id = await make_due(bot_app)
    api.fail_next("sendMessage", error_code=429, description="Too Many Requests: retry after 1", retry_after=1)
    dispatcher = fast_dispatcher(bot_app)
    assert await dispatcher.run_once(bot_app.bot) == 0
    row = await nudge_row(bot_app, nudge_id)
    assert row.status == "pending" and row.last_error == "429"
    assert await dispatcher.run_once(bot_app.bot) == 0, "not before retry_after"
    await asyncio.sleep(1.1)
    assert await dispatcher.run_once(bot_app.bot) == 1
    assert sent_nudges(api, "A small step") == 1


async def test_network_failure_is_retried(ana: ChatDriver, api, bot_app) -> None:
    await onboard(ana)
    nudge_id = await make_due(bot_app)
    # One dropped connection is retried inside the request; three in a row reach the dispatcher.
    api.fail_next("sendMessage", error_code=None, times=1 + TRANSIENT_RETRIES)
    dispatcher = Dispatcher(
        factory_of(bot_app),
        per_chat_interval=0,
        clock=lambda: NOW() + timedelta(seconds=clock_shift[0]),
    )
    clock_shift = [0]
    assert await dispatcher.run_once(bot_app.bot) == 0
    row = await nudge_row(bot_app, nudge_id)
    assert row.status == "pending" and row.attempts == 1 and row.last_error
    clock_shift[0] = 6  # past the first backoff (5 s), without sleeping
    assert await dispatcher.run_once(bot_app.bot) == 1
    assert sent_nudges(api, "A small step") == 1


async def test_blocked_user_is_deactivated_and_unblock_reactivates(ana: ChatDriver, api, bot_app) -> None:
    await onboard(ana)
    await make_due(bot_app)
    api.blocked.add(ANA.id)
    assert await fast_dispatcher(bot_app).run_once(bot_app.bot) == 0
    async with UnitOfWork(factory_of(bot_app)) as uow:
        user = await uow.users.get(ANA.id)
        statuses = set(await uow.session.scalars(select(Nudge.status).where(Nudge.user_id == ANA.id)))
    assert not user.is_active and statuses == {"pending"}  # held, not cancelled (tests/test_block_unblock.py)
    api.chat_member_update(ANA, blocked=False)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        async with UnitOfWork(factory_of(bot_app)) as uow:
            if (await uow.users.get(ANA.id)).is_active:
                break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("unblocking did not reactivate the user")


async def test_restarted_process_delivers_exactly_once(api: LocalBotApi, migrated_url: str, tmp_path: Path) -> None:
    engine = create_engine(migrated_url)
    async with UnitOfWork(create_session_factory(engine)) as uow:
        uow.session.add(
            User(
                id=ANA.id,
                chat_id=ANA.id,
                name="Ana",
                timezone="UTC",
                onboarded_at=NOW(),
                quiet_start_minute=0,
                quiet_end_minute=0,
            )
        )
        await uow.session.flush()
        await uow.nudges.schedule(
            user_id=ANA.id, kind="first_list", subject="", dedup_key="t1", due_at=NOW() - timedelta(hours=3)
        )
    await engine.dispose()
    api.chats[ANA.id] = ANA
    for run in range(2):  # the bot was down when it fell due; it comes back, and then again
        bot = start_bot(api, migrated_url, tmp_path, f"run{run}.log")
        try:
            wait_until_polling(api, bot)
            deadline = time.monotonic() + 20
            while sent_nudges(api, "A small step") == 0 and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            await asyncio.sleep(2.5)  # a full dispatcher interval more: nothing else may go out
        finally:
            stop(bot, signal.SIGTERM)
    assert sent_nudges(api, "A small step") == 1


async def test_two_dispatchers_send_each_of_1000_nudges_once(api: LocalBotApi, migrated_url: str) -> None:
    users = [TelegramUser(id=5000 + i, first_name=f"U{i}") for i in range(100)]
    engine = create_engine(migrated_url)
    async with UnitOfWork(create_session_factory(engine)) as uow:
        uow.session.add_all(
            User(id=u.id, chat_id=u.id, timezone="UTC", onboarded_at=NOW(), quiet_start_minute=0, quiet_end_minute=0)
            for u in users
        )
        await uow.session.flush()
        due = NOW() - timedelta(minutes=5)
        uow.session.add_all(
            Nudge(
                user_id=u.id,
                kind="first_list",
                subject="",
                due_at=due,
                status="pending",
                attempts=0,
                dedup_key=f"bulk:{u.id}:{n}",
            )
            for u in users
            for n in range(10)
        )
    await engine.dispose()
    for user in users:
        api.chats[user.id] = user

    from telegram import Bot

    async def worker() -> int:
        worker_engine = create_engine(migrated_url)
        dispatcher = Dispatcher(create_session_factory(worker_engine), batch=50, per_chat_interval=0)
        sent = 0
        async with Bot("123456789:TEST-token-for-the-local-api-0000", base_url=api.base_url) as bot:
            while (count := await dispatcher.run_once(bot)) or sent == 0:
                sent += count
        await worker_engine.dispose()
        return sent

    first, second = await asyncio.gather(worker(), worker())
    assert first + second == 1000
    assert sum(1 for e in api.events if e.kind == "send") == 1000
    per_chat = {}
    for event in api.events:
        per_chat[event.chat_id] = per_chat.get(event.chat_id, 0) + 1
    assert set(per_chat.values()) == {10}
