"""Whatever order drafts and publishes come in, each one that succeeds leaves exactly one audit
entry, a refused one leaves none, the paid version is the newest one published (publishing an
older published version rolls back to it as a new version), and the chain holds."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from actions_world import ADMIN, PLAN
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.actions.plans import StalePublish, publish, save_draft
from attain.audit import entries, verify_log
from attain.comp import plan_versions as pv
from attain.data.store import get_engine

STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("draft"), st.integers(min_value=1, max_value=30)),
        st.tuples(st.just("publish"), st.integers(min_value=1, max_value=6)),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=15, deadline=None)
@given(steps=STEPS)
def test_plan_actions_audit_exactly_what_they_did(
    company_file: Path, steps: list[tuple[str, int]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(company_file, Path(folder) / "attain.db")
        engine = get_engine(f"sqlite:///{Path(folder) / 'attain.db'}")
        pv.ensure_seeded(engine)
        expected: list[str] = []
        newest, paid = 1, 1
        status = {1: "published"}
        for kind, value in steps:
            if kind == "draft":
                text = PLAN.replace("rate: 0.10", f"rate: {value / 100:.2f}")
                newest = save_draft(engine, ADMIN, "ae", text).version
                status[newest] = "draft"
                expected.append("plan.draft")
            else:
                rolls_back = status.get(value) == "published" and value != paid
                publishes = status.get(value) == "draft" and value == newest
                try:
                    made = publish(engine, ADMIN, "ae", value)
                except (StalePublish, LookupError):
                    assert not (rolls_back or publishes)
                    continue
                assert rolls_back or publishes
                if rolls_back:
                    newest += 1
                    assert made.version == newest
                paid = newest
                status[paid] = "published"
                expected.append("plan.publish")
        kept = [e.action for e in reversed(entries(engine, entity="plan", limit=1000))]
        assert kept == expected
        found = pv.published(engine, "ae")
        assert found is not None and found.version == paid
        assert verify_log(engine)[1] == []
        engine.dispose()
