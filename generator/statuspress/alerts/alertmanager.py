"""Prometheus Alertmanager's webhook (``version: "4"``), the shape Grafana's webhook copies.

One notification is one *group* of alerts: ``groupKey`` names the group, ``status`` is
``firing`` while any alert of it fires and ``resolved`` once all have. The group is the
incident: its key is the dedup key, unless the route groups by nothing (``{}`` as the label
part of the key), where every alert would share it; then the first alert's fingerprint is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .base import FIRING, RESOLVED, Alert, Fields, PayloadError, fingerprint, is_url

_LATEST = dt.datetime.max.replace(tzinfo=dt.UTC)
MAX_INSTANCES = 20
"""Alerts of a group listed in the incident body; the rest are counted."""
LINK_KEYS = ("generatorURL", "silenceURL", "dashboardURL", "panelURL", "imageURL")


def _looks_like(payload: Any) -> bool:
    return isinstance(payload, dict) and isinstance(payload.get("alerts"), list)


class Alertmanager:
    name = "alertmanager"
    expects = (
        'an Alertmanager webhook: an object with version "4", groupKey, status and an alerts '
        "list of {labels, annotations, startsAt, endsAt, fingerprint}"
    )

    def detect(self, payload: Any) -> int:
        if not _looks_like(payload) or grafana_markers(payload):
            return 0
        score = 5
        if "groupKey" in payload:
            score += 5
        if payload.get("version") == "4":
            score += 5
        return score

    def parse(self, payload: Any) -> Alert:
        return parse_group(payload, self.name, "Alertmanager")


def grafana_markers(payload: dict[str, Any]) -> bool:
    """Keys only Grafana's webhook sends (at the top or on an alert)."""
    if any(k in payload for k in ("orgId", "state", "title", "message")):
        return True
    for item in payload.get("alerts") or []:
        if isinstance(item, dict) and any(
            k in item for k in ("silenceURL", "dashboardURL", "panelURL", "valueString", "values")
        ):
            return True
    return False


def parse_group(payload: Any, source: str, system: str) -> Alert:
    """Alertmanager's and Grafana's common body -> one :class:`Alert` for the group."""
    top = Fields(payload, "", system)
    alerts = top.objects("alerts", required=True)
    if not alerts:
        raise PayloadError(f"{system} payload: alerts is empty (nothing to open an incident for)")
    status = top.text("status") or alerts[0].text("status")
    if status not in (FIRING, RESOLVED):
        raise PayloadError(
            f"{system} payload: status: expected 'firing' or 'resolved', got '{status[:40]}'"
        )
    common_labels = top.string_map("commonLabels")
    common_notes = top.string_map("commonAnnotations")
    first = alerts[0]
    labels = {**first.string_map("labels"), **common_labels}
    annotations = {**first.string_map("annotations"), **common_notes}
    starts = [t for t in (a.time("startsAt") for a in alerts) if t is not None]
    ends = [t for t in (a.time("endsAt") for a in alerts) if t is not None]
    instances = []
    links: list[tuple[str, str]] = []
    for index, item in enumerate(alerts):
        item_labels = item.string_map("labels")
        if index < MAX_INSTANCES:
            instance = {"status": item.text("status")}
            instance.update({f"label {k}": v for k, v in sorted(item_labels.items())})
            start = item.time("startsAt")
            if start is not None:
                instance["started"] = start.isoformat().replace("+00:00", "Z")
            for key in LINK_KEYS:
                url = item.text(key)
                if is_url(url) and (key, url) not in links:
                    links.append((key, url))
            instances.append(instance)
    for name, value in annotations.items():
        if is_url(value):
            links.append((name, value))
    external = top.text("externalURL")
    if is_url(external):
        links.append(("externalURL", external))
    group_key = top.text("groupKey")
    if group_key and not group_key.rstrip().endswith(":{}"):
        key = group_key
    else:
        # Grouped by nothing: every alert of the receiver shares the group key. The alert that
        # started first stays in the notifications (firing, then resolved) longest: its
        # fingerprint names the incident.
        eldest = min(
            alerts,
            key=lambda a: (a.time("startsAt") or _LATEST, a.text("fingerprint")),
        )
        key = eldest.text("fingerprint") or fingerprint(eldest.string_map("labels") or labels)
    title = (
        common_notes.get("summary")
        or common_notes.get("title")
        or common_labels.get("alertname")
        or annotations.get("summary")
        or annotations.get("title")
        or labels.get("alertname")
        or top.text("title")
        or f"{system} alert"
    )
    if len(alerts) > 1 and not (common_notes.get("summary") or common_labels.get("alertname")):
        # Different alerts grouped together: say so rather than name only the first.
        more = len(alerts) - 1
        title = f"{title} (and {more} more alert{'s' if more > 1 else ''})"
    summary = annotations.get("description") or annotations.get("message") or ""
    if len(alerts) > MAX_INSTANCES:
        instances.append({"status": f"... and {len(alerts) - MAX_INSTANCES} more alerts"})
    return Alert(
        source=source,
        key=key,
        status=status,
        title=title,
        summary=summary,
        event=status,
        event_at=(max(ends) if status == RESOLVED and ends else min(starts, default=None)),
        started_at=min(starts, default=None),
        resolved_at=max(ends, default=None) if status == RESOLVED else None,
        labels=labels,
        annotations=annotations,
        links=links,
        priority=labels.get("priority", ""),
        severity=labels.get("severity", ""),
        instances=instances,
    )
