"""team approvals: a manager approves their team's part of a period, and every approval keeps
the ledger lines it covered

`pay_approvals` loses its one-row-per-level rule (the manager level is now one approval per
team) and gains what it covered (lines, payees, totals per currency); `pay_approval_lines`
holds each covered ledger line, once per level and cycle.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 14:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import attain.data.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pay_approvals", schema=None) as batch_op:
        batch_op.drop_constraint("uq_pay_approvals_level", type_="unique")
        batch_op.add_column(sa.Column("lines", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("payees", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("totals", sa.Text(), nullable=False, server_default="{}"))
        batch_op.create_index("ix_pay_approvals_period", ["period", "cycle"])
    op.create_table(
        "pay_approval_lines",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("approval", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("ledger_line", sa.Integer(), nullable=False),
        sa.Column("payee", sa.String(64), nullable=False),
        sa.Column("amount", attain.data.types.Money(precision=24, scale=6), nullable=False),
        sa.Column("currency", sa.String(8), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_approval_lines")),
        sa.UniqueConstraint(
            "period", "cycle", "level", "ledger_line", name="uq_pay_approval_lines_line"
        ),
    )
    op.create_index("ix_pay_approval_lines_approval", "pay_approval_lines", ["approval"])


def downgrade() -> None:
    op.drop_index("ix_pay_approval_lines_approval", table_name="pay_approval_lines")
    op.drop_table("pay_approval_lines")
    with op.batch_alter_table("pay_approvals", schema=None) as batch_op:
        batch_op.drop_index("ix_pay_approvals_period")
        batch_op.drop_column("totals")
        batch_op.drop_column("payees")
        batch_op.drop_column("lines")
        batch_op.create_unique_constraint("uq_pay_approvals_level", ["period", "cycle", "level"])
