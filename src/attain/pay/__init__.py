"""From calculation to paid: periods and close, the payable ledger, holds, adjustments,
approvals, disputes, statements, exports, accruals and ASC 340-40, with every write audited.

    actor = Actor("fay", "finance")
    publish_run(url, run_id, actor)                      # run lines -> ledger (true-ups if closed)
    prepare_period(url, "2027-01", Actor("pat", "finance"))
    approve_period(url, "2027-01", Actor("mia", "manager"))
    approve_period(url, "2027-01", Actor("fay", "finance"))
    close_period(url, "2027-01", actor)                  # its lines never change again
    statement(url, "ana", "2027-01", viewer)             # totals, traces, adjustments, holds, YTD
    verify_run(url, run_id)                              # recalculated to the cent, or differences

Rendering (`attain.pay.render`: HTML with Jinja2, PDF with fpdf2) is imported where it is used.
"""

from __future__ import annotations

from attain.audit.actor import SYSTEM, Actor
from attain.pay.accruals import accruals, asc340_schedule
from attain.pay.adjustments import REASON_CODES, add_adjustment
from attain.pay.approvals import (
    APPROVAL_LEVELS,
    approvals,
    approve_period,
    prepare_period,
    revoke_approval,
)
from attain.pay.disputes import (
    assign_dispute,
    comment_dispute,
    disputes,
    raise_dispute,
    resolve_dispute,
)
from attain.pay.errors import NotAllowed, PayError, PeriodClosed
from attain.pay.exports import payroll_rows, write_payroll
from attain.pay.ledger import Published, ledger_lines, publish_run
from attain.pay.periods import close_period, period_state, period_states, reopen_period
from attain.pay.seal import ledger_seal
from attain.pay.statements import Statement, statement
from attain.pay.verify import Verification, verify_run

__all__ = [
    "APPROVAL_LEVELS",
    "REASON_CODES",
    "SYSTEM",
    "Actor",
    "NotAllowed",
    "PayError",
    "PeriodClosed",
    "Published",
    "Statement",
    "Verification",
    "accruals",
    "add_adjustment",
    "approvals",
    "approve_period",
    "asc340_schedule",
    "assign_dispute",
    "close_period",
    "comment_dispute",
    "disputes",
    "ledger_lines",
    "ledger_seal",
    "payroll_rows",
    "period_state",
    "period_states",
    "prepare_period",
    "publish_run",
    "raise_dispute",
    "reopen_period",
    "resolve_dispute",
    "revoke_approval",
    "statement",
    "verify_run",
    "write_payroll",
]
