"""What a password must be: long enough, not only spaces, and not one of the passwords people
use most (the list zxcvbn ships, from leaked password sets), so a guess from a list fails."""

from __future__ import annotations

from functools import cache

MIN_LENGTH = 12
MAX_LENGTH = 200


@cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])


def password_problem(password: str) -> str | None:
    """Why this password is refused, in a sentence, or None when it will do."""
    if not password.strip():
        return "the password is only spaces"
    if len(password) < MIN_LENGTH:
        return f"the password is shorter than {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"the password is longer than {MAX_LENGTH} characters"
    if password.strip().lower() in _common():
        return "the password is one of the most common passwords: choose another"
    return None
