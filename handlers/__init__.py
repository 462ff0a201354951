"""Telegram UI: one module per flow. ``register(app)`` adds them all, in order."""

from __future__ import annotations

from telegram.ext import Application

from handlers import (
    add_contact,
    after,
    basics,
    clean_input,
    contacts,
    data,
    drafts,
    errors,
    find,
    flows,
    import_csv,
    meetings,
    nudges,
    onboarding,
    private,
    settings,
)


def register(app: Application) -> None:
    conversations = [
        settings.build_settings_handler(),
        onboarding.build_onboarding_handler(),
        find.build_find_handler(),
        add_contact.build_add_handler(),
        contacts.build_edit_handler(),
        drafts.build_typed_handler(),
        meetings.build_meeting_handler(),
        after.build_reflect_handler(),
    ]
    app.add_handler(clean_input.build_cleaner(), group=-3)  # typed text cleaned, edits answered: first of all
    app.add_handler(private.build_handler(), group=private.GROUP)  # private chats only: groups stop here
    # Before anything else: a command or another flow's button closes the flow left open (one at a time).
    app.add_handler(flows.build_guard(conversations), group=-1)
    # Conversations first: while a user is inside one, it gets their messages before anything else.
    for conversation in conversations:
        app.add_handler(conversation)
    # Contacts and requests: the pipeline, cards, drafts and CSV import.
    for handler in (
        drafts.build_handlers()
        + contacts.build_handlers()
        + import_csv.build_handlers()
        + meetings.build_handlers()
        + after.build_handlers()
        + data.build_handlers()
    ):
        app.add_handler(handler)
    # Nudge buttons, /today and block/unblock updates.
    for handler in nudges.build_handlers():
        app.add_handler(handler)
    # Commands that work outside any flow.
    for handler in basics.build_command_handlers():
        app.add_handler(handler)
    # Last in the group: whatever nothing else understood gets a helpful answer, never silence.
    for handler in basics.build_fallback_handlers():
        app.add_handler(handler)
    app.add_error_handler(errors.on_error)
