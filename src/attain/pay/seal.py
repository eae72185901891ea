"""A frozen period's ledger, signed: what `attain comp verify` holds the store against.

When a period becomes approved or closed, its audit entry carries `ledger`: every line's amount
by line id, the count, the total and an HMAC (the audit key) over every field of every line.
Direct SQL that changes such a line, with the triggers dropped, cannot change the signed copy.
The commit of that entry also writes a checkpoint outside the store (`attain.audit.anchor`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from attain.actions.events import Event, subscribe
from attain.audit.anchor import ANCHORED, committed
from attain.audit.keys import Key
from attain.audit.log import SEALERS
from attain.pay.schema import LedgerLine

FROZEN = ("approved", "closed")
MICRO = Decimal("0.000001")
FIELDS = (
    "id",
    "period",
    "payee",
    "plan",
    "component",
    "kind",
    "amount",
    "run_id",
    "for_period",
    "corrects_period",
    "corrects_line",
    "reason_code",
)


def amount_text(value: Any) -> str:
    return format(Decimal(value).quantize(MICRO), "f")


def ledger_rows(conn: Connection, period: str) -> list[dict[str, Any]]:
    cols = [getattr(LedgerLine, f) for f in FIELDS]
    query = select(*cols).where(LedgerLine.period == period).order_by(LedgerLine.id)
    return [dict(r) for r in conn.execute(query).mappings()]


def canonical(rows: list[dict[str, Any]]) -> str:
    """Every signed field of every line, one line of text each."""
    return "\n".join(
        "|".join(amount_text(r[f]) if f == "amount" else str(r[f]) for f in FIELDS) for r in rows
    )


def ledger_seal(conn: Connection, period: str, key: Key) -> dict[str, Any]:
    rows = ledger_rows(conn, period)
    total = sum((Decimal(r["amount"]) for r in rows), Decimal(0))
    return {
        "lines": len(rows),
        "total": amount_text(total),
        "amounts": {str(r["id"]): amount_text(r["amount"]) for r in rows},
        "digest": key.sign(f"{period}\n{canonical(rows)}"),
    }


def _seal_frozen(conn: Connection, period: str, after: Any, key: Key) -> dict[str, Any] | None:
    if isinstance(after, dict) and after.get("status") in FROZEN:
        return ledger_seal(conn, period, key)
    return None


def _anchor(event: Event) -> None:
    if event.action in ANCHORED:
        committed(event.action, event.entity_id, event.seq)


SEALERS["period"] = _seal_frozen
subscribe("*", _anchor)
