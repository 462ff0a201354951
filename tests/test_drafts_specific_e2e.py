"""Drafts from what the user told us, end to end: the connection from /find, the "why them" answer,
the offer; Shorter on the user's own words; one-tap copy buttons; a pasted draft offered a review."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Contact, DraftRecord
from storage.uow import UnitOfWork
from tests.conftest import ANA
from tests.driver import ChatDriver
from tests.test_drafts_e2e import factory_of
from tests.test_onboarding_e2e import onboard


async def add_classmate(chat: ChatDriver) -> None:
    """Through /find: past the family question, then a classmate at the second."""
    await onboard(chat)
    await chat.send("/find")
    await chat.press("Next")
    await chat.send("Petra Wolff, Charité")
    await chat.press("On to employers")
    await chat.press("Finish")


async def contact(app, name: str) -> Contact:
    async with UnitOfWork(factory_of(app)) as uow:
        return await uow.session.scalar(select(Contact).where(Contact.user_id == ANA.id, Contact.name == name))


async def test_a_classmate_with_a_reason_and_an_offer_gets_a_draft_using_all_three(ana: ChatDriver, bot_app) -> None:
    """The connection chosen in /find, the answer to "why them" and the offer all reach the draft."""
    await add_classmate(ana)
    petra = await contact(bot_app, "Petra Wolff")
    assert petra.source == "alumni"
    await ana.send("/contacts")
    await ana.press("Petra Wolff")
    await ana.press("Something to offer")
    await ana.send("share my survey of clinic workflows")
    await ana.send("/draft")
    await ana.press("Petra Wolff")
    await ana.press("Email")
    assert "made you think of them" in ana.last_text()
    await ana.send("your talk on accessible maps at CHI")
    draft = ana.last().text
    assert "alum" in draft or "same school" in draft or "alma mater" in draft, draft
    assert "your talk on accessible maps at chi" in draft.lower()
    assert "share my survey of clinic workflows" in draft
    assert (await contact(bot_app, "Petra Wolff")).why_them == "your talk on accessible maps at CHI"
    await ana.send("/draft")
    await ana.press("Petra Wolff")
    await ana.press("LinkedIn message")
    assert "made you think of them" not in ana.last_text(), "asked once; kept on the card"
    assert "Why them:" in (await open_card(ana, "Petra Wolff")).text


async def open_card(chat: ChatDriver, name: str):
    await chat.send("/contacts")
    await chat.press(name)
    return chat.last()


async def test_shorter_on_an_edited_draft_keeps_the_users_words(ana: ChatDriver, bot_app) -> None:
    """Shorter trims the user's own sentences; it never swaps in a template."""
    await add_classmate(ana)
    await ana.send("/draft")
    await ana.press("Petra Wolff")
    await ana.press("Email")
    await ana.skip_why_them()
    await ana.press("Edit", ana.last())
    own = (
        "Hi Petra, we were both in the Charité nursing cohort of 2015. I'd love to hear how you moved into "
        "design research. I spent ten years on the wards and I have been taking evening courses in design "
        "since last spring. Could you spare 20 minutes for a call? Any time that suits you is fine. "
        "Thank you so much!"
    )
    replies = await ana.send(own)
    mine = next(m for m in replies if m.text.startswith("Hi Petra, we were both"))
    await ana.press("Shorter", mine)
    shorter = ana.last().text
    assert shorter != own and len(shorter.split()) < len(own.split())
    assert shorter.startswith("Hi Petra, we were both in the Charité nursing cohort of 2015.")
    assert "Could you spare 20 minutes for a call?" in shorter and "Thank you so much!" in shorter
    async with UnitOfWork(factory_of(bot_app)) as uow:
        latest = await uow.session.scalar(select(DraftRecord).order_by(DraftRecord.id.desc()))
    assert latest.edited and latest.body == shorter


async def test_copy_buttons_appear_only_where_the_text_fits(ana: ChatDriver, bot_app) -> None:
    """A LinkedIn note gets a one-tap copy button; an email gets one for its subject, never for its long body."""
    await add_classmate(ana)
    await ana.send("/draft")
    await ana.press("Petra Wolff")
    await ana.press("LinkedIn connection note")
    await ana.skip_why_them()
    note = ana.last()
    copies = [b for row in note.buttons for b in row if "copy_text" in b]
    assert [b["copy_text"]["text"] for b in copies] == [note.text] and len(note.text) <= 256
    await ana.send("/draft")
    await ana.press("Petra Wolff")
    await ana.press("Email")
    await ana.skip_why_them()
    email = ana.last()
    copies = [b for row in email.buttons for b in row if "copy_text" in b]
    subject = email.text.splitlines()[0].removeprefix("Subject: ")
    assert [b["copy_text"]["text"] for b in copies] == [subject], "the body is too long for a copy button"


async def test_a_pasted_draft_is_offered_a_review(ana: ChatDriver, bot_app) -> None:
    """Outside any flow, a message that reads like a request gets "Review it"; the button works once."""
    await onboard(ana)
    pasted = (
        "Hi Jordan, we were both in the UCLA nursing club. I'd love to hear how you ended up in the NICU "
        "and what a normal shift looks like. Could you spare 20 minutes for a call, whenever works for you? "
        "Thank you so much!\nAna"
    )
    replies = await ana.send(pasted)
    assert "looks like a draft" in replies[-1].text
    offer = replies[-1]
    await ana.press("Review it", offer)
    assert "Review" in ana.last_text() and "checks pass" in ana.last_text()
    again = await ana.press_data("dr:rvp", offer)
    assert not any("checks pass" in m.text for m in again), "the pasted text is reviewed once"
    short = await ana.send("thanks!")
    assert "looks like a draft" not in short[-1].text, "a short message is not taken for a draft"


async def test_another_channel_while_asked_why_starts_afresh(ana: ChatDriver, bot_app) -> None:
    """While "why them" is asked, picking another channel on the same menu asks again for that channel."""
    await add_classmate(ana)
    await ana.send("/draft")
    await ana.press("Petra Wolff")
    channels = ana.last_with_buttons()
    await ana.press("Email", channels)
    assert "made you think of them" in ana.last_text()
    petra = await contact(bot_app, "Petra Wolff")
    await ana.press_data(f"dr:k:li_msg:{petra.id}", channels)
    assert "made you think of them" in ana.last_text(), "asked again, for the LinkedIn message"
    await ana.send("your post on research ops")
    assert "LinkedIn message" in " ".join(m.text for m in ana.messages()[-2:])
    assert (await contact(bot_app, "Petra Wolff")).why_them == "your post on research ops"
