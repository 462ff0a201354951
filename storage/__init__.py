"""Persistence: SQLAlchemy models, engine and sessions, repositories, unit of work, migrations."""
