"""The dispute list, a page at a time: the disputes shown and their events in a fixed number of
queries, however many disputes the store holds (a list that loads every dispute's history on
each request gets slower with every dispute raised)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, Engine, func, select

from attain.pay.actions import engine_of
from attain.pay.schema import Dispute, DisputeEvent

PAGE = 50
"""Disputes on one page unless the reader asks for another size."""

Sees = Callable[[str, str], bool]
"""Whether the reader may see a dispute about (payee, period)."""


@dataclass(frozen=True)
class DisputeView:
    id: int
    payee: str
    period: str
    subject: str
    status: str
    owner: str | None
    ledger_line: int | None
    deal: str | None
    resolution: str | None
    adjustment: int | None
    events: list[tuple[datetime, str, str, str | None]]


@dataclass(frozen=True)
class DisputePage:
    """`items` (newest first) of `total` disputes the reader may see, from `offset`."""

    items: list[DisputeView]
    total: int
    limit: int
    offset: int


def dispute_page(
    url: str | Engine | None,
    *,
    sees: Sees | None = None,
    limit: int = PAGE,
    offset: int = 0,
    payees: Collection[str] | None = None,
    status: str | None = None,
) -> DisputePage:
    """One page of the disputes about `payees` (None: anyone's) that the reader may see (`sees`
    None: every one of those), newest first."""
    where: list[ColumnElement[bool]] = []
    if payees is not None:
        where.append(Dispute.payee.in_(sorted(payees)))
    if status is not None:
        where.append(Dispute.status == status)
    with engine_of(url).connect() as conn:
        if sees is None:
            total = int(
                conn.execute(select(func.count()).select_from(Dispute).where(*where)).scalar_one()
            )
            ids = list(
                conn.execute(
                    select(Dispute.id)
                    .where(*where)
                    .order_by(Dispute.id.desc())
                    .limit(limit)
                    .offset(offset)
                ).scalars()
            )
        else:
            visible = _visible_ids(conn, where, sees)
            total = len(visible)
            ids = visible[offset : offset + limit]
        return DisputePage(load_disputes(conn, ids), total, limit, offset)


def _visible_ids(conn: Connection, where: list[ColumnElement[bool]], sees: Sees) -> list[int]:
    """The ids the reader may see, newest first: judged once per (payee, period)."""
    judged: dict[tuple[str, str], bool] = {}
    out = []
    rows = conn.execute(
        select(Dispute.id, Dispute.payee, Dispute.period).where(*where).order_by(Dispute.id.desc())
    )
    for id_, payee, period in rows:
        key = (payee, period)
        if key not in judged:
            judged[key] = sees(payee, period)
        if judged[key]:
            out.append(id_)
    return out


def load_disputes(conn: Connection, ids: list[int]) -> list[DisputeView]:
    """The disputes `ids` with their events, in the order of `ids`: two queries."""
    if not ids:
        return []
    rows = {d["id"]: d for d in conn.execute(select(Dispute).where(Dispute.id.in_(ids))).mappings()}
    events: dict[int, list[tuple[datetime, str, str, str | None]]] = {i: [] for i in ids}
    for e in conn.execute(
        select(DisputeEvent).where(DisputeEvent.dispute.in_(ids)).order_by(DisputeEvent.id)
    ):
        events[e.dispute].append((e.at, e.actor, e.kind, e.text))
    return [
        DisputeView(
            d["id"],
            d["payee"],
            d["period"],
            d["subject"],
            d["status"],
            d["owner"],
            d["ledger_line"],
            d["deal"],
            d["resolution"],
            d["adjustment"],
            events[d["id"]],
        )
        for d in (rows[i] for i in ids if i in rows)
    ]


def disputes(
    url: str | Engine | None, *, payee: str | None = None, status: str | None = None
) -> list[DisputeView]:
    """Every dispute (of a payee, in a status) with its events, newest first: for the CLI."""
    with engine_of(url).connect() as conn:
        query = select(Dispute.id).order_by(Dispute.id.desc())
        if payee is not None:
            query = query.where(Dispute.payee == payee)
        if status is not None:
            query = query.where(Dispute.status == status)
        return load_disputes(conn, list(conn.execute(query).scalars()))
