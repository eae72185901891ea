"""quota currency, the deal stage catalog, saved import mappings

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 08:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import attain.data.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("quotas") as batch:
        batch.add_column(sa.Column("currency", sa.String(length=3), nullable=True))
    op.create_table(
        "deal_stages",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=8), nullable=False),
        sa.Column("probability", attain.data.types.Money(precision=24, scale=6), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_deal_stages")),
    )
    op.create_table(
        "import_mappings",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("table", sa.String(length=64), nullable=False),
        sa.Column("spec", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_import_mappings")),
    )


def downgrade() -> None:
    op.drop_table("import_mappings")
    op.drop_table("deal_stages")
    with op.batch_alter_table("quotas") as batch:
        batch.drop_column("currency")
