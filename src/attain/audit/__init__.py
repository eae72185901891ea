"""The audit log: who changed what, when, before and after, and why; hash-chained, append-only.

record(conn, actor, "period.close", "period", "2027-01", before={...}, after={...})
problems = verify_log(engine)     # [] when no entry was edited or deleted
"""

from __future__ import annotations

from attain.audit.log import AuditRecord, entries, log_change, record, verify_log

__all__ = ["AuditRecord", "entries", "log_change", "record", "verify_log"]
