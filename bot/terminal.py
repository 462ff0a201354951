"""Render Telegram HTML for a terminal: styling as ANSI codes, user text made inert."""

from __future__ import annotations

import re
import unicodedata

from bot.local_api.spec import parse_html_entities

_STYLES = {"bold": "1", "italic": "3", "underline": "4", "strikethrough": "9", "code": "2", "pre": "2", "spoiler": "2"}
RESET = "\x1b[0m"


def inert(text: str) -> str:
    """Show control characters (ANSI escapes among them) as visible codes, so they do nothing."""
    return "".join(
        ch
        if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf") or ch == "\u200d"
        else f"\\x{ord(ch):02x}"
        if ord(ch) < 0x100
        else f"\\u{ord(ch):04x}"
        for ch in text
    )


def _utf16_index(text: str) -> list[int]:
    """Map each UTF-16 offset to a Python string index."""
    index = []
    for i, ch in enumerate(text):
        index.extend([i] * (len(ch.encode("utf-16-le")) // 2))
    index.append(len(text))
    return index


def render_html(html_text: str, *, color: bool = True) -> str:
    """Telegram HTML as terminal text: bold, italic and the like as ANSI styles, links shown."""
    try:
        plain, entities = parse_html_entities(html_text)
    except ValueError:
        return inert(html_text)
    index = _utf16_index(plain)
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for entity in entities:
        start, end = index[entity["offset"]], index[entity["offset"] + entity["length"]]
        kind = entity["type"]
        if kind in _STYLES and color:
            opens.setdefault(start, []).append(f"\x1b[{_STYLES[kind]}m")
            closes.setdefault(end, []).append(RESET)
        elif kind == "text_link":
            closes.setdefault(end, []).append(f" ({inert(entity['url'])})")
        elif kind == "blockquote":
            opens.setdefault(start, []).append("\x00QUOTE_START")
            closes.setdefault(end, []).append("\x00QUOTE_END")
    out: list[str] = []
    for i, ch in enumerate(plain + "\0"):
        out.extend(closes.get(i, []))
        if RESET in closes.get(i, []):
            # Re-open styles still active across this point.
            out.extend(
                code
                for s, codes in opens.items()
                if s < i
                for code in codes
                if code.startswith("\x1b") and _still_open(s, i, entities, index)
            )
        out.extend(opens.get(i, []))
        if i < len(plain):
            out.append(inert(ch))
    return _indent_quotes("".join(out))


def _still_open(start: int, at: int, entities: list[dict], index: list[int]) -> bool:
    return any(index[e["offset"]] == start and index[e["offset"] + e["length"]] > at for e in entities)


def _indent_quotes(text: str) -> str:
    def quote(match: re.Match) -> str:
        return "\n".join(f"  │ {line}" for line in match.group(1).split("\n"))

    return re.sub(r"\x00QUOTE_START(.*?)\x00QUOTE_END", quote, text, flags=re.S)
