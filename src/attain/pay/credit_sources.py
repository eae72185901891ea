"""What a credit's source row is called: a deal by its name and its account's name, so a
statement says "Acme renewal (Acme Corp)" where the run kept only `D000123`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine, select

from attain.data.schema import Account, Deal


@dataclass(frozen=True)
class SourceName:
    name: str
    account: str


def deal_names(engine: Engine, ids: Iterable[str | None]) -> dict[str, SourceName]:
    """Deal id -> its name and its account's name (blank where the store has none)."""
    wanted = sorted({i for i in ids if i})
    out: dict[str, SourceName] = {}
    with engine.connect() as conn:
        for start in range(0, len(wanted), 500):
            rows = conn.execute(
                select(Deal.id, Deal.name, Deal.account, Account.name)
                .select_from(Deal)
                .outerjoin(Account, Account.id == Deal.account)
                .where(Deal.id.in_(wanted[start : start + 500]))
            ).all()
            for deal, name, account, account_name in rows:
                out[deal] = SourceName(name or "", account_name or account or "")
    return out
