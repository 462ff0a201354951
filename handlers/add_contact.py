"""/add: add one contact quickly. Only the name is required; every other answer can be skipped."""

from __future__ import annotations

from enum import StrEnum

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from coaching import contact_copy as text
from coaching import copy
from coaching.answers import InvalidAnswer, clean_text
from coaching.contacts import (
    CHANNEL_LABELS,
    MAX_CONTACTS,
    RELATION_LABELS,
    Channel,
    Relation,
    clean_contact_name,
    clean_handle,
)
from handlers.callbacks import ID, build, parser
from handlers.common import (
    answer,
    esc,
    flow_fallbacks,
    keyboard,
    mark_answered,
    now,
    persistent_conversation,
    reply,
    say,
    unit_of_work,
)
from handlers.contacts import show_card
from services import contacts as service
from services.contacts import ContactRecord

ADD_ID = "add_contact_id"
PREFIX = r"^ad:"
# "Keep both" or "drop this one": routed by shape, then parsed with the id bounded like every id.
parse_duplicate_choice = parser(rf"^ad:(?:keep|drop:{ID})$")


class State(StrEnum):
    NAME = "add_name"
    COMPANY = "add_company"
    ROLE = "add_role"
    HOW = "add_how"
    VIA = "add_via"
    CHANNEL = "add_channel"
    HANDLE = "add_handle"


def data(*parts: object) -> str:
    """This flow's callback data: ``ad:<what>[:<value>]``, checked for Telegram's 64 bytes."""
    return build("ad", *parts)


SKIP_ROW = [(text.SKIP, data("skip"))]


def _contact_id(context: ContextTypes.DEFAULT_TYPE) -> int:
    """The contact being added (kept in scratch data; loaded by id *and* owner every time)."""
    return int(context.user_data.get(ADD_ID, 0))


async def _ask(update: Update, state: State, contact: ContactRecord | None = None) -> str:
    """Send the question for ``state``; the conversation waits there."""
    if state is State.HOW:
        relations = [(label, data("rel", r)) for r, label in RELATION_LABELS.items()]
        await reply(update, text.ASK_HOW, keyboard(relations[:2], relations[2:4], relations[4:], SKIP_ROW))
    elif state is State.CHANNEL:
        channels = [(label, data("ch", c)) for c, label in CHANNEL_LABELS.items()]
        await reply(update, text.ASK_CHANNEL, keyboard(channels[:2], channels[2:], SKIP_ROW))
    elif state is State.HANDLE:
        channel = CHANNEL_LABELS[Channel(contact.channel)]
        await reply(
            update,
            text.ASK_HANDLE.format(channel=channel, example=text.HANDLE_EXAMPLES[contact.channel]),
            keyboard(SKIP_ROW),
        )
    else:
        prompt = {State.COMPANY: text.ASK_COMPANY, State.ROLE: text.ASK_ROLE, State.VIA: text.ASK_VIA}[state]
        await reply(update, prompt, keyboard(SKIP_ROW))
    return state.value


async def _finish(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    contact_id = int(context.user_data.pop(ADD_ID, 0))
    await show_card(update, context, contact_id, edit=False)
    return ConversationHandler.END


async def start_add(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """/add: check the limit, then ask for the name."""
    async with unit_of_work(context) as uow:
        room = await service.room_to_add(uow, update.effective_user.id, update.effective_chat.id)
    if not room:
        await reply(update, text.LIMIT_REACHED.format(limit=MAX_CONTACTS))
        return ConversationHandler.END
    context.user_data.pop(ADD_ID, None)
    await reply(update, text.ASK_NAME)
    return State.NAME


async def on_name(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
    """Save the contact as soon as it has a name; ask where they work."""
    try:
        name = clean_contact_name(update.message.text)
    except InvalidAnswer as problem:
        await reply(update, str(problem))
        return None
    async with unit_of_work(context) as uow:
        contact_id = await service.create(uow, update.effective_user.id, name, source="add")
    if contact_id is None:  # the list filled up since /add (an import, say): nothing was added
        await reply(update, text.LIMIT_REACHED.format(limit=MAX_CONTACTS))
        return ConversationHandler.END
    context.user_data[ADD_ID] = contact_id
    return await _ask(update, State.COMPANY)


async def on_company(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """Save the company, link it to a listed employer of that name, and point out a likely duplicate."""
    try:
        company = clean_text(update.message.text, max_chars=200, what="the company")
    except InvalidAnswer as problem:
        await reply(update, str(problem))
        return None
    async with unit_of_work(context) as uow:
        result = await service.set_company(uow, update.effective_user.id, _contact_id(context), company)
    if not result.found:
        return ConversationHandler.END
    twin = result.twin
    if twin is not None:
        await reply(
            update,
            text.DUPLICATE.format(name=esc(twin.name), company=esc(twin.company)),
            keyboard([(text.KEEP_BOTH, data("keep")), (text.DISCARD_NEW, data("drop", twin.id))]),
        )
        return State.COMPANY
    return await _ask(update, State.ROLE)


async def on_duplicate_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
    """Keep both, or drop the new contact and open the one already there."""
    parsed = parse_duplicate_choice(update.callback_query.data)
    if parsed is None:  # forged: an id no record can have; the question stays open
        await answer(update, copy.STALE_BUTTON)
        return None
    await mark_answered(update)
    (twin_id,) = parsed
    if twin_id is None:  # Keep both
        return await _ask(update, State.ROLE)
    async with unit_of_work(context) as uow:
        await service.delete(uow, update.effective_user.id, _contact_id(context), now(context))
    context.user_data.pop(ADD_ID, None)
    await reply(update, text.DISCARDED)
    await show_card(update, context, int(twin_id), edit=False)
    return ConversationHandler.END


def _typed(field: str, what: str, following: State):
    async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
        """Save the typed answer to the new contact, or re-ask kindly."""
        try:
            value = clean_text(update.message.text, max_chars=200, what=what)
        except InvalidAnswer as problem:
            await reply(update, str(problem))
            return None
        async with unit_of_work(context) as uow:
            contact = await service.set_field(uow, update.effective_user.id, _contact_id(context), field, value)
        if contact is None:
            return ConversationHandler.END
        return await _ask(update, following, contact)

    return on_text


def _chosen(field: str, allowed: type[StrEnum], following):
    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
        """Save the option pressed (checked: callback data comes from the client) and move on."""
        raw = update.callback_query.data.rsplit(":", 1)[-1]
        if raw not in set(allowed):
            await answer(update, copy.STALE_BUTTON)
            return None
        await mark_answered(update)
        async with unit_of_work(context) as uow:
            contact = await service.set_field(uow, update.effective_user.id, _contact_id(context), field, raw)
        if contact is None:
            return ConversationHandler.END
        return await _ask(update, following(raw), contact)

    return on_button


async def on_handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
    """The address for the chosen channel, checked for that channel; then the card."""
    async with unit_of_work(context) as uow:
        contact = await service.get(uow, update.effective_user.id, _contact_id(context))
    if contact is None or not contact.channel:
        return ConversationHandler.END
    try:
        handle = clean_handle(Channel(contact.channel), update.message.text)
    except InvalidAnswer as problem:
        await reply(update, str(problem))
        return None
    async with unit_of_work(context) as uow:
        await service.set_field(uow, update.effective_user.id, contact.id, "handle", handle)
    return await _finish(update, context)


def _skip_to(following: State | None):
    async def on_skip(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
        """Skip this question."""
        await mark_answered(update)
        if following is None:
            return await _finish(update, context)
        return await _ask(update, following)

    return on_skip


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/cancel: stop; the contact keeps whatever was already given."""
    async with unit_of_work(context) as uow:
        contact = await service.get(uow, update.effective_user.id, _contact_id(context))
    context.user_data.pop(ADD_ID, None)
    kept = text.ADD_KEPT.format(name=esc(contact.name)) if contact else text.ADD_NOTHING
    await reply(update, text.ADD_CANCELLED.format(kept=kept))
    return ConversationHandler.END


def build_add_handler() -> ConversationHandler:
    typed = filters.TEXT & ~filters.COMMAND
    not_text = say(copy.TEXT_ONLY.format(prompt_hint="Please type your answer, tap a button, or /cancel."))
    pick_a_button = say(copy.PICK_A_BUTTON)

    def step(on_text, following: State | None, *buttons) -> list:
        return [
            *buttons,
            CallbackQueryHandler(_skip_to(following), pattern=r"^ad:skip$"),
            MessageHandler(typed, on_text),
            MessageHandler(~filters.COMMAND, not_text),
        ]

    return persistent_conversation(
        "add_contact",
        entry_points=[CommandHandler("add", start_add)],
        states={
            State.NAME: [MessageHandler(typed, on_name), MessageHandler(~filters.COMMAND, not_text)],
            State.COMPANY: step(
                on_company, State.ROLE, CallbackQueryHandler(on_duplicate_choice, pattern=r"^ad:(keep|drop:\d+)$")
            ),
            State.ROLE: step(_typed("role", "their role", State.HOW), State.HOW),
            State.HOW: step(
                pick_a_button,
                State.CHANNEL,
                CallbackQueryHandler(
                    _chosen(
                        "relation", Relation, lambda r: State.VIA if r == Relation.FRIEND_OF_FRIEND else State.CHANNEL
                    ),
                    pattern=r"^ad:rel:",
                ),
            ),
            State.VIA: step(_typed("via", "who connects you", State.CHANNEL), State.CHANNEL),
            State.CHANNEL: step(
                pick_a_button,
                None,
                CallbackQueryHandler(_chosen("channel", Channel, lambda _: State.HANDLE), pattern=r"^ad:ch:"),
            ),
            State.HANDLE: step(on_handle, None),
        },
        fallbacks=flow_fallbacks(ADD_ID, on_cancel=cancel, prefix=PREFIX),
    )
