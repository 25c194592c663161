"""Badges: shields.io endpoint JSON and ready-made SVG images, written at build time.

- ``badges/<service>.json`` and ``badges/_overall.json``: use them as
  ``https://img.shields.io/endpoint?url=<base_url>badges/<service>.json``;
- ``badges/<service>.svg`` and ``badges/_overall.svg``: the same status as an image, served by
  the status page itself (no third party sees the readers);
- ``badges/uptime/<service>.svg``: the service's uptime over ``uptime_days``.

The page-wide badge is named ``_overall`` because service ids cannot start with ``_``, so it
can never collide with a service's badge.
"""

from __future__ import annotations

import json
from typing import Any
from unicodedata import east_asian_width

import jinja2

from ..i18n import N_
from ..writer import OutputFiles
from .api import page_status
from .machine import COMPONENT_LABELS, clean_text
from .memo import RenderMemo
from .project import PublicSite
from .uptime import ServiceUptime, compute

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
# The SVG fills of shields' colour names, darkened where needed so white text keeps 4.5:1.
SVG_FILLS = {
    "brightgreen": "#1a7f37",
    "yellow": "#9a6700",
    "orange": "#bc4c00",
    "red": "#cf222e",
    "blue": "#0969da",
}
LABEL_FILL = "#555"

_SVG = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string(
    """\
<svg xmlns="http://www.w3.org/2000/svg" width="{{ width }}" height="20" role="img" \
aria-label="{{ label }}: {{ message }}">
<title>{{ label }}: {{ message }}</title>
<rect width="{{ left }}" height="20" rx="3" fill="{{ label_fill }}"/>
<rect x="{{ left - 4 }}" width="{{ right + 4 }}" height="20" rx="3" fill="{{ fill }}"/>
<rect x="{{ left - 4 }}" width="4" height="20" fill="{{ fill }}"/>
<g fill="#fff" font-family="Verdana,DejaVu Sans,Geneva,sans-serif" font-size="11" \
text-anchor="middle">
<text x="{{ left / 2 }}" y="14">{{ label }}</text>
<text x="{{ left + right / 2 }}" y="14">{{ message }}</text>
</g>
</svg>
"""
)


def text_width(text: str) -> float:
    """Rough width in pixels of ``text`` in 11 px Verdana (no font metrics at build time)."""
    width = 0.0
    for ch in text:
        if ch in "il.,:;|!'() ":
            width += 3.9
        elif ch in "mwMW%@":
            width += 10.5
        elif ch.isupper() or ch.isdigit():
            width += 7.6
        elif east_asian_width(ch) in "WF":  # CJK in a translated badge: a full em each
            width += 11.0
        else:
            width += 6.8
    return width


def svg(label: str, message: str, color: str) -> str:
    """A flat badge like shields.io's, label on grey and message on the status colour."""
    label, message = clean_text(label), clean_text(message)
    left = round(text_width(label) + 12)
    right = round(text_width(message) + 12)
    return _SVG.render(
        width=left + right,
        left=left,
        right=right,
        label=label,
        message=message,
        label_fill=LABEL_FILL,
        fill=SVG_FILLS.get(color, SVG_FILLS["blue"]),
    )


# The page-wide badge says the API's page status in lower case: one msgid each.
OVERALL_MESSAGES = {
    "All Systems Operational": N_("all systems operational"),
    "Minor Service Outage": N_("minor service outage"),
    "Partial System Outage": N_("partial system outage"),
    "Major Service Outage": N_("major service outage"),
    "Service Under Maintenance": N_("service under maintenance"),
}


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
    message = OVERALL_MESSAGES.get(status["description"], status["description"].lower())
    return badge(site.title, site.texts.gettext(message), color)


def _dump(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False) + "\n"


def uptime_color(percent: float) -> str:
    """Green from 99.9%, yellow from 99%, orange from 95%, red below."""
    if percent >= 99.9:
        return "brightgreen"
    if percent >= 99.0:
        return "yellow"
    return "orange" if percent >= 95.0 else "red"


def render_badges(site: PublicSite, writer: OutputFiles, memo: RenderMemo | None = None) -> None:
    """Write the badges of every public service and of the whole page (JSON and SVG).

    ``memo`` (serve): the uptime is worked out again only when a segment, the services or
    the clock changed (it walks every segment; the badges themselves are cheap).
    """
    ids = [s.id for s in site.services]
    key = (ids, site.segments, site.tz, site.now, site.uptime_days)

    def work() -> dict[str, ServiceUptime]:
        return compute(ids, site.segments, site.tz, site.now, site.uptime_days)

    uptime = work() if memo is None else memo.get("badges:uptime", key, work)
    for service in site.services:
        message = site.texts.gettext(COMPONENT_LABELS[service.status])
        doc = badge(service.name, message, COLORS[service.status])
        writer.add(f"badges/{service.id}.json", _dump(doc))
        writer.add(f"badges/{service.id}.svg", svg(doc["label"], doc["message"], doc["color"]))
        percent = uptime[service.id].percent(site.uptime_days)
        writer.add(
            f"badges/uptime/{service.id}.svg",
            svg(service.name, site.texts.formats.percent(percent), uptime_color(percent)),
        )
    whole = overall(site)
    writer.add(f"badges/{OVERALL}.json", _dump(whole))
    writer.add(f"badges/{OVERALL}.svg", svg(whole["label"], whole["message"], whole["color"]))
