"""Values a surface computes once and keeps: the forecasts and prepared process logs of the
pages. Up to `size` are kept, the least recently used dropped first, and concurrent requests
for one key wait for one computation instead of each starting their own (no stampede)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class KeptValues(Generic[K, V]):
    """A bounded map from keys to values made on first use."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._values: OrderedDict[K, V] = OrderedDict()
        self._making: dict[K, threading.Lock] = {}

    def get(
        self,
        key: K,
        make: Callable[[], V],
        *,
        valid: Callable[[V], bool] = lambda _v: True,
        replaces: Callable[[K], bool] | None = None,
    ) -> V:
        """The value kept for `key` (while `valid` holds for it), else `make()` kept; on keeping
        a new value, the keys for which `replaces` holds are dropped first."""
        with self._lock:
            if key in self._values and valid(self._values[key]):
                self._values.move_to_end(key)
                return self._values[key]
            gate = self._making.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self._values and valid(self._values[key]):
                    return self._values[key]
            try:
                value = make()
                with self._lock:
                    if replaces is not None:
                        for old in [k for k in self._values if replaces(k)]:
                            del self._values[old]
                    self._values[key] = value
                    self._values.move_to_end(key)
                    while len(self._values) > self.size:
                        self._values.popitem(last=False)
            finally:
                with self._lock:
                    self._making.pop(key, None)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)
