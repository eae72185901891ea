"""KeptValues: made once per key however many ask at once, the least recently used dropped past
its size, a value no longer valid made again, and the values a new one replaces dropped."""

from __future__ import annotations

import threading
import time

from attain.web.kept_values import KeptValues
from races import race


def test_many_asking_at_once_wait_for_one_making() -> None:
    kept: KeptValues[str, int] = KeptValues(4)
    made: list[int] = []
    lock = threading.Lock()

    def make() -> int:
        time.sleep(0.05)
        with lock:
            made.append(1)
        return 42

    assert race(*[lambda: kept.get("k", make)] * 8) == [42] * 8
    assert made == [1]


def test_the_least_recently_used_is_dropped_past_the_size() -> None:
    kept: KeptValues[str, str] = KeptValues(2)
    kept.get("a", lambda: "A")
    kept.get("b", lambda: "B")
    kept.get("a", lambda: "never")  # a is now the most recent
    kept.get("c", lambda: "C")  # b goes
    assert len(kept) == 2
    assert kept.get("a", lambda: "again") == "A"
    assert kept.get("b", lambda: "B2") == "B2"


def test_an_invalid_value_is_made_again_and_replaced_keys_go() -> None:
    kept: KeptValues[tuple[str, int], str] = KeptValues(8)
    kept.get(("log", 1), lambda: "v1")
    kept.get(("other", 1), lambda: "o1")
    assert kept.get(("log", 1), lambda: "fresh", valid=lambda v: v != "v1") == "fresh"
    kept.get(("log", 2), lambda: "v2", replaces=lambda k: k[0] == "log")
    assert len(kept) == 2  # ("log", 1) replaced; ("other", 1) stays
    assert kept.get(("log", 1), lambda: "made") == "made"
