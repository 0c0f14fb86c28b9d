"""The address calendar replies go to: one mailbox, a token per invitation in its local part.

Pure: strings in, strings out. The ORGANIZER of every invite is this address, so the
reply a calendar sends (to the organiser) says by its address alone which invitation it
answers. ``mailbox`` is the configured address: ``antwoord@example.org`` becomes
``antwoord+<token>@example.org`` (plus-addressing); an address with ``{token}`` in it,
such as ``{token}@antwoord.example.org`` for a catch-all domain, gets the token there.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable

TOKEN_PLACEHOLDER = "{token}"
# Lower-case hex survives mail systems that fold the case of local parts; 128 random bits.
TOKEN_PATTERN = "[0-9a-f]{32}"


def new_reply_token() -> str:
    return secrets.token_hex(16)


def _template(mailbox: str) -> str:
    if TOKEN_PLACEHOLDER in mailbox:
        return mailbox
    local, at, domain = mailbox.rpartition("@")
    if not at or not local or not domain:
        raise ValueError(f"not an e-mail address: {mailbox!r}")
    return f"{local}+{TOKEN_PLACEHOLDER}@{domain}"


def reply_address(mailbox: str, token: str) -> str:
    return _template(mailbox).replace(TOKEN_PLACEHOLDER, token)


def token_in(mailbox: str, addresses: Iterable[str]) -> str | None:
    """The first reply token found in these addresses (bare ones, without a name), if any."""
    before, _, after = _template(mailbox).lower().partition(TOKEN_PLACEHOLDER)
    pattern = re.compile(re.escape(before) + f"({TOKEN_PATTERN})" + re.escape(after))
    for address in addresses:
        match = pattern.fullmatch(address.strip().lower())
        if match:
            return match.group(1)
    return None
