"""Scheduling a meeting (/meeting, or "Meeting scheduled" after a yes): when, in what form, where;
then a calendar file and the reminders. Moving or cancelling it from the contact's card."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from io import BytesIO

from telegram import Update
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
from coaching.answers import InvalidAnswer, clean_text
from coaching.defaults import MAX_OWN_QUESTIONS, MAX_PLACE_CHARS
from coaching.meetings import MeetingFormat, check_moment, describe, parse_when
from coaching.prep import Pack, render_pack
from coaching.questions import TIARA_LABELS, Tiara, questions_for, suggested_count
from coaching.questions import question as question_by_id
from coaching.questions import render as render_question
from handlers.callbacks import ID, build, parser
from handlers.common import (
    answer,
    edit_or_send,
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
from services import meetings as service

PENDING = "meeting"  # scratch data: {"contact": id, "move": meeting id, "at": epoch seconds, "format": value}


class State(StrEnum):
    PICK = "meeting_pick"
    WHEN = "meeting_when"
    CONFIRM = "meeting_confirm"
    FORMAT = "meeting_format"
    PLACE = "meeting_place"
    OWN_QUESTION = "meeting_own_question"


def data(*parts: object) -> str:
    return build("mt", *parts)


parse_new = parser(rf"^mt:new:{ID}$")
parse_move = parser(rf"^mt:move:{ID}$")
parse_cancel = parser(rf"^mt:(?:cancel|cancelok):{ID}$")
parse_settle = parser(rf"^mt:(done|noshow):{ID}$")
parse_at = parser(r"^mt:at:(\d{9,11})$")
parse_format = parser(rf"^mt:fmt:({'|'.join(MeetingFormat)})$")

ASK_WHEN = (
    "📅 When is your conversation with <b>{name}</b>? Type it the way you'd say it, in your time zone.\n"
    "<i>Examples: next Tue 3pm · tomorrow at noon · 3 Dec 15:30</i>"
)
CONFIRM = "{when}. Is that right?"
ASK_FORMAT = "How will you talk?"
ASK_PLACE = "Where? Send the address or the video link, or tap Skip.\n<i>Example: https://meet.example.com/abc · Café Luna, Torstr. 5</i>"
SAVED = (
    "✅ Booked: <b>{name}</b>, {when} ({minutes} minutes, {format}).\n"
    "The calendar file is below. I'll send your prep pack the evening before and a short reminder an hour before."
)
MOVED = "🗓 Moved: <b>{name}</b>, now {when}. The reminders moved too; here's the updated calendar file."
CANCELLED = "Cancelled the meeting with <b>{name}</b>, and its reminders. You can schedule a new time from their card."
NOTHING_TO_MOVE = "That meeting isn't on the calendar any more."
NO_ONE = "There's no one to meet yet. When someone replies yes, tap 💬 They replied on their card."
PICK = "📅 A meeting with whom?"
STOPPED = "Stopped. Nothing was booked."
PLACE_TOO_LONG = (
    "That's {length:,} characters; a place or a link fits in {limit}. Send just the address or the link, or tap Skip."
)
OWN_FULL = (
    "You have {most} questions of your own for this meeting, the most I keep for one: with the ones you ticked, "
    "that's already more than a conversation has time for."
)
OWN_DUPLICATE = "That question is on your list already."


async def start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """/meeting: pick the person first."""
    async with unit_of_work(context) as uow:
        people = await service.people_to_meet(uow, update.effective_user.id)
    if not people:
        await reply(update, NO_ONE)
        return ConversationHandler.END
    rows = [[(name[:60], data("new", contact_id))] for contact_id, name in people[:10]]
    await reply(update, PICK, keyboard(*rows))
    return State.PICK


async def start_for_contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """A contact's "Meeting scheduled" / "Schedule a meeting" button: ask when."""
    parsed = parse_new(update.callback_query.data)
    await mark_answered(update)
    if parsed is None:
        return ConversationHandler.END
    context.user_data[PENDING] = {"contact": int(parsed[0])}
    return await _ask_when(update, context)


async def start_move(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """The card's "Move the meeting": a new time for the same meeting."""
    parsed = parse_move(update.callback_query.data)
    await answer(update)
    if parsed is None:
        return ConversationHandler.END
    async with unit_of_work(context) as uow:
        meeting = await service.get(uow, update.effective_user.id, int(parsed[0]))
    if meeting is None:
        await reply(update, NOTHING_TO_MOVE)
        return ConversationHandler.END
    context.user_data[PENDING] = {"contact": meeting.contact_id, "move": meeting.id}
    return await _ask_when(update, context)


async def _ask_when(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    async with unit_of_work(context) as uow:
        name = await service.contact_name(uow, update.effective_user.id, int(context.user_data[PENDING]["contact"]))
    if name is None:
        context.user_data.pop(PENDING, None)
        await reply(update, copy.STALE_BUTTON)
        return ConversationHandler.END
    await reply(update, ASK_WHEN.format(name=esc(name)))
    return State.WHEN


async def on_when(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """The typed day and time: read it in the user's zone, then confirm it in words."""
    async with unit_of_work(context) as uow:
        zone, quiet = await service.user_clock(uow, update.effective_user.id)
    result = parse_when(update.message.text, now(context), zone, quiet=quiet)
    if result.problem:
        await reply(update, esc(result.problem))
        return None
    if result.choices:
        rows = [[(describe(at, zone, now(context))[:60], data("at", int(at.timestamp())))] for at in result.choices]
        await reply(update, esc(" ".join(result.questions) or "Which one?"), keyboard(*rows))
        return State.CONFIRM
    if result.at is None:
        await reply(update, esc(" ".join(result.questions) or "What time?"))
        return None
    return await _confirm(update, context, result.at, zone, result.questions)


async def _confirm(
    update: Update, context: ContextTypes.DEFAULT_TYPE, at: datetime, zone: str, questions: tuple[str, ...]
) -> str:
    context.user_data[PENDING]["at"] = int(at.timestamp())
    lines = [CONFIRM.format(when=esc(describe(at, zone, now(context))))] + [esc(q) for q in questions]
    buttons = keyboard([("✅ Yes", data("ok")), ("✏️ Change", data("change"))])
    await reply(update, "\n".join(lines), buttons)
    return State.CONFIRM


async def on_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """One of the two readings of an ambiguous date."""
    parsed = parse_at(update.callback_query.data)
    await mark_answered(update)
    if parsed is None:
        return None
    at = datetime.fromtimestamp(int(parsed[0]), UTC)
    async with unit_of_work(context) as uow:
        zone, quiet = await service.user_clock(uow, update.effective_user.id)
    return await _confirm(update, context, at, zone, check_moment(at, now(context), zone, quiet).questions)


async def on_confirmed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """Yes: a moved meeting is saved now; a new one asks how you'll talk."""
    await mark_answered(update)
    pending = context.user_data.get(PENDING) or {}
    if "at" not in pending:
        return ConversationHandler.END
    if "move" in pending:
        return await _save_move(update, context, pending)
    rows = [[(fmt.label + f" ({fmt.minutes} min)", data("fmt", fmt.value))] for fmt in MeetingFormat]
    await reply(update, ASK_FORMAT, keyboard(*rows))
    return State.FORMAT


async def on_change(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    await mark_answered(update)
    return await _ask_when(update, context)


async def on_format(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    parsed = parse_format(update.callback_query.data)
    await mark_answered(update)
    if parsed is None:
        return None
    context.user_data[PENDING]["format"] = parsed[0]
    await reply(update, ASK_PLACE, keyboard([("Skip", data("noplace"))]))
    return State.PLACE


async def on_place(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    place = update.message.text.strip()
    if len(place) > MAX_PLACE_CHARS:  # asked again, never cut: a cut link leads nowhere
        await reply(
            update,
            PLACE_TOO_LONG.format(length=len(place), limit=MAX_PLACE_CHARS),
            keyboard([("Skip", data("noplace"))]),
        )
        return None
    return await _save_new(update, context, place or None)


async def on_no_place(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    await mark_answered(update)
    return await _save_new(update, context, None)


async def _save_new(update: Update, context: ContextTypes.DEFAULT_TYPE, place: str | None) -> int:
    """Book it: the meeting, the contact's stage, the reminders; then the words and the calendar file."""
    pending = context.user_data.pop(PENDING, {})
    at = datetime.fromtimestamp(int(pending.get("at", 0)), UTC)
    fmt = MeetingFormat(pending.get("format", MeetingFormat.VIDEO))
    async with unit_of_work(context) as uow:
        booked = await service.schedule_meeting(
            uow, update.effective_user.id, int(pending.get("contact", 0)), at, fmt, place, now(context)
        )
    await _send_booking(update, context, booked, SAVED)
    return ConversationHandler.END


async def _save_move(update: Update, context: ContextTypes.DEFAULT_TYPE, pending: dict) -> int:
    context.user_data.pop(PENDING, None)
    at = datetime.fromtimestamp(int(pending["at"]), UTC)
    async with unit_of_work(context) as uow:
        moved = await service.move_meeting(uow, update.effective_user.id, int(pending["move"]), at, now(context))
    await _send_booking(update, context, moved, MOVED)
    return ConversationHandler.END


async def _send_booking(
    update: Update, context: ContextTypes.DEFAULT_TYPE, booked: service.Scheduled, text: str
) -> None:
    if booked.missing or booked.starts_at is None:
        await reply(update, NOTHING_TO_MOVE)
        return
    when = describe(booked.starts_at, booked.zone, now(context))
    await reply(
        update,
        text.format(name=esc(booked.contact_name), when=esc(when), minutes=booked.minutes,
                    format=esc(booked.format.label.split(" ", 1)[-1].lower())),
    )  # fmt: skip
    document = BytesIO(booked.ics)
    await update.effective_chat.send_document(
        document,
        filename="meeting.ics",
        caption="📅 Add it to your calendar",
        reply_markup=keyboard(
            [("❓ Pick questions", data("qp", booked.meeting_id, Tiara.TRENDS.value)),
             ("📋 Prep pack", data("prep", booked.meeting_id))]
        ),
    )  # fmt: skip


async def cancel_flow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    context.user_data.pop(PENDING, None)
    await reply(update, STOPPED)
    return ConversationHandler.END


# Cancelling from the card -----------------------------------------------------------------------------------


async def on_cancel_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The card's "Cancel the meeting" asks once; the confirmation cancels it and its reminders."""
    raw = update.callback_query.data
    parsed = parse_cancel(raw)
    if parsed is None:
        await answer(update, copy.STALE_BUTTON)
        return
    meeting_id = int(parsed[0])
    await mark_answered(update)
    if raw.startswith("mt:cancel:"):
        await reply(update, "Cancel this meeting and its reminders?",
                    keyboard([("Yes, cancel it", data("cancelok", meeting_id)), ("Keep it", data("keep"))]))  # fmt: skip
        return
    async with unit_of_work(context) as uow:
        name = await service.cancel_meeting(uow, update.effective_user.id, meeting_id, now(context))
    await reply(update, CANCELLED.format(name=esc(name)) if name is not None else NOTHING_TO_MOVE)


HAPPENED = (
    "🎉 Well done for having the conversation with <b>{name}</b>! Send a short thank-you within 24 hours, "
    "and mention one thing they said that stayed with you."
)
NO_SHOW = (
    "That happens, and it's rarely personal. I've put <b>{name}</b> back to waiting: a short, friendly note "
    "offering a new time is fine, and 📅 on their card books it."
)


async def on_settle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """After the meeting time: it happened, or they didn't show. Once; an old press changes nothing."""
    parsed = parse_settle(update.callback_query.data)
    if parsed is None:
        await answer(update, copy.STALE_BUTTON)
        return
    await mark_answered(update)
    async with unit_of_work(context) as uow:
        name = await service.settle_meeting(
            uow, update.effective_user.id, int(parsed[1]), parsed[0] == "done", now(context)
        )
    if name is None:
        await reply(update, NOTHING_TO_MOVE)
    elif parsed[0] == "done":  # an older card's button: the reflection is one tap away
        await reply(
            update, HAPPENED.format(name=esc(name)), keyboard([("📝 Reflect now", build("rf", "go", parsed[1]))])
        )
    else:
        await reply(update, NO_SHOW.format(name=esc(name)))


async def on_keep(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await mark_answered(update)


def build_meeting_handler() -> ConversationHandler:
    typed = filters.TEXT & ~filters.COMMAND
    pick_a_button = MessageHandler(~filters.COMMAND, say(copy.PICK_A_BUTTON))
    return persistent_conversation(
        "meeting",
        entry_points=[
            CommandHandler("meeting", start_command),
            CallbackQueryHandler(start_for_contact, pattern=r"^mt:new:"),
            CallbackQueryHandler(start_move, pattern=r"^mt:move:"),
            CallbackQueryHandler(ask_own_question, pattern=r"^mt:qo:"),
        ],
        states={
            State.PICK: [CallbackQueryHandler(start_for_contact, pattern=r"^mt:new:"), pick_a_button],
            State.WHEN: [
                MessageHandler(typed, on_when),
                MessageHandler(
                    ~filters.COMMAND, say(copy.TEXT_ONLY.format(prompt_hint="Type the day and time, or /cancel."))
                ),
            ],
            State.CONFIRM: [
                CallbackQueryHandler(on_confirmed, pattern=r"^mt:ok$"),
                CallbackQueryHandler(on_change, pattern=r"^mt:change$"),
                CallbackQueryHandler(on_choice, pattern=r"^mt:at:"),
                MessageHandler(typed, on_when),
            ],
            State.FORMAT: [CallbackQueryHandler(on_format, pattern=r"^mt:fmt:"), pick_a_button],
            State.OWN_QUESTION: [MessageHandler(typed, on_own_question)],
            State.PLACE: [
                CallbackQueryHandler(on_no_place, pattern=r"^mt:noplace$"),
                MessageHandler(typed, on_place),
            ],
        },
        fallbacks=flow_fallbacks(PENDING, on_cancel=cancel_flow, prefix=r"^mt:(ok|change|at|fmt|noplace):"),
        allow_reentry=True,
    )


def build_handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(on_cancel_button, pattern=r"^mt:(cancel|cancelok):"),
        CallbackQueryHandler(on_keep, pattern=r"^mt:keep$"),
        CallbackQueryHandler(on_settle, pattern=r"^mt:(done|noshow):"),
        CallbackQueryHandler(on_pick, pattern=r"^mt:qp:"),
        CallbackQueryHandler(on_toggle, pattern=r"^mt:qt:"),
        CallbackQueryHandler(on_prep_button, pattern=r"^mt:prep:"),
        CommandHandler("prep", prep_command),
    ]


# Questions and the prep pack -------------------------------------------------------------------------------

parse_pick = parser(rf"^mt:qp:{ID}:({'|'.join(Tiara)})$")
parse_toggle = parser(rf"^mt:qt:{ID}:([a-z0-9-]{{1,12}})$")
parse_own = parser(rf"^mt:qo:{ID}$")
parse_prep = parser(rf"^mt:prep:{ID}$")
NO_MEETING = "No meeting on the calendar yet. /meeting books one."


def _picker(chosen: service.Chosen, tiara: Tiara) -> tuple[str, object]:
    """One TIARA kind's questions as toggles, the count against what fits the time, and the tabs."""
    low, high = suggested_count(chosen.minutes)
    count = len(chosen.ids) + len(chosen.own)
    warning = (
        f"\n⚠️ That's more than {high} for {chosen.minutes} minutes: leave time for their answers."
        if count > high
        else ""
    )
    text = (
        f"❓ Questions for <b>{esc(chosen.contact_name)}</b>: {count} chosen ({low}–{high} fit {chosen.minutes} "
        f'minutes, 3–4 each). "Who else should I talk to?" is always last.{warning}\n\n<b>{TIARA_LABELS[tiara]}</b>'
    )
    rows = []
    for q in questions_for(tiara):
        mark = "☑️" if q.id in chosen.ids else "▫️"
        rows.append(
            [(f"{mark} {render_question(q, chosen.field, chosen.company)}"[:60], data("qt", chosen.meeting_id, q.id))]
        )
    tabs = [(TIARA_LABELS[t].split()[0], data("qp", chosen.meeting_id, t.value)) for t in Tiara if t is not tiara]
    rows.append(tabs)
    rows.append([("✍️ Add my own", data("qo", chosen.meeting_id)), ("📋 Prep pack", data("prep", chosen.meeting_id))])
    return text, keyboard(*rows)


async def on_pick(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A TIARA tab (or "Pick questions"): show that kind's questions."""
    parsed = parse_pick(update.callback_query.data)
    await answer(update)
    if parsed is None:
        return
    async with unit_of_work(context) as uow:
        chosen = await service.chosen_questions(uow, update.effective_user.id, int(parsed[0]))
    if chosen is None:
        await reply(update, NOTHING_TO_MOVE)
        return
    await edit_or_send(update, *_picker(chosen, Tiara(parsed[1])))


async def on_toggle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Tick or untick a question; the picker is redrawn in place."""
    parsed = parse_toggle(update.callback_query.data)
    await answer(update)
    if parsed is None:
        return
    async with unit_of_work(context) as uow:
        chosen = await service.toggle_question(uow, update.effective_user.id, int(parsed[0]), parsed[1])
    if chosen is None:
        await reply(update, NOTHING_TO_MOVE)
        return
    bank = question_by_id(parsed[1])
    await edit_or_send(update, *_picker(chosen, bank.tiara if bank else Tiara.TRENDS))


async def ask_own_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    parsed = parse_own(update.callback_query.data)
    await answer(update)
    if parsed is None:
        return ConversationHandler.END
    async with unit_of_work(context) as uow:
        chosen = await service.chosen_questions(uow, update.effective_user.id, int(parsed[0]))
    if chosen is None:
        await reply(update, NOTHING_TO_MOVE)
        return ConversationHandler.END
    if len(chosen.own) >= MAX_OWN_QUESTIONS:
        await reply(update, OWN_FULL.format(most=MAX_OWN_QUESTIONS))
        return ConversationHandler.END
    context.user_data[PENDING] = {"questions_for": int(parsed[0])}
    await reply(update, "✍️ Type your question.\n<i>Example: How did the move to remote work change your team?</i>")
    return State.OWN_QUESTION


async def on_own_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
    try:
        text = clean_text(update.message.text, max_chars=200, what="your question")
    except InvalidAnswer as problem:
        await reply(update, str(problem))
        return None
    meeting_id = int((context.user_data.pop(PENDING, None) or {}).get("questions_for", 0))
    async with unit_of_work(context) as uow:
        result = await service.add_own_question(uow, update.effective_user.id, meeting_id, text)
    if result.chosen is None:
        await reply(update, NOTHING_TO_MOVE)
        return ConversationHandler.END
    if result.full:
        await reply(update, OWN_FULL.format(most=MAX_OWN_QUESTIONS))
    elif result.duplicate:
        await reply(update, OWN_DUPLICATE)
    await reply(update, *_picker(result.chosen, Tiara.TRENDS))
    return ConversationHandler.END


def _prep_keyboard(prep: Pack):
    cid, mid = prep.contact_id, prep.meeting_id
    rows = [[("❓ Questions", data("qp", mid, Tiara.TRENDS.value))]]
    fixes = []
    if not prep.company_notes:
        fixes.append(("🏢 Company notes", build("ct", "note", "company_notes", cid)))
    if not prep.offer:
        fixes.append(("🎁 Something to offer", build("ct", "note", "offer", cid)))
    if fixes:
        rows.append(fixes)
    return keyboard(*rows)


async def show_prep(update: Update, context: ContextTypes.DEFAULT_TYPE, meeting_id: int | None) -> None:
    async with unit_of_work(context) as uow:
        prep = await service.prep_pack(uow, update.effective_user.id, meeting_id, now(context))
    if prep is None:
        await reply(update, NO_MEETING)
        return
    await reply(update, render_pack(prep, now(context)), _prep_keyboard(prep))


async def prep_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/prep: the prep pack for the next meeting on the calendar."""
    await show_prep(update, context, None)


async def on_prep_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    parsed = parse_prep(update.callback_query.data)
    await answer(update)
    await show_prep(update, context, int(parsed[0]) if parsed else 0)
