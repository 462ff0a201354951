"""The error handler: log first (no token, no message text), then tell the user."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden
from telegram.ext import ContextTypes

from coaching import copy
from services.transactions import mark_failed

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    # Whatever the update had written goes back, so its data and its conversation step stay together.
    mark_failed()
    update_id = update.update_id if isinstance(update, Update) else None
    error = context.error
    # The exception type and its traceback only; update contents and message text stay out of logs.
    log.error(
        "Error while handling update %s: %s",
        update_id,
        type(error).__name__,
        exc_info=(type(error), error, error.__traceback__),
    )
    if not isinstance(update, Update) or update.effective_chat is None or isinstance(error, Forbidden):
        return
    if update.callback_query:
        try:
            await update.callback_query.answer()
        except Exception:  # the query may be the very thing that failed
            pass
    try:
        await update.effective_chat.send_message(copy.SOMETHING_WENT_WRONG)
    except Exception as send_error:  # nothing more we can do; don't loop through the error handler
        log.warning("Could not tell the user about an error: %s", type(send_error).__name__)
