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

The same rows count the names typed on a session's door check-in link (``kind`` "check_in",
``throttled_tries``/``record_try``): per session and client address, in every process alike.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, delete, func, or_, select

from planner.auth.models import FailedLogin, ThrottledKind
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
    login = FailedLogin.kind == ThrottledKind.LOGIN
    if source.device:
        mine = and_(login, FailedLogin.email == email, FailedLogin.device == source.device)
        return [("throttled", mine, limits.per_source)]
    stranger = and_(login, FailedLogin.device.is_(None))
    return [
        (
            "throttled",
            and_(stranger, FailedLogin.email == email, FailedLogin.client == source.client),
            limits.per_source,
        ),
        ("throttled", and_(stranger, FailedLogin.client == source.client), limits.per_client),
        ("throttled_account", and_(stranger, FailedLogin.email == email), limits.per_account),
    ]


def refusal(email: str, source: LoginSource, limits: LoginLimits, now: datetime) -> tuple[str, int] | None:
    """Why this try must wait and for how many minutes, as ("throttled"/"throttled_account",
    minutes); None when it may go ahead."""
    since = now - limits.window
    scopes = _scopes(email, source, limits)
    counts = db.session.execute(
        select(*(func.coalesce(func.sum(case((condition, 1), else_=0)), 0) for _, condition, _ in scopes)).where(
            FailedLogin.attempted_at >= since, or_(*(condition for _, condition, _ in scopes))
        )
    ).one()
    for (code, condition, limit), count in zip(scopes, counts, strict=True):
        if count >= limit:
            return code, _minutes_to_wait(condition, count, limit, limits.window, now)
    return None


def _minutes_to_wait(condition: ColumnElement, count: int, limit: int, window: timedelta, now: datetime) -> int:
    """A try is allowed again once enough of the tries that count have left the window."""
    oldest_that_counts = db.session.scalar(
        select(FailedLogin.attempted_at)
        .where(condition, FailedLogin.attempted_at >= now - window)
        .order_by(FailedLogin.attempted_at)
        .offset(count - limit)
        .limit(1)
    )
    wait = (oldest_that_counts or now) + window - now
    return max(1, math.ceil(wait / timedelta(minutes=1)))


def record_failure(email: str, source: LoginSource, limits: LoginLimits, now: datetime) -> None:
    """Count a failed try, and forget the tries that no longer count for anything."""
    db.session.execute(
        delete(FailedLogin).where(
            FailedLogin.kind == ThrottledKind.LOGIN, FailedLogin.attempted_at < now - limits.window
        )
    )
    db.session.add(
        FailedLogin(kind=ThrottledKind.LOGIN, email=email, client=source.client, device=source.device, attempted_at=now)
    )
    db.session.flush()


def forget_failures(email: str, source: LoginSource) -> None:
    """After a good login, this source's earlier typos on the account no longer count."""
    if source.device:
        mine = FailedLogin.device == source.device
    else:
        mine = and_(FailedLogin.device.is_(None), FailedLogin.client == source.client)
    db.session.execute(
        delete(FailedLogin).where(FailedLogin.kind == ThrottledKind.LOGIN, FailedLogin.email == email, mine)
    )


# --- Other tries counted in the same rows: a name typed on a door check-in link.


@dataclass(frozen=True)
class TryLimit:
    """At most ``per_client`` tries on one thing (``key``) from one client address within ``window``."""

    per_client: int
    window: timedelta


def _tries(kind: ThrottledKind, key: str, client: str) -> ColumnElement:
    return and_(FailedLogin.kind == kind, FailedLogin.email == key, FailedLogin.client == client)


def throttled_tries(kind: ThrottledKind, key: str, client: str, limit: TryLimit, now: datetime) -> int | None:
    """Minutes this client must wait before its next try on ``key``; None when it may go ahead."""
    condition = _tries(kind, key, client)
    count = (
        db.session.scalar(
            select(func.count())
            .select_from(FailedLogin)
            .where(condition, FailedLogin.attempted_at >= now - limit.window)
        )
        or 0
    )
    if count >= limit.per_client:
        return _minutes_to_wait(condition, count, limit.per_client, limit.window, now)
    return None


def record_try(kind: ThrottledKind, key: str, client: str, limit: TryLimit, now: datetime) -> None:
    """Count a try, and forget this kind's tries that no longer count."""
    db.session.execute(
        delete(FailedLogin).where(FailedLogin.kind == kind, FailedLogin.attempted_at < now - limit.window)
    )
    db.session.add(FailedLogin(kind=kind, email=key, client=client, attempted_at=now))
    db.session.flush()
