"""Operating the bot: `infocoach backup`, `infocoach doctor`, JSON logs and the deployment recipe in deploy/.

Commands run as the real `infocoach` process against the local Bot API. On PostgreSQL (INFOCOACH_TEST_DATABASE_URL,
see tests/conftest.py) backup gives its pg_dump note and doctor checks that database; the SQLite backup tests use
a file of their own either way.
"""

from __future__ import annotations

import configparser
import io
import json
import logging
import os
import shlex
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot import ops
from bot.local_api import LocalBotApi
from bot.logs import configure_logging
from storage.db import create_engine, create_session_factory
from storage.migrate import alembic_config, head_revision, upgrade_url
from storage.models import Inbox
from tests.conftest import ANA, TOKEN
from tests.driver import ChatDriver
from tests.test_cli_process import INFOCOACH, start_bot, stop, wait_until_polling

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SECRET_PART = TOKEN.partition(":")[2]


def infocoach(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(INFOCOACH), *args], env={**os.environ, **env}, cwd=cwd, capture_output=True, text=True, timeout=60
    )


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


# Backups ---------------------------------------------------------------------------------------------------


def filled_database(path: Path) -> None:
    """A migrated database in WAL mode (as the bot keeps it), with a table to write to and some 6 MB of rows."""
    upgrade_url(f"sqlite+aiosqlite:///{path}")
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE ticks (n INTEGER PRIMARY KEY, filler BLOB)")
        db.executemany("INSERT INTO ticks (filler) VALUES (?)", [(os.urandom(2000),) for _ in range(3000)])
    db.close()


def test_backup_of_a_database_being_written_is_consistent(tmp_path: Path, monkeypatch) -> None:
    """A writer commits row after row all through the backup; the copy passes PRAGMA integrity_check and holds
    every row up to one moment: 1..k, no gaps, k between the counts before and after."""
    source, target = tmp_path / "live.db", tmp_path / "backup.db"
    filled_database(source)
    monkeypatch.setattr(ops, "PAGES_PER_STEP", 16)  # hundreds of steps, with the writer busy in between
    stop_writing = threading.Event()

    def write() -> None:
        with sqlite3.connect(source, timeout=10) as db:
            while not stop_writing.is_set():
                db.execute("INSERT INTO ticks (filler) VALUES (x'00')")
                db.commit()
        db.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        time.sleep(0.05)
        before = count_ticks(source)
        made = ops.backup_sqlite(source, target)
        after = count_ticks(source)
    finally:
        stop_writing.set()
        writer.join()
    assert after > before, "the writer wrote during the backup"
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        count, last = copy.execute("SELECT count(*), max(n) FROM ticks").fetchone()
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",), "one self-contained file"
    copy.close()
    assert count == last, "rows up to one moment, with no gap"
    assert before <= count <= after
    assert made.size == target.stat().st_size
    assert target.stat().st_mode & 0o077 == 0, "private, like the data it holds"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [], "no partial file left"


def count_ticks(path: Path) -> int:
    with sqlite3.connect(path, timeout=10) as db:
        (count,) = db.execute("SELECT count(*) FROM ticks").fetchone()
    db.close()
    return count


def test_backup_command_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    source = tmp_path / "data" / "infocoach.db"
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{source}"}
    assert infocoach(["migrate"], env, tmp_path).returncode == 0

    first = infocoach(["backup", "copy.db"], env, tmp_path)
    assert first.returncode == 0, first.stderr
    [line] = first.stdout.splitlines()
    assert "copy.db" in line and "KB" in line and "integrity_check: ok" in line
    written = (tmp_path / "copy.db").read_bytes()

    again = infocoach(["backup", "copy.db"], env, tmp_path)
    assert again.returncode == 2
    assert "exists" in again.stderr and "--force" in again.stderr and len(again.stderr.splitlines()) == 1
    assert (tmp_path / "copy.db").read_bytes() == written

    (tmp_path / "copy.db").write_text("an old backup")
    forced = infocoach(["backup", "copy.db", "--force"], env, tmp_path)
    assert forced.returncode == 0, forced.stderr
    with closing(sqlite3.connect(tmp_path / "copy.db")) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    itself = infocoach(["backup", str(source), "--force"], env, tmp_path)
    assert itself.returncode == 2 and "the database itself" in itself.stderr

    missing = infocoach(["backup", "x.db"], {"DATABASE_URL": "sqlite+aiosqlite:///nowhere/none.db"}, tmp_path)
    assert missing.returncode == 2 and "no database" in missing.stderr
    assert not (tmp_path / "nowhere").exists(), "a backup never creates a database"


def test_postgresql_gets_a_pg_dump_note_without_the_password(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://bob:s3cr%40t@db.example:5433/infocoach"
    result = infocoach(["backup", "nightly backup.dump"], {"DATABASE_URL": url}, tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    command = line[line.index("pg_dump --") : line.index(" (")]
    assert shlex.split(command) == [
        "pg_dump",
        "--format=custom",
        "--file=nightly backup.dump",
        "--host=db.example",
        "--port=5433",
        "--username=bob",
        "--dbname=infocoach",
    ]
    assert "PGPASSWORD" in line and "s3cr" not in line
    assert not (tmp_path / "nightly backup.dump").exists()


def test_backup_of_the_test_database(migrated_url: str, tmp_path: Path) -> None:
    """SQLite: a checked copy. PostgreSQL: the pg_dump note, exit 2."""
    result = infocoach(["backup", "b.db"], {"DATABASE_URL": migrated_url}, tmp_path)
    if is_sqlite(migrated_url):
        assert result.returncode == 0 and "integrity_check: ok" in result.stdout, result.stderr
    else:
        assert result.returncode == 2 and "pg_dump --format=custom" in result.stderr
        password = make_url(migrated_url).password
        assert not password or password not in result.stderr


# Doctor ----------------------------------------------------------------------------------------------------


def doctor(api_url: str, database_url: str, tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    settings = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api_url, "DATABASE_URL": database_url}
    result = infocoach(["doctor", *args], {**settings, **env}, tmp_path)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert TOKEN not in output and SECRET_PART not in output, "doctor never prints the token"
    return result


def line_of(result: subprocess.CompletedProcess, name: str) -> str:
    [line] = [line for line in result.stdout.splitlines() if line.split()[1:2] == [name]]
    return line


def test_doctor_all_fine(api: LocalBotApi, migrated_url: str, tmp_path: Path) -> None:
    result = doctor(api.base_url, migrated_url, tmp_path)
    assert result.returncode == 0, result.stdout
    assert [line.split()[:2] for line in result.stdout.splitlines()[:-1]] == [
        ["ok", "settings"],
        ["ok", "token"],
        ["ok", "webhook"],
        ["ok", "database"],
        ["ok", "inbox"],
    ]
    assert "123456789:TES…000" in line_of(result, "token") and "@InfoCoachLocalBot" in line_of(result, "token")
    assert "none set" in line_of(result, "webhook")
    assert f"up to date ({head_revision()})" in line_of(result, "database")
    assert result.stdout.splitlines()[-1] == "All fine."


def test_doctor_on_a_stale_database_counts_the_migrations_behind(
    api: LocalBotApi, database_url: str, tmp_path: Path
) -> None:
    from alembic import command

    command.upgrade(alembic_config(database_url), "0011")
    result = doctor(api.base_url, database_url, tmp_path)
    assert result.returncode == 1
    behind = int(head_revision()) - 11
    line = line_of(result, "database")
    assert line.startswith("FIX") and f"{behind} migration(s) behind" in line and "infocoach migrate" in line
    assert line_of(result, "inbox").startswith("--"), "not checked on a schema that may not have it"
    assert result.stdout.splitlines()[-1] == "1 to fix."


def test_doctor_names_a_rejected_token(api: LocalBotApi, migrated_url: str, tmp_path: Path) -> None:
    wrong = "987654321:AAE-this-token-is-not-known-to-the-api"
    result = doctor(api.base_url, migrated_url, tmp_path, TELEGRAM_BOT_TOKEN=wrong)
    assert result.returncode == 1
    assert wrong not in result.stdout and wrong.partition(":")[2] not in result.stdout
    token = line_of(result, "token")
    assert token.startswith("FIX") and "rejected" in token and "@BotFather" in token and "987654321:AAE…api" in token
    assert line_of(result, "webhook").startswith("--")
    assert line_of(result, "database").startswith("ok"), "the database is still checked"


def test_doctor_names_an_unreachable_api_and_a_bad_setting(migrated_url: str, tmp_path: Path) -> None:
    result = doctor("http://127.0.0.1:9/bot", migrated_url, tmp_path, DISPATCH_SENDS_AT_ONCE="many")
    assert result.returncode == 1
    assert line_of(result, "settings").startswith("FIX") and "DISPATCH_SENDS_AT_ONCE" in result.stdout
    token = line_of(result, "token")
    assert token.startswith("FIX") and "could not reach the Bot API at http://127.0.0.1:9/bot" in token
    assert line_of(result, "database").startswith("ok"), "the rest is checked with the default in its place"
    assert result.stdout.splitlines()[-1] == "2 to fix."


def test_doctor_without_a_token_or_database(tmp_path: Path) -> None:
    result = infocoach(
        ["doctor"], {"TELEGRAM_BOT_TOKEN": "", "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'none.db'}"}, tmp_path
    )
    assert result.returncode == 1
    assert "not set" in line_of(result, "token") and "@BotFather" in line_of(result, "token")
    assert "no database there yet" in line_of(result, "database")
    assert not (tmp_path / "none.db").exists(), "doctor never creates a database"


class WebhookFailingApi(LocalBotApi):
    """Telegram's view of a webhook it can't deliver to (the emulator has no failures of its own to report)."""

    url = f"https://bot.example.com/hook/{TOKEN}"  # some put the token in the path: doctor must still hide it
    error_at = int(time.time()) - 120

    def _do_getwebhookinfo(self, params, files):
        return {
            "url": self.url,
            "has_custom_certificate": False,
            "pending_update_count": 3,
            "last_error_date": self.error_at,
            "last_error_message": "Connection refused",
        }


def test_doctor_reports_the_webhooks_last_error(migrated_url: str, tmp_path: Path) -> None:
    with WebhookFailingApi(TOKEN) as api:
        result = doctor(api.base_url, migrated_url, tmp_path, WEBHOOK_URL=WebhookFailingApi.url)
        assert api.violations == []
    assert result.returncode == 1
    line = line_of(result, "webhook")
    when = datetime.fromtimestamp(WebhookFailingApi.error_at, UTC)
    assert line.startswith("FIX") and "3 update(s) waiting" in line
    assert f"last error {when:%Y-%m-%d %H:%M} UTC: Connection refused" in line
    assert "https://bot.example.com/hook/123456789:TES…000" in line


async def test_doctor_quick_finds_a_stuck_bot(api: LocalBotApi, migrated_url: str, tmp_path: Path) -> None:
    """An update stored but not handled for minutes: the bot is stuck or down, and the health check says so."""
    engine = create_engine(migrated_url)
    async with create_session_factory(engine)() as session, session.begin():
        old = datetime.now(UTC) - timedelta(minutes=10)
        session.add(Inbox(update_id=1, user_id=ANA.id, payload="{}", status="received", attempts=0, received_at=old))
    await engine.dispose()
    result = doctor(api.base_url, migrated_url, tmp_path, "--quick")
    assert result.returncode == 1
    assert "isn't handling them" in line_of(result, "inbox")
    assert api.requests == [], "the quick check makes no network call"


# JSON logs -------------------------------------------------------------------------------------------------


async def test_json_logs_are_one_object_a_line_without_token_or_text(
    api: LocalBotApi, database_url: str, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("LOG_FORMAT", "json")
    bot = start_bot(api, database_url, tmp_path, "bot.log")  # at LOG_LEVEL=DEBUG
    try:
        wait_until_polling(api, bot)
        chat = ChatDriver(api, ANA, settle=0.4)
        await chat.send("/start")
        await chat.send("Zorblaxine")
        assert "Which field" in chat.last_text()
    finally:
        assert stop(bot, signal.SIGTERM) == 0
    text = (tmp_path / "bot.log").read_text()
    lines = text.splitlines()
    assert len(lines) > 5
    for line in lines:
        record = json.loads(line)
        assert isinstance(record, dict) and {"time", "level", "logger", "message"} <= record.keys(), line
    assert TOKEN not in text and SECRET_PART not in text
    assert "Zorblaxine" not in text


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        yield
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])


def test_json_logs_carry_the_exception_and_redact_the_token(restore_logging, monkeypatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)  # where configure_logging's handler writes
    configure_logging("INFO", TOKEN, "json")
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("infocoach.test").exception("failed calling %s", f"https://api/bot{TOKEN}/getMe")
    [line] = stream.getvalue().splitlines()
    record = json.loads(line)
    assert record["level"] == "ERROR" and record["logger"] == "infocoach.test"
    assert record["message"] == "failed calling https://api/bot<token>/getMe"
    assert "ValueError: boom" in record["exception"]
    assert datetime.fromisoformat(record["time"]).tzinfo is not None


# Deployment recipe -----------------------------------------------------------------------------------------


def unit_file() -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)  # systemd repeats keys; the last one wins
    unit.optionxform = str  # keys are case-sensitive
    unit.read(DEPLOY / "infocoach.service")
    return unit


def test_the_systemd_unit_has_what_a_service_needs(tmp_path: Path) -> None:
    unit = unit_file()
    service = unit["Service"]
    assert service["User"] == "infocoach" and service["Restart"] == "on-failure"
    assert service["EnvironmentFile"] == "/etc/infocoach/infocoach.env"
    assert service["ExecStart"] == "/opt/infocoach/.venv/bin/infocoach run"
    assert "#ExecStart=/opt/infocoach/.venv/bin/infocoach serve" in (DEPLOY / "infocoach.service").read_text()
    hardening = {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes"}
    assert {key: service.get(key) for key in hardening} == hardening
    assert service["WorkingDirectory"] in service["ReadWritePaths"].split(), "the data folder is writable"
    assert unit["Install"]["WantedBy"] == "multi-user.target"

    if shutil.which("systemd-analyze"):
        # verify checks every key and value; it also wants ExecStart's program to exist, so point it at ours.
        text = (DEPLOY / "infocoach.service").read_text().replace("/opt/infocoach/.venv/bin/infocoach", str(INFOCOACH))
        (tmp_path / "infocoach.service").write_text(text)
        verify = subprocess.run(
            ["systemd-analyze", "verify", str(tmp_path / "infocoach.service")], capture_output=True, text=True
        )
        assert verify.returncode == 0 and verify.stdout + verify.stderr == "", verify.stdout + verify.stderr


def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions, as (INSTRUCTION, arguments), continuations joined and comments dropped."""
    text = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(word.upper(), rest.strip()) for word, _, rest in (line.partition(" ") for line in lines)]


def instruction(name: str) -> list[str]:
    return [rest for word, rest in dockerfile() if word == name]


def image_command() -> list[str]:
    [cmd] = instruction("CMD")
    return json.loads(cmd)


def health_check() -> list[str]:
    [check] = instruction("HEALTHCHECK")
    return json.loads(check[check.index("CMD ") + len("CMD ") :])


def image_env(**overrides: str) -> dict[str, str]:
    """The environment inside the image (its ENV lines), with `infocoach` on the PATH and ``overrides``."""
    env = dict(os.environ, PATH=f"{INFOCOACH.parent}{os.pathsep}{os.environ['PATH']}")
    for line in instruction("ENV"):
        env.update(pair.split("=", 1) for pair in shlex.split(line))
    return {**env, **overrides}


def test_the_dockerfile_is_a_slim_non_root_image_of_this_package() -> None:
    assert instruction("FROM") == ["python:3.11-slim"]
    [user] = instruction("USER")
    assert user not in ("root", "0")
    assert image_command() == ["infocoach", "run"]
    assert health_check()[:2] == ["infocoach", "doctor"]
    for copied in instruction("COPY"):
        for source in copied.split()[:-1]:
            assert (ROOT / source).exists(), f"COPY {source}: not in the repository"
    packages = {source for copied in instruction("COPY") for source in copied.split()[:-1]}
    assert {"bot", "handlers", "services", "storage", "coaching"} <= packages


async def test_the_images_commands_work_outside_a_container(
    api: LocalBotApi, database_url: str, tmp_path: Path
) -> None:
    """The exact CMD and HEALTHCHECK commands, in the image's environment with a test database and the local API."""
    env = image_env(DATABASE_URL=database_url, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url)

    def check() -> subprocess.CompletedProcess:
        return subprocess.run(health_check(), env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)

    unmigrated = check()
    assert unmigrated.returncode == 1, "unhealthy before the bot has set up its database"
    with open(tmp_path / "cmd.log", "wb") as log:
        bot = subprocess.Popen(image_command(), env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_polling(api, bot)
        chat = ChatDriver(api, ANA, settle=0.4)
        await chat.send("/start")
        assert "What should I call you" in chat.last_text()
        healthy = check()
        assert healthy.returncode == 0, healthy.stdout + healthy.stderr
        assert "token" not in healthy.stdout, "no network call from the health check"
    finally:
        assert stop(bot, signal.SIGTERM) == 0, (tmp_path / "cmd.log").read_text()
    assert "Traceback" not in (tmp_path / "cmd.log").read_text()
