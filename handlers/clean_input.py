"""The boundary for typed text: every message's text and caption is cleaned before any handler reads it.

It runs first (group -3). NUL bytes, lone surrogates, other control characters, bidi overrides and a
byte-order mark are removed (``coaching.answers.printable``); newlines, tabs, emoji and every printable
script stay. Entity offsets (a command at the start, say) are moved to match. A handler then reads
``update.message.text`` as usual and can never pass PostgreSQL a NUL or any database a lone surrogate.

An edited message gets a short hint and goes no further: the answer it edits was already used, and a
flow that read it as a new answer would take it for the next question's.
"""

from __future__ import annotations

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType, ParseMode
from telegram.ext import ApplicationHandlerStop, BaseHandler, ContextTypes, TypeHandler

from coaching.answers import is_kept, printable

EDITED_MESSAGE = "I saw you edited a message; I keep the first version. Send the correction as a new message."


def _utf16(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1


def _clean_with_entities(
    text: str, entities: tuple[MessageEntity, ...]
) -> tuple[str, tuple[MessageEntity, ...]] | None:
    """The cleaned text and its entities moved to match, or None when nothing needs to change."""
    cleaned = printable(text)
    if cleaned == text:
        return None
    if not entities:
        return cleaned, ()
    # Map every old UTF-16 offset to its new one, character by character (line breaks keep their place:
    # "\r\n" becomes "\n" and the others one "\n" each, which the map follows as a removal of "\r").
    mapping: dict[int, int] = {}
    old = new = 0
    index = 0
    while index < len(text):
        ch = text[index]
        mapping[old] = new
        if ch == "\r" and text[index + 1 : index + 2] == "\n":
            old += 1  # the "\r" of "\r\n" goes; the "\n" follows
        elif ch in "\r\x85\u2028\u2029":
            old, new = old + 1, new + 1
        elif is_kept(ch):
            old, new = old + _utf16(ch), new + _utf16(ch)
        else:
            old += _utf16(ch)
        index += 1
    mapping[old] = new

    def moved(offset: int) -> int:
        while offset not in mapping and offset > 0:  # inside a surrogate pair: never for Telegram's offsets
            offset -= 1
        return mapping.get(offset, 0)

    kept = []
    for entity in entities:
        start, end = moved(entity.offset), moved(entity.offset + entity.length)
        if end > start:
            kept.append(
                MessageEntity(
                    entity.type,
                    start,
                    end - start,
                    url=entity.url,
                    user=entity.user,
                    language=entity.language,
                    custom_emoji_id=entity.custom_emoji_id,
                )
            )
    return cleaned, tuple(kept)


def clean_message(message: Message) -> None:
    """Clean ``message``'s text and caption in place (PTB objects are frozen; this is the one place that
    thaws one)."""
    with message._unfrozen():
        if message.text is not None:
            changed = _clean_with_entities(message.text, message.entities)
            if changed is not None:
                message.text, message.entities = changed
        if message.caption is not None:
            changed = _clean_with_entities(message.caption, message.caption_entities)
            if changed is not None:
                message.caption, message.caption_entities = changed


async def clean_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    for message in (update.message, update.edited_message):
        if message is not None:
            clean_message(message)
    edited = update.edited_message
    if edited is not None and update.message is None:
        if edited.chat.type == ChatType.PRIVATE:  # in a group, an edit is nothing to answer at all
            await edited.chat.send_message(EDITED_MESSAGE, parse_mode=ParseMode.HTML)
        raise ApplicationHandlerStop


def build_cleaner() -> BaseHandler:
    return TypeHandler(Update, clean_update)
