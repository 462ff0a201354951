"""What users type never reaches the logs: a bad-input sweep (onboarding's text steps, /add, /find and a
note) with production logging at DEBUG (bot.logs.configure_logging) and SQLAlchemy at DEBUG too, with a
database error forced while a parameter holds user text; no log record (message, arguments or traceback)
contains any text sent.

On PostgreSQL: set INFOCOACH_TEST_DATABASE_URL (see tests/conftest.py).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot.logs import configure_logging
from services import onboarding
from tests.driver import ChatDriver
from tests.test_onboarding_e2e import onboard

MARK = "SECRET-"
NAME_MARK = "Secretdb"  # a name has letters only: the marker of the text that meets the database error
_count = itertools.count(1)


def hostile() -> list[str]:
    """Hostile texts, each with a unique marker: HTML and an entity, quotes and SQL, emoji, 5,000 characters."""
    n = next(_count)
    return [
        f"{MARK}{n}-0& <b>bold</b> &amp; <script>x</script>",
        f"{MARK}{n}-1& ' OR 1=1; -- \" 😀🙂 ",
        f"{MARK}{n}-2& " + "long text " * 500,
    ]


class Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def logs() -> Iterator[Captured]:
    """Production logging at DEBUG, SQLAlchemy at DEBUG as well; restored afterwards."""
    root = logging.getLogger()
    names = ("httpx", "httpcore", "apscheduler", "aiosqlite", "asyncpg", "sqlalchemy", "alembic.runtime.plugins",
             "telegram")  # fmt: skip
    saved = (root.handlers[:], root.level, {name: logging.getLogger(name).level for name in names})
    configure_logging("DEBUG")
    logging.getLogger("sqlalchemy").setLevel(logging.DEBUG)
    assert logging.getLogger("httpx").level == logging.WARNING, "httpx logs request URLs: kept at WARNING"
    captured = Captured()
    root.addHandler(captured)
    try:
        yield captured
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
        for name, level in saved[2].items():
            logging.getLogger(name).setLevel(level)


def leaks(records: list[logging.LogRecord]) -> list[str]:
    formatter = logging.Formatter()
    found = []
    for record in records:
        parts = [str(record.msg), repr(record.args)]
        try:
            parts.append(record.getMessage())
        except Exception as error:  # a record that can't format is a finding of its own
            parts.append(repr(error))
        if record.exc_info:
            parts.append(formatter.formatException(record.exc_info))
        if record.stack_info:
            parts.append(record.stack_info)
        if any(MARK in part or NAME_MARK in part for part in parts):
            found.append(f"{record.name}: {record.getMessage()[:300]}")
    return found


async def send_hostile(chat: ChatDriver) -> None:
    for text_sent in hostile():
        await chat.send(text_sent)


async def test_the_bad_input_sweep_logs_none_of_the_text_sent(
    logs: Captured, ana: ChatDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Protects log hygiene: SQL parameters are hidden in errors and logs, fetched rows aren't logged, and
    no handler logs what users type, even at DEBUG and when the database fails on user text."""
    # Onboarding's text steps, each fed the long text (re-asked) before its real answer.
    await ana.send("/start")
    await ana.send(hostile()[2])
    await ana.press("Call me Ana")
    await ana.send(hostile()[2])
    await ana.send("UX design in healthcare")
    await ana.send(hostile()[2])
    await ana.send("product designer, UX researcher")
    await ana.press("Changing careers")
    await send_hostile(ana)  # the time zone: none of these is one
    await ana.send("Berlin")
    await send_hostile(ana)  # the goal
    await ana.press("2 a week")
    await ana.send(hostile()[2])
    await ana.send("I want to see how research shapes real product decisions")
    await ana.press("Use this pitch")

    await ana.send("/add")  # every step of /add takes text
    for _step in range(6):
        await send_hostile(ana)
    await ana.send("/cancel")
    await ana.send("/find")
    await send_hostile(ana)
    await ana.send("Maya Chen, City Hospital")
    await ana.send("/cancel")
    await ana.send("/contacts")
    await ana.press("Maya Chen")
    await ana.press("Company notes")
    await send_hostile(ana)

    # A database error with user text in its parameters, as a failing write would raise it.
    real_save = onboarding.save_answer

    async def failing_save(uow, user_id, chat_id, step, value, mode, now):
        if isinstance(value, str) and NAME_MARK in value:
            await uow.session.execute(text("SELECT * FROM no_such_table WHERE name = :name"), {"name": value})
        return await real_save(uow, user_id, chat_id, step, value, mode, now)

    monkeypatch.setattr(onboarding, "save_answer", failing_save)
    await ana.send("/profile")
    await ana.press("Edit a detail")
    await ana.press("Name")
    await ana.send(f"Ana {NAME_MARK}")
    failed = [r for r in logs.records if r.exc_info and isinstance(r.exc_info[1], DBAPIError)]
    assert failed, "the forced database error was logged"
    assert "hidden" in str(failed[0].exc_info[1]), "its parameters are hidden"
    assert any(r.name.startswith("sqlalchemy.engine") for r in logs.records), "SQLAlchemy logged at DEBUG"

    assert leaks(logs.records) == []


async def test_onboarding_still_works_with_logging_at_debug(logs: Captured, ana: ChatDriver) -> None:
    """The row filter keeps SQLAlchemy's DEBUG trace usable: statements and row markers, no values."""
    await onboard(ana)
    rows = [r for r in logs.records if r.msg == "Row %r"]
    assert rows and all(r.args == ("(values hidden)",) for r in rows)
    assert leaks(logs.records) == [] and "Ana" not in " ".join(r.getMessage() for r in rows)
