"""The content model: every file kind's fields, in one place.

These definitions are the writers' contract (``docs/content-model.md`` describes them in prose and a
test keeps the two in step). The validator and the shipped JSON Schemas both come from here.
"""

from __future__ import annotations

from typing import Any

from .errors import UsageError
from .schema import (
    Bool,
    Date,
    Enum,
    F,
    Float,
    Int,
    List,
    Map,
    Obj,
    Str,
    Text,
    Timestamp,
    Where,
)

ID = r"[a-z0-9][a-z0-9-]*"
KE_ID = r"KE-[0-9]{4,}"
SEVERITIES = ("SEV-1", "SEV-2", "SEV-3", "SEV-4")
COMPONENT_STATUSES = (
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
)
INCIDENT_UPDATE_STATUSES = ("investigating", "identified", "monitoring", "resolved")
MAINTENANCE_UPDATE_STATUSES = ("scheduled", "in_progress", "verifying", "completed")
KINDS = ("incident", "maintenance", "gameday")
LIFECYCLE = (
    "started_at",
    "detected_at",
    "acknowledged_at",
    "mitigated_at",
    "resolved_at",
    "closed_at",
)
"""An incident's moments in the order they happen (check and the lifecycle commands)."""
LEVELS = ("low", "medium", "high")
DETECTION = ("monitoring", "internal", "customer")
KE_STATUSES = ("investigating", "known_error", "fix_in_progress", "resolved", "retired")
POSTMORTEM_STATUSES = ("draft", "in_review", "published")
AI_PRIORITIES = ("P0", "P1", "P2", "P3")
AI_TYPES = ("mitigate", "prevent", "detect", "process")
AI_STATUSES = ("open", "done", "not_doing")
NOTIFY_EVENTS = (
    "incident.created",
    "incident.updated",
    "incident.resolved",
    "component.updated",
    "maintenance.scheduled",
    "maintenance.started",
    "maintenance.completed",
)
IMPACTS = ("none", "minor", "major", "critical")
_url = Str(pattern=r"https?://[^\s\x00-\x1f\x7f-\x9f]+", hint=" (an absolute http(s) URL)")

_id = Str(pattern=ID, max_len=100, hint=" (use lowercase letters, digits and '-')")
_lang = Str(
    pattern=r"[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*", max_len=35, hint=" (a BCP 47 tag like de, pt-BR)"
)
_ke_id = Str(pattern=KE_ID, max_len=20, hint=" (known error ids look like KE-0007)")
_name = Str(max_len=200)
_people = List(Str(max_len=200), unique=True)
# A path inside the repository: relative, no '..' step, no backslash or drive letter, so no
# setting can make the build read (or copy into the site) a file from elsewhere.
_relpath = Str(
    pattern=r"(?!/)(?!(?:.*/)?\.\.(?:/|$))[^\x00-\x1f\x7f-\x9f\\:*?\"<>|]+",
    max_len=300,
    hint=" (a relative path inside the repository, without '..')",
)


# An absolute http(s) URL the site's paths are appended to: a host (an IPv6 address in brackets,
# else any name without user name or password, which would be published), an optional port and
# path; no query or fragment (`incidents/x/` would land inside them) and nothing that needs
# quoting in HTML, XML or an iCalendar line (spaces, control characters, quotes, `<>`).
_HOST = r'(?:\[[0-9A-Fa-f:.]+\]|[^\s\x00-\x1f\x7f-\x9f"<>\\^`{|}/?#@:\[\]]+)'
HTTP_URL = rf'https?://{_HOST}(?::[0-9]{{1,5}})?(?:/[^\s\x00-\x1f\x7f-\x9f"<>\\^`{{|}}?#]*)?'
_http_url = Str(
    pattern=HTTP_URL,
    max_len=2000,
    hint=" (an absolute http(s) URL, without user name, query or fragment)",
)


def _per_severity(help: str) -> Map:
    return Map(Enum(SEVERITIES), Float(minimum=0), help=help)


# The content format this statuspress reads (`format:` in site.yaml; docs/compatibility.md).
# A release that changes content files incompatibly bumps it and maps the old number to the
# command that rewrites a site to the new format.
CONTENT_FORMAT = 1
MIGRATIONS: dict[int, str] = {}


def format_problem(found: int) -> str | None:
    """Why a site of content format ``found`` cannot be read, and what to run; None if it can."""
    if found == CONTENT_FORMAT:
        return None
    if found in MIGRATIONS:
        return (
            f"content format {found} is older than the format {CONTENT_FORMAT} this statuspress "
            f"reads; run `{MIGRATIONS[found]}` to migrate the site"
        )
    if found < CONTENT_FORMAT:
        return (
            f"content format {found} is older than the format {CONTENT_FORMAT} this statuspress "
            "reads and no command of this release migrates it; migrate with the release that "
            "introduced the next format first"
        )
    return (
        f"content format {found} is newer than the format {CONTENT_FORMAT} this statuspress "
        "reads and no command of this release migrates it; upgrade statuspress (and the "
        "version your CI installs)"
    )


# A label name or value as monitoring systems send them (Prometheus label names are narrower;
# Grafana and Datadog are not): one line of text, no control characters.
_alert_text = Str(max_len=300)
ALERT_MATCHER = Obj(
    {
        "labels": F(
            Map(_alert_text, _alert_text),
            False,
            "Alertmanager/Grafana: every label given must be equal",
        ),
        "pagerduty_service": F(_alert_text, False, "PagerDuty service id or name"),
        "opsgenie_tag": F(_alert_text, False, "Opsgenie tag (or the alert's entity)"),
        "datadog_tag": F(_alert_text, False, "Datadog tag, e.g. service:api"),
    },
    what="an alert matcher",
)
"""One ``alerts:`` entry of a service: every key given must match (one entry matching is enough)."""


SITE = Obj(
    {
        "format": F(
            Int(minimum=1),
            False,
            "Content format of the site's files (default 1; see docs/compatibility.md)",
        ),
        "title": F(Str(max_len=200), True, "Name of the status page, shown in every page title"),
        "base_url": F(
            _http_url,
            True,
            "Public URL of the status page; used in feeds and canonical links only",
        ),
        "internal_url": F(
            _http_url,
            False,
            "URL of the internal knowledge base (printed by `statuspress match`)",
        ),
        "timezone": F(Str(max_len=64), False, "IANA zone for displayed times (default UTC)"),
        "language": F(
            _lang,
            False,
            "BCP 47 tag of the public pages (default en); the root of the site in a multi-language "
            "build",
        ),
        "languages": F(
            List(_lang, unique=True),
            False,
            "Build the public site in each of these languages: the default (`language`) at the "
            "root, every other one under /<tag>/",
        ),
        "require_translations": F(
            Bool(),
            False,
            "`check` reports a public incident title or update message without its "
            "title_<lang>/message_<lang> for every other language of `languages`",
        ),
        "description": F(Str(max_len=500), False, "One line about the page, used by feeds"),
        "uptime_days": F(Int(minimum=7, maximum=365), False, "Days of uptime bars (default 90)"),
        "live_refresh_seconds": F(
            Int(minimum=2, maximum=3600),
            False,
            "Seconds between reloads of the live pages readers can choose while something is "
            "active (default 60)",
        ),
        "support_url": F(
            Str(
                pattern=r"(?:https?|mailto):[^\s\x00-\x1f\x7f-\x9f]+",
                hint=" (an http(s) or mailto: URL)",
            ),
            False,
            "Where customers get help",
        ),
        "logo": F(_relpath, False, "Logo file, relative to the content folder"),
        "theme_dir": F(
            _relpath,
            False,
            "Folder of template overrides, relative to the content folder's parent",
        ),
        "docs_dir": F(
            _relpath,
            False,
            "Folder of hand-written internal pages merged into the knowledge base",
        ),
        "max_file_bytes": F(
            Int(minimum=1024, maximum=16 * 1024 * 1024),
            False,
            "Largest content file accepted in bytes (default 1 MiB, at most 16 MiB)",
        ),
        "stale_update_hours": F(
            Int(minimum=1, maximum=8760),
            False,
            "Hours without a public update after which `check` warns about an active incident "
            "(default 24)",
        ),
        "recovery_monitoring_minutes": F(
            Int(minimum=0, maximum=1440),
            False,
            "Shortest monitoring phase before a closed SEV-1's resolved_at, minutes; `check` "
            "warns below it (default 30, 0 turns the warning off)",
        ),
        "targets": F(
            Obj(
                {
                    "mtta_minutes": F(_per_severity("MTTA target per severity, minutes")),
                    "mttr_minutes": F(_per_severity("MTTR target per severity, minutes")),
                    "monitoring_detected_ratio": F(Float(maximum=1.0), False, "Default 0.7"),
                    "recurrence_rate": F(Float(maximum=1.0), False, "Default 0.2"),
                    "max_pages_per_shift": F(Float(), False, "Default 2"),
                    "mttr_known_minutes": F(
                        _per_severity(
                            "MTTR target per severity for known failure modes, minutes "
                            "(default SEV-1: 30)"
                        )
                    ),
                    "mttr_novel_minutes": F(
                        _per_severity(
                            "MTTR target per severity for novel incidents, minutes "
                            "(default SEV-1: 120)"
                        )
                    ),
                    "workaround_share_min": F(Float(maximum=1.0), False, "Default 0.3"),
                    "workaround_share_max": F(Float(maximum=1.0), False, "Default 0.4"),
                    "escalation_rate": F(Float(maximum=1.0), False, "Default 0.25"),
                },
                what="metric targets",
            ),
            False,
            "Targets the internal metrics are marked against",
        ),
        "subscribe": F(
            List(
                Obj(
                    {
                        "name": F(Str(max_len=100), True, "Link text, e.g. 'Mailing list'"),
                        "url": F(_url, True, "Where subscribers sign up"),
                    },
                    what="a subscribe link",
                )
            ),
            False,
            "Extra links in the public page's Subscribe section (mailing list, chat, ...)",
        ),
        "notify": F(
            List(
                Obj(
                    {
                        "name": F(_id, True, "Unique channel name, shown in messages and state"),
                        "url_env": F(
                            Str(
                                pattern=r"[A-Za-z_][A-Za-z0-9_]*",
                                max_len=100,
                                hint=" (an environment variable name)",
                            ),
                            True,
                            "Environment variable holding the channel's URL (never the URL)",
                        ),
                        "events": F(
                            List(Enum(NOTIFY_EVENTS), unique=True),
                            False,
                            "Events sent to this channel (default: all)",
                        ),
                        "services": F(
                            List(_id, unique=True),
                            False,
                            "Only events touching these services (default: all)",
                        ),
                        "min_impact": F(
                            Enum(IMPACTS),
                            False,
                            "Skip incident and component events below this impact",
                        ),
                        "format": F(
                            Str(pattern=ID, max_len=50),
                            False,
                            "text (default, Apprise URL) or statuspage (webhook endpoint)",
                        ),
                        "template": F(
                            Str(
                                pattern=r"[A-Za-z0-9_][A-Za-z0-9_.-]*",
                                max_len=100,
                                hint=" (a file name in the theme's notify/ folder)",
                            ),
                            False,
                            "Message template in the theme's notify/ folder (message.txt)",
                        ),
                    },
                    what="a notification channel",
                )
            ),
            False,
            "Where `statuspress notify` sends incident and maintenance events",
        ),
        "alert_severity": F(
            Obj(
                {
                    "priority": F(
                        Map(_alert_text, Enum(SEVERITIES)),
                        False,
                        "Alert priority (P1..P5) -> severity",
                    ),
                    "urgency": F(
                        Map(_alert_text, Enum(SEVERITIES)),
                        False,
                        "PagerDuty urgency (high, low) -> severity",
                    ),
                    "label": F(
                        Map(_alert_text, Enum(SEVERITIES)),
                        False,
                        "labels.severity (critical, warning, ...) -> severity",
                    ),
                    "default": F(Enum(SEVERITIES), False, "When nothing else maps (SEV-3)"),
                },
                what="alert severity mapping",
            ),
            False,
            "How `new incident --from-alert` turns an alert's priority into a severity",
        ),
    },
    what="site settings",
)

SERVICES = Obj(
    {
        "groups": F(
            List(
                Obj(
                    {
                        "id": F(_id, True, "Stable id of the group"),
                        "name": F(_name, True, "Display name"),
                        "description": F(Str(max_len=500), False, "Shown under the group name"),
                    },
                    what="a group",
                )
            ),
            False,
            "Groups of services on the status page",
        ),
        "services": F(
            List(
                Obj(
                    {
                        "id": F(_id, True, "Stable id; part of URLs and the JSON API"),
                        "name": F(_name, True, "Display name"),
                        "group": F(_id, False, "Id of a group"),
                        "description": F(Str(max_len=500), False, "One line for customers"),
                        "public": F(Bool(), False, "false keeps it off the status page"),
                        "tier": F(Int(minimum=1, maximum=4), False, "Criticality 1 (highest)..4"),
                        "owner": F(Str(max_len=200), False, "Owning team"),
                        "routing": F(
                            Obj(
                                {
                                    "primary": F(Str(max_len=200), False, "First responder"),
                                    "secondary": F(Str(max_len=200), False, "Second responder"),
                                    "commander": F(Str(max_len=200), False, "Incident commander"),
                                },
                                what="routing",
                            ),
                            False,
                            "Who is paged (the routing matrix)",
                        ),
                        "severity_criteria": F(
                            Map(Enum(SEVERITIES), Str(max_len=1000)),
                            False,
                            "Service-specific criteria per severity, shown to responders",
                        ),
                        "alerts": F(
                            List(ALERT_MATCHER),
                            False,
                            "Alerts that belong to this service (new incident --from-alert)",
                        ),
                    },
                    what="a service",
                )
            ),
            True,
            "Every service, public or internal",
        ),
    },
    what="the service catalog",
)

UPDATE = Obj(
    {
        "at": F(Timestamp(), True, "When the update was posted"),
        "status": F(
            Enum(INCIDENT_UPDATE_STATUSES + MAINTENANCE_UPDATE_STATUSES),
            True,
            "investigating/identified/monitoring/resolved; maintenance: "
            "scheduled/in_progress/verifying/completed",
        ),
        "message": F(Text(max_len=20_000), True, "Public text (Markdown, raw HTML removed)"),
        "services": F(
            Map(_id, Enum(COMPONENT_STATUSES)),
            False,
            "Component statuses from this moment on",
        ),
    },
    what="an update",
    patterns={
        "message_<lang>": F(
            Text(max_len=20_000), False, "The message in another language of `languages`"
        ),
    },
)

ACTION_ITEM = Obj(
    {
        "id": F(Str(max_len=50), True, "Unique within the incident, e.g. AI-1"),
        "title": F(Str(max_len=500), True, "What will be done"),
        "owner": F(Str(max_len=200), True, "Who does it"),
        "due": F(Date(), False, "Due date"),
        "priority": F(Enum(AI_PRIORITIES), True, "P0 (most urgent)..P3"),
        "type": F(Enum(AI_TYPES), False, "mitigate, prevent, detect or process"),
        "status": F(Enum(AI_STATUSES), False, "open (default), done or not_doing"),
        "ticket": F(Str(max_len=300), False, "Tracker id or URL"),
    },
    what="an action item",
)

INCIDENT = Obj(
    {
        "title": F(Str(max_len=300), True, "Public headline"),
        "kind": F(Enum(KINDS), False, "incident (default), maintenance or gameday (never public)"),
        "public": F(Bool(), False, "false keeps the whole incident off the status page"),
        "severity": F(Enum(SEVERITIES), False, "Required for incidents: SEV-1 (critical)..SEV-4"),
        "impact": F(Enum(LEVELS), False, "How much is affected; with urgency gives priority"),
        "urgency": F(Enum(LEVELS), False, "How fast it gets worse"),
        "services": F(
            Map(_id, Enum(COMPONENT_STATUSES)),
            True,
            "Affected service id -> worst status during the incident",
        ),
        "started_at": F(Timestamp(), True, "When the impact started"),
        "detected_at": F(Timestamp(), False, "When it was detected"),
        "acknowledged_at": F(Timestamp(), False, "First human acknowledgement"),
        "mitigated_at": F(Timestamp(), False, "User impact stopped"),
        "resolved_at": F(Timestamp(), False, "Resolved; missing means the incident is active"),
        "closed_at": F(Timestamp(), False, "Record complete"),
        "scheduled_start": F(Timestamp(), False, "Maintenance window start (required there)"),
        "scheduled_end": F(Timestamp(), False, "Maintenance window end (required there)"),
        "detection": F(Enum(DETECTION), False, "monitoring, internal or customer"),
        "reporter": F(Str(max_len=200), False, "Who reported it"),
        "commander": F(Str(max_len=200), False, "Incident commander"),
        "responders": F(_people, False, "Everyone who worked on it"),
        "escalated": F(_people, False, "People or teams it was escalated to"),
        "category": F(
            Obj(
                {
                    "system": F(Str(max_len=100), False, "network, application, database, ..."),
                    "type": F(Str(max_len=100), False, "performance, availability, security, ..."),
                    "cause": F(Str(max_len=100), False, "Probable root cause domain"),
                },
                what="category",
            ),
            False,
            "Categorisation",
        ),
        "known_errors": F(List(_ke_id, unique=True), False, "Known errors it matched"),
        "runbooks": F(List(_id, unique=True), False, "Runbooks used"),
        "related": F(List(Str(max_len=200), unique=True), False, "Ids of related incidents"),
        "affected_users": F(Int(minimum=0, maximum=10**12), False, "How many users were affected"),
        "updates": F(List(UPDATE), False, "The public timeline, oldest first"),
        "postmortem": F(
            Obj(
                {
                    "status": F(Enum(POSTMORTEM_STATUSES), True, "draft, in_review, published"),
                    "owner": F(Str(max_len=200), False, "Who writes it"),
                    "public_summary": F(
                        Text(max_len=20_000), False, "Shown publicly once published"
                    ),
                },
                what="postmortem",
            ),
            False,
            "Post-incident review",
        ),
        "action_items": F(List(ACTION_ITEM), False, "Follow-up work"),
        "alert": F(
            Obj(
                {
                    "source": F(
                        Str(pattern=r"[a-z0-9][a-z0-9_-]*", max_len=50),
                        True,
                        "The alert format it came from (alertmanager, pagerduty, ...)",
                    ),
                    "key": F(Str(max_len=500), True, "The alert's dedup key"),
                },
                what="alert",
            ),
            False,
            "The alert this incident was opened from; its follow-ups update this file",
        ),
        "source": F(
            Obj(
                {
                    "id": F(Str(max_len=200), True, "The incident's id in the old status page"),
                    "url": F(
                        Str(
                            pattern=r"https?://[^\s\x00-\x1f\x7f-\x9f]+",
                            max_len=2000,
                            hint=" (an absolute http(s) URL)",
                        ),
                        False,
                        "Its shortlink or page URL there",
                    ),
                },
                what="source",
            ),
            False,
            "Where an imported incident came from (`statuspress import`)",
        ),
    },
    what="incident front matter",
    patterns={
        "title_<lang>": F(
            Str(max_len=300), False, "The headline in another language of site.yaml `languages`"
        ),
    },
)

KNOWN_ERROR = Obj(
    {
        "title": F(Str(max_len=300), True, "Short name of the problem"),
        "status": F(Enum(KE_STATUSES), True, "investigating..retired"),
        "services": F(List(_id, unique=True), True, "Affected services"),
        "aliases": F(
            List(Str(max_len=200), unique=True),
            False,
            "Other names responders use for it (searched, shown on its page)",
        ),
        "symptoms": F(List(Str(max_len=1000)), False, "What users and alerts show"),
        "signatures": F(
            List(Str(max_len=2000)), False, "Exact log/error strings; 're:' prefix for a regex"
        ),
        "owner": F(Str(max_len=200), True, "Who owns the problem"),
        "review_by": F(Date(), False, "Review date; a warning after it"),
        "problem": F(Str(max_len=300), False, "Problem ticket id or URL"),
        "fix_ref": F(Str(max_len=300), False, "Change that fixes it"),
        "identified": F(
            Date(), False, "When it became a known error (else: its first incident's start)"
        ),
    },
    what="known error front matter",
)

RUNBOOK = Obj(
    {
        "title": F(Str(max_len=300), True, "What the runbook handles"),
        "aliases": F(
            List(Str(max_len=200), unique=True),
            False,
            "Other names responders use for it (searched, shown on its page)",
        ),
        "services": F(List(_id, unique=True), True, "Services it covers"),
        "owner": F(Str(max_len=200), True, "Owning team"),
        "last_reviewed": F(Date(), True, "Last review date"),
        "review_every": F(Int(minimum=1, maximum=3650), False, "Days between reviews (90)"),
        "review_by": F(Date(), False, "Explicit next review date"),
        "alerts": F(List(Str(max_len=300), unique=True), False, "Alert names it answers"),
        "known_errors": F(List(_ke_id, unique=True), False, "Known errors it resolves"),
    },
    what="runbook front matter",
)

KE_SECTIONS = ("Symptoms", "Workaround", "Root cause", "Fix")
RUNBOOK_SECTIONS = ("Symptoms and detection", "Diagnosis", "Resolution", "Rollback", "Escalation")
POSTMORTEM_SECTIONS = (
    "Summary",
    "Impact",
    "Timeline",
    "Contributing factors",
    "What went well",
    "What needs improvement",
    "Where we got lucky",
)

DOCUMENTS: dict[str, Obj] = {
    "site": SITE,
    "services": SERVICES,
    "incident": INCIDENT,
    "known-error": KNOWN_ERROR,
    "runbook": RUNBOOK,
}


def base_url(value: str, option: str = "--base-url") -> str:
    """``value`` as a base URL ending in one ``/``; :class:`UsageError` naming ``option`` if it
    cannot be one.

    The schema type that checks ``base_url`` in site.yaml decides, so a value refused there is
    refused on the command line too, with the same words.
    """
    problems: list[str] = []
    where = Where("", 0, option, lambda _path, _line, _field, message: problems.append(message))
    checked = _http_url.check(value, where)
    if problems:
        raise UsageError(f"{option}: {problems[0]}")
    return str(checked).rstrip("/") + "/"


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of each file kind, keyed by file name (``incident.schema.json``)."""
    out = {}
    for name, obj in DOCUMENTS.items():
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://statuspress.dev/schemas/{name}.schema.json",
            "title": f"statuspress {name}",
            **obj.json_schema(),
        }
        out[f"{name}.schema.json"] = schema
    return out
