"""Organisations that people and staff belong to. Persons follow with invitations."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import db


class Organisation(db.Model):
    __tablename__ = "organisation"
    __table_args__ = (UniqueConstraint("name", "municipality"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    municipality: Mapped[str] = mapped_column(String(80), default="")

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"
