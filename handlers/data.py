"""/export, /delete_me and /privacy: the user's data as files, deleting all of it, and what is kept where.

Plain handlers, no conversation. /delete_me asks with two buttons that carry a one-shot token kept in
the user's own scratch data: only the latest prompt's buttons work, once, for that user, within an hour.
An old, repeated or forged press changes nothing and is answered kindly.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime, timedelta
from io import BytesIO

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
)

from coaching import copy
from coaching import export as files
from handlers.callbacks import build, parser
from handlers.common import (
    answer,
    esc,
    forget_prompt,
    keyboard,
    mark_answered,
    now,
    remember_prompt,
    reply,
    unit_of_work,
)
from handlers.flows import end_conversation
from services import data as service

PENDING = "delete_me"  # scratch data: {"token": 8 hex digits, "at": when asked, epoch seconds}
CONFIRM_WITHIN = timedelta(hours=1)
parse_button = parser(r"^dm:(y|n):([0-9a-f]{8})$")

PRIVATE_ONLY = "For your privacy, I only do this in our private chat. Send it to me there."
NOTHING_TO_EXPORT = (
    "There's nothing to export yet: I don't keep anything about you beyond your Telegram id. "
    "Send /start to set up your profile, and /export again any time later."
)
EXPORT_INTRO = "📦 <b>Your data</b>, as of {day}. Everything I keep about you is in these files:\n\n{files}"
EXPORT_SKIPPED = "\n\nLeft out, as they would be empty: {names}."
EXPORT_OUTRO = "\n\n/delete_me deletes all of it; /privacy says what I keep and where."
FILE_NOTES = {
    files.CONTACTS_CSV: "your contacts, one per row, for a spreadsheet",
    files.OUTREACH_CSV: "every request and note you marked sent, with its date",
    files.MEETINGS_CSV: "your conversations, with times in UTC and in your time zone",
    files.MEETINGS_ICS: "your conversations as a calendar to import",
    files.CONTACTS_VCF: "your contacts as cards for an address book",
}
JSON_NOTE = (
    "everything in one file: your profile and settings, contacts, employers, drafts, meetings, "
    "reflections and plan, reminders, and the step of any open conversation"
)

NOTHING_TO_DELETE = "I don't keep anything about you, so there's nothing to delete."
CONFIRM_DELETE = (
    "⚠️ <b>Delete everything?</b>\n\n"
    "This deletes {what}, and the step of any open conversation. Reminders stop at once. "
    "It can't be undone.\n\n"
    "Want a copy first? Send /export before you decide."
)
DELETE_YES = "🗑 Yes, delete everything"
DELETE_NO = "Keep my data"
KEPT = "Good, nothing was deleted. Your data stays as it is."
DELETED = (
    "✅ <b>Done. Everything I kept about you is deleted</b>: your profile, contacts, employers, drafts, "
    "meetings, reflections, plan and reminders. I won't send you anything more.\n\n"
    "The messages in this chat stay in Telegram until you clear the chat yourself. "
    "If you ever want to start again, send /start and we begin from scratch."
)
ALREADY_DELETED = "Already done: nothing of yours is stored here."
EXPIRED = "That question has expired, and nothing was deleted. Send /delete_me to ask again."

PRIVACY = (
    "🔒 <b>Your privacy</b>\n\n"
    "<b>What I keep</b>\n"
    "• your Telegram user id and chat id, so I know it's you (not your phone number)\n"
    "• your profile: name, field, roles, career stage, time zone, goal, why you're asking, your pitch, "
    "and your settings\n"
    "• your contacts and target employers, with your notes, their stage and dates\n"
    "• the drafts I wrote or you edited, and when you marked them sent\n"
    "• your meetings: time, format, place or link, and the questions you chose\n"
    "• your reflections, your plan, and the people you were referred to\n"
    "• the reminders planned and sent\n"
    "• the step of a question you're in the middle of, so a restart doesn't lose it\n\n"
    "<b>Where</b>\n"
    "In this bot's own database (a SQLite file or a PostgreSQL database) on the machine of whoever runs "
    "this bot. Nothing goes to any other service. The chat itself passes through Telegram, as every chat does.\n\n"
    "<b>Nothing is shared or sent for you</b>\n"
    "I draft; you send. I never write to your contacts, post anything, or share your data with anyone. "
    "The text of your messages is never written to the logs.\n\n"
    "<b>Your copy, and deleting it</b>\n"
    "/export sends you all of it as files (JSON, CSV, a calendar and a contacts file).\n"
    "/delete_me deletes all of it, after you confirm with a button."
)


def data(*parts: object) -> str:
    return build("dm", *parts)


def _private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


# /privacy ----------------------------------------------------------------------------------------------------


async def privacy_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, PRIVACY)


# /export -----------------------------------------------------------------------------------------------------


async def export_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/export: the JSON document, then each sheet, the calendar and the vCard file that has something in it."""
    if not _private(update):
        await reply(update, PRIVATE_ONLY)
        return
    async with unit_of_work(context) as uow:
        result = await service.export_user(uow, update.effective_user.id, now(context), update.effective_chat.id)
    if result.empty:
        await reply(update, NOTHING_TO_EXPORT)
        return
    listed = "\n".join(f"• <code>{esc(name)}</code>: {_note(name)}" for name, _ in result.files)
    text = EXPORT_INTRO.format(day=f"{result.day.day} {result.day:%b %Y}" if result.day else "today", files=listed)
    if result.skipped:
        text += EXPORT_SKIPPED.format(names=", ".join(f"<code>{esc(name)}</code>" for name in result.skipped))
    await reply(update, text + EXPORT_OUTRO)
    for name, content in result.files:
        await update.effective_chat.send_document(BytesIO(content), filename=name)


def _note(name: str) -> str:
    return FILE_NOTES.get(name, JSON_NOTE)


# /delete_me --------------------------------------------------------------------------------------------------


async def delete_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/delete_me: say what would go, and ask with buttons carrying a fresh one-shot token."""
    if not _private(update):
        await reply(update, PRIVATE_ONLY)
        return
    async with unit_of_work(context) as uow:
        counts = await service.count_user_data(uow, update.effective_user.id, update.effective_chat.id)
    what = _what(counts)
    if what is None:
        await reply(update, NOTHING_TO_DELETE)
        return
    token = secrets.token_hex(4)
    context.user_data[PENDING] = {"token": token, "at": int(now(context).timestamp())}
    message = await reply(
        update,
        CONFIRM_DELETE.format(what=what),
        keyboard([(DELETE_YES, data("y", token))], [(DELETE_NO, data("n", token))]),
    )
    remember_prompt(context, message)


def _what(counts: dict[str, int]) -> str | None:
    """``your profile, 12 contacts, 2 meetings and 4 reminders``; None when nothing of theirs is stored."""
    said = ["your profile"] if counts.get("users") else []
    parts = [
        (counts.get("contacts", 0), "contact", "contacts"),
        (counts.get("employers", 0), "employer", "employers"),
        (counts.get("drafts", 0), "draft", "drafts"),
        (counts.get("meetings", 0), "meeting", "meetings"),
        (counts.get("reflections", 0), "reflection", "reflections"),
        (counts.get("plan_items", 0), "plan step", "plan steps"),
        (counts.get("nudges", 0), "reminder", "reminders"),
    ]
    said += [f"{n} {one if n == 1 else many}" for n, one, many in parts if n]
    if not said and (counts.get("ptb_data") or counts.get("ptb_conversations")):
        said = ["the notes I keep while we talk"]
    if not said:
        return None
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Yes or keep, on the latest /delete_me prompt of the user who pressed it; anything else changes nothing."""
    query = update.callback_query
    parsed = parse_button(query.data)
    user_id = update.effective_user.id
    pending = context.user_data.get(PENDING)
    token = pending.get("token") if isinstance(pending, dict) else None
    if (
        parsed is None
        or not isinstance(token, str)
        or not hmac.compare_digest(token, parsed[1])
        or not _private(update)
    ):
        await _not_current(update, context)
        return
    context.user_data.pop(PENDING, None)
    forget_prompt(context)
    choice = parsed[0]
    if choice == "n":
        await mark_answered(update)
        await reply(update, KEPT)
        return
    await mark_answered(update)
    asked = pending.get("at")
    if not isinstance(asked, int) or now(context) - datetime.fromtimestamp(asked, UTC) > CONFIRM_WITHIN:
        await reply(update, EXPIRED)
        return
    chat_id = update.effective_chat.id
    async with unit_of_work(context) as uow:
        await service.delete_user(uow, user_id, chat_id)
    await reply(update, DELETED)
    # Last, once every reply went out: if one fails, the update rolls back and the data is still there.
    forget_in_memory(context.application, user_id, chat_id)


async def _not_current(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An old, repeated or someone else's press: say so kindly; a second press after deleting says it's done."""
    user_id = update.effective_user.id
    async with unit_of_work(context) as uow:
        known = await service.exists(uow, user_id)
    if known:
        await answer(update, copy.STALE_BUTTON)
        return
    await answer(update, ALREADY_DELETED)
    if not context.user_data:
        context.application.drop_user_data(user_id)  # leave no empty scratch row behind for a deleted user


def forget_in_memory(app: Application, user_id: int, chat_id: int) -> None:
    """Drop what PTB holds for the user in memory: open conversations in every ConversationHandler, their
    scratch data and their chat's data (the persistence drops the stored rows at the end of the update)."""
    for group in app.handlers.values():
        for handler in group:
            if isinstance(handler, ConversationHandler):
                for key in [key for key in list(handler._conversations) if user_id in key]:
                    end_conversation(handler, key)
    app.drop_user_data(user_id)
    app.drop_chat_data(chat_id)


def build_handlers() -> list[BaseHandler]:
    return [
        CommandHandler("export", export_command),
        CommandHandler("delete_me", delete_command),
        CommandHandler("privacy", privacy_command),
        CallbackQueryHandler(on_button, pattern=r"^dm:"),
    ]
