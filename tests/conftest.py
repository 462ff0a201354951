"""Fixtures: a real database per test (SQLite file, or PostgreSQL when INFOCOACH_TEST_DATABASE_URL is
set), the strict local Bot API, and the real application polling it."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from telegram import Update
from telegram.ext import Application

from bot.app import build_application
from bot.local_api import LocalBotApi, TelegramUser
from bot.settings import Settings
from storage.db import create_engine
from storage.migrate import upgrade
from tests.driver import ChatDriver

TOKEN = "123456789:TEST-token-for-the-local-api-0000"
ANA = TelegramUser(id=1001, first_name="Ana", username="ana")
BEN = TelegramUser(id=1002, first_name="Ben")


@pytest.fixture
async def database_url(tmp_path: Path) -> str:
    url = os.environ.get("INFOCOACH_TEST_DATABASE_URL")
    if not url:
        return f"sqlite+aiosqlite:///{tmp_path / 'infocoach.db'}"
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    return url


@pytest.fixture
async def migrated_url(database_url: str) -> str:
    engine = create_engine(database_url)
    await upgrade(engine)
    await engine.dispose()
    return database_url


@pytest.fixture
def api() -> Iterator[LocalBotApi]:
    """The strict local Bot API; any request Telegram would refuse fails the test."""
    with LocalBotApi(TOKEN) as server:
        yield server
        assert server.violations == [], "requests Telegram would reject"
        assert server.unanswered_callbacks() == 0, "every callback query must be answered"


def settings_for(api: LocalBotApi, database_url: str) -> Settings:
    return Settings(
        telegram_bot_token=TOKEN, telegram_api_base_url=api.base_url, database_url=database_url, _env_file=None
    )


@asynccontextmanager
async def running_app(api: LocalBotApi, database_url: str) -> AsyncIterator[Application]:
    """The real application, long-polling the local API, as `infocoach run` serves it."""
    app = build_application(settings_for(api, database_url), dispatch=False)
    # Tests send updates far faster than anyone can type. To the flood throttle, each arrives a second after
    # the one before, so it never trips here; tests/test_limits_e2e.py gives it a clock of its own.
    app.update_processor.throttle.clock = itertools.count().__next__
    processed: set[int] = set()
    # Once an update's transaction has ended, so the chat driver knows exactly when it is done.
    app.update_processor.done_callbacks.append(processed.add)
    app.bot_data["processed"] = processed
    await app.initialize()
    await app.post_init(app)
    await app.start()
    await app.updater.start_polling(timeout=1, allowed_updates=Update.ALL_TYPES)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)


@pytest.fixture
async def bot_app(api: LocalBotApi, migrated_url: str) -> AsyncIterator[Application]:
    async with running_app(api, migrated_url) as app:
        yield app


@pytest.fixture
def ana(api: LocalBotApi, bot_app: Application) -> ChatDriver:
    return driver_for(api, bot_app, ANA)


@pytest.fixture
def ben(api: LocalBotApi, bot_app: Application) -> ChatDriver:
    return driver_for(api, bot_app, BEN)


def driver_for(api: LocalBotApi, app: Application, user: TelegramUser) -> ChatDriver:
    return ChatDriver(api, user, processed=app.bot_data["processed"].__contains__)
