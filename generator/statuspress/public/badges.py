"""shields.io endpoint badges: ``badges/<service>.json`` and ``badges/_overall.json``.

Use them as ``https://img.shields.io/endpoint?url=<base_url>badges/<service>.json``. The
page-wide badge is named ``_overall`` because service ids cannot start with ``_``, so it can
never collide with a service's badge.
"""

from __future__ import annotations

import json
from typing import Any

from ..writer import OutputFiles
from .api import page_status
from .machine import COMPONENT_LABELS, clean_text
from .project import PublicSite

SCHEMA_VERSION = 1
COLORS = {
    "operational": "brightgreen",
    "degraded_performance": "yellow",
    "partial_outage": "orange",
    "major_outage": "red",
    "under_maintenance": "blue",
}
INDICATOR_COLORS = {"none": "brightgreen", "minor": "yellow", "major": "orange", "critical": "red"}
OVERALL = "_overall"


def badge(label: str, message: str, color: str) -> dict[str, Any]:
    return {
        "schemaVersion": SCHEMA_VERSION,
        "label": clean_text(label),
        "message": message,
        "color": color,
    }


def overall(site: PublicSite) -> dict[str, Any]:
    """The page status as a badge (maintenance alone shows blue)."""
    status = page_status(site)
    color = INDICATOR_COLORS[status["indicator"]]
    if status["indicator"] == "none" and status["description"] != "All Systems Operational":
        color = "blue"
    return badge(site.title, status["description"].lower(), color)


def _dump(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False) + "\n"


def render_badges(site: PublicSite, writer: OutputFiles) -> None:
    """Write one badge per public service and one for the whole page."""
    for service in site.services:
        doc = badge(service.name, COMPONENT_LABELS[service.status], COLORS[service.status])
        writer.add(f"badges/{service.id}.json", _dump(doc))
    writer.add(f"badges/{OVERALL}.json", _dump(overall(site)))
