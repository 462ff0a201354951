"""GET /healthz and GET /metrics over real HTTP, from the real `infocoach` process: polling (`run --health-port`)
and webhook (`serve`) mode."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.engine import make_url
from telegram import Update

from bot.local_api import LocalBotApi
from tests.conftest import ANA, TOKEN
from tests.driver import ChatDriver
from tests.test_cli_process import INFOCOACH, stop, wait_until_polling
from tests.test_webhook import (
    SECRET,
    Telegram,
    WebhookApi,
    eventually,
    free_port,
    read_logs,
    start_infocoach,
    wait_until_webhook_set,
)


def healthz(port: int) -> tuple[int, dict]:
    response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
    return response.status_code, response.json()


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample on /metrics, parsed by prometheus-client's own parser: (name, labels) -> value."""
    response = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


class TcpProxy:
    """127.0.0.1:port forwarding to PostgreSQL, which can be cut (connections dropped, new ones refused) and back."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = free_port()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None

    def up(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def down(self) -> None:
        assert self._listener is not None
        self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() below
        self._listener.close()
        with self._lock:
            dropped, self._sockets = self._sockets, []
        for sock in dropped:
            _close(sock)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
                upstream = socket.create_connection(self.target)
            except OSError:
                return
            with self._lock:
                self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    _close(source)
    _close(sink)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


async def test_healthz_follows_the_database(api: LocalBotApi, database_url: str, tmp_path: Path) -> None:
    """Polling mode with --health-port: 200 while the database answers, 503 while it doesn't, 200 once it is back.
    PostgreSQL is reached through a proxy the test cuts; SQLite's file is moved away (which works as root too)."""
    url = make_url(database_url)
    proxy = None
    if url.get_backend_name() == "postgresql":
        proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
        proxy.up()
        database_url = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    port = free_port()
    bot = start_infocoach(api, database_url, tmp_path, "run.log", port, command=("run", "--health-port", str(port)))
    try:
        wait_until_polling(api, bot)
        await eventually(lambda: healthz(port)[1]["dispatcher"]["last_run"] is not None)
        status, body = healthz(port)
        assert status == 200 and body["status"] == "ok", body
        assert body["database"] == {"reachable": True, "error": None}
        assert body["dispatcher"]["running"] is True and body["dispatcher"]["seconds_ago"] < 60
        assert body["inbox"] == {"backlog": 0}

        sqlite_file = Path(url.database or "") if proxy is None else None
        if proxy is not None:
            proxy.down()
        else:
            assert sqlite_file is not None
            sqlite_file.rename(sqlite_file.with_name("moved-away.db"))
        status, body = healthz(port)
        assert status == 503 and body["status"] == "unhealthy", body
        assert body["database"]["reachable"] is False and body["database"]["error"]
        assert body["inbox"]["backlog"] is None
        metrics = scrape(port)  # still answers; what it can't count is NaN
        assert metrics[("infocoach_database_up", ())] == 0
        assert metrics[("infocoach_inbox_backlog", ())] != metrics[("infocoach_inbox_backlog", ())]

        if proxy is not None:
            proxy.up()
        else:
            assert sqlite_file is not None
            sqlite_file.with_name("moved-away.db").rename(sqlite_file)
        await eventually(lambda: healthz(port)[0] == 200, timeout=15)
        assert healthz(port)[1]["database"] == {"reachable": True, "error": None}
        assert scrape(port)[("infocoach_database_up", ())] == 1

        api.send_from(ANA, "/start")  # and the bot still works
        await eventually(lambda: bool(api.chat_messages(ANA.id)))
    finally:
        assert stop(bot, signal.SIGTERM) == 0
        if proxy is not None:
            proxy.down()
    assert TOKEN.encode() not in read_logs(tmp_path, "run.log")


async def test_metrics_parse_and_move_with_traffic(api: LocalBotApi, database_url: str, tmp_path: Path) -> None:
    port = free_port()
    bot = start_infocoach(api, database_url, tmp_path, "serve.log", port)
    try:
        wait_until_webhook_set(api, bot)
        before = scrape(port)
        for name in ("infocoach_nudges_due", "infocoach_inbox_backlog", "infocoach_telegram_429_total"):
            assert before[(name, ())] == 0, name
        for outcome in ("sent", "failed", "deferred"):
            assert (("infocoach_nudges_total", (("outcome", outcome),))) in before

        telegram = Telegram(api, port)
        chat = ChatDriver(WebhookApi(api, telegram), ANA, settle=0.4)
        await chat.send("/start")
        await chat.press("Call me Ana")
        api.fail_next("sendMessage", error_code=429, description="Too Many Requests: retry after 1", retry_after=1)
        await chat.send("Marine biology")  # answered after the pause
        assert "Which roles" in chat.last_text()
        api.fail_next("sendMessage", error_code=400, description="Bad Request: chat not found")
        await chat.send("marine biologist")  # fails once, rolled back, tried again by the inbox
        await eventually(lambda: "Where are you in your career" in chat.last_text())
        api.send_from(ANA, "not with the secret")
        assert telegram.post(api.take_updates()[0], secret="wrong-secret") == 403

        def moved(name: str, **labels: str) -> float:
            key = (name, tuple(sorted(labels.items())))
            return after.get(key, 0) - before.get(key, 0)

        await eventually(lambda: scrape(port)[("infocoach_updates_total", (("kind", "message"),))] >= 3)
        after = scrape(port)
        assert moved("infocoach_updates_total", kind="message") == 3
        assert moved("infocoach_updates_total", kind="callback_query") == 1
        assert moved("infocoach_handler_errors_total", kind="message") == 1
        assert moved("infocoach_reply_seconds_count") == 4
        assert moved("infocoach_telegram_429_total") == 1
        assert moved("infocoach_webhook_requests_total", status="200") == 4
        assert moved("infocoach_webhook_requests_total", status="403") == 1
        assert after[("infocoach_inbox_backlog", ())] == 0

        # Kinds, outcomes and statuses only: no user's id or words in any label.
        kinds = {str(kind) for kind in Update.ALL_TYPES} | {"other"}
        for _name, labels in after:
            for label, value in labels:
                assert label in ("kind", "outcome", "status", "le"), label
                assert label != "kind" or value in kinds
                assert label != "outcome" or value in ("sent", "failed", "deferred")
                assert label != "status" or (value.isdigit() and len(value) == 3)
        page = httpx.get(f"http://127.0.0.1:{port}/metrics").text
        assert str(ANA.id) not in page and "Ana" not in page and "Marine" not in page
    finally:
        assert stop(bot, signal.SIGTERM) == 0
    logs = read_logs(tmp_path, "serve.log")
    assert TOKEN.encode() not in logs and SECRET.encode() not in logs and b"Marine biology" not in logs


def test_a_health_port_that_is_no_port_is_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(INFOCOACH), "run", "--health-port", "0"],
        env={**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "not a port" in result.stderr and "Traceback" not in result.stderr
