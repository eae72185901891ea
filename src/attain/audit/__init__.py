"""The audit log: who changed what, when, before and after, and why; hash-chained, append-only.

record(conn, actor, "period.close", "period", "2027-01", before={...}, after={...})
count, problems = verify_log(engine)   # [] when no entry was edited, deleted or cut off
"""

from __future__ import annotations

from attain.audit.log import AuditRecord, entries, log_change, record
from attain.audit.verify import LogCheck, check_log, verify_log

__all__ = ["AuditRecord", "LogCheck", "check_log", "entries", "log_change", "record", "verify_log"]
