"""Alembic environment: runs on a connection handed over by storage.migrate (async engines)."""

from __future__ import annotations

import asyncio

from alembic import context

from storage.db import create_engine
from storage.models import Base

config = context.config


def _run(connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead.
        render_as_batch=sqlite,
        compare_type=True,
    )
    if sqlite:
        # Batch mode copies a table and drops the old one: with foreign keys on, dropping the old `users`
        # would cascade and delete every contact, meeting and reminder. Off for the migration, checked after.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        with context.begin_transaction():
            context.run_migrations()
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    if sqlite:
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migration left {len(broken)} rows pointing at missing rows")


async def _run_with_new_engine(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
    else:
        url = config.get_main_option("sqlalchemy.url")
        if url is None:
            raise SystemExit("No database URL: set DATABASE_URL or run `infocoach migrate`.")
        asyncio.run(_run_with_new_engine(url))


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run `infocoach migrate`.")
run_migrations_online()
