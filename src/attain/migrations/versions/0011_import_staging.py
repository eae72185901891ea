"""import staging: uploads waiting for confirmation, kept in the store for every worker

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_staging",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user", sa.String(length=120), nullable=True),
        sa.Column("table", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("spec_text", sa.Text(), nullable=True),
        sa.Column("mapping_name", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_staging")),
    )
    op.create_index(
        op.f("ix_import_staging_expires_at"), "import_staging", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_import_staging_expires_at"), table_name="import_staging")
    op.drop_table("import_staging")
