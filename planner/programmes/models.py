"""Learning studios (leerateliers), who works in them and the dates they keep free."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from planner.extensions import Model
from planner.plain_text import NAME_KEY_LENGTH, name_key
from planner.schema import enum_column, part_of
from planner.timekeeping import UTCDateTime, utcnow

if TYPE_CHECKING:
    from planner.auth.models import StaffUser


class ProgrammeRole(enum.StrEnum):
    ORGANISER = "organiser"
    TREKKER = "trekker"


class Programme(Model):
    __tablename__ = "programme"
    __table_args__ = (CheckConstraint("retention_months >= 1 AND retention_months <= 120", name="retention_in_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    # The name as compared (planner.plain_text.name_key): no two learning studios share it.
    name_key: Mapped[str] = mapped_column(String(NAME_KEY_LENGTH), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Personal data of a series is anonymised this many months after its last session.
    retention_months: Mapped[int] = mapped_column(default=12, server_default="12")

    members: Mapped[list[ProgrammeMember]] = relationship(back_populates="programme", cascade="all, delete-orphan")
    blocked_dates: Mapped[list[BlockedDate]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="BlockedDate.day"
    )

    @validates("name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = name_key(name)
        return name

    def members_with(self, role: ProgrammeRole) -> list[StaffUser]:
        return sorted((m.user for m in self.members if m.role == role), key=lambda user: user.name.lower())

    @property
    def organisers(self) -> list[StaffUser]:
        return self.members_with(ProgrammeRole.ORGANISER)

    @property
    def trekkers(self) -> list[StaffUser]:
        return self.members_with(ProgrammeRole.TREKKER)

    def blocked(self) -> dict[date, str]:
        return {b.day: b.reason for b in self.blocked_dates}

    def __repr__(self) -> str:
        return f"<Programme {self.slug}>"


class ProgrammeMember(Model):
    """A staff user's role on one programme; a person may be organiser and trekker."""

    __tablename__ = "programme_member"
    __table_args__ = (UniqueConstraint("programme_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    user_id: Mapped[int] = part_of("staff_user")
    role: Mapped[ProgrammeRole] = enum_column(ProgrammeRole, length=20, name="role_known")

    programme: Mapped[Programme] = relationship(back_populates="members")
    user: Mapped[StaffUser] = relationship(back_populates="memberships")


class BlockedDate(Model):
    __tablename__ = "blocked_date"
    __table_args__ = (UniqueConstraint("programme_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")

    programme: Mapped[Programme] = relationship(back_populates="blocked_dates")


def programmes_visible_to(user):
    """A select of the programmes a staff user may see: all for admins, else their own."""
    query = select(Programme).order_by(Programme.name)
    if not user.is_admin:
        query = query.where(
            Programme.id.in_(select(ProgrammeMember.programme_id).where(ProgrammeMember.user_id == user.id))
        )
    return query
