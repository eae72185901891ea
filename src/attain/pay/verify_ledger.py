"""`attain comp verify` over the ledger: every payable line traced to where it came from, and
every approved or closed period held against the signed copy its audit entry keeps.

A calculated line must equal its run's line; a manual line its `adjustment.add` entry; a hold,
release or true-up must come from a run that was published. A period the log says is approved
or closed must still be so, line for line ("ledger line 812: 23,925.60 -> 33,924.60 USD").
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, select

from attain.audit.keys import keyring
from attain.audit.schema import AuditEntry
from attain.comp.runs.schema import PayoutLine
from attain.money_format import cents
from attain.pay.actions import engine_of
from attain.pay.exports import plan_currencies
from attain.pay.schema import LedgerLine, PayPeriod
from attain.pay.seal import FROZEN, canonical, ledger_rows

CENT = Decimal("0.01")


@dataclass
class LedgerCheck:
    lines: int = 0
    frozen: int = 0
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def _amount(value: Any, currency: str) -> str:
    return f"{cents(value)} {currency}".strip()


def _period_entries(conn: Connection) -> dict[str, dict[str, Any]]:
    """Each period's newest audit entry that set its status (its `after` parsed)."""
    query = (
        select(AuditEntry.seq, AuditEntry.action, AuditEntry.entity_id, AuditEntry.after)
        .where(AuditEntry.entity == "period")
        .order_by(AuditEntry.seq)
    )
    out: dict[str, dict[str, Any]] = {}
    for seq, action, period, after in conn.execute(query):
        data = json.loads(after) if after else {}
        if isinstance(data, dict) and "status" in data:
            out[period] = {"seq": seq, "action": action, "after": data}
    return out


def _adjustments(conn: Connection) -> dict[str, Decimal]:
    query = select(AuditEntry.entity_id, AuditEntry.after).where(
        AuditEntry.action == "adjustment.add"
    )
    return {i: Decimal(str(json.loads(a)["amount"])) for i, a in conn.execute(query) if a}


def _published_runs(conn: Connection) -> set[str]:
    query = select(AuditEntry.entity_id).where(AuditEntry.action == "ledger.publish")
    return set(conn.execute(query).scalars())


def verify_ledger(url: str | Engine | None) -> LedgerCheck:
    """Trace every ledger line, then compare each frozen period with its signed copy."""
    out = LedgerCheck()
    with engine_of(url).connect() as conn:
        lines = [
            dict(r) for r in conn.execute(select(LedgerLine).order_by(LedgerLine.id)).mappings()
        ]
        runs = {ln["run_id"] for ln in lines if ln["run_id"]}
        currency = plan_currencies(conn, runs) if runs else {}
        common = Counter(currency.values()).most_common(1)
        fallback = common[0][0] if common else ""
        run_lines = {
            (r.run_id, r.plan, r.payee, r.period, r.component): r.amount
            for r in conn.execute(
                select(
                    PayoutLine.run_id,
                    PayoutLine.plan,
                    PayoutLine.payee,
                    PayoutLine.period,
                    PayoutLine.component,
                    PayoutLine.amount,
                ).where(PayoutLine.run_id.in_(sorted(runs)))
            )
        }
        adjustments = _adjustments(conn)
        published = _published_runs(conn)
        for ln in lines:
            out.lines += 1
            cur = currency.get(ln["plan"], fallback)
            problem = _trace(ln, run_lines, adjustments, published, cur)
            if problem:
                out.differences.append(problem)
        statuses = dict(conn.execute(select(PayPeriod.period, PayPeriod.status)).all())
        logged = _period_entries(conn)
        for period in sorted(set(statuses) | set(logged)):
            _check_period(
                conn, out, period, statuses.get(period, "open"), logged.get(period), fallback
            )
    return out


def _trace(
    ln: dict[str, Any],
    run_lines: dict[tuple[Any, ...], Decimal],
    adjustments: dict[str, Decimal],
    published: set[str],
    cur: str,
) -> str | None:
    name = f"ledger line {ln['id']} ({ln['payee']} {ln['period']} {ln['plan']}/{ln['component']})"
    amount = Decimal(ln["amount"])
    if ln["kind"] == "manual":
        logged = adjustments.get(str(ln["id"]))
        if logged is None:
            return f"{name}: a manual line with no adjustment in the audit log"
        if logged.quantize(CENT) != amount.quantize(CENT):
            return f"{name}: {_amount(logged, cur)} -> {_amount(amount, cur)}"
        return None
    if not ln["run_id"] or ln["run_id"] not in published:
        return f"{name}: a {ln['kind']} line from no published run"
    if ln["kind"] == "calculated":
        key = (ln["run_id"], ln["plan"], ln["payee"], ln["for_period"], ln["component"])
        source = run_lines.get(key)
        if source is None:
            return f"{name}: its run {ln['run_id']} has no such line"
        if Decimal(source).quantize(CENT) != amount.quantize(CENT):
            return f"{name}: {_amount(source, cur)} -> {_amount(amount, cur)}"
    if ln["kind"] == "true_up" and not ln["corrects_period"]:
        return f"{name}: a true-up that corrects no period"
    return None


def _check_period(
    conn: Connection,
    out: LedgerCheck,
    period: str,
    status: str,
    logged: dict[str, Any] | None,
    cur: str,
) -> None:
    said = logged["after"]["status"] if logged else "open"
    if (status in FROZEN or said in FROZEN) and status != said:
        where = f"entry {logged['seq']}, {logged['action']}" if logged else "no entry"
        out.differences.append(
            f"period {period} is {status} in the store but {said} in the audit log ({where})"
        )
        return
    if status not in FROZEN or logged is None:
        return
    out.frozen += 1
    seal = logged["after"].get("ledger")
    if not isinstance(seal, dict):
        out.notes.append(f"period {period} was {status} before ledgers were signed")
        return
    rows = ledger_rows(conn, period)
    now = {str(r["id"]): Decimal(r["amount"]) for r in rows}
    then = {k: Decimal(v) for k, v in seal.get("amounts", {}).items()}
    found = False
    for line_id in sorted(set(now) | set(then), key=int):
        a, b = then.get(line_id), now.get(line_id)
        if a is None:
            out.differences.append(
                f"ledger line {line_id}: added to {status} period {period} ({_amount(b, cur)})"
            )
        elif b is None:
            out.differences.append(
                f"ledger line {line_id}: deleted from {status} period {period} (was {_amount(a, cur)})"
            )
        elif a.quantize(CENT) != b.quantize(CENT):
            out.differences.append(f"ledger line {line_id}: {_amount(a, cur)} -> {_amount(b, cur)}")
        else:
            continue
        found = True
    total = sum(now.values(), Decimal(0))
    if Decimal(seal.get("total", "0")).quantize(CENT) != total.quantize(CENT):
        out.differences.append(
            f"period {period}: total {_amount(seal.get('total'), cur)} when {status}"
            f" (entry {logged['seq']}), now {_amount(total, cur)}"
        )
    entry_key = conn.execute(
        select(AuditEntry.key_id).where(AuditEntry.seq == logged["seq"])
    ).scalar()
    key = keyring().get(entry_key or "")
    if key is None:
        out.notes.append(
            f"period {period}: its signed copy cannot be checked without key {entry_key}"
        )
    elif not found and key.sign(f"{period}\n{canonical(rows)}") != seal.get("digest"):
        out.differences.append(
            f"period {period}: its lines differ from the copy signed when it was {status}"
            f" (entry {logged['seq']}): a field other than an amount was changed"
        )
