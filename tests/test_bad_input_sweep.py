"""The bad-input sweep: 45 kinds of hostile input at every text step of every flow, through the real
application and the strict local Bot API. None may bring "Sorry, something went wrong", a request Telegram
would refuse (the ``api`` fixture fails the test on any), or an error in the logs.

Each test starts one fresh application and user, then for each step: enter it, and send the inputs one by
one; after an input the step accepted (the conversation moved on), the step is entered again. On PostgreSQL
too: set INFOCOACH_TEST_DATABASE_URL (see tests/conftest.py).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import select, update
from telegram.ext import ConversationHandler

from coaching.copy import SOMETHING_WENT_WRONG
from storage.models import Contact
from storage.uow import UnitOfWork
from tests.conftest import ANA
from tests.driver import ChatDriver
from tests.test_after_e2e import berlin, book, people_who_said_yes, reflect_reminder
from tests.test_drafts_e2e import factory_of

HOSTILE = [
    "\x00",  # NUL alone
    "Ana\x00Lee",  # NUL inside
    "\u202eeeL anA",  # right-to-left override
    "A\u200db\u200cc\u200b",  # zero-width joiner, non-joiner, space
    "x" * 5000,  # longer than any answer
    "word " * 1000,  # 5,000 characters of words
    "a" * 4096,  # one very long word
    "<b>&<script>alert(1)</script>",  # HTML
    "&amp;" * 800,  # entity-looking runs
    "a&a&" * 1000,  # ampersands to escape
    "</b></i><i>",  # unbalanced tags
    "😀🎉👩‍💻🇩🇪",  # emoji only
    "👩‍👩‍👧‍👦" * 300,  # long emoji sequences
    "   ",  # spaces only
    "\u3000\u3000",  # ideographic spaces
    "\u00a0\u00a0",  # no-break spaces
    "\u2028\u2029",  # line and paragraph separators
    "\t\n\r\n",  # tabs and line ends
    "\n" * 200,  # blank lines
    "'; DROP TABLE users; --",  # SQL-ish
    "1' OR '1'='1",  # SQL-ish
    "%s %d {0} {name} %(x)s",  # format strings
    "*bold* _it_ `code` [link](http://x)",  # Markdown
    "1e9",
    "-1",
    "NaN",
    "0",
    "99999999999999999999",
    "3.5",
    "∞",
    "\x07\x08\x1b[31mred\x1b[0m",  # control characters and ANSI escapes
    "\x7f\x85\x9f",  # DEL and C1 controls
    "\ufeffBOM",  # byte-order mark
    "Zalgo Z̸̡̛̖a̶̧̛l̵̨͎g̴̣̈o̷̫͗",  # combining marks
    "مرحبا بالعالم",  # Arabic
    "日本語のテキスト",  # CJK
    "/notacommand",  # an unknown command
    "/start@someone_else_bot",  # a command for another bot
    "http://example.com/" + "a" * 300,  # a long URL
    "-",  # a lone dash
    "• * -",  # bullets only
    "\\u0000 \\x00",  # escapes typed as text
    "null",
    "<a href='javascript:alert(1)'>x</a>",
]
# Lone surrogates ("\ud800") are cleaned by handlers/clean_input.py, but today the durable inbox fails to store
# the update before any handler runs (bot/inbox.py writes its JSON with ensure_ascii=False): see
# test_lone_surrogates_reach_no_handler_and_no_database, expected to fail until the inbox escapes them.
SURROGATES = ["\ud800", "Ana \udfff Lee"]
assert len(HOSTILE) >= 40


def conversation_states(app) -> dict[str, object]:
    """Where ANA is in every conversation: changes when a step accepts an answer."""
    key = (ANA.id, ANA.id)
    return {
        handler.name: handler._conversations.get(key)
        for group in app.handlers.values()
        for handler in group
        if isinstance(handler, ConversationHandler)
    }


Enter = Callable[[], Awaitable[object]]


async def sweep_step(chat: ChatDriver, app, step: str, enter: Enter) -> list[str]:
    """Send every hostile input at ``step``; the problems found."""
    problems: list[str] = []
    await chat.send("/cancel")
    await enter()
    at_step = conversation_states(app)
    for text in HOSTILE:
        replies = await chat.send(text)
        if any(SOMETHING_WENT_WRONG in m.text for m in replies):
            problems.append(f"{step}: {text[:30]!r} -> Sorry, something went wrong")
        if conversation_states(app) != at_step:  # accepted: the next input starts at the step again
            await chat.send("/cancel")
            await enter()
            at_step = conversation_states(app)
    return problems


def errors_logged(caplog) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def run_sweep(chat: ChatDriver, app, caplog, steps: dict[str, Enter]) -> None:
    caplog.set_level(logging.INFO)
    problems: list[str] = []
    for step, enter in steps.items():
        problems += await sweep_step(chat, app, step, enter)
    assert problems == []
    assert errors_logged(caplog) == []


def press(chat: ChatDriver, *labels: str) -> Enter:
    async def enter() -> None:
        for label in labels:
            await (chat.send(label) if label.startswith("/") else chat.press(label))

    return enter


async def test_onboarding_settings_and_review_steps(ana: ChatDriver, bot_app, caplog) -> None:
    await people_who_said_yes(ana, bot_app)
    steps = {
        f"onboarding {detail}": press(ana, "/start", "Edit a detail", detail)
        for detail in ("Name", "Field", "Roles", "Time zone", "Goal", "Why you're asking", "Pitch")
    }
    steps |= {
        f"settings {item}": press(ana, "/settings", item)
        for item in ("Time zone", "Quiet hours", "Pause reminders", "Public holidays")
    }
    steps["/review"] = press(ana, "/review")
    await run_sweep(ana, bot_app, caplog, steps)


async def test_contact_and_draft_steps(ana: ChatDriver, bot_app, caplog) -> None:
    await people_who_said_yes(ana, bot_app)
    async with UnitOfWork(factory_of(bot_app)) as uow:
        sara = await uow.session.scalar(select(Contact.id).where(Contact.name == "Sara Ito"))

    async def to_sara(command: str, data: str) -> None:  # by id: a sweep input may rename her
        await ana.send(command)
        await ana.press_data(data, ana.last_with_buttons())

    async def why_them() -> None:  # asked before a first draft to someone, until it is answered
        async with UnitOfWork(factory_of(bot_app)) as uow:
            await uow.session.execute(update(Contact).values(why_them=None))
        await to_sara("/draft", f"dr:to:{sara}")
        await ana.press("LinkedIn message")

    async def own_version() -> None:
        await to_sara("/draft", f"dr:to:{sara}")
        await ana.press("Email")
        if "made you think of them" in ana.last_text():
            await ana.press("Skip")
        await ana.press("Edit", ana.last())

    async def card(button: str) -> None:
        await to_sara("/contacts", f"ct:c:{sara}")
        await press(ana, *button.split("|"))()

    steps: dict[str, Enter] = {"draft why them": why_them, "draft own version": own_version}
    for button in ("Company notes", "About them", "Something to offer", "Why them", "Edit|Name", "Edit|Company"):
        steps[f"card {button}"] = lambda button=button: card(button)
    # Last: these add contacts, and a long list would push Sara Ito off the first page above.
    steps |= {
        "/add name": press(ana, "/add"),
        "/add company": lambda: ana.send_all("/add", "Lea Novak"),
        "/find names": press(ana, "/find"),
        "/find employers": press(ana, "/find", "On to employers"),
    }
    await run_sweep(ana, bot_app, caplog, steps)


async def test_meeting_and_reflection_steps(ana: ChatDriver, bot_app, caplog) -> None:
    await people_who_said_yes(ana, bot_app, "Maya Chen", "Sara Ito")
    await book(ana, "Thursday 3 Dec 15:00")

    async def meeting_place() -> None:
        await press(ana, "/meeting", "Sara Ito")()
        await ana.send("Friday 4 Dec 11:00")
        await press(ana, "Yes", "In person")()

    async def own_question() -> None:
        await press(ana, "/prep", "Questions", "Add my own")()

    await reflect_reminder(ana, bot_app, berlin(12, 3, 16, 30))

    async def reflection() -> None:
        await ana.send("/reflect")
        if "Which conversation" in ana.last_text():
            await ana.press("Maya Chen")
        if "question 1 of 9" in ana.last_with_buttons().text:
            await ana.press("4")

    steps: dict[str, Enter] = {
        "meeting time": press(ana, "/meeting", "Sara Ito"),
        "meeting place": meeting_place,
        "meeting own question": own_question,
        "reflection answer": reflection,
    }
    await run_sweep(ana, bot_app, caplog, steps)


async def test_lone_surrogates_reach_no_handler_and_no_database(ana: ChatDriver, bot_app, caplog) -> None:
    ana.timeout = 3
    await ana.send("/add")
    for text in SURROGATES:
        replies = await ana.send(text)
        assert replies and not any(SOMETHING_WENT_WRONG in m.text for m in replies)
    assert errors_logged(caplog) == []


def _has_button(chat: ChatDriver, label: str) -> bool:
    try:
        return any(label.lower() in text.lower() for text in chat.last_with_buttons().button_labels())
    except AssertionError:
        return False


@pytest.fixture(autouse=True)
def _quick(ana: ChatDriver) -> None:
    ana.timeout = 10
