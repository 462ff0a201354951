"""Private chats only: the first handler every update meets (group -2, before the flow guard).

In a group, supergroup or channel the bot handles nothing of anyone's: no flow, no command, no data
shown, nothing stored (no user row, no chat id, no conversation state, no scratch data). It says, at
most once a day per group, that it works in a private chat, with a button that opens one; a button
pressed in a group gets a short answer and nothing else. ``ApplicationHandlerStop`` keeps every other
handler, and so every service, from running for the update.

In a private chat it lets everything through, after one check: a user who had blocked the bot and is
back (any message, /start included) is active again, and their held reminders are released calmly
(services.nudges.user_back).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict

from telegram import ChatMember, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, TypeHandler
from telegram.helpers import create_deep_linked_url

from handlers.common import now, unit_of_work
from services import nudges as service

log = logging.getLogger(__name__)

GROUP = -2  # before flows.build_guard (-1) and every flow
DEEP_LINK_PAYLOAD = "private"
NOTE_EVERY_SECONDS = 24 * 3600  # the note in a group: at most once a day
REMEMBERED_GROUPS = 10_000  # the groups noted recently, kept in memory; the oldest is forgotten first
GROUP_NOTE = (
    "I only work in a private chat, so what you tell me about your job search stays between us. "
    "Tap below to talk to me there."
)
GROUP_BUTTON = "💬 Open a private chat"
GROUP_CALLBACK_ANSWER = "I only work in a private chat."
_NOTED_KEY = "private_only_noted"


class _Noted:
    """When each group last got the note: bounded, in this process only (a restart may note once more)."""

    def __init__(self, limit: int = REMEMBERED_GROUPS, every: float = NOTE_EVERY_SECONDS) -> None:
        self._at: OrderedDict[int, float] = OrderedDict()
        self._limit, self._every = limit, every

    def due(self, chat_id: int, moment: float) -> bool:
        """True (and remembered) when the group hasn't had the note within the window."""
        last = self._at.get(chat_id)
        if last is not None and moment - last < self._every:
            return False
        self._at[chat_id] = moment
        self._at.move_to_end(chat_id)
        while len(self._at) > self._limit:
            self._at.popitem(last=False)
        return True


def _noted(app: Application) -> _Noted:
    noted = app.bot_data.get(_NOTED_KEY)
    if noted is None:
        noted = app.bot_data[_NOTED_KEY] = _Noted()
    return noted


def is_private(update: Update) -> bool:
    """An update from a private chat, or one about no chat at all (left to the other handlers)."""
    chat = update.effective_chat
    return chat is None or chat.type == ChatType.PRIVATE


async def only_private(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not isinstance(update, Update):
        return
    if is_private(update):
        await _welcome_back(update, context)
        return
    # PTB made an empty scratch entry for the user when it built the context: persistence writes no row
    # for an empty one (storage.persistence), and the other handlers, which could fill it, never run.
    await _in_group(update, context)
    raise ApplicationHandlerStop


async def _welcome_back(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A user who had blocked the bot wrote again: active again, held reminders released calmly.

    An unblock (my_chat_member "member") is handled by handlers.nudges.on_membership; a block is not a return.
    """
    user = update.effective_user
    if user is None or update.effective_chat is None or update.my_chat_member is not None:
        return
    async with unit_of_work(context) as uow:
        await service.user_back(uow, user.id, now(context))


async def _in_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat = update.effective_chat
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(GROUP_CALLBACK_ANSWER)
        except TelegramError as error:
            log.info("A button pressed in a group could not be answered: %s", type(error).__name__)
        return
    if update.message is not None:
        wanted = True
    elif update.my_chat_member is not None:  # the bot was added to a group (never a user blocking it)
        wanted = update.my_chat_member.new_chat_member.status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR)
    else:  # edits, channel posts, reactions, ...: nothing
        wanted = False
    if not wanted or chat.type == ChatType.CHANNEL or not _noted(context.application).due(chat.id, time.monotonic()):
        return
    button = InlineKeyboardButton(GROUP_BUTTON, url=create_deep_linked_url(context.bot.username, DEEP_LINK_PAYLOAD))
    try:
        await context.bot.send_message(chat.id, GROUP_NOTE, reply_markup=InlineKeyboardMarkup([[button]]))
    except TelegramError as error:  # removed from the group meanwhile, or not allowed to write there
        log.info("The private-chat note was not sent to a group: %s", type(error).__name__)


def build_handler() -> TypeHandler:
    return TypeHandler(Update, only_private)
