"""The one application factory, used by the CLI, the local chat and the tests alike."""

from __future__ import annotations

from telegram import BotCommand
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

import handlers
from bot.dispatcher import Dispatcher
from bot.dispatcher import install as install_dispatcher
from bot.processor import TransactionalUpdateProcessor
from bot.requests import RETRIES_ON_429, RetryingRequest
from bot.settings import Settings
from bot.throttle import Throttle
from coaching import copy
from handlers.common import SERVICES_KEY, Services
from storage.db import create_engine, create_session_factory
from storage.persistence import SqlPersistence


async def _set_commands(app: Application) -> None:
    await app.bot.set_my_commands([BotCommand(name, description) for name, description in copy.COMMANDS])


async def _dispose_engine(app: Application) -> None:
    await app.bot_data[SERVICES_KEY].engine.dispose()


def build_application(
    settings: Settings, *, updater: bool = True, dispatch: bool = True, rate_limit: bool = True
) -> Application:
    """Build the bot: database, persistence, handlers and error handler, ready to initialize.

    The database is not migrated here; the CLI and the tests do that first. ``rate_limit=False``
    drops PTB's AIORateLimiter (Telegram's 30 messages/s), for benchmarks of the bot's own cost.
    """
    engine = create_engine(settings.database_url)
    session_factory = create_session_factory(engine)
    # The flood throttle turns away a user's excess updates before any handler (bot/throttle.py).
    processor = TransactionalUpdateProcessor(session_factory, throttle=Throttle())
    builder = (
        ApplicationBuilder()
        .token(settings.token())
        .base_url(settings.api_base_url())
        .base_file_url(settings.api_file_url())
        .persistence(SqlPersistence(session_factory))
        .post_init(_set_commands)
        .post_shutdown(_dispose_engine)
        .concurrent_updates(processor)
        .request(RetryingRequest(connection_pool_size=8))
    )
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=RETRIES_ON_429))
    if not updater:
        builder = builder.updater(None)
    app = builder.build()
    processor.app = app
    services = Services(session_factory=session_factory, engine=engine, dispatcher=None)
    # The dispatcher reads the same clock as the handlers, so a test that moves time moves both.
    services.dispatcher = Dispatcher(session_factory, clock=lambda: services.clock())
    app.bot_data[SERVICES_KEY] = services
    if dispatch:
        install_dispatcher(app, services.dispatcher)
    handlers.register(app)
    return app
