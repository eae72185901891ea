"""Manual adjustments: an amount added to an open period by admin or finance, with a reason code
and a comment, shown on the payee's statement and never replaced by a later run.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import Engine, insert, update

from attain.actions.core import audit, user_action
from attain.audit.actor import Actor
from attain.clock import now
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
    parse_period(period)
    value = _amount(amount)
    if reason_code not in REASON_CODES:
        raise PayError(f"unknown reason code {reason_code!r} (one of {', '.join(REASON_CODES)})")
    if not comment.strip():
        raise PayError("an adjustment needs a comment")
    with action(url) as conn:
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
