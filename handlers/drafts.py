"""Drafting requests: a draft per channel, the review, "I sent it" (the follow-up clock) and replies."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import CopyTextButton, InlineKeyboardButton, InlineKeyboardMarkup, Update
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

from coaching import copy
from coaching import draft_copy as text
from coaching.answers import InvalidAnswer, clean_text
from coaching.contact_copy import LIMIT_REACHED
from coaching.contacts import MAX_CONTACTS, clean_contact_name, parse_name_lines
from coaching.defaults import MAX_WHY_THEM_CHARS
from coaching.drafts import KIND_LABELS, MAX_DRAFT_CHARS, REQUEST_KINDS, Draft, DraftKind, review
from coaching.enums import NudgeKind, Reply
from coaching.outreach import Refusal, offered_kinds
from handlers.alongside import alongside
from handlers.callbacks import ID, build, parser
from handlers.common import (
    PASTED,
    answer,
    edit_or_send,
    esc,
    flow_fallbacks,
    forget_prompt,
    keyboard,
    mark_answered,
    now,
    persistent_conversation,
    remember_prompt,
    reply,
    say,
    unit_of_work,
)
from services import outreach

log = logging.getLogger(__name__)
_ID = ID
TARGET = "draft_target"
PICKED = "draft_kind_picked"  # the last channel button acted on: "<message id>:<callback data>"
PRESSED = "draft_pressed"  # draft buttons acted on, newest last: "<message id>:<callback data>"
PRESSED_KEPT = 20  # plenty for a burst of taps; older presses are forgotten
MAX_WHY_CHARS = MAX_WHY_THEM_CHARS


# Callback data ------------------------------------------------------------------------------------------

DRAFT_ACTIONS = ("rv", "sh", "av", "ed", "sent")  # review, shorter, another version, edit, I sent it
ONCE_PER_MESSAGE = ("sh", "av", "sent")  # the draft buttons that change something: a new version, the send
parse_contact_action = parser(rf"^dr:(to|rq):{ID}$")
parse_page = parser(rf"^dr:pg:{ID}$")
parse_kind = parser(rf"^dr:k:({'|'.join(k.value for k in REQUEST_KINDS)}):{ID}$")
parse_draft_action = parser(rf"^dr:({'|'.join(DRAFT_ACTIONS)}):{ID}$")
parse_reply = parser(rf"^dr:rp:({'|'.join(r.value for r in (Reply.YES, Reply.NOT_NOW, Reply.NO))}):{ID}$")


def data(action: str, *ids: object) -> str:
    return build("dr", action, *ids)


COPY_TEXT_LIMIT = 256  # Telegram's limit for a copy-text button


def _draft_keyboard(draft_id: int, draft: Draft | None = None) -> InlineKeyboardMarkup:
    """Review, rework and I sent it; plus one-tap copy buttons where the text fits Telegram's limit."""
    rows = [
        [InlineKeyboardButton("🔍 Review", callback_data=data("rv", draft_id)),
         InlineKeyboardButton("✂️ Shorter", callback_data=data("sh", draft_id))],
        [InlineKeyboardButton("🔄 Another version", callback_data=data("av", draft_id)),
         InlineKeyboardButton("✏️ Edit", callback_data=data("ed", draft_id))],
        [InlineKeyboardButton("📤 I sent it", callback_data=data("sent", draft_id))],
    ]  # fmt: skip
    copies = []
    if draft is not None and draft.subject and len(draft.subject) <= COPY_TEXT_LIMIT:
        copies.append(InlineKeyboardButton("📋 Copy subject", copy_text=CopyTextButton(draft.subject)))
    if draft is not None and len(draft.body) <= COPY_TEXT_LIMIT:
        copies.append(InlineKeyboardButton("📋 Copy text", copy_text=CopyTextButton(draft.body)))
    if copies:
        rows.insert(0, copies)
    return InlineKeyboardMarkup(rows)


async def _refused(update: Update, refusal, name: str) -> None:
    await reply(update, text.REFUSALS[refusal].format(name=esc(name)))


# Drafts ------------------------------------------------------------------------------------------------


async def send_draft(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    contact_id: int,
    kind: DraftKind,
    *,
    variant: int | None = None,
    short: bool = False,
    body: str | None = None,
) -> None:
    """Compose (or take the user's own ``body``), store it, and send it as plain text, ready to copy."""
    async with unit_of_work(context) as uow:
        result = await outreach.compose_draft(
            uow, update.effective_user.id, contact_id, kind, now(context), variant=variant, short=short, body=body
        )
    await _show_draft(update, result, kind)


async def _show_draft(update: Update, result: outreach.DraftResult, kind: DraftKind) -> None:
    """The stored draft as plain text with its buttons, or why there is none."""
    if result.missing:
        await reply(update, "I couldn't find that contact.")
    elif result.needs_profile:
        await reply(update, text.NEEDS_PROFILE)
    elif result.refusal is not None:
        await _refused(update, result.refusal, result.contact_name)
    else:
        await reply(update, text.DRAFT_INTRO.format(kind=KIND_LABELS[kind]))
        await update.effective_chat.send_message(
            result.draft.full_text(), reply_markup=_draft_keyboard(result.draft_id, result.draft)
        )


PICKER_PAGE = 8


async def choose_contact(update: Update, context: ContextTypes.DEFAULT_TYPE, page: int = 1) -> None:
    """/draft: pick who the request is for (people not yet asked first), a page at a time."""
    async with unit_of_work(context) as uow:
        people = await outreach.contacts_to_ask(uow, update.effective_user.id)
    if not people:
        await reply(update, text.NO_CONTACTS_TO_ASK)
        return
    pages = max(1, -(-len(people) // PICKER_PAGE))
    page = min(max(1, page), pages)
    shown = people[(page - 1) * PICKER_PAGE : page * PICKER_PAGE]
    rows = [[(label[:60], data("to", contact_id))] for contact_id, label in shown]
    nav = ([("‹ Prev", data("pg", page - 1))] if page > 1 else []) + (
        [("Next ›", data("pg", page + 1))] if page < pages else []
    )
    if nav:
        rows.append(nav)
    title = text.CHOOSE_CONTACT if pages == 1 else text.CHOOSE_CONTACT_PAGE.format(page=page, pages=pages)
    if update.callback_query:
        await edit_or_send(update, title, keyboard(*rows))
    else:
        remember_prompt(context, await reply(update, title, keyboard(*rows)))


async def _choose_kind(update: Update, context: ContextTypes.DEFAULT_TYPE, contact_id: int) -> None:
    async with unit_of_work(context) as uow:
        contact = await outreach.contact_brief(uow, update.effective_user.id, contact_id)
    if contact is None:
        await reply(update, "I couldn't find that contact.")
        return
    kinds = offered_kinds(has_mutual_contact=bool(contact.via))
    rows = [[(KIND_LABELS[k], data("k", k.value, contact_id))] for k in kinds]
    remember_prompt(context, await reply(update, text.CHOOSE_KIND.format(name=esc(contact.name)), keyboard(*rows)))


async def _review(update: Update, context: ContextTypes.DEFAULT_TYPE, body: str, kind: DraftKind | None) -> None:
    async with unit_of_work(context) as uow:
        strict = await outreach.strict_drafts(uow, update.effective_user.id)
    await reply(update, render_review(body, kind, strict=strict))


def render_review(body: str, kind: DraftKind | None, *, strict: bool) -> str:
    checks = review(body, kind, strict=strict)
    passed = sum(check.ok for check in checks)
    lines = [text.REVIEW_TITLE.format(passed=passed, total=len(checks))]
    for check in checks:
        lines.append(f"{'✅' if check.ok else '⚠️'} {esc(check.label)}")
        if not check.ok:
            lines.append(f"    → {esc(check.fix)}")
    if passed == len(checks):
        lines.append(text.REVIEW_ALL_GOOD)
    return "\n".join(lines)


# "I sent it" and the clock --------------------------------------------------------------------------------


def _local(moment: datetime, zone: str) -> str:
    return f"{moment.astimezone(ZoneInfo(zone)):%a %d %b}"


def _sent_message(result: outreach.SentResult) -> str:
    name, plans = esc(result.contact_name), result.plans
    if result.kind is DraftKind.INTRO:
        return text.SENT_INTRO.format(name=name, due=_local(plans[0].due_at, result.zone))
    if result.kind is DraftKind.FOLLOW_UP:
        template = text.SENT_FOLLOW_UP_MORE if plans[0].kind == NudgeKind.FOLLOW_UP else text.SENT_FOLLOW_UP
        return template.format(name=name, due=_local(plans[0].due_at, result.zone))
    if result.kind is DraftKind.CLOSING:
        return "📤 Closing note sent. Well done for handling it gracefully."
    day7 = _local(plans[-1].due_at, result.zone)
    if plans[-1].kind == NudgeKind.FOLLOW_UP:
        return text.SENT_REQUEST.format(name=name, day3=_local(plans[0].due_at, result.zone), day7=day7)
    return text.SENT_REQUEST_NO_FOLLOW_UPS.format(name=name, day7=day7)


async def mark_sent(update: Update, context: ContextTypes.DEFAULT_TYPE, draft_id: int) -> None:
    """Record the send (once, and only if the contact's state allows it) and start the clock."""
    async with unit_of_work(context) as uow:
        result = await outreach.mark_sent(uow, update.effective_user.id, draft_id, now(context))
    if result.missing:
        await reply(update, "I couldn't find that draft.")
    elif result.refusal is not None:
        await _refused(update, result.refusal, result.contact_name)
    else:
        cid = result.contact_id
        await reply(
            update,
            _sent_message(result),
            keyboard([("💬 They replied", data("rq", cid)), ("👤 Open card", build("ct", "c", cid))]),
        )


# Replies --------------------------------------------------------------------------------------------------


async def _ask_reply(update: Update, context: ContextTypes.DEFAULT_TYPE, contact_id: int) -> None:
    async with unit_of_work(context) as uow:
        name, refusal = await outreach.contact_awaiting_reply(uow, update.effective_user.id, contact_id)
    if name is None:
        await reply(update, "I couldn't find that contact.")
    elif refusal is not None:
        await _refused(update, refusal, name)
    else:
        rows = [[(label, data("rp", value, contact_id))] for label, value in text.REPLY_BUTTONS]
        await reply(update, text.ASK_REPLY.format(name=esc(name)), keyboard(*rows))


async def _log_reply(update: Update, context: ContextTypes.DEFAULT_TYPE, answer: Reply, contact_id: int) -> bool:
    """Record the reply and stop the clock; False when nothing was logged (not found, or not allowed)."""
    async with unit_of_work(context) as uow:
        result = await outreach.log_reply(uow, update.effective_user.id, contact_id, answer, now(context))
    if result.missing:
        await reply(update, "I couldn't find that contact.")
        return False
    if result.refusal is not None:
        await _refused(update, result.refusal, result.contact_name)
        return False
    name = esc(result.contact_name)
    if answer == Reply.YES:
        await reply(update, text.REPLY_YES.format(name=name, booster=text.BOOSTER if result.booster else ""))
        async with unit_of_work(context) as uow:
            answer_draft = await outreach.answer_to_yes(uow, update.effective_user.id, contact_id, now(context))
        if answer_draft is not None:
            await reply(update, text.YES_DRAFT_INTRO)
            await update.effective_chat.send_message(answer_draft.body)
        await reply(update, text.THEN_SCHEDULE, keyboard([("📅 Schedule the meeting", build("mt", "new", contact_id))]))
    elif answer == Reply.NOT_NOW:
        await reply(update, text.REPLY_NOT_NOW.format(name=name))
    elif answer == Reply.NO:
        await reply(update, text.REPLY_NO.format(name=name))
    return True


# Button router --------------------------------------------------------------------------------------------


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every drafting button outside a typed step. Ids are checked against the current user."""
    raw = update.callback_query.data
    if parsed := parse_page(raw):
        await answer(update)
        await choose_contact(update, context, int(parsed[0]))
    elif parsed := parse_contact_action(raw):
        await mark_answered(update)
        forget_prompt(context)
        action, contact_id = parsed[0], int(parsed[1])
        await (_choose_kind if action == "to" else _ask_reply)(update, context, contact_id)
    elif parsed := parse_reply(raw):
        await mark_answered(update)
        await _log_reply(update, context, Reply(parsed[0]), int(parsed[1]))
    elif raw == "dr:rvp":
        await _review_pasted(update, context)
    elif (parsed := parse_draft_action(raw)) and parsed[0] != "ed":
        await _on_draft_button(update, context, parsed[0], int(parsed[1]))
    else:
        await answer(update, copy.STALE_BUTTON)


async def _review_pasted(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """ "Review it" under a pasted draft: once; an old button finds nothing waiting."""
    pasted = context.user_data.pop(PASTED, None)
    if not pasted:
        await answer(update, copy.STALE_BUTTON)
        return
    await mark_answered(update)
    if len(pasted) >= MAX_DRAFT_CHARS:  # kept cut at the limit: reviewing the cut text would mislead
        await reply(update, text.PASTED_TOO_LONG.format(limit=MAX_DRAFT_CHARS))
        return
    await _review(update, context, pasted, None)


async def _remove_buttons(update: Update) -> None:
    """Take the keyboard off, leaving the draft's text as it was for copying (best effort, alongside the reply)."""
    await alongside(_remove_keyboard(update))


async def _remove_keyboard(update: Update) -> None:
    try:
        await update.callback_query.edit_message_reply_markup(reply_markup=None)
    except BadRequest as error:
        log.info("Could not remove a draft's buttons: %s", type(error).__name__)


def _first_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True the first time this button of this message is pressed. A double tap queues the same press
    twice: the second finds it done, as would a later press of it."""
    query = update.callback_query
    press = f"{query.message.message_id if query.message else 0}:{query.data}"
    pressed = context.user_data.get(PRESSED) or []
    if press in pressed:
        return False
    context.user_data[PRESSED] = [*pressed, press][-PRESSED_KEPT:]
    return True


async def _on_draft_button(update: Update, context: ContextTypes.DEFAULT_TYPE, route: str, draft_id: int) -> None:
    if route in ONCE_PER_MESSAGE and not _first_press(update, context):
        await answer(update, text.PRESSED_ALREADY)  # one new version per button: the first press made it
        return
    await answer(update)  # a draft keeps its buttons: review it, or rework it in another way
    if route == "sent":
        await _remove_buttons(update)
        await mark_sent(update, context, draft_id)
        return
    async with unit_of_work(context) as uow:
        draft = await outreach.get_draft(uow, update.effective_user.id, draft_id)
    if draft is None:
        await reply(update, "I couldn't find that draft.")
        return
    kind = DraftKind(draft.kind)
    if route == "rv":
        await _review(update, context, draft.body, kind)
    else:
        async with unit_of_work(context) as uow:
            how = "short" if route == "sh" else "another"
            result = await outreach.rework_draft(uow, update.effective_user.id, draft_id, how, now(context))
        if result.unchanged:
            await reply(update, text.CANT_SHORTEN if route == "sh" else text.NO_OTHER_VERSION)
        else:
            await _show_draft(update, result, kind)


async def open_follow_up(update: Update, context: ContextTypes.DEFAULT_TYPE, contact_id: int) -> None:
    """The day-7 nudge's action: a follow-up draft, unless the allowed number has been sent."""
    async with unit_of_work(context) as uow:
        result = await outreach.compose_draft(
            uow, update.effective_user.id, contact_id, DraftKind.FOLLOW_UP, now(context)
        )
    if result.refusal == Refusal.NO_MORE_FOLLOW_UPS:
        await reply(update, text.NO_MORE_FOLLOW_UPS.format(name=esc(result.contact_name)))
        await send_draft(update, context, contact_id, DraftKind.CLOSING)
        return
    await _show_draft(update, result, DraftKind.FOLLOW_UP)


# Typed steps: your own version, a pasted draft to review, a referral --------------------------------------

OWN_TEXT, PASTE, REFERRAL, WHY_THEM = "draft_own_text", "draft_paste", "draft_referral", "draft_why_them"


async def choose_channel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """A channel was picked. First, once per person, the question that makes a draft specific."""
    query = update.callback_query
    parsed = parse_kind(query.data)
    # A double tap queues the same press twice: the second finds this pick already made and does nothing.
    pick = f"{query.message.message_id if query.message else 0}:{query.data}"
    if context.user_data.get(PICKED) == pick:
        await answer(update, copy.STALE_BUTTON)
        # The first press asked why them: that question stays open (the flow guard closed it for this press).
        waiting = context.user_data.get(TARGET) or {}
        return WHY_THEM if "why" in waiting else ConversationHandler.END
    context.user_data[PICKED] = pick
    await mark_answered(update)
    forget_prompt(context)
    if parsed is None:
        return ConversationHandler.END
    kind, contact_id = DraftKind(parsed[0]), int(parsed[1])
    async with unit_of_work(context) as uow:
        contact = await outreach.contact_brief(uow, update.effective_user.id, contact_id)
        profile_ready = await outreach.has_profile(uow, update.effective_user.id)
    if contact is None or contact.why_them or kind is DraftKind.INTRO or not profile_ready:
        await send_draft(update, context, contact_id, kind)
        return ConversationHandler.END
    context.user_data[TARGET] = {"why": contact_id, "kind": kind.value}
    await reply(update, text.ASK_WHY_THEM.format(name=esc(contact.name)), keyboard([(text.SKIP, data("why", "skip"))]))
    return WHY_THEM


async def on_why_them(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
    """Keep the answer on the card (for next time too), then draft with it."""
    typed = (update.message.text or "").strip()
    if len(typed) > MAX_WHY_CHARS:  # asked again, never cut
        await reply(update, text.WHY_THEM_TOO_LONG.format(length=len(typed), limit=MAX_WHY_CHARS))
        return None
    try:
        why = clean_text(typed, max_chars=MAX_WHY_CHARS, what="your answer")
    except InvalidAnswer as problem:
        await reply(update, str(problem))
        return None
    return await _draft_after_why(update, context, why)


async def skip_why_them(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    await mark_answered(update)
    return await _draft_after_why(update, context, None)


async def _draft_after_why(update: Update, context: ContextTypes.DEFAULT_TYPE, why: str | None) -> int:
    target = context.user_data.pop(TARGET, {})
    contact_id, kind = int(target.get("why", 0)), DraftKind(target.get("kind", DraftKind.EMAIL))
    if why is not None:
        async with unit_of_work(context) as uow:
            await outreach.save_why_them(uow, update.effective_user.id, contact_id, why)
    await send_draft(update, context, contact_id, kind)
    return ConversationHandler.END


async def ask_own_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    await answer(update)
    draft_id = int(update.callback_query.data.rsplit(":", 1)[1])
    async with unit_of_work(context) as uow:
        draft = await outreach.get_draft(uow, update.effective_user.id, draft_id)
    if draft is None:
        await reply(update, "I couldn't find that draft.")
        return ConversationHandler.END
    context.user_data[TARGET] = {"draft": draft_id}
    await reply(update, text.ASK_OWN_TEXT)
    return OWN_TEXT


async def on_own_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    """The user's own version: review it, and keep it as a draft they can mark sent."""
    body = update.message.text.strip()
    if len(body) > MAX_DRAFT_CHARS:  # asked again: nothing is kept, the draft above stays as it was
        await reply(update, text.DRAFT_TOO_LONG.format(length=len(body), limit=MAX_DRAFT_CHARS))
        return None
    if not any(ch.isalnum() for ch in body):  # only spaces of any kind, or marks: nothing to send
        await reply(update, text.OWN_TEXT_EMPTY)
        return None
    target = context.user_data.pop(TARGET, {})
    async with unit_of_work(context) as uow:
        draft = await outreach.get_draft(uow, update.effective_user.id, int(target.get("draft", 0)))
    if draft is None:
        await reply(update, "I couldn't find that draft.")
        return ConversationHandler.END
    await send_draft(update, context, draft.contact_id, DraftKind(draft.kind), variant=draft.variant, body=body)
    await _review(update, context, body, DraftKind(draft.kind))
    return ConversationHandler.END


async def start_review(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """/review: check any draft, the user's own included."""
    await reply(update, text.ASK_PASTE)
    return PASTE


async def on_paste(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    body = update.message.text
    if len(body.strip()) > MAX_DRAFT_CHARS:  # asked again: the review of a cut text would mislead
        await reply(update, text.DRAFT_TOO_LONG.format(length=len(body.strip()), limit=MAX_DRAFT_CHARS))
        return None
    await _review(update, context, body, None)
    return ConversationHandler.END


async def ask_referral(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """ "Referred me to someone": log the reply, then ask who."""
    contact_id = int(update.callback_query.data.rsplit(":", 1)[1])
    await mark_answered(update)
    async with unit_of_work(context) as uow:
        result = await outreach.log_reply(uow, update.effective_user.id, contact_id, Reply.REFERRED, now(context))
    if result.missing or result.refusal is not None:
        await (
            reply(update, "I couldn't find that contact.")
            if result.missing
            else _refused(update, result.refusal, result.contact_name)
        )
        return ConversationHandler.END
    context.user_data[TARGET] = {"referrer": contact_id}
    await reply(update, text.ASK_REFERRAL.format(name=esc(result.contact_name)))
    return REFERRAL


async def on_referral(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
    """Add the person referred to, linked to whoever referred them."""
    if len([line for line in update.message.text.splitlines() if line.strip()]) > 1:
        await reply(update, text.ONE_REFERRAL)  # asked again: one line is one person, never a silent first
        return None
    try:
        entries = parse_name_lines(update.message.text, limit=1)
        name, company = entries[0] if entries else (clean_contact_name(""), None)
    except InvalidAnswer as problem:
        await reply(update, str(problem))
        return None
    referrer_id = int(context.user_data.get(TARGET, {}).get("referrer", 0))
    async with unit_of_work(context) as uow:
        result = await outreach.add_referral(uow, update.effective_user.id, referrer_id, name, company)
    context.user_data.pop(TARGET, None)
    if result.missing:
        await reply(update, "I couldn't find that contact.")
        return ConversationHandler.END
    if result.limit_reached:
        await reply(update, LIMIT_REACHED.format(limit=MAX_CONTACTS))
        return ConversationHandler.END
    await reply(
        update,
        text.REFERRAL_ADDED.format(new=esc(name), name=esc(result.referrer_name)),
        keyboard([("✉️ Draft a request", data("to", result.new_id)), ("👤 Open card", build("ct", "c", result.new_id))]),
    )
    return ConversationHandler.END


def build_typed_handler() -> ConversationHandler:
    typed = filters.TEXT & ~filters.COMMAND
    other = MessageHandler(
        ~filters.COMMAND, say(copy.TEXT_ONLY.format(prompt_hint="Please paste or type it, or /cancel."))
    )
    return persistent_conversation(
        "drafts",
        # Another channel, another draft's Edit, or /review while a question is open starts afresh.
        allow_reentry=True,
        entry_points=[
            CallbackQueryHandler(ask_own_text, pattern=rf"^dr:ed:{_ID}$"),
            CallbackQueryHandler(ask_referral, pattern=rf"^dr:rp:referred:{_ID}$"),
            CallbackQueryHandler(choose_channel, pattern=r"^dr:k:"),
            CommandHandler("review", start_review),
        ],
        states={
            OWN_TEXT: [MessageHandler(typed, on_own_text), other],
            PASTE: [MessageHandler(typed, on_paste), other],
            REFERRAL: [MessageHandler(typed, on_referral), other],
            WHY_THEM: [
                CallbackQueryHandler(skip_why_them, pattern=r"^dr:why:skip$"),
                MessageHandler(typed, on_why_them),
                other,
            ],
        },
        fallbacks=flow_fallbacks(TARGET, cancelled=text.CANCELLED, prefix=r"^dr:(ed|rp:referred|why):"),
    )


def build_handlers() -> list[BaseHandler]:
    return [CommandHandler("draft", choose_contact), CallbackQueryHandler(on_button, pattern=r"^dr:")]
