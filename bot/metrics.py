"""Prometheus metrics, counted where things happen and served by ``GET /metrics`` (bot/web.py).

One registry of our own, not prometheus-client's global one: nothing else registers into it, and two
applications in one process (the tests) share it without clashing. Labels are kinds, outcomes and HTTP
statuses only: never an id or anything anybody wrote.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics, generate_latest
from telegram import Update

REGISTRY = CollectorRegistry()
# A `_created` timestamp beside every counter and histogram doubles the page and says nothing a restart doesn't.
disable_created_metrics()

UPDATES = Counter(
    "infocoach_updates", "Updates handled (their transaction committed), by kind", ["kind"], registry=REGISTRY
)
HANDLER_ERRORS = Counter(
    "infocoach_handler_errors",
    "Handler failures (each attempt rolled back), by update kind",
    ["kind"],
    registry=REGISTRY,
)
REPLY_SECONDS = Histogram(
    "infocoach_reply_seconds",
    "Seconds from an update taken up by the processor to its transaction's end (the reply sent in between)",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30),
    registry=REGISTRY,
)
NUDGES = Counter(
    "infocoach_nudges",
    "Reminders by outcome: sent; failed (a send attempt refused or lost); deferred (held, paused or quiet hours)",
    ["outcome"],
    registry=REGISTRY,
)
RATE_LIMITED = Counter("infocoach_telegram_429", "429 Too Many Requests answers from Telegram", registry=REGISTRY)
WEBHOOK_REQUESTS = Counter(
    "infocoach_webhook_requests", "Webhook requests, by HTTP status", ["status"], registry=REGISTRY
)
NUDGES_DUE = Gauge("infocoach_nudges_due", "Reminders pending and due now (counted at scrape)", registry=REGISTRY)
DATABASE_UP = Gauge(
    "infocoach_database_up", "1 when the database answers (as GET /healthz checks it), else 0", registry=REGISTRY
)
INBOX_BACKLOG = Gauge(
    "infocoach_inbox_backlog", "Updates stored, not yet handled (counted at scrape)", registry=REGISTRY
)

# Known label values start at 0, so a first increment is a visible change rather than a new series.
for _kind in ("message", "edited_message", "callback_query", "my_chat_member"):
    UPDATES.labels(_kind)
    HANDLER_ERRORS.labels(_kind)
for _outcome in ("sent", "failed", "deferred"):
    NUDGES.labels(_outcome)
for _status in (200, 400, 403, 413, 503):
    WEBHOOK_REQUESTS.labels(str(_status))


def kind_of(update: object) -> str:
    """The update's kind: the name of its one filled field (message, callback_query, …)."""
    if isinstance(update, Update):
        for kind in Update.ALL_TYPES:
            if getattr(update, kind, None) is not None:
                return str(kind)  # UpdateType is a StrEnum: its value
    return "other"


def update_handled(update: object, seconds: float) -> None:
    UPDATES.labels(kind_of(update)).inc()
    REPLY_SECONDS.observe(seconds)


def handler_failed(update: object) -> None:
    HANDLER_ERRORS.labels(kind_of(update)).inc()


def nudges(outcome: str, count: int = 1) -> None:
    """``outcome``: sent, failed or deferred."""
    if count:
        NUDGES.labels(outcome).inc(count)


def rate_limited() -> None:
    RATE_LIMITED.inc()


def webhook_request(status: int) -> None:
    WEBHOOK_REQUESTS.labels(str(status)).inc()


def render(*, database_up: bool, nudges_due: float, inbox_backlog: float) -> bytes:
    """The Prometheus text format, with the gauges counted at this scrape (NaN: the database didn't answer)."""
    DATABASE_UP.set(database_up)
    NUDGES_DUE.set(nudges_due)
    INBOX_BACKLOG.set(inbox_backlog)
    return generate_latest(REGISTRY)
