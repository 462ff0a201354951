"""Sweeps across every flow: old buttons pressed again, and the bot's replies failing mid-flow.

Stale buttons: drive a flow as a user would while recording every inline button the bot shows (with
the message it was on, before later edits take it away), move the user's state on (a reply logged,
a contact closed, archived or deleted, /cancel), then press every recorded button again on its own
message, that message shown as the user left it (what one press opens, say a "Yes, delete" confirmation,
is put back before the next). Nothing may fail, every press is answered, and no press may schedule a
reminder, move, archive or delete a contact, change a logged reply, mark a draft sent or change a setting.

Faults: at each typed step of each flow the bot's next reply fails once (429, 502, a timeout, a
dropped connection). The user carries on as people do: if the question is still the same (or
nothing came), they send the same answer again; otherwise they answer what is asked next. In the
end the database must hold exactly what the user meant: each record once, each answer in its place;
the flow must be over (a later "thanks!" gets the bot's generic answer and is stored nowhere), and the
fault may cost at most one "Sorry, something went wrong".
"""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable
from copy import deepcopy
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import pytest
from sqlalchemy import func, select
from telegram import Bot
from telegram.error import TimedOut

from bot.dispatcher import Dispatcher
from bot.local_api import LocalBotApi
from bot.local_api.server import SentMessage
from coaching import copy as coach_copy
from coaching.meetings import MeetingFormat
from coaching.profile import STAGE_LABELS
from services import meetings
from storage.models import Base, Contact, DraftRecord, Employer, Nudge, PlanItem, Reflection, User
from storage.uow import UnitOfWork
from tests.conftest import ANA, TOKEN
from tests.driver import ChatDriver

SORRY = coach_copy.SOMETHING_WENT_WRONG
CHANGING_CAREERS = next(str(stage) for stage, label in STAGE_LABELS.items() if label == "Changing careers")
PITCH = "I'm Ana, moving from teaching into UX research, curious how research shapes product decisions."


def factory_of(app):
    return app.bot_data["services"].session_factory


# The user's side of the chat, recording every button the bot shows ---------------------------------------


@dataclass(frozen=True)
class Shown:
    """An inline button as the bot showed it, and the message it was on."""

    message: SentMessage
    data: str
    label: str


class Chat(ChatDriver):
    """A ChatDriver that records each inline button the moment it appears (edits can remove them later)."""

    def __init__(self, api: LocalBotApi, app) -> None:
        super().__init__(api, ANA, processed=app.bot_data["processed"].__contains__)
        self.recording = True
        self.shown: list[Shown] = []
        self._keys: set[tuple[int, str]] = set()

    async def _await_reply(self, act) -> list[SentMessage]:
        messages = await super()._await_reply(act)
        self.record()
        return messages

    def record(self) -> None:
        """Walk the chat and keep every (message, button) not seen before."""
        if not self.recording:
            return
        for message in self.api.chat_messages(self.user.id):
            for row in message.buttons:
                for button in row:
                    data = button.get("callback_data")
                    if data is not None and (message.message_id, data) not in self._keys:
                        self._keys.add((message.message_id, data))
                        self.shown.append(Shown(message, data, button["text"]))

    async def tap(self, label: str, message: SentMessage | None = None, *, exact: bool = False) -> list[SentMessage]:
        """Press the button labelled ``label`` (exactly, or containing it) on ``message`` or the newest keyboard."""
        target = message or self.last_with_buttons()
        for row in target.buttons:
            for button in row:
                text = button["text"]
                if "callback_data" in button and (text == label if exact else label.lower() in text.lower()):
                    return await self.press_data(button["callback_data"], target, label=text)
        raise AssertionError(f"no button {label!r} in {target.button_labels()}")

    def apologies(self) -> list[str]:
        return [m.text for m in self.messages() if SORRY in m.text]


@pytest.fixture
def chat(api: LocalBotApi, bot_app) -> Chat:
    return Chat(api, bot_app)


async def onboard(chat: Chat) -> None:
    await chat.send("/start")
    await chat.tap("Call me Ana")
    await chat.send("UX design in healthcare")
    await chat.send("product designer, UX researcher")
    await chat.tap("Changing careers")
    await chat.send("Berlin")
    await chat.tap("2 a week")
    await chat.send("I want to see how research shapes real product decisions")
    await chat.tap("Use this pitch")


async def add_people(chat: Chat) -> None:
    await onboard(chat)
    await chat.send("/find")
    await chat.send("Maya Chen, City Hospital\nSara Ito, City Hospital")
    await chat.tap("On to employers")
    await chat.tap("Finish")


async def contact_named(app, name: str) -> Contact | None:
    async with UnitOfWork(factory_of(app)) as uow:
        return await uow.session.scalar(select(Contact).where(Contact.user_id == ANA.id, Contact.name == name))


async def fire(app, chat: Chat, kind: str, subject: str = "") -> int:
    """Move time on as tests.test_drafts_e2e.fire does: the pending ``kind`` nudge falls due (quiet hours off)."""
    services = app.bot_data["services"]
    async with UnitOfWork(factory_of(app)) as uow:
        user = await uow.users.get(ANA.id)
        user.quiet_start_minute = user.quiet_end_minute = 0
        nudge = await uow.session.scalar(
            select(Nudge).where(
                Nudge.user_id == ANA.id, Nudge.subject == subject, Nudge.kind == kind, Nudge.status == "pending"
            )
        )
        assert nudge is not None, f"no pending {kind} nudge"
        nudge.due_at = services.clock() - timedelta(minutes=1)
    sent = await Dispatcher(factory_of(app), per_chat_interval=0, clock=lambda: services.clock()).run_once(app.bot)
    chat.record()
    assert sent == 1, f"the {kind} nudge was not sent"
    return sent


# What the database holds, and what a press changed ----------------------------------------------------------


class ContactRow(NamedTuple):
    name: str
    stage: str
    archived: bool
    follow_ups_sent: int
    request_sent_at: datetime | None
    reply: str | None  # a stale "Yes" must not overwrite a logged "No"


class NudgeRow(NamedTuple):
    status: str
    kind: str
    due_at: datetime


USER_FIELDS = (
    "name",
    "field",
    "roles",
    "stage",
    "timezone",
    "goal_count",
    "goal_period",
    "motivation",
    "pitch",
    "quiet_start_minute",
    "quiet_end_minute",
    "paused_at",
    "paused_until",
    "country",
    "digest_weekday",
    "strict_drafts",
    "max_follow_ups",
)
# Conversation steps and scratch data change when a stale note or edit button reopens its prompt: harmless.
UNCOUNTED = {"ptb_conversations", "ptb_data", "inbox"}  # the inbox: a row per update (bot/inbox.py)


@dataclass
class Snapshot:
    counts: dict[str, int]
    contacts: dict[int, ContactRow]
    nudges: dict[int, NudgeRow]
    sent_drafts: dict[int, datetime]
    users: dict[int, tuple]


async def snapshot(app) -> Snapshot:
    async with UnitOfWork(factory_of(app)) as uow:
        session = uow.session
        counts = {
            table.name: await session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }
        contacts = {
            c.id: ContactRow(
                c.name,
                str(c.stage),
                bool(c.archived),
                c.follow_ups_sent,
                c.request_sent_at,
                None if c.reply is None else str(c.reply),
            )
            for c in await session.scalars(select(Contact))
        }
        nudges = {n.id: NudgeRow(str(n.status), str(n.kind), n.due_at) for n in await session.scalars(select(Nudge))}
        sent = {
            d.id: d.sent_at for d in await session.scalars(select(DraftRecord).where(DraftRecord.sent_at.is_not(None)))
        }
        users = {u.id: tuple(getattr(u, name) for name in USER_FIELDS) for u in await session.scalars(select(User))}
    return Snapshot(counts, contacts, nudges, sent, users)


def changes(before: Snapshot, after: Snapshot) -> list[str]:
    """What changed that no stale press may change."""
    found = []
    for table, count in before.counts.items():
        now = after.counts.get(table, 0)
        if table in UNCOUNTED or now == count:
            continue
        # "Another version", "Shorter" and a kind button each store a fresh draft, unsent: nothing goes out,
        # no clock starts. Drafts marked sent are checked below.
        if table == "drafts" and now > count:
            continue
        found.append(f"{table}: {count} -> {now} rows")
    for nudge_id, row in after.nudges.items():
        old = before.nudges.get(nudge_id)
        if row.status == "pending" and (old is None or old.status != "pending"):
            found.append(
                f"nudge {nudge_id} ({row.kind}) is {'new and ' if old is None else ''}pending"
                + (f" (was {old.status})" if old else "")
                + f", due {row.due_at:%Y-%m-%d %H:%M}"
            )
    for contact_id, old in before.contacts.items():
        new = after.contacts.get(contact_id)
        if new is not None and new != old:
            diff = ", ".join(
                f"{field} {getattr(old, field)!r} -> {getattr(new, field)!r}"
                for field in ContactRow._fields
                if getattr(old, field) != getattr(new, field)
            )
            found.append(f"contact {old.name}: {diff}")
    for draft_id, at in after.sent_drafts.items():
        if before.sent_drafts.get(draft_id) != at:
            found.append(f"draft {draft_id} marked sent")
    for user_id, old in before.users.items():
        new = after.users.get(user_id)
        if new is not None and new != old:
            diff = ", ".join(
                f"{name} {a!r} -> {b!r}" for name, a, b in zip(USER_FIELDS, old, new, strict=True) if a != b
            )
            found.append(f"user {user_id}: {diff}")
    return found


# Pressed last: they end a reminder or a contact, and pressed first they would hide what the others do.
FINISHERS = ("nd:done:", "nd:stop:", "ct:delok:")


def screen(api: LocalBotApi, chat_id: int) -> list[tuple[SentMessage, tuple]]:
    """The chat as the user sees it: each message with its text, keyboard and whether it was deleted."""
    return [
        (m, (m.text, m.html, deepcopy(m.entities), deepcopy(m.buttons), m.edits, m.deleted))
        for m in list(api.messages.values())
        if m.chat_id == chat_id
    ]


def restore(saved: list[tuple[SentMessage, tuple]]) -> None:
    """Put the messages back as they were: a sweep press that opened a menu (Move stage, Delete) must not
    turn the next old button (a stage, "Yes, delete") into a current one. The bot is idle meanwhile."""
    for message, (text, html, entities, buttons, edits, deleted) in saved:
        message.text, message.html, message.entities = text, html, deepcopy(entities)
        message.buttons, message.edits, message.deleted = deepcopy(buttons), edits, deleted


async def press_everything_again(chat: Chat, app, *, skip: Callable[[str], bool] = lambda data: False) -> list[str]:
    """Press every recorded button on the message it came from, each on the chat as the user left it;
    return what went wrong, press by press."""
    chat.recording = False
    shown = [s for s in chat.shown if not skip(s.data)]
    shown.sort(key=lambda s: s.data.startswith(FINISHERS))
    assert shown, "the flow showed no buttons"
    problems: list[str] = []
    violations = len(chat.api.violations)
    left = screen(chat.api, chat.user.id)
    for item in shown:
        before = await snapshot(app)
        replies = await chat.press_data(item.data, item.message, label=item.label)
        restore(left)
        after = await snapshot(app)
        where = f"{item.label!r} [{item.data}] on message {item.message.message_id}"
        problems += [f"{where}: {change}" for change in changes(before, after)]
        if any(SORRY in m.text for m in replies):
            problems.append(f"{where}: the bot failed ({SORRY[:30]}…)")
        if chat.api.unanswered_callbacks():
            problems.append(f"{where}: the press was not answered")
        if len(chat.api.violations) > violations:
            problems.append(f"{where}: Telegram would reject {chat.api.violations[violations:]}")
            violations = len(chat.api.violations)
    return problems


def report(problems: list[str], chat: Chat) -> str:
    return f"{len(problems)} problem(s) after pressing {len(chat.shown)} old buttons:\n  " + "\n  ".join(problems)


async def sweep(chat: Chat, app, **kwargs) -> None:
    problems = await press_everything_again(chat, app, **kwargs)
    apologies = chat.apologies()
    if apologies:
        problems.append(f"{len(apologies)} × {SORRY[:30]}… in the chat")
    assert not problems, report(problems, chat)


# Stale buttons, one flow at a time ----------------------------------------------------------------------------


async def test_stale_onboarding_buttons(chat: Chat, bot_app) -> None:
    await onboard(chat)
    await chat.send("/start")  # a known user: keep, edit a detail, or go through everything again
    await chat.tap("Edit a detail")
    await chat.tap("Goal", exact=True)
    await chat.tap("3 a week")
    await chat.send("/start")
    await chat.tap("Go through all questions")
    await chat.tap("Keep: Ana")
    await chat.tap("Keep: UX design")
    chat.recording = False
    await chat.send("/cancel")
    await chat.send("/start")
    await chat.tap("Keep it")
    await sweep(chat, bot_app)


async def test_stale_find_buttons(chat: Chat, bot_app) -> None:
    await onboard(chat)
    await chat.send("/find")
    await chat.send("Maya Chen, City Hospital\nLeo Park, MedTech Labs")
    await chat.tap("Next")
    await chat.send("Sara Ito at City Hospital")
    await chat.tap("On to employers")
    await chat.send("City Hospital\nMedTech Labs")
    await chat.tap("5", exact=True)
    await chat.tap("Yes", exact=True)
    await chat.tap("3", exact=True)
    await chat.tap("No", exact=True)
    await chat.tap("Open my contacts")
    await chat.tap("By employer")
    chat.recording = False
    await chat.send("/find")
    await chat.send("Tom Berg")
    await chat.send("/cancel")
    await sweep(chat, bot_app)


@pytest.mark.parametrize("after", ["idle", "adding_another"])
async def test_stale_add_buttons(chat: Chat, bot_app, after: str) -> None:
    await chat.send_all("/add", "Ana Lee", "Acme Health", "Senior UX researcher")
    await chat.tap("Friend of a friend")
    await chat.send("my old manager Tom")
    await chat.tap("Email", exact=True)
    await chat.send("ana.lee@acme.example")
    await chat.send_all("/add", "ana lee", "ACME HEALTH")
    assert "already have" in chat.last_text()
    await chat.tap("keep both")
    for _ in range(3):
        await chat.tap("Skip")
    await chat.send_all("/add", "Bo Kim", "Acme Health")
    assert "already have" not in chat.last_text()
    await chat.send("/cancel")
    chat.recording = False
    # The user moves on, on fresh messages: Ana Lee is archived, the second Ana Lee deleted.
    ana_lee, twin = (c.id for c in (await contacts_of(bot_app))[:2])
    listing = (await chat.send("/contacts"))[0]
    await chat.press_data(f"ct:c:{ana_lee}", listing)
    await chat.tap("Archive")
    listing = (await chat.send("/contacts"))[0]
    await chat.press_data(f"ct:c:{twin}", listing)
    await chat.tap("Delete")
    await chat.tap("Yes, delete")
    if after == "adding_another":  # in the middle of adding someone else: old /add buttons must not touch them
        await chat.send_all("/add", "Cy Ro")
    await sweep(chat, bot_app)


async def contacts_of(app) -> list[Contact]:
    async with UnitOfWork(factory_of(app)) as uow:
        return list(await uow.session.scalars(select(Contact).where(Contact.user_id == ANA.id).order_by(Contact.id)))


async def test_stale_contact_card_buttons(chat: Chat, bot_app) -> None:
    await chat.send_all("/add", "Ana Lee", "Acme")
    for _ in range(3):
        await chat.tap("Skip")
    await chat.tap("Company notes")
    await chat.send("Launched a patient app in May")
    await chat.tap("About them")
    await chat.send("Spoke at UXConf about research ops")
    await chat.tap("Something to offer")
    await chat.send("An article on clinic workflows")
    await chat.tap("Edit")
    await chat.tap("Role", exact=True)
    await chat.send("Head of research")
    await chat.tap("Move stage")
    await chat.tap("Ready to contact")
    await chat.tap("Archive")
    await chat.tap("Unarchive")
    await chat.tap("Delete")
    await chat.tap("Keep", exact=True)
    await chat.send_all("/add", "Bo Kim", "Acme")
    for _ in range(3):
        await chat.tap("Skip")
    await chat.send("/contacts")
    await chat.tap("Filter by stage")
    await chat.tap("Ready to contact")
    chat.recording = False
    # The user moves on, on fresh messages: Ana Lee is closed and archived, Bo Kim deleted.
    ana_lee, bo_kim = (c.id for c in await contacts_of(bot_app))
    listing = (await chat.send("/contacts"))[0]
    await chat.press_data(f"ct:c:{ana_lee}", listing)
    await chat.tap("Move stage")
    await chat.tap("Closed", exact=True)
    await chat.tap("Archive")
    listing = (await chat.send("/contacts"))[0]
    await chat.press_data(f"ct:c:{bo_kim}", listing)
    await chat.tap("Delete")
    await chat.tap("Yes, delete")
    await chat.send("/cancel")
    await sweep(chat, bot_app)


@pytest.mark.parametrize("after", ["reply_no", "contact_deleted"])
async def test_stale_draft_buttons(chat: Chat, bot_app, after: str) -> None:
    await add_people(chat)
    maya = await contact_named(bot_app, "Maya Chen")
    await chat.send("/draft")
    await chat.tap("Maya Chen")
    await chat.tap("Email", exact=True)
    await chat.skip_why_them()
    first = chat.last()
    await chat.tap("Review", first)
    await chat.tap("Shorter", first)
    shorter = chat.last()
    await chat.tap("Another version", shorter)
    other = chat.last()
    await chat.tap("I sent it", other)
    assert "follow-up clock is running" in chat.last_text()
    await chat.tap("They replied")
    asked = chat.last()
    chat.recording = False
    if after == "reply_no":
        await chat.press_data(f"dr:rp:no:{maya.id}", asked, label="❌ No")
    else:
        listing = (await chat.send("/contacts"))[0]
        await chat.press_data(f"ct:c:{maya.id}", listing)
        await chat.tap("Delete")
        await chat.tap("Yes, delete")
    await chat.send("/cancel")
    await sweep(chat, bot_app)


async def test_stale_nudge_buttons(chat: Chat, bot_app) -> None:
    await add_people(chat)
    maya = await contact_named(bot_app, "Maya Chen")
    await chat.send("/draft")
    await chat.tap("Maya Chen")
    await chat.tap("Email", exact=True)
    await chat.skip_why_them()
    await chat.tap("I sent it", chat.last())

    await fire(bot_app, chat, "first_list")
    await chat.tap("1 week", chat.last())
    await fire(bot_app, chat, "second_person", str(maya.id))
    second = chat.last()
    await chat.tap("Pick a second person", second)
    await chat.tap("Done", second)
    await fire(bot_app, chat, "follow_up", str(maya.id))
    follow_up = chat.last()
    await chat.tap("Draft the follow-up", follow_up)
    await chat.tap("I sent it", chat.last())
    await fire(bot_app, chat, "close_silent", str(maya.id))
    await chat.tap("Draft a closing note", chat.last())
    await chat.tap("I sent it", chat.last())
    await fire(bot_app, chat, "digest")
    await chat.tap("Stop these reminders", chat.last_with_buttons())  # the digest; its chart photo follows it
    chat.recording = False
    # Maya Chen is closed (no reply); the user archives her and moves on.
    listing = (await chat.send("/contacts"))[0]
    await chat.press_data(f"ct:c:{maya.id}", listing)
    await chat.tap("Archive")
    await chat.send("/cancel")
    await sweep(chat, bot_app)


async def test_stale_after_meeting_buttons(chat: Chat, bot_app) -> None:
    """The reflection, its plan, the thank-you and keep-in-touch buttons, pressed again once all is done."""
    await add_people(chat)
    maya = await contact_named(bot_app, "Maya Chen")
    clock = bot_app.bot_data["services"].clock
    async with UnitOfWork(factory_of(bot_app)) as uow:
        booked = await meetings.schedule_meeting(
            uow, ANA.id, maya.id, clock() - timedelta(hours=3), MeetingFormat.VIDEO, None, clock() - timedelta(days=2)
        )
        await uow.nudges.cancel_about(ANA.id, f"m{booked.meeting_id}", ("prep_day", "prep_hour"))  # long past
    await fire(bot_app, chat, "reflect", f"m{booked.meeting_id}")
    await chat.tap("reflect now", chat.last())
    await chat.tap("4", exact=True)
    await chat.send("Teams ship every week")
    await chat.tap("Skip")
    await chat.send("Lead with the data project")
    await chat.tap("Unsure")
    await chat.send("How do people move into research?")
    await chat.tap("Skip")
    await chat.send("Sam Park (Globex)")
    await chat.send("send my portfolio")
    await chat.tap("I sent it", chat.last())
    await chat.send("/today")
    await chat.tap("Résumé or pitch")
    listing = (await chat.send("/contacts"))[0]
    await chat.press_data(f"ct:c:{maya.id}", listing)
    await chat.tap("Keep-in-touch")
    await chat.tap("Every 4 weeks")
    await chat.send("/reflect")
    chat.recording = False
    # The user moves on: Maya is archived, and the meeting's reminder is long settled.
    listing = (await chat.send("/contacts"))[0]
    await chat.press_data(f"ct:c:{maya.id}", listing)
    await chat.tap("Archive")
    await chat.send("/cancel")
    await sweep(chat, bot_app)


async def test_stale_settings_buttons(chat: Chat, bot_app) -> None:
    await onboard(chat)
    await chat.send("/settings")
    await chat.tap("Quiet hours")
    await chat.tap("22:00")
    await chat.tap("Public holidays")
    await chat.tap("Don't skip holidays")
    await chat.tap("Digest day")
    await chat.tap("Thu", exact=True)
    await chat.tap("Follow-ups")
    await chat.tap("2", exact=True)
    await chat.tap("Strict style")
    await chat.tap("Done", exact=True)
    chat.recording = False
    await chat.send("/settings")
    await chat.tap("Done", exact=True)
    await chat.send("/cancel")
    await sweep(chat, bot_app)


# Faults at every typed step -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Say:
    """The user types ``text``; ``step`` names a typed step the fault sweep can break."""

    text: str
    step: str | None = None


@dataclass(frozen=True)
class Tap:
    label: str
    exact: bool = False


async def test_a_slow_answer_times_out_although_the_message_arrived(api: LocalBotApi) -> None:
    """The emulator's slow fault: the call takes effect at once, only its answer is late."""
    api.chats[ANA.id] = ANA
    api.delay_next("sendMessage", 2, chat_id=ANA.id)
    started = time.monotonic()
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(ANA.id, "Which field are you exploring?", read_timeout=0.3)
        assert time.monotonic() - started < 1.5
        assert [m.text for m in api.chat_messages(ANA.id)] == ["Which field are you exploring?"]
        await bot.send_message(ANA.id, "Next one", read_timeout=0.3)  # taken once: the next answer is on time
    assert [m.text for m in api.chat_messages(ANA.id)][-1] == "Next one"


TIMEOUT_DELAY = 6  # seconds: longer than python-telegram-bot's default read timeout (5 s), as short as that allows

FAULTS: dict[str, Callable[[LocalBotApi], None]] = {
    "429": lambda api: api.fail_next(
        "sendMessage", error_code=429, description="Too Many Requests: retry after 1", retry_after=1, chat_id=ANA.id
    ),
    "502": lambda api: api.fail_next("sendMessage", error_code=502, description="Bad Gateway", chat_id=ANA.id),
    "dropped": lambda api: api.fail_next("sendMessage", error_code=None, chat_id=ANA.id),
    # Telegram delivers the message but answers too late: the bot sees a timeout for a send that worked.
    "timeout": lambda api: api.delay_next("sendMessage", TIMEOUT_DELAY, chat_id=ANA.id),
}

ONBOARDING = [
    Say("/start"),
    Say("Ana", "name"),
    Say("UX design in healthcare", "field"),
    Say("product designer, UX researcher", "roles"),
    Tap("Changing careers"),
    Say("Berlin"),
    Say("2 a week", "goal"),
    Say("I want to see how research shapes real product decisions", "motivation"),
    Say(PITCH, "pitch"),
]
ADD = [
    Say("/add"),
    Say("Ana Lee", "name"),
    Say("Acme Health", "company"),
    Say("Senior UX researcher", "role"),
    Tap("Friend of a friend"),
    Say("my old manager Tom", "via"),
    Tap("Email", exact=True),
    Say("ana.lee@acme.example", "handle"),
]
FIND = [
    Say("/find"),
    Say("Maya Chen, City Hospital\nSara Ito, City Hospital", "names"),
    Tap("On to employers"),
    Say("City Hospital\nAcme Health", "employers"),
    Tap("5", exact=True),
    Tap("Yes", exact=True),
    Tap("3", exact=True),
    Tap("No", exact=True),
]
NOTE = [
    Say("/add"),
    Say("Ana Lee"),
    Say("Acme Health"),
    Tap("Skip"),
    Tap("Skip"),
    Tap("Skip"),
    Tap("About them"),
    Say("Spoke at UXConf about research ops", "note"),
]
REFERRAL = [
    *ONBOARDING,
    Say("/add"),
    Say("Maya Chen"),
    Say("City Hospital"),
    Tap("Skip"),
    Tap("Skip"),
    Tap("Skip"),
    Tap("Draft a request"),
    Tap("Email", exact=True),
    Say("your talk on research ops at UXConf", "why_them"),
    Tap("I sent it"),
    Tap("They replied"),
    Tap("Referred me"),
    Say("Sam Ortiz, Regional Clinic", "referral"),
]
REFLECT = [
    *ONBOARDING,
    Say("/add"),
    Say("Maya Chen"),
    Say("City Hospital"),
    Tap("Skip"),
    Tap("Skip"),
    Tap("Skip"),
    *(
        step
        for label in ("Ready to contact", "Request sent", "Meeting scheduled", "Met")
        for step in (Tap("Move stage"), Tap(label, exact=True))
    ),  # fmt: skip
    Tap("Reflection"),
    Tap("4", exact=True),
    Say("Teams ship every week", "learned"),
    Tap("Skip"),
    Say("Lead with the data project", "resume"),
    Tap("Unsure"),
    Say("How do people move into research?", "open_questions"),
    Say("A team that reviews each other's work", "matters"),
    Say("Sam Park (Globex)", "referrals"),
    Say("send my portfolio", "promised"),
]
SETTINGS = [*ONBOARDING, Say("/settings"), Tap("Quiet hours"), Say("22-7", "quiet_hours"), Tap("Done", exact=True)]

FLOWS = {
    "onboarding": ONBOARDING,
    "add": ADD,
    "find": FIND,
    "note": NOTE,
    "referral": REFERRAL,
    "settings": SETTINGS,
    "reflect": REFLECT,
}
STEPS = [
    (flow, step.step)
    for flow, script in FLOWS.items()
    for step in script
    if isinstance(step, Say) and step.step and not (flow in ("referral", "settings", "reflect") and step in ONBOARDING)
]
# A timeout costs the bot's whole read timeout (5 s) each time, so by default it runs on four representative
# steps, one per handler module (onboarding, /add, /find, the card's notes); INFOCOACH_SWEEP_ALL_TIMEOUTS=1 runs
# it on every typed step (about 80 s more).
TIMEOUT_STEPS = (
    STEPS
    if os.environ.get("INFOCOACH_SWEEP_ALL_TIMEOUTS")
    else [("onboarding", "field"), ("add", "name"), ("find", "employers"), ("note", "note")]
)
CASES = [
    pytest.param(flow, step, fault, id=f"{flow}-{step}-{fault}")
    for flow, step in STEPS
    for fault in ("429", "502", "dropped")
]
CASES += [pytest.param(flow, step, "timeout", id=f"{flow}-{step}-timeout") for flow, step in TIMEOUT_STEPS]
MAX_SENDS = 3  # the same answer at most three times, as a patient person would


def latest_question(chat: Chat, since_seq: int | None = None) -> SentMessage | None:
    """The newest message the bot sent (since ``since_seq``), apologies aside."""
    if since_seq is None:
        messages = [m for m in chat.messages() if SORRY not in m.text]
    else:
        messages = [
            e.message
            for e in chat.api.events_since(since_seq, chat.user.id)
            if e.kind == "send" and e.message is not None and not e.message.deleted and SORRY not in e.message.text
        ]
    return messages[-1] if messages else None


async def play(chat: Chat, script: list, *, faulted: str | None = None, fault: str | None = None) -> list[str]:
    """Play ``script`` as a user would, breaking the bot's reply at the ``faulted`` step; returns what the user noticed."""
    notes: list[str] = []
    for action in script:
        if isinstance(action, Tap):
            try:
                await chat.tap(action.label, exact=action.exact)
            except AssertionError as missing:  # lost in the flow: a person would look for it, not find it, move on
                notes.append(f"could not tap {action.label!r}: {missing}")
            continue
        if faulted is not None and action.step == faulted:
            requests = len(chat.api.requests)
            FAULTS[fault](chat.api)
        for attempt in range(1, MAX_SENDS + 1):
            asked = latest_question(chat)
            seq = chat.api.last_seq()
            await chat.send(action.text)
            answer = latest_question(chat, seq)
            if answer is not None and (asked is None or answer.text != asked.text):
                break
            if attempt < MAX_SENDS:
                notes.append(
                    f"sent {action.text!r} again: " + ("nothing came back" if answer is None else "same question")
                )
        if faulted is not None and action.step == faulted:
            assert any(
                method.lower() == "sendmessage" and params.get("chat_id") == ANA.id
                for method, params in chat.api.requests[requests:]
            ), "the fault was never triggered"
    return notes


async def user_row(app) -> User | None:
    async with UnitOfWork(factory_of(app)) as uow:
        return await uow.users.get(ANA.id)


async def pending_nudges(app) -> list[tuple[str, str]]:
    async with UnitOfWork(factory_of(app)) as uow:
        rows = await uow.session.scalars(select(Nudge).where(Nudge.user_id == ANA.id, Nudge.status == "pending"))
        return sorted((str(n.kind), n.subject) for n in rows)


async def employers_of(app) -> list[Employer]:
    async with UnitOfWork(factory_of(app)) as uow:
        return list(await uow.session.scalars(select(Employer).where(Employer.user_id == ANA.id).order_by(Employer.id)))


def compare(what: str, actual: Any, expected: Any) -> list[str]:
    return [] if actual == expected else [f"{what}: {actual!r}, expected {expected!r}"]


async def onboarding_problems(app) -> list[str]:
    user = await user_row(app)
    if user is None:
        return ["no user row"]
    found = []
    for field, expected in (
        ("name", "Ana"),
        ("field", "UX design in healthcare"),
        ("roles", "product designer, UX researcher"),
        ("stage", CHANGING_CAREERS),
        ("timezone", "Europe/Berlin"),
        ("goal_count", 2),
        ("goal_period", "week"),
        ("motivation", "I want to see how research shapes real product decisions"),
        ("pitch", PITCH),
    ):
        value = getattr(user, field)
        found += compare(
            f"user.{field}", None if value is None else (value if isinstance(value, int) else str(value)), expected
        )
    if user.onboarded_at is None:
        found.append("onboarding never finished (onboarded_at is empty)")
    return found


def contact_fields(contacts: list[Contact], name: str, **expected) -> list[str]:
    """The fields of the contact called ``name`` (of several, the one closest to what was meant)."""
    candidates = [c for c in contacts if c.name == name]
    if not candidates:
        return []

    def mismatches(contact: Contact) -> list[str]:
        found = []
        for field, value in expected.items():
            actual = getattr(contact, field)
            found += compare(f"{name}.{field}", None if actual is None else str(actual), value)
        return found

    return min((mismatches(c) for c in candidates), key=len)


async def add_problems(app) -> list[str]:
    contacts = await contacts_of(app)
    found = compare("contacts", [c.name for c in contacts], ["Ana Lee"])
    found += contact_fields(
        contacts,
        "Ana Lee",
        company="Acme Health",
        role="Senior UX researcher",
        relation="fof",
        via="my old manager Tom",
        channel="email",
        handle="ana.lee@acme.example",
    )
    return found


async def find_problems(app) -> list[str]:
    contacts = await contacts_of(app)
    employers = await employers_of(app)
    found = compare(
        "contacts",
        sorted((c.name, c.company) for c in contacts),
        [("Maya Chen", "City Hospital"), ("Sara Ito", "City Hospital")],
    )
    found += compare(
        "employers (name, motivation, knows someone)",
        sorted((e.name, e.motivation, e.knows_someone) for e in employers),
        [("Acme Health", 3, False), ("City Hospital", 5, True)],
    )
    hospital = [e.id for e in employers if e.name == "City Hospital"]
    unlinked = [c.name for c in contacts if c.company == "City Hospital" and c.employer_id not in hospital]
    found += compare("contacts not linked to City Hospital", unlinked, [])
    return found


async def note_problems(app) -> list[str]:
    contacts = await contacts_of(app)
    found = compare("contacts", [c.name for c in contacts], ["Ana Lee"])
    found += contact_fields(
        contacts, "Ana Lee", company="Acme Health", person_notes="Spoke at UXConf about research ops"
    )
    return found


async def referral_problems(app) -> list[str]:
    contacts = await contacts_of(app)
    found = await onboarding_problems(app)
    found += compare(
        "contacts",
        sorted((c.name, c.company) for c in contacts),
        [("Maya Chen", "City Hospital"), ("Sam Ortiz", "Regional Clinic")],
    )
    maya = next((c for c in contacts if c.name == "Maya Chen"), None)
    found += contact_fields(contacts, "Sam Ortiz", via="Maya Chen", referred_by_id=str(maya.id) if maya else None)
    found += contact_fields(contacts, "Maya Chen", reply="referred", why_them="your talk on research ops at UXConf")
    return found


async def settings_problems(app) -> list[str]:
    user = await user_row(app)
    found = await onboarding_problems(app)
    if user is not None:
        found += compare("quiet hours", (user.quiet_start_minute, user.quiet_end_minute), (22 * 60, 7 * 60))
    found += compare("pending reminders", await pending_nudges(app), [("digest", ""), ("first_list", "")])
    return found


async def reflect_problems(app) -> list[str]:
    """One finished reflection with every answer in its place, its plan, Sam as Maya's referral, one thank-you."""
    found = await onboarding_problems(app)
    async with UnitOfWork(factory_of(app)) as uow:
        reflections = list(await uow.session.scalars(select(Reflection)))
        plan = sorted(item.kind for item in await uow.session.scalars(select(PlanItem)))
    answers = [
        (r.rating, r.learned, r.looking_for, r.resume, r.still_field, r.open_questions, r.matters, r.referrals,
         r.promised, r.finished_at is not None)
        for r in reflections
    ]  # fmt: skip
    expected = (4, "Teams ship every week", None, "Lead with the data project", "unsure",
                "How do people move into research?", "A team that reviews each other's work", "Sam Park (Globex)",
                "send my portfolio", True)  # fmt: skip
    found += compare("reflections", answers, [expected])
    found += compare("plan", plan, ["ask", "explore", "reach", "resume", "send"])
    contacts = await contacts_of(app)
    maya = next((c for c in contacts if c.name == "Maya Chen"), None)
    found += contact_fields(contacts, "Sam Park", company="Globex", referred_by_id=str(maya.id) if maya else None)
    found += compare("pending reminders", [k for k, _s in await pending_nudges(app) if k == "thank_you"], ["thank_you"])
    return found


async def onboarding_with_nudges(app) -> list[str]:
    return await onboarding_problems(app) + compare(
        "pending reminders", await pending_nudges(app), [("digest", ""), ("first_list", "")]
    )


EXPECTED: dict[str, Callable[[Any], Awaitable[list[str]]]] = {
    "onboarding": onboarding_with_nudges,
    "add": add_problems,
    "find": find_problems,
    "note": note_problems,
    "referral": referral_problems,
    "settings": settings_problems,
    "reflect": reflect_problems,
}


GENERIC_ANSWERS = (coach_copy.UNKNOWN_TEXT[:40], coach_copy.UNKNOWN_TEXT_NEW_USER[:40])


async def flow_left_open(chat: Chat) -> list[str]:
    """Every script ends outside any flow; a stray "thanks!" then gets the generic answer, and is stored nowhere."""
    replies = await chat.send("thanks!")
    if any(m.text.startswith(GENERIC_ANSWERS) for m in replies):
        return []
    shown = " / ".join(m.text[:80] for m in replies) or "nothing"
    return [f"the flow did not end: a later 'thanks!' was taken as an answer (the bot said: {shown})"]


@pytest.mark.parametrize("flow", list(FLOWS))
async def test_fault_free_run(chat: Chat, bot_app, flow: str) -> None:
    """The harness itself: with no fault, each flow plays straight through to exactly the records meant."""
    notes = await play(chat, FLOWS[flow])
    assert notes == [], notes
    assert await flow_left_open(chat) == []
    assert await EXPECTED[flow](bot_app) == []
    assert chat.apologies() == []


@pytest.mark.parametrize(("flow", "step", "fault"), CASES)
async def test_fault_at_each_typed_step(chat: Chat, bot_app, flow: str, step: str, fault: str) -> None:
    if fault == "timeout":
        assert bot_app.bot.request.read_timeout < TIMEOUT_DELAY, "the slow answer must outlast the bot's read timeout"
    notes = await play(chat, FLOWS[flow], faulted=step, fault=fault)
    left_open = await flow_left_open(chat)
    problems = await EXPECTED[flow](bot_app) + left_open
    apologies = chat.apologies()
    if len(apologies) > 1:  # the broken reply may cost one apology; anything after it is a failure of its own
        problems.append(f"{len(apologies)} × '{SORRY[:30]}…': the bot failed again after the fault")
    assert not problems, "\n  ".join(
        [f"after a {fault} at {flow}/{step}:", *problems, "what the user noticed:", *(notes or ["nothing"])]
    )
