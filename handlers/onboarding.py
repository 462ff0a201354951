"""Onboarding (/start, /profile): one question at a time, each answer saved as it is given.

The steps are data (coaching.onboarding.STEPS: parsing, buttons, what each button means; prompts in
coaching.copy); this module compiles them into one persistent ConversationHandler whose states are
the step names, so a restart resumes at the question the user was on.
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
from coaching.answers import InvalidAnswer
from coaching.onboarding import STEPS, Mode, StepSpec, Unclear, prompt
from coaching.profile import STAGE_LABELS, STEP_ORDER, CareerStage, ProfileView, Step, first_missing_step
from coaching.timezones import describe_zone, zone_at
from handlers.callbacks import build
from handlers.common import answer, esc, keyboard, mark_answered, now, persistent_conversation, reply, unit_of_work
from services import onboarding as service

MODE = "onboarding_mode"

__all__ = ["Mode", "build_onboarding_handler", "summary"]


class State(StrEnum):
    REVIEW = "review"
    CHOOSE_DETAIL = "choose_detail"


# Rendering ----------------------------------------------------------------------------------------


def summary(profile: ProfileView) -> str:
    def shown(value: object | None) -> str:
        return esc(value) if value not in (None, "") else "<i>not set</i>"

    stage = STAGE_LABELS.get(CareerStage(profile.stage)) if profile.stage else None
    return copy.SUMMARY.format(
        name=shown(profile.name),
        field=shown(profile.field),
        roles=shown(profile.roles),
        stage=shown(stage),
        timezone=shown(profile.timezone),
        goal=shown(profile.goal.describe() if profile.goal else None),
        pitch=shown(profile.pitch),
    )


def _shown_value(step: Step, profile: ProfileView) -> str:
    if step is Step.GOAL:
        return profile.goal.describe()
    if step is Step.STAGE:
        return STAGE_LABELS[CareerStage(profile.stage)]
    return str(profile.value_of(step))


def _keep_button(step: Step, spec: StepSpec, profile: ProfileView, mode: Mode) -> tuple[str, str] | None:
    """When going through answers already given: keep the current one."""
    if mode is Mode.NEXT_MISSING or profile.value_of(step) in (None, ""):
        return None
    if spec.show_current:
        return copy.KEEP_PITCH, build("ob", "keep", step)
    value = _shown_value(step, profile)
    label = value if len(value) <= 24 else value[:23] + "…"
    return copy.KEEP_CURRENT.format(value=label), build("ob", "keep", step)


def _question(step: Step, profile: ProfileView, telegram_name: str, mode: Mode):
    """The question for ``step`` and its keyboard, from the step table."""
    spec = STEPS[step]
    text = prompt(step, profile)
    keep = _keep_button(step, spec, profile, mode)
    if spec.show_current and keep:
        text += copy.CURRENT_PITCH.format(pitch=esc(profile.value_of(step)))
    if spec.share_location:  # a reply keyboard: share the location, or keep the zone already set
        buttons = [[KeyboardButton(copy.SHARE_LOCATION, request_location=True)]]
        if profile.value_of(step):
            buttons.append([KeyboardButton(str(profile.value_of(step)))])
        return text, ReplyKeyboardMarkup(buttons, resize_keyboard=True, one_time_keyboard=True)
    choices = [(label, build("ob", "v", step, raw)) for label, raw in spec.choices(profile, telegram_name)]
    rows = [choices[i : i + spec.columns] for i in range(0, len(choices), spec.columns)]
    if keep:
        rows.append([keep])
    return text, keyboard(*rows) if rows else None


def _mode(context: ContextTypes.DEFAULT_TYPE) -> Mode:
    return Mode(context.user_data.get(MODE, Mode.NEXT_MISSING))


async def _ask(update: Update, context: ContextTypes.DEFAULT_TYPE, step: Step, profile: ProfileView) -> str:
    """Send the question for ``step``; the conversation waits in that step's state."""
    text, markup = _question(step, profile, update.effective_user.first_name or "", _mode(context))
    await reply(update, text, markup)
    return step.value


# Saving and moving on ----------------------------------------------------------------------------------


async def _save_and_advance(
    update: Update, context: ContextTypes.DEFAULT_TYPE, step: Step, value: object | None
) -> str | int:
    """Store ``value`` for ``step`` (None keeps the current one) and ask what comes next."""
    mode = _mode(context)
    async with unit_of_work(context) as uow:
        progress = await service.save_answer(
            uow, update.effective_user.id, update.effective_chat.id, step, value, mode, now(context)
        )
    if STEPS[step].share_location:  # take the location keyboard away, and confirm the zone
        zone = describe_zone(progress.profile.timezone, now(context))
        await update.effective_chat.send_message(
            copy.ZONE_SET.format(zone=esc(zone)), parse_mode="HTML", reply_markup=ReplyKeyboardRemove()
        )
    if mode is Mode.SINGLE or progress.finished:
        context.user_data.pop(MODE, None)
        done = (
            copy.SAVED_SINGLE.format(summary=summary(progress.profile))
            if mode is Mode.SINGLE
            else copy.DONE.format(summary=summary(progress.profile), field=esc(progress.profile.field))
        )
        await reply(update, done)
        return ConversationHandler.END
    return await _ask(update, context, progress.following, progress.profile)


# Step callbacks, the same for every step ---------------------------------------------------------------


def _on_text(step: Step):
    async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
        """Read the typed answer with the step's parser; save it and ask the next, or re-ask kindly."""
        try:
            value = STEPS[step].parse(update.message.text)
        except Unclear as unclear:
            rows = [[(label, build("ob", "v", step, raw))] for label, raw in unclear.choices]
            await reply(update, str(unclear), keyboard(*rows))
            return None
        except InvalidAnswer as problem:
            await reply(update, str(problem))
            return None
        return await _save_and_advance(update, context, step, value)

    return on_text


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
        if data == build("ob", "keep", step):
            await mark_answered(update)
            return await _save_and_advance(update, context, step, None)
        prefix = f"ob:v:{step}:"
        value = None
        if data.startswith(prefix):
            async with unit_of_work(context) as uow:
                profile = await service.profile(uow, update.effective_user.id) or ProfileView()
            value = STEPS[step].from_choice(data[len(prefix) :], profile, update.effective_user.first_name or "")
        if value is None:
            await answer(update, copy.STALE_BUTTON)
            return None
        await mark_answered(update)
        return await _save_and_advance(update, context, step, value)

    return on_button


def _on_other_content(step: Step):
    async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
        """A sticker, photo or voice where text was expected: say so and ask again."""
        async with unit_of_work(context) as uow:
            profile = await service.open_profile(uow, update.effective_user.id, update.effective_chat.id)
        await reply(update, copy.TEXT_ONLY.format(prompt_hint="Here's the question again:"))
        return await _ask(update, context, step, profile)

    return on_other


def _step_handlers(step: Step) -> list:
    handlers = [CallbackQueryHandler(_on_button(step), pattern=r"^ob:")]
    if STEPS[step].share_location:
        handlers.append(MessageHandler(filters.LOCATION, on_location))
    handlers.append(MessageHandler(filters.TEXT & ~filters.COMMAND, _on_text(step)))
    handlers.append(MessageHandler(~filters.COMMAND, _on_other_content(step)))
    return handlers


# Entry, review and leaving ----------------------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """/start or /profile: welcome a new user, or offer a known one to review, continue or redo."""
    async with unit_of_work(context) as uow:
        profile = await service.open_profile(uow, update.effective_user.id, update.effective_chat.id)
    answered = sum(profile.value_of(step) not in (None, "") for step in STEP_ORDER)
    if answered == 0:
        context.user_data[MODE] = Mode.NEXT_MISSING
        await reply(update, copy.WELCOME, ReplyKeyboardRemove())
        return await _ask(update, context, Step.NAME, profile)
    if profile.complete:
        text = copy.REVIEW_COMPLETE.format(summary=summary(profile))
        rows = [
            [(copy.KEEP_PROFILE, "ob:rev:keep")],
            [(copy.EDIT_DETAIL, "ob:rev:edit")],
            [(copy.REDO_ALL, "ob:rev:redo")],
        ]
    else:
        text = copy.REVIEW_PARTIAL.format(done=answered, total=len(STEP_ORDER))
        rows = [[(copy.CONTINUE_SETUP, "ob:rev:continue")], [(copy.REDO_ALL, "ob:rev:redo")]]
    await reply(update, text, keyboard(*rows))
    return State.REVIEW


async def on_review_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
    """Keep the profile, pick a detail to edit, continue the setup, or go through every question."""
    choice = update.callback_query.data.removeprefix("ob:rev:")
    if choice not in ("keep", "edit", "continue", "redo"):
        await answer(update, copy.STALE_BUTTON)
        return None
    await mark_answered(update)
    if choice == "keep":
        await reply(update, copy.PROFILE_KEPT)
        return ConversationHandler.END
    if choice == "edit":
        buttons = [(copy.STEP_LABELS[step], f"ob:edit:{step}") for step in STEP_ORDER]
        await reply(update, copy.WHICH_DETAIL, keyboard(*[buttons[i : i + 2] for i in range(0, len(buttons), 2)]))
        return State.CHOOSE_DETAIL
    async with unit_of_work(context) as uow:
        profile = await service.open_profile(uow, update.effective_user.id, update.effective_chat.id)
    if choice == "redo":
        context.user_data[MODE] = Mode.ALL
        return await _ask(update, context, Step.NAME, profile)
    context.user_data[MODE] = Mode.NEXT_MISSING
    return await _ask(update, context, first_missing_step(profile) or Step.PITCH, profile)


async def on_detail_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """Ask the one question the user chose to change."""
    raw = update.callback_query.data.removeprefix("ob:edit:")
    if raw not in set(Step):
        await answer(update, copy.STALE_BUTTON)
        return None
    await mark_answered(update)
    async with unit_of_work(context) as uow:
        profile = await service.open_profile(uow, update.effective_user.id, update.effective_chat.id)
    context.user_data[MODE] = Mode.SINGLE
    return await _ask(update, context, Step(raw), profile)


async def ask_for_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Anything but a button while a menu is open: point at the buttons."""
    await reply(update, copy.PICK_A_BUTTON)


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/cancel: leave onboarding from any step and say which answers were kept."""
    context.user_data.pop(MODE, None)
    async with unit_of_work(context) as uow:
        profile = await service.profile(uow, update.effective_user.id) or ProfileView()
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
    await answer(update, copy.STALE_BUTTON)


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
