"""cli operators: OS users mapped to attain users, so a CLI command acts as a real user

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cli_operators",
        sa.Column("os_user", sa.String(length=120), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("mapped_by", sa.String(length=120), nullable=False),
        sa.Column("mapped_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("os_user", name=op.f("pk_cli_operators")),
    )
    op.create_index("ix_cli_operators_user_id", "cli_operators", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_cli_operators_user_id", table_name="cli_operators")
    op.drop_table("cli_operators")
