"""Operating the bot: `infocoach backup` (a consistent copy of a live SQLite database) and `infocoach doctor`."""

from __future__ import annotations

import asyncio
import os
import shlex
import sqlite3
import time
from collections.abc import Callable
from contextlib import AsyncExitStack, closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.logs import configure_logging
from bot.settings import Settings, setting_errors, token_problem

if TYPE_CHECKING:
    from telegram import Bot

# Backups --------------------------------------------------------------------------------------------------

PAGES_PER_STEP = 1024  # 4 MiB a step with SQLite's default 4 KiB pages
PAUSE_BETWEEN_STEPS = 0.005  # seconds: the disk is the bot's again between two steps


class BackupError(Exception):
    """Why no backup was made, in one line."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite DATABASE_URL names; None for another database (or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser()


def backup_sqlite(source: Path, target: Path, *, force: bool = False) -> Backup:
    """Copy the live database ``source`` to ``target``, checked with PRAGMA integrity_check; BackupError if not."""
    if not source.is_file():
        raise BackupError(f"there is no database at {source} to back up: check DATABASE_URL")
    if target.is_dir():
        raise BackupError(f"{target} is a folder: name the backup file, such as {target / 'infocoach.db'}")
    if target.exists():
        if target.resolve() == source.resolve():
            raise BackupError(f"{target} is the database itself: name another file")
        if not force:
            raise BackupError(f"{target} exists: pass --force to overwrite it")
    # Written under another name and renamed once checked: FILE is a whole, sound backup or isn't there.
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        # Private from the first byte, like the database it copies: it holds every user's data.
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        _copy(source, partial)
        problems = _integrity_problems(partial)
        if problems:
            raise BackupError(
                f"the copy failed PRAGMA integrity_check ({problems}), so {target} was not written: "
                f"the database itself may be damaged"
            )
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(f"could not back up {source} to {target}: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return Backup(target, target.stat().st_size)


def _open(path: Path) -> sqlite3.Connection:
    """An existing database (mode=rw never creates an empty one). Not mode=ro: a read-only connection leaves the
    -wal and -shm files it makes behind, owned by whoever ran the backup (root, say), which the bot's user then
    can't open; this one removes them as it closes, if the bot isn't running. Nothing is written to the database."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=10)


def _copy(source: Path, target: Path) -> None:
    with closing(_open(source)) as src, closing(sqlite3.connect(target)) as dst:
        # One read transaction around every step: each step sees the same snapshot, so the copy is the database at
        # one moment. Without it, any write by the bot between two steps restarts the copy from page one, and a busy
        # bot can keep it restarting for ever. The bot's databases are in WAL mode, where a reader blocks no writer
        # (it only holds checkpoints back until the copy is done); in rollback-journal mode, writers wait for it.
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()
        src.backup(dst, pages=PAGES_PER_STEP, progress=lambda *_: time.sleep(PAUSE_BETWEEN_STEPS))
        src.rollback()
        # A backup is one self-contained file: no -wal or -shm file beside it.
        dst.execute("PRAGMA journal_mode=DELETE")


def _integrity_problems(path: Path) -> str:
    """What PRAGMA integrity_check finds wrong (the first few), or "" when it answers ok."""
    with closing(_open(path)) as db:
        rows = [row[0] for row in db.execute("PRAGMA integrity_check(5)")]
    return "" if rows == ["ok"] else "; ".join(rows)


def pg_dump_note(url: str, target: str) -> str:
    """How to back up the PostgreSQL database at ``url`` to ``target``, in one line, without its password."""
    parsed = make_url(url)
    socket = parsed.query.get("host")
    host = parsed.host or (socket if isinstance(socket, str) else None)
    command = ["pg_dump", "--format=custom", f"--file={target}"]
    for flag, value in (("host", host), ("port", parsed.port), ("username", parsed.username)):
        if value:
            command.append(f"--{flag}={value}")
    command.append(f"--dbname={parsed.database or ''}")
    password = "PGPASSWORD=… " if parsed.password else ""
    where = " (PGPASSWORD: the password in DATABASE_URL, or put it in ~/.pgpass)" if parsed.password else ""
    return (
        f"backup copies SQLite databases; DATABASE_URL is PostgreSQL, so use pg_dump: "
        f"{password}{shlex.join(command)}{where}; restore with pg_restore"
    )


def size_text(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    value, unit = size / 1000, "KB"
    for bigger in ("MB", "GB"):
        if value < 1000:
            break
        value, unit = value / 1000, bigger
    return f"{value:.1f} {unit}"


def backup(url: str, file: str, *, force: bool = False) -> str:
    """`infocoach backup FILE`: one line on the copy made, or BackupError (for PostgreSQL, how to use pg_dump)."""
    source = sqlite_file(url)
    if source is None:
        if make_url(url).get_backend_name() == "postgresql":
            raise BackupError(pg_dump_note(url, file))
        raise BackupError("backup copies a SQLite database file, and DATABASE_URL names none")
    made = backup_sqlite(source, Path(file), force=force)
    return f"Backed up {source} to {made.path}: {size_text(made.size)}, PRAGMA integrity_check: ok"


# Doctor ---------------------------------------------------------------------------------------------------

OK, FIX, SKIP = "ok", "FIX", "--"
STALLED = timedelta(minutes=5)  # a running bot handles an update within seconds; one waiting this long is stuck
RECENT = timedelta(hours=1)  # a webhook error this recent means Telegram can't deliver now


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    text: str

    def line(self) -> str:
        return f"{self.status:<4} {self.name:<9} {self.text}"


def mask_token(token: str) -> str:
    """``123456789:AAE…xyz``: the bot's id (public) and a hint of the secret, enough to tell two tokens apart."""
    bot_id, _, secret = token.partition(":")
    return f"{bot_id}:{secret[:3]}…{secret[-3:]}"


def load_settings() -> tuple[Settings | None, Check]:
    """The settings, and whether they are valid. The ones that aren't are replaced by their defaults, so the other
    checks still run; None when that isn't enough (settings wrong only together)."""
    try:
        return Settings(), Check("settings", OK, "every setting is valid")
    except ValidationError as error:
        found = Check("settings", FIX, setting_errors(error))
        wrong = {str(e["loc"][0]) for e in error.errors() if e["loc"]}
        defaults = {name: Settings.model_fields[name].get_default(call_default_factory=True) for name in wrong}
        try:
            return Settings(**defaults), found
        except ValidationError:
            return None, found


def doctor(*, quick: bool = False) -> int:
    """Print one line per check, each saying what is fine or what to fix; 0 when all is fine, else 1.

    ``quick``: no network (the settings, the database and the inbox), for a container's health check.
    """
    settings, check = load_settings()
    if settings is None:
        print(check.line(), "1 to fix (the other checks need these settings).", sep="\n")
        return 1
    configure_logging("WARNING", settings.token(), settings.log_format)
    token = settings.token()
    checks: list[Check] = []

    def report(check: Check) -> None:
        checks.append(check)
        line = check.line()
        # Belt and braces: a webhook URL may carry the token in its path, a driver error may quote anything.
        print(line.replace(token, mask_token(token)) if token else line, flush=True)

    report(check)
    asyncio.run(_checks(settings, quick=quick, report=report))
    problems = sum(c.status == FIX for c in checks)
    print("All fine." if not problems else f"{problems} to fix.")
    return 1 if problems else 0


Report = Callable[[Check], None]


async def _checks(settings: Settings, *, quick: bool, report: Report) -> None:
    async with AsyncExitStack() as stack:
        bot = None if quick else await _check_bot_api(settings, stack, report)
        if bot is not None:
            report(await _check_webhook(bot, settings))
        elif not quick:
            report(Check("webhook", SKIP, "not checked: it needs the Bot API"))
    database = await _check_database(settings.database_url)
    report(database)
    if database.status == OK:
        report(await _check_inbox(settings.database_url))
    else:
        report(Check("inbox", SKIP, "not checked: it needs the database, up to date"))


async def _check_bot_api(settings: Settings, stack: AsyncExitStack, report: Report) -> Bot | None:
    """The token's shape, then getMe: the Bot, open, when Telegram knows the token; else None (reported)."""
    from telegram import Bot
    from telegram.error import InvalidToken, NetworkError

    token = settings.token()
    problem = token_problem(token)
    if problem:
        report(Check("token", FIX, f"{problem} Get one from @BotFather (/newbot), or the current one with /token."))
        return None
    shown = mask_token(token)
    bot = Bot(token, base_url=settings.api_base_url(), base_file_url=settings.api_file_url())
    try:
        await stack.enter_async_context(bot)  # initialize() asks getMe
    except InvalidToken:  # never its text: PTB puts the token in it
        report(Check("token", FIX, f"{shown}: Telegram rejected it: get the current one from @BotFather (/token)"))
        return None
    except NetworkError as error:  # TimedOut too
        report(
            Check(
                "token",
                FIX,
                f"{shown}: not checked, could not reach the Bot API at {settings.api_base_url()} "
                f"({type(error).__name__}): check the network and TELEGRAM_API_BASE_URL",
            )
        )
        return None
    report(Check("token", OK, f"{shown}: Telegram knows it as @{bot.username}"))
    return bot


async def _check_webhook(bot: Bot, settings: Settings) -> Check:
    from telegram.error import TelegramError

    try:
        info = await bot.get_webhook_info()
    except TelegramError as error:
        return Check("webhook", FIX, f"getWebhookInfo failed ({type(error).__name__}): try again in a minute")
    waiting = f"{info.pending_update_count} update(s) waiting at Telegram"
    if not info.url:
        if settings.webhook_url:
            return Check("webhook", FIX, "none set, but WEBHOOK_URL is: start `infocoach serve`, which sets it")
        return Check("webhook", OK, f"none set (polling, `infocoach run`); {waiting}")
    text = f"Telegram posts to {info.url}; {waiting}"
    if not settings.webhook_url:
        text += " (WEBHOOK_URL isn't set: `infocoach run` removes this webhook as it starts polling)"
    elif info.url != settings.webhook_url:
        return Check("webhook", FIX, f"{text}, not to WEBHOOK_URL: restart `infocoach serve`, which sets it")
    if info.last_error_date is None:
        return Check("webhook", OK, text)
    when = info.last_error_date.astimezone(UTC)
    last = f"last error {when:%Y-%m-%d %H:%M} UTC: {info.last_error_message or 'no message'}"
    if info.pending_update_count or datetime.now(UTC) - when < RECENT:
        return Check(
            "webhook", FIX, f"{text}; {last}: check the proxy, its certificate and that `infocoach serve` runs"
        )
    return Check("webhook", OK, f"{text}; an old {last}")


async def _check_database(url: str) -> Check:
    from storage.migrate import current_revision, head_revision

    path = sqlite_file(url)
    shown = str(path) if path is not None else make_url(url).render_as_string(hide_password=True)
    if path is not None and not path.is_file():
        return Check("database", FIX, f"{shown}: no database there yet: run `infocoach migrate` (`run` does it too)")
    # asyncpg waits a minute for an unreachable server by default; a health check can't.
    connect_args = {"timeout": 10} if make_url(url).get_backend_name() == "postgresql" else {}
    engine = create_async_engine(url, connect_args=connect_args)
    try:
        async with engine.connect() as connection:
            # Reading the schema (not just SELECT 1) also catches a file that isn't a SQLite database.
            await connection.run_sync(lambda sync: inspect(sync).has_table("alembic_version"))
    except Exception as error:  # noqa: BLE001 - any driver error becomes a one-line message
        first_line = (str(error).splitlines() or [""])[0]
        return Check(
            "database",
            FIX,
            f"{shown}: can't connect ({type(error).__name__}: {first_line}): check DATABASE_URL and that it runs",
        )
    finally:
        await engine.dispose()
    if path is not None:
        from bot.cli import _sqlite_problem  # the same check `run` makes before it starts

        problem = _sqlite_problem(url)
        if problem:
            return Check("database", FIX, problem)
    current, head = await current_revision(url), head_revision()
    if current == head:
        return Check("database", OK, f"{shown}: reachable, migrations up to date ({head})")
    if current is None:
        return Check("database", FIX, f"{shown}: reachable but empty: run `infocoach migrate`")
    if current.isdigit() and int(current) < int(head):
        behind = int(head) - int(current)
        return Check(
            "database",
            FIX,
            f"{shown}: {behind} migration(s) behind ({current}, newest {head}): run `infocoach migrate`",
        )
    return Check(
        "database", FIX, f"{shown}: at revision {current}, which this InfoCoach ({head}) doesn't know: upgrade it"
    )


async def _check_inbox(url: str) -> Check:
    """Updates stored but not handled: a few for a moment is a bot at work; one waiting for minutes, a stuck bot."""
    from storage.models import Inbox

    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            waiting, oldest = (
                await connection.execute(
                    select(func.count(), func.min(Inbox.received_at)).where(Inbox.status == "received")
                )
            ).one()
            parked = await connection.scalar(select(func.count()).select_from(Inbox).where(Inbox.status == "parked"))
    finally:
        await engine.dispose()
    note = f"; {parked} parked after failing repeatedly (see the log)" if parked else ""
    if not waiting:
        return Check("inbox", OK, f"no update waiting to be handled{note}")
    age = datetime.now(UTC) - oldest
    text = f"{waiting} update(s) waiting to be handled, the oldest for {_duration(age)}{note}"
    if age > STALLED:
        return Check("inbox", FIX, f"{text}: the bot isn't handling them: is it running? See its log")
    return Check("inbox", OK, text)


def _duration(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    if seconds < 120:
        return f"{max(seconds, 0)} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h" if seconds < 172800 else f"{seconds // 86400} days"
