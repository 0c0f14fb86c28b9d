"""Slow down password guessing without letting strangers lock the owner out.

Every failed login is a row (address, client, device, time) in the database, so every web
process on every machine counts the same tries. Within the window a try is refused when

* this client address already failed ``per_source`` times on this account (one place
  guessing one account);
* this client address failed ``per_client`` times over all accounts (one password tried on
  many accounts);
* the account failed ``per_account`` times from devices that never logged in to it (guessing
  from many places at once).

A browser that logged in to the account before carries a signed known-device cookie
(auth/devices.py). Its tries count against that device alone, ``per_source`` at most, so no
number of strangers, wherever they are, can keep the owner out of a device they used before.
Tries that are refused are not counted: a stranger cannot make a refusal last longer.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, delete, func, or_, select

from planner.auth.models import FailedLogin
from planner.extensions import db


@dataclass(frozen=True)
class LoginLimits:
    per_source: int
    per_client: int
    per_account: int
    window: timedelta

    @classmethod
    def from_config(cls, config) -> LoginLimits:
        return cls(
            per_source=config["LOGIN_MAX_FAILURES"],
            per_client=config["LOGIN_MAX_FAILURES_PER_CLIENT"],
            per_account=config["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
            window=timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"]),
        )


@dataclass(frozen=True)
class LoginSource:
    """Where a try comes from: the client's address and, if it has one, its known-device token."""

    client: str
    device: str | None = None


def client_key(address: str | None) -> str:
    """The address a client is counted by: IPv4 as it is, IPv6 by its /64 network.

    One IPv6 connection usually holds a whole /64, so counting single addresses would let a
    guesser take a fresh one for every try.
    """
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return (address or "unknown")[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped:  # ::ffff:192.0.2.1 is the IPv4 client 192.0.2.1
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _scopes(email: str, source: LoginSource, limits: LoginLimits) -> list[tuple[str, ColumnElement, int]]:
    """(error code, which failures count, how many are allowed) for a try from ``source``."""
    if source.device:
        mine = and_(FailedLogin.email == email, FailedLogin.device == source.device)
        return [("throttled", mine, limits.per_source)]
    stranger = FailedLogin.device.is_(None)
    return [
        ("throttled", and_(stranger, FailedLogin.email == email, FailedLogin.client == source.client),
         limits.per_source),
        ("throttled", and_(stranger, FailedLogin.client == source.client), limits.per_client),
        ("throttled_account", and_(stranger, FailedLogin.email == email), limits.per_account),
    ]


def refusal(email: str, source: LoginSource, limits: LoginLimits, now: datetime) -> tuple[str, int] | None:
    """Why this try must wait and for how many minutes, as ("throttled"/"throttled_account",
    minutes); None when it may go ahead."""
    since = now - limits.window
    scopes = _scopes(email, source, limits)
    counts = db.session.execute(
        select(*(func.coalesce(func.sum(case((condition, 1), else_=0)), 0) for _, condition, _ in scopes))
        .where(FailedLogin.attempted_at >= since, or_(*(condition for _, condition, _ in scopes)))
    ).one()
    for (code, condition, limit), count in zip(scopes, counts, strict=True):
        if count >= limit:
            # The try is allowed again once enough of these failures have left the window.
            oldest_that_counts = db.session.scalar(
                select(FailedLogin.attempted_at)
                .where(condition, FailedLogin.attempted_at >= since)
                .order_by(FailedLogin.attempted_at)
                .offset(count - limit)
                .limit(1)
            )
            wait = (oldest_that_counts or now) + limits.window - now
            return code, max(1, math.ceil(wait / timedelta(minutes=1)))
    return None


def record_failure(email: str, source: LoginSource, limits: LoginLimits, now: datetime) -> None:
    """Count a failed try, and forget the tries that no longer count for anything."""
    db.session.execute(delete(FailedLogin).where(FailedLogin.attempted_at < now - limits.window))
    db.session.add(
        FailedLogin(email=email, client=source.client, device=source.device, attempted_at=now)
    )
    db.session.flush()


def forget_failures(email: str, source: LoginSource) -> None:
    """After a good login, this source's earlier typos on the account no longer count."""
    if source.device:
        mine = FailedLogin.device == source.device
    else:
        mine = and_(FailedLogin.device.is_(None), FailedLogin.client == source.client)
    db.session.execute(delete(FailedLogin).where(FailedLogin.email == email, mine))
