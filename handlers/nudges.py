"""Nudge buttons (done, snooze, stop, the action), /today, and blocking or unblocking the bot."""

from __future__ import annotations

from telegram import ChatMember, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler, ChatMemberHandler, CommandHandler, ContextTypes

from coaching import draft_copy
from coaching import nudges as rules
from coaching.drafts import DraftKind
from handlers import after, drafts, meetings
from handlers.callbacks import ID, build, parser
from handlers.common import answer, edit_or_send, esc, keyboard, now, reply, unit_of_work
from services import nudges as service
from services import outreach

# Callback data ------------------------------------------------------------------------------------------

ACTIONS = ("done", "s1d", "s1w", "stop", "go")
PATTERN = rf"^nd:({'|'.join(ACTIONS)}):{ID}$"
parse = parser(PATTERN)


def data(action: str, nudge_id: int) -> str:
    assert action in ACTIONS
    return build("nd", action, nudge_id)


def nudge_keyboard(nudge_id: int, action: tuple[str, str] | None, meeting_id: int = 0) -> InlineKeyboardMarkup:
    """Under every reminder: its own action, Done, two snoozes and Stop.

    "How did it go?" after a meeting opens the reflection itself (a flow starts on its own button),
    and offers "It didn't happen" instead of Done."""
    rows = []
    if action and action[1] == "reflect" and meeting_id:
        rows.append([InlineKeyboardButton(action[0], callback_data=after.data("go", meeting_id))])
        rows.append([InlineKeyboardButton("🙈 It didn't happen", callback_data=meetings.data("noshow", meeting_id))])
    else:
        if action:
            rows.append([InlineKeyboardButton(action[0], callback_data=data("go", nudge_id))])
        rows.append([InlineKeyboardButton("✅ Done", callback_data=data("done", nudge_id))])
    rows.append(
        [
            InlineKeyboardButton("⏰ 1 day", callback_data=data("s1d", nudge_id)),
            InlineKeyboardButton("⏰ 1 week", callback_data=data("s1w", nudge_id)),
        ]
    )
    rows.append([InlineKeyboardButton("🔕 Stop these reminders", callback_data=data("stop", nudge_id))])
    return InlineKeyboardMarkup(rows)


# Buttons ------------------------------------------------------------------------------------------------


async def on_nudge_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Done, snooze or stop a nudge the user owns, or open its action; else a polite "not current"."""
    query = update.callback_query
    parsed = parse(query.data)
    if parsed is None:
        await answer(update, rules.NOT_CURRENT)
        return
    action, nudge_id, user_id = parsed[0], int(parsed[1]), update.effective_user.id
    async with unit_of_work(context) as uow:
        if action == "go":
            target = await service.nudge_action(uow, user_id, nudge_id)
        elif action == "done":
            outcome = await service.complete_nudge(uow, user_id, nudge_id, now(context))
        elif action == "stop":
            outcome = await service.stop_nudge(uow, user_id, nudge_id, now(context))
        else:
            outcome = await service.snooze_nudge(uow, user_id, nudge_id, action, now(context))
    if action == "go":
        await answer(update, None if target.action else rules.NOT_CURRENT)
        if target.action:
            await _open_action(update, context, target)
    elif not outcome.current:
        await answer(update, rules.NOT_CURRENT)
    else:
        await answer(update)
        original = query.message.text_html if query.message and query.message.text else ""
        await edit_or_send(update, f"{original}\n\n<b>{outcome.note}</b>".strip())


async def _open_action(update: Update, context: ContextTypes.DEFAULT_TYPE, target: service.NudgeAction) -> None:
    """The thing a nudge is about: /today, a second person to ask, or the follow-up or closing draft."""
    if target.action == "second":
        await _second_person(update, context, target.contact_id)
    elif target.action == "follow_up":
        await drafts.open_follow_up(update, context, target.contact_id)
    elif target.action == "prep":
        await meetings.show_prep(update, context, target.meeting_id)
    elif target.action == "closing":
        await drafts.send_draft(update, context, target.contact_id, DraftKind.CLOSING)
    elif target.action == "reflect":
        await reply(update, after.READY_TO_REFLECT, keyboard([("📝 Reflect now", after.data("go", target.meeting_id))]))
    elif target.action in _NOTE_ACTIONS:
        await after.open_note(update, context, target.contact_id, _NOTE_ACTIONS[target.action])
    else:
        await show_today(update, context)


_NOTE_ACTIONS = {
    "thank_you": DraftKind.THANK_YOU,
    "report_back": DraftKind.REPORT_BACK,
    "in_touch": DraftKind.KEEP_IN_TOUCH,
    "not_now": DraftKind.NOT_NOW,
}


async def _second_person(update: Update, context: ContextTypes.DEFAULT_TYPE, contact_id: int) -> None:
    """Others at the same employer who haven't been asked yet."""
    async with unit_of_work(context) as uow:
        found = await outreach.second_people(uow, update.effective_user.id, contact_id)
    if found is None:
        await reply(update, rules.NOT_CURRENT)
        return
    company, others = found
    company = esc(company or "the same place")
    if not others:
        await reply(update, draft_copy.SECOND_PERSON_NONE.format(company=company))
        return
    rows = [[(f"✉️ {name}"[:60], drafts.data("to", other_id))] for other_id, name in others[:5]]
    await reply(update, draft_copy.SECOND_PERSON_PICK.format(company=company), keyboard(*rows))


# /today -------------------------------------------------------------------------------------------------


def _today_button(label: str, target: str) -> tuple[str, str]:
    what, _, raw_id = target.partition(":")
    if what == "done":
        return label, data("done", int(raw_id))
    if what == "draft":
        return label, drafts.data("to", int(raw_id))
    if what == "prep":
        return label, meetings.data("prep", int(raw_id))
    if what == "reflect":
        return label, after.data("go", int(raw_id))
    if what == "thanks":
        return label, after.note_data("n", "ty", int(raw_id))
    if what == "plan":
        return label, after.note_data("p", int(raw_id))
    return label, build("ct", "c", int(raw_id))


async def show_today(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/today: replies to answer, reminders due now and soon, and people ready to ask, most urgent first."""
    async with unit_of_work(context) as uow:
        result = await service.today(uow, update.effective_user.id, now(context))
    if not result.items:
        await reply(update, rules.TODAY_EMPTY)
        return
    lines = [rules.TODAY_TITLE, ""] + [f"• {item.html}" for item in result.items]
    rows = [[_today_button(*item.button)] for item in result.items if item.button]
    await reply(update, "\n".join(lines), keyboard(*rows[:12]) if rows else None)


async def on_membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The user blocked or unblocked the bot in their private chat: hold their reminders, or take them back.

    Only a private chat's membership says anything about the user (a group's never reaches here:
    handlers.private stops it).
    """
    change = update.my_chat_member
    if change.chat.type != ChatType.PRIVATE:
        return
    blocked = change.new_chat_member.status in (ChatMember.BANNED, ChatMember.LEFT)
    async with unit_of_work(context) as uow:
        await service.set_membership(uow, change.from_user.id, blocked=blocked, now=now(context))


def build_handlers() -> list[BaseHandler]:
    return [
        CommandHandler("today", show_today),
        CallbackQueryHandler(on_nudge_button, pattern=r"^nd:"),
        ChatMemberHandler(on_membership, ChatMemberHandler.MY_CHAT_MEMBER),
    ]
