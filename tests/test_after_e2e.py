"""After the meeting, end to end: the reflect reminder, the reflection and its plan, the thank-you and its
timing, reporting back and keeping in touch, the "not now" re-ask, /insights with its chart, and stale,
doubled, forged and restarted presses. Everything goes through the real application and the strict local
Bot API; time moves by setting the application's clock and running the nudge dispatcher at that moment.

On PostgreSQL: set INFOCOACH_TEST_DATABASE_URL (see tests/conftest.py); SQLite is the default.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.dispatcher import Dispatcher
from bot.local_api import LocalBotApi
from coaching.copy import SOMETHING_WENT_WRONG
from coaching.enums import Stage
from services import after
from services.charts import chart_data, render_progress_png
from storage.models import Contact, Meeting, Nudge, PlanItem, Reflection
from storage.uow import UnitOfWork
from tests.conftest import ANA, driver_for, running_app
from tests.driver import BotMessage, ChatDriver
from tests.test_drafts_e2e import add_people, factory_of

BERLIN = ZoneInfo("Europe/Berlin")
# Monday 30 November 2026, 20:00 UTC (21:00 in Berlin): Ana is onboarded and has her list.
NOW = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
REMINDER = "How did your conversation with"
THANK_YOU_REMINDER = "A day has passed since your talk with"
REPORT_BACK_REMINDER = "A few weeks since you thanked"
TOUCH_REMINDER = "Time for a short hello to"
TOUCH_OVERDUE = "It's been a while since you were in touch with"
ANSWER_FIELDS = (
    "rating",
    "learned",
    "looking_for",
    "resume",
    "still_field",
    "open_questions",
    "matters",
    "referrals",
    "promised",
)
PNG = b"\x89PNG\r\n\x1a\n"


# Time ------------------------------------------------------------------------------------------------------


def berlin(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    """A Berlin wall-clock moment, in UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


def set_clock(app, moment: datetime) -> None:
    """The application's clock (handlers and services read it) stands at ``moment``."""
    app.bot_data["services"].clock = lambda: moment


async def dispatch(app, moment: datetime) -> int:
    """Time has moved to ``moment``: send what is due then, as the periodic job would."""
    set_clock(app, moment)
    dispatcher = Dispatcher(factory_of(app), per_chat_interval=0, clock=lambda: moment)
    return await dispatcher.run_once(app.bot)


# Reading the chat and the database -----------------------------------------------------------------------


def with_text(chat: ChatDriver, text: str) -> list[BotMessage]:
    return [m for m in chat.messages() if text in m.text]


def button_data(message: BotMessage, label: str) -> str:
    for row in message.buttons:
        for button in row:
            if label.lower() in button["text"].lower():
                return button["callback_data"]
    raise AssertionError(f"no button {label!r} in {message.button_labels()}")


def callback_answers(api: LocalBotApi) -> list[str]:
    """The texts the bot answered button presses with (toasts), oldest first."""
    return [params.get("text") or "" for method, params in api.requests if method == "answerCallbackQuery"]


def assert_no_errors(chat: ChatDriver) -> None:
    broken = [m.text for m in chat.messages() if SOMETHING_WENT_WRONG in m.text]
    assert not broken, "a handler failed (the error handler apologised):\n" + "\n".join(chat.transcript[-12:])


async def contact(app, name: str) -> Contact:
    async with UnitOfWork(factory_of(app)) as uow:
        found = await uow.session.scalar(select(Contact).where(Contact.user_id == ANA.id, Contact.name == name))
    assert found is not None, f"no contact {name!r}"
    return found


async def stage_of(app, name: str) -> str:
    return (await contact(app, name)).stage


async def nudges(app, kind: str, status: str | None = None) -> list[Nudge]:
    async with UnitOfWork(factory_of(app)) as uow:
        query = select(Nudge).where(Nudge.user_id == ANA.id, Nudge.kind == kind)
        if status is not None:
            query = query.where(Nudge.status == status)
        return list(await uow.session.scalars(query.order_by(Nudge.due_at)))


async def the_meeting(app, name: str = "Maya Chen") -> Meeting:
    who = await contact(app, name)
    async with UnitOfWork(factory_of(app)) as uow:
        found = await uow.session.scalar(
            select(Meeting).where(Meeting.contact_id == who.id).order_by(Meeting.id.desc()).limit(1)
        )
    assert found is not None, f"no meeting with {name}"
    return found


async def reflections(app) -> list[Reflection]:
    async with UnitOfWork(factory_of(app)) as uow:
        return list(await uow.session.scalars(select(Reflection).order_by(Reflection.id)))


async def plan_items(app) -> list[PlanItem]:
    async with UnitOfWork(factory_of(app)) as uow:
        return list(await uow.session.scalars(select(PlanItem).order_by(PlanItem.id)))


# Getting there ---------------------------------------------------------------------------------------------


async def people_who_said_yes(chat: ChatDriver, app, *names: str, said_yes: bool = True) -> None:
    """Ana (Berlin) with Maya Chen and Sara Ito; ``names`` were asked last week and said yes (or, with
    ``said_yes=False``, no reply was logged: Ana booked the call straight away)."""
    set_clock(app, NOW)
    await add_people(chat)
    async with UnitOfWork(factory_of(app)) as uow:
        for name in names or ("Maya Chen",):
            person = await uow.session.scalar(select(Contact).where(Contact.user_id == ANA.id, Contact.name == name))
            person.stage, person.request_sent_at = Stage.REQUESTED, NOW - timedelta(days=3)
            if said_yes:
                person.reply, person.replied_at = "yes", NOW - timedelta(hours=2)


async def book(chat: ChatDriver, when: str, name: str = "Maya Chen") -> None:
    """/meeting with ``name`` at ``when`` (typed, Ana's time), a 30-minute video call."""
    await chat.send("/meeting")
    await chat.press(name)
    assert "When is your conversation" in chat.last_text()
    await chat.send(when)
    assert "Is that right?" in chat.last_text(), chat.last_text()
    await chat.press("Yes")
    await chat.press("Video call")
    await chat.send("https://meet.example.com/abc")
    assert with_text(chat, f"Booked: {name}"), "the meeting was not booked"


async def reflect_reminder(chat: ChatDriver, app, at: datetime) -> BotMessage:
    """Dispatch at ``at`` and return the one "how did it go?" reminder."""
    await dispatch(app, at)
    found = with_text(chat, REMINDER)
    assert len(found) == 1, f"expected one reflect reminder, got {len(found)}"
    return found[0]


SKIP = None


class Tap(str):
    """An answer given with a button (its label), not typed."""


async def answer_all(chat: ChatDriver, answers: list[str | None]) -> None:
    """Answer the open reflection's questions in turn: typed text, a Tap(label), or SKIP."""
    for number, value in enumerate(answers, 1):
        assert f"question {number} of 9" in chat.last_with_buttons().text, chat.last_text()
        if value is SKIP:
            await chat.press("Skip")
        elif isinstance(value, Tap):
            await chat.press(value)
        else:
            await chat.send(value)


FULL = [
    Tap("4"),
    "Teams ship every week; writing skills matter more than I thought",
    "People who can show a project end to end",
    "Lead with the data project",
    Tap("Unsure"),
    "How do people move from support into product?",
    "A team that reviews each other's work",
    "Sam Park (Globex)\nLena Fischer at Initech",
    "send my portfolio",
]


async def met_and_reflected(chat: ChatDriver, app, answers: list[str | None], *, said_yes: bool = True) -> BotMessage:
    """Maya said yes, the Thursday 15:00 call happened, and Ana reflected from the reminder at 16:30.
    Returns the thank-you note (with its "I sent it")."""
    await people_who_said_yes(chat, app, said_yes=said_yes)
    await book(chat, "Thursday 3 Dec 15:00")
    reminder = await reflect_reminder(chat, app, berlin(12, 3, 16, 30))
    await chat.press("reflect now", reminder)
    await answer_all(chat, answers)
    notes = with_text(chat, "Thank-you note for Maya Chen")
    assert len(notes) == 1, "the thank-you draft follows the summary"
    return notes[0]


async def open_card(chat: ChatDriver, name: str) -> BotMessage:
    await chat.send("/contacts")
    await chat.press(name)
    card = chat.last()
    assert name in card.text, card.text
    return card


async def press_twice_at_once(chat: ChatDriver, message: BotMessage, data: str) -> None:
    """A double tap: both presses are queued before the bot has answered the first."""
    ids = [chat.api.press_from(chat.user, message, data) for _ in range(2)]
    deadline = time.monotonic() + 15
    while not all(chat.processed(update_id) for update_id in ids):
        assert time.monotonic() < deadline, "the double tap was not processed"
        await asyncio.sleep(0.01)


async def send_request(chat: ChatDriver, name: str = "Maya Chen") -> None:
    await chat.send("/draft")
    await chat.press(name)
    await chat.press("Email")
    await chat.skip_why_them()
    await chat.press("I sent it", chat.last())
    assert "follow-up clock is running" in chat.last_text()


async def reflect_on(chat: ChatDriver, name: str, answers: list[str | None]) -> None:
    """/reflect, pick ``name`` if asked, answer."""
    await chat.send("/reflect")
    if "Which conversation" in chat.last_text():
        await chat.press(name)
    await answer_all(chat, answers)


# 1. The reflect reminder's timing -------------------------------------------------------------------------


async def test_the_reflect_reminder_comes_an_hour_after_the_end_with_a_button_into_the_reflection(
    ana: ChatDriver, bot_app
) -> None:
    """Protects the "how did it go?" moment: not before an hour after the end (16:30 for a 15:00-15:30 call in
    Berlin), then exactly once, and its button opens question 1 of the reflection directly."""
    await people_who_said_yes(ana, bot_app)
    await book(ana, "Thursday 3 Dec 15:00")
    await dispatch(bot_app, berlin(12, 3, 15, 31))  # the call has just ended
    await dispatch(bot_app, berlin(12, 3, 16, 29))
    assert with_text(ana, REMINDER) == [], "the reflect reminder came before an hour had passed since the end"
    reminder = await reflect_reminder(ana, bot_app, berlin(12, 3, 16, 30))
    assert "How did your conversation with Maya Chen go?" in reminder.text
    meeting = await the_meeting(bot_app)
    assert button_data(reminder, "reflect now") == f"rf:go:{meeting.id}", "the button starts the reflection"
    await dispatch(bot_app, berlin(12, 3, 18, 0))
    assert len(with_text(ana, REMINDER)) == 1, "the reflect reminder came twice"
    await ana.press("reflect now", reminder)
    assert "Maya Chen · question 1 of 9" in ana.last_text()
    assert (await the_meeting(bot_app)).status == "happened", "starting the reflection settles the meeting"
    assert await stage_of(bot_app, "Maya Chen") == "met"
    assert_no_errors(ana)


async def test_a_meeting_ending_at_half_past_eight_is_reflected_on_next_morning(ana: ChatDriver, bot_app) -> None:
    """Protects quiet hours (21-08): a call ending at 20:30 gets its reminder at 08:00 the next morning, not at
    21:30 or in the night."""
    await people_who_said_yes(ana, bot_app)
    await book(ana, "Thursday 3 Dec 20:00")
    [planned] = await nudges(bot_app, "reflect")
    assert planned.due_at == berlin(12, 4, 8, 0), f"planned for {planned.due_at.astimezone(BERLIN)}"
    for night in (berlin(12, 3, 21, 30), berlin(12, 4, 2, 0), berlin(12, 4, 7, 59)):
        await dispatch(bot_app, night)
        assert with_text(ana, REMINDER) == [], f"a reflect reminder at night ({night.astimezone(BERLIN):%H:%M})"
    await reflect_reminder(ana, bot_app, berlin(12, 4, 8, 0))
    assert_no_errors(ana)


# 2. A full reflection -------------------------------------------------------------------------------------


async def test_a_full_reflection_makes_a_plan_adds_the_referrals_and_drafts_the_thank_you(
    ana: ChatDriver, api, bot_app
) -> None:
    """Protects what a reflection produces: the plan (résumé, the promise, the two people, and "compare
    elsewhere" after Unsure), the referrals as contacts linked to Maya (a draft to them names her first), the
    thank-you citing what was learned and promised, and the plan in /today, ticked off once."""
    note = await met_and_reflected(ana, bot_app, FULL)
    summary = with_text(ana, "Reflection saved: Maya Chen")[0].text
    for expected in (
        "Résumé or pitch: Lead with the data project",
        "For Maya Chen: send my portfolio",
        "Reach out to Sam Park (Globex)",
        "Reach out to Lena Fischer (Initech)",
        "another company or department",
    ):
        assert expected in summary, f"{expected!r} missing from the summary:\n{summary}"

    maya = await contact(bot_app, "Maya Chen")
    sam, lena = await contact(bot_app, "Sam Park"), await contact(bot_app, "Lena Fischer")
    assert (sam.company, lena.company) == ("Globex", "Initech")
    assert sam.referred_by_id == maya.id and lena.referred_by_id == maya.id, "referrals are linked to Maya"
    [reflection] = await reflections(bot_app)
    assert reflection.finished_at is not None and reflection.rating == 4 and reflection.still_field == "unsure"

    assert "Teams ship every week" in note.text, "the thank-you names one thing they said"
    assert "send my portfolio" in note.text, "the thank-you mentions the promise"
    assert "[" not in note.text and "I sent it" in " ".join(note.button_labels())

    await ana.send("/draft")
    await ana.press("Sam Park")
    await ana.press("Email")
    await ana.skip_why_them()
    draft = ana.last().text
    body = [line for line in draft.splitlines()[1:] if line.strip()]
    assert body[0].endswith("Sam,"), draft
    assert "Maya Chen" in body[1] and "suggested" in body[1], f"the referrer does not come first:\n{draft}"

    today = (await ana.send("/today"))[-1]
    for item in ("send my portfolio", "Lead with the data project", "Sam Park (Globex)", "another company"):
        assert item in today.text, f"plan item {item!r} missing from /today"
    tick = button_data(today, "send my portfolio")
    assert tick.startswith("af:p:")
    await ana.press("send my portfolio", today)
    assert "Done: For Maya Chen: send my portfolio" in ana.last_text()
    assert "send my portfolio" not in (await ana.send("/today"))[-1].text, "a ticked-off step stays in /today"
    done_messages = len(with_text(ana, "Done: For Maya Chen"))
    await ana.press_data(tick, today)
    assert callback_answers(api)[-1].startswith("Nothing to tick off"), "a second tick must say it's done already"
    assert len(with_text(ana, "Done: For Maya Chen")) == done_messages
    items = [i for i in await plan_items(bot_app) if "portfolio" in i.text]
    assert len(items) == 1 and items[0].done_at is not None

    assert "Thank Maya Chen" in today.text, "the thank-you owed is in /today"
    await ana.press("I sent it", note)
    assert "Thank Maya Chen" not in (await ana.send("/today"))[-1].text, "a sent thank-you stays in /today"
    assert_no_errors(ana)


# 3. The thank-you and what follows it -------------------------------------------------------------------


async def test_no_thank_you_within_a_day_brings_exactly_one_reminder(ana: ChatDriver, bot_app) -> None:
    """Protects the single thank-you reminder: 24 hours after the end (15:30 Friday), once, however often the
    dispatcher runs over the following days."""
    await people_who_said_yes(ana, bot_app)
    await book(ana, "Thursday 3 Dec 15:00")
    reminder = await reflect_reminder(ana, bot_app, berlin(12, 3, 16, 30))
    await ana.press("reflect now", reminder)  # it happened; Ana leaves the questions for later
    await dispatch(bot_app, berlin(12, 4, 15, 29))
    assert with_text(ana, THANK_YOU_REMINDER) == [], "the thank-you reminder came before 24 hours had passed"
    await dispatch(bot_app, berlin(12, 4, 15, 30))
    assert len(with_text(ana, THANK_YOU_REMINDER)) == 1, "no thank-you reminder 24 hours after the end"
    for later in (berlin(12, 4, 18, 0), berlin(12, 5, 10, 0), berlin(12, 7, 10, 0), berlin(12, 12, 10, 0)):
        await dispatch(bot_app, later)
    assert len(with_text(ana, THANK_YOU_REMINDER)) == 1, "the thank-you reminder came more than once"
    assert len(await nudges(bot_app, "thank_you")) == 1
    [reminder] = with_text(ana, THANK_YOU_REMINDER)
    await ana.press("thank-you draft", reminder)
    assert "Thank-you note for Maya Chen" in ana.last_text() and "Hi Maya," in ana.last_text()
    await ana.press("Done", reminder)  # Done on the reminder: the thank-you went out
    maya = await contact(bot_app, "Maya Chen")
    assert maya.thanked_at == berlin(12, 12, 10, 0) and maya.stage == Stage.THANKED
    assert len(await nudges(bot_app, "report_back", "pending")) == 1, "Done on the thank-you plans the report back"
    assert_no_errors(ana)


async def test_a_prompt_thank_you_leads_to_report_back_then_keep_in_touch_at_ideal_then_maximum(
    ana: ChatDriver, bot_app
) -> None:
    """Protects the chain after "I sent it" within a day: no thank-you reminder; a report-back 4 weeks later in
    the local morning; its Done plans keep in touch 6 weeks on; ignored, the next one comes at the maximum
    (91 days after the last interaction), overdue-worded."""
    note = await met_and_reflected(ana, bot_app, [Tap("5"), *[SKIP] * 8])
    thanked_at = berlin(12, 3, 18, 0)
    set_clock(bot_app, thanked_at)
    await ana.press("I sent it", note)
    assert "Thank-you logged for Maya Chen" in ana.last_text()
    assert await stage_of(bot_app, "Maya Chen") == "thanked"
    for moment in (berlin(12, 4, 15, 30), berlin(12, 5, 10, 0), berlin(12, 10, 10, 0)):
        await dispatch(bot_app, moment)
    assert with_text(ana, THANK_YOU_REMINDER) == [], "a thank-you reminder after the thank-you was logged"

    [report] = await nudges(bot_app, "report_back", "pending")
    local = report.due_at.astimezone(BERLIN)
    assert local.date() == (thanked_at + timedelta(weeks=4)).astimezone(BERLIN).date() and local.hour == 9, local
    await dispatch(bot_app, report.due_at - timedelta(minutes=1))
    assert with_text(ana, REPORT_BACK_REMINDER) == []
    await dispatch(bot_app, report.due_at)
    [reminder] = with_text(ana, REPORT_BACK_REMINDER)
    done_at = report.due_at + timedelta(minutes=5)
    set_clock(bot_app, done_at)
    await ana.press("Done", reminder)
    assert "Done" in ana.last_text()
    assert await stage_of(bot_app, "Maya Chen") == Stage.KEEPING_IN_TOUCH

    [touch] = await nudges(bot_app, "keep_in_touch", "pending")
    local = touch.due_at.astimezone(BERLIN)
    assert local.date() == (done_at + timedelta(weeks=6)).astimezone(BERLIN).date() and local.hour == 9, local
    await dispatch(bot_app, touch.due_at)
    assert len(with_text(ana, TOUCH_REMINDER)) == 1, "the keep-in-touch reminder did not come at 6 weeks"
    [following] = await nudges(bot_app, "keep_in_touch", "pending")
    local = following.due_at.astimezone(BERLIN)
    expected = (done_at + timedelta(days=91)).astimezone(BERLIN).date()
    assert local.date() == expected and local.hour == 9, f"next keep-in-touch {local}, expected {expected} 09:00"
    await dispatch(bot_app, following.due_at - timedelta(days=1))
    assert with_text(ana, TOUCH_OVERDUE) == []
    await dispatch(bot_app, following.due_at)
    assert len(with_text(ana, TOUCH_OVERDUE)) == 1, "the keep-in-touch reminder at the maximum did not come"
    assert len(with_text(ana, TOUCH_REMINDER)) == 1
    assert_no_errors(ana)


# 4. Interactions and the cadence --------------------------------------------------------------------------


async def test_logging_an_interaction_and_the_cadence_menu_move_the_keep_in_touch_nudge(
    ana: ChatDriver, bot_app
) -> None:
    """Protects the keep-in-touch clock once the report back is done: "We were in touch" moves the pending
    nudge to 6 weeks from then; "Every 4 weeks" moves it again; Stop leaves none, and the dispatcher sends none.

    Maya's reply was never logged here (Ana booked the call at once): with a logged yes, the card hides
    these buttons (see the test after this one)."""
    note = await met_and_reflected(ana, bot_app, [Tap("4"), *[SKIP] * 8], said_yes=False)
    set_clock(bot_app, berlin(12, 3, 18, 0))
    await ana.press("I sent it", note)
    [report] = await nudges(bot_app, "report_back", "pending")
    await dispatch(bot_app, report.due_at)
    await ana.press("Done", with_text(ana, REPORT_BACK_REMINDER)[0])
    [planned] = await nudges(bot_app, "keep_in_touch", "pending")
    assert planned.due_at == berlin(2, 11, 9, 0, year=2027), planned.due_at.astimezone(BERLIN)

    set_clock(bot_app, berlin(1, 14, 13, 0, year=2027))  # a Thursday: Ana and Maya met at an event
    card = await open_card(ana, "Maya Chen")
    await ana.press("We were in touch", card)
    assert "Next reminder to be in touch with Maya Chen: Thu 25 Feb" in ana.last_text(), ana.last_text()
    assert await stage_of(bot_app, "Maya Chen") == Stage.KEEPING_IN_TOUCH
    [touch] = await nudges(bot_app, "keep_in_touch", "pending")
    assert touch.due_at == berlin(2, 25, 9, 0, year=2027), touch.due_at.astimezone(BERLIN)

    card = await open_card(ana, "Maya Chen")
    await ana.press("Keep-in-touch", card)
    assert "Now: every 6 weeks (your default)" in ana.last_text(), ana.last_text()
    await ana.press("Every 4 weeks")
    assert "Next reminder about Maya Chen: Thu 11 Feb" in ana.last_text(), ana.last_text()
    [touch] = await nudges(bot_app, "keep_in_touch", "pending")
    assert touch.due_at == berlin(2, 11, 9, 0, year=2027), touch.due_at.astimezone(BERLIN)
    assert (await contact(bot_app, "Maya Chen")).touch_days == 28

    card = await open_card(ana, "Maya Chen")
    await ana.press("Keep-in-touch", card)
    assert "Now: every 4 weeks" in ana.last_text()
    await ana.press("Stop")
    assert "No more keep-in-touch reminders for Maya Chen" in ana.last_text()
    assert await nudges(bot_app, "keep_in_touch", "pending") == []
    for moment in (berlin(2, 11, 9, 0, 2027), berlin(2, 25, 9, 0, 2027), berlin(5, 1, 9, 0, 2027)):
        await dispatch(bot_app, moment)
    assert with_text(ana, TOUCH_REMINDER) == [] and with_text(ana, TOUCH_OVERDUE) == []
    assert_no_errors(ana)


async def test_after_the_meeting_the_card_of_someone_who_said_yes_offers_the_after_buttons(
    ana: ChatDriver, bot_app
) -> None:
    """Protects the card after a conversation on the usual path (request, "yes" logged, meeting, it happened):
    it offers the reflection, the thank-you, "We were in touch" and the cadence, not another meeting."""
    note = await met_and_reflected(ana, bot_app, [Tap("4"), *[SKIP] * 8])
    card = await open_card(ana, "Maya Chen")
    labels = " ".join(card.button_labels())
    assert await stage_of(bot_app, "Maya Chen") == Stage.MET
    assert "We were in touch" in labels and "Keep-in-touch" in labels and "Thank-you note" in labels, (
        "after the meeting with someone who replied yes, the card shows no after-meeting buttons (reply "
        f"stays 'yes', so it offers to schedule again): {card.button_labels()}"
    )
    assert "Schedule meeting" not in labels
    set_clock(bot_app, berlin(12, 3, 18, 0))
    await ana.press("I sent it", note)
    card = await open_card(ana, "Maya Chen")
    assert "Report back" in " ".join(card.button_labels()), "once thanked, the card offers the report back"


# 5. Skipping everything ----------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["skip each", "finish on question 1"])
async def test_skipping_every_question_still_leaves_a_coherent_record(ana: ChatDriver, bot_app, how: str) -> None:
    """Protects the empty reflection: a finished row with every answer None, no plan, "nothing noted", a
    generic thank-you with no placeholders, and /insights still answers."""
    await people_who_said_yes(ana, bot_app)
    await book(ana, "Thursday 3 Dec 15:00")
    reminder = await reflect_reminder(ana, bot_app, berlin(12, 3, 16, 30))
    await ana.press("reflect now", reminder)
    if how == "skip each":
        await answer_all(ana, [SKIP] * 9)
    else:
        await ana.press("Finish here")
    [reflection] = await reflections(bot_app)
    assert reflection.finished_at is not None
    assert {name: getattr(reflection, name) for name in ANSWER_FIELDS} == dict.fromkeys(ANSWER_FIELDS)
    assert await plan_items(bot_app) == []
    [summary] = with_text(ana, "Reflection saved: Maya Chen")
    assert "Nothing noted" in summary.text and "your plan" not in summary.text
    [note] = with_text(ana, "Thank-you note for Maya Chen")
    assert "Hi Maya," in note.text and "Thank you for taking the time" in note.text
    for placeholder in ("[", "]", "{", "}", "None"):
        assert placeholder not in note.text, f"{placeholder!r} in the generic thank-you:\n{note.text}"
    insights = (await ana.send("/insights"))[0]
    assert "Your insights" in insights.text and "Progress" in insights.text
    assert_no_errors(ana)


# 6. Stale, doubled, forged and restarted presses ---------------------------------------------------------


async def test_double_taps_and_old_buttons_change_nothing(ana: ChatDriver, api, bot_app) -> None:
    """Protects the reflection against a double tap (one answer, no question skipped), an old question's
    buttons (no change), and a doubled "I sent it" (one thank-you logged, one report back planned)."""
    await people_who_said_yes(ana, bot_app)
    await book(ana, "Thursday 3 Dec 15:00")
    reminder = await reflect_reminder(ana, bot_app, berlin(12, 3, 16, 30))
    await ana.press("reflect now", reminder)
    question_1 = ana.last()
    [reflection] = await reflections(bot_app)
    await press_twice_at_once(ana, question_1, f"rf:a:{reflection.id}:0:4")
    [reflection] = await reflections(bot_app)
    assert (reflection.rating, reflection.step) == (4, 1), "a double tap skipped a question"
    assert "question 2 of 9" in ana.last_with_buttons().text
    question_2 = ana.last_with_buttons()
    await ana.send("Teams ship every week")
    await ana.send("People who can show a project end to end")
    assert "question 4 of 9" in ana.last_with_buttons().text

    for old in (f"rf:a:{reflection.id}:0:1", f"rf:a:{reflection.id}:1:skip", f"rf:end:{reflection.id}:1"):
        await ana.press_data(old, question_2)
    [after_old] = await reflections(bot_app)
    assert (after_old.rating, after_old.learned, after_old.step, after_old.finished_at) == (
        4,
        "Teams ship every week",
        3,
        None,
    ), "an old question's button changed the reflection"
    assert "question 4 of 9" in ana.last_with_buttons().text, "after an old button, the current question again"

    await ana.press("Finish here")
    [note] = with_text(ana, "Thank-you note for Maya Chen")
    first = berlin(12, 3, 18, 0)
    set_clock(bot_app, first)
    sent_it = button_data(note, "I sent it")
    await ana.press_data(sent_it, note)
    set_clock(bot_app, first + timedelta(minutes=3))
    await ana.press_data(sent_it, note)
    maya = await contact(bot_app, "Maya Chen")
    assert maya.thanked_at == first, "a second 'I sent it' logged the thank-you again"
    assert len(with_text(ana, "Thank-you logged for Maya Chen")) == 1
    assert len(await nudges(bot_app, "report_back")) == 1, "a second 'I sent it' planned a second report back"
    assert_no_errors(ana)


async def test_forged_and_foreign_buttons_do_nothing_harmful(ana: ChatDriver, ben: ChatDriver, api, bot_app) -> None:
    """Protects ids from the client: unknown ids and Ana's ids pressed by Ben change nothing, leak no name,
    and every press is answered with a kind word."""
    await people_who_said_yes(ana, bot_app)
    await book(ana, "Thursday 3 Dec 15:00")
    reminder = await reflect_reminder(ana, bot_app, berlin(12, 3, 16, 30))
    await ana.press("reflect now", reminder)
    await ana.press("4")
    anchor = ana.last()
    rid = (await reflections(bot_app))[0].id
    # Unknown ids, and values of the wrong kind for the question: a rating on a text question, a word on one.
    for forged in ("rf:go:999999", "af:s:ty:999999", "rf:a:999999:1:skip", "af:p:999999", "af:t:999999",
                   f"rf:a:{rid}:1:3", f"rf:a:{rid}:1:unsure", f"rf:a:{rid}:4:2"):  # fmt: skip
        replies = await ana.press_data(forged, anchor)
        said = " ".join(m.text for m in replies) + " ".join(callback_answers(api)[-1:])
        assert said.strip(), f"{forged}: no answer at all"
    [reflection] = await reflections(bot_app)
    assert (reflection.rating, reflection.learned, reflection.step, reflection.finished_at) == (4, None, 1, None)
    await ana.send("/reflect")
    assert "Maya Chen · question 2 of 9" in ana.last_text(), "/reflect picks up where Ana was"

    meeting, maya = await the_meeting(bot_app), await contact(bot_app, "Maya Chen")
    await ben.send("/start")
    ben_anchor = ben.last()
    for foreign in (
        f"rf:go:{meeting.id}",
        f"rf:ct:{maya.id}",
        f"rf:a:{reflection.id}:1:skip",
        f"rf:end:{reflection.id}:1",
        f"af:s:ty:{maya.id}",
        f"af:t:{maya.id}",
        f"af:cs:{maya.id}:x",
    ):
        await ben.press_data(foreign, ben_anchor)
    [reflection] = await reflections(bot_app)
    assert (reflection.learned, reflection.step, reflection.finished_at) == (None, 1, None), "Ben moved Ana's"
    maya_after = await contact(bot_app, "Maya Chen")
    assert (maya_after.thanked_at, maya_after.touch_stopped, maya_after.stage) == (None, False, "met")
    assert all("Maya" not in m.text for m in ben.messages()), "Ben saw Ana's contact"
    assert_no_errors(ana)
    assert_no_errors(ben)


async def test_a_restart_mid_reflection_continues_at_the_same_question(api: LocalBotApi, migrated_url: str) -> None:
    """Protects the persisted flow: after a restart, the next typed answer goes to the question that was open."""
    async with running_app(api, migrated_url) as app:
        chat = driver_for(api, app, ANA)
        await people_who_said_yes(chat, app)
        await book(chat, "Thursday 3 Dec 15:00")
        reminder = await reflect_reminder(chat, app, berlin(12, 3, 16, 30))
        await chat.press("reflect now", reminder)
        await chat.press("4")
        await chat.send("Teams ship every week")
        assert "question 3 of 9" in chat.last_text()
    async with running_app(api, migrated_url) as app:
        set_clock(app, berlin(12, 3, 17, 0))
        chat = driver_for(api, app, ANA)
        await chat.send("People who can show a project end to end")
        assert "question 4 of 9" in chat.last_text(), f"after a restart: {chat.last_text()}"
        [reflection] = await reflections(app)
        assert reflection.looking_for == "People who can show a project end to end" and reflection.step == 3
        await chat.press("Skip")
        assert "question 5 of 9" in chat.last_text()
        assert_no_errors(chat)


# 7. Not now ------------------------------------------------------------------------------------------------


async def test_not_now_brings_a_gentle_reask_four_weeks_later_that_restarts_the_clock(ana: ChatDriver, bot_app) -> None:
    """Protects "not now": a re-ask reminder 4 weeks later whose draft recalls their answer (the month), and
    "I sent it" on it starts the follow-up clock again as a new request. A "not now" isn't a conversation."""
    set_clock(bot_app, NOW)
    await add_people(ana)
    await send_request(ana)
    card = await open_card(ana, "Maya Chen")
    await ana.press("They replied", card)
    await ana.press("Not now")
    assert await stage_of(bot_app, "Maya Chen") == Stage.KEEPING_IN_TOUCH
    [reask] = await nudges(bot_app, "not_now", "pending")
    local = reask.due_at.astimezone(BERLIN)
    assert local.date() == (NOW + timedelta(weeks=4)).astimezone(BERLIN).date() and local.hour == 9, local

    await dispatch(bot_app, reask.due_at - timedelta(minutes=1))
    assert with_text(ana, "said the timing wasn't right") == []
    await dispatch(bot_app, reask.due_at)
    [reminder] = with_text(ana, "said the timing wasn't right")
    set_clock(bot_app, reask.due_at + timedelta(hours=1))
    await ana.press("Draft the check-in", reminder)
    note = ana.last()
    assert "When I wrote in November, you kindly said the timing wasn't right" in note.text, note.text
    await ana.press("I sent it", note)
    assert "follow-up clock for Maya Chen starts again" in ana.last_text()
    maya = await contact(bot_app, "Maya Chen")
    assert (maya.stage, maya.reply, maya.follow_ups_sent) == ("requested", None, 0)
    assert maya.request_sent_at == reask.due_at + timedelta(hours=1)
    assert await nudges(bot_app, "follow_up", "pending"), "the follow-up clock did not restart"
    assert await nudges(bot_app, "not_now", "pending") == []
    assert_no_errors(ana)


async def test_a_not_now_is_not_a_conversation_to_reflect_on(ana: ChatDriver, bot_app) -> None:
    """Protects /reflect from people never met: "not now" moves them to keeping in touch, but no conversation
    took place, so there is nothing to reflect on (and the card offers "Ask again", not a reflection)."""
    set_clock(bot_app, NOW)
    await add_people(ana)
    await send_request(ana)
    card = await open_card(ana, "Maya Chen")
    await ana.press("They replied", card)
    await ana.press("Not now")
    card = await open_card(ana, "Maya Chen")
    assert "Ask again" in " ".join(card.button_labels()) and "Reflection" not in " ".join(card.button_labels())
    reflect = (await ana.send("/reflect"))[-1]
    assert "No conversation to reflect on yet" in reflect.text, (
        "/reflect after Maya only said 'not now' (never met) starts a reflection on a conversation that "
        f"never happened:\n{reflect.text}"
    )
    assert await reflections(bot_app) == []
    assert_no_errors(ana)


# 8. /insights ------------------------------------------------------------------------------------------------


async def test_insights_quote_the_users_words_safely_and_chart_the_database(ana: ChatDriver, api, bot_app) -> None:
    """Protects /insights: themes in the user's own words, the open question, user HTML shown as text, and a PNG
    chart drawn from exactly the numbers in the database."""
    await people_who_said_yes(ana, bot_app, "Maya Chen", "Sara Ito")
    await book(ana, "Thursday 3 Dec 15:00", "Maya Chen")
    await book(ana, "Friday 4 Dec 10:00", "Sara Ito")
    set_clock(bot_app, berlin(12, 4, 12, 0))
    await reflect_on(
        ana,
        "Maya Chen",
        [Tap("4"), "Stakeholder interviews shape every roadmap <b>&", SKIP, SKIP, Tap("Yes"),
         "How do <b>juniors</b> & seniors split research?", SKIP, "Sam Park (Globex)", SKIP],
    )  # fmt: skip
    await reflect_on(
        ana,
        "Sara Ito",
        [Tap("5"), "Stakeholder interviews happen weekly", SKIP, SKIP, Tap("Yes"), SKIP, SKIP, SKIP, SKIP],
    )
    before = len(ana.messages())
    await ana.send("/insights")
    new = ana.messages()[before:]
    [page] = [m for m in new if "Your insights" in m.text]
    assert "Stakeholder interviews" in page.text, f"no theme in the user's words:\n{page.text}"
    assert "How do <b>juniors</b> & seniors split research?" in page.text, "the open question, shown as typed"
    bold = [page.text[e["offset"] : e["offset"] + e["length"]] for e in page.entities if e["type"] == "bold"]
    assert "juniors" not in bold, "user HTML became formatting"
    photos = [m for m in new if m.photo is not None]
    assert len(photos) == 1, "no progress chart with /insights"
    assert photos[0].photo.startswith(PNG)

    now = berlin(12, 4, 12, 0)
    async with UnitOfWork(factory_of(bot_app)) as uow:
        user = await uow.users.get(ANA.id)
        progress = await after.progress_of(uow, user, now)
        rows = list(await uow.session.scalars(select(Contact).where(Contact.user_id == ANA.id)))
    data = chart_data(progress)
    expected = [
        ("Contacts", len(rows)),
        ("Requests", sum(c.request_sent_at is not None for c in rows)),
        ("Replies", sum(c.replied_at is not None for c in rows)),
        ("Meetings", sum(c.met_at is not None for c in rows)),
        ("Referrals", sum(c.referred_by_id is not None for c in rows)),
    ]
    assert data["funnel"] == expected
    assert expected == [("Contacts", 3), ("Requests", 2), ("Replies", 2), ("Meetings", 2), ("Referrals", 1)]
    assert sum(count for _week, count in data["weeks"]) == 2 and data["weeks"][-1][1] == 2
    assert data["goal"] == 2
    assert photos[0].photo == render_progress_png(progress), "the chart sent is not the chart of these numbers"
    assert_no_errors(ana)


async def send_digest_now(app, moment: datetime) -> int:
    """The user's pending weekly digest falls due at ``moment`` and the dispatcher runs."""
    async with UnitOfWork(factory_of(app)) as uow:
        pending = list(await uow.session.scalars(select(Nudge).where(Nudge.status == "pending")))
        [digest] = [n for n in pending if n.kind == "digest"]
        for other in pending:  # everything else waits, so only the digest goes out now
            other.due_at = moment + timedelta(days=365)
        digest.due_at = moment - timedelta(minutes=1)
    return await dispatch(app, moment)


async def test_the_weekly_digest_carries_the_chart_of_the_database(ana: ChatDriver, bot_app) -> None:
    """Protects the digest's picture: after the digest, one PNG drawn from exactly the funnel in the database."""
    await people_who_said_yes(ana, bot_app, "Maya Chen", "Sara Ito")
    await book(ana, "Thursday 3 Dec 15:00", "Maya Chen")
    moment = berlin(12, 3, 17, 0)
    set_clock(bot_app, moment)
    await reflect_on(ana, "Maya Chen", [Tap("4"), SKIP, SKIP, SKIP, Tap("Yes"), SKIP, SKIP, "Sam Park (Globex)", SKIP])
    before = len(ana.messages())
    assert await send_digest_now(bot_app, moment) == 1
    new = ana.messages()[before:]
    assert [("digest" if "Your week" in m.text else "photo" if m.photo else m.text[:40]) for m in new] == [
        "digest",
        "photo",
    ], "the chart follows the digest, once"
    async with UnitOfWork(factory_of(bot_app)) as uow:
        progress = await after.progress_of(uow, await uow.users.get(ANA.id), moment)
        rows = list(await uow.session.scalars(select(Contact).where(Contact.user_id == ANA.id)))
    funnel = [
        len(rows),
        sum(c.request_sent_at is not None for c in rows),
        sum(c.replied_at is not None for c in rows),
        sum(c.met_at is not None for c in rows),
        sum(c.referred_by_id is not None for c in rows),
    ]
    assert [count for _label, count in chart_data(progress)["funnel"]] == funnel == [3, 2, 2, 1, 1]
    assert new[1].photo == render_progress_png(progress), "the chart sent is not the chart of these numbers"


async def test_a_digest_with_too_little_to_draw_says_it_in_words(ana: ChatDriver, bot_app) -> None:
    """Protects the empty case: a new user's digest has the funnel in words and no empty chart."""
    set_clock(bot_app, NOW)
    await add_people(ana)
    async with UnitOfWork(factory_of(bot_app)) as uow:
        for person in await uow.session.scalars(select(Contact).where(Contact.user_id == ANA.id)):
            await uow.session.delete(person)  # nothing on the list yet
    before = len(ana.messages())
    assert await send_digest_now(bot_app, berlin(12, 7, 10, 0)) == 1
    new = ana.messages()[before:]
    assert len(new) == 1 and new[0].photo is None, "no chart for a user with too little data"
    assert "0 contacts" in new[0].text or "No contacts" in new[0].text, new[0].text


# 9. The whole cycle ----------------------------------------------------------------------------------------


async def test_the_whole_cycle_from_request_to_keeping_in_touch(ana: ChatDriver, bot_app) -> None:
    """Protects the journey as one piece: request, yes, meeting, reflection, thank-you, report back, keep in
    touch, with the contact's stage right at every step."""
    set_clock(bot_app, NOW)
    await add_people(ana)
    stages = [await stage_of(bot_app, "Maya Chen")]
    await send_request(ana)
    stages.append(await stage_of(bot_app, "Maya Chen"))
    set_clock(bot_app, berlin(12, 1, 10, 0))
    card = await open_card(ana, "Maya Chen")
    await ana.press("They replied", card)
    await ana.press("Yes, let's talk")
    stages.append(await stage_of(bot_app, "Maya Chen"))
    await ana.press("Schedule the meeting")
    assert "When is your conversation" in ana.last_text()
    await ana.send("Thursday 3 Dec 15:00")
    await ana.press("Yes")
    await ana.press("Video call")
    await ana.send("https://meet.example.com/abc")
    stages.append(await stage_of(bot_app, "Maya Chen"))

    reminder = await reflect_reminder(ana, bot_app, berlin(12, 3, 16, 30))
    await ana.press("reflect now", reminder)
    stages.append(await stage_of(bot_app, "Maya Chen"))
    await answer_all(ana, FULL)
    [note] = with_text(ana, "Thank-you note for Maya Chen")
    set_clock(bot_app, berlin(12, 3, 19, 0))
    await ana.press("I sent it", note)
    stages.append(await stage_of(bot_app, "Maya Chen"))

    today = (await ana.send("/today"))[-1]
    await ana.press("Résumé or pitch", today)  # Ana reworked her résumé as Maya suggested

    [report] = await nudges(bot_app, "report_back", "pending")
    await dispatch(bot_app, report.due_at)
    [report_reminder] = with_text(ana, REPORT_BACK_REMINDER)
    await ana.press("Draft the update", report_reminder)
    update = ana.last()
    assert "An update for Maya Chen" in update.text and "A quick update since we spoke" in update.text
    assert "I reworked my résumé" in update.text, f"the update doesn't say what came of the advice:\n{update.text}"
    await ana.press("I sent it", update)
    assert "Next reminder to be in touch with Maya Chen" in ana.last_text()
    stages.append(await stage_of(bot_app, "Maya Chen"))

    [touch] = await nudges(bot_app, "keep_in_touch", "pending")
    await dispatch(bot_app, touch.due_at)
    [hello] = with_text(ana, TOUCH_REMINDER)
    await ana.press("Draft a note", hello)
    assert "A hello for Maya Chen" in ana.last_text()
    await ana.press("I sent it", ana.last())
    stages.append(await stage_of(bot_app, "Maya Chen"))
    assert stages == [
        "research",
        "requested",
        "requested",
        "scheduled",
        "met",
        "thanked",
        Stage.KEEPING_IN_TOUCH,
        Stage.KEEPING_IN_TOUCH,
    ]
    assert len(await nudges(bot_app, "keep_in_touch", "pending")) == 1, "one next hello, no more"
    assert_no_errors(ana)
