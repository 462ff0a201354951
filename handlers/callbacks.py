"""Callback data: built in one place per flow and parsed strictly.

Telegram returns callback data from the client, so a parser accepts only its own anchored shape,
with ids as bounded integers; a builder refuses anything over Telegram's 64 bytes at build time.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from telegram.constants import InlineKeyboardButtonLimit

MAX_ID = 2**31 - 1  # record ids live in 32-bit integer columns (PostgreSQL raises beyond; SQLite doesn't)


def _up_to(limit: str) -> str:
    """A regex for the decimal numbers 0..``limit`` with no leading zeros (``limit`` of two digits or more)."""
    shorter = rf"[1-9]\d{{0,{len(limit) - 2}}}" if len(limit) > 2 else r"[1-9]"
    alternatives = ["0", shorter]
    for index, digit in enumerate(limit):  # the same length as limit: smaller at ``index``, equal before it
        low = "1" if index == 0 else "0"
        if digit > low:
            below = low if int(digit) - 1 == int(low) else f"{low}-{int(digit) - 1}"
            rest = len(limit) - index - 1
            alternatives.append(limit[:index] + f"[{below}]" + (rf"\d{{{rest}}}" if rest else ""))
    alternatives.append(limit)
    return "(?:" + "|".join(alternatives) + ")"


# Record ids (and page numbers): 0..2**31-1, so an id that can't exist never reaches a query.
ID = rf"({_up_to(str(MAX_ID))})"


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
