"""/settings end to end: quiet hours, holidays, the digest day, muted reminders."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from storage.models import Nudge
from storage.uow import UnitOfWork
from tests.conftest import ANA
from tests.driver import ChatDriver
from tests.test_onboarding_e2e import onboard


async def pending_digest(app) -> Nudge:
    async with UnitOfWork(app.bot_data["services"].session_factory) as uow:
        return await uow.session.scalar(
            select(Nudge).where(Nudge.user_id == ANA.id, Nudge.kind == "digest", Nudge.status == "pending")
        )


async def test_settings_menu_changes_and_reschedules(ana: ChatDriver, bot_app) -> None:
    await onboard(ana)
    menu = (await ana.send("/settings"))[0]
    assert "21:00–08:00" in menu.text and "Monday" in menu.text and "not set" in menu.text

    await ana.press("Quiet hours")
    assert "Please send two hours" in (await ana.send("22"))[0].text
    assert "fewer than 8 hours" in (await ana.send("8-1"))[0].text
    await ana.send("22-7")
    assert "22:00–07:00" in ana.last_text()

    await ana.press("Public holidays")
    assert "don't know public holidays" in (await ana.send("Narnia"))[0].text
    await ana.send("Germany")
    assert "Germany" in ana.last_text()

    await ana.press("Digest day")
    await ana.press("Thu")
    assert "Thursday mornings" in ana.last_text()
    digest = await pending_digest(bot_app)
    local = digest.due_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert local.weekday() == 3 and local.hour == 9 and digest.due_at > datetime.now(UTC)

    await ana.press("Done")
    assert "Settings saved" in ana.last_text()


async def test_unmute_brings_the_digest_back(ana: ChatDriver, bot_app) -> None:
    await onboard(ana)
    async with UnitOfWork(bot_app.bot_data["services"].session_factory) as uow:
        user = await uow.users.get(ANA.id)
        user.mute("digest")
        await uow.nudges.cancel_pending(ANA.id, kind="digest")
    assert await pending_digest(bot_app) is None
    assert "Weekly digest" in (await ana.send("/settings"))[0].text
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
