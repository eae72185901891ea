"""Submitting a forecast call: a payee's commit or best case for a period, audited.

Each submission is a new row (the call in force on a day is the latest one submitted by then),
so nothing is overwritten and two submissions never race. Who may call for whom:

- a rep calls for themselves, a manager for themselves (their team's roll-up);
- an admin for anyone (and attain itself, `system`);
- the period must be the current one or later: a call about the past is not a forecast.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Engine, insert, select

from attain import clock
from attain.actions.core import NotAllowed, audit, require, transaction, user_action
from attain.audit.actor import Actor
from attain.comp.engine.periods import period_named
from attain.data.ranges import amount_problem
from attain.data.schema import ForecastCall, Person

CATEGORIES = ("commit", "best_case")
CALLS_FOR_OTHERS = frozenset({"admin", "system"})
PEOPLE_ROLES = frozenset({"rep", "manager"})
"""Roles whose actor name is their person id (`submitted_by` names a person, else none)."""


class CallRejected(ValueError):
    """The call names a bad period, category, amount or currency, or an unknown payee."""


@dataclass(frozen=True)
class SubmittedCall:
    payee: str
    period: str
    category: str
    amount: Decimal
    currency: str
    submitted_at: dt.datetime
    submitted_by: str | None
    """The person who submitted it (none for an admin: the audit entry names them)."""


def check_call(
    actor: Actor, payee: str, period: str, category: str, amount: Decimal, currency: str
) -> tuple[Decimal, str]:
    """The amount at cents and the currency upper-cased, or `CallRejected` / `NotAllowed` with
    one line naming what is wrong (checked before anything is written)."""
    require(actor, "forecast.call")
    if actor.role not in CALLS_FOR_OTHERS and payee != actor.name:
        raise NotAllowed(f"{actor.name} ({actor.role}) may submit a call for themselves only")
    if category not in CATEGORIES:
        raise CallRejected(f"category: {category!r} is not one of {', '.join(CATEGORIES)}")
    try:
        named = period_named(period)
    except ValueError as exc:
        raise CallRejected(f"period: {exc}") from None
    if named.end < clock.today():
        raise CallRejected(f"period: {period} is over; a call is for the current or a later period")
    problem = amount_problem(amount)
    if problem is None and amount < 0:
        problem = f"{amount} is negative"
    if problem is not None:
        raise CallRejected(f"amount: {problem}")
    code = currency.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise CallRejected(f"currency: {currency!r} is not a three-letter code (USD)")
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), code


def _submitted_at() -> dt.datetime:
    """Now, on attain's today (a pinned day keeps the time of day, so the call is in force then)."""
    moment = clock.now()
    day = clock.today()
    return moment if moment.date() == day else dt.datetime.combine(day, moment.time())


@user_action("forecast.call", capability="forecast.call")
def submit_call(
    engine: Engine,
    actor: Actor,
    payee: str,
    period: str,
    category: str,
    amount: Decimal,
    currency: str,
) -> SubmittedCall:
    """Record `payee`'s call (commit or best case) for `period`.

    >>> submit_call(engine, Actor("mia", "manager"), "mia", "2026-Q4", "commit",
    ...             Decimal("1200000"), "USD")  # doctest: +SKIP
    """
    cents, code = check_call(actor, payee, period, category, amount, currency)
    with transaction(engine) as conn:
        if conn.execute(select(Person.id).where(Person.id == payee).limit(1)).first() is None:
            raise CallRejected(f"payee: no person {payee!r} in the hierarchy")
        by = actor.name if actor.role in PEOPLE_ROLES else None
        call = SubmittedCall(payee, period, category, cents, code, _submitted_at(), by)
        conn.execute(
            insert(ForecastCall).values(
                payee=call.payee,
                period=call.period,
                category=call.category,
                submitted_at=call.submitted_at,
                amount=call.amount,
                currency=call.currency,
                submitted_by=call.submitted_by,
            )
        )
        audit(
            conn,
            actor,
            "forecast.call",
            "forecast_call",
            f"{payee}/{period}/{category}",
            after={
                "payee": payee,
                "period": period,
                "category": category,
                "amount": str(cents),
                "currency": code,
                "submitted_at": call.submitted_at.isoformat(),
            },
        )
    return call
