"""The public surface of attain.quota is what it claims: every name exists and says why."""

from __future__ import annotations

import attain.quota as quota
import attain.quota.drafts as drafts


def test_public_names_exist_and_are_documented() -> None:
    for name in quota.__all__:
        obj = getattr(quota, name)
        if callable(obj):
            assert (obj.__doc__ or "").strip(), name
    assert set(quota.METHODS) == {"top_down", "historical_growth", "bottom_up", "data_driven"}


def test_draft_actions_are_documented() -> None:
    for name in ("create_draft", "adjust", "approve", "publish", "compare"):
        assert (getattr(drafts, name).__doc__ or "").strip(), name
