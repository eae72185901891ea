"""process logs: event logs imported from XES, CSV or Parquet, kept to be mined by name

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 20:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import attain.data.types

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "process_logs",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("case_label", sa.String(length=32), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=64), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.Column("attributes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_process_logs")),
    )
    op.create_table(
        "process_events",
        sa.Column("log", sa.String(length=64), nullable=False),
        sa.Column("position", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("case_id", sa.Text(), nullable=False),
        sa.Column("activity", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("resource", sa.Text(), nullable=True),
        sa.Column("lifecycle", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("log", "position", name=op.f("pk_process_events")),
    )
    op.create_table(
        "process_cases",
        sa.Column("log", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.Text(), nullable=False),
        sa.Column("amount", attain.data.types.Money(precision=24, scale=6), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("attributes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("log", "case_id", name=op.f("pk_process_cases")),
    )


def downgrade() -> None:
    op.drop_table("process_cases")
    op.drop_table("process_events")
    op.drop_table("process_logs")
