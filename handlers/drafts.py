"""Drafting requests: a draft per channel, the review, "I sent it" (the follow-up clock) and replies."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes, ConversationHandler, MessageHandler, filters

from coaching import copy
from coaching import draft_copy as text
from coaching.answers import InvalidAnswer
from coaching.contacts import Stage, clean_contact_name, parse_name_lines
from coaching.drafts import (
    KIND_LABELS,
    MAX_DRAFT_CHARS,
    REQUEST_KINDS,
    DraftKind,
    Recipient,
    Sender,
    compose,
    review,
)
from coaching.followup import ClockNudge, Reply, after_follow_up, is_booster, may_follow_up, request_clock
from handlers.common import esc, flow_fallbacks, keyboard, mark_answered, persistent_conversation, reply, say, unit_of_work
from storage.models import Contact, User

_ID = r"(\d{1,12})"
TARGET = "draft_target"
CLOCK_KINDS = tuple(ClockNudge)


# Drafts ------------------------------------------------------------------------------------------------


def _sender(user: User) -> Sender:
    return Sender(name=user.name or "", field=user.field or "your field", stage=user.stage)


def _recipient(contact: Contact) -> Recipient:
    return Recipient(contact.name, contact.company, contact.role, contact.relation, contact.via)


def _draft_keyboard(draft_id: int):
    return keyboard([("🔍 Review", f"dr:rv:{draft_id}"), ("✂️ Shorter", f"dr:sh:{draft_id}")],
                    [("🔄 Another version", f"dr:av:{draft_id}"), ("✏️ Edit", f"dr:ed:{draft_id}")],
                    [("📤 I sent it", f"dr:sent:{draft_id}")])


async def send_draft(update: Update, context: ContextTypes.DEFAULT_TYPE, contact_id: int, kind: DraftKind, *,
                     variant: int | None = None, short: bool = False, body: str | None = None) -> None:
    """Compose (or take the user's own ``body``), store it, and send it as plain text, ready to copy."""
    user_id = update.effective_user.id
    async with unit_of_work(context) as uow:
        contact = await uow.contacts.get_owned(contact_id, user_id)
        user = await uow.users.get(user_id)
        if contact is None or user is None:
            await reply(update, "I couldn't find that contact.")
            return
        if not (user.name and user.field):
            await reply(update, text.NEEDS_PROFILE)
            return
        if variant is None:
            variant = contact_id + await uow.drafts.count_for(contact_id)  # rotate phrasings per person
        draft = compose(kind, _sender(user), _recipient(contact), variant=variant, short=short)
        if body is not None:
            draft = type(draft)(kind, body, None)
        record = uow.drafts.add(user_id, contact_id, kind=kind.value, subject=draft.subject, body=draft.body,
                                variant=variant, short=short)
        await uow.session.flush()
    await reply(update, text.DRAFT_INTRO.format(kind=KIND_LABELS[kind]))
    await update.effective_chat.send_message(draft.full_text(), reply_markup=_draft_keyboard(record.id))


async def choose_contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/draft: pick who the request is for (people not yet asked first)."""
    async with unit_of_work(context) as uow:
        contacts = await uow.contacts.all_of(update.effective_user.id)
    open_ones = [c for c in contacts if c.stage in (Stage.READY, Stage.RESEARCH)]
    open_ones.sort(key=lambda c: (c.stage != Stage.READY, c.name.lower()))
    if not open_ones:
        await reply(update, text.NO_CONTACTS_TO_ASK)
        return
    rows = [[((c.name + (f" · {c.company}" if c.company else ""))[:60], f"dr:to:{c.id}")] for c in open_ones[:10]]
    await reply(update, text.CHOOSE_CONTACT, keyboard(*rows))


async def _choose_kind(update: Update, context: ContextTypes.DEFAULT_TYPE, contact_id: int) -> None:
    async with unit_of_work(context) as uow:
        contact = await uow.contacts.get_owned(contact_id, update.effective_user.id)
    if contact is None:
        await reply(update, "I couldn't find that contact.")
        return
    kinds = [k for k in REQUEST_KINDS if k is not DraftKind.INTRO or contact.via]
    rows = [[(KIND_LABELS[k], f"dr:k:{k}:{contact_id}")] for k in kinds]
    await reply(update, text.CHOOSE_KIND.format(name=esc(contact.name)), keyboard(*rows))


async def _review(update: Update, context: ContextTypes.DEFAULT_TYPE, body: str, kind: DraftKind | None) -> None:
    async with unit_of_work(context) as uow:
        user = await uow.users.get_or_create(update.effective_user.id, update.effective_chat.id)
    await reply(update, render_review(body, kind, strict=user.strict_drafts))


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


async def mark_sent(update: Update, context: ContextTypes.DEFAULT_TYPE, draft_id: int) -> None:
    """Record the send, move the contact along, and start (or continue) the follow-up clock."""
    user_id, now = update.effective_user.id, datetime.now(timezone.utc)
    async with unit_of_work(context) as uow:
        draft = await uow.drafts.get_owned(draft_id, user_id)
        user = await uow.users.get(user_id)
        contact = await uow.contacts.get_owned(draft.contact_id, user_id) if draft else None
        if draft is None or contact is None:
            await reply(update, "I couldn't find that draft.")
            return
        if draft.sent_at is not None:
            await reply(update, text.ALREADY_SENT)
            return
        draft.sent_at = now
        clock = user.clock()
        if draft.kind == DraftKind.FOLLOW_UP:
            contact.follow_ups_sent += 1
            contact.stage = Stage.FOLLOWED_UP
            kind, due = after_follow_up(now, clock, follow_ups_sent=contact.follow_ups_sent,
                                        max_follow_ups=user.max_follow_ups)
            await _schedule(uow, user_id, contact.id, kind, due, tag=f"f{contact.follow_ups_sent}")
            template = text.SENT_FOLLOW_UP_MORE if kind == ClockNudge.FOLLOW_UP else text.SENT_FOLLOW_UP
            message = template.format(name=esc(contact.name), due=_local(due, clock.zone))
        elif draft.kind == DraftKind.CLOSING:
            message = "📤 Closing note sent. Well done for handling it gracefully."
        else:
            contact.request_sent_at = now
            contact.stage = Stage.REQUESTED
            contact.replied_at, contact.reply, contact.booster, contact.follow_ups_sent = None, None, False, 0
            nudges = request_clock(now, clock, max_follow_ups=user.max_follow_ups)
            for kind, due in nudges:
                await _schedule(uow, user_id, contact.id, kind, due, tag=f"r{draft.id}")
            due7 = _local(nudges[-1][1], clock.zone)
            if user.max_follow_ups > 0:
                message = text.SENT_REQUEST.format(name=esc(contact.name), day3=_local(nudges[0][1], clock.zone), day7=due7)
            else:
                message = text.SENT_REQUEST_NO_FOLLOW_UPS.format(name=esc(contact.name), day7=due7)
    await reply(update, message, keyboard([("💬 They replied", f"dr:rq:{contact.id}"), ("👤 Open card", f"ct:c:{contact.id}")]))


async def _schedule(uow, user_id: int, contact_id: int, kind: str, due: datetime, tag: str) -> None:
    await uow.nudges.schedule(user_id=user_id, kind=kind, subject=str(contact_id), due_at=due,
                              dedup_key=f"{kind}:{contact_id}:{tag}")


# Replies --------------------------------------------------------------------------------------------------


async def _ask_reply(update: Update, context: ContextTypes.DEFAULT_TYPE, contact_id: int) -> None:
    async with unit_of_work(context) as uow:
        contact = await uow.contacts.get_owned(contact_id, update.effective_user.id)
    if contact is None:
        await reply(update, "I couldn't find that contact.")
        return
    rows = [[(label, f"dr:rp:{value}:{contact_id}")] for label, value in text.REPLY_BUTTONS]
    await reply(update, text.ASK_REPLY.format(name=esc(contact.name)), keyboard(*rows))


async def _log_reply(update: Update, context: ContextTypes.DEFAULT_TYPE, answer: Reply, contact_id: int) -> bool:
    """Record the reply and stop the clock; returns False when the contact isn't the user's."""
    user_id, now = update.effective_user.id, datetime.now(timezone.utc)
    async with unit_of_work(context) as uow:
        contact = await uow.contacts.get_owned(contact_id, user_id)
        user = await uow.users.get(user_id)
        if contact is None:
            return False
        contact.replied_at, contact.reply = now, answer.value
        contact.booster = answer == Reply.YES and is_booster(contact.request_sent_at, now, user.clock())
        if answer == Reply.NOT_NOW:
            contact.stage = Stage.KEEPING_IN_TOUCH
        elif answer == Reply.NO:
            contact.stage = Stage.CLOSED
        await uow.nudges.cancel_about(user_id, str(contact_id), CLOCK_KINDS)
    name = esc(contact.name)
    if answer == Reply.YES:
        await reply(update, text.REPLY_YES.format(name=name, booster=text.BOOSTER if contact.booster else ""),
                    keyboard([("📅 Meeting scheduled", f"ct:mv:scheduled:{contact_id}")]))
    elif answer == Reply.NOT_NOW:
        await reply(update, text.REPLY_NOT_NOW.format(name=name))
    elif answer == Reply.NO:
        await reply(update, text.REPLY_NO.format(name=name))
    return True


# Button router --------------------------------------------------------------------------------------------

_ROUTES = {
    "to": re.compile(rf"^dr:to:{_ID}$"), "k": re.compile(rf"^dr:k:([a-z_]+):{_ID}$"),
    "rv": re.compile(rf"^dr:rv:{_ID}$"), "sh": re.compile(rf"^dr:sh:{_ID}$"), "av": re.compile(rf"^dr:av:{_ID}$"),
    "sent": re.compile(rf"^dr:sent:{_ID}$"), "rq": re.compile(rf"^dr:rq:{_ID}$"),
    "rp": re.compile(rf"^dr:rp:(yes|not_now|no):{_ID}$"),
}


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every drafting button outside a typed step. Ids are checked against the current user."""
    data = update.callback_query.data or ""
    route, match = next(((name, m) for name, pattern in _ROUTES.items() if (m := pattern.match(data))), (None, None))
    if route is None:
        await update.callback_query.answer(copy.STALE_BUTTON)
        return
    if route in ("rv", "sh", "av"):
        await update.callback_query.answer()  # the draft keeps its buttons: review or rework it as often as you like
    elif route == "sent":
        await _remove_buttons(update)
    else:
        await mark_answered(update)
    if route == "to":
        await _choose_kind(update, context, int(match.group(1)))
    elif route == "k":
        if match.group(1) in {k.value for k in REQUEST_KINDS}:
            await send_draft(update, context, int(match.group(2)), DraftKind(match.group(1)))
    elif route == "rq":
        await _ask_reply(update, context, int(match.group(1)))
    elif route == "rp":
        if not await _log_reply(update, context, Reply(match.group(1)), int(match.group(2))):
            await reply(update, "I couldn't find that contact.")
    elif route == "sent":
        await mark_sent(update, context, int(match.group(1)))
    else:
        await _on_draft_button(update, context, route, int(match.group(1)))


async def _remove_buttons(update: Update) -> None:
    """Answer the press and take the keyboard off, leaving the draft's text as it was for copying."""
    await update.callback_query.answer()
    try:
        await update.callback_query.edit_message_reply_markup(reply_markup=None)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise


async def _on_draft_button(update: Update, context: ContextTypes.DEFAULT_TYPE, route: str, draft_id: int) -> None:
    async with unit_of_work(context) as uow:
        draft = await uow.drafts.get_owned(draft_id, update.effective_user.id)
    if draft is None:
        await reply(update, "I couldn't find that draft.")
        return
    kind = DraftKind(draft.kind)
    if route == "rv":
        await _review(update, context, draft.body, kind)
    elif route == "sh":
        await send_draft(update, context, draft.contact_id, kind, variant=draft.variant, short=True)
    elif route == "av":
        await send_draft(update, context, draft.contact_id, kind, variant=draft.variant + 1, short=draft.short)


async def open_follow_up(update: Update, context: ContextTypes.DEFAULT_TYPE, contact_id: int) -> None:
    """The day-7 nudge's action: a follow-up draft, unless the allowed number has been sent."""
    async with unit_of_work(context) as uow:
        contact = await uow.contacts.get_owned(contact_id, update.effective_user.id)
        user = await uow.users.get(update.effective_user.id)
    if contact is None:
        await reply(update, "I couldn't find that contact.")
    elif may_follow_up(contact.follow_ups_sent, user.max_follow_ups):
        await send_draft(update, context, contact_id, DraftKind.FOLLOW_UP)
    else:
        await reply(update, text.NO_MORE_FOLLOW_UPS.format(name=esc(contact.name)))
        await send_draft(update, context, contact_id, DraftKind.CLOSING)


# Typed steps: your own version, a pasted draft to review, a referral --------------------------------------

OWN_TEXT, PASTE, REFERRAL = "draft_own_text", "draft_paste", "draft_referral"


async def ask_own_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    await update.callback_query.answer()
    draft_id = int(update.callback_query.data.rsplit(":", 1)[1])
    async with unit_of_work(context) as uow:
        draft = await uow.drafts.get_owned(draft_id, update.effective_user.id)
    if draft is None:
        await reply(update, "I couldn't find that draft.")
        return ConversationHandler.END
    context.user_data[TARGET] = {"draft": draft_id}
    await reply(update, text.ASK_OWN_TEXT)
    return OWN_TEXT


async def on_own_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The user's own version: review it, and keep it as a draft they can mark sent."""
    body = update.message.text.strip()
    target = context.user_data.pop(TARGET, {})
    async with unit_of_work(context) as uow:
        draft = await uow.drafts.get_owned(int(target.get("draft", 0)), update.effective_user.id)
    if draft is None:
        await reply(update, "I couldn't find that draft.")
        return ConversationHandler.END
    if len(body) <= MAX_DRAFT_CHARS:
        await send_draft(update, context, draft.contact_id, DraftKind(draft.kind), variant=draft.variant, body=body)
    await _review(update, context, body, DraftKind(draft.kind))
    return ConversationHandler.END


async def start_review(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """/review: check any draft, the user's own included."""
    await reply(update, text.ASK_PASTE)
    return PASTE


async def on_paste(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    await _review(update, context, update.message.text, None)
    return ConversationHandler.END


async def ask_referral(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """ "Referred me to someone": log the reply, then ask who."""
    contact_id = int(update.callback_query.data.rsplit(":", 1)[1])
    await mark_answered(update)
    if not await _log_reply(update, context, Reply.REFERRED, contact_id):
        await reply(update, "I couldn't find that contact.")
        return ConversationHandler.END
    async with unit_of_work(context) as uow:
        contact = await uow.contacts.get_owned(contact_id, update.effective_user.id)
    context.user_data[TARGET] = {"referrer": contact_id}
    await reply(update, text.ASK_REFERRAL.format(name=esc(contact.name)))
    return REFERRAL


async def on_referral(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
    """Add the person referred to, linked to whoever referred them."""
    try:
        entries = parse_name_lines(update.message.text, limit=1)
        name, company = entries[0] if entries else (clean_contact_name(""), None)
    except InvalidAnswer as problem:
        await reply(update, str(problem))
        return None
    referrer_id = int(context.user_data.get(TARGET, {}).get("referrer", 0))
    async with unit_of_work(context) as uow:
        referrer = await uow.contacts.get_owned(referrer_id, update.effective_user.id)
        if referrer is None:
            context.user_data.pop(TARGET, None)
            return ConversationHandler.END
        new = uow.contacts.add(update.effective_user.id, name=name, company=company, relation="fof",
                               via=referrer.name, referred_by_id=referrer.id, source="referral", stage=Stage.READY)
        await uow.session.flush()
    context.user_data.pop(TARGET, None)
    await reply(update, text.REFERRAL_ADDED.format(new=esc(name), name=esc(referrer.name)),
                keyboard([("✉️ Draft a request", f"dr:to:{new.id}"), ("👤 Open card", f"ct:c:{new.id}")]))
    return ConversationHandler.END


def build_typed_handler() -> ConversationHandler:
    typed = filters.TEXT & ~filters.COMMAND
    other = MessageHandler(~filters.COMMAND, say(copy.TEXT_ONLY.format(prompt_hint="Please paste or type it, or /cancel.")))
    return persistent_conversation(
        "drafts",
        entry_points=[CallbackQueryHandler(ask_own_text, pattern=rf"^dr:ed:{_ID}$"),
                      CallbackQueryHandler(ask_referral, pattern=rf"^dr:rp:referred:{_ID}$"),
                      CommandHandler("review", start_review)],
        states={
            OWN_TEXT: [MessageHandler(typed, on_own_text), other],
            PASTE: [MessageHandler(typed, on_paste), other],
            REFERRAL: [MessageHandler(typed, on_referral), other],
        },
        fallbacks=flow_fallbacks(TARGET, cancelled=text.CANCELLED, prefix=r"^dr:(ed|rp:referred):"),
    )


def build_handlers() -> list[BaseHandler]:
    return [CommandHandler("draft", choose_contact), CallbackQueryHandler(on_button, pattern=r"^dr:")]
