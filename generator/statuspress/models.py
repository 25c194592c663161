"""Typed models of the content, built once by :mod:`statuspress.readers`.

Models hold what the files say (plus where they say it, for error messages). What follows from
them at a given "now" (states, durations, current statuses) lives in :mod:`statuspress.derive`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .yaml import LMap

DEFAULT_MTTA = {"SEV-1": 5.0, "SEV-2": 15.0, "SEV-3": 60.0, "SEV-4": 240.0}
DEFAULT_MTTR = {"SEV-1": 60.0, "SEV-2": 240.0, "SEV-3": 1440.0, "SEV-4": 4320.0}
# The incident-management article's SEV-1 targets: 30 minutes for a known failure mode (its
# known error existed before the incident), 2 hours for a novel one.
DEFAULT_MTTR_KNOWN = {"SEV-1": 30.0}
DEFAULT_MTTR_NOVEL = {"SEV-1": 120.0}
MAX_FILE_BYTES = 1024 * 1024
# How an alert's priority becomes a severity (site.yaml `alert_severity`), compared lowercased.
DEFAULT_ALERT_PRIORITY = {"p1": "SEV-1", "p2": "SEV-2", "p3": "SEV-3", "p4": "SEV-4", "p5": "SEV-4"}
DEFAULT_ALERT_URGENCY = {"high": "SEV-2", "low": "SEV-4"}
DEFAULT_ALERT_LABEL = {
    "critical": "SEV-1",
    "page": "SEV-1",
    "error": "SEV-2",
    "high": "SEV-2",
    "warning": "SEV-3",
    "medium": "SEV-3",
    "info": "SEV-4",
    "low": "SEV-4",
}

# Public impact derived from severity (content model): customers see impact, not our labels.
IMPACT_BY_SEVERITY = {"SEV-1": "critical", "SEV-2": "major", "SEV-3": "minor", "SEV-4": "none"}
# Impact x urgency -> priority, the article's matrix (P1 most urgent).
PRIORITY_MATRIX = {
    ("high", "high"): "P1",
    ("high", "medium"): "P2",
    ("medium", "high"): "P2",
    ("high", "low"): "P3",
    ("medium", "medium"): "P3",
    ("low", "high"): "P3",
    ("medium", "low"): "P4",
    ("low", "medium"): "P4",
    ("low", "low"): "P4",
}


@dataclass(slots=True)
class Source:
    """Where a model came from: the file as the user names it and the line of each key."""

    path: str
    keys: LMap
    body_line: int = 0

    def line(self, key: str = "") -> int:
        return self.keys.line_of(key) if key else self.keys.line


@dataclass(slots=True)
class Targets:
    mtta_minutes: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_MTTA))
    mttr_minutes: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_MTTR))
    monitoring_detected_ratio: float = 0.7
    recurrence_rate: float = 0.2
    max_pages_per_shift: float = 2.0
    mttr_known_minutes: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_MTTR_KNOWN))
    mttr_novel_minutes: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_MTTR_NOVEL))
    # The article: mature teams resolve 30-40 % of incidents with a known-error workaround.
    workaround_share_min: float = 0.3
    workaround_share_max: float = 0.4
    # The article gives no number for escalations; a quarter is our default.
    escalation_rate: float = 0.25


@dataclass(slots=True)
class SubscribeLink:
    """A link in the public page's Subscribe section (site.yaml ``subscribe:``)."""

    name: str
    url: str


@dataclass(slots=True)
class NotifyChannel:
    """One ``notify:`` channel of site.yaml. The URL itself lives in the environment only."""

    name: str
    url_env: str
    events: tuple[str, ...] = ()
    """Empty means every event."""
    services: tuple[str, ...] = ()
    """Empty means every service."""
    min_impact: str = "none"
    format: str = "text"
    template: str = "message.txt"
    line: int = 0
    key_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        """The site.yaml line of one of this channel's keys (for messages)."""
        return self.key_lines.get(key, self.line)


@dataclass(slots=True)
class AlertSeverity:
    """site.yaml ``alert_severity``: the site's entries over the defaults, keys lowercased."""

    priority: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_ALERT_PRIORITY))
    urgency: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_ALERT_URGENCY))
    label: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_ALERT_LABEL))
    default: str = "SEV-3"


@dataclass(slots=True)
class Site:
    title: str
    base_url: str
    format: int = 1
    """Content format of the site's files (definitions.CONTENT_FORMAT when it can be read)."""
    internal_url: str = ""
    timezone: str = "UTC"
    language: str = "en"
    languages: list[str] = field(default_factory=list)
    """Every language of the public site, as written (the default, ``language``, included)."""
    require_translations: bool = False
    description: str = ""
    uptime_days: int = 90
    live_refresh_seconds: int = 60
    """Reload interval of the opt-in live pages (docs/public-site.md: why not the normal ones)."""
    support_url: str = ""
    logo: str = ""
    theme_dir: str = ""
    docs_dir: str = ""
    max_file_bytes: int = MAX_FILE_BYTES
    stale_update_hours: int = 24
    """An active incident without a public update for longer gets a warning from ``check``."""
    recovery_monitoring_minutes: int = 30
    """A closed SEV-1 whose monitoring phase before ``resolved_at`` was shorter gets a warning
    (the article: watch for recurrence 30 to 60 minutes before closing)."""
    targets: Targets = field(default_factory=Targets)
    subscribe: list[SubscribeLink] = field(default_factory=list)
    notify: list[NotifyChannel] = field(default_factory=list)
    alert_severity: AlertSeverity = field(default_factory=AlertSeverity)
    tz: dt.tzinfo = field(default_factory=lambda: ZoneInfo("UTC"))


@dataclass(slots=True)
class Group:
    id: str
    name: str
    description: str = ""


@dataclass(slots=True)
class Service:
    id: str
    name: str
    group: str = ""
    description: str = ""
    public: bool = True
    tier: int = 4
    owner: str = ""
    routing: dict[str, str] = field(default_factory=dict)
    severity_criteria: dict[str, str] = field(default_factory=dict)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    """Alert matchers (``labels``, ``pagerduty_service``, ``opsgenie_tag``, ``datadog_tag``)."""
    line: int = 0


@dataclass(slots=True)
class Update:
    at: dt.datetime
    status: str
    message: str
    services: dict[str, str] = field(default_factory=dict)
    line: int = 0
    messages: dict[str, str] = field(default_factory=dict)
    """``message_<lang>`` fields: language tag -> the message in that language."""


@dataclass(slots=True)
class ActionItem:
    id: str
    title: str
    owner: str
    priority: str
    incident_id: str
    due: dt.date | None = None
    type: str = ""
    status: str = "open"
    ticket: str = ""
    line: int = 0


@dataclass(slots=True)
class Postmortem:
    status: str
    owner: str = ""
    public_summary: str = ""

    @property
    def published(self) -> bool:
        return self.status == "published"


@dataclass(slots=True)
class Origin:
    """Where an imported incident came from: its id (and URL) in the old status page."""

    id: str
    url: str = ""


@dataclass(slots=True)
class Incident:
    id: str
    source: Source
    title: str
    started_at: dt.datetime
    services: dict[str, str] = field(default_factory=dict)
    body: str = ""
    kind: str = "incident"
    public: bool = True
    severity: str = ""
    impact: str = ""
    urgency: str = ""
    detected_at: dt.datetime | None = None
    acknowledged_at: dt.datetime | None = None
    mitigated_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    scheduled_start: dt.datetime | None = None
    scheduled_end: dt.datetime | None = None
    detection: str = ""
    reporter: str = ""
    commander: str = ""
    responders: list[str] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)
    category: dict[str, str] = field(default_factory=dict)
    known_errors: list[str] = field(default_factory=list)
    runbooks: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    affected_users: int | None = None
    updates: list[Update] = field(default_factory=list)
    postmortem: Postmortem | None = None
    action_items: list[ActionItem] = field(default_factory=list)
    alert: dict[str, str] = field(default_factory=dict)
    """The alert it was opened from: ``source`` (format) and ``key`` (dedup key)."""
    origin: Origin | None = None
    titles: dict[str, str] = field(default_factory=dict)
    """``title_<lang>`` fields: language tag -> the headline in that language."""
    """``source`` in the file (the field name ``source`` already means the file, above)."""

    @property
    def is_maintenance(self) -> bool:
        return self.kind == "maintenance"

    @property
    def is_gameday(self) -> bool:
        return self.kind == "gameday"

    @property
    def public_impact(self) -> str:
        """Statuspage's impact: critical/major/minor/none (maintenance: maintenance)."""
        if self.is_maintenance:
            return "maintenance"
        return IMPACT_BY_SEVERITY.get(self.severity, "none")

    @property
    def priority(self) -> str:
        """P1..P4 from the impact x urgency matrix, or '' when either is missing."""
        return PRIORITY_MATRIX.get((self.impact, self.urgency), "")

    @property
    def detected(self) -> dt.datetime:
        """Detection time, falling back to the start of impact when not recorded."""
        return self.detected_at or self.started_at

    @property
    def in_metrics(self) -> bool:
        """Maintenance and gamedays are planned work: they never count in incident metrics."""
        return self.kind == "incident"


@dataclass(slots=True)
class Section:
    title: str
    line: int
    text: str


@dataclass(slots=True)
class KnownError:
    id: str
    slug: str
    source: Source
    title: str
    status: str
    services: list[str]
    owner: str
    body: str = ""
    sections: dict[str, Section] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    """Other names for the problem: indexed for search with the weight of a title."""
    symptoms: list[str] = field(default_factory=list)
    signatures: list[str] = field(default_factory=list)
    review_by: dt.date | None = None
    problem: str = ""
    fix_ref: str = ""
    identified: dt.date | None = None
    """When the problem became a known error (metrics: incidents after it are known failures)."""

    @property
    def is_open(self) -> bool:
        return self.status in ("investigating", "known_error", "fix_in_progress")

    def section(self, title: str) -> str:
        found = self.sections.get(title.lower())
        return found.text if found else ""


@dataclass(slots=True)
class Runbook:
    id: str
    source: Source
    title: str
    services: list[str]
    owner: str
    last_reviewed: dt.date
    body: str = ""
    sections: dict[str, Section] = field(default_factory=dict)
    review_every: int = 90
    review_by: dt.date | None = None
    aliases: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    known_errors: list[str] = field(default_factory=list)

    @property
    def due_for_review(self) -> dt.date:
        return self.review_by or self.last_reviewed + dt.timedelta(days=self.review_every)

    def section(self, title: str) -> str:
        found = self.sections.get(title.lower())
        return found.text if found else ""


@dataclass(slots=True)
class Content:
    """Everything under ``content/``, read and schema-checked."""

    root: Path
    site: Site
    groups: dict[str, Group] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    incidents: dict[str, Incident] = field(default_factory=dict)
    known_errors: dict[str, KnownError] = field(default_factory=dict)
    runbooks: dict[str, Runbook] = field(default_factory=dict)
