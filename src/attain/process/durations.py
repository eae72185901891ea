"""How a waiting or throughput time is written for people: the two largest units, so `3 d 4 h`
reads at a glance where 273,600 seconds does not (the exact seconds stay in the JSON)."""

from __future__ import annotations

UNITS = (("d", 86_400), ("h", 3_600), ("min", 60), ("s", 1))


def humanised(seconds: float | None) -> str:
    """`273600.0` -> `3 d 4 h`; `90` -> `1 min 30 s`; `0.4` -> `< 1 s`; None -> `–`.

    Rounded to the smaller of the two units shown, so a figure never claims more precision
    than it prints (`86399` is `1 d`, not `24 h`).
    """
    if seconds is None:
        return "–"
    sign = "-" if seconds < 0 else ""
    left = abs(seconds)
    if 0 < left < 0.5:
        return f"{sign}< 1 s"
    for i, (name, size) in enumerate(UNITS):
        small_name, small = UNITS[min(i + 1, len(UNITS) - 1)]
        total = round(left / small)
        if total * small < size and size > 1:
            continue
        big, rest = divmod(total * small, size)
        rest //= small
        if small == size:
            return f"{sign}{big:,} {name}"
        return f"{sign}{big:,} {name}" + (f" {rest} {small_name}" if rest else "")
    return "0 s"  # pragma: no cover - the last unit always answers
