"""What current figures depend on, and a process cache keyed by it.

A page compares a version (the published run, and when the live lines it reads were made) with
what it cached instead of reading the lines again: a newly published run or a live
recalculation changes the version, so nobody is shown a figure from before either.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Callable, Collection
from typing import Any, TypeVar, cast

from sqlalchemy import Engine, func, select

from attain.comp.live.schema import LivePayee
from attain.comp.runs.published import forget_published, shown_run

T = TypeVar("T")
Version = tuple[str | None, dt.datetime | None]

_cache: dict[tuple[str, str, str], tuple[tuple[Any, ...], Any]] = {}
_cache_lock = threading.Lock()
_epoch = 0
CACHE_SIZE = 20_000


def pay_version(engine: Engine, payee: str) -> Version:
    """What a payee's figures depend on: the published run, and when their live lines were made.

    Two indexed lookups."""
    return live_version(engine, [payee])


def live_version(engine: Engine, payees: Collection[str] | None = None) -> Version:
    """What the figures of `payees` (everyone when None: a team, the finance page) depend on:
    the published run, and the newest live recalculation over it of any of them."""
    run = shown_run(engine)
    if run is None:
        return None, None
    newest = select(func.max(LivePayee.computed_at)).where(LivePayee.base_run == run.id)
    found: list[dt.datetime] = []
    with engine.connect() as conn:
        if payees is None:
            found = [t for t in [conn.execute(newest).scalar()] if t is not None]
        else:
            ordered = sorted(set(payees))
            for i in range(0, len(ordered), 500):
                t = conn.execute(newest.where(LivePayee.payee.in_(ordered[i : i + 500]))).scalar()
                if t is not None:
                    found.append(t)
    return run.id, max(found, default=None)


def list_key(payees: Collection[str] | None) -> str:
    """A short name for a list of payees in the cache (`everyone` for None)."""
    if payees is None:
        return "everyone"
    joined = "\n".join(sorted(set(payees)))
    return hashlib.blake2b(joined.encode(), digest_size=16).hexdigest()


def forget_cached_pay() -> None:
    """Drop what pages cached (after data that is not a run or a live line changed: people)."""
    global _epoch
    with _cache_lock:
        _cache.clear()
        forget_published()
        _epoch += 1


def cached(kind: str, engine: Engine, payee: str, key: tuple[Any, ...], make: Callable[[], T]) -> T:
    """`make()` once per `payee` (or any name of what is cached) and `key` (a version), kept in
    this process."""
    slot = (kind, str(engine.url), payee)
    full = (*key, _epoch)
    with _cache_lock:
        hit = _cache.get(slot)
    if hit is not None and hit[0] == full:
        return cast(T, hit[1])
    value = make()
    with _cache_lock:
        if len(_cache) >= CACHE_SIZE:
            _cache.clear()
        _cache[slot] = (full, value)
    return value
