"""Telegram UI: one module per flow. ``register(app)`` adds them all, in order."""

from __future__ import annotations

from telegram.ext import Application

from handlers import add_contact, basics, contacts, drafts, errors, find, import_csv, nudges, onboarding, settings


def register(app: Application) -> None:
    # Conversations first: while a user is inside one, it gets their messages before anything else.
    # Settings come before onboarding so that /settings opens even halfway through onboarding,
    # which then carries on where it was once the settings are closed.
    app.add_handler(settings.build_settings_handler())
    app.add_handler(onboarding.build_onboarding_handler())
    app.add_handler(find.build_find_handler())
    app.add_handler(add_contact.build_add_handler())
    app.add_handler(contacts.build_edit_handler())
    app.add_handler(drafts.build_typed_handler())
    # Contacts and requests: the pipeline, cards, drafts and CSV import.
    for handler in drafts.build_handlers() + contacts.build_handlers() + import_csv.build_handlers():
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
