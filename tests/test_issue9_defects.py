"""Issue 9: one end-to-end test per reported defect, through the strict local Bot API.

Each test drives the real application as a user would and asserts on the database and on the
absence of the generic error message, not on the exact wording of new copy.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.dispatcher import Dispatcher
from bot.local_api import LocalBotApi
from bot.local_api.server import SentMessage
from coaching import contact_copy, copy
from coaching import nudges as nudge_rules
from storage.models import Contact, DraftRecord, Nudge
from storage.uow import UnitOfWork
from tests.conftest import ANA
from tests.driver import ChatDriver
from tests.test_drafts_e2e import add_people, contact_named, factory_of, fire, nudges_about
from tests.test_onboarding_e2e import onboard

BERLIN = ZoneInfo("Europe/Berlin")  # the zone `onboard` picks
ERROR_TEXT = "Sorry, something went wrong"
assert copy.SOMETHING_WENT_WRONG.startswith(ERROR_TEXT)


# Helpers ------------------------------------------------------------------------------------------------


def plain(markup: str) -> str:
    """Telegram HTML copy as the user reads it."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def assert_no_error(chat: ChatDriver) -> None:
    shown = [m.text for m in chat.messages() if ERROR_TEXT in m.text]
    assert shown == [], "the generic error message was shown"


def callbacks(message: SentMessage) -> list[str]:
    return [b["callback_data"] for row in message.buttons for b in row if "callback_data" in b]


def message_with_callback(chat: ChatDriver, prefix: str) -> SentMessage:
    """The newest message carrying a button whose callback data starts with ``prefix``."""
    for message in reversed(chat.messages()):
        if any(data.startswith(prefix) for data in callbacks(message)):
            return message
    raise AssertionError(f"no message with a {prefix!r} button")


def set_clock(app, moment: datetime) -> None:
    app.bot_data["services"].clock = lambda: moment


async def all_contacts(app) -> list[Contact]:
    async with UnitOfWork(factory_of(app)) as uow:
        return list(await uow.session.scalars(select(Contact).where(Contact.user_id == ANA.id).order_by(Contact.id)))


async def contacts_named(app, name: str) -> list[Contact]:
    return [c for c in await all_contacts(app) if c.name == name]


async def seed(app, *people: tuple[str, str | None], stage: str = "research") -> None:
    async with UnitOfWork(factory_of(app)) as uow:
        await uow.users.get_or_create(ANA.id, ANA.id)
        for name, company in people:
            uow.contacts.add(ANA.id, name=name, company=company, stage=stage)


async def update_contact(app, contact_id: int, **fields) -> None:
    async with UnitOfWork(factory_of(app)) as uow:
        contact = await uow.contacts.get_owned(contact_id, ANA.id)
        for key, value in fields.items():
            setattr(contact, key, value)


async def drafts_of(app, contact_id: int) -> list[DraftRecord]:
    async with UnitOfWork(factory_of(app)) as uow:
        rows = await uow.session.scalars(
            select(DraftRecord).where(DraftRecord.contact_id == contact_id).order_by(DraftRecord.id)
        )
        return list(rows)


async def pending(app, contact_id: int, kind: str | None = None) -> list[Nudge]:
    return [
        n for n in await nudges_about(app, contact_id) if n.status == "pending" and (kind is None or n.kind == kind)
    ]


async def nudge_of(app, nudge_id: int) -> Nudge:
    async with UnitOfWork(factory_of(app)) as uow:
        return await uow.nudges.get(nudge_id)


async def user_nudge(app, kind: str) -> Nudge:
    async with UnitOfWork(factory_of(app)) as uow:
        return await uow.session.scalar(
            select(Nudge).where(Nudge.user_id == ANA.id, Nudge.kind == kind).order_by(Nudge.id.desc())
        )


async def make_draft(chat: ChatDriver, name: str, kind_label: str = "Email") -> SentMessage:
    """/draft -> ``name`` -> ``kind_label``: the draft message (the one with "I sent it")."""
    await chat.send("/draft")
    await chat.press(name)
    await chat.press(kind_label)
    await chat.skip_why_them()
    return message_with_callback(chat, "dr:sent:")


def sent_button(draft: SentMessage) -> str:
    return next(data for data in callbacks(draft) if data.startswith("dr:sent:"))


async def send_request(chat: ChatDriver, app, name: str) -> Contact:
    """Draft an email to ``name`` and press "I sent it"."""
    draft = await make_draft(chat, name)
    await chat.press_data(sent_button(draft), draft)
    return await contact_named(app, name)


async def dispatch_due(app) -> int:
    return await Dispatcher(factory_of(app), per_chat_interval=0).run_once(app.bot)


async def make_user_nudge_due(app, kind: str) -> int:
    async with UnitOfWork(factory_of(app)) as uow:
        user = await uow.users.get(ANA.id)
        user.quiet_start_minute = user.quiet_end_minute = 0
        nudge = await uow.session.scalar(
            select(Nudge).where(Nudge.user_id == ANA.id, Nudge.kind == kind, Nudge.status == "pending")
        )
        assert nudge is not None, f"no pending {kind} nudge"
        nudge.due_at = datetime.now(UTC).replace(year=2000)
        return nudge.id


def today_bullets(message: SentMessage) -> list[str]:
    return [line for line in message.text.splitlines() if line.lstrip().startswith("•")]


def forget_expired_queries(api: LocalBotApi, before: set[str]) -> None:
    """Telegram drops a callback query it refused to answer; so does the emulator here."""
    with api._cond:
        for query_id in set(api._callbacks) - before:
            api._callbacks.pop(query_id, None)


# 1. "I sent it" ------------------------------------------------------------------------------------------


async def test_1a_stale_i_sent_it_does_not_reopen_a_closed_contact(ana: ChatDriver, bot_app) -> None:
    """Defect 1: a stale "I sent it" reopens a contact closed by a "No" reply."""
    await add_people(ana)
    draft = await make_draft(ana, "Maya Chen")
    data = sent_button(draft)
    draft_id = int(data.rsplit(":", 1)[1])
    maya = await contact_named(bot_app, "Maya Chen")
    await ana.send("/contacts")
    await ana.press("Maya Chen")
    card = message_with_callback(ana, "ct:note:")
    await ana.press_data(f"dr:rq:{maya.id}", card)
    ask = message_with_callback(ana, "dr:rp:")
    await ana.press_data(f"dr:rp:no:{maya.id}", ask)
    assert (await contact_named(bot_app, "Maya Chen")).stage == "closed"

    await ana.press_data(data, draft)
    after = await contact_named(bot_app, "Maya Chen")
    assert after.stage == "closed", "a stale 'I sent it' reopened a closed contact"
    assert await pending(bot_app, maya.id) == [], "a stale 'I sent it' restarted the clock"
    assert next(d for d in await drafts_of(bot_app, maya.id) if d.id == draft_id).sent_at is None
    assert_no_error(ana)


async def test_1b_i_sent_it_twice_counts_once(ana: ChatDriver, bot_app) -> None:
    """Defect 1: pressing "I sent it" twice records two sends or two clocks."""
    await add_people(ana)
    draft = await make_draft(ana, "Maya Chen")
    data = sent_button(draft)
    await ana.press_data(data, draft)
    await ana.press_data(data, draft)
    maya = await contact_named(bot_app, "Maya Chen")
    sent = [d for d in await drafts_of(bot_app, maya.id) if d.sent_at is not None]
    assert len(sent) == 1, "exactly one draft is marked sent"
    assert len(await pending(bot_app, maya.id, "second_person")) == 1
    assert len(await pending(bot_app, maya.id, "follow_up")) == 1
    assert maya.stage == "requested"
    assert_no_error(ana)


async def test_1c_marking_a_second_version_sent_does_not_start_a_second_clock(ana: ChatDriver, bot_app) -> None:
    """Defect 1 (variant): "I sent it" on two versions of one request starts two follow-up clocks."""
    await add_people(ana)
    draft = await make_draft(ana, "Maya Chen")
    await ana.press("Another version", draft)
    other = message_with_callback(ana, "dr:sent:")
    assert other.message_id != draft.message_id
    await ana.press_data(sent_button(draft), draft)
    await ana.press_data(sent_button(other), other)
    maya = await contact_named(bot_app, "Maya Chen")
    assert len(await pending(bot_app, maya.id, "second_person")) == 1, "two clocks for one request"
    assert len(await pending(bot_app, maya.id, "follow_up")) == 1, "two clocks for one request"
    assert len([d for d in await drafts_of(bot_app, maya.id) if d.sent_at is not None]) == 1
    assert_no_error(ana)


# 2. Done on a follow-up reminder -----------------------------------------------------------------------


async def test_2_done_on_a_follow_up_reminder_moves_the_clock(ana: ChatDriver, bot_app) -> None:
    """Defect 2: "Done" on the follow-up reminder doesn't count the follow-up or schedule closing."""
    await add_people(ana)
    maya = await send_request(ana, bot_app, "Maya Chen")
    follow_up = (await pending(bot_app, maya.id, "follow_up"))[0]
    assert await fire(bot_app, "follow_up", maya.id) == 1
    reminder = message_with_callback(ana, f"nd:done:{follow_up.id}")
    await ana.press_data(f"nd:done:{follow_up.id}", reminder)
    after = await contact_named(bot_app, "Maya Chen")
    assert after.follow_ups_sent == 1, "Done on the follow-up reminder must count the follow-up"
    assert after.stage == "followed_up"
    assert len(await pending(bot_app, maya.id, "close_silent")) == 1
    assert_no_error(ana)


# 3. An intro request ------------------------------------------------------------------------------------


async def test_3_an_intro_request_runs_its_own_clock(ana: ChatDriver, bot_app) -> None:
    """Defect 3: an intro request starts the direct-request 3B7 clock instead of its own."""
    await add_people(ana)
    sara = await contact_named(bot_app, "Sara Ito")
    await update_contact(bot_app, sara.id, relation="fof", via="Tom Berg")
    draft = await make_draft(ana, "Sara Ito", kind_label="Intro")
    await ana.press_data(sent_button(draft), draft)
    after = await contact_named(bot_app, "Sara Ito")
    assert after.stage == "intro_requested", f"stage is {after.stage!r}"
    assert after.request_sent_at is None
    kinds = [n.kind for n in await nudges_about(bot_app, sara.id) if n.status == "pending"]
    assert "second_person" not in kinds and "follow_up" not in kinds
    assert kinds.count("intro_follow_up") == 1
    assert_no_error(ana)


# 4. Snoozing a business-day reminder ---------------------------------------------------------------------


async def test_4_snooze_never_lands_on_a_weekend(ana: ChatDriver, bot_app) -> None:
    """Defect 4: "1 day" on a Friday business-day reminder lands on Saturday."""
    friday_10_berlin = datetime(2026, 12, 4, 10, 0, tzinfo=BERLIN).astimezone(UTC)
    assert friday_10_berlin.astimezone(BERLIN).weekday() == 4
    set_clock(bot_app, friday_10_berlin)
    await add_people(ana)
    maya = await send_request(ana, bot_app, "Maya Chen")
    second = (await pending(bot_app, maya.id, "second_person"))[0]
    assert await fire(bot_app, "second_person", maya.id) == 1
    async with UnitOfWork(factory_of(bot_app)) as uow:  # quiet hours back to the default 21:00-08:00
        user = await uow.users.get(ANA.id)
        user.quiet_start_minute, user.quiet_end_minute = 21 * 60, 8 * 60
    reminder = message_with_callback(ana, f"nd:s1d:{second.id}")
    await ana.press_data(f"nd:s1d:{second.id}", reminder)
    row = await nudge_of(bot_app, second.id)
    local = row.due_at.astimezone(BERLIN)
    assert row.status == "pending"
    assert local.weekday() < 5, f"snoozed to a weekend: {local:%a %d %b %H:%M}"
    assert local.weekday() == 0, f"snoozed to {local:%a %d %b %H:%M}, not Monday"
    assert 8 <= local.hour < 21, f"snoozed into quiet hours: {local:%H:%M}"
    assert_no_error(ana)


# 5. Commands and buttons in the middle of a flow ---------------------------------------------------------


async def test_5a_a_command_mid_flow_runs_and_ends_the_flow(ana: ChatDriver, bot_app) -> None:
    """Defect 5: a command in the middle of /add is swallowed ("send it again") instead of run."""
    await ana.send("/add")
    await ana.send("Lena Park")
    replies = await ana.send("/today")
    texts = " ".join(m.text for m in replies)
    assert "I stopped what we were doing" not in texts, "the command was not run"
    assert "Today" in texts
    await ana.send("call mum tomorrow")
    for contact in await all_contacts(bot_app):
        for column in Contact.__table__.columns:
            assert getattr(contact, column.key) != "call mum tomorrow", f"saved as {column.key} of {contact.name}"
    assert await contacts_named(bot_app, "call mum tomorrow") == []
    assert_no_error(ana)


async def test_5b_an_unknown_command_mid_flow_is_answered_as_unknown(ana: ChatDriver, bot_app) -> None:
    """Defect 5: an unknown command mid-flow gets "send it again" instead of the unknown-command answer."""
    await ana.send("/add")
    await ana.send("Lena Park")
    replies = await ana.send("/frobnicate")
    texts = [m.text for m in replies]
    assert any(plain(copy.UNKNOWN_COMMAND) in t for t in texts), texts
    assert_no_error(ana)


async def test_5c_at_most_one_flow_at_a_time(ana: ChatDriver, bot_app) -> None:
    """Defect 5: an old card's note button during /add opens a second flow; the note becomes a contact."""
    await seed(bot_app, ("Maya Chen", "City Hospital"))
    await ana.send("/contacts")
    await ana.press("Maya Chen")
    card = message_with_callback(ana, "ct:note:company_notes:")
    await ana.send("/add")
    await ana.press("Company notes", card)
    await ana.send("Big hospital")
    assert (await contact_named(bot_app, "Maya Chen")).company_notes == "Big hospital"
    assert await contacts_named(bot_app, "Big hospital") == [], "the note was taken as a new contact's name"
    assert_no_error(ana)


# 6. /today ---------------------------------------------------------------------------------------------


async def test_6_today_names_people_and_drops_obsolete_items(ana: ChatDriver, bot_app) -> None:
    """Defect 6: /today keeps obsolete reminders, doesn't say whom they are about, and "Done" doesn't say what."""
    await add_people(ana)
    maya = await send_request(ana, bot_app, "Maya Chen")
    assert await fire(bot_app, "second_person", maya.id) == 1
    await ana.press_data(f"dr:rp:yes:{maya.id}", ana.last())
    today = (await ana.send("/today"))[0]
    assert not any("second person" in line.lower() for line in today.text.splitlines()), (
        "'Ask a second person' is listed after Maya replied"
    )

    sara = await send_request(ana, bot_app, "Sara Ito")
    sara_second = (await pending(bot_app, sara.id, "second_person"))[0]
    assert await fire(bot_app, "second_person", sara.id) == 1
    today = (await ana.send("/today"))[0]
    generic = (
        nudge_rules.KIND_LABELS[nudge_rules.NudgeKind.FIRST_LIST],
        nudge_rules.KIND_LABELS[nudge_rules.NudgeKind.DIGEST],
    )
    about_contacts = [line for line in today_bullets(today) if not any(label in line for label in generic)]
    assert about_contacts, today.text
    for line in about_contacts:
        assert "Maya Chen" in line or "Sara Ito" in line, f"/today line without a name: {line!r}"
    assert any("Sara Ito" in line for line in about_contacts), "Sara's reminder is missing from /today"

    done = next((d for d in callbacks(today) if "done" in d and d.endswith(f":{sara_second.id}")), None)
    assert done is not None, f"no Done button for Sara's reminder in {today.button_labels()}"
    before = set(today.text.splitlines())
    replies = await ana.press_data(done, today)
    news = []
    for message in replies:
        if message.message_id == today.message_id:
            news += [line for line in message.text.splitlines() if line not in before]
        else:
            news += message.text.splitlines()
    assert any("Sara Ito" in line for line in news), f"'Done' doesn't say what was done: {news}"
    assert (await nudge_of(bot_app, sara_second.id)).done_at is not None
    assert_no_error(ana)


# 7. A failed reply -------------------------------------------------------------------------------------


async def test_7_a_failed_reply_does_not_split_data_and_step(ana: ChatDriver, api, bot_app) -> None:
    """Defect 7: a reply that fails after saving leaves the data a step ahead of the conversation."""
    await ana.send("/add")
    api.fail_next("sendMessage", error_code=502, description="Bad Gateway")
    replies = await ana.send("Ana Lee")
    name_prompt = plain(contact_copy.ASK_NAME).splitlines()[0]
    if any(name_prompt in m.text for m in replies):
        await ana.send("Ana Lee")
    else:
        await ana.send("Acme")
    assert len(await contacts_named(bot_app, "Ana Lee")) == 1
    assert await contacts_named(bot_app, "Acme") == [], "the company answer was taken as a new contact's name"


# 8. Answering a button is best effort --------------------------------------------------------------------


async def test_8a_a_failed_callback_answer_does_not_stop_the_action(ana: ChatDriver, api, bot_app) -> None:
    """Defect 8: an expired callback query (answerCallbackQuery 400) makes a button press fail."""
    await onboard(ana)
    nudge_id = await make_user_nudge_due(bot_app, "first_list")
    assert await dispatch_due(bot_app) == 1
    reminder = message_with_callback(ana, f"nd:done:{nudge_id}")
    api.fail_next(
        "answerCallbackQuery",
        error_code=400,
        description="Bad Request: query is too old and response timeout expired or query ID is invalid",
    )
    before = set(api._callbacks)
    await ana.press_data(f"nd:done:{nudge_id}", reminder)
    forget_expired_queries(api, before)
    assert (await nudge_of(bot_app, nudge_id)).done_at is not None
    assert_no_error(ana)


async def test_8b_a_message_that_cannot_be_edited_gets_a_new_one(ana: ChatDriver, api, bot_app) -> None:
    """Defect 8: "message can't be edited" makes a button press end in the generic error."""
    await onboard(ana)
    nudge_id = await make_user_nudge_due(bot_app, "first_list")
    assert await dispatch_due(bot_app) == 1
    reminder = message_with_callback(ana, f"nd:done:{nudge_id}")
    api.fail_next("editMessageText", error_code=400, description="Bad Request: message can't be edited")
    seq = api.last_seq()
    await ana.press_data(f"nd:done:{nudge_id}", reminder)
    assert (await nudge_of(bot_app, nudge_id)).done_at is not None
    assert_no_error(ana)
    new = [e.message for e in api.events_since(seq, ANA.id) if e.kind == "send"]
    assert new, "nothing was shown: the edit failed and no new message was sent"


# 9. Smaller defects ------------------------------------------------------------------------------------


async def test_9a_draft_lists_every_open_contact_with_pages(ana: ChatDriver, bot_app) -> None:
    """Defect 9a: /draft shows only the first 10 people, with no way to reach the rest."""
    names = [f"Person {i:02d}" for i in range(13)]
    await seed(bot_app, *[(n, None) for n in names[:6]], stage="ready")
    await seed(bot_app, *[(n, None) for n in names[6:]], stage="research")
    first = (await ana.send("/draft"))[-1]
    page1 = first.button_labels()
    assert any("next" in label.lower() for label in page1), f"no Next button in {page1}"
    replies = await ana.press("Next", first)
    page2 = [label for m in replies for label in m.button_labels()] or ana.last_with_buttons().button_labels()
    shown = " ".join(page1 + page2)
    missing = [n for n in names if n not in shown]
    assert missing == [], f"never listed: {missing}"
    assert_no_error(ana)


async def test_9b_cancel_while_choosing_the_channel(ana: ChatDriver, bot_app) -> None:
    """Defect 9b: /cancel at the channel choice says "nothing to cancel" and leaves the buttons."""
    await seed(bot_app, ("Maya Chen", "City Hospital"))
    await ana.send("/draft")
    await ana.press("Maya Chen")
    choice = message_with_callback(ana, "dr:k:")
    replies = await ana.send("/cancel")
    assert all(plain(copy.NOTHING_TO_CANCEL) not in m.text for m in replies), "said there was nothing to cancel"
    assert choice.buttons == [], f"the channel buttons are still there: {choice.button_labels()}"
    assert_no_error(ana)


async def test_9c_find_does_not_duplicate_an_existing_contact(ana: ChatDriver, bot_app) -> None:
    """Defect 9c: /find adds a second "Maya Chen, City Hospital" when the same person is typed again."""
    await ana.send("/find")
    await ana.send("Maya Chen, City Hospital")
    await ana.send("maya chen, city hospital")
    mayas = [c for c in await all_contacts(bot_app) if c.name.lower() == "maya chen"]
    assert len(mayas) == 1, f"{len(mayas)} contacts for Maya Chen"
    assert_no_error(ana)


async def test_9d_check_in_after_onboarding_is_the_next_business_morning(ana: ChatDriver, bot_app) -> None:
    """Defect 9d: onboarding on a Thursday afternoon schedules the check-in for Monday, not Friday."""
    thursday_13_berlin = datetime(2026, 12, 3, 13, 0, tzinfo=BERLIN).astimezone(UTC)
    set_clock(bot_app, thursday_13_berlin)
    await onboard(ana)
    nudge = await user_nudge(bot_app, "first_list")
    assert nudge is not None and nudge.status == "pending"
    local = nudge.due_at.astimezone(BERLIN)
    assert local.date() == date(2026, 12, 4), f"check-in on {local:%a %d %b %H:%M}, not Friday 04 Dec"
    assert 8 <= local.hour < 12, f"check-in at {local:%H:%M}, not in the morning"
    assert_no_error(ana)


async def test_9e_an_answered_question_loses_its_buttons(ana: ChatDriver, bot_app) -> None:
    """Defect 9e: a question answered by pressing a button keeps its buttons."""
    await ana.send("/add")
    await ana.send("Lena Park")
    pressed = 0
    for _ in range(12):
        question = ana.last_with_buttons()
        data = callbacks(question)
        if any(d.startswith("ct:") for d in data):  # the finished contact's card
            break
        choices = [d for d in data if d != "ad:skip"]
        await ana.press_data(choices[0] if choices else data[0], question)
        pressed += 1
        assert question.buttons == [], f"answered question still has buttons: {question.text!r}"
    assert pressed >= 3

    lena = await contact_named(bot_app, "Lena Park")
    await ana.press_data(f"dr:rq:{lena.id}", ana.last())
    ask = message_with_callback(ana, "dr:rp:")
    await ana.press_data(f"dr:rp:not_now:{lena.id}", ask)
    assert ask.buttons == [], "the reply question still has buttons"
    assert_no_error(ana)
