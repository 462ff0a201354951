"""/contacts: the pipeline by stage, contact cards, and what can be done from a card."""

from __future__ import annotations

import math

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

from coaching import contact_copy as text
from coaching import copy, draft_copy
from coaching.answers import InvalidAnswer, clean_text
from coaching.contacts import (
    ACTIVE_EMPLOYERS,
    CHANNEL_LABELS,
    PAGE_SIZE,
    RELATION_LABELS,
    STAGE_LABELS,
    STAGE_ORDER,
    Stage,
    allowed_moves,
    clean_contact_name,
    clean_note,
    contact_sort_key,
)
from coaching.defaults import MAX_WHY_THEM_CHARS
from coaching.drafts import KIND_LABELS, DraftKind
from coaching.enums import Reply
from coaching.meetings import describe
from coaching.outreach import waiting_for_reply
from handlers.callbacks import ID, build, parser
from handlers.common import (
    answer,
    edit_or_send,
    esc,
    flow_fallbacks,
    keyboard,
    now,
    persistent_conversation,
    reply,
    say,
    unit_of_work,
)
from services import contacts as service
from services.contacts import ContactRecord
from services.outreach import state_of

_ID = ID
_EDIT_KEY = "contact_edit"


# Rendering ----------------------------------------------------------------------------------------------


def data(action: str, *parts: object) -> str:
    return build("ct", action, *parts)


NOTE_PREVIEW = 500  # characters of a note shown on the card; the whole note is a button away
SENT_SHOWN = 10  # the latest requests listed on a card
_NOTES = (
    ("company_notes", "🏢 Company notes"),
    ("person_notes", "🙋 About them"),
    ("offer", "🎁 To offer"),
    ("why_them", "💡 Why them"),
)


def preview(value: str, limit: int = NOTE_PREVIEW) -> str:
    """The start of a long note, cut at a word where one is near, with "…"; a short note whole."""
    if len(value) <= limit:
        return value
    cut = value[:limit]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    return (cut[:space] if space > limit * 0.8 else cut).rstrip() + "…"


def long_notes(contact: ContactRecord) -> list[tuple[str, str]]:
    """The notes the card shows only the start of: (label, whole text)."""
    return [
        (label, value) for field, label in _NOTES if (value := getattr(contact, field)) and len(value) > NOTE_PREVIEW
    ]


def card_text(contact: ContactRecord, referrer_name: str | None = None, sent: list | None = None) -> str:
    """A contact card, within one message by design: notes show their start (NOTE_PREVIEW characters), the
    whole of a long one is behind "Read the full notes"; the latest SENT_SHOWN requests are listed."""
    lines = []
    if contact.role or contact.company:
        lines.append(" at ".join(esc(part) for part in (contact.role, contact.company) if part))
    if contact.relation:
        via = f" (via {esc(contact.via)})" if contact.via else ""
        lines.append(f"<b>How you know them:</b> {RELATION_LABELS.get(contact.relation, contact.relation)}{via}")
    if referrer_name is not None:
        lines.append(f"<b>Referred by:</b> {esc(referrer_name)}")
    if contact.channel:
        handle = f": {esc(contact.handle)}" if contact.handle else ""
        lines.append(f"<b>Best channel:</b> {CHANNEL_LABELS.get(contact.channel, contact.channel)}{handle}")
    status = STAGE_LABELS[Stage(contact.stage)] + (" (archived)" if contact.archived else "")
    lines.append(f"<b>Stage:</b> {status}")
    for field, label in _NOTES:
        if value := getattr(contact, field):
            lines.append(f"<b>{label}:</b>\n{esc(preview(value))}")
    if sent:
        lines.append(draft_copy.HISTORY)
        lines += [f"• {KIND_LABELS[DraftKind(kind)]}, {sent_at:%d %b %Y}" for kind, sent_at in sent[-SENT_SHOWN:]]
    return text.CARD.format(name=esc(contact.name), details="\n".join(lines))


def card_keyboard(contact: ContactRecord, meeting=None, moment=None):
    cid = contact.id
    waiting = waiting_for_reply(state_of(contact))
    version = service.version_of(contact)
    archive = (
        ("🗄 Unarchive", data("unarch", cid, version)) if contact.archived else ("🗄 Archive", data("arch", cid, version))
    )
    return keyboard(
        [("✉️ Draft a request", build("dr", "to", cid))]
        + ([("💬 They replied", build("dr", "rq", cid))] if waiting else []),
        [
            ("🏢 Company notes", data("note", "company_notes", cid)),
            ("🙋 About them", data("note", "person_notes", cid)),
        ],
        [("🎁 Something to offer", data("note", "offer", cid)), ("💡 Why them", data("note", "why_them", cid))],
        *_meeting_buttons(contact, meeting, moment),
        *([[(text.READ_FULL_NOTES, data("full", cid))]] if long_notes(contact) else []),
        [("✏️ Edit", data("edit", cid))],
        [("➡️ Move stage", data("move", cid)), archive],
        [("🗑 Delete", data("del", cid, version)), ("« All contacts", data("l", "all", 0, 1))],
    )


def _meeting_buttons(contact: ContactRecord, meeting, moment=None) -> list[list[tuple[str, str]]]:
    """Before the meeting: move or cancel it. After its time: how it went. None yet: schedule one after a yes."""
    if meeting is not None and moment is not None and meeting.starts_at <= moment:
        return [
            [("✅ It happened", build("rf", "go", meeting.id)), ("🗓 It was moved", build("mt", "move", meeting.id))],
            [("🙈 They didn't show", build("mt", "noshow", meeting.id))],
        ]
    if meeting is not None:
        return [
            [
                ("🗓 Move meeting", build("mt", "move", meeting.id)),
                ("✖ Cancel meeting", build("mt", "cancel", meeting.id)),
            ]
        ]
    waiting_for_a_time = contact.reply == Reply.YES and contact.stage in (Stage.REQUESTED, Stage.FOLLOWED_UP)
    if waiting_for_a_time or contact.stage == Stage.SCHEDULED:
        return [[("📅 Schedule meeting", build("mt", "new", contact.id))]]
    return _after_buttons(contact)


def _after_buttons(contact: ContactRecord) -> list[list[tuple[str, str]]]:
    """After the conversation: reflect, thank, report back, keep in touch; after "not now", ask again."""
    cid = contact.id
    if contact.reply == Reply.NOT_NOW and contact.stage == Stage.KEEPING_IN_TOUCH and contact.met_at is None:
        return [[("🌱 Ask again", build("af", "n", "nn", cid))]]
    if contact.stage not in (Stage.MET, Stage.THANKED, Stage.KEEPING_IN_TOUCH):
        return []
    rows = [[("📝 Reflection", build("rf", "ct", cid))]]
    if contact.thanked_at is None:
        rows[0].append(("💌 Thank-you note", build("af", "n", "ty", cid)))
    else:
        rows[0].append(("📣 Report back", build("af", "n", "rb", cid)))
    rows.append([("🤝 We were in touch", build("af", "t", cid)), ("⏱ Keep-in-touch", build("af", "c", cid))])
    return rows


async def _show(update: Update, html: str, markup=None, *, edit: bool = True) -> None:
    """Edit the pressed message in place (or send anew if it can't be), or send a new one when asked."""
    if update.callback_query and edit:
        await edit_or_send(update, html, markup)
    else:
        await reply(update, html, markup)


async def show_card(
    update: Update, context: ContextTypes.DEFAULT_TYPE, contact_id: int, *, edit: bool = True, note: str = ""
) -> None:
    async with unit_of_work(context) as uow:
        found = await service.card(uow, update.effective_user.id, contact_id)
    if found is None:
        await _show(update, text.NOT_FOUND, edit=edit)
        return
    html = card_text(found.contact, found.referrer_name, found.sent) + _meeting_line(found, now(context))
    html += f"\n\n<i>{note}</i>" if note else ""
    await _show(update, html, card_keyboard(found.contact, found.meeting, now(context)), edit=edit)


def _meeting_line(found: service.Card, moment) -> str:
    if found.meeting is None:
        return ""
    return f"\n<b>📅 Meeting:</b> {esc(describe(found.meeting.starts_at, found.zone, moment))}"


# The list ------------------------------------------------------------------------------------------------


async def show_list(
    update: Update, context: ContextTypes.DEFAULT_TYPE, stage: str = "all", employer_id: int = 0, page: int = 1
) -> None:
    """The pipeline: counts by stage, then one page of contacts as buttons, with filters."""
    user_id = update.effective_user.id
    async with unit_of_work(context) as uow:
        contacts, employers = await service.pipeline(uow, user_id, archived=stage == "archived")
    if not contacts and stage == "all":
        await _show(update, text.NO_CONTACTS)
        return
    counts = {s: sum(1 for c in contacts if c.stage == s) for s in STAGE_ORDER} if stage != "archived" else {}
    chosen = [
        c
        for c in contacts
        if (stage in ("all", "archived") or c.stage == stage) and (not employer_id or c.employer_id == employer_id)
    ]
    chosen.sort(key=lambda c: contact_sort_key(c.stage, c.name))
    pages = max(1, math.ceil(len(chosen) / PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = chosen[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    rows = [[((c.name + (f" · {c.company}" if c.company else ""))[:60], f"ct:c:{c.id}")] for c in shown]
    nav = []
    if page > 1:
        nav.append(("‹ Prev", f"ct:l:{stage}:{employer_id}:{page - 1}"))
    if page < pages:
        nav.append(("Next ›", f"ct:l:{stage}:{employer_id}:{page + 1}"))
    if nav:
        rows.append(nav)
    rows.append([("🔎 Filter by stage", "ct:fs"), ("🏢 By employer", "ct:fe")])
    if stage != "all" or employer_id:
        rows.append([("✖ Clear filter", "ct:l:all:0:1")])
    stages = "\n".join(f"{STAGE_LABELS[s]}: {n}" for s, n in counts.items() if n) or "Archived contacts"
    employer_name = next((name for eid, name in employers if eid == employer_id), None)
    filters_shown = []
    if stage not in ("all",):
        filters_shown.append(STAGE_LABELS[Stage(stage)] if stage != "archived" else "Archived")
    if employer_name:
        filters_shown.append(esc(employer_name))
    filter_line = f"<b>Showing:</b> {', '.join(filters_shown)}\n" if filters_shown else ""
    if not chosen:
        await _show(update, text.NOTHING_IN_FILTER, keyboard([("✖ Clear filter", "ct:l:all:0:1")]))
        return
    await _show(
        update,
        text.PIPELINE.format(total=len(contacts), stages=stages, filter=filter_line, page=page, pages=pages),
        keyboard(*rows),
    )


async def contacts_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/contacts: the pipeline."""
    await show_list(update, context)


async def employers_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/employers: the short list, most wanted first, the top five marked."""
    await reply(update, await employers_text(update, context))


async def employers_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    async with unit_of_work(context) as uow:
        ranked = await service.employers(uow, update.effective_user.id)
    if not ranked:
        return text.NO_EMPLOYERS
    lines = [text.EMPLOYERS_TITLE.format(active=ACTIVE_EMPLOYERS), ""]
    for index, employer in enumerate(ranked):
        mark = "⭐" if index < ACTIVE_EMPLOYERS else "▫️"
        known = ", you know someone there" if employer.knows_someone else ""
        lines.append(
            f"{mark} <b>{esc(employer.name)}</b> ({employer.motivation}/5{known}; "
            f"{employer.contacts} contact{'s' if employer.contacts != 1 else ''})"
        )
    return "\n".join(lines)


# Buttons -------------------------------------------------------------------------------------------------

parse_list = parser(rf"^ct:l:([a-z_]+):{ID}:{ID}$")
parse_action = parser(rf"^ct:(c|move|edit|full):{ID}$")
# Buttons that change the contact carry the version of the card they came from (services.contacts.version_of).
VERSION = r"(\d{1,15})"
parse_change = parser(rf"^ct:(arch|unarch|del|delok):{ID}:{VERSION}$")
parse_move = parser(rf"^ct:mv:({'|'.join(Stage)}):{ID}:{VERSION}$")
CONFIRM_DELETE = "contact_delete_confirm"


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every /contacts button: lists, filters, cards, moves, archive and delete."""
    raw = update.callback_query.data
    await answer(update)
    # A delete confirmation is good once, and only until the user does anything else.
    asked_to_delete = context.user_data.pop(CONFIRM_DELETE, None)
    if parsed := parse_list(raw):
        stage = parsed[0] if parsed[0] in {"all", "archived"} | set(Stage) else "all"
        await show_list(update, context, stage, int(parsed[1]), int(parsed[2]))
    elif raw == "ct:fs":
        stages = [(STAGE_LABELS[s], data("l", s, 0, 1)) for s in STAGE_ORDER] + [
            ("Archived", data("l", "archived", 0, 1))
        ]
        await _show(update, "Show which stage?", keyboard(*[stages[i : i + 2] for i in range(0, len(stages), 2)]))
    elif raw == "ct:fe":
        async with unit_of_work(context) as uow:
            _, employers = await service.pipeline(uow, update.effective_user.id, archived=False)
        buttons = [(name[:40], data("l", "all", eid, 1)) for eid, name in employers[:20]]
        await _show(
            update,
            "Show contacts at which employer?" if buttons else text.NO_EMPLOYERS,
            keyboard(*[[b] for b in buttons], [("« Back", data("l", "all", 0, 1))]),
        )
    elif parsed := parse_move(raw):
        await _move(update, context, parsed[0], int(parsed[1]), int(parsed[2]))
    elif parsed := parse_change(raw):
        action, contact_id, version = parsed[0], int(parsed[1]), int(parsed[2])
        if action == "delok" and asked_to_delete != contact_id:
            await show_card(update, context, contact_id, note=text.OUT_OF_DATE)
        else:
            await _card_action(update, context, action, contact_id, version)
    elif parsed := parse_action(raw):
        await _card_action(update, context, parsed[0], int(parsed[1]))
    else:
        await _show(update, text.NOT_FOUND)


async def _card_action(
    update: Update, context: ContextTypes.DEFAULT_TYPE, action: str, contact_id: int, version: int | None = None
) -> None:
    user_id = update.effective_user.id
    note = ""
    async with unit_of_work(context) as uow:
        if action in ("arch", "unarch"):
            result = await service.set_archived(
                uow, user_id, contact_id, action == "arch", now(context), version=version
            )
            contact, note = result.contact, "" if result.changed else text.OUT_OF_DATE
        elif action == "delok":
            name = await service.delete(uow, user_id, contact_id, now(context), version=version)
            contact = None
        else:
            contact = await service.get(uow, user_id, contact_id)
    if action == "delok" and name is None:
        await show_card(update, context, contact_id, note=text.OUT_OF_DATE)
    elif action == "delok":
        await _show(update, text.DELETED.format(name=esc(name)), keyboard([("« All contacts", data("l", "all", 0, 1))]))
    elif contact is None:
        await _show(update, text.NOT_FOUND)
    elif action in ("c", "arch", "unarch"):
        await show_card(update, context, contact_id, note=note)
    elif action == "full":  # each long note in messages of its own, split where Telegram needs it
        for label, value in long_notes(contact) or [("", text.NOTES_ALL_SHOWN)]:
            await reply(update, f"<b>{esc(contact.name)} · {label}</b>\n{esc(value)}" if label else value)
    elif action == "move":
        version = service.version_of(contact)
        moves = [(STAGE_LABELS[s], data("mv", s, contact_id, version)) for s in allowed_moves(Stage(contact.stage))]
        await _show(
            update,
            text.MOVE_WHERE.format(name=esc(contact.name), stage=STAGE_LABELS[Stage(contact.stage)]),
            keyboard(*[[m] for m in moves], [("« Back", data("c", contact_id))]),
        )
    elif action == "del":
        context.user_data[CONFIRM_DELETE] = contact_id
        await _show(
            update,
            text.CONFIRM_DELETE.format(name=esc(contact.name)),
            keyboard([("🗑 Yes, delete", data("delok", contact_id, version)), ("Keep", data("c", contact_id))]),
        )
    elif action == "edit":
        fields = [("Name", "name"), ("Company", "company"), ("Role", "role"), ("Introduced via", "via")]
        await _show(
            update,
            text.EDIT_WHICH,
            keyboard(
                *[[(label, data("ef", field, contact_id))] for label, field in fields],
                [("« Back", data("c", contact_id))],
            ),
        )


async def _move(update: Update, context: ContextTypes.DEFAULT_TYPE, target: str, contact_id: int, version: int) -> None:
    async with unit_of_work(context) as uow:
        result = await service.move_stage(
            uow, update.effective_user.id, contact_id, target, now(context), version=version
        )
    if result.contact is None:
        await _show(update, text.NOT_FOUND)
    else:
        await show_card(update, context, contact_id, note="" if result.changed else text.MOVE_NOT_ALLOWED)


# Typed edits: notes, the thing to offer, and fields -------------------------------------------------------

AWAIT_TEXT = "contact_await_text"
parse_note = parser(rf"^ct:note:(company_notes|person_notes|offer|why_them):{ID}$")
parse_field = parser(rf"^ct:ef:(name|company|role|via):{ID}$")


async def ask_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """A note or field button: remember which, and ask for the text."""
    raw = update.callback_query.data
    await answer(update)
    parsed = parse_note(raw) or parse_field(raw)
    if not parsed:
        return ConversationHandler.END
    field, contact_id = parsed[0], int(parsed[1])
    async with unit_of_work(context) as uow:
        contact = await service.get(uow, update.effective_user.id, contact_id)
    if contact is None:
        await _show(update, text.NOT_FOUND)
        return ConversationHandler.END
    context.user_data[_EDIT_KEY] = {"id": contact_id, "field": field}
    prompt = text.ASK_NOTE.get(field) or text.ASK_FIELD[field]
    current = getattr(contact, field)
    if current:
        prompt += f"\n\nNow: <i>{esc(current[:500])}</i>"
    await reply(update, f"<b>{esc(contact.name)}</b>\n{prompt}\n\n/cancel keeps it as it is.")
    return AWAIT_TEXT


def _clean(field: str, value: str | None) -> str:
    if field == "name":
        return clean_contact_name(value)
    if field == "why_them":  # quoted in drafts: the same cap as the draft flow's question
        return clean_text(value, max_chars=MAX_WHY_THEM_CHARS, what="that")
    if field in text.ASK_NOTE:
        return clean_note(value)
    return clean_text(value, max_chars=200, what="that")


async def receive_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
    """Save the typed note or field to the contact (loaded by id and owner), then show the card."""
    target = context.user_data.get(_EDIT_KEY) or {}
    if "field" not in target:
        return ConversationHandler.END
    try:
        value = _clean(target.get("field", ""), update.message.text)
    except InvalidAnswer as problem:
        await reply(update, str(problem))
        return None
    async with unit_of_work(context) as uow:
        contact = await service.set_field(
            uow, update.effective_user.id, int(target.get("id", 0)), target["field"], value
        )
    context.user_data.pop(_EDIT_KEY, None)
    if contact is None:
        await reply(update, text.NOT_FOUND)
    else:
        await reply(update, text.SAVED)
        await show_card(update, context, contact.id)
    return ConversationHandler.END


def build_edit_handler() -> ConversationHandler:
    return persistent_conversation(
        "contact_edit",
        entry_points=[CallbackQueryHandler(ask_text, pattern=r"^ct:(note|ef):")],
        states={
            AWAIT_TEXT: [
                MessageHandler(filters.TEXT & ~filters.COMMAND, receive_text),
                MessageHandler(~filters.COMMAND, say(copy.TEXT_ONLY.format(prompt_hint="Please type it, or /cancel."))),
            ]
        },
        fallbacks=flow_fallbacks(_EDIT_KEY, cancelled=text.EDIT_CANCELLED, prefix=r"^ct:(note|ef):"),
    )


def build_handlers() -> list[BaseHandler]:
    return [
        CommandHandler("contacts", contacts_command),
        CommandHandler("employers", employers_command),
        CallbackQueryHandler(on_button, pattern=r"^ct:"),
    ]
