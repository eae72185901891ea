"""Local operators: the operating-system users an admin has mapped to attain users, so that a
command typed on this machine acts as that user (with that user's role), never as whoever the
command line says. Reads only; mapping is the action `operator.map`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Engine, Integer, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from attain.accounts.schema import User
from attain.accounts.users import Account
from attain.data.schema import Base


class Operator(Base):
    """An OS user of the machine the CLI runs on, acting as one attain user."""

    __tablename__ = "cli_operators"
    os_user: Mapped[str] = mapped_column(String(120), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    mapped_by: Mapped[str] = mapped_column(String(120))
    mapped_at: Mapped[dt.datetime] = mapped_column(DateTime)


def operator_user(engine: Engine, os_user: str) -> Account | None:
    """The attain user an OS user is mapped to (active or not), or None."""
    with engine.connect() as conn:
        row = conn.execute(
            select(User)
            .join(Operator, Operator.user_id == User.id)
            .where(Operator.os_user == os_user)
        ).first()
    if row is None:
        return None
    return Account(row.id, row.username, row.role, row.person, bool(row.active))


def operators(engine: Engine) -> list[tuple[str, str]]:
    """Every mapping as (OS user, username), by OS user."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Operator.os_user, User.username)
            .join(User, User.id == Operator.user_id)
            .order_by(Operator.os_user)
        ).all()
    return [(r.os_user, r.username) for r in rows]


def has_users(engine: Engine) -> bool:
    """Whether the store has any user at all (active or not): until then the CLI bootstraps."""
    with engine.connect() as conn:
        return bool(conn.execute(select(func.count()).select_from(User)).scalar_one())
