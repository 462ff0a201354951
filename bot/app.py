"""The one application factory, used by the CLI, the local chat and the tests alike."""

from __future__ import annotations

import os
from datetime import timedelta

from telegram import BotCommand
from telegram.ext import Application, ApplicationBuilder

import handlers
from bot import conversations
from bot.dispatcher import Dispatcher
from bot.dispatcher import install as install_dispatcher
from bot.inbox import Inbox, InboxRequest
from bot.limiter import SharedLimiter
from bot.processor import MAX_CONCURRENT, TransactionalUpdateProcessor
from bot.requests import RetryingRequest
from bot.settings import Settings
from bot.throttle import Throttle
from coaching import copy
from handlers.common import FLOW_TIMEOUT, SERVICES_KEY, Services
from storage.db import create_engine, create_session_factory
from storage.persistence import SqlPersistence


async def _set_commands(app: Application) -> None:
    await app.bot.set_my_commands([BotCommand(name, description) for name, description in copy.COMMANDS])


INBOX_KEY = "inbox"


async def _post_init(app: Application) -> None:
    await _set_commands(app)
    inbox = app.bot_data.get(INBOX_KEY)
    if inbox is not None:
        await inbox.start(app)  # replays what a crash left unhandled, before polling starts


async def _dispose_engine(app: Application) -> None:
    await app.bot_data[SERVICES_KEY].engine.dispose()


def build_application(
    settings: Settings,
    *,
    updater: bool = True,
    webhook: bool = False,
    dispatch: bool = True,
    rate_limit: bool = True,
    inbox: bool = True,
) -> Application:
    """Build the bot: database, persistence, handlers and error handler, ready to initialize.

    The database is not migrated here; the CLI and the tests do that first. ``rate_limit=False``
    drops the shared rate limiter (Telegram's 30 messages/s, bot/limiter.py), for benchmarks of the bot's own cost;
    ``inbox=False`` drops the durable inbox (bot/inbox.py), for the benchmark of its cost only.
    ``webhook=True`` (with ``updater=False``): updates arrive through the web app (bot/web.py) instead of polling,
    into the same durable inbox.
    """
    handles_updates = updater or webhook  # a worker (neither) only dispatches reminders
    engine = create_engine(settings.database_url)
    session_factory = create_session_factory(engine)
    # The flood throttle turns away a user's excess updates before any handler (bot/throttle.py).
    processor = TransactionalUpdateProcessor(session_factory, throttle=Throttle())
    builder = (
        ApplicationBuilder()
        .token(settings.token())
        .base_url(settings.api_base_url())
        .base_file_url(settings.api_file_url())
        .persistence(SqlPersistence(session_factory, idle_after=FLOW_TIMEOUT))
        .post_init(_post_init)
        .post_shutdown(_dispose_engine)
        .concurrent_updates(processor)
        # A connection for every update in flight: with 8, two 50 ms calls per update capped the bot near 80/s.
        .request(RetryingRequest(connection_pool_size=MAX_CONCURRENT))
    )
    if rate_limit:
        # One budget for replies and reminders, replies first; a 429 pauses every send (bot/limiter.py).
        limiter = SharedLimiter(settings.telegram_messages_per_second, settings.telegram_group_messages_per_minute)
        builder = builder.rate_limiter(limiter)
    durable = None
    if handles_updates and inbox:
        # Every update is stored before the Updater asks for more, or the webhook answers (bot/inbox.py).
        durable = Inbox(session_factory)
        builder = builder.update_queue(durable.queue)
        if updater:  # each batch fetched is stored in one transaction, before the next getUpdates confirms it
            builder = builder.get_updates_request(InboxRequest(durable, connection_pool_size=1))
    if not updater:
        builder = builder.updater(None)
    app = builder.build()
    processor.app = app
    processor.inbox = durable
    if durable is not None:
        durable.throttle = processor.throttle  # asked at the inbox's door, before an update is stored
        durable.on_turned_away = processor.finished
        app.bot_data[INBOX_KEY] = durable
    services = Services(session_factory=session_factory, engine=engine, dispatcher=None)
    # The dispatcher reads the same clock as the handlers, so a test that moves time moves both.
    # INFOCOACH_DISPATCH_LEASE_SECONDS: how long a claim outlives a killed process (tests kill often; default 2 min).
    lease = timedelta(seconds=float(os.environ.get("INFOCOACH_DISPATCH_LEASE_SECONDS") or 120))
    services.dispatcher = Dispatcher(
        session_factory, sends_at_once=settings.dispatch_sends_at_once, lease=lease, clock=lambda: services.clock()
    )
    app.bot_data[SERVICES_KEY] = services
    if dispatch:
        install_dispatcher(app, services.dispatcher)
    handlers.register(app)
    if handles_updates:
        conversations.install(app)  # ends flows left idle (bot/conversations.py)
    return app
