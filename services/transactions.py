"""Units of work for the UI layers, which don't import storage themselves."""

from __future__ import annotations

from storage.uow import UnitOfWork, mark_failed, update_transaction

__all__ = ["UnitOfWork", "mark_failed", "update_transaction"]
