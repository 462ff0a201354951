"""/settings: the time zone, quiet hours, a pause on all reminders, the country whose public holidays to
skip, the digest day, muted reminders, the drafting style and follow-ups, and the keep-in-touch periods.

A menu edited in place; every setting shows its current value and its default; each choice saves at once
and moves the reminders it affects.
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
from coaching.defaults import (
    NOT_NOW_CHOICES,
    PAUSE_CHOICES,
    RELEASE_RIGHT_AWAY,
    REPORT_BACK_CHOICES,
    TOUCH_IDEAL_CHOICES,
    TOUCH_MAX_CHOICES,
)
from coaching.followup import MAX_FOLLOW_UPS
from coaching.keep_in_touch import period_words
from coaching.onboarding import Unclear
from coaching.settings import (
    QUIET_PRESETS,
    WEEKDAYS,
    check_cadence,
    describe_quiet,
    match_country,
    parse_pause,
    parse_quiet_hours,
    parse_zone,
    pause_until_words,
    pause_words,
    preset_quiet,
    render_settings,
    zone_from_choice,
)
from coaching.timezones import describe_zone, zone_at
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
from services.settings import Saved, SettingsRecord


class State(StrEnum):
    MENU = "settings_menu"
    ZONE = "settings_zone"
    QUIET = "settings_quiet"
    PAUSE = "settings_pause"
    COUNTRY = "settings_country"
    DIGEST = "settings_digest"
    FOLLOW_UPS = "settings_follow_ups"
    TOUCH = "settings_touch"
    REPORT_BACK = "settings_report_back"
    NOT_NOW = "settings_not_now"


def _menu_keyboard(user: SettingsRecord, paused: bool):
    rows = [
        [(copy.SET_ZONE, "st:zone"), (copy.SET_QUIET, "st:quiet")],
        [(copy.SET_RESUME, "st:resume")] if paused else [(copy.SET_PAUSE, "st:pause")],
        [(copy.SET_COUNTRY, "st:country"), (copy.SET_DIGEST, "st:digest")],
        # The strict-style button names the value it sets, so an old menu's button sets, never flips.
        [(copy.SET_STRICT, f"st:strict:{0 if user.strict_drafts else 1}"), (copy.SET_FOLLOW_UPS, "st:followups")],
        [(copy.SET_TOUCH, "st:touch"), (copy.SET_REPORT_BACK, "st:rb"), (copy.SET_NOT_NOW, "st:nn")],
    ]
    if user.muted_kinds:
        rows.append([(copy.SET_UNMUTE, "st:unmute")])
    rows.append([(copy.SET_CLOSE, "st:close")])
    return keyboard(*rows)


async def _load(update: Update, context: ContextTypes.DEFAULT_TYPE) -> SettingsRecord:
    async with unit_of_work(context) as uow:
        return await service.load(uow, update.effective_user.id, update.effective_chat.id, now(context))


async def _show_menu(update: Update, context: ContextTypes.DEFAULT_TYPE, user: SettingsRecord, note: str = "") -> str:
    view = service.view_of(user, now(context))
    menu = render_settings(view, now(context))
    text = f"{note}\n\n{menu}" if note else menu
    markup = _menu_keyboard(user, view.paused)
    if update.callback_query:
        await edit_or_send(update, text, markup)
    else:
        await reply(update, text, markup)
    return State.MENU


async def open_settings(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """/settings: show every setting, its current value and its default, with a button for each."""
    return await _show_menu(update, context, await _load(update, context))


def _choices(prefix: str, options: tuple[int, ...], current: int, label=period_words) -> list[tuple[str, str]]:
    return [(("✓ " if days == current else "") + label(days), f"st:{prefix}:{days}") for days in options]


async def on_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """A menu button: open one setting, pause or resume, turn muted reminders back on, or close."""
    query = update.callback_query
    await answer(update)
    choice = query.data.removeprefix("st:")
    back = [(copy.BACK, "st:back")]
    if choice == "zone":
        await edit_or_send(update, copy.ASK_ZONE, keyboard(back))
        return State.ZONE
    if choice == "quiet":
        presets = [(describe_quiet(s * 60, e * 60), f"st:q:{s}-{e}") for s, e in QUIET_PRESETS]
        await edit_or_send(update, copy.ASK_QUIET, keyboard(presets[:2], presets[2:], back))
        return State.QUIET
    if choice == "pause":
        options = [(pause_words(days), f"st:p:{days}") for days in PAUSE_CHOICES]
        text = copy.ASK_PAUSE.format(right_away=RELEASE_RIGHT_AWAY)
        await edit_or_send(update, text, keyboard(options, [(copy.PAUSE_UNTIL_RESUMED, "st:p:0")], back))
        return State.PAUSE
    if choice == "resume":
        return await _resume(update, context)
    if choice == "country":
        await edit_or_send(update, copy.ASK_COUNTRY, keyboard([(copy.NO_HOLIDAYS, "st:c:none")], back))
        return State.COUNTRY
    if choice == "digest":
        days = [(day[:3], f"st:d:{i}") for i, day in enumerate(WEEKDAYS)]
        await edit_or_send(update, copy.ASK_DIGEST_DAY, keyboard(days[:4], days[4:], back))
        return State.DIGEST
    if choice in ("strict:0", "strict:1"):
        return await _save(update, context, strict_drafts=choice == "strict:1", note=copy.SAVED)
    if choice == "followups":
        options = [(str(n), f"st:f:{n}") for n in range(0, MAX_FOLLOW_UPS + 1)]
        await edit_or_send(update, copy.ASK_FOLLOW_UPS, keyboard(options, back))
        return State.FOLLOW_UPS
    if choice in ("touch", "rb", "nn"):
        return await _ask_period(update, context, choice)
    if choice == "unmute":
        return await _save(update, context, muted_kinds="", note=copy.UNMUTED)
    if choice == "close":
        await edit_or_send(update, copy.SETTINGS_SAVED_CLOSED)
        return ConversationHandler.END
    return await _show_menu(update, context, await _load(update, context))


async def _ask_period(update: Update, context: ContextTypes.DEFAULT_TYPE, choice: str) -> str:
    """The keep-in-touch periods, the report back and the re-ask: buttons, the current one ticked."""
    user = await _load(update, context)
    back = [(copy.BACK, "st:back")]
    if choice == "touch":
        ideal = [(f"{'✓ ' if d == user.touch_ideal_days else ''}{copy.TOUCH_IDEAL_ROW.format(period=period_words(d))}",
                  f"st:ti:{d}") for d in TOUCH_IDEAL_CHOICES]  # fmt: skip
        most = [(f"{'✓ ' if d == user.touch_max_days else ''}{copy.TOUCH_MAX_ROW.format(period=period_words(d))}",
                 f"st:tm:{d}") for d in TOUCH_MAX_CHOICES]  # fmt: skip
        await edit_or_send(update, copy.ASK_TOUCH, keyboard(ideal, most, back))
        return State.TOUCH
    if choice == "rb":
        options = _choices("rb", REPORT_BACK_CHOICES, user.report_back_days)
        await edit_or_send(update, copy.ASK_REPORT_BACK, keyboard(options, back))
        return State.REPORT_BACK
    options = _choices("nn", NOT_NOW_CHOICES, user.not_now_days)
    await edit_or_send(update, copy.ASK_NOT_NOW, keyboard(options, back))
    return State.NOT_NOW


def _moved_note(template: str, count: int) -> str:
    return f" {template.format(count=count, s='' if count == 1 else 's')}" if count else ""


async def _save(update: Update, context: ContextTypes.DEFAULT_TYPE, *, note: str, **changes) -> str:
    async with unit_of_work(context) as uow:
        saved = await service.change(uow, update.effective_user.id, update.effective_chat.id, now(context), **changes)
    if "quiet_start_minute" in changes or "country" in changes:
        note += _moved_note(copy.QUIET_MOVED if "quiet_start_minute" in changes else copy.HOLIDAYS_MOVED, saved.moved)
    return await _show_menu(update, context, saved.user, note)


# The time zone ----------------------------------------------------------------------------------------------


async def _save_zone(update: Update, context: ContextTypes.DEFAULT_TYPE, zone: str) -> str:
    async with unit_of_work(context) as uow:
        saved = await service.set_timezone(uow, update.effective_user.id, update.effective_chat.id, zone, now(context))
    note = copy.ZONE_SAVED.format(zone=esc(describe_zone(zone, now(context))))
    return await _show_menu(update, context, saved.user, note + _moved_note(copy.ZONE_MOVED, saved.moved))


async def on_zone_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """A typed city, zone or offset, read as onboarding reads it; close guesses come back as buttons."""
    try:
        zone = parse_zone(update.message.text)
    except Unclear as unclear:
        rows = [[(label, f"st:tz:{raw}")] for label, raw in unclear.choices]
        await reply(update, str(unclear), keyboard(*rows, [(copy.BACK, "st:back")]))
        return None
    except InvalidAnswer as problem:
        await reply(update, str(problem))
        return None
    return await _save_zone(update, context, zone)


async def on_zone_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """A shared location: its zone, found offline."""
    location = update.message.location
    zone = zone_at(location.latitude, location.longitude)
    if zone is None:
        await reply(update, copy.ZONE_NOT_FOUND_AT_LOCATION)
        return None
    return await _save_zone(update, context, zone)


async def on_zone_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """One of the zones offered for an unclear answer (checked: callback data comes from the client)."""
    await answer(update)
    zone = zone_from_choice(update.callback_query.data.removeprefix("st:tz:"))
    if zone is None:
        return None
    return await _save_zone(update, context, zone)


# Quiet hours ------------------------------------------------------------------------------------------------


async def on_quiet_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """A quiet-hours preset (whole hours)."""
    await answer(update)
    quiet = preset_quiet(update.callback_query.data.removeprefix("st:q:"))
    if quiet is None:  # callback data comes from the client
        return State.QUIET
    start, end = quiet
    return await _save(update, context, quiet_start_minute=start, quiet_end_minute=end, note=copy.SAVED)


async def on_quiet_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """Typed quiet hours, to the minute: "22:30-6:45", "10pm-7am", "22-7"; a friendly re-ask otherwise."""
    try:
        start, end = parse_quiet_hours(update.message.text)
    except InvalidAnswer as problem:
        await reply(update, str(problem))
        return None
    return await _save(update, context, quiet_start_minute=start, quiet_end_minute=end, note=copy.SAVED)


# The pause --------------------------------------------------------------------------------------------------


async def _pause(update: Update, context: ContextTypes.DEFAULT_TYPE, days: int | None) -> str:
    async with unit_of_work(context) as uow:
        saved = await service.pause(uow, update.effective_user.id, update.effective_chat.id, days, now(context))
    until = pause_until_words(service.view_of(saved.user, now(context)))
    return await _show_menu(update, context, saved.user, copy.PAUSED_NOTE.format(until=until))


async def on_pause_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """3 days, 1 week, 2 weeks, or until resumed (0)."""
    await answer(update)
    raw = update.callback_query.data.removeprefix("st:p:")
    if raw not in {str(days) for days in (*PAUSE_CHOICES, 0)}:
        return State.PAUSE
    return await _pause(update, context, int(raw) or None)


async def on_pause_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """A typed length: "5 days", "2 weeks"."""
    try:
        days = parse_pause(update.message.text)
    except InvalidAnswer as problem:
        await reply(update, str(problem))
        return None
    return await _pause(update, context, days)


async def _resume(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    async with unit_of_work(context) as uow:
        saved = await service.resume(uow, update.effective_user.id, update.effective_chat.id, now(context))
    return await _show_menu(update, context, saved.user, _resumed_note(saved))


def _resumed_note(saved: Saved) -> str:
    released = saved.released
    if not saved.was_paused or released is None:
        return copy.RESUMED
    if not (released.right_away or released.later or released.dropped):
        return f"{copy.RESUMED} {copy.RESUMED_NOTHING}"
    parts = []
    if released.right_away:
        parts.append(copy.RESUMED_SENT.format(now=released.right_away, s="s" if released.right_away == 1 else ""))
    if released.later:
        parts.append(copy.RESUMED_LATER.format(later=released.later))
    if released.dropped:
        verb = "was" if released.dropped == 1 else "were"
        parts.append(copy.RESUMED_DROPPED.format(dropped=released.dropped, verb=verb))
    return f"{copy.RESUMED} {'; '.join(parts)}."


# Holidays, digest, follow-ups, periods -------------------------------------------------------------------------


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


# (callback prefix, setting, the days offered, the state to stay in on bad data)
_PERIODS = {
    "ti": ("touch_ideal_days", TOUCH_IDEAL_CHOICES, State.TOUCH),
    "tm": ("touch_max_days", TOUCH_MAX_CHOICES, State.TOUCH),
    "rb": ("report_back_days", REPORT_BACK_CHOICES, State.REPORT_BACK),
    "nn": ("not_now_days", NOT_NOW_CHOICES, State.NOT_NOW),
}


async def on_period(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """A keep-in-touch, report-back or re-ask period, checked against the choices offered."""
    await answer(update)
    _st, prefix, raw = update.callback_query.data.split(":")
    name, options, state = _PERIODS[prefix]
    if raw not in {str(days) for days in options}:
        return state
    if prefix in ("ti", "tm"):
        user = await _load(update, context)
        ideal, most = (int(raw), user.touch_max_days) if prefix == "ti" else (user.touch_ideal_days, int(raw))
        try:
            check_cadence(ideal, most)
        except InvalidAnswer as problem:  # a maximum below the ideal: nothing changes
            return await _show_menu(update, context, user, str(problem))
    return await _save(update, context, note=copy.SAVED, **{name: int(raw)})


async def on_back(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    await answer(update)
    return await _show_menu(update, context, await _load(update, context))


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
            State.ZONE: [
                back,
                CallbackQueryHandler(on_zone_button, pattern=r"^st:tz:[A-Za-z0-9_+\-/]{1,58}$"),
                MessageHandler(filters.LOCATION, on_zone_location),
                MessageHandler(text, on_zone_text),
            ],
            State.QUIET: [
                back,
                CallbackQueryHandler(on_quiet_button, pattern=r"^st:q:[0-9]{1,2}-[0-9]{1,2}$"),
                MessageHandler(text, on_quiet_text),
            ],
            State.PAUSE: [
                back,
                CallbackQueryHandler(on_pause_button, pattern=r"^st:p:[0-9]{1,2}$"),
                MessageHandler(text, on_pause_text),
            ],
            State.COUNTRY: [
                back,
                CallbackQueryHandler(on_no_country, pattern=r"^st:c:none$"),
                MessageHandler(text, on_country_text),
            ],
            State.DIGEST: [back, CallbackQueryHandler(on_digest_day, pattern=r"^st:d:[0-6]$")],
            State.FOLLOW_UPS: [back, CallbackQueryHandler(on_follow_ups, pattern=r"^st:f:[0-9]$")],
            State.TOUCH: [back, CallbackQueryHandler(on_period, pattern=r"^st:t[im]:[0-9]{1,3}$")],
            State.REPORT_BACK: [back, CallbackQueryHandler(on_period, pattern=r"^st:rb:[0-9]{1,3}$")],
            State.NOT_NOW: [back, CallbackQueryHandler(on_period, pattern=r"^st:nn:[0-9]{1,3}$")],
        },
        fallbacks=[
            CommandHandler("settings", open_settings),
            *flow_fallbacks(on_cancel=cancel, prefix=r"^st:"),
            MessageHandler(~filters.COMMAND, on_text_in_menu),
        ],
    )
