"""Helpers shared by the flows: the unit of work, sending HTML safely, answering buttons."""

from __future__ import annotations

import asyncio
import logging
import re
import warnings
from datetime import datetime, timedelta
from html import escape, unescape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from coaching import copy
from handlers.alongside import alongside
from services.context import Services
from services.transactions import UnitOfWork

SERVICES_KEY = "services"
__all__ = ["SERVICES_KEY", "Services"]
log = logging.getLogger(__name__)


def now(context: ContextTypes.DEFAULT_TYPE) -> datetime:
    """The current moment (UTC) as the application's clock tells it."""
    return context.bot_data[SERVICES_KEY].clock()


# A flow left idle this long is over. Not PTB's conversation_timeout, which keeps a scheduler job per open
# conversation: each step's last write is stored, and one periodic sweep ends the idle ones (bot/app.py).
FLOW_TIMEOUT = timedelta(days=2)


def persistent_conversation(name: str, **kwargs) -> ConversationHandler:
    """A ConversationHandler persisted under ``name``; it ends after ``FLOW_TIMEOUT`` idle (the sweep)."""
    with warnings.catch_warnings():
        # Buttons belong to the user's current step, not to one message: per_message=False is meant.
        warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")
        return ConversationHandler(name=name, persistent=True, **kwargs)


def unit_of_work(context: ContextTypes.DEFAULT_TYPE) -> UnitOfWork:
    services: Services = context.bot_data[SERVICES_KEY]
    return UnitOfWork(services.session_factory)


def keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of (label, callback data)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


# Plain text comes in runs (one match per run, not per character: most messages are never cut at all).
_TOKEN = re.compile(r"<[^<>]*>|&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{0,31});|\n|[^<&\n]+|[<&]")
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z][\w-]*)")


def _units(text: str) -> list[tuple[str, int]]:
    """HTML as (raw piece, visible UTF-16 length): a tag counts 0, an entity as the character it stands for."""
    units = []
    for match in _TOKEN.finditer(text):
        raw = match.group()
        if raw.startswith("<") and len(raw) > 1:
            units.append((raw, 0))
        elif raw.startswith("&") and len(raw) > 1:
            units.append((raw, _utf16_len(unescape(raw))))
        else:
            units.append((raw, _utf16_len(raw)))
    return units


def _characters(units: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The same units with each run of plain text split into its characters, where a line must be cut."""
    out = []
    for raw, width in units:
        if width and len(raw) > 1 and raw[0] not in "<&":
            out.extend((char, _utf16_len(char)) for char in raw)
        else:
            out.append((raw, width))
    return out


def visible_length(html: str) -> int:
    """How long Telegram counts ``html``: the text it shows, in UTF-16 code units."""
    return sum(size for _, size in _units(html))


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Split HTML into chunks Telegram accepts: at most ``limit`` characters as Telegram counts them (the
    shown text, in UTF-16 code units), at line breaks where possible, never inside an entity such as
    ``&amp;`` or a tag; a tag open at a cut is closed at the end of one chunk and opened again in the next.
    Chunks with nothing to show are left out, so an empty text gives no chunk at all."""
    chunks: list[str] = []
    stack: list[tuple[str, str]] = []  # the open tags: (name, the tag as written)
    reopen: list[tuple[str, str]] = []  # the tags open where the current chunk began
    parts: list[str] = []
    size = 0
    shown = False  # whether the current chunk has anything but whitespace to show

    def flush() -> None:
        nonlocal parts, size, shown, reopen
        if shown:
            head = "".join(tag for _, tag in reopen)
            tail = "".join(f"</{name}>" for name, _ in reversed(stack))
            chunks.append(head + "".join(parts) + tail)
        parts, size, shown, reopen = [], 0, False, list(stack)

    def add(raw: str, width: int) -> None:
        nonlocal size, shown
        parts.append(raw)
        size += width
        if width and raw.strip():
            shown = True
        if not width and raw.startswith("<"):
            _follow_tag(stack, raw)

    lines: list[list[tuple[str, int]]] = [[]]
    for unit in _units(text):
        if unit[0] == "\n":
            lines.append([])
        else:
            lines[-1].append(unit)
    for index, line in enumerate(lines):
        width = sum(w for _, w in line)
        if index and parts and size + 1 + width <= limit:
            add("\n", 1)
        elif index and parts:
            flush()
        if size + width <= limit:
            for raw, w in line:
                add(raw, w)
            continue
        for raw, w in _characters(line):  # a line longer than a message: cut between characters, entities and tags
            if w and size + w > limit:
                flush()
            add(raw, w)
    flush()
    return chunks


def _follow_tag(stack: list[tuple[str, str]], tag: str) -> None:
    match = _TAG_NAME.match(tag)
    if match is None:
        return
    closing, name = match.group(1), match.group(2).lower()
    if not closing:
        stack.append((name, tag))
        return
    for position in range(len(stack) - 1, -1, -1):
        if stack[position][0] == name:
            del stack[position:]
            return


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


async def reply(update: Update, text: str, reply_markup=None) -> Message:
    """Send HTML ``text`` to the update's chat (split if long; the markup goes on the last part)."""
    chunks = split_text(text)
    message = None  # nothing to show: nothing is sent (Telegram refuses an empty message)
    for index, chunk in enumerate(chunks):
        markup = reply_markup if index == len(chunks) - 1 else None
        message = await update.effective_chat.send_message(chunk, parse_mode=ParseMode.HTML, reply_markup=markup)
    return message


async def mark_answered(update: Update) -> None:
    """Answer the pressed button and replace the keyboard with the choice, so it can't be pressed twice.

    Both calls go out together and alongside the rest of the update (handlers/alongside.py): the next reply
    doesn't wait two round trips for them."""
    await alongside(_mark_answered(update))


async def _mark_answered(update: Update) -> None:
    await asyncio.gather(_answer(update, None), _show_choice(update))


async def _show_choice(update: Update) -> None:
    query = update.callback_query
    message = query.message
    chosen = (
        next(
            (
                button.text
                for row in message.reply_markup.inline_keyboard
                for button in row
                if button.callback_data == query.data
            ),
            None,
        )
        if message and message.reply_markup
        else None
    )
    try:
        if chosen and message.text:
            await query.edit_message_text(f"{message.text_html}\n\n<b>→ {esc(chosen)}</b>", parse_mode=ParseMode.HTML)
        else:
            await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest as error:  # too old to edit, or unchanged: the choice is made all the same
        log.info("Could not mark a button as answered: %s", type(error).__name__)


async def answer(update: Update, text: str | None = None) -> None:
    """Answer the pressed button, best effort: a query that is too old (the bot was down when it was
    pressed) must not stop the action it asked for. It goes alongside the rest of the update (handlers/alongside.py):
    nothing waits for Telegram to take the spinner away."""
    await alongside(_answer(update, text))


async def _answer(update: Update, text: str | None) -> None:
    try:
        await update.callback_query.answer(text)
    except BadRequest as error:
        log.info("Could not answer a button press: %s", type(error).__name__)


async def edit_or_send(update: Update, html: str, markup=None) -> None:
    """Edit the pressed message in place; if it can no longer be edited, send a new one instead.

    Text longer than one message goes out split: the first part in place of the pressed message, the rest
    as new messages (the buttons on the last). Nothing to show sends nothing."""
    query = update.callback_query
    chunks = split_text(html)
    if not chunks:
        return
    try:
        await query.edit_message_text(
            chunks[0], parse_mode=ParseMode.HTML, reply_markup=markup if len(chunks) == 1 else None
        )
    except BadRequest as error:
        if "not modified" in str(error).lower() and len(chunks) == 1:
            return
        if "not modified" not in str(error).lower():
            await reply(update, html, markup)
            return
    for index, chunk in enumerate(chunks[1:], start=2):
        await update.effective_chat.send_message(
            chunk, parse_mode=ParseMode.HTML, reply_markup=markup if index == len(chunks) else None
        )


OPEN_PROMPT = "open_prompt"
PASTED = "pasted_draft"  # a draft pasted outside any flow, waiting for "Review it"


def remember_prompt(context: ContextTypes.DEFAULT_TYPE, message: Message | None) -> None:
    """A question asked with buttons outside any flow; /cancel takes its buttons away."""
    if message is not None:
        context.user_data[OPEN_PROMPT] = message.message_id


def forget_prompt(context: ContextTypes.DEFAULT_TYPE) -> None:
    context.user_data.pop(OPEN_PROMPT, None)


async def close_prompt(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Take the buttons off the open question, if any; True when there was one."""
    message_id = context.user_data.pop(OPEN_PROMPT, None)
    if message_id is None:
        return False
    try:
        await context.bot.edit_message_reply_markup(update.effective_chat.id, message_id, reply_markup=None)
    except BadRequest as error:  # already gone or unchanged: the question is closed all the same
        log.info("Could not close an open question: %s", type(error).__name__)
    return True


def esc(value: object) -> str:
    return escape(str(value), quote=False)


# Shared pieces of every flow ------------------------------------------------------------------------------


def say(html: str):
    """A callback that only replies ``html``: a re-ask, or a pointer at the buttons."""

    async def callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await reply(update, html)

    return callback


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A flow's own button from an earlier step: always answered, never acted on."""
    await answer(update, copy.STALE_BUTTON)


def flow_fallbacks(*scratch_keys: str, cancelled: str | None = None, on_cancel=None, prefix: str) -> list[BaseHandler]:
    """/cancel, any other command, and stale buttons for a flow whose scratch data sits under ``scratch_keys``.

    Known commands never get here: handlers.flows closes the flow first (everything given is already
    saved) and the command runs. Only the flow's own buttons (``prefix``) are caught, so a reminder's
    buttons still work in the middle of a flow.
    """

    def forget(context: ContextTypes.DEFAULT_TYPE) -> None:
        for key in scratch_keys:
            context.user_data.pop(key, None)

    async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        forget(context)
        await reply(update, cancelled)
        return ConversationHandler.END

    async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Known commands close the flow before it sees them (handlers.flows); a typo keeps it open."""
        await reply(update, copy.UNKNOWN_COMMAND)

    async def help_in_flow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await reply(update, f"{copy.HELP}\n\n{copy.IN_A_FLOW}")

    return [
        CommandHandler("cancel", on_cancel or cancel),
        CommandHandler("help", help_in_flow),
        MessageHandler(filters.COMMAND, unknown_command),
        CallbackQueryHandler(stale_button, pattern=prefix),
    ]
