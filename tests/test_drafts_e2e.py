"""Drafting end to end: draft, review, I sent it, the 3B7 clock in time, replies, referrals, hostile input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.dispatcher import Dispatcher
from storage.models import Contact, DraftRecord, Nudge
from storage.uow import UnitOfWork
from tests.conftest import ANA
from tests.driver import ChatDriver
from tests.test_onboarding_e2e import onboard


def factory_of(app):
    return app.bot_data["services"].session_factory


async def add_people(chat: ChatDriver) -> None:
    await onboard(chat)
    await chat.send("/find")
    await chat.send("Maya Chen, City Hospital\nSara Ito, City Hospital")
    await chat.press("On to employers")
    await chat.press("Finish")


async def contact_named(app, name: str) -> Contact:
    async with UnitOfWork(factory_of(app)) as uow:
        return await uow.session.scalar(select(Contact).where(Contact.user_id == ANA.id, Contact.name == name))


async def nudges_about(app, contact_id: int) -> list[Nudge]:
    async with UnitOfWork(factory_of(app)) as uow:
        rows = await uow.session.scalars(select(Nudge).where(Nudge.subject == str(contact_id)).order_by(Nudge.id))
        return list(rows)


async def fire(app, kind: str, contact_id: int) -> int:
    """Move time on: make the pending ``kind`` nudge due now (quiet hours off), and dispatch."""
    async with UnitOfWork(factory_of(app)) as uow:
        user = await uow.users.get(ANA.id)
        user.quiet_start_minute = user.quiet_end_minute = 0
        nudge = await uow.session.scalar(
            select(Nudge).where(Nudge.subject == str(contact_id), Nudge.kind == kind, Nudge.status == "pending")
        )
        assert nudge is not None, f"no pending {kind} nudge"
        nudge.due_at = datetime.now(UTC) - timedelta(minutes=1)
    return await Dispatcher(factory_of(app), per_chat_interval=0).run_once(app.bot)


async def draft_and_send(chat: ChatDriver, app, name: str = "Maya Chen") -> Contact:
    contact = await contact_named(app, name)
    await chat.send("/draft")
    await chat.press(name)
    await chat.press("Email")
    await chat.skip_why_them()
    draft = chat.last()
    assert draft.text.startswith("Subject: ") and f"{name.split()[0]}," in draft.text
    assert draft.entities == [], "drafts arrive as plain text, ready to copy"
    await chat.press("Review", draft)
    assert "9 of 9 checks pass" in chat.last_text()
    await chat.press("I sent it", draft)
    assert "follow-up clock is running" in chat.last_text()
    return contact


async def test_draft_review_send_and_the_clock_to_closing(ana: ChatDriver, bot_app) -> None:
    await add_people(ana)
    maya = await draft_and_send(ana, bot_app)
    kinds = [(n.kind, n.status) for n in await nudges_about(bot_app, maya.id)]
    assert kinds == [("second_person", "pending"), ("follow_up", "pending")]
    assert (await contact_named(bot_app, "Maya Chen")).stage == "requested"

    assert await fire(bot_app, "second_person", maya.id) == 1
    assert "Three business days" in ana.last_text()
    await ana.press("Pick a second person")
    assert ana.last().button_labels() == ["✉️ Sara Ito"]

    assert await fire(bot_app, "follow_up", maya.id) == 1
    await ana.press("Draft the follow-up")
    follow_up = ana.last()
    assert follow_up.text.startswith("Subject: Re: ") and "wrote to you" in follow_up.text
    await ana.press("I sent it", follow_up)
    maya_now = await contact_named(bot_app, "Maya Chen")
    assert maya_now.follow_ups_sent == 1 and maya_now.stage == "followed_up"
    assert "suggest moving on" in ana.last_text()

    assert await fire(bot_app, "close_silent", maya.id) == 1
    assert "hasn't replied" in ana.last_text()
    assert (await contact_named(bot_app, "Maya Chen")).stage == "closed"
    await ana.press("Draft a closing note")
    assert "down the road" in ana.last_text()
    await ana.send("/contacts")
    await ana.press("Maya Chen")
    card = ana.last_text()
    assert "Requests sent:" in card and "• Email, " in card and "• Follow-up, " in card


async def test_never_more_follow_ups_than_allowed(ana: ChatDriver, bot_app) -> None:
    await add_people(ana)
    maya = await draft_and_send(ana, bot_app)
    await fire(bot_app, "follow_up", maya.id)
    nudge_message = ana.last()
    await ana.press("Draft the follow-up")
    await ana.press("I sent it", ana.last())
    await ana.press_data(f"nd:go:{(await nudges_about(bot_app, maya.id))[1].id}", nudge_message)
    assert "as many times as your settings allow" in " ".join(m.text for m in ana.messages()[-3:])


async def test_a_reply_stops_the_clock_and_marks_a_booster(ana: ChatDriver, bot_app) -> None:
    await add_people(ana)
    maya = await draft_and_send(ana, bot_app)
    await ana.press("They replied")
    await ana.press("Yes, let's talk")
    told = " ".join(m.text for m in ana.messages()[-4:])
    assert "Wonderful" in told and "within 3 business days" in told
    answer = ana.messages()[-2].text
    assert answer.startswith("Hi Maya,") and " afternoon, or " in answer and "20-minute call?" in answer
    assert ana.last().button_labels() == ["📅 Schedule the meeting"]
    assert {n.status for n in await nudges_about(bot_app, maya.id)} == {"cancelled"}
    today = (await ana.send("/today"))[0]
    assert today.text.splitlines()[2].startswith("• 💬 Reply to Maya Chen")
    async with UnitOfWork(factory_of(bot_app)) as uow:
        assert (await uow.contacts.get_owned(maya.id, ANA.id)).booster


async def test_referral_creates_a_linked_contact(ana: ChatDriver, bot_app) -> None:
    await add_people(ana)
    maya = await draft_and_send(ana, bot_app)
    await ana.press("They replied")
    await ana.press("Referred me")
    assert "Who did Maya Chen refer you to" in ana.last_text()
    await ana.send("Sam Ortiz, Regional Clinic")
    assert "referred by Maya Chen" in ana.last_text()
    sam = await contact_named(bot_app, "Sam Ortiz")
    assert sam.referred_by_id == maya.id and sam.via == "Maya Chen" and sam.company == "Regional Clinic"
    await ana.press("Draft a request")
    await ana.press("Ask a mutual contact")
    assert "Hi Maya" in ana.last_text() and "Sam Ortiz" in ana.last_text()
    await ana.send("/contacts")
    await ana.press("Sam Ortiz")
    assert "Referred by: Maya Chen" in ana.last_text()


async def test_hostile_input(ana: ChatDriver, ben: ChatDriver, bot_app) -> None:
    await add_people(ana)
    await ana.send("/review")
    replies = await ana.send("Dear <b>Sir</b> & team, " + "word " * 5000)
    assert "I review drafts up to 3,500" in replies[0].text  # the limit, named (tests/test_limits_e2e.py)
    assert len(replies) == 1

    await ana.send("/draft")
    await ana.press("Maya Chen")
    await ana.press("LinkedIn message")
    await ana.skip_why_them()
    draft = ana.last()
    await ana.press("Edit", draft)
    replies = await ana.send("<i>Hi</i> Maya & co, " + "please " * 5000 + "?")
    assert len(replies) == 1 and "I review drafts up to 3,500" in replies[0].text, "too long: asked again"
    await ana.press("Edit", draft)
    own = await ana.send("Hi Maya <3, Tom & I say hi. Would you have 20 minutes? Whenever suits you. Thanks!")
    assert own[1].text.startswith("Hi Maya <3, Tom & I say hi.")

    maya = await contact_named(bot_app, "Maya Chen")
    async with UnitOfWork(factory_of(bot_app)) as uow:
        draft_ids = list(await uow.session.scalars(select(DraftRecord.id)))
    await ben.send("/help")
    anchor = ben.last()
    for data in (
        f"dr:sent:{draft_ids[0]}",
        f"dr:rv:{draft_ids[0]}",
        f"dr:k:email:{maya.id}",
        f"dr:rp:yes:{maya.id}",
        f"dr:to:{maya.id}",
        f"dr:rp:referred:{maya.id}",
    ):
        replies = await ben.press_data(data, anchor)
        assert all("Maya" not in m.text for m in replies)
    after = await contact_named(bot_app, "Maya Chen")
    assert after.replied_at is None and after.stage != "requested"


async def test_drafting_needs_a_profile_first(ana: ChatDriver, bot_app) -> None:
    await ana.send_all("/add", "Maya Chen", "City Hospital", "/cancel", "/draft")
    await ana.press("Maya Chen")
    replies = await ana.press("Email")
    assert "set that up first" in replies[-1].text and "/start" in replies[-1].text
