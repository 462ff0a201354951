"""Repositories: queries by owner. They add and load; only the unit of work commits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Result, and_, bindparam, case, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from coaching.enums import REQUEST_KINDS, MeetingStatus, NudgeStatus, Reply, Stage
from storage.models import Contact, DraftRecord, Employer, Meeting, Nudge, PlanItem, Reflection, User

PENDING, SENDING, SENT, FAILED, CANCELLED = (
    NudgeStatus.PENDING,
    NudgeStatus.SENDING,
    NudgeStatus.SENT,
    NudgeStatus.FAILED,
    NudgeStatus.CANCELLED,
)


def _rowcount(result: Result) -> int:
    """Rows an UPDATE touched (the result of an UPDATE is a cursor result)."""
    return cast(CursorResult, result).rowcount


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> User | None:
        user = await self._session.get(User, user_id)
        # The session's identity map holds objects weakly: kept here, the user is loaded once per update (one
        # session), not again by each service that asks once the previous one let go of it.
        self._session.info.setdefault("users", {})[user_id] = user
        return user

    async def get_many(self, user_ids: set[int]) -> list[User]:
        if not user_ids:
            return []
        return list(await self._session.scalars(select(User).where(User.id.in_(user_ids))))

    async def get_or_create(self, user_id: int, chat_id: int) -> User:
        """The user, created on first contact. ``chat_id`` is kept only when it is their private chat,
        whose id in Telegram is the user's own id: a group's id is never stored, and one stored by an
        older version is replaced, so reminders can only ever go to the private chat."""
        private_chat = user_id if chat_id != user_id else chat_id
        user = await self.get(user_id)
        if user is None:
            # Written now, not with the commit: rows of other tables added in this update point to it, and the
            # ORM only orders the writes of related classes (these have no relationship()).
            user = User(id=user_id, chat_id=private_chat, is_active=True)
            self._session.add(user)
            await self._session.flush()
        elif user.chat_id != private_chat:
            user.chat_id = private_chat
        return user


def _schedule_once(insert: Callable[..., Any]) -> Any:
    """INSERT a nudge (its values given when executed), revived if cancelled, else left as it is (see schedule)."""
    query = insert(Nudge).values(status=PENDING, attempts=0)
    revive = {"status": PENDING, "due_at": query.excluded.due_at, "attempts": 0, "done_at": None}
    return query.on_conflict_do_update(index_elements=[Nudge.dedup_key], set_=revive, where=Nudge.status == CANCELLED)


# The dispatcher's marks, built once (a statement built anew costs more CPU than its round trip to SQLite, and an
# ON CONFLICT one built anew is compiled anew). They don't update objects in the session: a mark's session
# holds none of these rows.
_MARK_SENT = (
    update(Nudge)
    .where(Nudge.id.in_(bindparam("ids", expanding=True)))
    .values(status=SENT, sent_at=bindparam("at"), done_at=None, lease_until=None, last_error=None)
    .returning(Nudge.id, Nudge.user_id)
    .execution_options(synchronize_session=False)
)
_newer = aliased(Nudge)
_LIVE = (PENDING, SENDING)
# A digest (say) just sent: its owner's older sent ones are done (settle_kind) and the pending ones cancelled
# (cancel_pending), in one statement. The two sets of rows are apart (sent, or pending), so one CASE each.
_SUPERSEDE = (
    update(Nudge)
    .where(
        Nudge.user_id.in_(bindparam("users", expanding=True)),
        Nudge.kind == bindparam("of_kind"),
        or_(
            Nudge.status.in_(_LIVE),
            and_(
                Nudge.status == SENT,
                Nudge.done_at.is_(None),
                Nudge.id
                < select(func.max(_newer.id))
                .where(_newer.user_id == Nudge.user_id, _newer.id.in_(bindparam("newer", expanding=True)))
                .scalar_subquery(),
            ),
        ),
    )
    .values(
        status=case((Nudge.status.in_(_LIVE), CANCELLED), else_=Nudge.status),
        done_at=case((Nudge.status == SENT, bindparam("at")), else_=Nudge.done_at),
    )
    .execution_options(synchronize_session=False)
)
_SCHEDULE_ONCE = {"postgresql": _schedule_once(pg_insert), "sqlite": _schedule_once(sqlite_insert)}


class NudgeRepository:
    """Nudge rows: schedule once per dedup key, claim due ones with a lease, settle them."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def schedule(self, *, user_id: int, kind: str, subject: str, due_at: datetime, dedup_key: str) -> Nudge:
        """Create the nudge unless one with ``dedup_key`` exists; either way return that one.

        A cancelled one is revived with the new due time: scheduling it again means it is wanted again.
        """
        existing = await self._session.scalar(select(Nudge).where(Nudge.dedup_key == dedup_key))
        if existing is not None:
            if existing.status == CANCELLED:
                existing.status, existing.due_at, existing.attempts, existing.done_at = PENDING, due_at, 0, None
            return existing
        nudge = Nudge(
            user_id=user_id, kind=kind, subject=subject, due_at=due_at, dedup_key=dedup_key, status=PENDING, attempts=0
        )
        try:
            async with self._session.begin_nested():
                self._session.add(nudge)
        except IntegrityError:  # scheduled concurrently by another process: keep theirs
            return (await self._session.scalars(select(Nudge).where(Nudge.dedup_key == dedup_key))).one()
        return nudge

    async def get(self, nudge_id: int) -> Nudge | None:
        """By id alone: for the dispatcher, never for anything a client sent."""
        return await self._session.get(Nudge, nudge_id)

    async def due_count(self, now: datetime) -> int:
        """Nudges pending and due at ``now``, all users together (for /metrics)."""
        query = select(func.count()).select_from(Nudge).where(Nudge.status == PENDING, Nudge.due_at <= now)
        return int(await self._session.scalar(query) or 0)

    async def get_owned(self, nudge_id: int, user_id: int) -> Nudge | None:
        """A nudge by id *and* owner: ids in callback data come from the client."""
        return await self._session.scalar(select(Nudge).where(Nudge.id == nudge_id, Nudge.user_id == user_id))

    async def claim_due(self, now: datetime, *, limit: int, lease: timedelta) -> list[Nudge]:
        """Claim up to ``limit`` due nudges (pending, or sending with an expired lease) for this process.

        PostgreSQL skips rows another dispatcher has locked; on both databases the conditional
        UPDATE below only succeeds for one claimant per row, and returns the rows it claimed.
        """
        claimable = or_(Nudge.status == PENDING, and_(Nudge.status == SENDING, Nudge.lease_until < now))
        query = select(Nudge.id).where(claimable, Nudge.due_at <= now).order_by(Nudge.due_at).limit(limit)
        if self._session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        ids = list(await self._session.scalars(query))
        if not ids:
            return []
        claim = (
            update(Nudge)
            .where(Nudge.id.in_(ids), claimable)
            .values(status=SENDING, lease_until=now + lease)
            .returning(Nudge)
        )
        order = {nudge_id: index for index, nudge_id in enumerate(ids)}  # by due time, as selected
        return sorted(await self._session.scalars(claim), key=lambda nudge: order[nudge.id])

    async def cancel_pending(self, user_id: int, *, kind: str | None = None) -> int:
        query = update(Nudge).where(Nudge.user_id == user_id, Nudge.status.in_((PENDING, SENDING)))
        if kind is not None:
            query = query.where(Nudge.kind == kind)
        result = await self._session.execute(query.values(status=CANCELLED))
        return _rowcount(result)

    async def cancel_about(self, user_id: int, subject: str, kinds: tuple[str, ...]) -> int:
        """Cancel pending nudges of ``kinds`` about one subject (say, a contact who replied)."""
        result = await self._session.execute(
            update(Nudge)
            .where(
                Nudge.user_id == user_id,
                Nudge.subject == subject,
                Nudge.kind.in_(kinds),
                Nudge.status.in_((PENDING, SENDING)),
            )
            .values(status=CANCELLED)
        )
        return _rowcount(result)

    async def pending_of(self, user_id: int, *, kind: str | None = None, claimed: bool = False) -> list[Nudge]:
        """The user's nudges still to send (of ``kind``; with ``claimed``, those a dispatcher holds too), by due time."""
        statuses = (PENDING, SENDING) if claimed else (PENDING,)
        query = select(Nudge).where(Nudge.user_id == user_id, Nudge.status.in_(statuses))
        if kind is not None:
            query = query.where(Nudge.kind == kind)
        return list(await self._session.scalars(query.order_by(Nudge.due_at, Nudge.id)))

    async def pending_about(self, user_id: int, subject: str, kind: str) -> Nudge | None:
        """The next pending nudge of ``kind`` about one subject, if any."""
        query = select(Nudge).where(
            Nudge.user_id == user_id, Nudge.subject == subject, Nudge.kind == kind, Nudge.status == PENDING
        )
        return await self._session.scalar(query.order_by(Nudge.due_at).limit(1))

    async def settle_about(self, user_id: int, subject: str, kinds: tuple[str, ...], now: datetime) -> None:
        """The subject moved on (a reply, a close, a delete): cancel what is planned about it, and mark what
        was already sent as done, so it leaves /today."""
        await self.cancel_about(user_id, subject, kinds)
        await self.done_about(user_id, subject, kinds, now)

    async def done_about(self, user_id: int, subject: str, kinds: tuple[str, ...], now: datetime) -> None:
        """Mark the sent nudges of ``kinds`` about one subject as done (what they asked is done)."""
        await self._session.execute(
            update(Nudge)
            .where(
                Nudge.user_id == user_id,
                Nudge.subject == subject,
                Nudge.kind.in_(kinds),
                Nudge.status == SENT,
                Nudge.done_at.is_(None),
            )
            .values(done_at=now)
        )

    async def mark_sent(self, nudge_id: int, now: datetime) -> None:
        """Sent: one UPDATE, for the reminders whose sending means nothing more (see services.nudges.delivered)."""
        await self.mark_sent_many([nudge_id], now)

    async def mark_sent_many(self, nudge_ids: list[int], now: datetime) -> dict[int, int]:
        """Several sent at once, in one UPDATE; returns each one's owner (none for a row that is gone)."""
        if not nudge_ids:
            return {}
        result = await self._session.execute(_MARK_SENT, {"ids": nudge_ids, "at": now})
        return {nudge_id: user_id for nudge_id, user_id in result}

    async def supersede(self, kind: str, now: datetime, *, newer: dict[int, int]) -> None:
        """``newer`` maps reminders of ``kind`` just sent to their owners. For each owner, in one UPDATE: what
        ``settle_kind`` does (their sent ones older than their newest of these are done) and what ``cancel_pending``
        does for the kind (the pending ones are cancelled)."""
        if newer:
            params = {"users": list(set(newer.values())), "of_kind": kind, "at": now, "newer": list(newer)}
            await self._session.execute(_SUPERSEDE, params)

    async def schedule_once(self, plans: list[dict]) -> None:
        """What ``schedule`` does for each plan (user_id, kind, subject, due_at, dedup_key), in one statement, for a
        caller that doesn't need the rows back: insert it, revive it if it was cancelled, or leave the one already
        there as it is."""
        rows = list({plan["dedup_key"]: plan for plan in plans}.values())
        if rows:
            await self._session.execute(_SCHEDULE_ONCE[self._session.get_bind().dialect.name], rows)

    async def get_many(self, nudge_ids: list[int]) -> dict[int, Nudge]:
        """By id alone, a batch at once (the dispatcher's)."""
        if not nudge_ids:
            return {}
        return {n.id: n for n in await self._session.scalars(select(Nudge).where(Nudge.id.in_(nudge_ids)))}

    # What a batch of reminders is about, loaded at once for the dispatcher (services.nudges.prepare_deliveries).
    # The caller checks each row's owner against its reminder's, as the get_owned methods do.

    async def contacts_for(self, contact_ids: set[int], owners: set[int]) -> list[Contact]:
        """The contacts ``contact_ids``, and every contact (archived too) of the users ``owners``."""
        conditions = []
        if contact_ids:
            conditions.append(Contact.id.in_(contact_ids))
        if owners:
            conditions.append(Contact.user_id.in_(owners))
        if not conditions:
            return []
        return list(await self._session.scalars(select(Contact).where(or_(*conditions))))

    async def meetings_for(self, meeting_ids: set[int]) -> list[Meeting]:
        if not meeting_ids:
            return []
        return list(await self._session.scalars(select(Meeting).where(Meeting.id.in_(meeting_ids))))

    async def requests_sent(self, user_ids: set[int], since: datetime) -> dict[int, int]:
        """Requests each user sent since ``since`` (the weekly digest's count; ContactRepository.week_stats's)."""
        if not user_ids:
            return {}
        query = (
            select(DraftRecord.user_id, func.count())
            .where(DraftRecord.user_id.in_(user_ids), DraftRecord.sent_at >= since, DraftRecord.kind.in_(REQUEST_KINDS))
            .group_by(DraftRecord.user_id)
        )
        return {user_id: count for user_id, count in await self._session.execute(query)}

    async def settle_kind(self, user_id: int, kind: str, now: datetime, *, before_id: int) -> None:
        """Older sent reminders of ``kind`` (say, last week's digest) are done once a newer one went out."""
        await self._session.execute(
            update(Nudge)
            .where(
                Nudge.user_id == user_id,
                Nudge.kind == kind,
                Nudge.id < before_id,
                Nudge.status == SENT,
                Nudge.done_at.is_(None),
            )
            .values(done_at=now)
        )

    async def upcoming(self, user_id: int, until: datetime) -> list[Nudge]:
        """What /today lists: sent and not yet done, or pending and due before ``until``."""
        query = (
            select(Nudge)
            .where(
                Nudge.user_id == user_id,
                or_(
                    and_(Nudge.status == SENT, Nudge.done_at.is_(None)),
                    and_(Nudge.status == PENDING, Nudge.due_at <= until),
                ),
            )
            .order_by(Nudge.due_at)
            .limit(20)
        )
        return list(await self._session.scalars(query))

    async def count_by_status(self) -> dict[str, int]:
        rows = await self._session.execute(select(Nudge.status, func.count()).group_by(Nudge.status))
        return {status: count for status, count in rows}


class ContactRepository:
    """Contacts, always by owner."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def count(self, user_id: int) -> int:
        return (
            await self._session.scalar(select(func.count()).select_from(Contact).where(Contact.user_id == user_id)) or 0
        )

    def add(self, user_id: int, **fields) -> Contact:
        contact = Contact(user_id=user_id, stage=fields.pop("stage", Stage.RESEARCH), archived=False, **fields)
        self._session.add(contact)
        return contact

    async def get_owned(self, contact_id: int, user_id: int) -> Contact | None:
        """By id *and* owner: ids in callback data come from the client."""
        return await self._session.scalar(select(Contact).where(Contact.id == contact_id, Contact.user_id == user_id))

    async def all_of(self, user_id: int, *, archived: bool | None = False) -> list[Contact]:
        """The user's contacts: active ones, archived ones, or (``archived=None``) all."""
        query = select(Contact).where(Contact.user_id == user_id)
        if archived is not None:
            query = query.where(Contact.archived.is_(archived))
        return list(await self._session.scalars(query))

    async def delete(self, contact: Contact) -> None:
        await self._session.delete(contact)

    async def stage_counts(self, user_id: int) -> dict[str, int]:
        rows = await self._session.execute(
            select(Contact.stage, func.count())
            .where(Contact.user_id == user_id, Contact.archived.is_(False))
            .group_by(Contact.stage)
        )
        return {stage: count for stage, count in rows}

    async def week_stats(self, user_id: int, since: datetime) -> dict[str, int]:
        """Counts for the weekly digest: activity since ``since`` and the pipeline now."""
        sent = (
            await self._session.scalar(
                select(func.count())
                .select_from(DraftRecord)
                .where(
                    DraftRecord.user_id == user_id, DraftRecord.sent_at >= since, DraftRecord.kind.in_(REQUEST_KINDS)
                )
            )
            or 0
        )
        return week_counts(await self.all_of(user_id), since, sent)


def week_counts(contacts: Sequence[Contact], since: datetime, requests_sent: int) -> dict[str, int]:
    """The weekly digest's counts from the user's contacts (not archived): activity since ``since`` and the
    pipeline now; ``requests_sent`` is counted from their drafts."""
    return {
        "requests_sent": requests_sent,
        "replies": sum(1 for c in contacts if c.replied_at and c.replied_at >= since),
        "conversations": sum(1 for c in contacts if c.met_at and c.met_at >= since),
        "replies_to_answer": sum(
            1 for c in contacts if c.reply == Reply.YES and c.stage in (Stage.REQUESTED, Stage.FOLLOWED_UP)
        ),
        "ready": sum(1 for c in contacts if c.stage == Stage.READY),
        "to_research": sum(1 for c in contacts if c.stage == Stage.RESEARCH),
    }


class EmployerRepository:
    """Target employers, always by owner."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, user_id: int, name: str, motivation: int = 3, knows_someone: bool = False) -> Employer:
        employer = Employer(user_id=user_id, name=name, motivation=motivation, knows_someone=knows_someone)
        self._session.add(employer)
        return employer

    async def get_owned(self, employer_id: int, user_id: int) -> Employer | None:
        return await self._session.scalar(
            select(Employer).where(Employer.id == employer_id, Employer.user_id == user_id)
        )

    async def all_of(self, user_id: int) -> list[tuple[Employer, int]]:
        """Each employer with how many (unarchived) contacts work there."""
        contacts = (
            select(func.count())
            .where(Contact.employer_id == Employer.id, Contact.archived.is_(False))
            .correlate(Employer)
            .scalar_subquery()
        )
        rows = await self._session.execute(select(Employer, contacts).where(Employer.user_id == user_id))
        return [(employer, count) for employer, count in rows]


class DraftRepository:
    """Request drafts, always by owner."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, user_id: int, contact_id: int, **fields) -> DraftRecord:
        draft = DraftRecord(user_id=user_id, contact_id=contact_id, **fields)
        self._session.add(draft)
        return draft

    async def get_owned(self, draft_id: int, user_id: int) -> DraftRecord | None:
        return await self._session.scalar(
            select(DraftRecord).where(DraftRecord.id == draft_id, DraftRecord.user_id == user_id)
        )

    async def count_for(self, contact_id: int) -> int:
        return (
            await self._session.scalar(
                select(func.count()).select_from(DraftRecord).where(DraftRecord.contact_id == contact_id)
            )
            or 0
        )

    async def sent_for(self, contact_id: int, user_id: int) -> list[DraftRecord]:
        query = (
            select(DraftRecord)
            .where(
                DraftRecord.contact_id == contact_id, DraftRecord.user_id == user_id, DraftRecord.sent_at.is_not(None)
            )
            .order_by(DraftRecord.sent_at)
        )
        return list(await self._session.scalars(query))


class MeetingRepository:
    """Meetings, always by owner."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, user_id: int, contact_id: int, **fields) -> Meeting:
        meeting = Meeting(user_id=user_id, contact_id=contact_id, **fields)
        self._session.add(meeting)
        return meeting

    async def get_owned(self, meeting_id: int, user_id: int) -> Meeting | None:
        return await self._session.scalar(select(Meeting).where(Meeting.id == meeting_id, Meeting.user_id == user_id))

    async def scheduled_with(self, contact_id: int, user_id: int) -> Meeting | None:
        """The contact's meeting still to come or not yet settled, if any."""
        query = select(Meeting).where(
            Meeting.contact_id == contact_id, Meeting.user_id == user_id, Meeting.status == MeetingStatus.SCHEDULED
        )
        return await self._session.scalar(query.order_by(Meeting.starts_at.desc()).limit(1))

    async def past(self, user_id: int, now: datetime, limit: int = 10) -> list[Meeting]:
        """Meetings that happened, or whose time has come and that are not settled yet, latest first."""
        query = select(Meeting).where(
            Meeting.user_id == user_id,
            or_(
                Meeting.status == MeetingStatus.HAPPENED,
                and_(Meeting.status == MeetingStatus.SCHEDULED, Meeting.starts_at <= now),
            ),
        )
        return list(await self._session.scalars(query.order_by(Meeting.starts_at.desc()).limit(limit)))

    async def upcoming(self, user_id: int, since: datetime, until: datetime) -> list[Meeting]:
        """Meetings still on the calendar that start between ``since`` and ``until``, soonest first."""
        query = select(Meeting).where(
            Meeting.user_id == user_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at >= since,
            Meeting.starts_at <= until,
        )
        return list(await self._session.scalars(query.order_by(Meeting.starts_at)))


class ReflectionRepository:
    """Reflections and their plan items, always by owner."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, user_id: int, contact_id: int, **fields) -> Reflection:
        reflection = Reflection(user_id=user_id, contact_id=contact_id, **fields)
        self._session.add(reflection)
        return reflection

    async def get_owned(self, reflection_id: int, user_id: int) -> Reflection | None:
        query = select(Reflection).where(Reflection.id == reflection_id, Reflection.user_id == user_id)
        return await self._session.scalar(query)

    async def for_meeting(self, meeting_id: int, user_id: int) -> Reflection | None:
        query = select(Reflection).where(Reflection.meeting_id == meeting_id, Reflection.user_id == user_id)
        return await self._session.scalar(query.order_by(Reflection.id.desc()).limit(1))

    async def latest_for_contact(self, contact_id: int, user_id: int) -> Reflection | None:
        query = select(Reflection).where(Reflection.contact_id == contact_id, Reflection.user_id == user_id)
        return await self._session.scalar(query.order_by(Reflection.id.desc()).limit(1))

    async def finished(self, user_id: int) -> list[Reflection]:
        """Every finished reflection of the user, oldest first."""
        query = select(Reflection).where(Reflection.user_id == user_id, Reflection.finished_at.is_not(None))
        return list(await self._session.scalars(query.order_by(Reflection.finished_at, Reflection.id)))

    def add_item(self, user_id: int, reflection_id: int, **fields) -> PlanItem:
        item = PlanItem(user_id=user_id, reflection_id=reflection_id, **fields)
        self._session.add(item)
        return item

    async def item_owned(self, item_id: int, user_id: int) -> PlanItem | None:
        return await self._session.scalar(select(PlanItem).where(PlanItem.id == item_id, PlanItem.user_id == user_id))

    async def items_of(self, reflection_id: int, user_id: int) -> list[PlanItem]:
        query = select(PlanItem).where(PlanItem.reflection_id == reflection_id, PlanItem.user_id == user_id)
        return list(await self._session.scalars(query.order_by(PlanItem.id)))

    async def open_items(self, user_id: int) -> list[PlanItem]:
        query = select(PlanItem).where(PlanItem.user_id == user_id, PlanItem.done_at.is_(None))
        return list(await self._session.scalars(query.order_by(PlanItem.id)))


class InboxRepository:
    """The durable inbox (``bot.inbox``): updates stored before Telegram is told they arrived."""

    RECEIVED, DONE, PARKED = "received", "done", "parked"

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def store(self, update_id: int, user_id: int | None, payload: str, now: datetime) -> bool:
        """Store a fetched update; False when it was already there (Telegram sent it again)."""
        from storage.models import Inbox

        values = {
            "update_id": update_id,
            "user_id": user_id,
            "payload": payload,
            "status": self.RECEIVED,
            "attempts": 0,
            "received_at": now,
        }
        from sqlalchemy.dialects.postgresql import insert as pg_insert
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        if self._session.get_bind().dialect.name == "postgresql":
            on_pg = pg_insert(Inbox).values(**values).on_conflict_do_nothing(index_elements=["update_id"])
            inserted = _rowcount(await self._session.execute(on_pg)) == 1
        else:
            on_sqlite = sqlite_insert(Inbox).values(**values).on_conflict_do_nothing(index_elements=["update_id"])
            inserted = _rowcount(await self._session.execute(on_sqlite)) == 1
        return inserted or await self._reused(values)

    async def store_many(self, updates: list[tuple[int, int | None, str]], now: datetime) -> set[int]:
        """Store a batch of fetched updates, each (update id, user id, payload), with one INSERT; returns the ids
        that are new (the others were there already)."""
        from storage.models import Inbox

        rows = [
            {"update_id": update_id, "user_id": user_id, "payload": payload, "status": self.RECEIVED,
             "attempts": 0, "received_at": now}
            for update_id, user_id, payload in updates
        ]  # fmt: skip
        if not rows:
            return set()
        insert = pg_insert if self._session.get_bind().dialect.name == "postgresql" else sqlite_insert
        statement = insert(Inbox).values(rows).on_conflict_do_nothing(index_elements=["update_id"])
        fresh = set(await self._session.scalars(statement.returning(Inbox.update_id)))
        for (update_id, _, _), row in zip(updates, rows, strict=True):
            if update_id not in fresh and await self._reused(row):
                fresh.add(update_id)
        return fresh

    async def _reused(self, values: dict) -> bool:
        """The same id with other contents, after the old one was handled: Telegram picks a new starting id at
        random after a week without updates (and a local Bot API starts again from 1). A new update, then."""
        from storage.models import Inbox

        reused = (
            update(Inbox)
            .where(
                Inbox.update_id == values["update_id"],
                Inbox.status != self.RECEIVED,
                Inbox.payload != values["payload"],
            )
            .values(**{**values, "done_at": None})
        )
        return _rowcount(await self._session.execute(reused)) == 1

    async def mark_done(self, update_id: int, now: datetime) -> None:
        """Handled (in the handler's own transaction when there is one); forgotten at once when its sender has no
        profile. A deleted row stays deleted."""
        from storage.models import Inbox

        await self._session.execute(
            update(Inbox)
            .where(Inbox.update_id == update_id, Inbox.status == self.RECEIVED)
            .values(status=self.DONE, done_at=now)
        )
        # Nobody's data to keep: a sender with no profile (deleted by this very update or an earlier one, or
        # never onboarded, a group's stranger) leaves no copy of what they sent behind.
        from sqlalchemy import delete, exists

        no_profile = ~exists().where(User.id == Inbox.user_id)
        await self._session.execute(delete(Inbox).where(Inbox.update_id == update_id, no_profile))

    async def failed(self, update_id: int, max_attempts: int, now: datetime) -> tuple[int, bool]:
        """One more failed attempt; parked at ``max_attempts``. Returns (attempts, parked)."""
        from storage.models import Inbox

        row = await self._session.get(Inbox, update_id, with_for_update=True)
        if row is None or row.status != self.RECEIVED:
            return (row.attempts if row else 0), False
        row.attempts += 1
        if row.attempts >= max_attempts:
            row.status, row.done_at = self.PARKED, now
        return row.attempts, row.status == self.PARKED

    async def unfinished(self) -> list:
        """Rows neither done nor parked, in update id order (the order Telegram sent them)."""
        from storage.models import Inbox

        query = select(Inbox).where(Inbox.status == self.RECEIVED).order_by(Inbox.update_id)
        return list(await self._session.scalars(query))

    async def backlog(self) -> int:
        """Updates stored and not yet handled (for /healthz and /metrics)."""
        from storage.models import Inbox

        query = select(func.count()).select_from(Inbox).where(Inbox.status == self.RECEIVED)
        return int(await self._session.scalar(query) or 0)

    async def status_of(self, update_id: int) -> str | None:
        from storage.models import Inbox

        return await self._session.scalar(select(Inbox.status).where(Inbox.update_id == update_id))

    async def prune(self, done_before: datetime, parked_before: datetime) -> int:
        """Forget handled updates: done ones after a day, parked ones after a week (kept to look into)."""
        from sqlalchemy import delete

        from storage.models import Inbox

        result = await self._session.execute(
            delete(Inbox).where(
                or_(
                    and_(Inbox.status == self.DONE, Inbox.done_at < done_before),
                    and_(Inbox.status == self.PARKED, Inbox.done_at < parked_before),
                )
            )
        )
        return _rowcount(result)
