"""After the meeting: the reflection (/reflect), its plan and thank-you, the notes that keep in touch,
the keep-in-touch cadence per contact, and /insights with its progress chart."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from enum import StrEnum
from zoneinfo import ZoneInfo

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
from coaching.contacts import MAX_CONTACTS
from coaching.defaults import KEEP_IN_TOUCH_CHOICES
from coaching.enums import DraftKind
from coaching.insights import enough_for_chart
from coaching.keep_in_touch import period_words
from coaching.reflection import (
    MAX_ANSWER_CHARS,
    MAX_REFERRALS,
    STEPS,
    TOKEN_IDEAS,
    UNREADABLE,
    FieldFit,
    overlong_referral,
    read_typed,
    too_long,
)
from coaching.templates import Draft
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
    unit_of_work,
)
from services import after as service
from services.charts import render_progress_png

PENDING = "reflect"  # scratch data: {"id": reflection id}


class State(StrEnum):
    ANSWER = "reflect_answer"


def data(*parts: object) -> str:
    return build("rf", *parts)


def note_data(*parts: object) -> str:
    return build("af", *parts)


_NOTES = {
    "ty": DraftKind.THANK_YOU,
    "rb": DraftKind.REPORT_BACK,
    "kt": DraftKind.KEEP_IN_TOUCH,
    "nn": DraftKind.NOT_NOW,
}
_CODES = {kind: code for code, kind in _NOTES.items()}
_VALUE = r"([1-5]|yes|unsure|no|skip)"

parse_go = parser(rf"^rf:go:{ID}$")
parse_contact = parser(rf"^rf:ct:{ID}$")
parse_answer = parser(rf"^rf:a:{ID}:(\d):{_VALUE}$")
parse_end = parser(rf"^rf:end:{ID}:(\d)$")
parse_note = parser(rf"^af:(n|s):({'|'.join(_NOTES)}):{ID}$")
parse_touch = parser(rf"^af:t:{ID}$")
parse_cadence = parser(rf"^af:c:{ID}$")
parse_set_cadence = parser(rf"^af:cs:{ID}:(\d{{1,3}}|x)$")
parse_plan = parser(rf"^af:p:{ID}$")

NOTHING_TO_REFLECT = (
    "No conversation to reflect on yet. After a meeting, tap ✅ It happened on the contact's card, "
    "or wait for my message an hour after it ends."
)
PICK = "📝 Which conversation would you like to reflect on?"
ASKED = "📝 <b>{name}</b> · question {number} of {total}\n\n{prompt}{example}"
TYPE_OR_SKIP = "\n\nType your answer, or tap Skip."
ALREADY_DONE = "You've already reflected on this conversation. /insights shows what you've learned so far."
NOT_CURRENT = "That question is already answered; here's where we are."
SAVED_ALREADY = "This reflection is saved already. /insights shows what you've learned so far."
STOPPED = "Paused. Your answers so far are saved; /reflect picks up where you left off."
USE_BUTTONS = "Tap a button above, or type Skip."
GONE = "That conversation isn't in your records any more."
ARCHIVED = "<b>{name}</b> is archived. Unarchive them on their card first (/contacts)."
NOT_MET = "<b>{name}</b> isn't marked as met yet. After your conversation, ✅ It happened on their card starts the reflection."
READY_TO_REFLECT = "📝 Nine short questions, each one skippable. Ready?"
TOO_LONG = (
    "That's {length:,} characters; I keep answers up to {limit:,}. Could you send the gist in fewer words? "
    "Longer notes fit on their card (company notes, notes about them)."
)
REFERRAL_TOO_LONG = (
    "That's {length:,} characters for a {what}; I keep up to {limit:,}, as on a contact's card. Could you "
    "shorten it? One person per line, with their company if you know it, e.g. <i>Sam Park (Globex)</i>."
)


# The reflection ----------------------------------------------------------------------------------------------


async def start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """/reflect: the one conversation to reflect on, or a choice of them."""
    async with unit_of_work(context) as uow:
        found = await service.to_reflect_on(uow, update.effective_user.id, now(context))
    if not found:
        await reply(update, NOTHING_TO_REFLECT)
        return ConversationHandler.END
    if len(found) == 1:
        return await _begin(update, context, meeting_id=found[0].meeting_id, contact_id=found[0].contact_id)
    rows = [
        [(f"🗣 {c.name}"[:60], data("go", c.meeting_id) if c.meeting_id else data("ct", c.contact_id))]
        for c in found[:8]
    ]
    await reply(update, PICK, keyboard(*rows))
    return ConversationHandler.END


async def start_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """ "It happened" on a card or on the reminder, or a name picked under /reflect."""
    raw = update.callback_query.data
    by_meeting, by_contact = parse_go(raw), parse_contact(raw)
    await mark_answered(update)
    if by_meeting is not None:
        return await _begin(update, context, meeting_id=int(by_meeting[0]))
    if by_contact is not None:
        return await _begin(update, context, contact_id=int(by_contact[0]))
    await reply(update, copy.STALE_BUTTON)
    return ConversationHandler.END


async def _begin(update: Update, context: ContextTypes.DEFAULT_TYPE, **which: int) -> str | int:
    async with unit_of_work(context) as uow:
        step = await service.start(uow, update.effective_user.id, now(context), **which)
    if step.missing:
        await reply(update, GONE)
        return ConversationHandler.END
    if step.already_done:
        await reply(update, ALREADY_DONE)
        return ConversationHandler.END
    if step.not_met:
        await reply(update, NOT_MET.format(name=esc(step.contact_name)))
        return ConversationHandler.END
    context.user_data[PENDING] = {"id": step.reflection_id}
    return await _next(update, context, step)


async def _next(update: Update, context: ContextTypes.DEFAULT_TYPE, step: service.Step) -> str | int:
    """Ask the next question, or close the reflection and show what it produced."""
    if step.finished:
        return await _finish(update, context, step.reflection_id)
    await reply(update, *_question(step))
    return State.ANSWER


def _question(step: service.Step) -> tuple[str, object]:
    question = STEPS[step.index]
    example = f"\n<i>Example: {question.example}</i>" if question.example else ""
    prompt = question.prompt.format(name=esc(step.contact_name))
    text = ASKED.format(name=esc(step.contact_name), number=step.index + 1, total=len(STEPS), prompt=prompt,
                        example=example)  # fmt: skip
    rid, index = step.reflection_id, step.index
    rows: list[list[tuple[str, str]]] = []
    if question.kind == "rating":
        rows.append([(str(n), data("a", rid, index, n)) for n in range(1, 6)])
    elif question.kind == "fit":
        rows.append([(label, data("a", rid, index, fit.value)) for label, fit in _FIT_LABELS])
    else:
        text += TYPE_OR_SKIP
    rows.append([("⏭ Skip", data("a", rid, index, "skip")), ("⏹ Finish here", data("end", rid, index))])
    return text, keyboard(*rows)


_FIT_LABELS = (("👍 Yes", FieldFit.YES), ("🤔 Unsure", FieldFit.UNSURE), ("👎 No", FieldFit.NO))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
    """A rating, a yes/unsure/no, Skip or Finish here: for the question it was shown with, once."""
    raw = update.callback_query.data
    answered, ended = parse_answer(raw), parse_end(raw)
    if answered is None and ended is None:
        await answer(update, copy.STALE_BUTTON)
        return None
    await mark_answered(update)
    user_id = update.effective_user.id
    async with unit_of_work(context) as uow:
        if ended is not None:
            step = await service.skip_rest(uow, user_id, int(ended[0]), int(ended[1]))
        else:
            rid, index, value = int(answered[0]), int(answered[1]), answered[2]
            typed: str | int | None = None if value == "skip" else int(value) if value.isdigit() else value
            step = await service.answer(uow, user_id, rid, index, typed, now(context), by_button=True)
    return await _after_answer(update, context, step)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
    """A typed answer: text for the open questions; a number or yes/unsure/no where buttons are offered."""
    pending = context.user_data.get(PENDING) or {}
    text = update.message.text.strip()
    value: object = None
    overlong: tuple[str, int, int] | None = None
    async with unit_of_work(context) as uow:
        step = await service.current(uow, update.effective_user.id, int(pending.get("id", 0)))
        if step.missing or step.finished:
            step = replace(step, stale=True)  # nothing open to answer
        else:
            value = read_typed(STEPS[step.index], text)
            # Asked again, never cut: nothing is saved and the question stays open.
            if isinstance(value, str) and too_long(value):
                value = _TOO_LONG
            elif isinstance(value, str):
                overlong = overlong_referral(STEPS[step.index], value)  # a person suggested becomes a contact
            if value is not UNREADABLE and value is not _TOO_LONG and overlong is None:
                step = await service.answer(uow, update.effective_user.id, step.reflection_id, step.index, value,
                                            now(context))  # fmt: skip
    if value is UNREADABLE:
        await reply(update, USE_BUTTONS)
        return None
    if value is _TOO_LONG:
        await reply(update, TOO_LONG.format(length=len(text), limit=MAX_ANSWER_CHARS))
        return None
    if overlong is not None:
        what, length, limit = overlong
        await reply(update, REFERRAL_TOO_LONG.format(what=what, length=length, limit=limit))
        return None
    return await _after_answer(update, context, step)


_TOO_LONG = object()


async def _after_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, step: service.Step) -> str | int:
    if step.missing:
        context.user_data.pop(PENDING, None)
        await reply(update, GONE)
        return ConversationHandler.END
    if step.stale and step.finished:  # a double tap on the last question, or an old button
        context.user_data.pop(PENDING, None)
        await reply(update, SAVED_ALREADY)
        return ConversationHandler.END
    if step.stale:
        await reply(update, NOT_CURRENT)
    context.user_data[PENDING] = {"id": step.reflection_id}
    return await _next(update, context, step)


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, copy.TEXT_ONLY.format(prompt_hint="Type your answer, or tap Skip."))


async def cancel_flow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    context.user_data.pop(PENDING, None)
    await reply(update, STOPPED)
    return ConversationHandler.END


SAVED = "✅ <b>Reflection saved: {name}.</b>"
EMPTY = "Nothing noted this time, and that's fine: the conversation counts all the same."
PLAN_TITLE = "\n\n<b>Now what: your plan</b> (kept in /today until you tick it off)"
REFERRALS = "\n\n👥 Added to your list, linked to {name}: {people}. Drafting to them puts {name} first."
LEFT_OUT = (
    "\n\n✋ I add up to {most} people from one conversation, so these weren't added: {people}. "
    "/add puts them on your list."
)
OVER_LIMIT = (
    "\n\n✋ Your list is full ({most:,} contacts), so these weren't added: {people}. "
    "Delete a few contacts you won't need (archived ones count too), then /add them."
)
TOKEN = "\n\n🎁 They gave you a lead: a small token of thanks is a kind touch, such as " + TOKEN_IDEAS + "."
INSIGHTS_HINT = "\n\n/insights shows what you've learned across all your conversations."
_PLAN_ICONS = {"send": "📤", "resume": "📄", "reach": "👥", "explore": "🧭", "ask": "❓"}


async def _finish(update: Update, context: ContextTypes.DEFAULT_TYPE, reflection_id: int) -> int:
    context.user_data.pop(PENDING, None)
    async with unit_of_work(context) as uow:
        summary = await service.finish(uow, update.effective_user.id, reflection_id, now(context))
    if summary.missing:
        await reply(update, GONE)
        return ConversationHandler.END
    await reply(update, _summary_text(summary))
    if summary.thank_you is not None:
        await _send_note(update, summary.contact_id, summary.contact_name, summary.thank_you)
    return ConversationHandler.END


def _summary_text(summary: service.Summary) -> str:
    name = esc(summary.contact_name)
    text = SAVED.format(name=name)
    if summary.empty:
        text += "\n" + EMPTY
    if summary.plan:
        text += PLAN_TITLE + "".join(f"\n{_PLAN_ICONS.get(kind, '•')} {esc(item)}" for _id, kind, item in summary.plan)
    if summary.referrals:
        people = ", ".join(esc(person) for _id, person in summary.referrals)
        text += REFERRALS.format(name=name, people=people)
    if summary.over_limit:
        text += OVER_LIMIT.format(most=MAX_CONTACTS, people=", ".join(esc(who) for who in summary.over_limit))
    if summary.left_out:
        text += LEFT_OUT.format(most=MAX_REFERRALS, people=", ".join(esc(who) for who in summary.left_out))
    if summary.token:
        text += TOKEN
    return text + INSIGHTS_HINT


# The notes: thank-you, report back, keep in touch, the re-ask -----------------------------------------------

NOTE_TITLES = {
    DraftKind.THANK_YOU: "💌 <b>Thank-you note for {name}</b> (best sent within 24 hours)",
    DraftKind.REPORT_BACK: "📣 <b>An update for {name}</b>: what came of their advice",
    DraftKind.KEEP_IN_TOUCH: "🤝 <b>A hello for {name}</b>: something useful to them, no ask",
    DraftKind.NOT_NOW: "🌱 <b>A gentle check-in with {name}</b>",
}
NOTE_TIP = "\n\nMake it sound like you, then send it yourself. Tap below once it's sent."
THANKED = "✅ Thank-you logged for <b>{name}</b>. In {weeks} I'll remind you to tell them what came of their advice."
TOUCHED = "✅ Logged. Next reminder to be in touch with <b>{name}</b>: {when}."
TOUCHED_OFF = "✅ Logged. Keep-in-touch reminders for <b>{name}</b> are off."
REASKED = "✅ Sent. The follow-up clock for <b>{name}</b> starts again, as for a new request."
ALREADY_THANKED = "You've already logged the thank-you to <b>{name}</b>."
NOT_NOW_OVER = "<b>{name}</b> has answered since, so there's nothing to ask again."


def _note_text(kind: DraftKind, name: str, draft: Draft) -> str:
    return f"{NOTE_TITLES[kind].format(name=esc(name))}\n\n<pre>{esc(draft.full_text())}</pre>{NOTE_TIP}"


async def _send_note(update: Update, contact_id: int, name: str, draft: Draft) -> None:
    kind = draft.kind
    await reply(update, _note_text(kind, name, draft),
                keyboard([("✅ I sent it", note_data("s", _CODES[kind], contact_id))]))  # fmt: skip


async def open_note(update: Update, context: ContextTypes.DEFAULT_TYPE, contact_id: int, kind: DraftKind) -> None:
    """Show the note for a contact (from a reminder, /today or the card)."""
    async with unit_of_work(context) as uow:
        note = await service.note_for(uow, update.effective_user.id, contact_id, kind)
    if note.missing:
        await reply(update, GONE)
    elif note.draft is None:
        await reply(update, NOT_NOW_OVER.format(name=esc(note.contact_name)))
    elif kind is DraftKind.THANK_YOU and note.sent:
        await reply(update, ALREADY_THANKED.format(name=esc(note.contact_name)))
    else:
        await _send_note(update, contact_id, note.contact_name, note.draft)


async def on_note_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """ "af:n": show a note; "af:s": it was sent (once; a second press says it's logged already)."""
    parsed = parse_note(update.callback_query.data)
    if parsed is None:
        await answer(update, copy.STALE_BUTTON)
        return
    action, kind, contact_id = parsed[0], _NOTES[parsed[1]], int(parsed[2])
    if action == "n":
        await answer(update)
        await open_note(update, context, contact_id, kind)
        return
    await mark_answered(update)
    async with unit_of_work(context) as uow:
        done = await service.note_sent(uow, update.effective_user.id, contact_id, kind, now(context))
    await reply(update, _sent_text(kind, done))


def _sent_text(kind: DraftKind, done: service.Touched) -> str:
    name = esc(done.contact_name)
    if done.missing or done.archived:
        return _gone(done)
    if kind is DraftKind.THANK_YOU:
        return ALREADY_THANKED.format(name=name) if done.already else THANKED.format(name=name, weeks=_weeks(done))
    if kind is DraftKind.NOT_NOW:
        return NOT_NOW_OVER.format(name=name) if done.already else REASKED.format(name=name)
    return _touched_text(done)


def _weeks(done: service.Touched) -> str:
    return "a few weeks" if done.next_due is None else _when(done)


def _when(done: service.Touched) -> str:
    return f"{done.next_due.astimezone(ZoneInfo(done.zone)):%a %d %b}" if done.next_due else ""


def _gone(done: service.Touched) -> str:
    return ARCHIVED.format(name=esc(done.contact_name)) if done.archived else GONE


def _touched_text(done: service.Touched) -> str:
    if done.missing or done.archived:
        return _gone(done)
    name = esc(done.contact_name)
    return TOUCHED.format(name=name, when=_when(done)) if done.next_due else TOUCHED_OFF.format(name=name)


async def on_touch(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """ "We were in touch" on the card: the keep-in-touch clock starts again from now."""
    parsed = parse_touch(update.callback_query.data)
    if parsed is None:
        await answer(update, copy.STALE_BUTTON)
        return
    await answer(update)
    async with unit_of_work(context) as uow:
        done = await service.log_touch(uow, update.effective_user.id, int(parsed[0]), now(context))
    await reply(update, _touched_text(done))


# The cadence ---------------------------------------------------------------------------------------------------

CADENCE = (
    "⏱ How often should I remind you to be in touch with <b>{name}</b>? Now: {current}.\n"
    "Any interaction you log starts the clock again."
)


async def on_cadence(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    parsed = parse_cadence(update.callback_query.data)
    if parsed is None:
        await answer(update, copy.STALE_BUTTON)
        return
    await answer(update)
    contact_id = int(parsed[0])
    async with unit_of_work(context) as uow:
        view = await service.cadence_view(uow, update.effective_user.id, contact_id)
    if view is None:
        await reply(update, GONE)
        return
    current = (
        "off"
        if view.stopped
        else f"every {period_words(view.days)}"
        if view.days
        else f"every {period_words(view.default_days)} (your default)"
    )
    choices = [(f"Every {period_words(d)}", note_data("cs", contact_id, d)) for d in KEEP_IN_TOUCH_CHOICES]
    await reply(update, CADENCE.format(name=esc(view.contact_name), current=current),
                keyboard(choices, [("↩️ My default", note_data("cs", contact_id, 0)),
                                   ("🔕 Stop", note_data("cs", contact_id, "x"))]))  # fmt: skip


async def on_set_cadence(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    parsed = parse_set_cadence(update.callback_query.data)
    if parsed is None or (parsed[1] != "x" and int(parsed[1]) not in (0, *KEEP_IN_TOUCH_CHOICES)):
        await answer(update, copy.STALE_BUTTON)
        return
    await mark_answered(update)
    days = None if parsed[1] == "x" else int(parsed[1])
    async with unit_of_work(context) as uow:
        done = await service.set_cadence(uow, update.effective_user.id, int(parsed[0]), days, now(context))
    if done.missing or done.archived:
        await reply(update, _gone(done))
    elif done.next_due is None:
        await reply(update, f"🔕 No more keep-in-touch reminders for <b>{esc(done.contact_name)}</b>.")
    else:
        await reply(update, f"⏱ Saved. Next reminder about <b>{esc(done.contact_name)}</b>: {_when(done)}.")


# The plan in /today -----------------------------------------------------------------------------------------


async def on_plan_done(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    parsed = parse_plan(update.callback_query.data)
    if parsed is None:
        await answer(update, copy.STALE_BUTTON)
        return
    async with unit_of_work(context) as uow:
        text = await service.plan_done(uow, update.effective_user.id, int(parsed[0]), now(context))
    if text is None:
        await answer(update, "Nothing to tick off: that step is done already, or gone.")
        return
    await answer(update, "Ticked off ✅")
    await reply(update, f"✅ Done: {esc(text)}")


# /insights ---------------------------------------------------------------------------------------------------


async def insights_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What the user has learned across all conversations, with the progress chart when there's enough."""
    async with unit_of_work(context) as uow:
        found = await service.insights_of(uow, update.effective_user.id, now(context))
    if not found.html:
        await reply(update, "Send /start first, and I'll set up your profile.")
        return
    await reply(update, found.html)
    if found.progress is not None and enough_for_chart(found.progress):
        await send_chart(update, found.progress)


async def send_chart(update: Update, progress) -> None:
    """Render off the event loop (about 20 ms of CPU each), so other users are not held up."""
    png = await asyncio.to_thread(render_progress_png, progress)
    await update.effective_chat.send_photo(png, caption="Your progress: the funnel, and conversations per week.")


def build_reflect_handler() -> ConversationHandler:
    typed = filters.TEXT & ~filters.COMMAND
    return persistent_conversation(
        "reflect",
        entry_points=[
            CommandHandler("reflect", start_command),
            CallbackQueryHandler(start_button, pattern=r"^rf:(go|ct):"),
            # A question's button after the flow timed out or the bot restarted: pick up where it was.
            CallbackQueryHandler(on_button, pattern=r"^rf:(a|end):"),
        ],
        states={
            State.ANSWER: [
                CallbackQueryHandler(on_button, pattern=r"^rf:(a|end):"),
                MessageHandler(typed, on_text),
                MessageHandler(~filters.COMMAND, on_other),
            ],
        },
        fallbacks=flow_fallbacks(PENDING, on_cancel=cancel_flow, prefix=r"^rf:(a|end):"),
        allow_reentry=True,
    )


def build_handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(on_note_button, pattern=r"^af:(n|s):"),
        CallbackQueryHandler(on_touch, pattern=r"^af:t:"),
        CallbackQueryHandler(on_cadence, pattern=r"^af:c:"),
        CallbackQueryHandler(on_set_cadence, pattern=r"^af:cs:"),
        CallbackQueryHandler(on_plan_done, pattern=r"^af:p:"),
        CommandHandler("insights", insights_command),
    ]
