"""The `infocoach` command: run (polling) or serve (webhook), migrate (and chat, to try the bot locally)."""

from __future__ import annotations

import argparse
import asyncio
import errno
import logging
import os
import signal
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError
from sqlalchemy.engine import make_url
from telegram import Update
from telegram.error import BadRequest, InvalidToken, NetworkError, TimedOut

from bot.logs import configure_logging
from bot.settings import HOW_TO_GET_A_TOKEN, Settings, setting_errors, token_problem, webhook_problem

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from telegram.ext import Application

    from bot.web import WebServer

log = logging.getLogger("infocoach")


def _fail(message: str) -> int:
    print(f"infocoach: {message}", file=sys.stderr)
    return 2


_READ_ONLY = (errno.EACCES, errno.EPERM, errno.EROFS)
_ELSEWHERE = "or set DATABASE_URL to another file."


def _sqlite_problem(url: str) -> str | None:
    """What stops this user writing a SQLite database at ``url``, in one line, or None.

    Checked up front because SQLite opens a file it can't write without a word (read-only), and a
    folder it can't write fails only at the first write, with the journal it keeps next to the file.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database).expanduser()
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)  # as the engine would: a first run makes data/
    except OSError as error:
        why = "a file of that name is in the way" if error.errno == errno.EEXIST else error.strerror
        return f"The database folder {folder} can't be created ({why}): create it yourself, {_ELSEWHERE}"
    if path.exists():
        try:
            os.close(os.open(path, os.O_RDWR))  # the way SQLite opens it; nothing is written
        except OSError as error:
            how = "is read-only" if error.errno in _READ_ONLY else f"can't be opened for writing ({error.strerror})"
            return f"The database file {path} {how}: give this user write access, {_ELSEWHERE}"
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        how = "is read-only" if error.errno in _READ_ONLY else f"can't be written ({error.strerror})"
        return (
            f"The database folder {folder} {how}, and SQLite keeps its journal next to the database: "
            f"give this user write access, {_ELSEWHERE}"
        )
    return None


def _prepare_database(settings: Settings) -> str | None:
    """Check the database can be written, then bring its schema up to date; what went wrong, or None."""
    return _sqlite_problem(settings.database_url) or _migration_problem(settings)


def _migration_problem(settings: Settings) -> str | None:
    from storage.migrate import upgrade_url

    try:
        upgrade_url(settings.database_url)
    except Exception as error:  # noqa: BLE001 - any driver error becomes a one-line message
        first_line = (str(error).splitlines() or [""])[0]  # SQLAlchemy adds a line with a "Background" link
        return f"could not migrate the database: {type(error).__name__}: {first_line}"
    return None


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    problem = _prepare_database(settings)
    if problem:
        return _fail(problem)
    print("Database is up to date.")
    return 0


def _api_problem(settings: Settings, error: Exception) -> str:
    """A bad token or no network, met when the bot first asks the Bot API who it is (getMe, at start)."""
    if isinstance(error, InvalidToken):
        return f"Telegram rejected TELEGRAM_BOT_TOKEN.\n\n{HOW_TO_GET_A_TOKEN}"
    return (
        f"could not reach the Bot API at {settings.api_base_url()} ({type(error).__name__}). "
        "Check your network connection and TELEGRAM_API_BASE_URL."
    )


def _startup_problem(settings: Settings) -> str | None:
    """The token's shape, then the database (migrated here): local problems, named before any network call."""
    problem = token_problem(settings.token())
    if problem:
        return f"{problem}\n\n{HOW_TO_GET_A_TOKEN}"
    return _prepare_database(settings)


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    problem = _startup_problem(settings)
    if problem:
        return _fail(problem)

    from bot.app import build_application
    from bot.web import WebServer, bind, build_web_app

    port = args.health_port or settings.health_port
    try:  # bound before anything starts, so a port in use is one line, not a traceback once the bot is up
        sock = bind(settings.web_host, port) if port else None
    except OSError as error:
        return _fail(f"can't listen on {settings.web_host}:{port} ({error.strerror}): choose another HEALTH_PORT")
    app = build_application(settings, dispatch=not args.no_dispatch)
    web = WebServer(build_web_app(app), sock) if sock else None  # /healthz and /metrics only
    log.info("InfoCoach is starting; press Ctrl-C to stop.")
    if web is not None:
        log.info("Health and metrics at %s/healthz and %s/metrics", web.address, web.address)
    try:
        # The token and the network are first checked by the application's own getMe as it starts (one call,
        # not two). Polling then retries network errors by itself; SIGINT and SIGTERM end it cleanly.
        asyncio.run(_serve_until_signal(app, poll=True, web=web))
    except (InvalidToken, NetworkError, TimedOut) as error:
        return _fail(_api_problem(settings, error))
    log.info("InfoCoach stopped.")
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    """Webhook mode: Telegram posts each update to WEBHOOK_URL, which a reverse proxy passes to WEB_HOST:WEB_PORT."""
    problem = webhook_problem(settings) or _startup_problem(settings)
    if problem:
        return _fail(problem)

    from bot.app import build_application
    from bot.web import WebServer, bind, build_web_app

    try:
        sock = bind(settings.web_host, settings.web_port)
    except OSError as error:
        where = f"{settings.web_host}:{settings.web_port}"
        return _fail(f"can't listen on {where} ({error.strerror}): set WEB_HOST and WEB_PORT")
    app = build_application(settings, updater=False, webhook=True, dispatch=not args.no_dispatch)
    web = WebServer(build_web_app(app, webhook_path=settings.webhook_path, secret=settings.secret()), sock)

    async def set_webhook() -> None:
        # Telegram keeps what it could not deliver and sends it once the webhook is set; and deleteWebhook is never
        # called at shutdown, so updates sent while the bot restarts wait at Telegram instead of being dropped.
        await app.bot.set_webhook(
            settings.webhook_url or "",
            secret_token=settings.secret(),
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,
        )
        log.info(
            "Webhook set: Telegram posts to %s, served at %s%s",
            settings.webhook_url,
            web.address,
            settings.webhook_path,
        )

    log.info("InfoCoach is starting in webhook mode; press Ctrl-C to stop.")
    try:
        asyncio.run(_serve_until_signal(app, poll=False, web=web, on_started=set_webhook))
    except BadRequest as error:  # before NetworkError, its base class: Telegram refused the URL or the secret
        return _fail(f"Telegram refused the webhook {settings.webhook_url}: {error.message}. Check WEBHOOK_URL.")
    except (InvalidToken, NetworkError, TimedOut) as error:
        return _fail(_api_problem(settings, error))
    log.info("InfoCoach stopped.")
    return 0


def cmd_worker(settings: Settings, args: argparse.Namespace) -> int:
    """Only the nudge dispatcher: for extra processes sharing a PostgreSQL database."""
    problem = _prepare_database(settings) or token_problem(settings.token())
    if problem:
        return _fail(problem)
    from bot.app import build_application

    app = build_application(settings, updater=False)
    log.info("InfoCoach worker is dispatching nudges; press Ctrl-C to stop.")
    try:
        asyncio.run(_serve_until_signal(app, poll=False))
    except (InvalidToken, NetworkError, TimedOut) as error:
        return _fail(_api_problem(settings, error))
    log.info("InfoCoach worker stopped.")
    return 0


async def _serve_until_signal(
    app: Application,
    *,
    poll: bool,
    web: WebServer | None = None,
    on_started: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """What PTB's run_polling does, minus its retry loop around the start, which logs a traceback for a bad
    token or no network: here those raise from ``initialize`` (its one getMe) and become one line above.

    ``web`` (bot/web.py) starts once the application handles updates, and stops first: no update is taken in that
    the application would not handle, and the ones taken in are handled by ``app.stop()`` (or, after a kill,
    replayed from the inbox at the next start). ``on_started`` runs once everything is up (setWebhook)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await app.initialize()
    try:
        if app.post_init:
            await app.post_init(app)
        if poll and app.updater is not None:
            await app.updater.start_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=3)
        await app.start()
        if web is not None:
            await web.start()
        if on_started is not None:
            await on_started()
        await stop.wait()
    finally:  # in this order, and also when the start failed halfway (setWebhook refused)
        if web is not None:
            await web.stop()
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    """A consistent, checked copy of the live SQLite database (bot/ops.py); for PostgreSQL, how to use pg_dump."""
    from bot.ops import BackupError, backup

    try:
        print(backup(settings.database_url, args.file, force=args.force))
    except BackupError as error:
        return _fail(str(error))
    return 0


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.chat import run_chat

    return run_chat(settings, user_name=args.user, database=args.database, fresh=args.fresh)


def _port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port (1 to 65535)")
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="infocoach", description="InfoCoach, a Telegram coach for informational interviews."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="migrate the database, then serve the bot by polling Telegram")
    run.add_argument("--no-dispatch", action="store_true", help="leave sending nudges to `infocoach worker` processes")
    run.add_argument(
        "--health-port", type=_port, metavar="PORT", help="serve /healthz and /metrics on this port (WEB_HOST)"
    )
    serve = commands.add_parser("serve", help="migrate the database, then serve the bot by webhook (WEBHOOK_URL)")
    serve.add_argument(
        "--no-dispatch", action="store_true", help="leave sending nudges to `infocoach worker` processes"
    )
    commands.add_parser("worker", help="only dispatch due nudges (extra processes sharing PostgreSQL)")
    commands.add_parser("migrate", help="bring the database schema up to date")
    backup = commands.add_parser("backup", help="copy the live SQLite database to FILE, checked (PostgreSQL: pg_dump)")
    backup.add_argument("file", metavar="FILE", help="where to write the copy")
    backup.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    doctor = commands.add_parser("doctor", help="check the settings, token, webhook and database; say what to fix")
    doctor.add_argument(
        "--quick", action="store_true", help="no network: settings, database and inbox only (a health check)"
    )
    chat = commands.add_parser("chat", help="try the bot in this terminal, no Telegram token needed")
    chat.add_argument("--user", default="You", help="who is chatting; each name is a separate user (default: You)")
    chat.add_argument(
        "--database", help="a SQLite file or database URL (default: data/chat-demo.db, never your real data)"
    )
    chat.add_argument("--fresh", action="store_true", help="start with an empty demo database")
    return parser


COMMANDS = {
    "run": cmd_run,
    "serve": cmd_serve,
    "migrate": cmd_migrate,
    "chat": cmd_chat,
    "worker": cmd_worker,
    "backup": cmd_backup,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "doctor":  # a setting of the wrong shape is one of its findings, not the end of it
        from bot.ops import doctor

        return doctor(quick=args.quick)
    try:
        settings = Settings()
    except ValidationError as error:  # a setting of the wrong shape: one line each, never a traceback
        return _fail(setting_errors(error))
    configure_logging(settings.log_level, settings.token(), settings.log_format)
    return COMMANDS[args.command](settings, args)


if __name__ == "__main__":
    sys.exit(main())
