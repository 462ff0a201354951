"""Typed SQLAlchemy 2 models."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from coaching import defaults
from coaching.enums import MeetingStatus, NudgeStatus, Stage
from storage.types import UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _days(period: timedelta) -> int:
    return period.days


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    """A person using the bot, keyed by their Telegram user id, with their coaching profile."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str | None] = mapped_column(String(64))
    field: Mapped[str | None] = mapped_column(String(200))
    roles: Mapped[str | None] = mapped_column(String(200))
    stage: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str | None] = mapped_column(String(64))
    goal_count: Mapped[int | None] = mapped_column(Integer)
    goal_period: Mapped[str | None] = mapped_column(String(8))
    motivation: Mapped[str | None] = mapped_column(String(300))
    pitch: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Quiet hours in minutes after local midnight (22:30 -> 1350); start > end wraps past midnight.
    quiet_start_minute: Mapped[int] = mapped_column(
        Integer, default=defaults.QUIET_START_MINUTE, server_default=str(defaults.QUIET_START_MINUTE)
    )
    quiet_end_minute: Mapped[int] = mapped_column(
        Integer, default=defaults.QUIET_END_MINUTE, server_default=str(defaults.QUIET_END_MINUTE)
    )
    # A pause on all nudges: since when (None: not paused) and until when (None: until resumed).
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    country: Mapped[str | None] = mapped_column(String(2))
    digest_weekday: Mapped[int] = mapped_column(Integer, default=defaults.DIGEST_WEEKDAY, server_default="0")
    muted_kinds: Mapped[str] = mapped_column(String(200), default="", server_default="")
    strict_drafts: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    max_follow_ups: Mapped[int] = mapped_column(Integer, default=defaults.DEFAULT_MAX_FOLLOW_UPS, server_default="1")
    # After the meeting, in days: the report back, the keep-in-touch cadence, the not-now re-ask.
    report_back_days: Mapped[int] = mapped_column(
        Integer, default=_days(defaults.REPORT_BACK_AFTER), server_default="28"
    )
    touch_ideal_days: Mapped[int] = mapped_column(
        Integer, default=_days(defaults.KEEP_IN_TOUCH_IDEAL), server_default="42"
    )
    touch_max_days: Mapped[int] = mapped_column(Integer, default=_days(defaults.KEEP_IN_TOUCH_MAX), server_default="91")
    not_now_days: Mapped[int] = mapped_column(Integer, default=_days(defaults.NOT_NOW_REASK_AFTER), server_default="28")
    onboarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def is_muted(self, kind: str) -> bool:
        return kind in self.muted_kinds.split(",")

    def mute(self, kind: str) -> None:
        self.muted_kinds = ",".join(sorted(set(filter(None, self.muted_kinds.split(","))) | {kind}))


class Nudge(Base):
    """A reminder to send: the source of truth for the scheduler (a row, never a scheduler job).

    status: pending -> sending (claimed, with a lease) -> sent, or failed / cancelled.
    """

    __tablename__ = "nudges"
    __table_args__ = (Index("ix_nudges_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(64), default="")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default=NudgeStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dedup_key: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Employer(Base):
    """A target employer on the user's short list."""

    __tablename__ = "employers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    motivation: Mapped[int] = mapped_column(Integer, default=3)
    knows_someone: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Contact(Base):
    """A person to talk to, with where they stand in the user's pipeline."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    company: Mapped[str | None] = mapped_column(String(200))
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employers.id", ondelete="SET NULL"), index=True)
    role: Mapped[str | None] = mapped_column(String(200))
    relation: Mapped[str | None] = mapped_column(String(16))
    via: Mapped[str | None] = mapped_column(String(200))
    channel: Mapped[str | None] = mapped_column(String(16))
    handle: Mapped[str | None] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(16), default=Stage.RESEARCH)
    source: Mapped[str | None] = mapped_column(String(32))
    company_notes: Mapped[str | None] = mapped_column(Text)
    person_notes: Mapped[str | None] = mapped_column(Text)
    offer: Mapped[str | None] = mapped_column(Text)
    why_them: Mapped[str | None] = mapped_column(Text)  # "I'm getting in touch because of ..."
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"), index=True)
    request_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    follow_ups_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reply: Mapped[str | None] = mapped_column(String(16))
    booster: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    thanked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_touch_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the last interaction logged
    touch_days: Mapped[int | None] = mapped_column(Integer)  # their own keep-in-touch period; None: the user's
    touch_stopped: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class DraftRecord(Base):
    """A request draft for a contact; ``sent_at`` is set when the user says they sent it."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    variant: Mapped[int] = mapped_column(Integer, default=0)
    short: Mapped[bool] = mapped_column(Boolean, default=False)
    edited: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")  # the user's own text
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Meeting(Base):
    """An informational conversation with a contact, at a time (UTC) in a format, with its reminders."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    minutes: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(16))
    place: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=MeetingStatus.SCHEDULED)
    # The questions chosen, as JSON {"ids": [...], "own": [...]}; None until the user picks (a starter set then).
    questions: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Reflection(Base):
    """What the user took from a conversation: answers filled in step by step (``step`` is the next one)."""

    __tablename__ = "reflections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    step: Mapped[int] = mapped_column(Integer, default=0)
    rating: Mapped[int | None] = mapped_column(Integer)
    learned: Mapped[str | None] = mapped_column(Text)
    looking_for: Mapped[str | None] = mapped_column(Text)
    resume: Mapped[str | None] = mapped_column(Text)
    still_field: Mapped[str | None] = mapped_column(String(8))
    open_questions: Mapped[str | None] = mapped_column(Text)
    matters: Mapped[str | None] = mapped_column(Text)
    referrals: Mapped[str | None] = mapped_column(Text)
    promised: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PlanItem(Base):
    """One step of the "now what" plan a reflection produced; shown in /today until done."""

    __tablename__ = "plan_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reflection_id: Mapped[int] = mapped_column(ForeignKey("reflections.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))  # a referral's
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConversationState(Base):
    """One persisted ConversationHandler state (PTB persistence)."""

    __tablename__ = "ptb_conversations"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    state: Mapped[str] = mapped_column(Text)
    # The step's last write: steps idle longer than the flows' timeout are neither loaded nor kept.
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class ScratchData(Base):
    """Small per-user or per-chat scratch data kept by PTB persistence, as JSON text."""

    __tablename__ = "ptb_data"

    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    owner_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    data: Mapped[str] = mapped_column(Text)


class Inbox(Base):
    """Every update fetched from Telegram, stored before Telegram is told it arrived (``bot.inbox``).

    ``received`` until handled; ``done`` in the same transaction as the handler's writes; ``parked``
    after failing ``bot.inbox.MAX_ATTEMPTS`` times. ``payload`` is the raw update (it holds the user's
    text), so the row is the user's data: exported, deleted with them, and pruned a day after it is done.
    """

    __tablename__ = "inbox"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(8), default="received", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
