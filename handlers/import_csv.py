"""Importing contacts from a CSV file sent as a document: all rows or none."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, ContextTypes, MessageHandler, filters

from coaching import contact_copy as text
from coaching.answers import InvalidAnswer
from coaching.contacts import MAX_CONTACTS, duplicate_key
from coaching.csv_import import MAX_FILE_BYTES, parse_contacts_csv
from handlers.common import esc, keyboard, reply, unit_of_work


def _looks_like_csv(file_name: str | None, mime_type: str | None) -> bool:
    return (file_name or "").lower().endswith(".csv") or (mime_type or "") in ("text/csv", "text/comma-separated-values")


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A CSV file: check it, read it whole, then add every usable row in one transaction."""
    document = update.message.document
    if not _looks_like_csv(document.file_name, document.mime_type):
        await reply(update, text.IMPORT_BAD_TYPE)
        return
    if (document.file_size or 0) > MAX_FILE_BYTES:
        await reply(update, text.IMPORT_TOO_BIG.format(size=round(document.file_size / 1024 / 1024, 1),
                                                      limit=MAX_FILE_BYTES // (1024 * 1024)))
        return
    data = bytes(await (await context.bot.get_file(document.file_id)).download_as_bytearray())
    user_id = update.effective_user.id
    async with unit_of_work(context) as uow:
        await uow.users.get_or_create(user_id, update.effective_chat.id)
        contacts = await uow.contacts.all_of(user_id) + await uow.contacts.all_of(user_id, archived=True)
        existing = {duplicate_key(c.name, c.company) for c in contacts}
        try:
            result = parse_contacts_csv(data, existing=existing, room=MAX_CONTACTS - len(contacts))
        except InvalidAnswer as problem:
            await reply(update, text.IMPORT_FAILED.format(reason=str(problem)))
            return
        employers = {duplicate_key(e.name, None): e.id for e, _ in await uow.employers.all_of(user_id)}
        for row in result.rows:
            employer_id = employers.get(duplicate_key(row["company"], None)) if row["company"] else None
            uow.contacts.add(user_id, source="import", employer_id=employer_id, **row)
    reasons = "".join(f"\n• {count} — {esc(reason)}" for reason, count in result.skipped.items())
    await reply(update, text.IMPORT_SUMMARY.format(added=len(result.rows), skipped=sum(result.skipped.values()),
                                                   reasons=reasons),
                keyboard([("📇 Open my contacts", "ct:l:all:0:1")]) if result.rows else None)


def build_handlers() -> list[BaseHandler]:
    return [MessageHandler(filters.ChatType.PRIVATE & filters.Document.ALL, on_document)]
