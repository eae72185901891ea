"""What the pay lifecycle's actions add to `attain.actions`: the period lock, the refusal of a
closed period, and the store's own refusals read as pay errors.

Each lifecycle action (approvals, disputes, adjustments, holds, publish, close) opens `action()`
(`attain.actions.transaction`), checks the capability (`require`), locks the period it changes
(`lock_period`), writes, and records its audit entry (`attain.actions.audit`) in that same
transaction, so a change and its record are committed together or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, exc, select

from attain.access import CAPABILITIES
from attain.actions.core import NotAllowed as CapabilityMissing
from attain.actions.core import require as require_capability
from attain.actions.core import transaction
from attain.audit.actor import Actor
from attain.data.store import get_engine
from attain.pay.errors import NotAllowed, PayError, PeriodClosed
from attain.pay.schema import PayPeriod

CLOSED_MESSAGE = "period is closed"


def engine_of(url: str | Engine | None) -> Engine:
    return url if isinstance(url, Engine) else get_engine(url)


@contextmanager
def action(url: str | Engine | None) -> Iterator[Connection]:
    """One transaction (`attain.actions.transaction`: events told after commit); a store trigger's refusal of a closed period becomes `PeriodClosed`."""
    engine = engine_of(url)
    try:
        with transaction(engine) as conn:
            yield conn
    except exc.DBAPIError as e:
        text = str(e.orig)
        if CLOSED_MESSAGE in text:
            raise PeriodClosed(text.splitlines()[0]) from e
        if (
            "uq_pay_approval_lines" in text
            or "UNIQUE constraint failed: pay_approval_lines" in text
        ):
            raise PayError("those lines were just approved by someone else") from e
        raise


def require(actor: Actor, capability: str, *, doing: str) -> None:
    """Refuse unless the actor's role has `capability` (`attain.actions.require`, the one rule),
    said as what they tried to do."""
    try:
        require_capability(actor, capability)
    except CapabilityMissing:
        roles = " or ".join(sorted(CAPABILITIES[capability]))
        raise NotAllowed(f"{actor.name} ({actor.role}) may not {doing}: needs {roles}") from None


def require_role(actor: Actor, *roles: str, doing: str) -> None:
    """Refuse unless the actor holds one of `roles`: for checks finer than a capability (the
    role an approval level belongs to)."""
    if actor.role not in roles:
        raise NotAllowed(f"{actor.name} ({actor.role}) may not {doing}: needs {' or '.join(roles)}")


def period_row(conn: Connection, period: str) -> dict[str, Any]:
    """The period's row (an unseen period is open, version 0)."""
    row = conn.execute(select(PayPeriod).where(PayPeriod.period == period)).mappings().first()
    if row is None:
        return {"period": period, "status": "open", "version": 0, "cycle": 0}
    return dict(row)


def lock_period(conn: Connection, period: str) -> dict[str, Any]:
    """Create the period's row if needed and lock it until the transaction ends.

    PostgreSQL: `SELECT ... FOR UPDATE`, so two actions on one period run one after the other.
    SQLite: the insert takes the store's write lock, which serialises every writer anyway.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "INSERT INTO pay_periods (period, status, version, cycle) "
            "VALUES (%(p)s, 'open', 0, 0) ON CONFLICT DO NOTHING",
            {"p": period},
        )
        row = (
            conn.execute(select(PayPeriod).where(PayPeriod.period == period).with_for_update())
            .mappings()
            .one()
        )
    else:
        conn.exec_driver_sql(
            "INSERT INTO pay_periods (period, status, version, cycle) "
            "VALUES (?, 'open', 0, 0) ON CONFLICT DO NOTHING",
            (period,),
        )
        row = conn.execute(select(PayPeriod).where(PayPeriod.period == period)).mappings().one()
    return dict(row)


def refuse_closed(row: dict[str, Any], doing: str) -> None:
    if row["status"] == "closed":
        raise PeriodClosed(f"period {row['period']} is closed: cannot {doing}")
