"""pay lifecycle: periods, ledger, approvals, disputes, run inputs, audit log; store-level locks

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import attain.data.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

CLOSED = "period is closed: its pay lines cannot change (reopen it, or let the change pay as an adjustment)"
APPEND_ONLY = "the audit log is append-only"
REOPEN = "period is closed: only attain period reopen (an admin, with a reason, audited) opens it"
REOPENED = (
    "EXISTS (SELECT 1 FROM audit_log a JOIN audit_head h ON a.seq = h.seq AND h.id = 1"
    " WHERE a.action = 'period.reopen' AND a.entity_id = OLD.period)"
)
"""A closed period changes state only in the transaction that has just logged its reopening."""


def _tables() -> None:
    money = attain.data.types.Money(precision=24, scale=6)
    op.create_table(
        "pay_periods",
        sa.Column("period", sa.String(16), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("prepared_by", sa.String(64)),
        sa.Column("prepared_at", sa.DateTime()),
        sa.Column("closed_by", sa.String(64)),
        sa.Column("closed_at", sa.DateTime()),
        sa.PrimaryKeyConstraint("period", name=op.f("pk_pay_periods")),
    )
    op.create_table(
        "pay_ledger",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("payee", sa.String(64), nullable=False),
        sa.Column("plan", sa.String(64), nullable=False),
        sa.Column("component", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("amount", money, nullable=False),
        sa.Column("run_id", sa.String(32)),
        sa.Column("for_period", sa.String(16), nullable=False),
        sa.Column("corrects_period", sa.String(16)),
        sa.Column("corrects_line", sa.Integer()),
        sa.Column("reason_code", sa.String(32)),
        sa.Column("comment", sa.Text()),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_ledger")),
    )
    op.create_index("ix_pay_ledger_period", "pay_ledger", ["period", "payee"])
    op.create_index("ix_pay_ledger_payee", "pay_ledger", ["payee", "period"])
    op.create_table(
        "pay_approvals",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("approved_by", sa.String(64), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_approvals")),
        sa.UniqueConstraint("period", "cycle", "level", name="uq_pay_approvals_level"),
    )
    op.create_table(
        "pay_disputes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("payee", sa.String(64), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("ledger_line", sa.Integer()),
        sa.Column("deal", sa.String(64)),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("owner", sa.String(64)),
        sa.Column("resolution", sa.Text()),
        sa.Column("adjustment", sa.Integer()),
        sa.Column("raised_by", sa.String(64), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_disputes")),
    )
    op.create_table(
        "pay_dispute_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("dispute", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_dispute_events")),
    )
    op.create_table(
        "comp_run_inputs",
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("table_name", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("parquet", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", "table_name", name=op.f("pk_comp_run_inputs")),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(120), nullable=False),
        sa.Column("before", sa.Text()),
        sa.Column("after", sa.Text()),
        sa.Column("reason", sa.Text()),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )


def _sqlite_triggers() -> None:
    closed = "EXISTS (SELECT 1 FROM pay_periods WHERE period = {row}.period AND status = 'closed')"
    for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["OLD", "NEW"]), ("DELETE", ["OLD"])):
        when = " OR ".join(closed.format(row=r) for r in rows)
        op.execute(
            f"CREATE TRIGGER pay_ledger_closed_{event.lower()} BEFORE {event} ON pay_ledger "
            f"WHEN {when} BEGIN SELECT RAISE(ABORT, '{CLOSED}'); END"
        )
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )
    op.execute(
        "CREATE TRIGGER pay_periods_closed_delete BEFORE DELETE ON pay_periods "
        f"WHEN OLD.status = 'closed' BEGIN SELECT RAISE(ABORT, '{REOPEN}'); END"
    )
    op.execute(
        "CREATE TRIGGER pay_periods_closed_update BEFORE UPDATE ON pay_periods "
        "WHEN OLD.status = 'closed' AND (NEW.status <> 'closed' OR NEW.period <> OLD.period) "
        f"AND NOT {REOPENED} BEGIN SELECT RAISE(ABORT, '{REOPEN}'); END"
    )


def _postgres_triggers() -> None:
    op.execute(
        f"""
        CREATE FUNCTION pay_ledger_closed() RETURNS trigger AS $$
        BEGIN
          IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
               SELECT 1 FROM pay_periods WHERE period = OLD.period AND status = 'closed') THEN
            RAISE EXCEPTION '{CLOSED}' USING ERRCODE = 'check_violation';
          END IF;
          IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
               SELECT 1 FROM pay_periods WHERE period = NEW.period AND status = 'closed') THEN
            RAISE EXCEPTION '{CLOSED}' USING ERRCODE = 'check_violation';
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        "CREATE TRIGGER pay_ledger_closed BEFORE INSERT OR UPDATE OR DELETE ON pay_ledger "
        "FOR EACH ROW EXECUTE FUNCTION pay_ledger_closed()"
    )
    op.execute(
        f"""
        CREATE FUNCTION pay_periods_closed() RETURNS trigger AS $$
        BEGIN
          IF OLD.status = 'closed' AND (TG_OP = 'DELETE' OR NEW.status <> 'closed'
               OR NEW.period <> OLD.period) AND (TG_OP = 'DELETE' OR NOT {REOPENED}) THEN
            RAISE EXCEPTION '{REOPEN}' USING ERRCODE = 'check_violation';
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        "CREATE TRIGGER pay_periods_closed BEFORE UPDATE OR DELETE ON pay_periods "
        "FOR EACH ROW EXECUTE FUNCTION pay_periods_closed()"
    )
    op.execute(
        f"""
        CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
        BEGIN
          RAISE EXCEPTION '{APPEND_ONLY}' USING ERRCODE = 'check_violation';
        END $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
    )


def upgrade() -> None:
    _tables()
    if op.get_bind().dialect.name == "postgresql":
        _postgres_triggers()
    else:
        _sqlite_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS pay_ledger_closed ON pay_ledger")
        op.execute("DROP TRIGGER IF EXISTS pay_periods_closed ON pay_periods")
        op.execute("DROP FUNCTION IF EXISTS pay_periods_closed()")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
        op.execute("DROP FUNCTION IF EXISTS pay_ledger_closed()")
    for table in (
        "audit_head",
        "audit_log",
        "comp_run_inputs",
        "pay_dispute_events",
        "pay_disputes",
        "pay_approvals",
        "pay_ledger",
        "pay_periods",
    ):
        op.drop_table(table)
