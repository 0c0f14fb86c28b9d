"""Helpers for writing invariants into the schema: columns that hold one value of an enum."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, Self, TypeVar, overload

from flask_babel import LazyString
from sqlalchemy import Column, Enum, ForeignKey, event
from sqlalchemy.orm import MappedColumn, Mapper, mapped_column
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.2 has it, types-WTForms not yet

E = TypeVar("E", bound=enum.StrEnum)


class TextEnum(enum.StrEnum):
    """A StrEnum whose members carry words beside their value: ``RESIDENT = "resident", _l("Resident")``.

    ``LabelledEnum`` calls them the label, ``planner.errors.ErrorCode`` the message.
    """

    _text: Any

    @overload
    def __new__(cls, value: str) -> Self: ...  # ``PersonRole("resident")``: the member with this value

    @overload
    def __new__(cls, value: str, text: Any) -> Self: ...  # defining a member

    def __new__(cls, value: str, text: Any = None) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        if text is not None:  # the enum machinery calls this only to define a member
            member._text = text
        return member


class LabelledEnum(TextEnum):
    """Values kept in the database, each with the words shown for it.

    A member is written ``RESIDENT = "resident", _l("Resident")``: the value is stored, the label
    is what pages, mails and downloads show (``member.label``) and what forms offer (``choices()``).
    """

    @property
    def label(self) -> LazyString:
        return self._text

    @classmethod
    def choices(cls, *, none: Any = None) -> list[SelectChoice]:
        """The members for a WTForms SelectField or RadioField, in their order, with their labels;
        first, with ``none`` as its label, the choice of none of them (the value "")."""
        first = [SelectChoice("", none)] if none is not None else []
        return first + [SelectChoice(member.value, member.label) for member in cls]

    @classmethod
    def labels(cls) -> dict[str, LazyString]:
        """value → label, for a template that meets the values as plain text."""
        return {member.value: member.label for member in cls}


def _values(enum_class: type[enum.StrEnum]) -> list[str]:
    return [member.value for member in enum_class]


def enum_column(enum_class: type[E], *, length: int, name: str, **kwargs: Any) -> MappedColumn[Any]:
    """A column that holds a member of ``enum_class``, stored as its value in a VARCHAR(length).

    The database checks the value with a CHECK constraint named ``ck_<table>_<name>`` (the naming
    convention of ``planner.extensions``); an unknown value is already refused at flush
    (StatementError), and a value read back is the member itself.
    """
    return mapped_column(
        Enum(
            enum_class,
            native_enum=False,
            create_constraint=True,
            validate_strings=True,
            values_callable=_values,
            length=length,
            name=name,
        ),
        **kwargs,
    )


def _member_of(enum_class: type[enum.Enum], _target, value, _oldvalue, _initiator):
    """The member for a value as it is set; an unknown value is kept, for the flush to refuse."""
    if value is None or isinstance(value, enum_class):
        return value
    try:
        return enum_class(value)
    except ValueError:
        return value


@event.listens_for(Mapper, "mapper_configured")
def _enum_attributes_hold_members(mapper: Mapper, _class: type) -> None:
    """``person.role = "resident"`` leaves the member in the attribute, not the string, so its
    ``label`` is there before the object has been flushed and read back."""
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        if isinstance(column, Column) and isinstance(column.type, Enum) and column.type.enum_class:
            member_of = partial(_member_of, column.type.enum_class)
            event.listen(prop.class_attribute, "set", member_of, retval=True)


def one_of(column: str, values: Iterable[str]) -> str:
    """SQL for a check constraint: ``column`` holds one of ``values`` (for keys that are no enum)."""
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


class InLanguage:
    """A text kept in Dutch and, where someone wrote it, English: the columns ``<name>_nl`` and
    ``<name>_en``. Read as a method: ``form.title("en")`` is the English for an English reader when
    there is one, else the Dutch."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.dutch, self.english = f"{name}_nl", f"{name}_en"

    def __get__(self, row: Any, owner: type | None = None) -> Callable[[str], str]:
        def in_language(language: str) -> str:
            return (getattr(row, self.english) if language == "en" else "") or getattr(row, self.dutch)

        return in_language


def part_of(table: str, **kwargs: Any) -> MappedColumn[Any]:
    """The row this one belongs to, in ``table``: indexed, and deleted with it (ON DELETE CASCADE)."""
    return mapped_column(ForeignKey(f"{table}.id", ondelete="CASCADE"), index=True, **kwargs)


def staff_member(**kwargs: Any) -> MappedColumn[Any]:
    """The staff account that did something: the row stays when the account goes (ON DELETE SET NULL)."""
    return mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"), **kwargs)
