"""The demo company's pay made payable: its run published into the ledger, so the pay lifecycle
(approvals, close, statements, exports) has something to work on from the first minute."""

from __future__ import annotations

from attain.audit.actor import SYSTEM
from attain.data.synth.demo import DemoContext
from attain.pay.ledger import publish_run


def publish_step(ctx: DemoContext) -> None:
    """The demo step after `calculate pay`: publish that run as the system."""
    run = ctx.outputs.get("run")
    if run is not None:
        ctx.outputs["published"] = publish_run(ctx.url, run.id, SYSTEM)
