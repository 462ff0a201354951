"""Scheduling a meeting end to end: typed time in the user's zone, confirmation, format, place, the
calendar file, the reminders at the right UTC instants, moving and cancelling, and other users' ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from storage.models import Contact, Meeting, Nudge, User
from storage.uow import UnitOfWork
from tests.conftest import ANA
from tests.driver import ChatDriver
from tests.test_drafts_e2e import add_people, factory_of

# Monday 30 November 2026, 20:00 UTC.
NOW = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)


async def setup(chat: ChatDriver, app, zone: str) -> Contact:
    """Ana, in ``zone``, with Maya Chen who said yes."""
    app.bot_data["services"].clock = lambda: NOW
    await add_people(chat)
    async with UnitOfWork(factory_of(app)) as uow:
        user = await uow.users.get(ANA.id)
        user.timezone = zone
        maya = await uow.session.scalar(select(Contact).where(Contact.user_id == ANA.id, Contact.name == "Maya Chen"))
        maya.reply, maya.stage = "yes", "requested"
    return maya


async def meeting_nudges(app) -> list[tuple[str, datetime, str]]:
    async with UnitOfWork(factory_of(app)) as uow:
        rows = await uow.session.scalars(
            select(Nudge).where(Nudge.kind.in_(("prep_day", "prep_hour"))).order_by(Nudge.due_at)
        )
        return [(n.kind, n.due_at, n.status) for n in rows]


async def book(chat: ChatDriver, when: str) -> None:
    await chat.send("/meeting")
    await chat.press("Maya Chen")
    assert "When is your conversation" in chat.last_text()
    await chat.send(when)
    assert "Is that right?" in chat.last_text()
    await chat.press("Yes")
    await chat.press("Video call")
    await chat.send("https://meet.example.com/abc")


@pytest.mark.parametrize(
    ("zone", "start_utc"),
    [
        # Thursday 3 December 15:00 in Auckland (UTC+13) is 02:00 UTC that day.
        ("Pacific/Auckland", datetime(2026, 12, 3, 2, 0, tzinfo=UTC)),
        # Thursday 3 December 15:00 in Honolulu (UTC-10) is 01:00 UTC on the 4th.
        ("Pacific/Honolulu", datetime(2026, 12, 4, 1, 0, tzinfo=UTC)),
    ],
)
async def test_booking_sends_a_calendar_file_and_plans_both_reminders(
    ana: ChatDriver, bot_app, zone, start_utc
) -> None:
    """One short exchange books it: an .ics with the right UTC start, and the two reminders at the right instants."""
    maya = await setup(ana, bot_app, zone)
    await book(ana, "Thursday 3 Dec 15:00")
    booked = ana.messages()[-2:]
    assert "Booked" in booked[0].text and "Maya Chen" in booked[0].text
    name, content = booked[1].document
    assert name == "meeting.ics"
    event = next(c for c in Calendar.from_ical(content).walk() if c.name == "VEVENT")
    assert event.decoded("dtstart") == start_utc
    assert event.decoded("dtend") == start_utc + timedelta(minutes=30)
    assert str(event.get("location")) == "https://meet.example.com/abc"
    async with UnitOfWork(factory_of(bot_app)) as uow:
        meeting = await uow.session.scalar(select(Meeting).where(Meeting.contact_id == maya.id))
        contact = await uow.contacts.get_owned(maya.id, ANA.id)
    assert meeting.starts_at == start_utc and meeting.minutes == 30 and contact.stage == "scheduled"
    reminders = await meeting_nudges(bot_app)
    assert [kind for kind, _, _ in reminders] == ["prep_day", "prep_hour"]
    day_before, hour_before = reminders[0][1], reminders[1][1]
    assert hour_before == start_utc - timedelta(hours=1)
    assert day_before < start_utc - timedelta(hours=12), "the evening before, local time"


async def test_moving_moves_the_reminders_and_cancelling_removes_them(ana: ChatDriver, bot_app) -> None:
    """Move: the reminders follow the new time. Cancel: they're gone, and the contact waits for a new time."""
    maya = await setup(ana, bot_app, "Europe/Berlin")
    await book(ana, "Thursday 3 Dec 15:00")
    await ana.send("/contacts")
    await ana.press("Maya Chen")
    assert "Meeting:" in ana.last_text()
    await ana.press("Move meeting")
    await ana.send("Friday 4 Dec 10:00")
    await ana.press("Yes")
    assert "Moved" in ana.messages()[-2].text
    reminders = await meeting_nudges(bot_app)
    pending = [(kind, due) for kind, due, status in reminders if status == "pending"]
    assert pending[-1] == ("prep_hour", datetime(2026, 12, 4, 8, 0, tzinfo=UTC))  # 10:00 CET minus an hour
    old_times = [status for _kind, due, status in reminders if due < datetime(2026, 12, 3, 14, 0, tzinfo=UTC)]
    assert set(old_times) == {"cancelled"}, "the reminders for the old time are gone"
    await ana.send("/contacts")
    await ana.press("Maya Chen")
    await ana.press("Cancel meeting")
    await ana.press("Yes, cancel it")
    assert "Cancelled the meeting" in ana.last_text()
    assert {status for _kind, _due, status in await meeting_nudges(bot_app)} == {"cancelled"}
    async with UnitOfWork(factory_of(bot_app)) as uow:
        assert (await uow.contacts.get_owned(maya.id, ANA.id)).stage == "requested"


async def test_other_users_meeting_ids_get_nothing(ana: ChatDriver, ben: ChatDriver, bot_app) -> None:
    """A crafted button naming Ana's meeting, pressed by Ben, moves and cancels nothing."""
    await setup(ana, bot_app, "Europe/Berlin")
    await book(ana, "Thursday 3 Dec 15:00")
    async with UnitOfWork(factory_of(bot_app)) as uow:
        meeting = await uow.session.scalar(select(Meeting))
        await uow.users.get_or_create(1002, 1002)
    await ben.send("/help")
    anchor = ben.last()
    for data in (f"mt:cancelok:{meeting.id}", f"mt:cancel:{meeting.id}", f"mt:move:{meeting.id}"):
        await ben.press_data(data, anchor)
    async with UnitOfWork(factory_of(bot_app)) as uow:
        assert (await uow.meetings.get_owned(meeting.id, ANA.id)).status == "scheduled"
    assert all("Maya" not in m.text for m in ben.messages())


async def test_text_it_cannot_read_is_asked_again(ana: ChatDriver, bot_app) -> None:
    """Nonsense, a past time and a date without a time each get a friendly re-ask; nothing is booked."""
    await setup(ana, bot_app, "Europe/Berlin")
    await ana.send("/meeting")
    await ana.press("Maya Chen")
    assert "couldn't read" in (await ana.send("whenever works"))[-1].text
    async with UnitOfWork(factory_of(bot_app)) as uow:
        assert (await uow.session.scalar(select(Meeting))) is None
        assert (await uow.session.get(User, ANA.id)) is not None


async def test_after_the_meeting_time_the_card_asks_how_it_went(ana: ChatDriver, bot_app) -> None:
    """/today lists the meeting; after its time the card offers "It happened", which marks them met, once."""
    maya = await setup(ana, bot_app, "Europe/Berlin")
    await book(ana, "Thursday 3 Dec 15:00")
    bot_app.bot_data["services"].clock = lambda: datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # the day before
    today = (await ana.send("/today"))[0]
    assert "📅 Maya Chen" in today.text and "tomorrow" in today.text
    assert "📋 Prep for Maya Chen:" in today.text and "📋 Prep pack" in today.button_labels()
    bot_app.bot_data["services"].clock = lambda: datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # 16:00 in Berlin
    await ana.send("/contacts")
    await ana.press("Maya Chen")
    card = ana.last()
    assert "It happened" in " ".join(card.button_labels()) and "Cancel meeting" not in " ".join(card.button_labels())
    await ana.press("It happened", card)
    assert "question 1 of 9" in ana.last_text(), "It happened starts the reflection"
    async with UnitOfWork(factory_of(bot_app)) as uow:
        contact = await uow.contacts.get_owned(maya.id, ANA.id)
        meeting = await uow.session.scalar(select(Meeting))
    assert contact.stage == "met" and meeting.status == "happened"
    assert {status for _kind, _due, status in await meeting_nudges(bot_app)} <= {"cancelled", "sent"}
    again = await ana.press_data(f"mt:noshow:{meeting.id}", card)
    assert "isn't on the calendar" in again[-1].text
    async with UnitOfWork(factory_of(bot_app)) as uow:
        assert (await uow.session.scalar(select(Meeting))).status == "happened", "an old button changes nothing"


async def test_pick_questions_then_the_prep_pack(ana: ChatDriver, bot_app) -> None:
    """Schedule -> pick questions (toggle, add one's own) -> the prep pack, with "who else" last and a checklist."""
    await setup(ana, bot_app, "Europe/Berlin")
    await book(ana, "Thursday 3 Dec 15:00")
    document = ana.last()
    await ana.press("Pick questions", document)
    picker = ana.last()
    assert "Questions for Maya Chen" in picker.text and "5–8 fit 30" in picker.text
    before = int(picker.text.split(": ", 1)[1].split(" chosen")[0])
    unticked = next(b for row in picker.buttons for b in row if b["text"].startswith("▫️"))
    await ana.press_data(unticked["callback_data"], picker, label=unticked["text"])
    assert f"{before + 1} chosen" in ana.last_text()
    await ana.press("Add my own", ana.last_with_buttons())
    await ana.send("How did your team decide what to measure?")
    assert f"{before + 2} chosen" in ana.last_text()
    await ana.press("Prep pack", ana.last_with_buttons())
    pack = ana.last().text
    assert "Prep pack: Maya Chen" in pack and "How did your team decide what to measure?" in pack
    bullets = [line for line in pack.splitlines() if line.strip().startswith("•")]
    assert len(bullets) == before + 3 and "who else" in bullets[-1].lower(), "who else is always last"
    assert "Checklist" in pack and "⬜️ Their company researched" in pack
    again = await ana.send("/prep")
    assert "Prep pack: Maya Chen" in again[-1].text
    async with UnitOfWork(factory_of(bot_app)) as uow:
        meeting = await uow.session.scalar(select(Meeting))
    chosen = meeting.questions
    await ana.press_data(f"mt:qt:{meeting.id}:not-an-id", picker)
    async with UnitOfWork(factory_of(bot_app)) as uow:
        assert (await uow.session.scalar(select(Meeting))).questions == chosen, "a forged question id changes nothing"


async def test_the_hour_before_reminder_carries_the_pitch_and_the_questions(ana: ChatDriver, bot_app) -> None:
    """An hour before: the pitch and the chosen questions on one screen, "who else" last; sent at its UTC instant."""
    from bot.dispatcher import Dispatcher

    await setup(ana, bot_app, "Pacific/Auckland")
    await book(ana, "Thursday 3 Dec 15:00")  # 02:00 UTC
    hour_before = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
    dispatcher = Dispatcher(factory_of(bot_app), per_chat_interval=0, clock=lambda: hour_before)
    await dispatcher.run_once(bot_app.bot)
    assert [(kind, status) for kind, _due, status in await meeting_nudges(bot_app)] == [
        ("prep_day", "sent"),
        ("prep_hour", "sent"),
    ]
    day_before = next(m.text for m in ana.messages() if m.text.startswith("📅 Coming up"))
    assert "Prep pack: Maya Chen" in day_before and "Checklist" in day_before, "the day before brings the pack"
    reminder = next(m.text for m in reversed(ana.messages()) if "In about an hour" in m.text)
    assert "Your pitch:" in reminder and "Your questions:" in reminder
    bullets = [line for line in reminder.splitlines() if line.startswith("• ")]
    assert len(bullets) >= 5 and bullets[-1].startswith("• Who else"), "who else is the last question"
