"""Migrations keep the data: rows written before an upgrade are all there after it, on SQLite and PostgreSQL.

SQLite cannot alter most columns in place, so Alembic's batch mode copies a table and drops the old one.
With foreign keys on, dropping the old ``users`` table cascaded: 0010 (quiet hours to the minute) deleted
every contact, meeting and reminder of every user. The environment turns foreign keys off for the copy.
"""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import text

from storage.db import create_engine
from storage.migrate import alembic_config, upgrade

ROWS = {
    "users": "INSERT INTO users (id, chat_id, is_active, quiet_start_hour, quiet_end_hour, digest_weekday, muted_kinds,"
    " strict_drafts, max_follow_ups, created_at, updated_at, report_back_days, touch_ideal_days, touch_max_days,"
    " not_now_days) VALUES (7, 7, true, 22, 7, 0, '', false, 1, :t, :t, 28, 42, 91, 28)",
    "employers": "INSERT INTO employers (id, user_id, name, motivation, knows_someone, created_at)"
    " VALUES (1, 7, 'Acme', 3, false, :t)",
    "contacts": "INSERT INTO contacts (id, user_id, name, employer_id, stage, follow_ups_sent, booster, archived,"
    " created_at, updated_at, touch_stopped) VALUES (1, 7, 'Maya Chen', 1, 'met', 0, false, false, :t, :t, false)",
    "drafts": "INSERT INTO drafts (id, user_id, contact_id, kind, body, variant, short, edited, created_at)"
    " VALUES (1, 7, 1, 'email', 'Hi Maya', 0, false, false, :t)",
    "meetings": "INSERT INTO meetings (id, user_id, contact_id, starts_at, minutes, format, status, created_at,"
    " updated_at) VALUES (1, 7, 1, :t, 30, 'video', 'happened', :t, :t)",
    "nudges": "INSERT INTO nudges (id, user_id, kind, subject, due_at, status, attempts, dedup_key, created_at)"
    " VALUES (1, 7, 'keep_in_touch', '1', :t, 'pending', 0, 'k1', :t)",
    "reflections": "INSERT INTO reflections (id, user_id, contact_id, meeting_id, step, learned, created_at)"
    " VALUES (1, 7, 1, 1, 9, 'Teams ship weekly', :t)",
    "plan_items": "INSERT INTO plan_items (id, user_id, reflection_id, kind, text, created_at)"
    " VALUES (1, 7, 1, 'resume', 'Lead with the data project', :t)",
}
BEFORE = "0009"  # the newest revision before the first one that copies the users table


def _upgrade_to(connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def test_every_row_written_before_an_upgrade_is_there_after_it(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade_to, BEFORE)
        async with engine.begin() as connection:
            for statement in ROWS.values():
                await connection.execute(text(statement), {"t": datetime(2026, 11, 20, 10, 0, tzinfo=UTC)})
        await upgrade(engine)  # the path the bot takes at startup
        async with engine.connect() as connection:
            counts = {table: await connection.scalar(text(f"SELECT count(*) FROM {table}")) for table in ROWS}
            quiet = (await connection.execute(text("SELECT quiet_start_minute, quiet_end_minute FROM users"))).one()
    finally:
        await engine.dispose()
    assert counts == dict.fromkeys(ROWS, 1), "an upgrade deleted rows"
    assert tuple(quiet) == (22 * 60, 7 * 60), "quiet hours were not converted to minutes"
