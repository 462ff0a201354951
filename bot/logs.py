"""Logging set-up that never writes the bot token or message text."""

from __future__ import annotations

import logging


class RedactToken(logging.Filter):
    """Replaces the token wherever it appears in a record, as a last line of defence."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self._secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        if self._secret and self._secret in record.getMessage():
            record.msg = record.getMessage().replace(self._secret, "<token>")
            record.args = ()
        return True


def json_formatter() -> logging.Formatter:
    """One JSON object per line for log collectors: time (ISO 8601, UTC), level, logger, message, exception."""
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(
        "{levelname}{name}{message}",
        style="{",
        timestamp="time",
        rename_fields={"levelname": "level", "name": "logger", "exc_info": "exception"},
    )


def configure_logging(level: str, secret: str = "", log_format: str = "text") -> None:
    handler = logging.StreamHandler()
    if log_format == "json":
        handler.setFormatter(json_formatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if secret:
        handler.addFilter(RedactToken(secret))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every request URL, and the URL holds the token; at DEBUG, python-telegram-bot and
    # the database drivers log update contents and query parameters, which hold what users typed.
    for name in ("httpx", "httpcore", "apscheduler", "aiosqlite", "asyncpg", "sqlalchemy", "alembic.runtime.plugins"):
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.getLogger("telegram").setLevel(max(logging.INFO, root.level))
