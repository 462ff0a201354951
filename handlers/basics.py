"""Commands outside any flow, and a helpful answer to whatever nothing else understood."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from coaching import copy
from coaching.draft_copy import PASTED_TOO_LONG
from coaching.drafts import MAX_DRAFT_CHARS
from coaching.pasted import looks_like_draft
from handlers.common import PASTED, answer, close_prompt, keyboard, reply, unit_of_work
from services import onboarding


async def show_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: what the bot does and its commands."""
    await reply(update, copy.HELP)


async def cancel_outside_flow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/cancel with no flow open: close a question still waiting for a button, or say there's nothing."""
    await reply(update, copy.PROMPT_CANCELLED if await close_prompt(update, context) else copy.NOTHING_TO_CANCEL)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, copy.UNKNOWN_COMMAND)


async def unknown_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text outside a flow: offer to review a pasted draft; else point at /start or the commands."""
    if looks_like_draft(update.message.text):
        if len(update.message.text) > MAX_DRAFT_CHARS:  # never review a silently cut text
            await reply(update, PASTED_TOO_LONG.format(limit=MAX_DRAFT_CHARS))
            return
        context.user_data[PASTED] = update.message.text
        await reply(update, copy.PASTED_DRAFT, keyboard([(copy.REVIEW_IT, "dr:rvp")]))
        return
    async with unit_of_work(context) as uow:
        onboarded = await onboarding.is_onboarded(uow, update.effective_user.id)
    await reply(update, copy.UNKNOWN_TEXT if onboarded else copy.UNKNOWN_TEXT_NEW_USER)


async def non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, copy.NON_TEXT)


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button from a finished flow or an old message: always answer it."""
    await answer(update, copy.STALE_BUTTON)


def build_command_handlers() -> list[BaseHandler]:
    return [CommandHandler("help", show_help), CommandHandler("cancel", cancel_outside_flow)]


def build_fallback_handlers() -> list[BaseHandler]:
    private = filters.ChatType.PRIVATE
    return [
        MessageHandler(private & filters.COMMAND, unknown_command),
        MessageHandler(private & filters.TEXT, unknown_text),
        MessageHandler(private & ~filters.StatusUpdate.ALL, non_text),
        CallbackQueryHandler(stale_button),
    ]
