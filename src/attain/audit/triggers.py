"""The store guards attain expects: triggers that keep the audit log append-only, its head on
the newest entry, and the lines of approved and closed periods unchanged.

Whoever can run SQL on the store can drop them; `attain audit verify` says when one is gone.
"""

from __future__ import annotations

from sqlalchemy import Engine, text

SQLITE = (
    "audit_log_no_update",
    "audit_log_no_delete",
    "audit_head_follows_update",
    "audit_head_no_delete",
    "pay_ledger_closed_insert",
    "pay_ledger_closed_update",
    "pay_ledger_closed_delete",
    "pay_periods_closed_update",
    "pay_periods_closed_delete",
)
POSTGRES = (
    "audit_log_append_only",
    "audit_head_follows",
    "audit_head_no_truncate",
    "pay_ledger_closed",
    "pay_periods_closed",
)


def missing_guards(engine: Engine) -> list[str]:
    """The expected triggers the store does not have (none when it has them all)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            rows = conn.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"))
            expected: tuple[str, ...] = POSTGRES
        else:
            rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            expected = SQLITE
        present = {r[0] for r in rows}
    return [t for t in expected if t not in present]
