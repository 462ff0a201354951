"""Contacts: adding people without duplicates, within the per-user limit."""

from __future__ import annotations

from dataclasses import dataclass, field

from coaching.contacts import MAX_CONTACTS, duplicate_key
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Added:
    """Who was added, who was already on the list, and whether the limit stopped the rest."""

    added: list[tuple[str, str | None]] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    limit_reached: bool = False


async def add_people(uow: UnitOfWork, user_id: int, entries: list[tuple[str, str | None]], *, source: str) -> Added:
    """Add (name, company) pairs as contacts to research; the same person (case and accents folded) once."""
    known = {duplicate_key(c.name, c.company) for c in await uow.contacts.all_of(user_id)}
    known |= {duplicate_key(c.name, c.company) for c in await uow.contacts.all_of(user_id, archived=True)}
    room = MAX_CONTACTS - await uow.contacts.count(user_id)
    result = Added()
    for name, company in entries:
        key = duplicate_key(name, company)
        if key in known:
            result.duplicates.append(name)
            continue
        if room <= 0:
            return Added(result.added, result.duplicates, limit_reached=True)
        uow.contacts.add(user_id, name=name, company=company, source=source)
        known.add(key)
        result.added.append((name, company))
        room -= 1
    return result
