"""accounts: API tokens expire, Idempotency-Keys are reserved before the work, login attempts
are counted in the store

Existing API tokens get an expiry 90 days from the upgrade (they never expired before). The
replies kept for Idempotency-Keys are dropped with their old table: they may hold secrets (API
tokens in plain text), and a reply older than a day is not replayed any more anyway.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 14:30:00
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _replies(with_reservation: bool) -> None:
    extra: list[sa.Column[Any]] = (
        [
            sa.Column("request_hash", sa.String(length=64), nullable=False),
            sa.Column("state", sa.String(length=16), nullable=False),
            sa.Column("status", sa.Integer(), nullable=True),
            sa.Column("body", sa.Text(), nullable=True),
            sa.Column("secret", sa.Boolean(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("expires_at", sa.DateTime(), nullable=False),
        ]
        if with_reservation
        else [
            sa.Column("status", sa.Integer(), nullable=False),
            sa.Column("body", sa.Text(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
        ]
    )
    op.create_table(
        "web_idempotent_replies",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request", sa.String(length=300), nullable=False),
        *extra,
        sa.PrimaryKeyConstraint("user_id", "key", name=op.f("pk_web_idempotent_replies")),
    )


def upgrade() -> None:
    with op.batch_alter_table("web_api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))
    until = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=90)
    op.execute(
        sa.text(
            "UPDATE web_api_tokens SET expires_at = :until WHERE expires_at IS NULL"
        ).bindparams(until=until)
    )
    op.drop_table("web_idempotent_replies")
    _replies(with_reservation=True)
    op.create_index(
        "ix_web_idempotent_replies_expires_at", "web_idempotent_replies", ["expires_at"]
    )
    op.create_table(
        "web_login_attempts",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_web_login_attempts")),
    )


def downgrade() -> None:
    op.drop_table("web_login_attempts")
    op.drop_index("ix_web_idempotent_replies_expires_at", table_name="web_idempotent_replies")
    op.drop_table("web_idempotent_replies")
    _replies(with_reservation=False)
    with op.batch_alter_table("web_api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
