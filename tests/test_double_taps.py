"""Double taps: both presses queued before the bot has answered the first. The second does nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coaching.copy import SOMETHING_WENT_WRONG
from storage.models import DraftRecord
from storage.uow import UnitOfWork
from tests.driver import ChatDriver
from tests.test_after_e2e import press_twice_at_once
from tests.test_drafts_e2e import add_people, factory_of
from tests.test_onboarding_e2e import onboard


def button(message, label: str) -> str:
    return next(b["callback_data"] for row in message.buttons for b in row if label.lower() in b["text"].lower())


async def test_a_double_tap_on_next_moves_on_one_question(ana: ChatDriver, bot_app) -> None:
    await onboard(ana)
    await ana.send("/find")
    first = ana.last_with_buttons()
    assert first.text.startswith("1/")
    await press_twice_at_once(ana, first, button(first, "Next"))
    questions = [m.text[:2] for m in ana.messages() if m.buttons and "/" in m.text[:3]]
    assert questions[-1] == "2/", f"a double tap skipped a question: {questions}"
    second = ana.last_with_buttons()
    await press_twice_at_once(ana, second, button(second, "Next"))
    assert ana.last_with_buttons().text.startswith("3/")
    assert not [m for m in ana.messages() if SOMETHING_WENT_WRONG in m.text]


async def _drafts(app) -> int:
    async with UnitOfWork(factory_of(app)) as uow:
        return await uow.session.scalar(select(func.count()).select_from(DraftRecord))


async def test_a_double_tap_on_email_makes_one_draft(ana: ChatDriver, bot_app) -> None:
    await add_people(ana)
    await ana.send("/draft")
    await ana.press("Maya Chen")
    kinds = ana.last_with_buttons()
    await press_twice_at_once(ana, kinds, button(kinds, "Email"))
    assert "made you think of them" in ana.last_text()
    await ana.send("She built the patient app I use")
    assert await _drafts(bot_app) == 1
    # With the reason already on the card, the pick drafts right away: still one draft for a double tap.
    await ana.send("/draft")
    await ana.press("Maya Chen")
    kinds = ana.last_with_buttons()
    await press_twice_at_once(ana, kinds, button(kinds, "Email"))
    assert await _drafts(bot_app) == 2
    assert not [m for m in ana.messages() if SOMETHING_WENT_WRONG in m.text]


async def _first_draft(chat: ChatDriver):
    await add_people(chat)
    await chat.send("/draft")
    await chat.press("Maya Chen")
    await chat.press("Email")
    await chat.skip_why_them()
    return chat.last()


def _draft_messages(chat: ChatDriver) -> int:
    return sum(m.text.startswith("Subject:") for m in chat.messages())


@pytest.mark.parametrize("label", ["Another version", "Shorter"])
async def test_a_double_tap_on_a_draft_button_makes_one_new_version(ana: ChatDriver, bot_app, label: str) -> None:
    draft = await _first_draft(ana)
    await press_twice_at_once(ana, draft, button(draft, label))
    assert await _drafts(bot_app) == 2, "a double tap stored two new versions"
    assert _draft_messages(ana) == 2, "a double tap showed two new versions"
    # The new version's buttons work (once each), and so do the first draft's other buttons.
    newest = ana.last_with_buttons()
    await press_twice_at_once(ana, newest, button(newest, "Another version"))
    assert await _drafts(bot_app) == 3
    other = "Shorter" if label == "Another version" else "Another version"
    await ana.press(other, draft)
    assert await _drafts(bot_app) == 4
    assert not [m for m in ana.messages() if SOMETHING_WENT_WRONG in m.text]


async def test_a_double_tap_on_i_sent_it_confirms_once(ana: ChatDriver, bot_app) -> None:
    draft = await _first_draft(ana)
    await press_twice_at_once(ana, draft, button(draft, "I sent it"))
    texts = [m.text for m in ana.messages()]
    assert sum("follow-up clock is running" in t for t in texts) == 1
    assert not [t for t in texts if "already marked" in t or SOMETHING_WENT_WRONG in t], texts[-1]
