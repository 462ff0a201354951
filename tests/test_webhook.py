"""Webhook mode: the real `infocoach serve` as a process, Telegram's side played by this test over real HTTP.

The local Bot API records setWebhook and holds the updates users make; ``Telegram`` takes them and posts them to
the bot with the secret header, in order, again and again until it hears 200, as Telegram does.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from telegram import Update

from bot.local_api import LocalBotApi, TelegramUser
from storage.db import create_engine, create_session_factory
from storage.models import Inbox
from storage.uow import UnitOfWork
from tests.conftest import ANA, TOKEN
from tests.driver import ChatDriver
from tests.test_cli_process import INFOCOACH, stop

SECRET = "test-secret_0123456789"
PUBLIC_URL = "https://bot.example.com/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_infocoach(
    api: LocalBotApi, database_url: str, tmp_path: Path, log_name: str, port: int, command: tuple[str, ...] = ("serve",)
) -> subprocess.Popen:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "DEBUG",
        "WEBHOOK_URL": PUBLIC_URL,
        "WEBHOOK_SECRET": SECRET,
        "WEB_PORT": str(port),
    }
    with open(tmp_path / log_name, "wb") as log:  # the child keeps its own copy of the file descriptor
        return subprocess.Popen([str(INFOCOACH), *command], env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)


def calls(api: LocalBotApi, method: str) -> list[dict[str, Any]]:
    return [params for name, params in list(api.requests) if name == method]


def wait_until_webhook_set(api: LocalBotApi, process: subprocess.Popen, after: int = 0) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(calls(api, "setWebhook")) > after:
            return
        assert process.poll() is None, "infocoach serve exited early"
        time.sleep(0.05)
    raise AssertionError("infocoach serve never set its webhook")


class Telegram:
    """Telegram's side of the webhook: posts the updates users made to the bot, in order, each until answered 200."""

    def __init__(self, api: LocalBotApi, port: int) -> None:
        self.api = api
        self.url = f"http://127.0.0.1:{port}/telegram"
        self.pending: deque[dict[str, Any]] = deque()
        self.refused = 0  # posts nobody answered (the bot was down)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def post(self, update: Any = None, *, secret: str | None = SECRET, **request: Any) -> int | None:
        """One POST; the HTTP status, or None when nobody answered."""
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        if update is not None:
            request["json"] = update
        try:
            return httpx.post(
                self.url, headers={**headers, **request.pop("headers", {})}, timeout=10, **request
            ).status_code
        except httpx.TransportError:
            self.refused += 1
            return None

    def deliver(self) -> bool:
        """Post what is waiting, in order, stopping at the first one not answered 200; True when all went."""
        with self._lock:
            self.pending.extend(self.api.take_updates())
            while self.pending:
                if self.post(self.pending[0]) != 200:
                    return False
                self.pending.popleft()
            return True

    def keep_delivering(self) -> None:
        """In the background from now on, as Telegram does: retries every 50 ms while the bot is away."""

        def loop() -> None:
            while not self._stop.is_set():
                if not self.deliver():
                    time.sleep(0.05)
                time.sleep(0.01)

        self._thread = threading.Thread(target=loop, name="telegram-webhook", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=15)


class WebhookApi:
    """The local Bot API as a ChatDriver sees it, with every update the user makes posted to the webhook at once."""

    def __init__(self, api: LocalBotApi, telegram: Telegram) -> None:
        self._api, self._telegram = api, telegram

    def __getattr__(self, name: str) -> Any:
        return getattr(self._api, name)

    def _delivered(self, update_id: int) -> int:
        assert self._telegram.deliver(), "the bot did not answer 200"
        return update_id

    def send_from(self, *args: Any, **kwargs: Any) -> int:
        return self._delivered(self._api.send_from(*args, **kwargs))

    def press_from(self, *args: Any, **kwargs: Any) -> int:
        return self._delivered(self._api.press_from(*args, **kwargs))


async def inbox_rows(database_url: str) -> dict[int, str]:
    """update id -> status, for every row in the inbox."""
    engine = create_engine(database_url)
    try:
        async with UnitOfWork(create_session_factory(engine)) as uow:
            return {
                update_id: status
                for update_id, status in await uow.session.execute(select(Inbox.update_id, Inbox.status))
            }
    finally:
        await engine.dispose()


async def eventually(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


def read_logs(tmp_path: Path, *names: str) -> bytes:
    return b"".join((tmp_path / name).read_bytes() for name in names)


async def test_webhook_end_to_end(api: LocalBotApi, database_url: str, tmp_path: Path) -> None:
    port = free_port()
    bot = start_infocoach(api, database_url, tmp_path, "serve.log", port)
    try:
        wait_until_webhook_set(api, bot)
        [webhook] = calls(api, "setWebhook")
        assert webhook["url"] == PUBLIC_URL and webhook["secret_token"] == SECRET
        assert webhook["drop_pending_updates"] is False
        assert set(webhook["allowed_updates"]) == set(Update.ALL_TYPES)
        info = httpx.post(f"{api.base_url}{TOKEN}/getWebhookInfo").json()["result"]
        assert info["url"] == PUBLIC_URL and info["pending_update_count"] == 0
        telegram = Telegram(api, port)

        # The right secret: handled, and the bot answers in the chat.
        chat = ChatDriver(WebhookApi(api, telegram), ANA, settle=0.4)
        await chat.send("/start")
        assert "What should I call you" in chat.last_text()
        await chat.press("Call me Ana")
        assert "Which field" in chat.last_text()

        # A wrong secret, or none: 403, nothing stored, nothing handled.
        api.send_from(ANA, "Marine biology")
        [update] = api.take_updates()
        assert telegram.post(update, secret="wrong-secret") == 403
        assert telegram.post(update, secret=None) == 403
        assert telegram.post(update, secret=SECRET + "x") == 403
        await asyncio.sleep(0.5)
        assert update["update_id"] not in await inbox_rows(database_url)
        assert "Which field" in chat.last_text(), "handled without the secret"

        # Replayed (Telegram did not hear the 200): stored and handled once, however often it comes.
        assert telegram.post(update) == 200
        assert telegram.post(update) == 200
        await eventually(lambda: "Which roles" in chat.last_text())
        assert telegram.post(update) == 200
        await asyncio.sleep(0.5)
        assert sum("Which roles" in m.text for m in chat.messages()) == 1, "a replayed update handled twice"
        assert (await inbox_rows(database_url))[update["update_id"]] == "done"

        # Rejected cleanly: nothing stored, no traceback.
        before = await inbox_rows(database_url)
        huge = b'{"update_id": 999, "message": "' + b"x" * (2 * 1024 * 1024) + b'"}'
        assert telegram.post(content=huge) == 413
        chunked = (b"x" * 64 * 1024 for _ in range(40))  # no Content-Length: read in chunks, given up on at 1 MB
        assert telegram.post(content=chunked) == 413
        for body in (b"{", b'{"update_id": 1000, ', b"\xff\xfe", b"[1, 2]", b'"text"', b"[" * 100_000, b"{}"):
            assert telegram.post(content=body) == 400, body[:20]
        for shape in ({"update_id": "1000"}, {"update_id": True}, {"update_id": -1}, {"update_id": 1000, "message": 5}):
            assert telegram.post(shape) == 400, shape
        assert telegram.post(secret=None, content=b"{") == 403, "the secret is checked first"
        assert httpx.get(telegram.url).status_code == 405
        assert await inbox_rows(database_url) == before

        # And still serving.
        await chat.send("marine biologist")
        assert "Where are you in your career" in chat.last_text()
    finally:
        returncode = stop(bot, signal.SIGTERM)
    assert returncode == 0, "a clean shutdown on SIGTERM"
    assert calls(api, "deleteWebhook") == [], "the webhook stays set: Telegram keeps what arrives meanwhile"
    assert calls(api, "getUpdates") == [], "webhook mode never polls"
    logs = read_logs(tmp_path, "serve.log")
    assert b"Traceback" not in logs
    assert TOKEN.encode() not in logs and SECRET.encode() not in logs
    assert b"Marine biology" not in logs and b"marine biologist" not in logs


async def test_back_to_polling_after_the_webhook(api: LocalBotApi, database_url: str, tmp_path: Path) -> None:
    """`infocoach run` after `serve`: polling deletes the webhook (keeping what waits at Telegram) and carries on."""
    bot = start_infocoach(api, database_url, tmp_path, "serve.log", free_port())
    wait_until_webhook_set(api, bot)
    assert stop(bot, signal.SIGTERM) == 0
    api.send_from(ANA, "/start")  # while nobody serves: it waits at Telegram
    bot = start_infocoach(api, database_url, tmp_path, "run.log", free_port(), command=("run",))
    try:
        await eventually(lambda: any("What should I call you" in m.text for m in api.chat_messages(ANA.id)))
    finally:
        assert stop(bot, signal.SIGTERM) == 0
    [deleted] = calls(api, "deleteWebhook")
    assert not deleted.get("drop_pending_updates")


USERS = [TelegramUser(id=4000 + i, first_name=f"Webhook{i}") for i in range(6)]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
async def test_a_restart_loses_no_update_and_handles_none_twice(
    api: LocalBotApi, database_url: str, tmp_path: Path, sig: int
) -> None:
    """Six people go through onboarding while the bot restarts under them. Telegram posts each update until it
    hears 200 (connection refused while the bot is down). Every answer moves the conversation one step, so an
    update lost stalls it and one handled twice skips a question: each prompt must come exactly once (after a
    kill -9, an answer sent just before the kill may come twice: answers are at least once, docs/reliability.md)."""
    port = free_port()
    telegram = Telegram(api, port)
    bot = start_infocoach(api, database_url, tmp_path, "first.log", port)
    try:
        wait_until_webhook_set(api, bot)
        telegram.keep_delivering()
        for user in USERS:
            api.send_from(user, "/start")
        await eventually(lambda: all("What should I call you" in last_text(api, u) for u in USERS))

        for user in USERS:
            api.send_from(user, user.first_name)  # the name: in flight as the bot stops
        await asyncio.sleep(0.05)
        stop(bot, sig)
        for user in USERS:
            api.send_from(user, "Marine biology")  # while it is down: refused, posted again later
        await asyncio.sleep(0.5)
        assert telegram.refused > 0, "nothing was posted while the bot was down"

        bot = start_infocoach(api, database_url, tmp_path, "second.log", port)
        wait_until_webhook_set(api, bot, after=1)
        for user in USERS:
            api.send_from(user, "research scientist")
        await eventually(lambda: all("Where are you in your career" in last_text(api, u) for u in USERS))
        await eventually(lambda: not telegram.pending)
        await asyncio.sleep(0.5)  # anything handled twice would have answered by now
    finally:
        telegram.close()
        if bot.poll() is None:
            stop(bot, signal.SIGTERM)
    prompts = ("What should I call you", "Which field", "Which roles", "Where are you in your career")
    for user in USERS:
        texts = [m.text for m in api.chat_messages(user.id)]
        counts = [sum(prompt in text for text in texts) for prompt in prompts]
        repeats = sum(count - 1 for count in counts)
        assert all(count >= 1 for count in counts), f"{user.first_name}: an update was lost: {counts}"
        assert repeats <= (1 if sig == signal.SIGKILL else 0), f"{user.first_name}: asked again: {counts}"
    rows = await inbox_rows(database_url)
    assert "received" not in rows.values() and "parked" not in rows.values(), rows
    assert b"Traceback" not in read_logs(tmp_path, "first.log", "second.log")


def last_text(api: LocalBotApi, user: TelegramUser) -> str:
    messages = api.chat_messages(user.id)
    return messages[-1].text if messages else ""


def test_serve_without_its_settings_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_URL": "", "WEBHOOK_SECRET": ""}
    result = subprocess.run(
        [str(INFOCOACH), "serve"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "WEBHOOK_URL and WEBHOOK_SECRET" in line and "Traceback" not in result.stdout

    env |= {"WEBHOOK_URL": "bot.example.com", "WEBHOOK_SECRET": "has spaces", "WEBHOOK_PATH": "/metrics"}
    result = subprocess.run(
        [str(INFOCOACH), "serve"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "WEBHOOK_URL" in line and "WEBHOOK_SECRET" in line and "WEBHOOK_PATH" in line
    assert "has spaces" not in line, "the secret is never repeated"


def test_a_port_in_use_is_one_line(api: LocalBotApi, database_url: str, tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        bot = start_infocoach(api, database_url, tmp_path, "serve.log", port)
        assert bot.wait(timeout=60) == 2
    output = read_logs(tmp_path, "serve.log").decode()
    assert f"can't listen on 127.0.0.1:{port}" in output and "Traceback" not in output
    assert calls(api, "setWebhook") == []


def test_a_webhook_telegram_refuses_is_one_line(api: LocalBotApi, database_url: str, tmp_path: Path) -> None:
    api.fail_next("setWebhook", error_code=400, description="Bad Request: bad webhook: An HTTPS URL must be provided")
    bot = start_infocoach(api, database_url, tmp_path, "serve.log", free_port())
    assert bot.wait(timeout=60) == 2
    output = read_logs(tmp_path, "serve.log").decode()
    assert "Telegram refused the webhook" in output and "https url must be provided" in output.lower()
    assert "Traceback" not in output and SECRET not in output
