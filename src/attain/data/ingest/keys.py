"""Primary keys seen so far in a file: a second row with the same key is an error naming both."""

from __future__ import annotations

import pyarrow as pa


class PrimaryKeys:
    """Remembers the first row of every key in the file, across batches."""

    def __init__(self, columns: tuple[str, ...]) -> None:
        self.columns = columns
        self._first_row: dict[object, int] = {}

    def duplicates(self, keys: list[pa.Array], rows: pa.Array) -> list[tuple[int, int, object]]:
        """(index in batch, row where the key was first seen, key) for each repeated key.

        Keys with a blank part are skipped: the missing value is reported on its own.
        """
        if len(keys) == 1:
            values: list[object] = keys[0].to_pylist()
        else:
            values = list(zip(*(k.to_pylist() for k in keys), strict=True))
        first_row = self._first_row
        repeated = []
        for index, (key, row) in enumerate(zip(values, rows.to_pylist(), strict=True)):
            if key is None or (isinstance(key, tuple) and None in key):
                continue
            first = first_row.setdefault(key, row)
            if first != row:
                repeated.append((index, first, key))
        return repeated


def show_key(key: object) -> str:
    """A key as a user would write it: `D-17` or `(ana, bookings, 2027-Q1)`."""
    if isinstance(key, tuple):
        return "(" + ", ".join(str(part) for part in key) + ")"
    return repr(key)
