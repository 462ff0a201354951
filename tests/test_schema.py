"""Schema: the Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, MetaData, String

from storage.db import create_engine
from storage.migrate import alembic_config, current_revision, head_revision, upgrade
from storage.models import Base


def _include_name(name: str | None, type_: str, parent_names: dict[str, Any]) -> bool:
    """Alembic's own bookkeeping table is not part of the models."""
    return not (type_ == "table" and name == "alembic_version")


def _compare_server_default(
    context, inspected_column, metadata_column, inspected_default, metadata_default, rendered_metadata_default
) -> bool | None:
    """None lets Alembic compare, except for one false positive on SQLite.

    Alembic's SQLite comparison strips the quotes of a reflected literal default only when it is
    non-empty, so `server_default=""` (users.muted_kinds), reflected as `('')`, always looks changed.
    """
    empty = inspected_default in ("''", "('')") and rendered_metadata_default == ""
    if context.dialect.name == "sqlite" and empty:
        return False
    return None


async def schema_diff(url: str, metadata: MetaData) -> list:
    """Alembic's autogenerate diff between the database at ``url`` and ``metadata``."""
    opts = {"compare_type": True, "compare_server_default": _compare_server_default, "include_name": _include_name}
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync, opts=opts), metadata)
            )
    finally:
        await engine.dispose()


async def test_migrations_build_exactly_the_models_schema(migrated_url: str) -> None:
    """Protects against a model change shipped without its migration (or a migration that drifts)."""
    assert await schema_diff(migrated_url, Base.metadata) == []


async def test_the_comparison_sees_a_changed_column(migrated_url: str) -> None:
    """Protects the test above from passing vacuously: a changed type, column or default is noticed."""
    changed = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        table.to_metadata(changed)
    users = changed.tables["users"]
    users.c.name.type = String(65)
    users.append_column(Column("nickname", String(64)))
    muted = Column("muted_kinds", String(200), nullable=False, server_default="none")
    users.append_column(muted, replace_existing=True)
    kinds = {_kind(entry) for entry in await schema_diff(migrated_url, changed)}
    assert kinds == {"modify_type", "add_column", "modify_default"}


def _kind(entry: Any) -> str:
    """The operation name of one diff entry (column modifications come wrapped in a list)."""
    return entry[0][0] if isinstance(entry, list) else entry[0]


def test_the_fast_check_knows_the_newest_revision() -> None:
    """The start's one-query check compares with the newest migration file; Alembic must agree it is the head."""
    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


async def test_an_up_to_date_database_is_recognised_and_a_new_one_is_not(database_url: str) -> None:
    assert await current_revision(database_url) is None, "a new database has no revision"
    engine = create_engine(database_url)
    await upgrade(engine)
    await engine.dispose()
    assert await current_revision(database_url) == head_revision()
