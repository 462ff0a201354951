"""At most one flow per user: a command or another flow's button closes the flow that was open.

It runs before every other handler (group -1). Whatever the closed flow had saved stays saved;
the command then runs as if no flow had been open, and a later message can't land in the old flow
(say, "call mum tomorrow" saved as a contact's company note).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, ContextTypes, ConversationHandler, TypeHandler

from coaching import copy

KNOWN_COMMANDS = frozenset(name for name, _ in copy.COMMANDS)
# Buttons under a reminder act on the reminder alone; they don't take the user out of what they were doing.
_SIDE_ACTIONS = ("nd:done:", "nd:s1d:", "nd:s1w:", "nd:stop:")


def command_of(update: Update) -> str | None:
    """The command a message starts with ("/today@InfoCoachBot now" -> "today"), if any."""
    text = update.message.text if update.message and update.message.text else ""
    if not text.startswith("/"):
        return None
    return text[1:].split(maxsplit=1)[0].split("@", 1)[0].lower() if len(text) > 1 else None


class FlowGuard:
    """Ends open conversations that the incoming update leaves behind."""

    def __init__(self, conversations: list[ConversationHandler]) -> None:
        self.conversations = conversations

    def _open(self, update: Update) -> list[ConversationHandler]:
        return [c for c in self.conversations if c._conversations.get(c._get_key(update)) is not None]

    def leaves_behind(self, update: Update, flow: ConversationHandler) -> bool:
        """True when ``update`` takes the user out of ``flow``, which is open."""
        command = command_of(update)
        if command is not None:
            # /cancel and /help are the flow's own to answer; unknown commands get an answer and keep it open.
            return command in KNOWN_COMMANDS and command not in ("cancel", "help")
        query = update.callback_query
        if query is None or not query.data or query.data.startswith(_SIDE_ACTIONS):
            return False
        return not flow.check_update(update)

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_user is None or update.effective_chat is None:
            return
        for flow in self._open(update):
            if self.leaves_behind(update, flow):
                end_conversation(flow, flow._get_key(update))


def end_conversation(flow: ConversationHandler, key: tuple) -> None:
    """Close ``flow`` for ``key`` as if it had returned END, and drop its timeout."""
    flow._update_state(ConversationHandler.END, key)
    job = flow.timeout_jobs.pop(key, None)
    if job is not None:
        job.schedule_removal()


def build_guard(conversations: list[ConversationHandler]) -> BaseHandler:
    return TypeHandler(Update, FlowGuard(conversations))
