"""The bot's web side: Telegram's webhook, /healthz and /metrics, on one small ASGI app (Starlette on Uvicorn).

- ``POST <WEBHOOK_PATH>`` (``infocoach serve`` only). The ``X-Telegram-Bot-Api-Secret-Token`` header must carry
  the secret given to Telegram in ``setWebhook``: otherwise 403, before the body is even read. The body is read in
  chunks, up to ``MAX_BODY`` (413 beyond: a huge body is never held whole); JSON that is not an update gets 400.
  The update goes into the durable inbox, the same as polling's (bot/inbox.py), and the 200 is sent only once it
  is stored: Telegram sends again whatever it did not hear 200 for, and an update sent twice is handled once.
- ``GET /healthz``: the database (a ``SELECT 1``, and for SQLite its file still where it was, within
  ``DB_TIMEOUT``), the dispatcher's last run and the inbox's backlog, as JSON; 503 while the database doesn't
  answer.
- ``GET /metrics``: Prometheus's text format (bot/metrics.py), with the gauges counted at the scrape (the same
  database check as /healthz among them).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import math
import socket
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram.ext import Application

from bot import metrics
from bot.app import INBOX_KEY
from bot.dispatcher import JOB_NAME
from bot.inbox import Inbox, UnreadableUpdate
from handlers.common import SERVICES_KEY
from services.context import Services
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # Telegram's updates are a few kilobytes; this is plenty and still cheap to refuse
DB_TIMEOUT = 2.0  # seconds /healthz and /metrics wait for the database


class _TooLarge(Exception):
    pass


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, read chunk by chunk and given up on as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def database_problem(engine: AsyncEngine, timeout: float = DB_TIMEOUT) -> str | None:
    """Why the database doesn't answer (the error's type, never its text), or None.

    SQLite: the engine's pooled connections keep working on a file moved or deleted under them, so a fresh
    connection also opens the file where the URL says, read-write, and reads the schema's version from it (an empty
    file made in its place is not our database).
    """
    try:
        async with asyncio.timeout(timeout):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            database = engine.url.database
            if engine.url.get_backend_name() == "sqlite" and database and database != ":memory:":
                await asyncio.to_thread(_open_sqlite_file, Path(database).expanduser().absolute())
    except TimeoutError:
        return f"no answer within {timeout:g} s"
    except Exception as error:  # noqa: BLE001 - any driver error means "unreachable"; its text may hold the URL
        return type(error).__name__
    return None


def _open_sqlite_file(path: Path) -> None:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, timeout=DB_TIMEOUT)
    try:
        connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()


class Endpoints:
    """The routes' handlers, over one application (its database, dispatcher and inbox)."""

    def __init__(self, app: Application, inbox: Inbox | None = None, secret: str = "") -> None:
        self._app = app
        self._inbox = inbox
        self._secret = secret.encode()

    @property
    def _services(self) -> Services:
        return self._app.bot_data[SERVICES_KEY]

    async def webhook(self, request: Request) -> Response:
        status = await self._take_update(request)
        metrics.webhook_request(status)
        return Response(status_code=status)

    async def _take_update(self, request: Request) -> int:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if self._inbox is None or not self._secret or not hmac.compare_digest(given, self._secret):
            return 403
        try:
            body = await _read_body(request, MAX_BODY)
        except _TooLarge:
            return 413
        except ClientDisconnect:
            return 400  # nobody is left to read it
        try:
            update = json.loads(body)
        except (ValueError, RecursionError):  # broken JSON, not UTF-8, or nested past the parser's depth
            return 400
        if not isinstance(update, dict):
            return 400
        try:
            await self._inbox.receive(update)  # False (seen already, a flood's excess) is a 200 too: don't resend
        except UnreadableUpdate:
            return 400
        except Exception as error:  # noqa: BLE001 - not stored, so not answered 200: Telegram sends it again
            log.warning(
                "An update from the webhook was not stored (%s); Telegram will send it again", type(error).__name__
            )
            return 503
        return 200

    async def healthz(self, request: Request) -> JSONResponse:
        services = self._services
        problem = await database_problem(services.engine)
        backlog = None
        if problem is None:
            with contextlib.suppress(Exception):  # the database went away since the check: backlog unknown
                backlog, _ = await self._counts()
        last_run = services.dispatcher.last_run if services.dispatcher is not None else None
        jobs = self._app.job_queue.get_jobs_by_name(JOB_NAME) if self._app.job_queue is not None else ()
        body = {
            "status": "ok" if problem is None else "unhealthy",
            "database": {"reachable": problem is None, "error": problem},
            "dispatcher": {
                "running": bool(jobs),
                "last_run": last_run.isoformat() if last_run else None,
                "seconds_ago": round((datetime.now(UTC) - last_run).total_seconds(), 1) if last_run else None,
            },
            "inbox": {"backlog": backlog},
        }
        return JSONResponse(body, status_code=200 if problem is None else 503)

    async def metrics(self, request: Request) -> Response:
        backlog, due = math.nan, math.nan  # unknown while the database doesn't answer; /healthz says why
        up = await database_problem(self._services.engine) is None
        if up:
            with contextlib.suppress(Exception):
                backlog, due = await self._counts()
        page = metrics.render(database_up=up, nudges_due=due, inbox_backlog=backlog)
        return Response(page, media_type=CONTENT_TYPE_LATEST)

    async def _counts(self) -> tuple[float, float]:
        """The inbox's backlog and the reminders due now."""
        services = self._services
        async with asyncio.timeout(DB_TIMEOUT), UnitOfWork(services.session_factory) as uow:
            return await uow.inbox.backlog(), await uow.nudges.due_count(services.clock())


def build_web_app(app: Application, *, webhook_path: str | None = None, secret: str = "") -> Starlette:
    """/healthz and /metrics, and with ``webhook_path`` the webhook (the application must have its inbox)."""
    inbox = app.bot_data.get(INBOX_KEY) if webhook_path is not None else None
    if webhook_path is not None and inbox is None:
        raise ValueError("the webhook needs the durable inbox: build_application(..., webhook=True)")
    endpoints = Endpoints(app, inbox, secret)
    routes = [
        Route("/healthz", endpoints.healthz, methods=["GET"]),
        Route("/metrics", endpoints.metrics, methods=["GET"]),
    ]
    if webhook_path is not None:
        routes.append(Route(webhook_path, endpoints.webhook, methods=["POST"]))
    return Starlette(routes=routes)


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything starts: a port in use is a one-line error, not a traceback
    after the bot came up. Raises OSError."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family)


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Uvicorn's own would take SIGINT and SIGTERM from the bot, whose handlers stop both in order (bot/cli.py)."""
        yield


class WebServer:
    """Uvicorn serving ``asgi`` on ``sock``, started and stopped with the bot."""

    def __init__(self, asgi: Starlette, sock: socket.socket) -> None:
        # log_config=None keeps our logging (uvicorn's default config would replace it); no access log: a line per
        # update is noise, and the proxy in front keeps one.
        config = uvicorn.Config(asgi, lifespan="off", log_config=None, access_log=False, timeout_graceful_shutdown=10)
        self._server = _Server(config)
        self._sock = sock
        self._task: asyncio.Task[None] | None = None

    @property
    def address(self) -> str:
        host, port = self._sock.getsockname()[:2]
        return f"http://{f'[{host}]' if ':' in host else host}:{port}"

    async def start(self) -> None:
        self._task = asyncio.create_task(self._server.serve(sockets=[self._sock]))
        while not self._server.started:
            if self._task.done():
                await self._task  # raises what stopped it
                raise RuntimeError("the web server did not start")
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        """Stop taking requests; those in flight finish (an update being stored is stored and answered)."""
        if self._task is not None:
            self._server.should_exit = True
            await self._task
            self._task = None
