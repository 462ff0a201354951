"""Importing contacts from a CSV file sent as a document: all rows or none."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import BaseHandler, ContextTypes, MessageHandler, filters

from coaching import contact_copy as text
from coaching.answers import InvalidAnswer
from coaching.contacts import MAX_CONTACTS
from coaching.csv_import import MAX_FILE_BYTES, Shortened, prepare
from coaching.defaults import MAX_CONTACT_FIELD_CHARS
from handlers.common import esc, keyboard, reply, unit_of_work
from services import contacts as service


def _looks_like_csv(file_name: str | None, mime_type: str | None) -> bool:
    return (file_name or "").lower().endswith(".csv") or (mime_type or "") in (
        "text/csv",
        "text/comma-separated-values",
    )


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A CSV file: check it, read it whole, then add every usable row in one transaction."""
    document = update.message.document
    if not _looks_like_csv(document.file_name, document.mime_type):
        await reply(update, text.IMPORT_BAD_TYPE)
        return
    if (document.file_size or 0) > MAX_FILE_BYTES:
        await reply(
            update,
            text.IMPORT_TOO_BIG.format(
                size=round(document.file_size / 1024 / 1024, 1), limit=MAX_FILE_BYTES // (1024 * 1024)
            ),
        )
        return
    async with unit_of_work(context) as uow:
        room = await service.room_to_add(uow, update.effective_user.id, update.effective_chat.id)
    if not room:  # full already: say so before fetching the file
        await reply(update, text.LIMIT_REACHED.format(limit=MAX_CONTACTS))
        return
    data = bytes(await (await context.bot.get_file(document.file_id)).download_as_bytearray())
    try:  # reading 100,000 rows takes a while: in a thread, so other users' messages don't wait for it
        prepared = await asyncio.to_thread(prepare, data)
    except InvalidAnswer as problem:
        await reply(update, text.IMPORT_FAILED.format(reason=str(problem)))
        return
    async with unit_of_work(context) as uow:
        result = await service.import_csv(uow, update.effective_user.id, update.effective_chat.id, prepared)
    if result.error is not None:
        await reply(update, text.IMPORT_FAILED.format(reason=result.error))
        return
    reasons = "".join(f"\n• {count} — {esc(reason)}" for reason, count in result.skipped.items())
    summary = text.IMPORT_SUMMARY.format(added=result.added, skipped=sum(result.skipped.values()), reasons=reasons)
    if result.shortened:
        summary += text.IMPORT_SHORTENED.format(limit=MAX_CONTACT_FIELD_CHARS, rows=_rows(result.shortened))
    await reply(update, summary, keyboard([("📇 Open my contacts", "ct:l:all:0:1")]) if result.added else None)


_FIELD_WORDS = {"company": "company", "role": "role", "handle": "address"}
SHORTENED_SHOWN = 10  # rows named in the summary; the rest are counted


def _rows(shortened: tuple[Shortened, ...]) -> str:
    """ "row 3 (company), row 7 (role, address)", the first few, then how many more."""
    shown = shortened[:SHORTENED_SHOWN]
    rows = ", ".join(f"row {number} ({', '.join(_FIELD_WORDS[f] for f in fields)})" for number, fields in shown)
    more = len(shortened) - len(shown)
    return rows + (f" and {more:,} more rows" if more else "")


def build_handlers() -> list[BaseHandler]:
    return [MessageHandler(filters.ChatType.PRIVATE & filters.Document.ALL, on_document)]
