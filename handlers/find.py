"""/find: a guided brainstorm that ends with real names on a list and a ranked short list of employers."""

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
from coaching.contact_copy import BRAINSTORM
from coaching.contacts import MAX_CONTACTS, parse_name_lines
from coaching.defaults import MAX_EMPLOYERS, MAX_EMPLOYERS_AT_ONCE, MAX_NAMES_AT_ONCE
from handlers.callbacks import build
from handlers.common import (
    answer,
    esc,
    flow_fallbacks,
    keyboard,
    mark_answered,
    persistent_conversation,
    reply,
    say,
    unit_of_work,
)
from handlers.contacts import employers_text
from handlers.flowgraph import leads_to
from services import contacts as contact_service

STEP, RATING = "find_step", "find_rating"
PREFIX = r"^fd:"


def data(*parts: object) -> str:
    """This flow's callback data: ``fd:<what>[:<value>]``, checked for Telegram's 64 bytes."""
    return build("fd", *parts)


class State(StrEnum):
    BRAINSTORM = "find_brainstorm"
    EMPLOYERS = "find_employers"
    MOTIVATION = "find_motivation"
    KNOWS = "find_knows"


def _brainstorm_keyboard(context: ContextTypes.DEFAULT_TYPE):
    """Next (carrying the question it moves on from, so a double tap moves on once) and On to employers."""
    step = context.user_data.get(STEP, 0)
    return keyboard([(text.FIND_NEXT, data("next", step)), (text.FIND_TO_EMPLOYERS, data("emp"))])


async def _ask_step(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """Ask the current brainstorm question, filled in from the profile."""
    index = context.user_data.get(STEP, 0)
    if index >= len(BRAINSTORM):
        await reply(update, text.ASK_EMPLOYERS, keyboard([(text.FIND_FINISH, data("finish"))]))
        return State.EMPLOYERS
    step = BRAINSTORM[index]
    async with unit_of_work(context) as uow:
        field, roles = await contact_service.profile_words(uow, update.effective_user.id, update.effective_chat.id)
    question = step.question.format(field=esc(field or "your field"), roles=esc(roles or "the role you want"))
    await reply(
        update,
        f"<b>{index + 1}/{len(BRAINSTORM)} · {step.title}</b>\n{question}\n<i>For example: {step.examples}</i>",
        _brainstorm_keyboard(context),
    )
    return State.BRAINSTORM


@leads_to(State.BRAINSTORM)
async def start_find(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """/find: explain, then ask the first question."""
    context.user_data[STEP] = 0
    context.user_data.pop(RATING, None)
    await reply(update, text.FIND_INTRO)
    return await _ask_step(update, context)


async def on_names(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """Names typed for the current question: add each as a contact to research, noting where it came from."""
    lines = _lines(update.message.text)
    if len(lines) > MAX_NAMES_AT_ONCE:  # asked again, never cut: nothing is added from this message
        await reply(update, text.TOO_MANY_NAMES.format(count=len(lines), most=MAX_NAMES_AT_ONCE))
        return None
    try:
        entries = parse_name_lines("\n".join(lines), limit=MAX_NAMES_AT_ONCE)
    except InvalidAnswer as problem:
        await reply(update, str(problem))
        return None
    if not entries:  # "-", "•" or nothing but bullets: no one to add, and nothing to count
        await reply(update, text.FIND_NO_NAMES, _brainstorm_keyboard(context))
        return None
    step = BRAINSTORM[min(context.user_data.get(STEP, 0), len(BRAINSTORM) - 1)]
    async with unit_of_work(context) as uow:
        result = await contact_service.add_people(uow, update.effective_user.id, entries, source=step.key)
    if result.limit_reached and not result.added:
        await reply(update, text.LIMIT_REACHED.format(limit=MAX_CONTACTS))
        return None
    lines = []
    if result.added:
        names = ", ".join(esc(name) + (f" ({esc(company)})" if company else "") for name, company in result.added)
        lines.append(text.FIND_ADDED.format(count=len(result.added), names=names))
    if result.duplicates:
        lines.append(text.FIND_ALREADY_THERE.format(names=", ".join(esc(name) for name in result.duplicates)))
    if result.limit_reached:
        lines.append(text.LIMIT_REACHED.format(limit=MAX_CONTACTS))
    await reply(
        update,
        " ".join(lines) + " Anyone else? Type more, or tap Next.",
        _brainstorm_keyboard(context),
    )
    return None


def _lines(typed: str | None) -> list[str]:
    """The non-empty lines of a list, without bullets."""
    return [line.strip(" •*-") for line in (typed or "").splitlines() if line.strip(" •*-")]


async def on_next(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """Next question, or straight on to employers. "Next" names the question it was under: pressed again
    (a double tap, or an older message's button) once that question is behind, it does nothing."""
    pressed = update.callback_query.data
    current = context.user_data.get(STEP, 0)
    from_step = pressed.removeprefix("fd:next:") if pressed.startswith("fd:next:") else None
    if from_step is not None and int(from_step) != current:
        await answer(update, copy.STALE_BUTTON)
        return None
    await mark_answered(update)
    context.user_data[STEP] = len(BRAINSTORM) if pressed == data("emp") else current + 1
    return await _ask_step(update, context)


async def on_employers(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """Employer names, one per line: add the new ones, then rate each."""
    lines = _lines(update.message.text)
    if len(lines) > MAX_EMPLOYERS_AT_ONCE:  # asked again, never cut: nothing is added from this message
        await reply(
            update,
            text.TOO_MANY_EMPLOYERS.format(count=len(lines), most=MAX_EMPLOYERS_AT_ONCE),
            keyboard([(text.FIND_FINISH, data("finish"))]),
        )
        return None
    try:
        names = [clean_text(line, max_chars=200, what="the employer") for line in lines]
    except InvalidAnswer as problem:
        await reply(update, str(problem))
        return None
    async with unit_of_work(context) as uow:
        added = await contact_service.add_employers(uow, update.effective_user.id, names)
    new = added.new
    if added.over_limit:
        await reply(
            update,
            text.EMPLOYERS_FULL.format(most=MAX_EMPLOYERS, names=", ".join(esc(name) for name in added.over_limit)),
            None if new else keyboard([(text.FIND_FINISH, data("finish"))]),
        )
        if not new:
            return None
    if not new:
        await reply(
            update,
            "Those are already on your list. Add others, or tap Finish.",
            keyboard([(text.FIND_FINISH, data("finish"))]),
        )
        return None
    context.user_data[RATING] = [employer_id for employer_id, _ in new]
    return await _ask_motivation(update, context)


async def _current_employer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[int, str] | None:
    """The employer being rated now (id, name), loaded by id and owner."""
    pending = context.user_data.get(RATING) or []
    if not pending:
        return None
    async with unit_of_work(context) as uow:
        name = await contact_service.employer_name(uow, update.effective_user.id, int(pending[0]))
    return (int(pending[0]), name) if name is not None else None


async def _ask_motivation(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    employer = await _current_employer(update, context)
    if employer is None:
        return await _summary(update, context)
    await reply(
        update,
        text.ASK_MOTIVATION.format(name=esc(employer[1])),
        keyboard([(str(n), data("m", n)) for n in range(1, 6)]),
    )
    return State.MOTIVATION


async def on_motivation(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    score = update.callback_query.data.removeprefix("fd:m:")
    if score not in {"1", "2", "3", "4", "5"}:
        await answer(update, copy.STALE_BUTTON)
        return State.MOTIVATION
    await mark_answered(update)
    employer = await _current_employer(update, context)
    if employer is None:
        return await _summary(update, context)
    async with unit_of_work(context) as uow:
        await contact_service.rate_employer(uow, update.effective_user.id, employer[0], motivation=int(score))
    await reply(
        update,
        text.ASK_KNOWS.format(name=esc(employer[1])),
        keyboard([(text.YES, data("k", "y")), (text.NO, data("k", "n"))]),
    )
    return State.KNOWS


async def on_knows(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    answer = update.callback_query.data.removeprefix("fd:k:")
    if answer not in ("y", "n"):
        await answer(update, copy.STALE_BUTTON)
        return State.KNOWS
    await mark_answered(update)
    employer = await _current_employer(update, context)
    if employer is not None:
        async with unit_of_work(context) as uow:
            await contact_service.rate_employer(uow, update.effective_user.id, employer[0], knows_someone=answer == "y")
    context.user_data[RATING] = (context.user_data.get(RATING) or [])[1:]
    return await _ask_motivation(update, context)


async def _summary(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    context.user_data.pop(RATING, None)
    context.user_data.pop(STEP, None)
    async with unit_of_work(context) as uow:
        contacts, employers = await contact_service.counts(uow, update.effective_user.id)
    if employers:
        await reply(update, await employers_text(update, context))
    await reply(
        update,
        text.FIND_SUMMARY.format(
            contacts=text.count_of(contacts, "contact"), employers=text.count_of(employers, "employer")
        ),
        keyboard([("📇 Open my contacts", "ct:l:all:0:1")]),
    )
    return ConversationHandler.END


async def on_finish(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    await mark_answered(update)
    return await _summary(update, context)


def build_find_handler() -> ConversationHandler:
    typed = filters.TEXT & ~filters.COMMAND
    not_text = MessageHandler(
        ~filters.COMMAND, say(copy.TEXT_ONLY.format(prompt_hint="Type names, one per line, or tap a button."))
    )
    pick_a_button = MessageHandler(~filters.COMMAND, say(copy.PICK_A_BUTTON))
    return persistent_conversation(
        "find",
        entry_points=[CommandHandler("find", start_find)],
        states={
            State.BRAINSTORM: [
                CallbackQueryHandler(on_next, pattern=r"^fd:(next(:[0-9]{1,2})?|emp)$"),
                MessageHandler(typed, on_names),
                not_text,
            ],
            State.EMPLOYERS: [
                CallbackQueryHandler(on_finish, pattern=r"^fd:finish$"),
                MessageHandler(typed, on_employers),
                not_text,
            ],
            State.MOTIVATION: [CallbackQueryHandler(on_motivation, pattern=r"^fd:m:"), pick_a_button],
            State.KNOWS: [CallbackQueryHandler(on_knows, pattern=r"^fd:k:"), pick_a_button],
        },
        fallbacks=flow_fallbacks(STEP, RATING, cancelled=text.FIND_CANCELLED, prefix=PREFIX),
    )
