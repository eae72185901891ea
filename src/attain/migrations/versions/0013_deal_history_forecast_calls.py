"""deal history and submitted forecast calls: what a forecast as of a past day may know

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import attain.data.types

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deal_history",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("deal", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("amount", attain.data.types.Money(precision=24, scale=6), nullable=True),
        sa.Column("close_date", sa.Date(), nullable=True),
        sa.Column("forecast_category", sa.String(length=16), nullable=True),
        sa.Column("by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_history")),
    )
    op.create_index("ix_deal_history_deal_at", "deal_history", ["deal", "at"])
    op.create_table(
        "forecast_calls",
        sa.Column("payee", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("amount", attain.data.types.Money(precision=24, scale=6), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("submitted_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint(
            "payee", "period", "category", "submitted_at", name=op.f("pk_forecast_calls")
        ),
    )


def downgrade() -> None:
    op.drop_table("forecast_calls")
    op.drop_index("ix_deal_history_deal_at", table_name="deal_history")
    op.drop_table("deal_history")
