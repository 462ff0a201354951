"""Onboarding (/start, /profile): one question at a time, each answer saved as it is given.

The steps are data (coaching.profile.Step, coaching.copy.PROMPTS); this module compiles them into
one persistent ConversationHandler whose states are the step names, so a restart resumes at the
question the user was on.
"""

from __future__ import annotations

from enum import StrEnum

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from coaching import copy
from coaching.answers import InvalidAnswer, Goal, Period, clean_name, clean_text, parse_goal
from coaching.profile import (
    STAGE_LABELS,
    STEP_ORDER,
    CareerStage,
    ProfileView,
    Step,
    clean_motivation,
    clean_pitch,
    draft_pitch,
    first_missing_step,
    step_after,
)
from coaching.timezones import describe_zone, match_timezone, zone_at
from services.nudges import schedule_welcome
from services.users import profile_of
from handlers.common import esc, keyboard, mark_answered, now, persistent_conversation, reply, unit_of_work
from storage.models import User

MODE = "onboarding_mode"


class Mode(StrEnum):
    NEXT_MISSING = "next"  # first run or "continue": ask what is still unanswered
    ALL = "all"  # "go through all questions": every step, with a Keep button
    SINGLE = "single"  # "edit a detail": one step, then back to the summary


class State(StrEnum):
    REVIEW = "review"
    CHOOSE_DETAIL = "choose_detail"


GOAL_CHOICES = (Goal(1, Period.WEEK), Goal(2, Period.WEEK), Goal(3, Period.WEEK), Goal(4, Period.MONTH))
_FREE_TEXT = {
    Step.NAME: clean_name,
    Step.FIELD: lambda text: clean_text(text, max_chars=200, what="your field"),
    Step.ROLES: lambda text: clean_text(text, max_chars=200, what="the roles"),
    Step.MOTIVATION: clean_motivation,
    Step.PITCH: clean_pitch,
    Step.GOAL: parse_goal,
}


# Rendering ----------------------------------------------------------------------------------------


def summary(profile: ProfileView) -> str:
    def shown(value: object | None) -> str:
        return esc(value) if value not in (None, "") else "<i>not set</i>"

    stage = STAGE_LABELS.get(CareerStage(profile.stage)) if profile.stage else None
    return copy.SUMMARY.format(
        name=shown(profile.name), field=shown(profile.field), roles=shown(profile.roles),
        stage=shown(stage), timezone=shown(profile.timezone),
        goal=shown(profile.goal.describe() if profile.goal else None), pitch=shown(profile.pitch),
    )


def _keep_row(step: Step, profile: ProfileView, mode: Mode) -> list[tuple[str, str]]:
    value = profile.value_of(step)
    if mode is Mode.NEXT_MISSING or value in (None, ""):
        return []
    if step is Step.GOAL:
        value = profile.goal.describe()
    elif step is Step.STAGE:
        value = STAGE_LABELS[CareerStage(profile.stage)]
    label = str(value) if len(str(value)) <= 24 else str(value)[:23] + "…"
    return [(copy.KEEP_CURRENT.format(value=label), f"ob:keep:{step}")]


def _prompt(step: Step, profile: ProfileView, telegram_name: str, mode: Mode):
    """The question for ``step`` and its keyboard."""
    text = copy.PROMPTS[step]
    rows: list[list[tuple[str, str]]] = []
    if step is Step.NAME:
        try:
            rows.append([(copy.NAME_FROM_TELEGRAM.format(name=clean_name(telegram_name)), "ob:v:name:tg")])
        except InvalidAnswer:
            pass
    elif step is Step.STAGE:
        stages = [(label, f"ob:v:stage:{stage}") for stage, label in STAGE_LABELS.items()]
        rows += [stages[i:i + 2] for i in range(0, len(stages), 2)]
    elif step is Step.GOAL:
        rows.append([(f"{goal.count} a {goal.period.value}", f"ob:v:goal:{goal.count}{goal.period.value[0]}")
                     for goal in GOAL_CHOICES])
    elif step is Step.PITCH:
        text = text.format(pitch=esc(draft_pitch(profile)))
        rows.append([(copy.USE_PITCH, "ob:v:pitch:ok")])
        if mode is not Mode.NEXT_MISSING and profile.pitch:
            text += copy.CURRENT_PITCH.format(pitch=esc(profile.pitch))
            rows.append([(copy.KEEP_PITCH, f"ob:keep:{Step.PITCH}")])
    elif step is Step.TIMEZONE:
        buttons = [[KeyboardButton(copy.SHARE_LOCATION, request_location=True)]]
        if profile.timezone:
            buttons.append([KeyboardButton(profile.timezone)])
        return text, ReplyKeyboardMarkup(buttons, resize_keyboard=True, one_time_keyboard=True)
    keep = _keep_row(step, profile, mode)
    if keep and step is not Step.PITCH:
        rows.append(keep)
    return text, keyboard(*rows) if rows else None


async def _ask(update: Update, context: ContextTypes.DEFAULT_TYPE, step: Step, user: User) -> str:
    """Send the question for ``step``; the conversation waits in that step's state."""
    mode = Mode(context.user_data.get(MODE, Mode.NEXT_MISSING))
    text, markup = _prompt(step, profile_of(user), update.effective_user.first_name or "", mode)
    await reply(update, text, markup)
    return step.value


# Saving and moving on ----------------------------------------------------------------------------------


def _apply(user: User, step: Step, value: object) -> None:
    if step is Step.GOAL:
        user.goal_count, user.goal_period = value.count, value.period.value
    else:
        setattr(user, step.value, value)


async def _save_and_advance(update: Update, context: ContextTypes.DEFAULT_TYPE, step: Step, value: object | None) -> str | int:
    """Store ``value`` for ``step`` (None keeps the current one) and ask what comes next."""
    async with unit_of_work(context) as uow:
        user = await uow.users.get_or_create(update.effective_user.id, update.effective_chat.id)
        if value is not None:
            _apply(user, step, value)
        mode = Mode(context.user_data.get(MODE, Mode.NEXT_MISSING))
        following = step_after(step) if mode is Mode.ALL else first_missing_step(profile_of(user))
        finished = mode is not Mode.SINGLE and following is None
        if finished and user.onboarded_at is None:
            user.onboarded_at = now(context)
            await schedule_welcome(uow, user, user.onboarded_at)
    if step is Step.TIMEZONE:
        zone = describe_zone(user.timezone, now(context))
        await update.effective_chat.send_message(
            copy.ZONE_SET.format(zone=esc(zone)), parse_mode="HTML", reply_markup=ReplyKeyboardRemove()
        )
    if mode is Mode.SINGLE:
        context.user_data.pop(MODE, None)
        await reply(update, copy.SAVED_SINGLE.format(summary=summary(profile_of(user))))
        return ConversationHandler.END
    if finished:
        context.user_data.pop(MODE, None)
        await reply(update, copy.DONE.format(summary=summary(profile_of(user)), field=esc(user.field)))
        return ConversationHandler.END
    return await _ask(update, context, following, user)


# Step callbacks ------------------------------------------------------------------------------------------


def _on_text(step: Step):
    async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
        """Validate the typed answer for this step; save it and ask the next, or re-ask kindly."""
        text = update.message.text
        if step is Step.TIMEZONE:
            return await _on_zone_text(update, context, text)
        if step is Step.STAGE:
            stage = _stage_from_text(text)
            if stage is None:
                await reply(update, copy.PICK_A_BUTTON)
                return None
            return await _save_and_advance(update, context, step, stage.value)
        try:
            value = _FREE_TEXT[step](text)
        except InvalidAnswer as problem:
            await reply(update, str(problem))
            return None
        return await _save_and_advance(update, context, step, value)

    return on_text


def _stage_from_text(text: str) -> CareerStage | None:
    lowered = text.strip().lower()
    for stage, label in STAGE_LABELS.items():
        if lowered in (label.lower(), stage.value):
            return stage
    return None


async def _on_zone_text(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> str | int | None:
    match = match_timezone(text)
    if match.zone:
        return await _save_and_advance(update, context, Step.TIMEZONE, match.zone)
    shown = esc(text[:60])
    if match.suggestions:
        rows = [[(zone, f"ob:v:timezone:{zone}")] for zone in match.suggestions]
        await reply(update, copy.ZONE_SUGGEST.format(text=shown), keyboard(*rows))
    else:
        await reply(update, copy.ZONE_UNKNOWN.format(text=shown))
    return None


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
    """A shared location: find its zone offline, save it and move on."""
    location = update.message.location
    zone = zone_at(location.latitude, location.longitude)
    if zone is None:
        await reply(update, copy.ZONE_NOT_FOUND_AT_LOCATION)
        return None
    return await _save_and_advance(update, context, Step.TIMEZONE, zone)


def _on_button(step: Step):
    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
        """A button under this step's question: keep the current answer, or take the one pressed."""
        data = update.callback_query.data or ""
        if data == f"ob:keep:{step}":
            await mark_answered(update)
            return await _save_and_advance(update, context, step, None)
        prefix = f"ob:v:{step}:"
        value = _button_value(step, data[len(prefix):], update) if data.startswith(prefix) else None
        if value is None:
            await update.callback_query.answer(copy.STALE_BUTTON)
            return None
        await mark_answered(update)
        return await _save_and_advance(update, context, step, value)

    return on_button


def _button_value(step: Step, raw: str, update: Update) -> object | None:
    """The answer a button stands for, checked strictly: callback data comes from the client."""
    if step is Step.NAME and raw == "tg":
        try:
            return clean_name(update.effective_user.first_name)
        except InvalidAnswer:
            return None
    if step is Step.STAGE and raw in set(CareerStage):
        return raw
    if step is Step.GOAL:
        goals = {f"{goal.count}{goal.period.value[0]}": goal for goal in GOAL_CHOICES}
        return goals.get(raw)
    if step is Step.TIMEZONE:
        return match_timezone(raw).zone if "/" in raw or raw == "UTC" else None
    return None


async def on_pitch_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
    """Use the pitch drafted from the answers, or keep the current one."""
    data = update.callback_query.data
    if data not in ("ob:v:pitch:ok", f"ob:keep:{Step.PITCH}"):
        await update.callback_query.answer(copy.STALE_BUTTON)
        return None
    await mark_answered(update)
    if data != "ob:v:pitch:ok":
        return await _save_and_advance(update, context, Step.PITCH, None)
    async with unit_of_work(context) as uow:
        user = await uow.users.get_or_create(update.effective_user.id, update.effective_chat.id)
    return await _save_and_advance(update, context, Step.PITCH, draft_pitch(profile_of(user)))


def _on_other_content(step: Step):
    async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
        """A sticker, photo or voice where text was expected: say so and ask again."""
        async with unit_of_work(context) as uow:
            user = await uow.users.get_or_create(update.effective_user.id, update.effective_chat.id)
        await reply(update, copy.TEXT_ONLY.format(prompt_hint="Here's the question again:"))
        return await _ask(update, context, step, user)

    return on_other


def _step_handlers(step: Step) -> list:
    handlers = []
    if step is Step.PITCH:
        handlers.append(CallbackQueryHandler(on_pitch_button, pattern=r"^ob:"))
    else:
        handlers.append(CallbackQueryHandler(_on_button(step), pattern=r"^ob:"))
    if step is Step.TIMEZONE:
        handlers.append(MessageHandler(filters.LOCATION, on_location))
    handlers.append(MessageHandler(filters.TEXT & ~filters.COMMAND, _on_text(step)))
    handlers.append(MessageHandler(~filters.COMMAND, _on_other_content(step)))
    return handlers


# Entry, review and leaving ----------------------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """/start or /profile: welcome a new user, or offer a known one to review, continue or redo."""
    async with unit_of_work(context) as uow:
        user = await uow.users.get_or_create(update.effective_user.id, update.effective_chat.id)
        if not user.is_active:
            user.is_active = True
    profile = profile_of(user)
    answered = sum(profile.value_of(step) not in (None, "") for step in STEP_ORDER)
    if answered == 0:
        context.user_data[MODE] = Mode.NEXT_MISSING
        await reply(update, copy.WELCOME, ReplyKeyboardRemove())
        return await _ask(update, context, Step.NAME, user)
    if profile.complete:
        text = copy.REVIEW_COMPLETE.format(summary=summary(profile))
        rows = [[(copy.KEEP_PROFILE, "ob:rev:keep")], [(copy.EDIT_DETAIL, "ob:rev:edit")],
                [(copy.REDO_ALL, "ob:rev:redo")]]
    else:
        text = copy.REVIEW_PARTIAL.format(done=answered, total=len(STEP_ORDER))
        rows = [[(copy.CONTINUE_SETUP, "ob:rev:continue")], [(copy.REDO_ALL, "ob:rev:redo")]]
    await reply(update, text, keyboard(*rows))
    return State.REVIEW


async def on_review_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
    """Keep the profile, pick a detail to edit, continue the setup, or go through every question."""
    choice = update.callback_query.data.removeprefix("ob:rev:")
    if choice not in ("keep", "edit", "continue", "redo"):
        await update.callback_query.answer(copy.STALE_BUTTON)
        return None
    await mark_answered(update)
    if choice == "keep":
        await reply(update, copy.PROFILE_KEPT)
        return ConversationHandler.END
    if choice == "edit":
        buttons = [(copy.STEP_LABELS[step], f"ob:edit:{step}") for step in STEP_ORDER]
        await reply(update, copy.WHICH_DETAIL, keyboard(*[buttons[i:i + 2] for i in range(0, len(buttons), 2)]))
        return State.CHOOSE_DETAIL
    async with unit_of_work(context) as uow:
        user = await uow.users.get_or_create(update.effective_user.id, update.effective_chat.id)
    if choice == "redo":
        context.user_data[MODE] = Mode.ALL
        return await _ask(update, context, Step.NAME, user)
    context.user_data[MODE] = Mode.NEXT_MISSING
    return await _ask(update, context, first_missing_step(profile_of(user)) or Step.PITCH, user)


async def on_detail_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """Ask the one question the user chose to change."""
    raw = update.callback_query.data.removeprefix("ob:edit:")
    if raw not in set(Step):
        await update.callback_query.answer(copy.STALE_BUTTON)
        return None
    await mark_answered(update)
    async with unit_of_work(context) as uow:
        user = await uow.users.get_or_create(update.effective_user.id, update.effective_chat.id)
    context.user_data[MODE] = Mode.SINGLE
    return await _ask(update, context, Step(raw), user)


async def ask_for_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Anything but a button while a menu is open: point at the buttons."""
    await reply(update, copy.PICK_A_BUTTON)


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/cancel: leave onboarding from any step and say which answers were kept."""
    context.user_data.pop(MODE, None)
    async with unit_of_work(context) as uow:
        user = await uow.users.get(update.effective_user.id)
    profile = profile_of(user) if user else ProfileView()
    kept = [copy.STEP_LABELS[step].lower() for step in STEP_ORDER if profile.value_of(step) not in (None, "")]
    text = copy.CANCELLED_WITH_KEPT.format(kept=", ".join(kept)) if kept else copy.CANCELLED_NOTHING_KEPT
    await update.effective_chat.send_message(text, parse_mode="HTML", reply_markup=ReplyKeyboardRemove())
    return ConversationHandler.END


async def help_in_flow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help during onboarding: explain, then point back to the open question."""
    await reply(update, f"{copy.HELP}\n\n{copy.COMMAND_IN_FLOW}")


async def command_in_flow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An unknown command (known ones close the flow first, see handlers.flows): the question stays open."""
    await reply(update, copy.UNKNOWN_COMMAND)


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer(copy.STALE_BUTTON)


def build_onboarding_handler() -> ConversationHandler:
    states = {step.value: _step_handlers(step) for step in Step}
    states[State.REVIEW] = [
        CallbackQueryHandler(on_review_choice, pattern=r"^ob:rev:"),
        MessageHandler(~filters.COMMAND, ask_for_button),
    ]
    states[State.CHOOSE_DETAIL] = [
        CallbackQueryHandler(on_detail_choice, pattern=r"^ob:edit:"),
        MessageHandler(~filters.COMMAND, ask_for_button),
    ]
    return persistent_conversation(
        "onboarding",
        entry_points=[CommandHandler(["start", "profile"], start)],
        states=states,
        fallbacks=[
            CommandHandler("cancel", cancel),
            CommandHandler(["start", "profile"], start),
            CommandHandler("help", help_in_flow),
            MessageHandler(filters.COMMAND, command_in_flow),
            CallbackQueryHandler(stale_button, pattern=r"^ob:"),
        ],
    )
