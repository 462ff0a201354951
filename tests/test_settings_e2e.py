"""/settings end to end: every setting with its current value and default, the time zone (here and in
/profile), quiet hours to the minute, holidays, the digest day, the keep-in-touch periods, muted reminders,
and how pending reminders follow each change at once.

Time moves by setting the application's clock (tests.test_after_e2e.set_clock); the database is read
directly to check where each pending reminder now stands. On PostgreSQL: set INFOCOACH_TEST_DATABASE_URL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from alembic import command
from sqlalchemy import select, text

from coaching.enums import NudgeKind, Reply, Stage
from services import after, outreach
from storage.db import create_engine
from storage.migrate import alembic_config
from storage.models import Contact, Nudge
from storage.uow import UnitOfWork
from tests.conftest import ANA
from tests.driver import ChatDriver
from tests.test_after_e2e import book, send_request, set_clock
from tests.test_drafts_e2e import add_people, factory_of
from tests.test_onboarding_e2e import onboard

BERLIN, NEW_YORK, TOKYO = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")
# Monday 30 November 2026, 10:00 in Berlin.
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
LOCAL_KINDS = {"first_list", "digest", "second_person", "follow_up", "keep_in_touch"}
MEETING_KINDS = {"prep_day", "prep_hour", "reflect"}


def berlin(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


async def pending(app, kind: str | None = None) -> list[Nudge]:
    async with UnitOfWork(factory_of(app)) as uow:
        query = select(Nudge).where(Nudge.user_id == ANA.id, Nudge.status == "pending")
        if kind is not None:
            query = query.where(Nudge.kind == kind)
        return list(await uow.session.scalars(query.order_by(Nudge.due_at, Nudge.id)))


async def pending_digest(app) -> Nudge | None:
    found = await pending(app, "digest")
    return found[0] if found else None


async def contact_named(app, name: str) -> Contact:
    async with UnitOfWork(factory_of(app)) as uow:
        found = await uow.session.scalar(select(Contact).where(Contact.user_id == ANA.id, Contact.name == name))
    assert found is not None, name
    return found


async def a_full_week(chat: ChatDriver, app) -> None:
    """Ana (Berlin) with something of every kind pending: the first-list check-in and the digest from
    onboarding, Maya's follow-up clock, a Thursday 15:00 call with Sara (prep, hour before, reflection),
    and Lena, met weeks ago, on the keep-in-touch cadence."""
    set_clock(app, NOW)
    await add_people(chat)
    await send_request(chat, "Maya Chen")
    async with UnitOfWork(factory_of(app)) as uow:
        sara = await uow.session.scalar(select(Contact).where(Contact.user_id == ANA.id, Contact.name == "Sara Ito"))
        sara.stage, sara.request_sent_at = Stage.REQUESTED, NOW - timedelta(days=3)
        sara.reply, sara.replied_at = "yes", NOW - timedelta(hours=2)
        lena = uow.contacts.add(ANA.id, name="Lena Park", stage=Stage.THANKED)
        lena.met_at, lena.thanked_at = NOW - timedelta(days=60), NOW - timedelta(days=59)
        await uow.session.flush()
        await after.log_touch(uow, ANA.id, lena.id, NOW - timedelta(days=10))
    await book(chat, "Thursday 3 Dec 15:00", "Sara Ito")
    kinds = {n.kind for n in await pending(app)}
    assert kinds == LOCAL_KINDS | MEETING_KINDS, kinds


# The menu ---------------------------------------------------------------------------------------------------


def setting_lines(text: str) -> list[str]:
    return [line for line in text.split("\n")[1:] if line.strip() and ":" in line]


async def test_every_setting_shows_its_current_value_and_its_default(ana: ChatDriver, bot_app) -> None:
    """Protects the menu's promise: each of the eleven settings says what it is now and what it would be
    by default, before and after changes."""
    set_clock(bot_app, NOW)
    await onboard(ana)
    menu = (await ana.send("/settings"))[0].text
    lines = setting_lines(menu)
    assert len(lines) == 11 and all("(default " in line for line in lines), menu
    for expected in (
        "Time zone: Europe/Berlin (UTC+01:00), where it is now 10:00 (default UTC)",
        "Quiet hours (no reminders): 21:00–08:00 (default 21:00–08:00)",
        "Reminders: on (default on)",
        "Public holidays skipped: none (default none)",
        "Weekly digest: Monday mornings (default Monday)",
        "Muted reminders: none (default none)",
        "Strict drafting style: off, 100 words (default off, 100 words)",
        "Follow-ups per request: 1 (default 1)",
        "Keep in touch: every 6 weeks, at most 3 months (default every 6 weeks, at most 3 months)",
        "Report back: 4 weeks after the thank-you (default 4 weeks)",
        "Ask again after a “not now”: 4 weeks later (default 4 weeks)",
    ):
        assert expected in menu, f"{expected!r} missing from\n{menu}"

    await ana.press("Quiet hours")
    await ana.send("22:30-6:45")
    await ana.press("Time zone")
    await ana.send("New York")
    await ana.press("Keep in touch")
    await ana.press("Every 8 weeks")
    await ana.press("Keep in touch")
    await ana.press("At most 6 months")
    await ana.press("Report back")
    await ana.press("2 weeks")
    await ana.press("Ask again")
    await ana.press("8 weeks")
    await ana.press("Pause reminders")
    await ana.press("1 week")
    menu = ana.last().text
    lines = setting_lines(menu)
    assert len(lines) == 11 and all("(default " in line for line in lines), menu
    for expected in (
        "Time zone: America/New_York (UTC-05:00), where it is now 04:00 (default UTC)",
        "Quiet hours (no reminders): 22:30–06:45 (default 21:00–08:00)",
        "Reminders: ⏸ paused until Mon 7 Dec, 09:00 (default on)",
        "Keep in touch: every 8 weeks, at most 6 months (default every 6 weeks, at most 3 months)",
        "Report back: 2 weeks after the thank-you (default 4 weeks)",
        "Ask again after a “not now”: 8 weeks later (default 4 weeks)",
    ):
        assert expected in menu, f"{expected!r} missing from\n{menu}"
    assert "▶️ Resume reminders" in ana.last().button_labels()


async def test_settings_menu_changes_and_reschedules(ana: ChatDriver, bot_app) -> None:
    await onboard(ana)
    menu = (await ana.send("/settings"))[0]
    assert "21:00–08:00" in menu.text and "Monday" in menu.text and "holidays skipped: none" in menu.text

    await ana.press("Quiet hours")
    assert "Please send two times" in (await ana.send("22"))[0].text
    assert "fewer than 8 hours" in (await ana.send("8-1"))[0].text
    reask = (await ana.send("10-7"))[0].html
    assert "Did you mean 22:00–07:00?" in reask and "<i>10pm-7am</i>" in reask, "a friendly re-ask with an example"
    assert "isn't a time on the clock" in (await ana.send("22:75-7"))[0].text
    await ana.send("10.30pm – 6:45am")
    assert "Quiet hours (no reminders): 22:30–06:45" in ana.last_text()
    async with UnitOfWork(factory_of(bot_app)) as uow:
        user = await uow.users.get(ANA.id)
    assert (user.quiet_start_minute, user.quiet_end_minute) == (22 * 60 + 30, 6 * 60 + 45)

    await ana.press("Public holidays")
    assert "don't know public holidays" in (await ana.send("Narnia"))[0].text
    await ana.send("Germany")
    assert "Germany" in ana.last_text()

    await ana.press("Digest day")
    await ana.press("Thu")
    assert "Thursday mornings" in ana.last_text()
    digest = await pending_digest(bot_app)
    local = digest.due_at.astimezone(BERLIN)
    assert local.weekday() == 3 and local.hour == 9 and digest.due_at > datetime.now(UTC)

    await ana.press("Done")
    assert "Settings saved" in ana.last_text()


# The time zone --------------------------------------------------------------------------------------------------


async def test_a_new_time_zone_moves_pending_reminders_to_the_same_local_time(ana: ChatDriver, bot_app) -> None:
    """Protects "changes take effect at once": after moving from Berlin to New York, every reminder planned at
    a time of day (the first-list check-in, the digest, Maya's day-3 and day-7 nudges, Lena's keep-in-touch)
    comes at the same local time in New York. A meeting is at a fixed instant for both people (Sara is still
    in Berlin at 15:00 her time), so its prep pack, its hour-before reminder and its reflection keep their
    instants; here they fall outside New York's quiet hours, so nothing holds them back."""
    await a_full_week(ana, bot_app)
    before = {n.id: (n.kind, n.due_at) for n in await pending(bot_app)}

    await ana.send("/settings")
    await ana.press("Time zone")
    assert "Which time zone" in ana.last_text()
    assert "Did you mean" in (await ana.send("New Yrok"))[0].text
    assert "couldn't match" in (await ana.send("Atlantis under the sea"))[0].text
    await ana.send("New York")
    note = ana.last_text()
    assert "Reminders now follow America/New_York" in note and "5 reminders moved to the same local time" in note
    assert "Time zone: America/New_York" in note

    after_move = {n.id: (n.kind, n.due_at) for n in await pending(bot_app)}
    assert after_move.keys() == before.keys(), "nothing is lost or added by a move"
    for nudge_id, (kind, due) in before.items():
        new_due = after_move[nudge_id][1]
        if kind in MEETING_KINDS:
            assert new_due == due, f"{kind}: a meeting's reminder keeps its instant"
        else:
            was = due.astimezone(BERLIN).replace(tzinfo=None)
            now_local = new_due.astimezone(NEW_YORK).replace(tzinfo=None)
            assert now_local == was, f"{kind}: {was} in Berlin became {now_local} in New York"
    follow_up = next(due for kind, due in after_move.values() if kind == "follow_up")
    assert follow_up.astimezone(NEW_YORK) == datetime(2026, 12, 9, 9, 0, tzinfo=NEW_YORK), "day 7: Wednesday 09:00"
    digest = next(due for kind, due in after_move.values() if kind == "digest")
    assert digest.astimezone(NEW_YORK) == datetime(2026, 12, 7, 9, 0, tzinfo=NEW_YORK)


async def test_a_new_time_zone_in_profile_moves_them_too(ana: ChatDriver, bot_app) -> None:
    """Protects the same rule when the zone is changed where it always was: /profile → Edit a detail."""
    await a_full_week(ana, bot_app)
    before = {n.id: (n.kind, n.due_at) for n in await pending(bot_app)}
    await ana.send("/profile")
    await ana.press("Edit a detail")
    await ana.press("Time zone")
    await ana.send("Tokyo")
    assert "Asia/Tokyo" in ana.last_text()
    after_move = {n.id: (n.kind, n.due_at) for n in await pending(bot_app)}
    for nudge_id, (kind, due) in before.items():
        if kind in LOCAL_KINDS:
            was = due.astimezone(BERLIN).replace(tzinfo=None)
            assert after_move[nudge_id][1].astimezone(TOKYO).replace(tzinfo=None) == was, kind
        elif kind == "prep_hour":
            assert after_move[nudge_id][1] == due, "the hour before the meeting keeps its instant"
        else:  # 18:00 and 16:30 in Berlin are 02:00 and 00:30 in Tokyo: quiet, so the morning (08:00)
            moved = after_move[nudge_id][1].astimezone(TOKYO)
            assert moved >= due and (moved.hour, moved.minute) == (8, 0), (kind, moved)


async def test_a_shared_location_sets_the_zone(ana: ChatDriver, api, bot_app) -> None:
    set_clock(bot_app, NOW)
    await onboard(ana)
    await ana.send("/settings")
    await ana.press("Time zone")
    await ana.send_content("location", location={"latitude": 40.71, "longitude": -74.0})
    assert "Time zone: America/New_York" in ana.last_text()
    digest = await pending_digest(bot_app)
    assert digest.due_at.astimezone(NEW_YORK) == datetime(2026, 12, 7, 9, 0, tzinfo=NEW_YORK)


# Quiet hours ----------------------------------------------------------------------------------------------------


async def test_new_quiet_hours_move_what_falls_inside_them_but_never_the_hour_before(ana: ChatDriver, bot_app) -> None:
    """Protects the rule: a late riser's quiet hours until 09:15 move the 09:00 reminders to 09:15, while a
    08:30 meeting's hour-before reminder stays at 07:30 (it is never held back) and nothing else moves."""
    set_clock(bot_app, NOW)
    await add_people(ana)
    await send_request(ana, "Maya Chen")
    async with UnitOfWork(factory_of(bot_app)) as uow:
        sara = await uow.session.scalar(select(Contact).where(Contact.user_id == ANA.id, Contact.name == "Sara Ito"))
        sara.stage, sara.reply, sara.replied_at = Stage.REQUESTED, "yes", NOW - timedelta(hours=2)
    await book(ana, "Thursday 3 Dec 8:30", "Sara Ito")
    before = {n.id: (n.kind, n.due_at) for n in await pending(bot_app)}
    await ana.send("/settings")
    await ana.press("Quiet hours")
    await ana.send("22:30-9:15")
    note = ana.last_text()
    assert "22:30–09:15 (default 21:00–08:00)" in note and "4 reminders moved out of your new quiet hours" in note
    for nudge_id, (kind, due) in before.items():
        new_due = next(n.due_at for n in await pending(bot_app) if n.id == nudge_id)
        local = due.astimezone(BERLIN)
        if kind == "prep_hour":
            assert new_due == due and (local.hour, local.minute) == (7, 30), "never held back"
        elif (local.hour, local.minute) == (9, 0):
            assert new_due.astimezone(BERLIN) == local.replace(minute=15), kind
        else:
            assert new_due == due, f"{kind} at {local:%H:%M} was outside the new quiet hours"


# Keep in touch, report back, ask again --------------------------------------------------------------------------


async def test_new_periods_replan_the_reminders_that_follow_the_default(ana: ChatDriver, bot_app) -> None:
    """Protects the cadence settings: Lena (the default cadence) is re-planned from her last contact; Omar, with
    his own 4 weeks, keeps his; Maya's report back and Sara's re-ask follow their new periods, and a report
    back the change makes overdue goes out now rather than never."""
    set_clock(bot_app, NOW)
    await add_people(ana)
    last_touch = NOW - timedelta(days=10)
    async with UnitOfWork(factory_of(bot_app)) as uow:
        lena = uow.contacts.add(ANA.id, name="Lena Park", stage=Stage.KEEPING_IN_TOUCH, met_at=NOW - timedelta(days=60))
        omar = uow.contacts.add(ANA.id, name="Omar Haddad", stage=Stage.KEEPING_IN_TOUCH, touch_days=28)
        omar.met_at = NOW - timedelta(days=60)
        await uow.session.flush()
        await after.log_touch(uow, ANA.id, lena.id, last_touch)
        await after.log_touch(uow, ANA.id, omar.id, last_touch)
        maya = await uow.session.scalar(select(Contact).where(Contact.user_id == ANA.id, Contact.name == "Maya Chen"))
        maya.stage, maya.met_at = Stage.MET, NOW - timedelta(days=21)
        await after.mark_thanked(uow, ANA.id, maya.id, NOW - timedelta(days=20))
        sara = await uow.session.scalar(select(Contact).where(Contact.user_id == ANA.id, Contact.name == "Sara Ito"))
        sara.stage, sara.request_sent_at = Stage.REQUESTED, NOW - timedelta(days=5)
        await outreach.log_reply(uow, ANA.id, sara.id, Reply.NOT_NOW, NOW - timedelta(days=1))
    lena_id, omar_id, maya_id, sara_id = lena.id, omar.id, maya.id, sara.id

    async def due(kind: str, contact_id: int) -> datetime:
        found = [n for n in await pending(bot_app, kind) if n.subject == str(contact_id)]
        assert len(found) == 1, f"{kind} for {contact_id}: {found}"
        return found[0].due_at

    omar_before = await due("keep_in_touch", omar_id)
    assert (await due("keep_in_touch", lena_id)).astimezone(BERLIN).date() == (last_touch + timedelta(days=42)).date()

    await ana.send("/settings")
    await ana.press("Keep in touch")
    assert "✓ Every 6 weeks" in ana.last().button_labels() and "✓ At most 3 months" in ana.last().button_labels()
    await ana.press("Every 8 weeks")
    lena_due = (await due("keep_in_touch", lena_id)).astimezone(BERLIN)
    assert lena_due.date() == (last_touch + timedelta(days=56)).astimezone(BERLIN).date() and lena_due.hour == 9
    assert await due("keep_in_touch", omar_id) == omar_before, "his own period stays"

    await ana.press("Report back")
    await ana.press("2 weeks")  # thanked 20 days ago: 2 weeks have passed, so it is due now
    assert await due("report_back", maya_id) == NOW

    await ana.press("Ask again")
    await ana.press("8 weeks")
    reask = (await due("not_now", sara_id)).astimezone(BERLIN)
    assert reask.date() == (NOW - timedelta(days=1) + timedelta(days=56)).astimezone(BERLIN).date()
    assert reask.hour == 9
    async with UnitOfWork(factory_of(bot_app)) as uow:
        user = await uow.users.get(ANA.id)
    assert (user.touch_ideal_days, user.touch_max_days, user.report_back_days, user.not_now_days) == (56, 91, 14, 56)

    menu = ana.last()
    await ana.press_data("st:ti:999", menu)  # crafted: not a choice offered
    await ana.press("Keep in touch")
    await ana.press_data("st:tm:30", ana.last())  # crafted: not offered either (and below the ideal)
    async with UnitOfWork(factory_of(bot_app)) as uow:
        user = await uow.users.get(ANA.id)
    assert (user.touch_ideal_days, user.touch_max_days) == (56, 91), "forged period buttons change nothing"


# Muted reminders and leaving ------------------------------------------------------------------------------------


async def test_unmute_brings_the_digest_back(ana: ChatDriver, bot_app) -> None:
    await onboard(ana)
    async with UnitOfWork(factory_of(bot_app)) as uow:
        user = await uow.users.get(ANA.id)
        user.mute("digest")
        await uow.nudges.cancel_pending(ANA.id, kind="digest")
    assert await pending_digest(bot_app) is None
    assert "Weekly digest (default none)" in (await ana.send("/settings"))[0].text
    await ana.press("back on")
    assert "Muted reminders:</b> none" in ana.last().html
    assert await pending_digest(bot_app) is not None


async def test_cancel_and_other_commands_leave_settings(ana: ChatDriver) -> None:
    await onboard(ana)
    await ana.send("/settings")
    await ana.press("Quiet hours")
    assert "Everything you changed is saved" in (await ana.send("/cancel"))[0].text
    assert "not sure" in (await ana.send("22-7"))[0].text, "no longer waiting for quiet hours"
    await ana.send("/settings")
    replies = await ana.send("/today")
    assert "Today" in replies[0].text, "another command closes the settings and runs at once"
    assert "not sure" in (await ana.send("22-7"))[0].text, "the settings are closed"


async def test_quiet_hours_kinds_are_the_ones_listed() -> None:
    """The kinds this file treats as local-time reminders are the ones coaching.reschedule anchors locally."""
    from coaching.reschedule import Anchor, anchor_of

    assert {k for k in NudgeKind if anchor_of(k) is Anchor.LOCAL} >= LOCAL_KINDS
    assert {k for k in NudgeKind if anchor_of(k) is not Anchor.LOCAL} >= MEETING_KINDS


async def test_the_migration_keeps_existing_quiet_hours_in_minutes(database_url: str) -> None:
    """Protects users' quiet hours across the upgrade: 22-7 in whole hours becomes 22:00-07:00 in minutes,
    and a user who never changed them keeps the default."""
    engine = create_engine(database_url)

    def upgrade_to(revision: str):
        def run(connection) -> None:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

        return run

    try:
        async with engine.begin() as connection:
            await connection.run_sync(upgrade_to("0009"))
            stamp = "2026-11-30 09:00:00+00:00"
            await connection.execute(
                text(
                    "INSERT INTO users (id, chat_id, is_active, quiet_start_hour, quiet_end_hour, created_at, "
                    "updated_at) VALUES (1, 1, true, 22, 7, :t, :t), (2, 2, true, 21, 8, :t, :t)"
                ),
                {"t": datetime.fromisoformat(stamp)},
            )
            await connection.run_sync(upgrade_to("head"))
            found = (
                await connection.execute(
                    text("SELECT id, quiet_start_minute, quiet_end_minute, paused_at FROM users ORDER BY id")
                )
            ).all()
    finally:
        await engine.dispose()
    assert [tuple(row) for row in found] == [(1, 1320, 420, None), (2, 1260, 480, None)]
