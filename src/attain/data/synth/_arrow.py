"""Numpy arrays into typed Arrow columns: exact money, dates, date-times, ids."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MONEY_2 = pa.decimal128(18, 2)
RATE_6 = pa.decimal128(18, 6)


def money(minor_units: np.ndarray, scale: int = 2) -> pa.Array:
    """Exact decimals from integer minor units (cents): never through a binary float."""
    units = np.ascontiguousarray(minor_units, dtype=np.int64)
    words = np.empty((len(units), 2), dtype=np.int64)
    words[:, 0] = units
    words[:, 1] = np.where(units < 0, -1, 0)  # two's complement sign extension to 128 bits
    kind = pa.decimal128(18, scale)
    return pa.Array.from_buffers(kind, len(units), [None, pa.py_buffer(words)])


def dates(days: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    """Days since 1970-01-01 as dates; `missing` marks nulls."""
    values = pa.array(np.asarray(days, dtype=np.int64).astype(np.int32), type=pa.int32())
    out = values.cast(pa.date32())
    if missing is not None:
        out = pc.if_else(pa.array(missing), pa.scalar(None, pa.date32()), out)
    return out


def timestamps(seconds: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    """Seconds since 1970-01-01 as date-times; `missing` marks nulls."""
    out = pa.array(np.asarray(seconds, dtype=np.int64), type=pa.timestamp("s"))
    if missing is not None:
        out = pc.if_else(pa.array(missing), pa.scalar(None, pa.timestamp("s")), out)
    return out


def ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """Readable ids such as `D000042`, padded so they sort in creation order."""
    text = pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(text, width=width, padding="0"), "")


def pick(labels: list[str] | np.ndarray | pa.Array, index: np.ndarray) -> pa.Array:
    """`labels[index]` as a string column (a null where index is -1)."""
    table = labels if isinstance(labels, pa.Array) else pa.array(list(labels), pa.string())
    idx = np.asarray(index, dtype=np.int64)
    mask = idx < 0
    arr = pa.array(np.where(mask, 0, idx), mask=mask if mask.any() else None)
    return table.take(arr)


def take(index: np.ndarray, *columns: np.ndarray) -> list[np.ndarray]:
    """The same rows of several parallel arrays."""
    return [c[index] for c in columns]


def nullable_ints(values: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(values, dtype=np.int64), mask=missing)
