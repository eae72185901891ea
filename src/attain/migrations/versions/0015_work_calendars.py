"""work calendars: the hours and holidays a territory works by, for business-hours waits

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 20:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "work_calendars",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("workdays", sa.String(length=64), nullable=False),
        sa.Column("opens", sa.String(length=8), nullable=False),
        sa.Column("closes", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_calendars")),
    )
    op.create_table(
        "work_calendar_holidays",
        sa.Column("calendar", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("calendar", "day", name=op.f("pk_work_calendar_holidays")),
    )
    with op.batch_alter_table("territories") as batch:
        batch.add_column(sa.Column("calendar", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("territories") as batch:
        batch.drop_column("calendar")
    op.drop_table("work_calendar_holidays")
    op.drop_table("work_calendars")
