"""audit log signed with a key kept outside the store; approved and closed periods locked

Each audit entry names the key that signs it (`key_id`; entries written before are unsigned
and are closed by a signed `audit.keyed` entry on the next write). The store's guards no longer
trust `audit_head`, which anyone can update: a closed period reopens only right after the newest
entry of the log is its reopening (and, on PostgreSQL, one written by the same transaction); the
ledger lines of approved periods are locked as those of closed ones; the head can only name the
newest entry.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

LOCKED = (
    "period is closed or approved: its pay lines cannot change (send it back or reopen it,"
    " or let the change pay as an adjustment)"
)
OLD_CLOSED = (
    "period is closed: its pay lines cannot change (reopen it, or let the change pay as an"
    " adjustment)"
)
REOPEN = "period is closed: only attain period reopen (an admin, with a reason, audited) opens it"
HEAD = "the audit head names only the newest entry of the log"
GENESIS = "0" * 64
NEWEST = "(SELECT max(seq) FROM audit_log)"
REOPENED = (
    f"EXISTS (SELECT 1 FROM audit_log a WHERE a.seq = {NEWEST}"
    " AND a.action = 'period.reopen' AND a.entity_id = OLD.period{extra})"
)
HEAD_FOLLOWS = (
    f"NEW.id = 1 AND NEW.seq = COALESCE({NEWEST}, 0) AND NEW.hash = "
    f"COALESCE((SELECT hash FROM audit_log WHERE seq = NEW.seq), '{GENESIS}')"
)


def _sqlite(locked: str, message: str, statuses: str) -> None:
    cond = "EXISTS (SELECT 1 FROM pay_periods WHERE period = {row}.period AND status IN ({s}))"
    for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["OLD", "NEW"]), ("DELETE", ["OLD"])):
        op.execute(f"DROP TRIGGER IF EXISTS pay_ledger_closed_{event.lower()}")
        when = " OR ".join(cond.format(row=r, s=statuses) for r in rows)
        op.execute(
            f"CREATE TRIGGER pay_ledger_closed_{event.lower()} BEFORE {event} ON pay_ledger "
            f"WHEN {when} BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )
    op.execute("DROP TRIGGER IF EXISTS pay_periods_closed_update")
    op.execute(
        "CREATE TRIGGER pay_periods_closed_update BEFORE UPDATE ON pay_periods "
        "WHEN OLD.status = 'closed' AND (NEW.status <> 'closed' OR NEW.period <> OLD.period) "
        f"AND NOT {locked} BEGIN SELECT RAISE(ABORT, '{REOPEN}'); END"
    )


def _sqlite_upgrade() -> None:
    _sqlite(REOPENED.format(extra=""), LOCKED, "'approved', 'closed'")
    op.execute("DROP TRIGGER IF EXISTS pay_periods_closed_delete")
    op.execute(
        "CREATE TRIGGER pay_periods_closed_delete BEFORE DELETE ON pay_periods "
        f"WHEN OLD.status IN ('approved', 'closed') BEGIN SELECT RAISE(ABORT, '{REOPEN}'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_head_follows_update BEFORE UPDATE ON audit_head "
        f"WHEN NOT ({HEAD_FOLLOWS}) BEGIN SELECT RAISE(ABORT, '{HEAD}'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head "
        f"BEGIN SELECT RAISE(ABORT, '{HEAD}'); END"
    )


def _postgres_functions(statuses: str, message: str, reopened: str) -> None:
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION pay_ledger_closed() RETURNS trigger AS $$
        BEGIN
          IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
               SELECT 1 FROM pay_periods WHERE period = OLD.period AND status IN ({statuses})) THEN
            RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation';
          END IF;
          IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
               SELECT 1 FROM pay_periods WHERE period = NEW.period AND status IN ({statuses})) THEN
            RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation';
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION pay_periods_closed() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'DELETE' AND OLD.status IN ({statuses}) THEN
            RAISE EXCEPTION '{REOPEN}' USING ERRCODE = 'check_violation';
          END IF;
          IF TG_OP = 'UPDATE' AND OLD.status = 'closed' AND (NEW.status <> 'closed'
               OR NEW.period <> OLD.period) AND NOT {reopened} THEN
            RAISE EXCEPTION '{REOPEN}' USING ERRCODE = 'check_violation';
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql
        """
    )


def _postgres_upgrade() -> None:
    _postgres_functions(
        "'approved', 'closed'",
        LOCKED,
        REOPENED.format(extra=" AND a.xmin = pg_current_xact_id()::xid"),
    )
    op.execute(
        f"""
        CREATE FUNCTION audit_head_follows() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' OR NOT ({HEAD_FOLLOWS}) THEN
            RAISE EXCEPTION '{HEAD}' USING ERRCODE = 'check_violation';
          END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        "CREATE TRIGGER audit_head_follows BEFORE UPDATE OR DELETE ON audit_head "
        "FOR EACH ROW EXECUTE FUNCTION audit_head_follows()"
    )
    op.execute(
        "CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_head_follows()"
    )


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("key_id", sa.String(16), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        _postgres_upgrade()
    else:
        _sqlite_upgrade()


def downgrade() -> None:
    old_reopened = (
        "EXISTS (SELECT 1 FROM audit_log a JOIN audit_head h ON a.seq = h.seq AND h.id = 1"
        " WHERE a.action = 'period.reopen' AND a.entity_id = OLD.period)"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_head")
        op.execute("DROP TRIGGER IF EXISTS audit_head_follows ON audit_head")
        op.execute("DROP FUNCTION IF EXISTS audit_head_follows()")
        _postgres_functions("'closed'", OLD_CLOSED, old_reopened)
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_head_follows_update")
        op.execute("DROP TRIGGER IF EXISTS audit_head_no_delete")
        _sqlite(old_reopened, OLD_CLOSED, "'closed'")
        op.execute("DROP TRIGGER IF EXISTS pay_periods_closed_delete")
        op.execute(
            "CREATE TRIGGER pay_periods_closed_delete BEFORE DELETE ON pay_periods "
            f"WHEN OLD.status = 'closed' BEGIN SELECT RAISE(ABORT, '{REOPEN}'); END"
        )
    op.execute("ALTER TABLE audit_log DROP COLUMN key_id")  # SQLite 3.35+: keeps its triggers
