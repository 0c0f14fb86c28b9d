"""Series, their sessions and the venues they happen at."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.schema import LabelledEnum, enum_column, one_of, part_of, staff_member
from planner.series.audiences import Audience
from planner.series.catalogue import TEMPLATES
from planner.series.retention import purge_due_at
from planner.timekeeping import UTCDateTime, utcnow

if TYPE_CHECKING:
    from planner.auth.models import StaffUser
    from planner.programmes.models import Programme


class SeriesStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    PUBLISHED = "published", _l("Published")
    # Finished and out of the default lists; read-only for anything that would mail people.
    ARCHIVED = "archived", _l("Archived")


class SessionStatus(LabelledEnum):
    SCHEDULED = "scheduled", _l("Scheduled")
    CANCELLED = "cancelled", _l("Cancelled")


class Venue(Model):
    __tablename__ = "venue"
    __table_args__ = (
        UniqueConstraint("name", "municipality"),
        CheckConstraint("capacity IS NULL OR capacity >= 1", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    address: Mapped[str] = mapped_column(String(250), default="")
    municipality: Mapped[str] = mapped_column(String(80), default="")
    capacity: Mapped[int | None] = mapped_column(Integer)

    def __str__(self) -> str:
        return f"{self.name}, {self.municipality}" if self.municipality else self.name


class Series(Model):
    __tablename__ = "series"
    __table_args__ = (
        CheckConstraint(one_of("template_key", TEMPLATES), name="template_known"),
        CheckConstraint("reminder_days >= 0", name="reminder_days_not_negative"),
        CheckConstraint(
            "evaluation_delay_hours >= 0 AND evaluation_delay_hours <= 336", name="evaluation_delay_in_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = part_of("programme")
    template_key: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(160))
    municipality: Mapped[str] = mapped_column(String(80), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venue.id", ondelete="SET NULL"))
    timezone: Mapped[str] = mapped_column(String(60), default="Europe/Amsterdam")
    status: Mapped[SeriesStatus] = enum_column(SeriesStatus, length=20, name="status_known", default=SeriesStatus.DRAFT)
    created_by_id: Mapped[int | None] = staff_member()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Days before each session that those coming get a reminder (0: none).
    reminder_days: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    # Evaluation mails go out this many hours after a session ends.
    evaluation_delay_hours: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    # Set when the retention period passed and its personal data was anonymised.
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The secret part of the public calendar feed's address; None: the series offers no feed.
    public_feed_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    programme: Mapped[Programme] = relationship()
    venue: Mapped[Venue | None] = relationship()
    created_by: Mapped[StaffUser | None] = relationship()
    sessions: Mapped[list[Session]] = relationship(
        back_populates="series",
        cascade="all, delete-orphan",
        order_by="(Session.starts_at, Session.id)",
    )

    @property
    def template(self):
        return TEMPLATES[self.template_key]

    @property
    def is_published(self) -> bool:
        return self.status == SeriesStatus.PUBLISHED

    @property
    def was_published(self) -> bool:
        """Published, or archived after being published: participants may know of it."""
        return self.status == SeriesStatus.PUBLISHED or (self.is_archived and self.published_at is not None)

    @property
    def is_archived(self) -> bool:
        return self.status == SeriesStatus.ARCHIVED

    @property
    def offers_public_feed(self) -> bool:
        return self.public_feed_token is not None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def purge_due_at(self) -> datetime | None:
        """When its personal data is anonymised (None: no sessions yet)."""
        last_end = max((s.ends_at for s in self.sessions), default=None)
        return purge_due_at(last_end, self.programme.retention_months)

    def __repr__(self) -> str:
        return f"<Series {self.title!r}>"


def new_door_code() -> str:
    """The secret part of a session's door check-in link (printed, or shown as a QR code): 72 random bits."""
    return secrets.token_urlsafe(9)


class Session(Model):
    __tablename__ = "session"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity >= 1", name="capacity_positive"),
        CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        CheckConstraint("status = 'cancelled' OR cancel_reason = ''", name="reason_only_when_cancelled"),
        # A studio's page orders its series by their first scheduled session: one entry each.
        Index("ix_session_series_status_starts", "series_id", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = part_of("series")
    title: Mapped[str] = mapped_column(String(160))
    theme: Mapped[str] = mapped_column(String(250), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    timezone: Mapped[str] = mapped_column(String(60), default="Europe/Amsterdam")
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venue.id", ondelete="SET NULL"))
    online_url: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[SessionStatus] = enum_column(
        SessionStatus, length=20, name="status_known", default=SessionStatus.SCHEDULED
    )
    cancel_reason: Mapped[str] = mapped_column(String(300), default="")
    # A calendar entry is identified by uid forever; sequence counts its revisions (RFC 5545).
    uid: Mapped[str] = mapped_column(String(120), unique=True, default=lambda: f"{uuid.uuid4()}@reeks")
    sequence: Mapped[int] = mapped_column(default=0)
    # When a calendar would last have seen a change (feeds answer Last-Modified with it).
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    # The door check-in link /check-in/<id>/<door_code>: a new code makes old prints and QR codes
    # stop working; closed, the page says check-in is closed.
    door_code: Mapped[str] = mapped_column(String(32), default=new_door_code)
    door_open: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    series: Mapped[Series] = relationship(back_populates="sessions")
    venue: Mapped[Venue | None] = relationship()
    audience_rows: Mapped[list[SessionAudience]] = relationship(
        cascade="all, delete-orphan", order_by="SessionAudience.audience"
    )

    @property
    def audiences(self) -> list[Audience]:
        order = list(Audience)
        return sorted((row.audience for row in self.audience_rows), key=order.index)

    @audiences.setter
    def audiences(self, values) -> None:
        wanted = {Audience(v) for v in values}
        self.audience_rows = [r for r in self.audience_rows if r.audience in wanted] + [
            SessionAudience(audience=a) for a in sorted(wanted - {r.audience for r in self.audience_rows})
        ]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def effective_venue(self) -> Venue | None:
        return self.venue or self.series.venue

    def __repr__(self) -> str:
        return f"<Session {self.title!r} {self.starts_at:%Y-%m-%d %H:%M}Z>"


class SessionAudience(Model):
    __tablename__ = "session_audience"

    session_id: Mapped[int] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"), primary_key=True)
    audience: Mapped[Audience] = enum_column(Audience, length=30, name="audience_known", primary_key=True)
