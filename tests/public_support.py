"""Small content fixtures (Python dicts -> real files) and public builds for the output tests.

``base_content()`` describes a tiny site at NOW (2026-11-27T12:00Z, Europe/Berlin = CET):

- groups ``core`` (api, web) and ``edge`` (cdn); ``billing`` has no group; ``internal-db`` is
  internal (``public: false``) and must never reach a public output;
- ``api-down``: SEV-1, active, api major outage (also touches internal-db);
- ``slow-web``: SEV-3, resolved, with a published postmortem summary;
- ``cdn-work``: maintenance in progress (11:00-13:00Z);
- ``db-upgrade``: maintenance upcoming (tomorrow 02:00-04:00Z);
- ``old-work``: maintenance completed in October;
- ``drill`` (gameday), ``secret`` (public: false) and ``db-only`` (internal service only): never
  public.

Tests copy the dict, change what they need and call :func:`build_public`.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from statuspress.build import build

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
BASE_URL = "https://status.example.com/"
HOST = "status.example.com"
SCHEMAS = Path(__file__).resolve().parent / "schemas" / "statuspage"

PUBLIC_INCIDENTS = {"api-down", "slow-web", "cdn-work", "db-upgrade", "old-work"}
NEVER_PUBLIC = {"drill", "secret", "db-only"}


def _utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


MAINTENANCE_WINDOWS = {
    "cdn-work": (_utc(2026, 11, 27, 11), _utc(2026, 11, 27, 13)),
    "db-upgrade": (_utc(2026, 11, 28, 2), _utc(2026, 11, 28, 4)),
    "old-work": (_utc(2026, 10, 6, 0), _utc(2026, 10, 6, 2)),
}
INTERNAL_NAME = "Primary Database Cluster"


def _incident(**fields: Any) -> dict[str, Any]:
    return {"front": fields, "body": "## Summary\n\nInternal notes: root cause in db-primary-7.\n"}


def base_content() -> dict[str, Any]:
    """A fresh copy of the fixture content (see the module docstring)."""
    content: dict[str, Any] = {
        "site": {
            "title": "Example Status",
            "description": "Status of the Example services.",
            "base_url": BASE_URL,
            "timezone": "Europe/Berlin",
            "language": "en",
        },
        "services": {
            "groups": [
                {"id": "core", "name": "Core Platform"},
                {"id": "edge", "name": "Edge Network", "description": "Our CDN"},
            ],
            "services": [
                {"id": "api", "name": "Public API", "group": "core", "owner": "team-api"},
                {"id": "web", "name": "Website", "group": "core", "description": "www"},
                {"id": "billing", "name": "Billing & Invoices"},
                {"id": "cdn", "name": "Images & Static Content", "group": "edge"},
                {"id": "internal-db", "name": INTERNAL_NAME, "public": False, "owner": "team-db"},
            ],
        },
        "incidents": {
            "api-down": _incident(
                title="API unavailable",
                severity="SEV-1",
                services={"api": "major_outage", "internal-db": "major_outage"},
                started_at="2026-11-27T10:40:00Z",
                detected_at="2026-11-27T10:42:00Z",
                commander="Jane Commander",
                updates=[
                    {
                        "at": "2026-11-27T10:45:00Z",
                        "status": "investigating",
                        "message": "We are investigating errors on the API.",
                        "services": {"api": "major_outage", "internal-db": "major_outage"},
                    },
                    {
                        "at": "2026-11-27T11:10:00Z",
                        "status": "identified",
                        "message": "We have **identified** the cause & are fixing it.",
                        "services": {"api": "partial_outage"},
                    },
                ],
            ),
            "slow-web": _incident(
                title="Website slow",
                severity="SEV-3",
                services={"web": "degraded_performance"},
                started_at="2026-11-20T09:00:00Z",
                resolved_at="2026-11-20T10:00:00Z",
                updates=[
                    {
                        "at": "2026-11-20T09:05:00Z",
                        "status": "investigating",
                        "message": "Pages load slowly.",
                    },
                    {
                        "at": "2026-11-20T09:30:00Z",
                        "status": "monitoring",
                        "message": "A fix is deployed; we are monitoring.",
                    },
                    {
                        "at": "2026-11-20T10:00:00Z",
                        "status": "resolved",
                        "message": "Resolved.",
                    },
                ],
                postmortem={
                    "status": "published",
                    "owner": "Jane Commander",
                    "public_summary": "A cache node ran out of memory.",
                },
            ),
            "cdn-work": _incident(
                title="CDN maintenance",
                kind="maintenance",
                services={"cdn": "under_maintenance"},
                started_at="2026-11-27T11:00:00Z",
                scheduled_start="2026-11-27T11:00:00Z",
                scheduled_end="2026-11-27T13:00:00Z",
                updates=[
                    {
                        "at": "2026-11-20T08:00:00Z",
                        "status": "scheduled",
                        "message": "We will upgrade the CDN.",
                    },
                    {
                        "at": "2026-11-27T11:00:00Z",
                        "status": "in_progress",
                        "message": "Maintenance has started.",
                    },
                ],
            ),
            "db-upgrade": _incident(
                title="Database upgrade",
                kind="maintenance",
                services={"api": "under_maintenance", "billing": "under_maintenance"},
                started_at="2026-11-28T02:00:00Z",
                scheduled_start="2026-11-28T02:00:00Z",
                scheduled_end="2026-11-28T04:00:00Z",
                updates=[
                    {
                        "at": "2026-11-21T09:00:00Z",
                        "status": "scheduled",
                        "message": "Orders & invoices may be **delayed** for 5 minutes.",
                    },
                ],
            ),
            "old-work": _incident(
                title="Network maintenance",
                kind="maintenance",
                services={"web": "under_maintenance"},
                started_at="2026-10-06T00:00:00Z",
                scheduled_start="2026-10-06T00:00:00Z",
                scheduled_end="2026-10-06T02:00:00Z",
                resolved_at="2026-10-06T01:30:00Z",
                updates=[
                    {"at": "2026-09-29T10:00:00Z", "status": "scheduled", "message": "Planned."},
                    {"at": "2026-10-06T00:00:00Z", "status": "in_progress", "message": "Started."},
                    {"at": "2026-10-06T01:10:00Z", "status": "verifying", "message": "Checking."},
                    {"at": "2026-10-06T01:30:00Z", "status": "completed", "message": "Done."},
                ],
            ),
            "drill": _incident(
                title="Gameday drill",
                kind="gameday",
                severity="SEV-2",
                services={"api": "major_outage"},
                started_at="2026-11-27T09:00:00Z",
            ),
            "secret": _incident(
                title="Private incident",
                public=False,
                severity="SEV-1",
                services={"api": "major_outage"},
                started_at="2026-11-27T09:30:00Z",
            ),
            "db-only": _incident(
                title="Replica lag",
                severity="SEV-2",
                services={"internal-db": "degraded_performance"},
                started_at="2026-11-27T08:00:00Z",
            ),
        },
    }
    return copy.deepcopy(content)


def resolved_incident(n: int, day: dt.datetime) -> dict[str, Any]:
    """A small resolved SEV-3 incident on ``day`` (for list-limit tests)."""
    start = day.replace(hour=9)
    return _incident(
        title=f"Incident number {n}",
        severity="SEV-3",
        services={"web": "degraded_performance"},
        started_at=_iso(start),
        resolved_at=_iso(start + dt.timedelta(hours=1)),
        updates=[
            {"at": _iso(start), "status": "investigating", "message": f"Problem {n}."},
            {"at": _iso(start + dt.timedelta(hours=1)), "status": "resolved", "message": "Fixed."},
        ],
    )


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)


def write_content(root: Path, content: dict[str, Any]) -> Path:
    """Write ``content`` as real files under ``root/content`` and return that folder."""
    folder = root / "content"
    (folder / "incidents").mkdir(parents=True, exist_ok=True)
    (folder / "site.yaml").write_text(_dump(content["site"]), encoding="utf-8")
    (folder / "services.yaml").write_text(_dump(content["services"]), encoding="utf-8")
    for incident_id, inc in content["incidents"].items():
        text = f"---\n{_dump(inc['front'])}---\n\n{inc['body']}"
        (folder / "incidents" / f"{incident_id}.md").write_text(text, encoding="utf-8")
    return folder


def build_public(
    root: Path, content: dict[str, Any], now: dt.datetime = NOW, base_url: str | None = None
) -> Path:
    """Write the content under ``root`` and build the public site; return ``OUT/public``."""
    folder = write_content(root, content)
    out = root / "site"
    build(folder, out, now, internal=False, base_url=base_url)
    return out / "public"


def add_update(content: dict[str, Any], incident_id: str, update: dict[str, Any]) -> None:
    content["incidents"][incident_id]["front"].setdefault("updates", []).append(update)
