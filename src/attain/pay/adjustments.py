"""Manual adjustments: an amount added to an open period by admin or finance, with a reason code
and a comment, shown on the payee's statement and never replaced by a later run.

`write_adjustment` does the work on the caller's transaction, so an action that pays as part of
something bigger (resolving a dispute) commits the line with the rest of its writes or not at all.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import Connection, Engine, insert, select, update

from attain.actions.core import audit, user_action
from attain.audit.actor import Actor
from attain.clock import now
from attain.data.schema import Person
from attain.pay.actions import action, lock_period, refuse_closed, require
from attain.pay.errors import PayError
from attain.pay.periods import parse_period
from attain.pay.schema import LedgerLine, PayPeriod

REASON_CODES: dict[str, str] = {
    "missed_credit": "a credit the data did not carry",
    "dispute": "the outcome of a dispute",
    "correction": "a correction of an error",
    "spiff": "a one-off award outside the plan",
    "draw": "a draw agreed outside the plan",
    "other": "anything else (say what in the comment)",
}


def _amount(value: Decimal | str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation as e:
        raise PayError(f"not an amount: {value!r}") from e
    if amount != amount.quantize(Decimal("0.01")):
        raise PayError(f"an adjustment is in cents: {value}")
    if amount == 0:
        raise PayError("an adjustment of zero changes nothing")
    return amount


def _checked(amount: Decimal | str, reason_code: str, comment: str, period: str) -> Decimal:
    parse_period(period)
    value = _amount(amount)
    if reason_code not in REASON_CODES:
        raise PayError(f"unknown reason code {reason_code!r} (one of {', '.join(REASON_CODES)})")
    if not comment.strip():
        raise PayError("an adjustment needs a comment")
    return value


@user_action("adjustment.add", capability="adjust")
def add_adjustment(
    url: str | Engine | None,
    actor: Actor,
    *,
    payee: str,
    period: str,
    amount: Decimal | str,
    reason_code: str,
    comment: str,
    plan: str = "-",
    component: str = "adjustment",
    dispute: int | None = None,
) -> int:
    """Add a manual adjustment line to an open period; returns its ledger line id."""
    require(actor, "adjust", doing="adjust pay")
    _checked(amount, reason_code, comment, period)
    with action(url) as conn:
        return write_adjustment(
            conn,
            actor,
            payee=payee,
            period=period,
            amount=amount,
            reason_code=reason_code,
            comment=comment,
            plan=plan,
            component=component,
            dispute=dispute,
        )


def write_adjustment(
    conn: Connection,
    actor: Actor,
    *,
    payee: str,
    period: str,
    amount: Decimal | str,
    reason_code: str,
    comment: str,
    plan: str = "-",
    component: str = "adjustment",
    dispute: int | None = None,
) -> int:
    """`add_adjustment` on the caller's transaction (the caller checked the capability): locks
    the period, refuses an unknown payee or a frozen period, writes the line and its audit entry."""
    value = _checked(amount, reason_code, comment, period)
    if conn.execute(select(Person.id).where(Person.id == payee).limit(1)).first() is None:
        raise PayError(f"no payee {payee!r}: adjust the pay of someone attain knows")
    row = lock_period(conn, period)
    refuse_closed(row, "adjust it")
    if row["status"] == "approved":
        raise PayError(f"period {period} is {row['status']}: adjust an open period")
    line = conn.execute(
        insert(LedgerLine).values(
            period=period,
            payee=payee,
            plan=plan,
            component=component,
            kind="manual",
            amount=value,
            for_period=period,
            reason_code=reason_code,
            comment=comment.strip(),
            created_by=actor.name,
            created_at=now(),
        )
    ).inserted_primary_key
    line_id = int(line[0]) if line else 0
    values: dict[str, object] = {"version": row["version"] + 1}
    if row["status"] == "prepared":
        values |= {"status": "open", "cycle": row["cycle"] + 1}
    conn.execute(update(PayPeriod).where(PayPeriod.period == period).values(**values))
    audit(
        conn,
        actor,
        "adjustment.add",
        "adjustment",
        str(line_id),
        after={
            "payee": payee,
            "period": period,
            "plan": plan,
            "component": component,
            "amount": value,
            "reason_code": reason_code,
            "comment": comment.strip(),
            "dispute": dispute,
        },
        reason=comment.strip(),
    )
    return line_id
