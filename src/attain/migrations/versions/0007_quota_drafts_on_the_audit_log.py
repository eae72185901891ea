"""quota drafts on the one audit log: drop quota_audit; merge the pay and web branches

Quota draft changes are now entries of the hash-chained audit log (entity `quota_draft`). The
old, unchained `quota_audit` table is dropped: its rows are not carried into the chain.

Revision ID: 0007
Revises: 0004, 0006
Create Date: 2026-12-01 11:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = ("0004", "0006")
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("quota_audit", schema=None) as batch_op:
        batch_op.drop_index("ix_quota_audit_draft")
    op.drop_table("quota_audit")


def downgrade() -> None:
    op.create_table(
        "quota_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("draft_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("payee", sa.String(length=64), nullable=True),
        sa.Column("period", sa.String(length=16), nullable=True),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quota_audit")),
    )
    with op.batch_alter_table("quota_audit", schema=None) as batch_op:
        batch_op.create_index("ix_quota_audit_draft", ["draft_id", "at"], unique=False)
