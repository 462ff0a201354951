"""Apply the Alembic migrations shipped inside the package.

Most starts find the database up to date: one query for its revision settles that, before Alembic (about
half a second to import and read its scripts) is even loaded.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

if TYPE_CHECKING:
    from alembic.config import Config

_MIGRATIONS = Path(__file__).with_name("migrations")
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")


def head_revision() -> str:
    """The newest revision shipped: the migrations are numbered 0001, 0002, … and each revises the one before."""
    return max(m.group(1) for p in (_MIGRATIONS / "versions").iterdir() if (m := _REVISION_FILE.match(p.name)))


def alembic_config(url: str | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def current_revision(url: str) -> str | None:
    """The database's revision, or None (a new database, or one Alembic never touched)."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.scalar(text("SELECT version_num FROM alembic_version"))
    except DBAPIError:
        return None  # no such table yet
    finally:
        await engine.dispose()


def is_up_to_date(url: str) -> bool:
    """True when the database at ``url`` is at the newest revision (call outside an event loop)."""
    return asyncio.run(current_revision(url)) == head_revision()


def upgrade_url(url: str) -> None:
    """Migrate the database at ``url`` to the newest revision (call outside an event loop)."""
    if is_up_to_date(url):
        return
    from alembic import command

    command.upgrade(alembic_config(url), "head")


async def upgrade(engine: AsyncEngine) -> None:
    """Migrate through ``engine`` from inside a running event loop."""
    from alembic import command

    def _upgrade(connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)
