"""The real `infocoach` command as a process: polling the local API, restarting mid-onboarding."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.local_api import LocalBotApi
from tests.conftest import ANA, TOKEN, TelegramUser
from tests.driver import ChatDriver

INFOCOACH = Path(sys.executable).with_name("infocoach")


def start_bot(api: LocalBotApi, database_url: str, tmp_path: Path, log_name: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "DEBUG",
    }
    with open(tmp_path / log_name, "wb") as log:  # the child keeps its own copy of the file descriptor
        return subprocess.Popen([str(INFOCOACH), "run"], env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)


def wait_until_polling(api: LocalBotApi, process: subprocess.Popen, after: int = 0) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if sum(1 for method, _ in api.requests if method == "getUpdates") > after:
            return
        assert process.poll() is None, "infocoach exited early"
        time.sleep(0.05)
    raise AssertionError("infocoach never started polling")


def stop(process: subprocess.Popen, sig: int) -> int:
    process.send_signal(sig)
    return process.wait(timeout=30)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
async def test_restart_mid_onboarding_resumes(api: LocalBotApi, database_url: str, tmp_path: Path, sig) -> None:
    bot = start_bot(api, database_url, tmp_path, "first.log")
    try:
        wait_until_polling(api, bot)
        chat = ChatDriver(api, ANA, settle=0.4)
        await chat.send("/start")
        await chat.send("Ana")
        await chat.send("Marine biology")
        assert "Which roles" in chat.last_text()
        returncode = stop(bot, sig)
        if sig == signal.SIGTERM:
            assert returncode == 0, "a clean shutdown on SIGTERM"

        polls = sum(1 for method, _ in api.requests if method == "getUpdates")
        bot = start_bot(api, database_url, tmp_path, "second.log")
        wait_until_polling(api, bot, after=polls)
        await chat.send("research scientist")
        assert "Where are you in your career" in chat.last_text()
        await chat.press("Student")
        assert "time zone" in chat.last_text()
        assert sum("Which roles" in m.text for m in chat.messages()) == 1, "nothing asked twice"
    finally:
        if bot.poll() is None:
            stop(bot, signal.SIGTERM)
    logs = b"".join((tmp_path / name).read_bytes() for name in ("first.log", "second.log"))
    assert TOKEN.encode() not in logs
    assert b"Marine biology" not in logs and b"research scientist" not in logs
    assert b"Traceback" not in logs


async def test_presses_made_while_the_bot_was_down_are_handled_after_a_restart(
    api: LocalBotApi, database_url: str, tmp_path: Path
) -> None:
    """Five people press a button while the bot is down (killed); when it is back the presses are too old
    to answer ("query is too old"), and each is still handled: nothing lost, nothing asked twice."""
    users = [TelegramUser(id=3000 + i, first_name=f"Tester{i}") for i in range(5)]
    bot = start_bot(api, database_url, tmp_path, "first.log")
    try:
        wait_until_polling(api, bot)
        chats = [ChatDriver(api, user, settle=0.4) for user in users]
        for chat in chats:
            await chat.send("/start")
        prompts = [chat.last_with_buttons() for chat in chats]
        stop(bot, signal.SIGKILL)
        for user, prompt in zip(users, prompts, strict=True):
            [data] = [
                b["callback_data"] for row in prompt.buttons for b in row if b["text"] == f"Call me {user.first_name}"
            ]
            api.press_from(user, prompt, data)
        api.expire_callbacks()
        polls = sum(1 for method, _ in api.requests if method == "getUpdates")
        answers_before = sum(1 for method, _ in api.requests if method == "answerCallbackQuery")
        bot = start_bot(api, database_url, tmp_path, "second.log")
        wait_until_polling(api, bot, after=polls)
        deadline = time.monotonic() + 20

        def tried() -> int:
            return sum(1 for method, _ in api.requests if method == "answerCallbackQuery") - answers_before

        # The answers go out alongside the next question (handlers/alongside.py): wait for both.
        while time.monotonic() < deadline and not (
            all("Which field" in chat.last_text() for chat in chats) and tried() >= len(users)
        ):
            await asyncio.sleep(0.1)
        for chat in chats:
            texts = [m.text for m in chat.messages()]
            assert "Which field" in texts[-1], f"{chat.user.first_name}'s press was lost: {texts[-1][:80]}"
            assert sum("Which field" in t for t in texts) == 1, "asked twice"
            assert not any("Sorry" in t for t in texts), "the failed answer to the old press broke the step"
        assert tried() >= len(users), "the old presses were answered (best effort), and Telegram refused"
        assert api.unanswered_callbacks() == 0
    finally:
        if bot.poll() is None:
            stop(bot, signal.SIGTERM)
    logs = b"".join((tmp_path / name).read_bytes() for name in ("first.log", "second.log"))
    assert b"Traceback" not in logs


def run_cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(INFOCOACH), *args], env={**os.environ, **env}, cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_missing_token_explains_botfather(tmp_path: Path) -> None:
    result = run_cli(["run"], {"TELEGRAM_BOT_TOKEN": ""}, tmp_path)
    assert result.returncode == 2
    assert "@BotFather" in result.stderr and "Traceback" not in result.stderr


def test_rejected_token_explains_botfather(api: LocalBotApi, database_url: str, tmp_path: Path) -> None:
    wrong = "987654321:AAE-this-token-is-not-known-to-the-api"
    result = run_cli(
        ["run"],
        {"TELEGRAM_BOT_TOKEN": wrong, "TELEGRAM_API_BASE_URL": api.base_url, "DATABASE_URL": database_url},
        tmp_path,
    )
    assert result.returncode == 2
    assert "rejected" in result.stderr and "@BotFather" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout and wrong not in result.stderr + result.stdout


def test_unreachable_api_is_a_clear_message(database_url: str, tmp_path: Path) -> None:
    result = run_cli(
        ["run"],
        {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot", "DATABASE_URL": database_url},
        tmp_path,
    )
    assert result.returncode == 2
    assert "could not reach" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_migrate_command(database_url: str, tmp_path: Path) -> None:
    result = run_cli(["migrate"], {"DATABASE_URL": database_url}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


# A database this user can't write: one line that says what to do, before anything else happens. Root writes
# through file modes, so as root the cases use what the kernel refuses even to root: sysfs, read-only to all.
AS_ROOT = os.geteuid() == 0


def read_only_file(tmp_path: Path) -> Path:
    if AS_ROOT:
        return Path("/sys/kernel/notes")
    path = tmp_path / "ro.db"
    path.touch(mode=0o444)  # an empty file is an empty SQLite database, which SQLite opens read-only silently
    return path


def read_only_folder(tmp_path: Path) -> Path:
    if AS_ROOT:
        return Path("/sys/infocoach.db")
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o555)
    return folder / "infocoach.db"


def assert_one_clear_line(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    [line] = result.stderr.strip().splitlines()
    assert "DATABASE_URL" in line, line
    for word in words:
        assert word in line, line


@pytest.mark.parametrize("command", ["migrate", "run"])
@pytest.mark.parametrize("where", ["file", "folder", "missing folder"])
def test_a_database_this_user_cannot_write_is_one_clear_line(tmp_path: Path, command: str, where: str) -> None:
    if where == "file":
        path, words = read_only_file(tmp_path), ("The database file", "read-only")
    elif where == "folder":
        path, words = read_only_folder(tmp_path), ("The database folder", "read-only")
    else:
        (tmp_path / "data").write_text("a file where the folder should be")
        path, words = tmp_path / "data" / "infocoach.db", ("The database folder", "can't be created")
    # An unreachable API: the database is checked first, so its line is the one given.
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{path}", "TELEGRAM_BOT_TOKEN": TOKEN,
           "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot"}  # fmt: skip
    assert_one_clear_line(run_cli([command], env, tmp_path), str(path.parent if where != "file" else path), *words)


def test_a_missing_folder_that_can_be_made_is_made(tmp_path: Path) -> None:
    result = run_cli(["migrate"], {"DATABASE_URL": "sqlite+aiosqlite:///new/data/x.db"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "new" / "data" / "x.db").is_file()


def test_a_setting_of_the_wrong_shape_is_one_line(tmp_path: Path) -> None:
    result = run_cli(["migrate"], {"DISPATCH_SENDS_AT_ONCE": "many", "TELEGRAM_MESSAGES_PER_SECOND": "0"}, tmp_path)
    assert result.returncode == 2
    assert "DISPATCH_SENDS_AT_ONCE" in result.stderr and "TELEGRAM_MESSAGES_PER_SECOND" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
