"""The pause on all reminders, end to end: nothing is sent while paused; resuming (or the pause's end)
releases what waited without a flood: obsolete, passed and superseded reminders are dropped, a few go out
at once and the rest over the next mornings (the rule: coaching/reschedule.py, docs/architecture.md).

Time moves by setting the application's clock and running the nudge dispatcher at that moment, as the
periodic job would. On PostgreSQL: set INFOCOACH_TEST_DATABASE_URL (see tests/conftest.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.dispatcher import Dispatcher
from bot.local_api import LocalBotApi
from coaching.defaults import RELEASE_PER_MORNING, RELEASE_RIGHT_AWAY
from coaching.enums import MeetingStatus, NudgeKind, Stage
from services.nudges import HELD
from storage.models import Contact, Nudge
from storage.uow import UnitOfWork
from tests.conftest import ANA
from tests.driver import ChatDriver
from tests.test_after_e2e import set_clock
from tests.test_drafts_e2e import add_people, factory_of

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


PAUSED_AT = berlin(11, 30, 10)  # Monday 30 November 2026, 10:00 in Berlin


def sends(api: LocalBotApi) -> int:
    return sum(1 for e in api.events if e.kind == "send" and e.chat_id == ANA.id)


async def dispatch(app, api: LocalBotApi, moment: datetime) -> int:
    """Run the dispatcher at ``moment``; how many messages reached Ana (charts and all)."""
    set_clock(app, moment)
    before = sends(api)
    await Dispatcher(factory_of(app), per_chat_interval=0, clock=lambda: moment).run_once(app.bot)
    return sends(api) - before


async def rows(app) -> dict[int, Nudge]:
    async with UnitOfWork(factory_of(app)) as uow:
        found = await uow.session.scalars(select(Nudge).where(Nudge.user_id == ANA.id))
        return {n.id: n for n in found}


async def plant(app, kind: str, subject: str, due: datetime, key: str) -> int:
    async with UnitOfWork(factory_of(app)) as uow:
        nudge = await uow.nudges.schedule(user_id=ANA.id, kind=kind, subject=subject, due_at=due, dedup_key=key)
        await uow.session.flush()
        return nudge.id


async def person(app, name: str, stage: str, **fields) -> int:
    async with UnitOfWork(factory_of(app)) as uow:
        contact = uow.contacts.add(ANA.id, name=name, stage=stage, **fields)
        await uow.session.flush()
        return contact.id


async def meeting(app, contact_id: int, starts_at: datetime) -> int:
    async with UnitOfWork(factory_of(app)) as uow:
        added = uow.meetings.add(ANA.id, contact_id, starts_at=starts_at, minutes=30, format="video",
                                 status=MeetingStatus.SCHEDULED)  # fmt: skip
        await uow.session.flush()
        return added.id


async def a_busy_week(chat: ChatDriver, app) -> dict[str, int]:
    """Ana onboarded in Berlin on Monday morning, with reminders of every sort falling due that week."""
    set_clock(app, PAUSED_AT)
    await add_people(chat)  # the first-list check-in (Tue 09:00) and the digest (Mon 7 Dec 09:00)
    async with UnitOfWork(factory_of(app)) as uow:
        maya = await uow.session.scalar(select(Contact).where(Contact.user_id == ANA.id, Contact.name == "Maya Chen"))
        maya.stage, maya.request_sent_at = Stage.REQUESTED, PAUSED_AT
    lena = await person(app, "Lena Park", Stage.SCHEDULED)
    omar = await person(app, "Omar Haddad", Stage.SCHEDULED)
    tom = await person(app, "Tom Berg", Stage.MET, met_at=berlin(11, 30, 9))
    past, ahead = await meeting(app, lena, berlin(12, 2, 15)), await meeting(app, omar, berlin(12, 4, 16))
    ids = {
        "first_list": next(n.id for n in (await rows(app)).values() if n.kind == "first_list"),
        "digest_thu": await plant(app, NudgeKind.DIGEST, "", berlin(12, 3, 9), "digest:extra"),
        "maya_day3": await plant(app, NudgeKind.SECOND_PERSON, str(maya.id), berlin(12, 3, 9), "t:sp"),
        "maya_day7": await plant(app, NudgeKind.FOLLOW_UP, str(maya.id), berlin(12, 4, 9), "t:fu"),
        "lena_prep": await plant(app, NudgeKind.PREP_DAY_BEFORE, f"m{past}", berlin(12, 1, 18), "t:lp"),
        "lena_hour": await plant(app, NudgeKind.PREP_HOUR_BEFORE, f"m{past}", berlin(12, 2, 14), "t:lh"),
        "lena_reflect": await plant(app, NudgeKind.REFLECT, f"m{past}", berlin(12, 2, 16, 30), "t:lr"),
        "omar_prep": await plant(app, NudgeKind.PREP_DAY_BEFORE, f"m{ahead}", berlin(12, 3, 18), "t:op"),
        "tom_thanks": await plant(app, NudgeKind.THANK_YOU, str(tom), berlin(12, 1, 10), "t:tt"),
    }
    for day in range(1, 5):  # four people to keep in touch with, one a day, Tuesday to Friday
        kai = await person(app, f"Kai {day}", Stage.KEEPING_IN_TOUCH, last_touch_at=PAUSED_AT - timedelta(days=42))
        ids[f"kai{day}"] = await plant(app, NudgeKind.KEEP_IN_TOUCH, str(kai), berlin(12, day, 9), f"t:k{day}")
    return ids


async def test_the_pause_holds_everything_and_resume_releases_it_calmly(ana: ChatDriver, api, bot_app) -> None:
    """Protects the pause and its release: a week of reminders of every sort (even the hour before a meeting,
    which quiet hours never hold) waits while paused; on resume the obsolete (an archived contact), the passed
    (the digest, the first-list check-in, the prep of a meeting that is over) and the superseded (day 3 once
    day 7 is due) are dropped; three go out at once, the urgent first (the prep of a meeting still ahead, a
    thank-you, a reflection), and the rest over the next mornings, never more than three a morning."""
    ids = await a_busy_week(ana, bot_app)
    await ana.send("/settings")
    await ana.press("Pause reminders")
    assert "at most 3 at once" in ana.last_text()
    await ana.press("1 week")
    assert "Reminders are paused until Mon 7 Dec, 09:00" in ana.last_text()
    assert "▶️ Resume reminders" in ana.last().button_labels()

    for moment in (berlin(12, 1, 9, 5), berlin(12, 1, 18, 5), berlin(12, 2, 9, 5), berlin(12, 2, 14, 5),
                   berlin(12, 2, 16, 35), berlin(12, 3, 9, 5), berlin(12, 3, 18, 5), berlin(12, 4, 9, 5)):  # fmt: skip
        assert await dispatch(bot_app, api, moment) == 0, f"a reminder went out during the pause at {moment}"
    held = {key: (await rows(bot_app))[nudge_id] for key, nudge_id in ids.items()}
    assert all(n.status == "pending" and n.last_error == HELD for n in held.values()), {
        k: (n.status, n.last_error) for k, n in held.items()
    }
    assert {n.due_at for n in held.values()} == {berlin(12, 7, 9)}, "each waits for the pause's end"

    today = (await ana.send("/today"))[0].text
    assert "Reminders are paused until Mon 7 Dec" in today and "(waiting: reminders paused)" in today

    async with UnitOfWork(factory_of(bot_app)) as uow:  # Kai 4 is archived meanwhile: that one no longer applies
        kai4 = await uow.contacts.get_owned(int(held["kai4"].subject), ANA.id)
        kai4.archived = True

    resume_at = berlin(12, 4, 11)  # Friday 11:00
    set_clock(bot_app, resume_at)
    await ana.send("/settings")
    await ana.press("Resume reminders")
    note = ana.last_text()
    assert "Reminders are back on" in note
    assert "3 of the reminders that fell due meanwhile arrive now; 4 more over the next mornings; " in note
    assert "6 no longer applied and were dropped" in note
    assert "Reminders: on (default on)" in note and "⏸ Pause reminders" in ana.last().button_labels()

    after = {key: (await rows(bot_app))[nudge_id] for key, nudge_id in ids.items()}
    dropped = {key for key, n in after.items() if n.status == "cancelled"}
    assert dropped == {"first_list", "digest_thu", "maya_day3", "lena_prep", "lena_hour", "kai4"}

    first = await dispatch(bot_app, api, resume_at)
    assert first == RELEASE_RIGHT_AWAY == 3, "no flood: three at once"
    sent_now = {key for key, n in {k: (await rows(bot_app))[i] for k, i in ids.items()}.items() if n.status == "sent"}
    assert sent_now == {"omar_prep", "tom_thanks", "lena_reflect"}, "the most urgent first"
    assert await dispatch(bot_app, api, berlin(12, 4, 20)) == 0, "nothing more that day"

    per_morning = {day: await dispatch(bot_app, api, berlin(12, day, 9, 30)) for day in (5, 6)}
    assert per_morning == {5: 3, 6: 0}, "Saturday: the three keep-in-touch notes; Sunday: nothing left for it"
    assert max(per_morning.values()) <= RELEASE_PER_MORNING
    monday = await dispatch(bot_app, api, berlin(12, 7, 9, 30))
    assert (await rows(bot_app))[ids["maya_day7"]].status == "sent", "the follow-up waits for a business day"
    assert 1 <= monday <= 3, "Monday: the follow-up and the weekly digest (and its chart)"
    statuses = {n.status for n in (await rows(bot_app)).values() if n.id in ids.values()}
    assert statuses == {"sent", "cancelled"}, "everything was either sent once or dropped"


async def test_a_timed_pause_ends_by_itself_without_a_flood(ana: ChatDriver, api, bot_app) -> None:
    """Protects the automatic end: when the three days are over, the dispatcher releases what waited by the
    same rule as Resume: three now, three the next morning, and the passed check-in dropped."""
    set_clock(bot_app, PAUSED_AT)
    await add_people(ana)
    planted = []
    for n in range(6):
        kai = await person(bot_app, f"Kai {n}", Stage.KEEPING_IN_TOUCH, last_touch_at=PAUSED_AT - timedelta(days=42))
        planted.append(await plant(bot_app, NudgeKind.KEEP_IN_TOUCH, str(kai), berlin(12, 1 + n % 2, 9), f"k{n}"))
    await ana.send("/settings")
    await ana.press("Pause reminders")
    await ana.press("3 days")
    assert "paused until Thu 3 Dec, 09:00" in ana.last_text()
    assert await dispatch(bot_app, api, berlin(12, 1, 9, 5)) == 0
    assert await dispatch(bot_app, api, berlin(12, 2, 9, 5)) == 0

    end = berlin(12, 3, 9)
    assert await dispatch(bot_app, api, end) == 0, "the run that finds the pause over releases, and sends nothing"
    assert await dispatch(bot_app, api, end + timedelta(seconds=2)) == 3
    assert await dispatch(bot_app, api, berlin(12, 3, 20)) == 0
    assert await dispatch(bot_app, api, berlin(12, 4, 9, 5)) == 3
    found = await rows(bot_app)
    assert [found[i].status for i in planted] == ["sent"] * 6
    first_list = next(n for n in found.values() if n.kind == "first_list")
    assert first_list.status == "cancelled", "Tuesday's check-in passed during the pause"
    menu = (await ana.send("/settings"))[0].text
    assert "Reminders: on (default on)" in menu


async def test_a_pause_until_resumed_and_typed_pauses(ana: ChatDriver, api, bot_app) -> None:
    """Protects the open-ended pause (weeks later, still nothing sent) and the typed length with its re-asks."""
    set_clock(bot_app, PAUSED_AT)
    await add_people(ana)
    await ana.send("/settings")
    await ana.press("Pause reminders")
    assert "Please send a number of days" in (await ana.send("forever and ever"))[0].text
    assert "1 to 90 days" in (await ana.send("200 days"))[0].text
    await ana.press("Until I resume", ana.last_with_buttons())
    assert "paused until you resume them" in ana.last_with_buttons().text, "the menu, edited in place"
    for weeks in (1, 3, 6, 10):
        assert await dispatch(bot_app, api, PAUSED_AT + timedelta(weeks=weeks)) == 0, f"sent after {weeks} weeks"
    today = (await ana.send("/today"))[0].text
    assert "paused until you resume them" in today

    set_clock(bot_app, berlin(12, 3, 10))  # Thursday, before anything has fallen due: a shorter pause instead
    await ana.send("/settings")
    await ana.press("Resume reminders")
    await ana.press("Pause reminders")
    await ana.send("5 days")
    assert "paused until Tue 8 Dec, 09:00" in ana.last_text(), "a typed pause: the menu comes anew"
    await ana.press("Resume reminders")
    assert "Reminders are back on" in ana.last_text()
    stale = ana.last()
    await ana.press_data("st:resume", stale)  # a second press of an old Resume: nothing changes, kindly
    assert "Reminders are back on" in ana.last_text()
    async with UnitOfWork(factory_of(bot_app)) as uow:
        user = await uow.users.get(ANA.id)
    assert user.paused_at is None and user.paused_until is None
