"""Callback data: built in one place per flow and parsed strictly.

Telegram returns callback data from the client, so a parser accepts only its own anchored shape,
with ids as bounded integers; a builder refuses anything over Telegram's 64 bytes at build time.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from telegram.constants import InlineKeyboardButtonLimit

ID = r"(\d{1,12})"  # record ids: positive integers, at most 12 digits


def build(*parts: object) -> str:
    """``prefix:part:part`` checked against Telegram's 64-byte limit."""
    data = ":".join(str(part) for part in parts)
    if not 1 <= len(data.encode()) <= InlineKeyboardButtonLimit.MAX_CALLBACK_DATA:
        raise ValueError(f"callback data of {len(data.encode())} bytes")
    return data


def parser(pattern: str) -> Callable[[str | None], tuple[str, ...] | None]:
    """A strict parser for ``pattern`` (anchored at both ends): the groups, or None."""
    compiled = re.compile(pattern)

    def parse(data: str | None) -> tuple[str, ...] | None:
        match = compiled.fullmatch(data or "")
        return match.groups() if match else None

    return parse
