"""The durable inbox (bot/inbox.py): stored before confirmed, idempotent, replayed, retried then parked, pruned."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from telegram import Bot, Update
from telegram.error import NetworkError
from telegram.ext import Application, MessageHandler, filters

from bot import inbox as inbox_module
from bot.app import INBOX_KEY
from bot.inbox import InboxRequest
from bot.local_api import LocalBotApi
from storage.db import create_engine, create_session_factory
from storage.models import Inbox, User
from storage.repositories import InboxRepository
from storage.uow import UnitOfWork
from tests.conftest import ANA, BEN, TOKEN, running_app

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def message_update(update_id: int, user_id: int, text: str) -> dict:
    user = {"id": user_id, "is_bot": False, "first_name": f"U{user_id}"}
    message = {"message_id": update_id, "date": 0, "chat": {"id": user_id, "type": "private"}, "from": user}
    message["text"] = text
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


@pytest.fixture
async def factory(migrated_url: str):
    engine = create_engine(migrated_url)
    yield create_session_factory(engine)
    await engine.dispose()


@pytest.fixture
async def profiles(factory) -> None:
    """Ana and Ben have profiles: the inbox keeps a done update a day only for a sender with one."""
    async with UnitOfWork(factory) as uow:
        uow.session.add_all([User(id=ANA.id, chat_id=ANA.id), User(id=BEN.id, chat_id=BEN.id)])


async def rows(factory) -> dict[int, Inbox]:
    async with UnitOfWork(factory) as uow:
        return {row.update_id: row for row in await uow.session.scalars(select(Inbox))}


async def wait_for(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not await condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_store_is_idempotent_by_update_id(factory, profiles) -> None:
    async with UnitOfWork(factory) as uow:
        assert await uow.inbox.store(7, ANA.id, '{"a": 1}', NOW) is True
    async with UnitOfWork(factory) as uow:
        assert await uow.inbox.store(7, ANA.id, '{"a": 2}', NOW) is False
    stored = await rows(factory)
    assert list(stored) == [7]
    assert stored[7].payload == '{"a": 1}' and stored[7].status == "received" and stored[7].attempts == 0

    # Once handled, the same id with other contents is a new update (Telegram picks a new starting id after a
    # week without updates; a local Bot API starts from 1 again).
    async with UnitOfWork(factory) as uow:
        await uow.inbox.mark_done(7, NOW)
    async with UnitOfWork(factory) as uow:
        assert await uow.inbox.store(7, ANA.id, '{"a": 1}', NOW) is False, "the same update, again"
        assert await uow.inbox.store(7, ANA.id, '{"b": 2}', NOW) is True
    assert (await rows(factory))[7].status == "received"


async def test_every_update_is_stored_and_done_with_its_handler(
    api: LocalBotApi, migrated_url: str, factory, profiles
) -> None:
    async with running_app(api, migrated_url) as app:
        ids = [api.send_from(ANA, "/help"), api.send_from(BEN, "/help")]
        processed = app.bot_data["processed"]
        await wait_for(lambda: asyncio.sleep(0, all(i in processed for i in ids)))
    stored = await rows(factory)
    assert [stored[i].status for i in ids] == ["done", "done"]
    assert stored[ids[0]].user_id == ANA.id and json.loads(stored[ids[0]].payload)["message"]["text"] == "/help"


async def test_a_fetched_update_is_stored_before_the_next_fetch_confirms_it(
    api: LocalBotApi, migrated_url: str, factory, profiles
) -> None:
    """The queue's put holds the update; the Updater's next getUpdates, the request that tells Telegram it
    arrived, first stores (and commits) it with the rest of its batch."""
    api.chats[ANA.id] = ANA
    async with running_app(api, migrated_url) as app:
        queue = app.update_queue
        inbox = app.bot_data[INBOX_KEY]
        await app.updater.stop()  # its own getUpdates would flush too: only the one below, here
        inbox._flush_soon = asyncio.get_running_loop().create_future()  # no early flush: only getUpdates's
        update = Update.de_json(message_update(9001, ANA.id, "/help"), app.bot)
        await queue.put(update)
        assert 9001 not in await rows(factory) and queue.qsize() == 0, "held, not yet stored nor queued"
        # The Updater's next getUpdates, through the same kind of request (the Updater's own is long-polling).
        async with Bot(TOKEN, base_url=api.base_url, get_updates_request=InboxRequest(inbox)) as updater_bot:
            await updater_bot.get_updates(offset=9002, timeout=0)
        assert 9001 in await rows(factory), "stored before the getUpdates that confirms it went out"
        inbox._flush_soon.set_result(None)
        await app.updater.start_polling(timeout=1, allowed_updates=Update.ALL_TYPES)
        await queue.put(update)  # Telegram sends it again: stored once, queued once
        processed = app.bot_data["processed"]
        await wait_for(lambda: asyncio.sleep(0, 9001 in processed))
        await asyncio.sleep(0.3)
    helps = [m for m in api.chat_messages(ANA.id) if "/today" in m.text]
    assert len(helps) == 1, "queued once"


async def test_a_batch_that_cannot_be_stored_is_not_confirmed_and_stays_held(
    api: LocalBotApi, migrated_url: str, factory, profiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.chats[ANA.id] = ANA
    async with running_app(api, migrated_url) as app:
        inbox = app.bot_data[INBOX_KEY]
        await app.updater.stop()  # its own getUpdates would flush too: only the ones below, here
        inbox._flush_soon = asyncio.get_running_loop().create_future()
        await app.update_queue.put(Update.de_json(message_update(9101, ANA.id, "/help"), app.bot))

        async def database_down(*_args: object) -> set[int]:
            raise ConnectionError("the database went away")

        monkeypatch.setattr(InboxRepository, "store_many", database_down)
        ours = lambda: [p for method, p in api.requests if method == "getUpdates" and p.get("offset") == 9102]  # noqa: E731
        async with Bot(TOKEN, base_url=api.base_url, get_updates_request=InboxRequest(inbox)) as updater_bot:
            with pytest.raises(NetworkError):
                await updater_bot.get_updates(offset=9102, timeout=0)
            assert not ours(), "the getUpdates that would confirm the batch never went out"
            monkeypatch.undo()
            await updater_bot.get_updates(offset=9102, timeout=0)
            assert ours(), "the database is back: stored, then asked"
        inbox._flush_soon.set_result(None)
        await app.updater.start_polling(timeout=1, allowed_updates=Update.ALL_TYPES)
        await wait_for(lambda: asyncio.sleep(0, 9101 in app.bot_data["processed"]))
    assert (await rows(factory))[9101].status == "done", "stored once the database was back, then handled"


async def test_replay_at_startup_handles_undone_rows_once(
    api: LocalBotApi, migrated_url: str, factory, profiles
) -> None:
    async with UnitOfWork(factory) as uow:
        for update_id, user in ((501, ANA), (502, BEN)):
            await uow.inbox.store(update_id, user.id, json.dumps(message_update(update_id, user.id, "/help")), NOW)
        await uow.inbox.store(503, ANA.id, json.dumps(message_update(503, ANA.id, "/help")), NOW)
        await uow.inbox.mark_done(503, NOW)  # handled before the crash: never again
    api.chats[ANA.id], api.chats[BEN.id] = ANA, BEN
    async with running_app(api, migrated_url) as app:
        processed = app.bot_data["processed"]
        await wait_for(lambda: asyncio.sleep(0, {501, 502} <= processed))
    async with running_app(api, migrated_url) as app:  # a second start replays nothing
        await asyncio.sleep(0.5)
        assert not app.bot_data["processed"]
    stored = await rows(factory)
    assert stored[501].status == stored[502].status == "done"
    assert len(api.chat_messages(ANA.id)) == len(api.chat_messages(BEN.id)) >= 1
    assert {m.text for m in api.chat_messages(ANA.id)} == {m.text for m in api.chat_messages(BEN.id)}


async def test_a_failing_handler_is_retried_then_parked_and_logged_without_text(
    api: LocalBotApi, migrated_url: str, factory, caplog
) -> None:
    calls: list[int] = []

    async def explode(update: Update, context) -> None:
        calls.append(update.update_id)
        raise RuntimeError("handler bug")

    async with running_app(api, migrated_url) as app:
        app.add_handler(MessageHandler(filters.Regex("^secret words 42$"), explode), group=-1000)
        caplog.set_level(logging.INFO)
        update_id = api.send_from(ANA, "secret words 42")
        processed = app.bot_data["processed"]
        await wait_for(lambda: asyncio.sleep(0, update_id in processed))
    assert calls == [update_id] * inbox_module.MAX_ATTEMPTS, "tried MAX_ATTEMPTS times, then no more"
    stored = (await rows(factory))[update_id]
    assert stored.status == "parked" and stored.attempts == inbox_module.MAX_ATTEMPTS
    assert any("parked" in r.getMessage() and str(update_id) in r.getMessage() for r in caplog.records)
    assert "secret words" not in caplog.text

    # A restart does not replay a parked update.
    async with running_app(api, migrated_url) as app:
        app.add_handler(MessageHandler(filters.Regex("^secret words 42$"), explode), group=-1000)
        await asyncio.sleep(0.5)
    assert len(calls) == inbox_module.MAX_ATTEMPTS


async def test_a_crash_counts_as_an_attempt_so_a_poison_update_is_parked(factory, api, migrated_url) -> None:
    async with UnitOfWork(factory) as uow:
        await uow.inbox.store(601, ANA.id, json.dumps(message_update(601, ANA.id, "/help")), NOW)
        row = await uow.session.get(Inbox, 601)
        row.attempts = inbox_module.MAX_CRASHES - 1  # it was being handled at that many crashes already
    api.chats[ANA.id] = ANA
    async with running_app(api, migrated_url) as app:
        await wait_for(lambda: asyncio.sleep(0, 601 in app.bot_data["processed"]))  # finished with, unhandled
        await asyncio.sleep(0.3)
    assert api.chat_messages(ANA.id) == [], "its handler never ran a third time"
    assert (await rows(factory))[601].status == "parked"


async def test_an_update_parked_at_startup_is_pruned_a_week_later_like_any_parked_one(
    factory, api, migrated_url
) -> None:
    async with UnitOfWork(factory) as uow:
        await uow.inbox.store(621, ANA.id, json.dumps(message_update(621, ANA.id, "/help")), NOW)
        (await uow.session.get(Inbox, 621)).attempts = inbox_module.MAX_CRASHES  # interrupted that often
        await uow.inbox.store(622, ANA.id, "not an update", NOW)  # can't be read back
    async with running_app(api, migrated_url):
        pass
    stored = await rows(factory)
    assert [(stored[i].status, stored[i].done_at is not None) for i in (621, 622)] == [("parked", True)] * 2
    inbox = inbox_module.Inbox(factory, clock=lambda: datetime.now(UTC) + inbox_module.KEEP_PARKED + timedelta(hours=1))
    assert await inbox.prune() == 2, "what users sent is not kept forever"


async def test_only_the_oldest_replayed_update_is_charged_an_attempt(factory, api, migrated_url, profiles) -> None:
    async with UnitOfWork(factory) as uow:
        for update_id, user in ((611, ANA), (612, BEN), (613, ANA)):
            await uow.inbox.store(update_id, user.id, json.dumps(message_update(update_id, user.id, "/help")), NOW)
            (await uow.session.get(Inbox, update_id)).attempts = inbox_module.MAX_CRASHES - 1
    api.chats[ANA.id], api.chats[BEN.id] = ANA, BEN
    async with running_app(api, migrated_url) as app:
        await wait_for(lambda: asyncio.sleep(0, {611, 612, 613} <= app.bot_data["processed"]))
    stored = await rows(factory)
    assert [stored[i].status for i in (611, 612, 613)] == ["parked", "done", "done"], "at its last try: parked"


async def test_done_rows_are_pruned_after_a_day(factory) -> None:
    inbox = inbox_module.Inbox(factory, clock=lambda: NOW)
    async with UnitOfWork(factory) as uow:
        for update_id, status, age in (
            (1, "done", timedelta(days=2)),
            (2, "done", timedelta(hours=2)),
            (3, "received", timedelta(days=9)),
            (4, "parked", timedelta(days=8)),
            (5, "parked", timedelta(days=2)),
        ):
            uow.session.add(
                Inbox(
                    update_id=update_id,
                    user_id=ANA.id,
                    payload="{}",
                    status=status,
                    received_at=NOW - age,
                    done_at=None if status == "received" else NOW - age,
                )
            )
    assert await inbox.prune() == 2
    assert sorted(await rows(factory)) == [2, 3, 5], "recent done, never a received one, parked kept a week"


async def test_the_inbox_is_only_in_the_polling_application(api: LocalBotApi, migrated_url: str) -> None:
    from bot.app import build_application
    from tests.conftest import settings_for

    worker = build_application(settings_for(api, migrated_url), updater=False)
    assert INBOX_KEY not in worker.bot_data, "a worker handles no updates and replays nothing"
    polling: Application = build_application(settings_for(api, migrated_url))
    assert polling.update_queue is polling.bot_data[INBOX_KEY].queue


async def test_a_sender_without_a_profile_leaves_no_copy_behind(api: LocalBotApi, migrated_url: str, factory) -> None:
    """Nobody's data to keep (a stranger, or someone who just deleted everything): forgotten once done."""
    async with running_app(api, migrated_url) as app:
        update_id = api.send_from(BEN, "/help")
        processed = app.bot_data["processed"]
        await wait_for(lambda: asyncio.sleep(0, update_id in processed))
    assert await rows(factory) == {}
