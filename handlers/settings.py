"""/settings: quiet hours, the country whose public holidays to skip, the digest day, muted reminders.

A menu edited in place; each choice saves at once and reschedules what it affects.
"""

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

from coaching import copy
from coaching.answers import InvalidAnswer
from coaching.defaults import MAX_REQUEST_WORDS, MAX_REQUEST_WORDS_STRICT
from coaching.followup import MAX_FOLLOW_UPS
from coaching.nudges import KIND_LABELS
from coaching.settings import QUIET_PRESETS, WEEKDAYS, country_name, describe_quiet, match_country, parse_quiet_hours
from handlers.common import (
    answer,
    edit_or_send,
    esc,
    flow_fallbacks,
    keyboard,
    now,
    persistent_conversation,
    reply,
    unit_of_work,
)
from services import settings as service
from services.settings import SettingsRecord


class State(StrEnum):
    MENU = "settings_menu"
    QUIET = "settings_quiet"
    COUNTRY = "settings_country"
    DIGEST = "settings_digest"
    FOLLOW_UPS = "settings_follow_ups"


def _menu_text(user: SettingsRecord) -> str:
    muted = [KIND_LABELS.get(kind, kind) for kind in filter(None, user.muted_kinds.split(","))]
    return copy.SETTINGS.format(
        quiet=describe_quiet(user.quiet_start_hour, user.quiet_end_hour),
        country=esc(country_name(user.country)) if user.country else "not set",
        digest_day=WEEKDAYS[user.digest_weekday],
        muted=esc(", ".join(muted)) if muted else "none",
        zone=esc(user.timezone or "UTC"),
        strict=f"on ({MAX_REQUEST_WORDS_STRICT} words)" if user.strict_drafts else f"off ({MAX_REQUEST_WORDS} words)",
        follow_ups=user.max_follow_ups,
    )


def _menu_keyboard(user: SettingsRecord):
    rows = [
        [(copy.SET_QUIET, "st:quiet")],
        [(copy.SET_COUNTRY, "st:country")],
        [(copy.SET_DIGEST, "st:digest")],
        # The strict-style button names the value it sets, so an old menu's button sets, never flips.
        [(copy.SET_STRICT, f"st:strict:{0 if user.strict_drafts else 1}"), (copy.SET_FOLLOW_UPS, "st:followups")],
    ]
    if user.muted_kinds:
        rows.append([(copy.SET_UNMUTE, "st:unmute")])
    rows.append([(copy.SET_CLOSE, "st:close")])
    return keyboard(*rows)


async def _load(update: Update, context: ContextTypes.DEFAULT_TYPE) -> SettingsRecord:
    async with unit_of_work(context) as uow:
        return await service.load(uow, update.effective_user.id, update.effective_chat.id)


async def _show_menu(update: Update, user: SettingsRecord, note: str = "") -> str:
    text = f"{note}\n\n{_menu_text(user)}" if note else _menu_text(user)
    if update.callback_query:
        await edit_or_send(update, text, _menu_keyboard(user))
    else:
        await reply(update, text, _menu_keyboard(user))
    return State.MENU


async def open_settings(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """/settings: show the current settings with a button for each."""
    return await _show_menu(update, await _load(update, context))


async def on_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """A menu button: open one setting, turn muted reminders back on, or close."""
    query = update.callback_query
    await answer(update)
    choice = query.data.removeprefix("st:")
    if choice == "quiet":
        presets = [(describe_quiet(s, e), f"st:q:{s}-{e}") for s, e in QUIET_PRESETS]
        await edit_or_send(update, copy.ASK_QUIET, keyboard(presets[:2], presets[2:], [(copy.BACK, "st:back")]))
        return State.QUIET
    if choice == "country":
        await edit_or_send(
            update, copy.ASK_COUNTRY, keyboard([(copy.NO_HOLIDAYS, "st:c:none")], [(copy.BACK, "st:back")])
        )
        return State.COUNTRY
    if choice == "digest":
        days = [(day[:3], f"st:d:{i}") for i, day in enumerate(WEEKDAYS)]
        await edit_or_send(update, copy.ASK_DIGEST_DAY, keyboard(days[:4], days[4:], [(copy.BACK, "st:back")]))
        return State.DIGEST
    if choice in ("strict:0", "strict:1"):
        return await _save(update, context, strict_drafts=choice == "strict:1", note=copy.SAVED)
    if choice == "followups":
        options = [(str(n), f"st:f:{n}") for n in range(0, MAX_FOLLOW_UPS + 1)]
        await edit_or_send(update, copy.ASK_FOLLOW_UPS, keyboard(options, [(copy.BACK, "st:back")]))
        return State.FOLLOW_UPS
    if choice == "unmute":
        return await _save(update, context, muted_kinds="", note=copy.UNMUTED)
    if choice == "close":
        await edit_or_send(update, copy.SETTINGS_SAVED_CLOSED)
        return ConversationHandler.END
    return await _show_menu(update, await _load(update, context))


async def _save(update: Update, context: ContextTypes.DEFAULT_TYPE, *, note: str, **changes) -> str:
    async with unit_of_work(context) as uow:
        user = await service.change(uow, update.effective_user.id, update.effective_chat.id, now(context), **changes)
    return await _show_menu(update, user, note)


async def on_quiet_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """A quiet-hours preset."""
    await answer(update)
    raw = update.callback_query.data.removeprefix("st:q:")
    if raw not in {f"{s}-{e}" for s, e in QUIET_PRESETS}:  # callback data comes from the client
        return State.QUIET
    start, end = parse_quiet_hours(raw)
    return await _save(update, context, quiet_start_hour=start, quiet_end_hour=end, note=copy.SAVED)


async def on_quiet_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """Typed quiet hours such as "22-7"; a friendly re-ask when they don't parse."""
    try:
        start, end = parse_quiet_hours(update.message.text)
    except InvalidAnswer as problem:
        await reply(update, str(problem))
        return None
    return await _save(update, context, quiet_start_hour=start, quiet_end_hour=end, note=copy.SAVED)


async def on_country_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """A country name or code; holidays there are skipped by business-day reminders."""
    try:
        code = match_country(update.message.text)
    except InvalidAnswer as problem:
        await reply(update, str(problem))
        return None
    return await _save(update, context, country=code, note=copy.SAVED)


async def on_no_country(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    await answer(update)
    return await _save(update, context, country=None, note=copy.SAVED)


async def on_digest_day(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """A weekday for the digest (the button carries 0-6, checked)."""
    await answer(update)
    raw = update.callback_query.data.removeprefix("st:d:")
    if raw not in {str(i) for i in range(7)}:
        return State.DIGEST
    return await _save(update, context, digest_weekday=int(raw), note=copy.SAVED)


async def on_follow_ups(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """How many follow-ups the coach may suggest (0 to 3), checked: callback data comes from the client."""
    await answer(update)
    raw = update.callback_query.data.removeprefix("st:f:")
    if raw not in {str(n) for n in range(MAX_FOLLOW_UPS + 1)}:
        return State.FOLLOW_UPS
    return await _save(update, context, max_follow_ups=int(raw), note=copy.SAVED)


async def on_back(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    await answer(update)
    return await _show_menu(update, await _load(update, context))


async def on_text_in_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, copy.PICK_A_BUTTON)


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/cancel: close the settings; everything chosen so far is already saved."""
    await reply(update, copy.SETTINGS_CANCELLED)
    return ConversationHandler.END


def build_settings_handler() -> ConversationHandler:
    back = CallbackQueryHandler(on_back, pattern=r"^st:back$")
    text = filters.TEXT & ~filters.COMMAND
    return persistent_conversation(
        "settings",
        entry_points=[CommandHandler("settings", open_settings)],
        states={
            State.MENU: [
                CallbackQueryHandler(on_menu, pattern=r"^st:([a-z]+|strict:[01])$"),
                MessageHandler(text, on_text_in_menu),
            ],
            State.QUIET: [
                back,
                CallbackQueryHandler(on_quiet_button, pattern=r"^st:q:\d{1,2}-\d{1,2}$"),
                MessageHandler(text, on_quiet_text),
            ],
            State.COUNTRY: [
                back,
                CallbackQueryHandler(on_no_country, pattern=r"^st:c:none$"),
                MessageHandler(text, on_country_text),
            ],
            State.DIGEST: [back, CallbackQueryHandler(on_digest_day, pattern=r"^st:d:\d$")],
            State.FOLLOW_UPS: [back, CallbackQueryHandler(on_follow_ups, pattern=r"^st:f:\d$")],
        },
        fallbacks=[
            CommandHandler("settings", open_settings),
            *flow_fallbacks(on_cancel=cancel, prefix=r"^st:"),
            MessageHandler(~filters.COMMAND, on_text_in_menu),
        ],
    )
