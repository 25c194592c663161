"""Generate a synthetic statuspress content tree for benchmarks and scale tests.

    python bench/make_corpus.py 1000 --seed 1 --out /tmp/c1000    # -> /tmp/c1000/content/...

The same N and seed always give byte-identical files. Only the standard library is used, and
YAML is written by a tiny emitter: every string is quoted with ``json.dumps`` (a JSON string is a
valid YAML double-quoted scalar), timestamps and dates are written plain, as writers type them.

The organisation is fictional ("Northwind"): 12-40 services in groups, N incidents ending on
2026-11-27 (about 5% maintenance, 1% gamedays, 3% private; severities weighted toward SEV-3/4;
about 70% detected by monitoring), about N/20 known errors and N/50 runbooks. Every reference
resolves, every timestamp has an offset, and at most one incident is still active.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Any

END = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
"""The corpus's "now": the newest incident is active at this moment."""

SEVERITIES = ("SEV-1", "SEV-2", "SEV-3", "SEV-4")
SEVERITY_WEIGHTS = (3, 12, 40, 45)

# Offsets writers use for timestamps (UTC most often).
OFFSETS = (0, 0, 0, 0, 0, 60, 60, 120, -300, -480, 330)

# --- The fictional organisation --------------------------------------------------------------
# group id, group name, services: (id, name, description, tier, public)
CATALOG: tuple[tuple[str, str, tuple[tuple[str, str, str, int, bool], ...]], ...] = (
    (
        "storefront",
        "Storefront",
        (
            ("web", "Website", "Product pages, browsing and the cart", 1, True),
            ("accounts", "Login & Accounts", "Sign-in, registration and password reset", 2, True),
            ("search", "Product Search", "Search box, filters and recommendations", 2, True),
            ("mobile-api", "Mobile App API", "API behind the iOS and Android apps", 2, True),
            ("cdn", "Images & Static Content", "Images, scripts and stylesheets", 2, True),
        ),
    ),
    (
        "payments",
        "Checkout & Payments",
        (
            ("checkout", "Checkout", "Cart to order flow, vouchers and delivery options", 1, True),
            ("payments-api", "Card Payments", "Card authorization and capture", 1, True),
            ("gift-cards", "Gift Cards", "Gift card balance and redemption", 3, True),
            ("invoicing", "Invoicing", "Invoices and credit notes for business customers", 3, True),
            ("fraud-scoring", "Fraud Scoring", "Risk scoring of orders and payments", 2, False),
        ),
    ),
    (
        "fulfilment",
        "Orders & Delivery",
        (
            ("orders", "Order Processing", "Order confirmation and warehouse hand-off", 1, True),
            ("shipment-tracking", "Shipment Tracking", "Carrier tracking updates", 3, True),
            ("notifications", "Email & SMS", "Order confirmations and shipping notices", 3, True),
            ("returns", "Returns", "Return labels and refunds for returned items", 3, True),
            ("inventory", "Inventory", "Stock levels and reservations", 2, False),
        ),
    ),
    (
        "partners",
        "Partners & API",
        (
            ("partner-api", "Partner API", "REST API and feeds for marketplace partners", 2, True),
            ("webhooks", "Webhooks", "Event delivery to partner endpoints", 3, True),
            ("developer-portal", "Developer Portal", "API docs, keys and the sandbox", 4, True),
            ("affiliate-feeds", "Affiliate Feeds", "Product feeds for affiliates", 4, True),
            ("partner-sso", "Partner Sign-in", "Single sign-on for partner staff", 3, True),
        ),
    ),
    (
        "platform",
        "Platform",
        (
            ("edge-lb", "Edge Load Balancers", "TLS termination and routing", 1, False),
            ("dns", "DNS", "Authoritative and internal DNS", 1, False),
            ("kubernetes", "Kubernetes", "Production clusters", 1, False),
            ("ci-runners", "CI/CD Runners", "Build runners and the deploy pipeline", 4, False),
            ("feature-flags", "Feature Flags", "Flag evaluation service", 3, False),
        ),
    ),
    (
        "data",
        "Data",
        (
            ("postgres-main", "Main PostgreSQL", "Primary transactional database", 1, False),
            ("redis-cache", "Redis Cache", "Session and page cache", 2, False),
            ("kafka", "Kafka", "Event streaming backbone", 2, False),
            ("search-index", "Search Index", "Elasticsearch cluster behind search", 2, False),
            ("warehouse", "Data Warehouse", "Reporting and analytics", 4, False),
        ),
    ),
    (
        "support",
        "Customer Support",
        (
            ("help-center", "Help Center", "Help articles and the contact form", 3, True),
            ("live-chat", "Live Chat", "Chat with customer support", 3, True),
            ("backoffice", "Backoffice", "Customer service and admin tools", 3, False),
            ("reporting", "Sales Reporting", "Sales dashboards", 4, False),
            (
                "status-api",
                "Order Status Hotline",
                "Automated phone line for order status",
                4,
                True,
            ),
        ),
    ),
    (
        "identity",
        "Identity",
        (
            ("sso", "Staff Single Sign-on", "Sign-in for employees", 2, False),
            ("oauth", "OAuth Server", "Tokens for apps and partners", 1, True),
            ("secrets-vault", "Secrets Vault", "Secrets and certificates", 2, False),
            ("mfa", "Two-factor Authentication", "Codes by app and SMS", 2, True),
            ("audit-log", "Audit Log", "Security audit trail", 3, False),
        ),
    ),
)

PEOPLE = (
    "alice.nguyen", "bruno.costa", "chen.wei", "dana.kowalski", "emeka.obi", "fatima.zahra",
    "gustav.lind", "hana.sato", "ivan.petrov", "jose.garcia", "kwame.mensah", "lena.fischer",
    "marta.rossi", "nikhil.rao", "olga.ivanova", "pablo.ruiz", "quinn.taylor", "rosa.mendes",
    "sven.berg", "tara.singh", "umar.farooq", "vera.novak", "wen.li", "ximena.lopez",
    "yusuf.demir", "zoe.martin",
)  # fmt: skip
DISPLAY_NAMES = ("José García", "Zoë Martin", "Lena Fischer", "Chen Wei", "Emeka Obi")

SYSTEMS = ("application", "database", "network", "infrastructure", "storage", "third-party")
CAUSES = (
    "configuration", "deployment", "capacity", "dependency", "software-bug", "hardware",
    "certificate", "human-error", "unknown",
)  # fmt: skip
TYPES_WEIGHTED = (("availability", 45), ("performance", 40), ("data-integrity", 10),
                  ("security", 5))  # fmt: skip

TITLES = {
    "availability": (
        "{svc} unavailable",
        "Errors when using {svc}",
        "{svc} returning errors for some customers",
        "Elevated error rates on {svc}",
        "{svc} failing intermittently",
    ),
    "performance": (
        "Slow responses from {svc}",
        "Increased latency on {svc}",
        "Delays in {svc}",
        "{svc} degraded performance",
    ),
    "data-integrity": (
        "Outdated information shown in {svc}",
        "Delayed updates in {svc}",
        "Duplicate entries in {svc}",
    ),
    "security": (
        "Unusual traffic affecting {svc}",
        "Sign-in issues on {svc} after a security change",
    ),
}
MAINTENANCE_TITLES = (
    "Scheduled maintenance: {svc} database upgrade",
    "Planned maintenance of {svc}",
    "{svc} infrastructure migration",
    "Network maintenance affecting {svc}",
)
GAMEDAY_TITLES = ("Gameday: {svc} failover drill", "Gameday: {svc} dependency outage exercise")

CAUSE_SENTENCES = {
    "configuration": "a configuration change reduced the capacity of {svc}",
    "deployment": "a recent deployment of {svc} introduced a regression",
    "capacity": "{svc} ran out of capacity under unusually high load",
    "dependency": "an upstream provider used by {svc} had an outage",
    "software-bug": "a software defect in {svc} caused requests to fail",
    "hardware": "a failed host in our data center affected {svc}",
    "certificate": "an expired certificate broke connections to {svc}",
    "human-error": "a manual operation on {svc} had unintended effects",
    "unknown": "the cause is still being analysed",
}

# Known-error templates: title, symptoms, signatures, workaround, root cause, fix.
KE_TEMPLATES: tuple[dict[str, Any], ...] = (
    {
        "title": "Connection pool exhaustion on {svc}",
        "symptoms": ["HTTP 503 from {svc} under load", "p99 latency above 2 s", "{alert} firing"],
        "signatures": [
            "FATAL: remaining connection slots are reserved",
            r"re:pool exhausted after \d+ ?ms",
        ],
        "workaround": "Restart the {svc} pods one by one: `kubectl rollout restart deploy/{svc}`.",
        "root_cause": "Long-running report queries hold connections from the shared pool.",
        "fix": "Move reporting queries to the read replica and cap the pool per client.",
    },
    {
        "title": "Expired TLS certificate on {svc} endpoints",
        "symptoms": ["Browsers show a certificate warning", "Partner calls fail with TLS errors"],
        "signatures": [
            "x509: certificate has expired or is not yet valid",
            "SSL_ERROR_EXPIRED_CERT_ALERT",
        ],
        "workaround": "Issue a certificate by hand with `vault write pki/issue/{svc}` and reload.",
        "root_cause": "The renewal job lost its permissions after a vault policy change.",
        "fix": "Monitor certificate expiry 21 days ahead and test renewal weekly.",
    },
    {
        "title": "Cache stampede on {svc} after deploys",
        "symptoms": ["Error spike for 2-5 minutes after each deploy", "Database CPU at 100%"],
        "signatures": [r"re:cache miss ratio [0-9.]+ above threshold", "upstream timed out (110)"],
        "workaround": "Deploy with `--max-surge 10%` and pre-warm with `make warm-cache`.",
        "root_cause": "All instances expire the same keys at once after a cold start.",
        "fix": "Add jitter to cache expiry and request coalescing.",
    },
    {
        "title": "Consumer lag on {svc} event processing",
        "symptoms": ["Updates appear minutes late", "Kafka lag alert for {svc}"],
        "signatures": [r"re:consumer group \S+ lag > \d+", "CommitFailedException"],
        "workaround": "Scale the consumers: `kubectl scale deploy/{svc}-consumer --replicas=12`.",
        "root_cause": "Rebalancing storms when consumers exceed max.poll.interval.ms.",
        "fix": "Process batches asynchronously and lower max.poll.records.",
    },
    {
        "title": "Disk full on {svc} nodes",
        "symptoms": ["Writes fail on {svc}", "Node disk usage alert"],
        "signatures": ["No space left on device", r"re:ENOSPC.*write"],
        "workaround": "Delete rotated logs: `find /var/log/{svc} -name '*.gz' -mtime +2 -delete`.",
        "root_cause": "Debug logging left on after an investigation.",
        "fix": "Enforce log rotation by size and alert at 80% disk usage.",
    },
    {
        "title": "DNS resolution timeouts from {svc}",
        "symptoms": ["Random 502 errors", "Calls to dependencies time out after 5 s"],
        "signatures": ["dial tcp: lookup", r"re:i/o timeout.*:53"],
        "workaround": "Restart node-local DNS caches on the affected nodes.",
        "root_cause": "conntrack table races on UDP DNS traffic.",
        "fix": "Use TCP for upstream DNS and raise the conntrack limit.",
    },
    {
        "title": "Out-of-memory kills of {svc} workers",
        "symptoms": ["Workers restart every few minutes", "Requests dropped mid-flight"],
        "signatures": [r"re:Out of memory: Killed process \d+", "OOMKilled"],
        "workaround": "Raise the memory limit to 2 GiB until the fix ships.",
        "root_cause": "An unbounded in-memory cache of product images.",
        "fix": "Bound the cache by size and evict least recently used entries.",
    },
    {
        "title": "Deadlocks during {svc} schema migrations",
        "symptoms": ["Writes to {svc} time out during deploys"],
        "signatures": ["ERROR: deadlock detected", "lock timeout"],
        "workaround": "Pause the migration job and retry outside peak hours.",
        "root_cause": "Migrations take ACCESS EXCLUSIVE locks on hot tables.",
        "fix": "Use online migrations with lock_timeout and batching.",
    },
    {
        "title": "Upstream rate limiting of {svc}",
        "symptoms": ["HTTP 429 from the provider", "Retries pile up in the queue"],
        "signatures": ["429 Too Many Requests", r"re:rate limit exceeded \(\d+/min\)"],
        "workaround": "Lower the worker concurrency of {svc} to 4.",
        "root_cause": "Retries without backoff multiply traffic during provider hiccups.",
        "fix": "Exponential backoff with jitter and a client-side token bucket.",
    },
    {
        "title": "Clock skew breaks token validation in {svc}",
        "symptoms": ["Users signed out at random", "401 responses right after sign-in"],
        "signatures": [r"re:token used before issued|iat is in the future", "JWT expired"],
        "workaround": "Restart chrony on the affected hosts: `systemctl restart chrony`.",
        "root_cause": "NTP blocked on a new subnet.",
        "fix": "Allow NTP in the base firewall policy and alert on skew above 500 ms.",
    },
)
KE_STATUSES = (("investigating", 10), ("known_error", 40), ("fix_in_progress", 20),
               ("resolved", 20), ("retired", 10))  # fmt: skip

RUNBOOK_TOPICS = (
    ("{svc}-high-error-rate", "{name}: high error rate", "HighErrorRate"),
    ("{svc}-latency", "{name}: latency above SLO", "LatencyHigh"),
    ("{svc}-failover", "Failing over {name}", "PrimaryDown"),
    ("{svc}-restart", "Restarting {name} safely", "PodsCrashLooping"),
    ("{svc}-scale-out", "Scaling out {name}", "SaturationHigh"),
    ("{svc}-certificate-rotation", "Rotating {name} certificates", "CertificateExpiry"),
    ("{svc}-queue-backlog", "Draining a {name} queue backlog", "QueueBacklog"),
    ("{svc}-rollback", "Rolling back a {name} deploy", "DeployHealthCheckFailed"),
)


# --- A tiny YAML emitter ---------------------------------------------------------------------


class Plain(str):
    """A scalar written as is (timestamps, dates, enumerations, ids)."""

    __slots__ = ()


_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_YAML11_WORDS = frozenset("y n yes no on off true false null".split())


def _key(key: str) -> str:
    if _PLAIN_KEY.fullmatch(key) and key.lower() not in _YAML11_WORDS:
        return key
    return json.dumps(key, ensure_ascii=False)


def _scalar(value: Any) -> str:
    if isinstance(value, Plain):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if value is None:
        return "null"
    raise TypeError(f"cannot emit {type(value).__name__}")


def _emit(value: Any, indent: str, out: list[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                out.append(f"{indent}{_key(key)}:")
                _emit(item, indent + "  ", out)
            elif isinstance(item, dict | list):
                out.append(f"{indent}{_key(key)}: {'{}' if isinstance(item, dict) else '[]'}")
            else:
                out.append(f"{indent}{_key(key)}: {_scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list) and item:
                sub: list[str] = []
                _emit(item, "", sub)
                out.append(f"{indent}- {sub[0]}")
                out.extend(f"{indent}  {line}" for line in sub[1:])
            else:
                out.append(f"{indent}- {_scalar(item)}")
    else:
        out.append(indent + _scalar(value))


def to_yaml(value: dict[str, Any]) -> str:
    """Block-style YAML for a mapping of str keys to str/int/float/bool/list/dict values."""
    out: list[str] = []
    _emit(value, "", out)
    return "\n".join(out) + "\n"


def markdown_file(front: dict[str, Any], body: str) -> str:
    return f"---\n{to_yaml(front)}---\n\n{body.rstrip()}\n"


# --- Helpers ---------------------------------------------------------------------------------


def ts(moment: dt.datetime, offset_minutes: int) -> Plain:
    """ISO 8601 with an explicit offset (``Z`` for UTC), to the second."""
    local = moment.astimezone(dt.timezone(dt.timedelta(minutes=offset_minutes)))
    text = local.strftime("%Y-%m-%dT%H:%M:%S")
    if offset_minutes == 0:
        return Plain(text + "Z")
    sign = "+" if offset_minutes > 0 else "-"
    hours, minutes = divmod(abs(offset_minutes), 60)
    return Plain(f"{text}{sign}{hours:02d}:{minutes:02d}")


def day(value: dt.date) -> Plain:
    return Plain(value.isoformat())


def slugify(text: str, limit: int = 48) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "untitled"


def weighted(rng: Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def minutes(rng: Random, mean: float, low: int = 1) -> int:
    """A heavy-tailed duration in whole minutes around ``mean``."""
    return max(low, round(mean * rng.lognormvariate(0.0, 0.6)))


def camel(service_id: str) -> str:
    return "".join(part.capitalize() for part in service_id.split("-"))


@dataclass
class Service:
    id: str
    name: str
    group: str
    description: str
    tier: int
    public: bool
    owner: str = ""


@dataclass
class World:
    """What later generators need to pick valid references."""

    services: list[Service]
    by_id: dict[str, Service]
    kes_by_service: dict[str, list[str]] = field(default_factory=dict)
    runbooks_by_service: dict[str, list[str]] = field(default_factory=dict)


# --- site.yaml and services.yaml -------------------------------------------------------------


def make_site() -> dict[str, Any]:
    return {
        "title": "Northwind Status",
        "description": "Live status of Northwind's shop, checkout, delivery and partner services.",
        "base_url": "https://status.northwind.example/",
        "internal_url": "https://kb.northwind.internal.example/",
        "timezone": "Europe/Berlin",
        "language": "en",
        "uptime_days": 90,
        "support_url": "https://help.northwind.example/contact",
        "targets": {
            "mtta_minutes": {"SEV-1": 5, "SEV-2": 15, "SEV-3": 60, "SEV-4": 240},
            "mttr_minutes": {"SEV-1": 60, "SEV-2": 240, "SEV-3": 1440, "SEV-4": 4320},
            "monitoring_detected_ratio": 0.7,
            "recurrence_rate": 0.2,
            "max_pages_per_shift": 2,
        },
    }


def pick_services(rng: Random, n_incidents: int) -> list[Service]:
    """12-40 services, growing with the corpus, taken round-robin over the groups."""
    available = sum(len(services) for _, _, services in CATALOG)
    count = max(12, min(40, available, 12 + n_incidents // 250))
    columns = [list(services) for _, _, services in CATALOG]
    for column in columns:
        rng.shuffle(column)
    chosen: list[Service] = []
    index = 0
    while len(chosen) < count:
        for (group_id, _, _), column in zip(CATALOG, columns, strict=True):
            if index < len(column) and len(chosen) < count:
                sid, name, desc, tier, public = column[index]
                chosen.append(Service(sid, name, group_id, desc, tier, public))
        index += 1
    for service in chosen:
        service.owner = f"team-{service.group}"
    order = {s[0]: i for _, _, services in CATALOG for i, s in enumerate(services)}
    groups = [g[0] for g in CATALOG]
    chosen.sort(key=lambda s: (groups.index(s.group), order[s.id]))
    return chosen


def make_services(rng: Random, services: list[Service]) -> dict[str, Any]:
    used = {s.group for s in services}
    groups = [{"id": gid, "name": name} for gid, name, _ in CATALOG if gid in used]
    entries = []
    for s in services:
        entry: dict[str, Any] = {
            "id": s.id,
            "name": s.name,
            "group": s.group,
            "description": s.description,
            "public": s.public,
            "tier": s.tier,
            "owner": s.owner,
            "routing": {
                "primary": f"{s.group}-oncall",
                "secondary": f"{s.group}-lead",
                "commander": "sre-duty" if s.tier <= 2 else f"{s.group}-lead",
            },
        }
        if s.tier <= 2 or rng.random() < 0.3:
            entry["severity_criteria"] = {
                "SEV-1": f"{s.name} unavailable for all customers for 5 minutes",
                "SEV-2": f"{s.name} error rate above 5% for 10 minutes",
                "SEV-3": f"{s.name} degraded for one region or feature",
            }
        entries.append(entry)
    return {"groups": groups, "services": entries}


# --- known errors and runbooks ---------------------------------------------------------------


def make_known_errors(rng: Random, world: World, count: int) -> dict[str, str]:
    files: dict[str, str] = {}
    combos = [(t, s) for t in range(len(KE_TEMPLATES)) for s in range(len(world.services))]
    rng.shuffle(combos)
    for number in range(1, count + 1):
        template_index, service_index = combos[(number - 1) % len(combos)]
        tpl = KE_TEMPLATES[template_index]
        svc = world.services[service_index]
        ke_id = f"KE-{number:04d}"
        fill = {"svc": svc.id, "alert": f"{camel(svc.id)}HighErrorRate"}
        title = tpl["title"].format(svc=svc.name)
        status = weighted(rng, KE_STATUSES)
        services = [svc.id]
        siblings = [s.id for s in world.services if s.group == svc.group and s.id != svc.id]
        if siblings and rng.random() < 0.3:
            services.append(rng.choice(siblings))
        front: dict[str, Any] = {
            "title": title,
            "status": Plain(status),
            "services": [Plain(s) for s in services],
            "symptoms": [s.format(**fill) for s in tpl["symptoms"]],
            "signatures": list(tpl["signatures"]),
            "owner": svc.owner,
            "review_by": day(END.date() + dt.timedelta(days=rng.randint(-20, 180))),
            "problem": f"PRB-{1000 + number}",
        }
        if status in ("fix_in_progress", "resolved"):
            front["fix_ref"] = f"OPS-{4000 + rng.randint(0, 5999)}"
        body = [f"## Symptoms\n\n{'. '.join(front['symptoms'])}."]
        if status != "investigating" or rng.random() < 0.5:
            body.append(f"## Workaround\n\n{tpl['workaround'].format(**fill)}")
        cause = "Under investigation." if status == "investigating" else tpl["root_cause"]
        body.append(f"## Root cause\n\n{cause}")
        fix = tpl["fix"] if status in ("fix_in_progress", "resolved", "retired") else "Not yet."
        body.append(f"## Fix\n\n{fix}")
        files[f"known-errors/{ke_id}-{slugify(title)}.md"] = markdown_file(front, "\n\n".join(body))
        for s in services:
            world.kes_by_service.setdefault(s, []).append(ke_id)
    return files


def runbook_body(name: str, sid: str, alert: str) -> str:
    return f"""## Symptoms and detection

- Alert `{alert}` fires for {name}.
- Dashboards show error rate or latency above the SLO for 5 minutes.

## Diagnosis

1. Check the pods:

   ```console
   $ kubectl -n {sid} get pods
   NAME                     READY   STATUS    RESTARTS   AGE
   {sid}-7d9c6b5f4-abcde   1/1     Running   0          3d
   ```

   Expected: every pod `Running` with few restarts.

2. Check recent deploys: `deployctl history {sid} --last 5`. A deploy in the last 30 minutes
   is the first suspect.

## Resolution

1. If a deploy is the cause, roll back (see Rollback).
2. Otherwise scale out: `kubectl -n {sid} scale deploy/{sid} --replicas=8`.
3. Post an update on the status page within 15 minutes.

## Rollback

`deployctl rollback {sid} --to previous`, then watch the error rate for 10 minutes.

## Escalation

Page the secondary of {name} after 15 minutes without progress, and the incident commander
at once for SEV-1 or SEV-2.
"""


def make_runbooks(rng: Random, world: World, count: int) -> dict[str, str]:
    files: dict[str, str] = {}
    combos = [(t, s) for s in range(len(world.services)) for t in range(len(RUNBOOK_TOPICS))]
    rng.shuffle(combos)
    for index in range(count):
        topic_index, service_index = combos[index % len(combos)]
        slug_tpl, title_tpl, alert_suffix = RUNBOOK_TOPICS[topic_index]
        svc = world.services[service_index]
        slug = slug_tpl.format(svc=svc.id)
        if index >= len(combos):  # more runbooks than combinations: number the repeats
            slug = f"{slug}-{index // len(combos) + 1}"
        alert = f"{camel(svc.id)}{alert_suffix}"
        front: dict[str, Any] = {
            "title": title_tpl.format(name=svc.name),
            "services": [Plain(svc.id)],
            "owner": svc.owner,
            "last_reviewed": day(END.date() - dt.timedelta(days=rng.randint(0, 400))),
            "review_every": rng.choice((90, 90, 180)),
            "alerts": [alert],
        }
        kes = world.kes_by_service.get(svc.id, [])
        if kes:
            front["known_errors"] = [Plain(k) for k in rng.sample(kes, min(len(kes), 2))]
        files[f"runbooks/{slug}.md"] = markdown_file(front, runbook_body(svc.name, svc.id, alert))
        world.runbooks_by_service.setdefault(svc.id, []).append(slug)
    return files


# --- incidents -------------------------------------------------------------------------------

SEVERITY_MINUTES = {  # mean minutes: acknowledge, mitigate after ack, resolve after mitigation
    "SEV-1": (3, 35, 30),
    "SEV-2": (8, 60, 60),
    "SEV-3": (25, 120, 120),
    "SEV-4": (90, 300, 240),
}
DETECT_MINUTES = {"monitoring": 4, "internal": 25, "customer": 45}
STATUS_BY_SEVERITY = {
    "SEV-1": (("major_outage", 80), ("partial_outage", 20)),
    "SEV-2": (("partial_outage", 70), ("major_outage", 30)),
    "SEV-3": (("degraded_performance", 70), ("partial_outage", 30)),
    "SEV-4": (("degraded_performance", 60), ("operational", 40)),
}
LESSER = {
    "major_outage": "partial_outage",
    "partial_outage": "degraded_performance",
    "degraded_performance": "degraded_performance",
    "operational": "operational",
}


@dataclass
class Slot:
    """One incident-to-be: its number, start and kind (decided before the details)."""

    number: int
    start: dt.datetime
    kind: str
    active: bool = False
    upcoming: bool = False


def plan_slots(rng: Random, n: int) -> list[Slot]:
    """Start times over the years before END, oldest first; numbered in that order.

    The last two slots (for n >= 20) are the one active incident and one upcoming maintenance.
    """
    span_days = max(120, min(3650, int(n * 0.75)))
    first = END - dt.timedelta(days=span_days)
    latest = END - dt.timedelta(days=3)
    seconds = int((latest - first).total_seconds()) // 60
    special = 2 if n >= 20 else 0
    starts = sorted(rng.randrange(seconds) for _ in range(n - special))
    slots = []
    for i, offset in enumerate(starts):
        roll = rng.random()
        kind = "maintenance" if roll < 0.05 else "gameday" if roll < 0.06 else "incident"
        slots.append(Slot(i + 1, first + dt.timedelta(minutes=offset), kind))
    if special:
        slots.append(Slot(n - 1, END - dt.timedelta(minutes=47), "incident", active=True))
        upcoming_start = (END + dt.timedelta(days=4)).replace(hour=1, minute=0)
        slots.append(Slot(n, upcoming_start, "maintenance", upcoming=True))
    return slots


class IncidentMaker:
    def __init__(self, rng: Random, world: World) -> None:
        self.rng = rng
        self.world = world
        self.weights = [6 - s.tier for s in world.services]
        self.last_by_service: dict[str, str] = {}
        self.action_count = 0

    def _services(self, count: int) -> list[Service]:
        primary = self.rng.choices(self.world.services, weights=self.weights)[0]
        chosen = [primary]
        others = [s for s in self.world.services if s.group == primary.group and s is not primary]
        others += self.rng.sample(self.world.services, 2)
        for s in others:
            if len(chosen) >= count:
                break
            if s not in chosen:
                chosen.append(s)
        return chosen

    @staticmethod
    def _public_names(services: Sequence[Service]) -> str:
        names = [s.name for s in services if s.public]
        if not names:
            return "some of our services"
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def make(self, slot: Slot) -> tuple[str, str]:
        """The path (relative to ``content/``) and text of one incident file."""
        offset = self.rng.choice(OFFSETS)
        if slot.kind == "maintenance":
            front, body = self._maintenance(slot, offset)
        else:
            front, body = self._incident(slot, offset)
        local_start = slot.start.astimezone(dt.timezone(dt.timedelta(minutes=offset)))
        slug = slugify(front["title"])
        name = f"{local_start:%Y-%m-%d}-{slug}-{slot.number:05d}"
        for s in front["services"]:
            self.last_by_service[s] = name
        return f"incidents/{local_start:%Y}/{name}.md", markdown_file(front, body)

    # -- incidents and gamedays --

    def _incident(self, slot: Slot, offset: int) -> tuple[dict[str, Any], str]:
        rng = self.rng
        severity = rng.choices(SEVERITIES, weights=SEVERITY_WEIGHTS)[0]
        if slot.kind == "gameday":
            severity = rng.choice(("SEV-2", "SEV-3"))
        elif slot.active:
            severity = "SEV-2"
        services = self._services(rng.choices((1, 2, 3), weights=(70, 22, 8))[0])
        primary = services[0]
        worst = weighted(rng, STATUS_BY_SEVERITY[severity])
        statuses = {s.id: worst if i == 0 else LESSER[worst] for i, s in enumerate(services)}
        ctype = weighted(rng, TYPES_WEIGHTED)
        cause = rng.choice(CAUSES)
        if slot.kind == "gameday":
            title = rng.choice(GAMEDAY_TITLES).format(svc=primary.name)
        else:
            title = rng.choice(TITLES[ctype]).format(svc=primary.name)
        detection = weighted(rng, (("monitoring", 70), ("internal", 18), ("customer", 12)))
        ack_mean, mit_mean, res_mean = SEVERITY_MINUTES[severity]
        t_detect = minutes(rng, DETECT_MINUTES[detection], low=0)
        t_ack = t_detect + minutes(rng, ack_mean)
        if slot.active:  # started 47 minutes before END: everything so far lies before it
            t_detect, t_ack = 3, 7
        t_mit = t_ack + min(minutes(rng, mit_mean), 24 * 60)
        t_res = t_mit + min(minutes(rng, res_mean), 12 * 60)
        has_mitigated = severity != "SEV-4" or rng.random() < 0.6
        start = slot.start
        at = [start + dt.timedelta(minutes=m) for m in (t_detect, t_ack, t_mit, t_res)]
        detected, acknowledged, mitigated, resolved = at

        front: dict[str, Any] = {"title": title}
        if slot.kind == "gameday":
            front["kind"] = Plain("gameday")
        elif rng.random() < 0.1:
            front["kind"] = Plain("incident")
        if slot.kind == "incident" and rng.random() < 0.03:
            front["public"] = False
        front["severity"] = Plain(severity)
        if rng.random() < 0.6:
            front["impact"] = Plain(rng.choice(("low", "medium", "high")))
            front["urgency"] = Plain(rng.choice(("low", "medium", "high")))
        front["services"] = {k: Plain(v) for k, v in statuses.items()}
        front["started_at"] = ts(start, offset)
        front["detected_at"] = ts(detected, offset)
        front["acknowledged_at"] = ts(acknowledged, offset)
        if not slot.active:
            if has_mitigated:
                front["mitigated_at"] = ts(mitigated, offset)
            front["resolved_at"] = ts(resolved, offset)
        postmortem = not slot.active and (
            severity in ("SEV-1", "SEV-2") or (severity == "SEV-3" and rng.random() < 0.08)
        )
        age_days = (END - resolved).days
        if not slot.active:
            close_after = dt.timedelta(days=rng.randint(3, 14) if postmortem else rng.randint(0, 2))
            if resolved + close_after < END and (postmortem or rng.random() < 0.7):
                front["closed_at"] = ts(resolved + close_after, offset)
        front["detection"] = Plain(detection)
        commander = rng.choice(PEOPLE)
        reporter = {
            "monitoring": "alertmanager",
            "customer": "customer-support",
            "internal": rng.choice(PEOPLE),
        }[detection]
        front["reporter"] = reporter
        front["commander"] = commander
        front["responders"] = rng.sample(PEOPLE, rng.randint(1, 4))
        if rng.random() < 0.15:
            front["escalated"] = [f"{primary.group}-lead"]
        front["category"] = {
            "system": Plain(rng.choice(SYSTEMS)),
            "type": Plain(ctype),
            "cause": Plain(cause),
        }
        kes = self.world.kes_by_service.get(primary.id, [])
        if kes and rng.random() < 0.35:
            front["known_errors"] = [Plain(rng.choice(kes))]
        books = self.world.runbooks_by_service.get(primary.id, [])
        if books and rng.random() < 0.3:
            front["runbooks"] = [Plain(b) for b in rng.sample(books, min(2, len(books)))]
        previous = self.last_by_service.get(primary.id)
        if previous and rng.random() < 0.05:
            front["related"] = [Plain(previous)]
        if rng.random() < 0.5:
            scale = {"SEV-1": 50_000, "SEV-2": 8_000, "SEV-3": 900, "SEV-4": 60}[severity]
            front["affected_users"] = max(1, round(scale * rng.lognormvariate(0, 0.8)))

        names = self._public_names(services)
        cause_text = CAUSE_SENTENCES[cause].format(svc=primary.name)
        updates: list[dict[str, Any]] = []

        def update(
            when: dt.datetime, status: str, message: str, svc: dict[str, str] | None
        ) -> None:
            if updates and when <= updates[-1]["_at"]:
                return  # keep the timeline strictly ordered
            entry: dict[str, Any] = {"_at": when, "at": ts(when, offset)}
            entry["status"] = Plain(status)
            entry["message"] = message
            if svc:
                entry["services"] = {k: Plain(v) for k, v in svc.items()}
            updates.append(entry)

        first_update = acknowledged + dt.timedelta(minutes=rng.randint(0, 4))
        if not slot.active and first_update >= (mitigated if has_mitigated else resolved):
            first_update = acknowledged
        update(
            first_update,
            "investigating",
            f"We are investigating an issue affecting {names}. Next update in 30 minutes.",
            statuses,
        )
        end_marker = END if slot.active else (mitigated if has_mitigated else resolved)
        gap = int((end_marker - first_update).total_seconds() // 60)
        if gap >= 4 and rng.random() < 0.75:
            when = first_update + dt.timedelta(minutes=rng.randint(1, max(1, gap // 2)))
            update(when, "identified", f"We have identified the issue: {cause_text}.", None)
        if gap > 120 and rng.random() < 0.5:
            when = first_update + dt.timedelta(minutes=gap * 3 // 4)
            update(when, "identified", "Work on a fix is ongoing. Next update in 60 minutes.", None)
        if not slot.active:
            if has_mitigated:
                eased = {k: LESSER[v] for k, v in statuses.items()}
                update(
                    mitigated,
                    "monitoring",
                    "A fix has been applied and we are monitoring the results.",
                    eased if eased != statuses else None,
                )
            duration = int((resolved - start).total_seconds() // 60)
            hours, mins = divmod(duration, 60)
            took = f"{hours} h {mins} min" if hours else f"{mins} min"
            if updates and updates[-1]["_at"] >= resolved:
                updates.pop()
            update(
                resolved,
                "resolved",
                f"The issue affecting {names} has been resolved. Duration: {took}.",
                {k: "operational" for k in statuses},
            )
        for entry in updates:
            del entry["_at"]
        front["updates"] = updates

        if postmortem:
            if age_days > 21:
                pm_status = weighted(rng, (("published", 90), ("in_review", 10)))
            else:
                pm_status = rng.choice(("draft", "in_review"))
            pm: dict[str, Any] = {"status": Plain(pm_status), "owner": commander}
            if pm_status != "draft":
                pm["public_summary"] = (
                    f"On {start:%d %B %Y}, {cause_text}. We have added safeguards so that "
                    "this failure mode is detected and contained sooner."
                )
            front["postmortem"] = pm
        if postmortem or (not slot.active and severity == "SEV-3" and rng.random() < 0.1):
            front["action_items"] = self._action_items(resolved, severity, postmortem)
        if "closed_at" in front:
            # A closed record is complete (check warns otherwise): follow-up work or an
            # explicit "none", and for SEV-1/2 how many users were affected. No random draws
            # here, so the rest of the corpus stays what it was.
            front.setdefault("action_items", [])
            if severity in ("SEV-1", "SEV-2") and "affected_users" not in front:
                front["affected_users"] = {"SEV-1": 20_000, "SEV-2": 3_000}[severity]

        body = self._incident_body(front, primary, names, cause_text, postmortem)
        return front, body

    def _action_items(
        self, resolved: dt.datetime, severity: str, postmortem: bool
    ) -> list[dict[str, Any]]:
        rng = self.rng
        items = []
        for _ in range(rng.randint(2, 4) if postmortem else 1):
            self.action_count += 1
            due = resolved.date() + dt.timedelta(days=rng.randint(7, 60))
            if due < END.date():
                status = weighted(rng, (("done", 80), ("not_doing", 5), ("open", 15)))
            else:
                status = weighted(rng, (("open", 80), ("done", 20)))
            priority = rng.choice(("P0", "P1") if severity == "SEV-1" else ("P1", "P2", "P3"))
            kind = rng.choice(("mitigate", "prevent", "detect", "process"))
            title = {
                "mitigate": "Add a runbook step to shed load quickly",
                "prevent": "Add a regression test and a canary stage",
                "detect": "Alert on the error budget burn rate",
                "process": "Page the database on-call at SEV-2 and above",
            }[kind]
            items.append(
                {
                    "id": f"AI-{self.action_count:05d}",
                    "title": title,
                    "owner": rng.choice(PEOPLE),
                    "due": day(due),
                    "priority": Plain(priority),
                    "type": Plain(kind),
                    "status": Plain(status),
                    "ticket": f"OPS-{10_000 + self.action_count}",
                }
            )
        return items

    def _incident_body(
        self,
        front: dict[str, Any],
        primary: Service,
        names: str,
        cause_text: str,
        postmortem: bool,
    ) -> str:
        rng = self.rng
        who = rng.choice(DISPLAY_NAMES)
        parts = [
            f"## Summary\n\n{front['title']}. Customers of {names} were affected; {cause_text}.",
            "## Impact\n\n"
            f"{front.get('affected_users', 'An unknown number of')} users saw errors or delays "
            f"on {primary.name}.",
            "## Timeline\n\n"
            + "\n".join(f"- {u['at']} {u['status']}: {u['message']}" for u in front["updates"]),
        ]
        if postmortem:
            parts += [
                "## Contributing factors\n\n"
                f"- {cause_text[0].upper()}{cause_text[1:]}.\n"
                "- The alert threshold was too lenient.",
                "## What went well\n\n"
                f"- {who} spotted the pattern quickly.\n- The runbook was up to date.",
                "## What needs improvement\n\n- Status page updates were late.",
                "## Where we got lucky\n\n- The incident happened outside peak hours.",
            ]
        return "\n\n".join(parts)

    # -- maintenance --

    def _maintenance(self, slot: Slot, offset: int) -> tuple[dict[str, Any], str]:
        rng = self.rng
        services = self._services(rng.choice((1, 1, 2)))
        primary = services[0]
        start = slot.start.replace(second=0, microsecond=0)
        window = dt.timedelta(minutes=rng.choice((60, 90, 120, 180, 240)))
        announced = start - dt.timedelta(days=rng.randint(2, 7), minutes=rng.randint(0, 600))
        if slot.upcoming:  # announced already, before END
            announced = END - dt.timedelta(minutes=rng.randint(60, 600))
        names = self._public_names(services)
        title = rng.choice(MAINTENANCE_TITLES).format(svc=primary.name)
        maint = {s.id: "under_maintenance" for s in services}
        front: dict[str, Any] = {"title": title, "kind": Plain("maintenance")}
        front["services"] = {k: Plain(v) for k, v in maint.items()}
        front["started_at"] = ts(start, offset)
        front["scheduled_start"] = ts(start, offset)
        front["scheduled_end"] = ts(start + window, offset)
        updates: list[dict[str, Any]] = [
            {
                "at": ts(announced, offset),
                "status": Plain("scheduled"),
                "message": f"We will perform maintenance on {names}. Short interruptions are "
                "possible during the window.",
            }
        ]
        if not slot.upcoming:
            overrun = rng.random() < 0.1
            actual = window + dt.timedelta(minutes=rng.randint(15, 60) if overrun else 0)
            if not overrun:
                actual -= dt.timedelta(minutes=rng.randint(0, window.seconds // 120))
            done = start + actual
            verifying = done - dt.timedelta(minutes=min(10, actual.seconds // 120))
            front["resolved_at"] = ts(done, offset)
            front["commander"] = rng.choice(PEOPLE)
            updates.append(
                {
                    "at": ts(start, offset),
                    "status": Plain("in_progress"),
                    "message": "Maintenance is in progress.",
                    "services": {k: Plain(v) for k, v in maint.items()},
                }
            )
            if start < verifying < done:
                updates.append(
                    {
                        "at": ts(verifying, offset),
                        "status": Plain("verifying"),
                        "message": "The work is done; we are verifying that all is well.",
                    }
                )
            updates.append(
                {
                    "at": ts(done, offset),
                    "status": Plain("completed"),
                    "message": "Maintenance is complete.",
                    "services": {k: Plain("operational") for k in maint},
                }
            )
        front["updates"] = updates
        body = (
            f"## Summary\n\nPlanned work on {primary.name}, owned by {primary.owner}.\n\n"
            "## Plan\n\n1. Drain traffic.\n2. Apply the change.\n3. Verify and restore traffic."
        )
        return front, body


# --- Driver ----------------------------------------------------------------------------------


def generate(n: int, seed: int) -> dict[str, str]:
    """All files of the corpus, keyed by path relative to ``content/``."""
    if n < 1:
        raise ValueError("N must be at least 1")
    rng = Random(seed)
    services = pick_services(rng, n)
    world = World(services=services, by_id={s.id: s for s in services})
    files: dict[str, str] = {
        "site.yaml": to_yaml(make_site()),
        "services.yaml": to_yaml(make_services(rng, services)),
    }
    files.update(make_known_errors(rng, world, max(3, round(n / 20))))
    files.update(make_runbooks(rng, world, max(2, round(n / 50))))
    maker = IncidentMaker(rng, world)
    for slot in plan_slots(rng, n):
        path, text = maker.make(slot)
        files[path] = text
    return files


def write(files: dict[str, str], content: Path) -> None:
    if content.exists():
        shutil.rmtree(content)
    made: set[Path] = set()
    for rel, text in files.items():
        path = content / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(text.encode("utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("n", type=int, metavar="N", help="number of incidents")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--out", type=Path, required=True, help="directory; DIR/content/ is replaced"
    )
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    began = time.perf_counter()
    files = generate(args.n, args.seed)
    write(files, args.out / "content")
    took = time.perf_counter() - began
    print(  # noqa: T201
        f"wrote {len(files)} files to {args.out / 'content'} in {took:.2f} s", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
