"""People who are invited, and the organisations they belong to."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    Select,
    String,
    UniqueConstraint,
    and_,
    func,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, contains_eager, mapped_column, relationship, validates
from sqlalchemy.sql.functions import FunctionElement

from planner.extensions import Model
from planner.plain_text import NAME_KEY_LENGTH, name_key
from planner.query_plans import not_by_index
from planner.schema import LabelledEnum, enum_column, part_of, staff_member
from planner.timekeeping import UTCDateTime, utcnow


class PersonRole(LabelledEnum):
    RESIDENT = "resident", _l("Resident")
    VOLUNTEER = "volunteer", _l("Volunteer")
    PROFESSIONAL = "professional", _l("Professional")
    EXPERT = "expert", _l("Expert by experience")
    STUDENT = "student", _l("Student")
    LECTURER = "lecturer", _l("Lecturer")
    RESEARCHER = "researcher", _l("Researcher")
    POLICY_OFFICER = "policy_officer", _l("Policy officer")


class Language(LabelledEnum):
    """The language a person gets their pages and mails in."""

    DUTCH = "nl", _l("Dutch")
    ENGLISH = "en", _l("English")


# The longest text each field holds (the column sizes below).
MAX_LENGTHS = {"name": 120, "phone": 40, "municipality": 80, "organisation": 160, "guardian_consent_by": 120}

FIELD_LABELS = {
    "name": _l("Name"),
    "email": _l("E-mail address"),
    "phone": _l("Phone"),
    "role": _l("Role"),
    "organisation": _l("Organisation"),
    "municipality": _l("Municipality"),
    "language": _l("Language"),
    "under_16": _l("Under 16"),
    "guardian_consent_on": _l("Date of consent"),
    "guardian_consent_by": _l("Consent given by"),
}


class Organisation(Model):
    __tablename__ = "organisation"
    __table_args__ = (
        UniqueConstraint("name", "municipality"),
        # One organisation per name and municipality, as compared (planner.plain_text.name_key).
        UniqueConstraint("name_key", "municipality_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    municipality: Mapped[str] = mapped_column(String(80), default="")
    name_key: Mapped[str] = mapped_column(String(NAME_KEY_LENGTH))
    municipality_key: Mapped[str] = mapped_column(String(NAME_KEY_LENGTH), default="")

    @validates("name", "municipality")
    def _keep_keys(self, field: str, value: str) -> str:
        setattr(self, f"{field}_key", name_key(value or ""))
        return value

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})" if self.municipality else self.name

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"


class Person(Model):
    """A participant. We keep the minimum: a first name or pseudonym is fine for residents."""

    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint("email IS NULL OR email = lower(email)", name="email_lowercase"),
        CheckConstraint(
            "NOT under_16 OR anonymised_at IS NOT NULL"
            " OR (guardian_consent_on IS NOT NULL AND guardian_consent_by <> '')",
            name="under_16_needs_consent",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # Unique where present; stored lower-case so the same address cannot appear twice.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    role: Mapped[PersonRole] = enum_column(PersonRole, length=30, name="role_known")
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"), index=True)
    municipality: Mapped[str] = mapped_column(String(80), default="")
    language: Mapped[Language] = enum_column(Language, length=5, name="language_known", default=Language.DUTCH)
    under_16: Mapped[bool] = mapped_column(default=False)
    guardian_consent_on: Mapped[date | None] = mapped_column(Date)
    guardian_consent_by: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Privacy: no more mails from this moment on; a deletion asked for; the person anonymised.
    mail_withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deletion_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation | None] = relationship()
    consents: Mapped[list[Consent]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Consent.purpose"
    )

    # May we write to this person? One rule for every mail (invitations, reminders, calendar
    # mails, evaluations) and every query that picks recipients, in Python and in SQL:
    # only with an address, and never to someone who withdrew from our mails, asked for
    # their data to be deleted, or was anonymised. The one exception is the mail that
    # confirms a deletion request (planner/privacy/own_data.py), sent as the request is made.
    @hybrid_property
    def can_be_mailed(self) -> bool:
        return bool(self.email) and self._may_be_written_to

    @can_be_mailed.inplace.expression
    @classmethod
    def _can_be_mailed_expression(cls) -> ColumnElement[bool]:
        return and_(cls.email.is_not(None), cls.email != "", cls._may_be_written_to)

    # The same rule on paper: a printed letter for those without an address.
    @hybrid_property
    def needs_letter(self) -> bool:
        return not self.email and self._may_be_written_to

    @needs_letter.inplace.expression
    @classmethod
    def _needs_letter_expression(cls) -> ColumnElement[bool]:
        # Never looked up by the e-mail index: a tenth of everyone has no address, and SQLite would
        # start from them rather than from the series' few invitations (planner.query_plans).
        email = not_by_index(cls.email)
        return and_(or_(email.is_(None), email == ""), cls._may_be_written_to)

    @hybrid_property
    def _may_be_written_to(self) -> bool:
        return all(
            moment is None for moment in (self.mail_withdrawn_at, self.deletion_requested_at, self.anonymised_at)
        )

    @_may_be_written_to.inplace.expression
    @classmethod
    def _may_be_written_to_expression(cls) -> ColumnElement[bool]:
        return and_(cls.mail_withdrawn_at.is_(None), cls.deletion_requested_at.is_(None), cls.anonymised_at.is_(None))

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.name!r}>"


class ConsentPurpose(LabelledEnum):
    PARTICIPATION = "participation", _l("Taking part")
    PHOTOS = "photos", _l("Being photographed")
    CONTACT_SHARED = "contact_shared", _l("Contact details shared with the group")
    RESEARCH = "research", _l("Being contacted for follow-up research")


class Consent(Model):
    """A person's yes or no for one purpose, and when and by whom it was recorded."""

    __tablename__ = "consent"
    __table_args__ = (UniqueConstraint("person_id", "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = part_of("person")
    purpose: Mapped[ConsentPurpose] = enum_column(ConsentPurpose, length=20, name="purpose_known")
    given: Mapped[bool] = mapped_column()
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # None: the person said so themselves, on their own page.
    recorded_by_id: Mapped[int | None] = staff_member()

    person: Mapped[Person] = relationship(back_populates="consents")


class folded(FunctionElement):
    """``text`` in lower case, accented capitals too: lower() of PostgreSQL, and on SQLite
    (whose lower() folds A-Z only) the ``unicode_lower`` function each connection is given in
    ``planner.extensions``. Compare it with Python's ``str.lower()`` of the other side."""

    type = String()
    name = "folded"
    inherit_cache = True


@compiles(folded)
def _lower(element, compiler, **kw) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(folded, "sqlite")
def _unicode_lower(element, compiler, **kw) -> str:
    return f"unicode_lower({compiler.process(element.clauses, **kw)})"


# The people list and the pickers show people by folded name, 50 at a time: read from this
# index, a page costs the same with 200 people as with 20,000 (sorting them all did not).
Index("ix_person_folded_name", folded(Person.name), Person.id)

SEARCH_WORDS = 5  # a longer search uses its first five words


def people_matching(term: str = "") -> Select:
    """Persons with every word of ``term`` in their name, e-mail address, organisation or
    municipality, by name; capitals do not matter and % or _ are plain text. The one people
    search: callers narrow it (to a page, to those invited to a session) but do not change it."""
    query = (
        select(Person)
        .outerjoin(Person.organisation)
        .options(contains_eager(Person.organisation))
        .order_by(folded(Person.name), Person.id)
    )
    columns = (Person.name, Person.email, Person.municipality, Organisation.name, Organisation.municipality)
    for word in term.split()[:SEARCH_WORDS]:
        word = word.lower()
        query = query.where(or_(*(folded(column).contains(word, autoescape=True) for column in columns)))
    return query


def organisations_with_people_count(term: str = "") -> Select:
    """Rows of (organisation, number of persons in it), counted by the database."""
    people = func.count(Person.id).label("people")
    query = (
        select(Organisation, people)
        .outerjoin(Person, Person.organisation_id == Organisation.id)
        .group_by(Organisation.id)
        .order_by(folded(Organisation.name), folded(Organisation.municipality), Organisation.id)
    )
    term = term.strip().lower()
    if term:
        query = query.where(
            or_(
                folded(Organisation.name).contains(term, autoescape=True),
                folded(Organisation.municipality).contains(term, autoescape=True),
            )
        )
    return query
