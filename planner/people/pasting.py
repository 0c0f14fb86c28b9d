"""Addresses pasted by staff, as mail programs and spreadsheets copy them.

A pasted list mixes ``Mirjam Nieuw <mirjam@example.org>``, ``"Jansen, Piet" <piet@example.org>``,
bare addresses, and rows copied from a spreadsheet (``Mirjam Nieuw<TAB>mirjam@example.org``),
separated by new lines, commas or semicolons (Outlook). Pure: text in, addresses with the names
pasted beside them out; which of them are new is for the caller to find out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.utils import unquote

from planner.people.details import normalise_email
from planner.people.errors import PeopleError
from planner.plain_text import clean_text

SEPARATORS = frozenset(",;\n")
# "Name <address>": whatever stands before the angle brackets is the name.
NAMED = re.compile(r"^(?P<name>[^<>]*)<(?P<address>[^<>]*)>\s*$")


@dataclass(frozen=True)
class PastedAddress:
    address: str  # valid, in lower case
    name: str = ""  # as pasted beside the address; "" when it came bare


@dataclass
class PastedList:
    addresses: list[PastedAddress] = field(default_factory=list)  # each address once, in pasted order
    bad: list[str] = field(default_factory=list)  # pieces that hold no valid address, as pasted


def _pieces(text: str) -> list[str]:
    """The text split at new lines, commas and semicolons, but not inside quotes or <...>."""
    pieces, current, quoted, bracketed = [], [], False, False
    for character in text:
        if character == '"' and not bracketed:
            quoted = not quoted
        elif character == "<" and not quoted:
            bracketed = True
        elif character == ">" and not quoted and bracketed:
            # "Name <address>" ends here: the next address may follow on the same line.
            current.append(character)
            pieces.append("".join(current))
            current, bracketed = [], False
            continue
        if (character in SEPARATORS and not (quoted or bracketed)) or character == "\n":
            pieces.append("".join(current))
            current, quoted, bracketed = [], False, False  # a new line ends any open quote
            continue
        current.append(character)
    pieces.append("".join(current))
    return [piece.strip() for piece in pieces if piece.strip()]


def _clean_name(name: str, address: str) -> str:
    name = " ".join(unquote(name.strip()).replace('\\"', '"').split()).strip("'\" ")
    if "@" in name and name.lower() == address:  # Outlook's "mirjam@example.org" <mirjam@example.org>
        return ""
    return name


def _address(candidate: str) -> str | None:
    try:
        return normalise_email(candidate.strip().strip("'\""))
    except PeopleError:
        return None


def _read_piece(piece: str) -> tuple[list[PastedAddress], str | None]:
    """The addresses in one piece, and the piece itself when it is not a valid address list."""
    named = NAMED.match(piece)
    if named:
        address = _address(named.group("address"))
        if address is None:
            return [], piece
        return [PastedAddress(address, _clean_name(named.group("name"), address))], None
    words = piece.split()
    with_at = [word for word in words if "@" in word]
    others = [word for word in words if "@" not in word]
    if not with_at or (others and len(with_at) > 1):
        return [], piece  # no address, or several with words we cannot give to one of them
    addresses = [address for address in map(_address, with_at) if address is not None]
    if len(addresses) < len(with_at):
        return [], piece
    if others:  # a spreadsheet row: the words beside its one address are the name
        return [PastedAddress(addresses[0], _clean_name(" ".join(others), addresses[0]))], None
    return [PastedAddress(address) for address in addresses], None


def read_pasted_addresses(text: str | None) -> PastedList:
    """Every address in ``text`` once (the first name pasted with it wins), and what is not one."""
    result = PastedList()
    seen: dict[str, int] = {}
    for piece in _pieces(clean_text(text or "").replace("\t", " ")):
        addresses, bad = _read_piece(piece)
        if bad is not None:
            result.bad.append(bad)
        for pasted in addresses:
            if pasted.address not in seen:
                seen[pasted.address] = len(result.addresses)
                result.addresses.append(pasted)
            elif pasted.name and not result.addresses[seen[pasted.address]].name:
                result.addresses[seen[pasted.address]] = pasted
    return result
