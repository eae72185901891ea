"""quota drafts, draft lines and audit

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import attain.data.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    money = attain.data.types.Money(precision=24, scale=6)
    op.create_table(
        "quota_drafts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("periods", sa.String(length=16), nullable=False),
        sa.Column("target", money, nullable=False),
        sa.Column("over_assignment", money, nullable=False),
        sa.Column("settings", sa.Text(), nullable=False),
        sa.Column("warnings", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("prepared_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("approved_by", sa.String(length=64), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("published_by", sa.String(length=64), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quota_drafts")),
    )
    op.create_table(
        "quota_draft_lines",
        sa.Column("draft_id", sa.String(length=32), nullable=False),
        sa.Column("payee", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("amount", money, nullable=False),
        sa.Column("proposed", money, nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=False),
        sa.Column("territory", sa.String(length=64), nullable=True),
        sa.Column("low", money, nullable=True),
        sa.Column("high", money, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("draft_id", "payee", "period", name=op.f("pk_quota_draft_lines")),
    )
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


def downgrade() -> None:
    with op.batch_alter_table("quota_audit", schema=None) as batch_op:
        batch_op.drop_index("ix_quota_audit_draft")
    op.drop_table("quota_audit")
    op.drop_table("quota_draft_lines")
    op.drop_table("quota_drafts")
