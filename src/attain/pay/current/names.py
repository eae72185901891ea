"""People's names as pages show them."""

from __future__ import annotations

from sqlalchemy import Engine, select

from attain.data.schema import Person


def person_names(engine: Engine, ids: list[str] | None = None) -> dict[str, str]:
    """Person id -> name (the newest version's), for the given ids or everyone."""
    query = select(Person.id, Person.name, Person.valid_from).order_by(Person.valid_from)
    if ids is not None:
        query = query.where(Person.id.in_(ids))
    with engine.connect() as conn:
        return {pid: name or pid for pid, name, _ in conn.execute(query).all()}
