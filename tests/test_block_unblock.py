"""Blocking and unblocking the bot, end to end: a block (a 403 on a reminder, or my_chat_member "kicked")
holds every reminder, nothing is cancelled and nothing is sent; when the user is back (unblocked, or any
message, /start included) what no longer applies is dropped and the rest is released calmly, by the
pause's rule (coaching/reschedule.py): at most 3 at once, 3 each next morning; the weekly digest and the
follow-up clock go on.

On PostgreSQL: set INFOCOACH_TEST_DATABASE_URL (see tests/conftest.py).
"""

from __future__ import annotations

from datetime import timedelta

from coaching.defaults import RELEASE_PER_MORNING, RELEASE_RIGHT_AWAY
from coaching.enums import NudgeKind
from services.nudges import HELD
from storage.uow import UnitOfWork
from tests.conftest import ANA, BEN
from tests.driver import ChatDriver
from tests.test_after_e2e import set_clock
from tests.test_drafts_e2e import factory_of
from tests.test_pause_e2e import a_busy_week, berlin, dispatch, rows

WEEK = (berlin(12, 1, 9, 5), berlin(12, 1, 18, 5), berlin(12, 2, 9, 5), berlin(12, 2, 14, 5),
        berlin(12, 2, 16, 35), berlin(12, 3, 9, 5), berlin(12, 3, 18, 5), berlin(12, 4, 9, 5))  # fmt: skip
DROPPED = {"first_list", "digest_thu", "maya_day3", "lena_prep", "lena_hour", "kai4"}


async def is_active(app, user_id: int = ANA.id) -> bool:
    async with UnitOfWork(factory_of(app)) as uow:
        return (await uow.users.get(user_id)).is_active


async def archive_kai4(app, ids: dict[str, int]) -> None:
    """Kai 4 is archived while the user is away: that reminder no longer applies."""
    async with UnitOfWork(factory_of(app)) as uow:
        nudge = await uow.nudges.get(ids["kai4"])
        (await uow.contacts.get_owned(int(nudge.subject), ANA.id)).archived = True


async def assert_released_calmly(app, api, ids: dict[str, int], back_at) -> None:
    after = {key: (await rows(app))[nudge_id] for key, nudge_id in ids.items()}
    assert {key for key, n in after.items() if n.status == "cancelled"} == DROPPED, "only what no longer applies"
    assert await dispatch(app, api, back_at) == RELEASE_RIGHT_AWAY == 3, "no flood: three at once"
    sent_now = {key for key, n in {k: (await rows(app))[i] for k, i in ids.items()}.items() if n.status == "sent"}
    assert sent_now == {"omar_prep", "tom_thanks", "lena_reflect"}, "the most urgent first"
    assert await dispatch(app, api, berlin(12, 4, 20)) == 0, "nothing more that day"
    per_morning = {day: await dispatch(app, api, berlin(12, day, 9, 30)) for day in (5, 6)}
    assert per_morning == {5: 3, 6: 0} and max(per_morning.values()) <= RELEASE_PER_MORNING
    monday = await dispatch(app, api, berlin(12, 7, 9, 30))
    assert (await rows(app))[ids["maya_day7"]].status == "sent", "the follow-up clock goes on"
    assert 1 <= monday <= 3, "Monday: the follow-up and the weekly digest (and its chart)"
    digests = [n for n in (await rows(app)).values() if n.kind == NudgeKind.DIGEST]
    assert any(n.status == "sent" for n in digests) and any(n.status == "pending" for n in digests), (
        "the weekly digest was sent, and the next one is planned"
    )
    assert {n.status for n in (await rows(app)).values() if n.id in ids.values()} == {"sent", "cancelled"}


async def test_a_403_holds_every_reminder_and_unblocking_releases_them_calmly(ana: ChatDriver, api, bot_app) -> None:
    """Protects the block: Telegram refuses a reminder with 403 (the user blocked the bot): the user is
    inactive, that reminder and every one that falls due during the week are held, none cancelled, none
    sent; the unblock releases what still applies without a flood."""
    ids = await a_busy_week(ana, bot_app)
    api.blocked.add(ANA.id)  # blocked without the bot being told: the first reminder gets a 403
    for moment in WEEK:
        assert await dispatch(bot_app, api, moment) == 0, f"a reminder went to a blocked user at {moment}"
    assert not await is_active(bot_app)
    held = {key: (await rows(bot_app))[nudge_id] for key, nudge_id in ids.items()}
    assert all(n.status == "pending" for n in held.values()), {k: n.status for k, n in held.items()}
    due = {key for key, n in held.items() if n.last_error == HELD}
    assert due >= {"first_list", "tom_thanks", "lena_prep", "maya_day3", "omar_prep", "maya_day7"}, due
    assert not [n for n in (await rows(bot_app)).values() if n.status == "cancelled"], "nothing is cancelled"

    await archive_kai4(bot_app, ids)
    back_at = berlin(12, 4, 11)  # Friday 11:00
    set_clock(bot_app, back_at)
    await ana.set_blocked(False)
    assert await is_active(bot_app)
    await assert_released_calmly(bot_app, api, ids, back_at)


async def test_kicked_then_start_releases_calmly(ana: ChatDriver, api, bot_app) -> None:
    """Protects my_chat_member "kicked" and coming back with /start: the reminders wait, untouched by the
    block; /start (any message from them) takes them back and releases what still applies calmly."""
    ids = await a_busy_week(ana, bot_app)
    before = {n.id: (n.status, n.due_at) for n in (await rows(bot_app)).values()}
    await ana.set_blocked(True)
    assert not await is_active(bot_app)
    assert {n.id: (n.status, n.due_at) for n in (await rows(bot_app)).values()} == before, "nothing cancelled"
    for moment in WEEK:
        assert await dispatch(bot_app, api, moment) == 0
    assert {n.status for n in (await rows(bot_app)).values()} == {"pending"}

    await archive_kai4(bot_app, ids)
    back_at = berlin(12, 4, 11)
    set_clock(bot_app, back_at)
    api.blocked.discard(ANA.id)  # she opens the chat again and sends /start
    replies = await ana.send("/start")
    assert replies, "the bot answers her"
    assert await is_active(bot_app)
    await assert_released_calmly(bot_app, api, ids, back_at)


async def test_a_user_who_never_finished_onboarding_can_block_and_come_back(ben: ChatDriver, api, bot_app) -> None:
    """Protects the half-onboarded: Ben answers one question, blocks, unblocks and carries on; no reminder
    is planned for him (nothing to hold, nothing to release) and nothing fails."""
    await ben.send("/start")
    await ben.press("Call me")
    await ben.set_blocked(True)
    assert not await is_active(bot_app, BEN.id)
    await ben.set_blocked(False)
    assert await is_active(bot_app, BEN.id)
    await ben.set_blocked(True)
    api.blocked.discard(BEN.id)
    replies = await ben.send("/start")
    assert replies and await is_active(bot_app, BEN.id)
    assert all("went wrong" not in m.text for m in ben.messages())
    set_clock(bot_app, berlin(12, 1, 9))
    assert await dispatch(bot_app, api, berlin(12, 1, 9) + timedelta(days=8)) == 0
