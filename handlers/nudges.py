"""Nudge buttons (done, snooze, stop, the action), /today, and blocking or unblocking the bot."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from telegram import ChatMember, Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CallbackQueryHandler, ChatMemberHandler, CommandHandler, ContextTypes

from coaching import draft_copy
from coaching import nudges as rules
from coaching.contacts import is_second_person
from coaching.drafts import DraftKind
from handlers import drafts
from coaching.schedule import snooze
from handlers.common import esc, keyboard, reply, unit_of_work
from storage.repositories import PENDING, SENT

_BUTTON = re.compile(r"^nd:(done|s1d|s1w|stop|go):(\d{1,12})$")


def _now() -> datetime:
    return datetime.now(timezone.utc)


async def on_nudge_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Done, snooze or stop a nudge the user owns, or open its action; else a polite "not current"."""
    query = update.callback_query
    match = _BUTTON.match(query.data or "")
    action, nudge_id = (match.group(1), int(match.group(2))) if match else (None, 0)
    async with unit_of_work(context) as uow:
        nudge = await uow.nudges.get_owned(nudge_id, update.effective_user.id)
        user = await uow.users.get(update.effective_user.id)
        current = nudge is not None and user is not None and nudge.status == SENT and nudge.done_at is None
        note = await _apply(uow, action, nudge, user) if current and action != "go" else None
    if current and action == "go":
        await query.answer()
        await _open_action(update, context, nudge)
    elif note is None:
        await query.answer(rules.NOT_CURRENT)
    else:
        await query.answer()
        await query.edit_message_text(f"{query.message.text_html}\n\n<b>{esc(note)}</b>", parse_mode=ParseMode.HTML)


async def _open_action(update: Update, context: ContextTypes.DEFAULT_TYPE, nudge) -> None:
    """The thing a nudge is about: /today, a second person to ask, or the follow-up or closing draft."""
    action = rules.render(nudge.kind).action
    contact_id = int(nudge.subject) if nudge.subject.isdigit() else 0
    if action is None or action[1] == "today":
        await show_today(update, context)
    elif action[1] == "second":
        await _second_person(update, context, contact_id)
    elif action[1] == "follow_up":
        await drafts.open_follow_up(update, context, contact_id)
    else:
        await drafts.send_draft(update, context, contact_id, DraftKind.CLOSING)


async def _second_person(update: Update, context: ContextTypes.DEFAULT_TYPE, contact_id: int) -> None:
    """Others at the same employer who haven't been asked yet."""
    async with unit_of_work(context) as uow:
        contact = await uow.contacts.get_owned(contact_id, update.effective_user.id)
        others = await uow.contacts.all_of(update.effective_user.id) if contact else []
    if contact is None:
        await reply(update, rules.NOT_CURRENT)
        return
    same = [c for c in others if c.id != contact.id
            and is_second_person((contact.employer_id, contact.company), (c.employer_id, c.company, c.stage))]
    company = esc(contact.company or "the same place")
    if not same:
        await reply(update, draft_copy.SECOND_PERSON_NONE.format(company=company))
        return
    rows = [[(f"✉️ {c.name}"[:60], f"dr:to:{c.id}")] for c in same[:5]]
    await reply(update, draft_copy.SECOND_PERSON_PICK.format(company=company), keyboard(*rows))


async def _apply(uow, action: str, nudge, user) -> str:
    """Carry out Done, a snooze or Stop on a current nudge; returns the note shown under it."""
    now = _now()
    if action in rules.SNOOZES:
        clock = user.clock()
        nudge.status, nudge.attempts, nudge.sent_at = PENDING, 0, None
        nudge.due_at = snooze(now, rules.SNOOZES[action], clock.zone, clock.quiet)
        return rules.SNOOZED_NOTE.format(when=nudge.due_at.astimezone(ZoneInfo(clock.zone)))
    nudge.done_at = now
    if action == "stop":
        user.mute(nudge.kind)
        await uow.nudges.cancel_pending(user.id, kind=nudge.kind)
        return rules.STOPPED_NOTE
    return rules.DONE_NOTE


async def show_today(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/today: replies to answer, reminders due now and soon, and people ready to ask, most urgent first."""
    now = _now()
    user_id = update.effective_user.id
    async with unit_of_work(context) as uow:
        user = await uow.users.get(user_id)
        items = await uow.nudges.upcoming(user_id, now + timedelta(hours=24)) if user else []
        contacts = await uow.contacts.all_of(user_id) if user else []
    zone = ZoneInfo(user.timezone or "UTC") if user else ZoneInfo("UTC")
    entries: list[tuple[int, str, tuple[str, str] | None]] = []
    for contact in contacts:
        if contact.reply == "yes" and contact.stage in ("requested", "followed_up"):
            key = "reply_booster" if contact.booster else "reply"
            label = draft_copy.TODAY_REPLY.format(name=esc(contact.name),
                                                  booster=" quickly: within 24 hours" if contact.booster else "")
            entries.append((rules.TODAY_PRIORITY[key], label, (f"💬 {contact.name}"[:60], f"ct:c:{contact.id}")))
        elif contact.stage == "ready":
            entries.append((rules.TODAY_PRIORITY["ready"], draft_copy.TODAY_READY.format(name=esc(contact.name)),
                            (f"✉️ {contact.name}"[:60], f"dr:to:{contact.id}")))
    for item in items:
        label = rules.KIND_LABELS.get(item.kind, item.kind)
        when = "now" if item.status == SENT else f"at {item.due_at.astimezone(zone):%H:%M}"
        button = (f"✅ {label}"[:60], f"nd:done:{item.id}") if item.status == SENT else None
        entries.append((rules.TODAY_PRIORITY.get(item.kind, 9), f"{esc(label)} ({when})", button))
    if not entries:
        await reply(update, rules.TODAY_EMPTY)
        return
    entries.sort(key=lambda entry: entry[0])
    ready_shown = 0
    lines, rows = [rules.TODAY_TITLE, ""], []
    for priority, line, button in entries:
        if priority == rules.TODAY_PRIORITY["ready"]:
            ready_shown += 1
            if ready_shown > 3:
                continue
        lines.append(f"• {line}")
        if button:
            rows.append([button])
    await reply(update, "\n".join(lines), keyboard(*rows[:12]) if rows else None)


async def on_membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The user blocked or unblocked the bot: stop nudging them, or take them back."""
    change = update.my_chat_member
    blocked = change.new_chat_member.status in (ChatMember.BANNED, ChatMember.LEFT)
    async with unit_of_work(context) as uow:
        user = await uow.users.get(change.from_user.id)
        if user is None:
            return
        user.is_active = not blocked
        if blocked:
            await uow.nudges.cancel_pending(user.id)


def build_handlers() -> list[BaseHandler]:
    return [
        CommandHandler("today", show_today),
        CallbackQueryHandler(on_nudge_button, pattern=r"^nd:"),
        ChatMemberHandler(on_membership, ChatMemberHandler.MY_CHAT_MEMBER),
    ]


async def schedule_welcome_nudges(uow, user, now: datetime) -> None:
    """After onboarding: tomorrow's first-list check-in and the first weekly digest."""
    if not user.is_muted(rules.NudgeKind.FIRST_LIST):
        await uow.nudges.schedule(user_id=user.id, kind=rules.NudgeKind.FIRST_LIST, subject="",
                                  due_at=rules.first_list_due(now, user.clock()), dedup_key=f"first_list:{user.id}")
    await reschedule_digest(uow, user, now)


async def reschedule_digest(uow, user, now: datetime) -> None:
    """Replace the pending weekly digest with one at the user's current weekday, zone and quiet hours."""
    await uow.nudges.cancel_pending(user.id, kind=rules.NudgeKind.DIGEST)
    if user.onboarded_at is None or user.is_muted(rules.NudgeKind.DIGEST):
        return
    due = rules.digest_due(now, user.digest_weekday, user.clock())
    await uow.nudges.schedule(user_id=user.id, kind=rules.NudgeKind.DIGEST, subject="", due_at=due,
                              dedup_key=rules.digest_key(user.id, due))
