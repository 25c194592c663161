"""What responders type, and what must come first: shared by the match and browser search tests.

Each query comes from the demo content (content/known-errors, content/runbooks): symptom words,
exact log lines from a known error's signatures, and alert names from runbooks. The expected
result is a path fragment of the internal site (``known-errors/KE-0007``, ``runbooks/...``).
"""

from __future__ import annotations

QUERIES: list[tuple[str, str]] = [
    # symptoms, in a responder's words
    ("customers logged out cart empty", "known-errors/KE-0001"),
    ("502 bad gateway product images", "known-errors/KE-0003"),
    ("search returns no results", "known-errors/KE-0004"),
    ("password reset email not delivered", "known-errors/KE-0006"),
    ("orders stuck in pending", "known-errors/KE-0005"),
    ("disk full on postgres", "known-errors/KE-0009"),
    ("checkout 503 payment could not be processed", "known-errors/KE-0007"),
    # an alias: the incident titled "... under disk pressure" ranked above KE-0010 without it
    ("disk pressure", "known-errors/KE-0010"),
    # exact log lines (signatures), pasted whole
    ("OOM command not allowed when used memory > 'maxmemory'.", "known-errors/KE-0001"),
    ("x509: certificate has expired or is not yet valid", "known-errors/KE-0002"),
    ("Attempt to heartbeat failed since group is rebalancing", "known-errors/KE-0005"),
    (
        "HikariPool-1 - Connection is not available, request timed out after 30000ms",
        "known-errors/KE-0007",
    ),
    ("FATAL: sorry, too many clients already", "known-errors/KE-0007"),
    (
        "java.net.UnknownHostException: api.paycore.example: Temporary failure in name resolution",
        "known-errors/KE-0008",
    ),
    ('PANIC:  could not write to file "pg_wal/xlogtemp', "known-errors/KE-0009"),
    ("The node was low on resource: ephemeral-storage.", "known-errors/KE-0010"),
    ("3DS2 authentication result not received within 10000 ms", "known-errors/KE-0011"),
    ("WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!", "known-errors/KE-0012"),
    ("canceling statement due to conflict with recovery", "known-errors/KE-0014"),
    ("dkim=fail (bad signature)", "known-errors/KE-0006"),
    # alert names: the runbook that answers the alert
    ("CoreDNSErrorsHigh", "runbooks/dns-resolution-failures"),
    ("HikariPoolPendingThreadsHigh", "runbooks/postgres-connection-pool"),
    ("OrdersPendingTooLong", "runbooks/kafka-consumer-lag"),
    ("CarrierFeedStale", "runbooks/shipment-tracking-feed"),
    ("NodeLocalDNSDown", "runbooks/dns-resolution-failures"),
    ("PostgresWALGrowthRateHigh", "runbooks/postgres-disk-full"),
]
