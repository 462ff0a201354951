"""The `infocoach` command: run, migrate (and chat, to try the bot locally)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from telegram import Bot, Update
from telegram.error import InvalidToken, NetworkError, TimedOut

from bot.logs import configure_logging
from bot.settings import HOW_TO_GET_A_TOKEN, Settings, token_problem

log = logging.getLogger("infocoach")


def _fail(message: str) -> int:
    print(f"infocoach: {message}", file=sys.stderr)
    return 2


def _migrate(settings: Settings) -> None:
    from storage.migrate import upgrade_url

    upgrade_url(settings.database_url)


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    try:
        _migrate(settings)
    except Exception as error:  # noqa: BLE001 - any driver error becomes a one-line message
        return _fail(f"could not migrate the database: {type(error).__name__}: {error}")
    print("Database is up to date.")
    return 0


async def _check_api(settings: Settings) -> None:
    """Ask the Bot API who we are, so a bad token or no network fails here with a clear word."""
    async with Bot(settings.token(), base_url=settings.api_base_url()):
        pass


def _api_problem(settings: Settings) -> str | None:
    try:
        asyncio.run(_check_api(settings))
    except InvalidToken:
        return f"Telegram rejected TELEGRAM_BOT_TOKEN.\n\n{HOW_TO_GET_A_TOKEN}"
    except (NetworkError, TimedOut) as error:
        return (
            f"could not reach the Bot API at {settings.api_base_url()} ({type(error).__name__}). "
            "Check your network connection and TELEGRAM_API_BASE_URL."
        )
    return None


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    problem = token_problem(settings.token())
    if problem:
        return _fail(f"{problem}\n\n{HOW_TO_GET_A_TOKEN}")
    problem = _api_problem(settings)
    if problem:
        return _fail(problem)
    try:
        _migrate(settings)
    except Exception as error:  # noqa: BLE001
        return _fail(f"could not migrate the database: {type(error).__name__}: {error}")

    from bot.app import build_application

    app = build_application(settings, dispatch=not args.no_dispatch)
    log.info("InfoCoach is starting; press Ctrl-C to stop.")
    try:
        # Polling retries network errors by itself; stop signals (SIGINT, SIGTERM) end it cleanly.
        app.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=3)
    except (InvalidToken, NetworkError, TimedOut) as error:
        return _fail(f"the Bot API went away while starting ({type(error).__name__}); please try again.")
    log.info("InfoCoach stopped.")
    return 0


def cmd_worker(settings: Settings, args: argparse.Namespace) -> int:
    """Only the nudge dispatcher: for extra processes sharing a PostgreSQL database."""
    try:
        _migrate(settings)
    except Exception as error:  # noqa: BLE001
        return _fail(f"could not migrate the database: {type(error).__name__}: {error}")
    problem = token_problem(settings.token()) or _api_problem(settings)
    if problem:
        return _fail(problem)
    from bot.app import build_application

    app = build_application(settings, updater=False)
    log.info("InfoCoach worker is dispatching nudges; press Ctrl-C to stop.")
    asyncio.run(_serve_until_signal(app))
    log.info("InfoCoach worker stopped.")
    return 0


async def _serve_until_signal(app) -> None:
    import signal

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with app:
        await app.start()
        await stop.wait()
        await app.stop()
    await app.post_shutdown(app)


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.chat import run_chat

    return run_chat(settings, user_name=args.user, database=args.database, fresh=args.fresh)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="infocoach", description="InfoCoach, a Telegram coach for informational interviews."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="migrate the database, then serve the bot by polling Telegram")
    run.add_argument("--no-dispatch", action="store_true", help="leave sending nudges to `infocoach worker` processes")
    commands.add_parser("worker", help="only dispatch due nudges (extra processes sharing PostgreSQL)")
    commands.add_parser("migrate", help="bring the database schema up to date")
    chat = commands.add_parser("chat", help="try the bot in this terminal, no Telegram token needed")
    chat.add_argument("--user", default="You", help="who is chatting; each name is a separate user (default: You)")
    chat.add_argument(
        "--database", help="a SQLite file or database URL (default: data/chat-demo.db, never your real data)"
    )
    chat.add_argument("--fresh", action="store_true", help="start with an empty demo database")
    return parser


COMMANDS = {"run": cmd_run, "migrate": cmd_migrate, "chat": cmd_chat, "worker": cmd_worker}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings()
    configure_logging(settings.log_level, settings.token())
    return COMMANDS[args.command](settings, args)


if __name__ == "__main__":
    sys.exit(main())
