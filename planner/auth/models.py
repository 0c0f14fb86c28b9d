"""Staff accounts and the record of failed logins."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from planner.extensions import Model
from planner.schema import enum_column
from planner.timekeeping import UTCDateTime, utcnow

if TYPE_CHECKING:
    from planner.people.models import Organisation
    from planner.programmes.models import ProgrammeMember


class StaffUser(UserMixin, Model):
    __tablename__ = "staff_user"
    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lowercase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    # Shown to participants beside the name in mails and letters, so they can call the organiser.
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # The secret part of their calendar feed of the sessions they organise (None: no feed yet).
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Part of every login's session: raising it ends every session of this account at once.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    organisation: Mapped[Organisation | None] = relationship()
    memberships: Mapped[list[ProgrammeMember]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        """What a session remembers: the account and its session version (see auth/sessions.py)."""
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @staticmethod
    def by_email(email: str):
        return select(StaffUser).where(StaffUser.email == email.strip().lower())

    def __repr__(self) -> str:
        return f"<StaffUser {self.email}>"


class ThrottledKind(enum.StrEnum):
    LOGIN = "login"  # a failed login
    CHECK_IN = "check_in"  # a name typed on a session's door check-in link
    LETTER_CODE = "letter_code"  # a wrong code typed from a letter (planner/invitations/codes.py)


class FailedLogin(Model):
    """One try counted for throttling; kept in the database so every web process sees it.

        ``kind`` is what was tried: a failed login ("login", ``email`` the account), or a name typed
        on a session's door link ("check_in", ``email`` holds "session <id>"), or a wrong code typed from
    a letter ("letter_code", ``email`` holds "letter code"). ``client`` is the
        address it came from (an IPv6 address by its /64 network); ``device`` the token of the
        browser's known-device cookie for this account, if it had one.
    """

    __tablename__ = "failed_login"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ThrottledKind] = enum_column(
        ThrottledKind, length=20, name="kind_known", default=ThrottledKind.LOGIN, server_default="login"
    )
    email: Mapped[str] = mapped_column(String(254), index=True)
    client: Mapped[str] = mapped_column(String(64), index=True, default="", server_default="")
    device: Mapped[str | None] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
