"""Login rate limiting, per account and per address, counted in the store.

An attempt is counted before the password is checked, in one transaction with a conditional
update (`attempts < limit`), so parallel guesses cannot all slip in before the first failure is
recorded, and every worker process of `attain serve` shares the count. The per-address limit is
higher than the per-account one: many people may log in from behind one proxy, and an attacker
guessing one account locks only that account. A success clears the account's count and gives
the address its attempt back. Once a window has passed, the count starts again, so after a
lockout the right password works.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Engine, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from attain.accounts.schema import LoginAttempt
from attain.clock import now


class _Blocked(Exception):
    def __init__(self, wait: int) -> None:
        self.wait = wait


def _keys(username: str, address: str) -> tuple[str, str]:
    return f"user:{username.strip().lower()}"[:200], f"addr:{address}"[:200]


class LoginLimiter:
    """At most `per_account` attempts per username and `per_address` per client address
    within `window` seconds; successful logins do not count."""

    def __init__(self, per_account: int = 5, per_address: int = 50, window: float = 300.0) -> None:
        self.per_account = per_account
        self.per_address = per_address
        self.window = dt.timedelta(seconds=window)

    def _ensure_row(self, conn: Connection, key: str, at: dt.datetime) -> None:
        values = {"key": key, "attempts": 0, "window_start": at}
        dialect = conn.dialect.name
        stmt: Any
        if dialect == "postgresql":
            stmt = pg_insert(LoginAttempt).values(values).on_conflict_do_nothing()
        else:
            stmt = sqlite_insert(LoginAttempt).values(values).on_conflict_do_nothing()
        conn.execute(stmt)

    def _count(self, conn: Connection, key: str, limit: int, at: dt.datetime) -> None:
        self._ensure_row(conn, key, at)
        conn.execute(
            update(LoginAttempt)
            .where(LoginAttempt.key == key, LoginAttempt.window_start <= at - self.window)
            .values(attempts=0, window_start=at)
        )
        counted = conn.execute(
            update(LoginAttempt)
            .where(LoginAttempt.key == key, LoginAttempt.attempts < limit)
            .values(attempts=LoginAttempt.attempts + 1)
        ).rowcount
        if counted == 0:
            start = conn.execute(
                select(LoginAttempt.window_start).where(LoginAttempt.key == key)
            ).scalar_one()
            raise _Blocked(max(1, int((start + self.window - at).total_seconds()) + 1))

    def reserve(self, engine: Engine, username: str, address: str) -> int:
        """Count one attempt for the account and the address; 0 when it may go ahead, else the
        seconds to wait (and nothing is counted)."""
        at = now()
        account, addr = _keys(username, address)
        limits = sorted([(account, self.per_account), (addr, self.per_address)])
        try:
            with engine.begin() as conn:
                for key, limit in limits:  # always in one order: no deadlock between logins
                    self._count(conn, key, limit, at)
        except _Blocked as blocked:
            return blocked.wait
        return 0

    def succeeded(self, engine: Engine, username: str, address: str) -> None:
        """The password was right: the account starts afresh and the address gets its
        attempt back."""
        account, addr = _keys(username, address)
        with engine.begin() as conn:  # the address first, as `reserve` does
            conn.execute(
                update(LoginAttempt)
                .where(LoginAttempt.key == addr, LoginAttempt.attempts > 0)
                .values(attempts=LoginAttempt.attempts - 1)
            )
            conn.execute(delete(LoginAttempt).where(LoginAttempt.key == account))
