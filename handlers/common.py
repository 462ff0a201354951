"""Helpers shared by the flows: the unit of work, sending HTML safely, answering buttons."""

from __future__ import annotations

import logging
import warnings
from datetime import datetime, timedelta
from html import escape

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
from services.context import Services
from services.transactions import UnitOfWork

SERVICES_KEY = "services"
__all__ = ["SERVICES_KEY", "Services"]
log = logging.getLogger(__name__)


def now(context: ContextTypes.DEFAULT_TYPE) -> datetime:
    """The current moment (UTC) as the application's clock tells it."""
    return context.bot_data[SERVICES_KEY].clock()


FLOW_TIMEOUT = timedelta(days=2)


def persistent_conversation(name: str, **kwargs) -> ConversationHandler:
    """A ConversationHandler persisted under ``name``, with the shared timeout."""
    with warnings.catch_warnings():
        # Buttons belong to the user's current step, not to one message: per_message=False is meant.
        warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")
        return ConversationHandler(name=name, persistent=True, conversation_timeout=FLOW_TIMEOUT, **kwargs)


def unit_of_work(context: ContextTypes.DEFAULT_TYPE) -> UnitOfWork:
    services: Services = context.bot_data[SERVICES_KEY]
    return UnitOfWork(services.session_factory)


def keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of (label, callback data)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Split at line breaks into chunks Telegram accepts (it counts UTF-16 code units)."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if _utf16_len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        while _utf16_len(line) > limit:
            cut = limit
            while _utf16_len(line[:cut]) > limit:
                cut -= 1
            chunks.append(line[:cut])
            line = line[cut:]
        current = line
    if current:
        chunks.append(current)
    return chunks


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


async def reply(update: Update, text: str, reply_markup=None) -> Message:
    """Send HTML ``text`` to the update's chat (split if long; the markup goes on the last part)."""
    chunks = split_text(text)
    message = None
    for index, chunk in enumerate(chunks):
        markup = reply_markup if index == len(chunks) - 1 else None
        message = await update.effective_chat.send_message(chunk, parse_mode=ParseMode.HTML, reply_markup=markup)
    return message


async def mark_answered(update: Update) -> None:
    """Answer the pressed button and replace the keyboard with the choice, so it can't be pressed twice."""
    query = update.callback_query
    await answer(update)
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
    pressed) must not stop the action it asked for."""
    try:
        await update.callback_query.answer(text)
    except BadRequest as error:
        log.info("Could not answer a button press: %s", type(error).__name__)


async def edit_or_send(update: Update, html: str, markup=None) -> None:
    """Edit the pressed message in place; if it can no longer be edited, send a new one instead."""
    query = update.callback_query
    try:
        await query.edit_message_text(html, parse_mode=ParseMode.HTML, reply_markup=markup)
    except BadRequest as error:
        if "not modified" in str(error).lower():
            return
        await reply(update, html, markup)


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
