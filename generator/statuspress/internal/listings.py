"""Rows shared by many pages: incident lists and known-error lists (as HTML table cells)."""

from __future__ import annotations

from markupsafe import Markup

from ..models import Incident, KnownError
from . import html as h
from .layout import Layout
from .mdtext import day, label, when

INCIDENT_HEADERS = ("Started", "Incident", "Severity", "Services", "State")
KE_HEADERS = ("ID", "Known error", "Symptoms", "Status", "Services", "Occurrences", "Last seen")
KE_SYMPTOMS = 3
SYMPTOM_CHARS = 120
"""Symptoms shown per known error in a listing, each cut at SYMPTOM_CHARS (the page has them
all, whole)."""


def incident_state(layout: Layout, inc: Incident) -> str:
    state = label(layout.world.states.get(inc.id, ""))
    if inc.is_gameday:
        return f"gameday ({state})"
    if inc.is_maintenance:
        return f"maintenance ({state})"
    return state


def incident_rows(layout: Layout, incidents: list[Incident], here: str) -> list[list[str | Markup]]:
    return [
        [
            when(inc.started_at, layout.tz),
            h.a(inc.title, layout.incident(inc), here),
            inc.severity,
            ", ".join(layout.service_name(s) for s in sorted(inc.services)),
            incident_state(layout, inc),
        ]
        for inc in incidents
    ]


def occurrences(layout: Layout, ke_id: str) -> list[Incident]:
    """Real incidents (not gamedays or maintenance) that hit this known error, newest first."""
    found = layout.world.incidents_by_ke.get(ke_id, [])
    return sorted((i for i in found if i.in_metrics), key=lambda i: i.started_at, reverse=True)


def ke_rows(layout: Layout, kes: list[KnownError], here: str) -> list[list[str | Markup]]:
    rows: list[list[str | Markup]] = []
    for ke in kes:
        seen = occurrences(layout, ke.id)
        symptoms = [
            h.fmt("{}", s if len(s) <= SYMPTOM_CHARS else s[: SYMPTOM_CHARS - 1] + "…")
            for s in ke.symptoms[:KE_SYMPTOMS]
        ]
        if len(ke.symptoms) > KE_SYMPTOMS:
            symptoms.append(Markup("…"))
        rows.append(
            [
                ke.id,
                # The title is the link: what a responder reads and clicks.
                h.a(ke.title, layout.known_error(ke), here),
                h.join(symptoms, Markup("<br>")) if symptoms else "",
                h.a(label(ke.status), layout.ke_status(ke.status), here),
                h.join(
                    [h.a(layout.service_name(s), layout.ke_service(s), here) for s in ke.services]
                ),
                str(len(seen)),
                day(layout.local(seen[0].started_at).date()) if seen else "never",
            ]
        )
    return rows


def services_links(layout: Layout, services: list[str], here: str) -> Markup:
    return h.join([h.a(layout.service_name(s), layout.service(s), here) for s in services])
