"""Private chats only, end to end: in a group the bot shows nothing of anyone's and stores nothing; it says
once, briefly, to talk to it privately (a deep link); reminders go only to the user's private chat.

On PostgreSQL: set INFOCOACH_TEST_DATABASE_URL (see tests/conftest.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from bot.dispatcher import Dispatcher
from bot.local_api import LocalBotApi
from bot.local_api.server import BOT_USER
from storage.models import Base, Nudge, User
from storage.uow import UnitOfWork
from tests.conftest import ANA, BEN
from tests.driver import ChatDriver
from tests.test_drafts_e2e import add_people, factory_of

GROUP, SUPERGROUP = -4567, -1001234567890
BOT = BOT_USER["username"]
DEEP_LINK = f"https://t.me/{BOT}?start=private"
# The durable inbox keeps each fetched update until it is handled (its own rules, docs/reliability.md);
# every other table must not change for an update from a group.
NOT_USER_DATA = {"inbox"}


async def snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table (but the inbox), in a stable order."""
    async with UnitOfWork(factory_of(app)) as uow:
        tables = {}
        for table in Base.metadata.sorted_tables:
            if table.name in NOT_USER_DATA:
                continue
            rows = await uow.session.execute(select(table).order_by(*table.primary_key.columns))
            tables[table.name] = [tuple(row) for row in rows]
        return tables


def group_messages(api: LocalBotApi, group_id: int):
    return [e.message for e in api.events if e.chat_id == group_id and e.kind == "send"]


def assert_only_the_note(api: LocalBotApi, group_id: int) -> None:
    sent = group_messages(api, group_id)
    assert len(sent) == 1, [m.text for m in sent]
    note = sent[0]
    assert "private chat" in note.text and len(note.text) < 200
    assert [[button.get("url") for button in row] for row in note.buttons] == [[DEEP_LINK]]


async def test_in_a_group_the_bot_says_once_to_talk_privately_and_stores_nothing(ben: ChatDriver, api, bot_app) -> None:
    """Protects privacy in groups: a stranger's first message in a group is /start@bot, then commands that
    show data, plain text and a button: one short note with a deep link, nothing else, and no row anywhere."""
    api.add_group(GROUP)
    api.add_group(SUPERGROUP, kind="supergroup")
    empty = await snapshot(bot_app)
    for group_id in (GROUP, SUPERGROUP):
        for text in (f"/start@{BOT}", f"/contacts@{BOT}", "/draft", "/today", "/employers", "/settings",
                     f"/find@{BOT}", "Maya Chen, City Hospital", "/privacy", "/export", "/delete_me"):  # fmt: skip
            await ben.send_in_group(group_id, text)
        await ben.press_in_group(group_id, "ct:c:1")
        assert_only_the_note(api, group_id)
    answers = [params for method, params in api.requests if method == "answerCallbackQuery"]
    assert len(answers) == 2 and all("private chat" in a.get("text", "") for a in answers)
    assert api.chat_messages(BEN.id) == [], "nothing goes to the private chat either"
    assert await snapshot(bot_app) == empty, "an update from a group stores nothing"
    assert not bot_app.user_data.get(BEN.id), "nor keeps anything in memory"


async def test_a_known_user_in_a_group_sees_nothing_and_reminders_stay_private(ana: ChatDriver, api, bot_app) -> None:
    """Protects the reminders' chat: Ana, onboarded privately with people on her list, writes in a group
    (/start@bot first): the group gets the note only, nothing about her is stored or changed, and her
    reminders still go to her private chat."""
    await add_people(ana)
    api.add_group(SUPERGROUP, kind="supergroup")
    before = await snapshot(bot_app)
    for text in (f"/start@{BOT}", f"/contacts@{BOT}", "/draft", "/today", "/employers", "/settings", "hello"):
        await ana.send_in_group(SUPERGROUP, text)
    await ana.press_in_group(SUPERGROUP, "ct:c:1")
    api.group_member_update(ANA, SUPERGROUP, added=False)  # she removes the bot from the group: no block
    await ana.send_in_group(SUPERGROUP, "/today")
    assert_only_the_note(api, SUPERGROUP)
    shown = " ".join(m.text + str(m.buttons) for m in group_messages(api, SUPERGROUP))
    assert "Maya" not in shown and "Ana" not in shown and "healthcare" not in shown
    assert await snapshot(bot_app) == before, "nothing stored or changed by what she did in the group"

    moment = datetime.now(UTC)
    async with UnitOfWork(factory_of(bot_app)) as uow:
        user = await uow.users.get(ANA.id)
        assert user.chat_id == ANA.id and user.is_active
        user.quiet_start_minute = user.quiet_end_minute = 0
        first = await uow.session.scalar(select(Nudge).where(Nudge.user_id == ANA.id, Nudge.kind == "first_list"))
        first.due_at = moment - timedelta(minutes=1)
    dispatcher = Dispatcher(factory_of(bot_app), per_chat_interval=0, clock=lambda: moment)
    assert await dispatcher.run_once(bot_app.bot) == 1
    assert "five people" in ana.last_text(), "the reminder went to her private chat"
    assert len(group_messages(api, SUPERGROUP)) == 1, "and nothing to the group"


async def test_a_group_stored_by_an_older_version_never_gets_a_reminder(ana: ChatDriver, api, bot_app) -> None:
    """Protects the dispatcher's check: a user row holding a group's id (as an older version stored it)
    still has its reminders sent to the private chat, and the next private message repairs the row."""
    await add_people(ana)
    api.add_group(GROUP)
    moment = datetime.now(UTC)
    async with UnitOfWork(factory_of(bot_app)) as uow:
        await uow.session.execute(
            update(User).where(User.id == ANA.id).values(chat_id=GROUP, quiet_start_minute=0, quiet_end_minute=0)
        )
        first = await uow.session.scalar(select(Nudge).where(Nudge.user_id == ANA.id, Nudge.kind == "first_list"))
        first.due_at = moment - timedelta(minutes=1)
    dispatcher = Dispatcher(factory_of(bot_app), per_chat_interval=0, clock=lambda: moment)
    assert await dispatcher.run_once(bot_app.bot) == 1
    assert "five people" in ana.last_text()
    assert group_messages(api, GROUP) == []
    await ana.send("/profile")
    async with UnitOfWork(factory_of(bot_app)) as uow:
        assert (await uow.users.get(ANA.id)).chat_id == ANA.id


async def test_being_added_to_a_group_is_not_a_block(ana: ChatDriver, api, bot_app) -> None:
    """Protects membership: my_chat_member about a group (the bot added, then removed) never marks the user
    blocked nor touches their reminders; being added gets the note (once)."""
    await add_people(ana)
    api.add_group(GROUP)
    before = await snapshot(bot_app)
    api.group_member_update(ANA, GROUP, added=True)
    await ana.send_in_group(GROUP, "/start")
    api.group_member_update(ANA, GROUP, added=False)
    await ana.send("/today")  # in order: once this is done, the membership updates were handled too
    assert_only_the_note(api, GROUP)
    after = await snapshot(bot_app)
    assert after["nudges"] == before["nudges"] and after["users"] == before["users"]
