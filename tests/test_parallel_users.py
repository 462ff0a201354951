"""Users in parallel, each user in order (bot/processor.py), end to end through the real application.

Many people onboard at the same moment: their updates run side by side, yet each person's answers land
in their own profile, in the fields they were asked for, and each person's messages, even sent all at
once, are handled in the order they were sent.

On PostgreSQL: set INFOCOACH_TEST_DATABASE_URL (see tests/conftest.py).
"""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.local_api import TelegramUser
from storage.models import User
from storage.uow import UnitOfWork
from tests.conftest import driver_for
from tests.test_drafts_e2e import factory_of

PEOPLE = [TelegramUser(id=5000 + n, first_name=f"Person{n}") for n in range(24)]


def track_in_flight(app) -> dict[str, int]:
    """Count the updates being handled at once, by wrapping the processor's per-update step."""
    processor = app.update_processor
    seen = {"now": 0, "most": 0}
    inner = processor.do_process_update

    async def counted(update, coroutine) -> None:
        seen["now"] += 1
        seen["most"] = max(seen["most"], seen["now"])
        try:
            await inner(update, coroutine)
        finally:
            seen["now"] -= 1

    processor.do_process_update = counted
    return seen


async def onboard(api, app, person: TelegramUser) -> None:
    chat = driver_for(api, app, person)
    await chat.send("/start")
    await chat.press(f"Call me {person.first_name}")
    await chat.send(f"field of {person.first_name}")
    await chat.send(f"roles of {person.first_name}")
    await chat.press("Changing careers")
    await chat.send("Berlin")
    await chat.press("2 a week")
    await chat.send(f"why {person.first_name}")
    await chat.press("Use this pitch")
    assert "Your profile is ready" in chat.last_text(), chat.print_transcript()


async def profiles(app) -> dict[int, User]:
    async with UnitOfWork(factory_of(app)) as uow:
        return {user.id: user for user in await uow.session.scalars(select(User))}


async def test_people_onboarding_at_once_are_served_side_by_side_each_with_their_own_answers(api, bot_app) -> None:
    seen = track_in_flight(bot_app)
    await asyncio.gather(*(onboard(api, bot_app, person) for person in PEOPLE))
    assert seen["most"] > 1, "updates of different people ran side by side"
    stored = await profiles(bot_app)
    for person in PEOPLE:
        user = stored[person.id]
        name = person.first_name
        assert (user.name, user.field, user.roles) == (name, f"field of {name}", f"roles of {name}")
        assert user.onboarded_at is not None


async def test_one_persons_messages_sent_at_once_are_handled_in_order(api, bot_app) -> None:
    """Three answers sent without waiting (a fast typist, or a backlog after a restart), while others write
    too: each lands on its own question."""
    seen = track_in_flight(bot_app)
    chats = [driver_for(api, bot_app, person) for person in PEOPLE[:8]]
    for chat in chats:
        await chat.send("/start")
        await chat.press(f"Call me {chat.user.first_name}")
    ids = []
    for chat in chats:  # everyone's three answers queued up front, interleaved
        name = chat.user.first_name
        ids += [api.send_from(chat.user, text) for text in (f"field of {name}", f"roles of {name}")]
    processed = bot_app.bot_data["processed"]
    for _ in range(2000):
        if all(update_id in processed for update_id in ids):
            break
        await asyncio.sleep(0.01)
    assert all(update_id in processed for update_id in ids)
    assert seen["most"] > 1
    stored = await profiles(bot_app)
    for chat in chats:
        name = chat.user.first_name
        assert (stored[chat.user.id].field, stored[chat.user.id].roles) == (f"field of {name}", f"roles of {name}")
        assert "career" in chat.last_text().lower() or chat.last().button_labels(), "the next question follows"
