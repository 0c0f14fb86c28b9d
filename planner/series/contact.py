"""Who participants of a series can reach: the name, address and phone under its mails and letters."""

from __future__ import annotations

from dataclasses import dataclass

from planner.auth.models import StaffUser
from planner.series.models import Series


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str = ""


def organiser_contact(series: Series) -> Contact | None:
    """The organiser who made the series while they still organise; else the studio's first organiser.

    None when the learning studio has no active organiser left: mails are then signed by the
    studio alone and carry no reply address.
    """
    organisers = [user for user in series.programme.organisers if user.active]
    creator = series.created_by
    chosen: StaffUser | None = creator if creator is not None and creator in organisers else None
    if chosen is None and organisers:
        chosen = organisers[0]
    if chosen is None:
        return None
    return Contact(name=chosen.name, email=chosen.email, phone=chosen.phone)
