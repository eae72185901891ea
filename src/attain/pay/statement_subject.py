"""Whose statement, for which period: an unknown payee, or a period nothing was ever paid in,
is a refusal naming it, never an empty statement that reads as "you earned nothing"."""

from __future__ import annotations

from sqlalchemy import Engine, exists, select

from attain.data.schema import Person
from attain.pay.errors import PayError
from attain.pay.periods import period_states
from attain.pay.schema import LedgerLine


def check_statement_subject(engine: Engine, payee: str, period: str) -> None:
    """Raise PayError unless `payee` is a person and `period` has pay published or is tracked."""
    with engine.connect() as conn:
        person = conn.execute(select(exists().where(Person.id == payee))).scalar()
        paid = conn.execute(select(exists().where(LedgerLine.period == period))).scalar()
    if not person:
        raise PayError(f"no payee {payee} (no such id in table people)")
    if not paid and all(s.period != period for s in period_states(engine)):
        raise PayError(f"period {period} has no published pay for anyone")
