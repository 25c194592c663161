"""Datadog's Webhooks integration: the default payload and the commonly added variables.

Datadog lets each webhook define its own JSON body from ``$VARIABLES``, so there is no fixed
shape: the default body is ``{body, last_updated, event_type, title, date, org: {id, name},
id}`` and most setups add some of ``alert_id``, ``alert_transition``, ``alert_type``,
``alert_priority``, ``alert_cycle_key``, ``aggreg_key``, ``alert_scope``, ``tags`` and
``link``. Every value arrives as text (the variables are substituted into strings).

The dedup key, most specific first: ``alert_cycle_key`` (one alert from trigger to
recovery), ``aggreg_key``, the monitor ``alert_id`` with its scope, the title with the
``[Triggered on ...]`` prefix removed, and last the event ``id`` (each event has its own, so
only a first alert can be opened from it).
"""

from __future__ import annotations

import re
from typing import Any

from .base import FIRING, OTHER, RESOLVED, Alert, Fields, is_url

KNOWN = frozenset(
    "alert_id alert_transition alert_type alert_priority alert_cycle_key aggreg_key alert_scope "
    "alert_status alert_title alert_metric alert_query event_type event_tags event_msg "
    "last_updated body org date link tags hostname text_only_msg snapshot".split()
)
TRANSITIONS = {
    "triggered": FIRING,
    "re-triggered": FIRING,
    "retriggered": FIRING,
    "warn": FIRING,
    "no data": FIRING,
    "renotify": FIRING,
    "recovered": RESOLVED,
}
_PREFIX = re.compile(
    r"^\[(Triggered|Re-Triggered|Recovered|Warn|No Data|Renotify|P\d)"
    r"(?: on (\{[^}]*\}))?\]\s*",
    re.IGNORECASE,
)


class Datadog:
    name = "datadog"
    expects = (
        "a Datadog webhook: the default body {body, last_updated, event_type, title, date, org, "
        "id} or one with alert_id, alert_transition, alert_type, tags, ..."
    )

    def detect(self, payload: Any) -> int:
        if not isinstance(payload, dict):
            return 0
        known = KNOWN & payload.keys()
        specific = {"alert_transition", "alert_cycle_key", "aggreg_key", "event_tags"} & known
        default_body = {"event_type", "last_updated", "org"} <= payload.keys()
        if not (specific or default_body or {"alert_id", "alert_type"} <= known):
            return 0
        return 10 + len(known)

    def parse(self, payload: Any) -> Alert:
        top = Fields(payload, "", "Datadog")
        title_text = top.text("title") or top.text("alert_title") or top.text("event_title")
        prefix = _PREFIX.match(title_text)
        transition = top.text("alert_transition")
        if not transition and prefix and not prefix.group(1).upper().startswith("P"):
            transition = prefix.group(1)
        alert_type = top.text("alert_type")
        status = TRANSITIONS.get(transition.strip().lower(), OTHER if transition else FIRING)
        if not transition and alert_type == "success":
            status = RESOLVED
        name = top.text("alert_title") or (title_text[prefix.end() :] if prefix else title_text)
        scope = prefix.group(2) if prefix and prefix.group(2) else top.text("alert_scope")
        at = top.time("date") or top.time("last_updated")
        tags = top.texts("tags") or top.texts("event_tags")
        # The scope in the title ("{service:api,env:prod}") is the alert's group: its tags
        # are the only ones the default payload carries.
        for tag in (scope or "").strip("{}").split(","):
            if tag.strip() and tag.strip() not in tags:
                tags.append(tag.strip())
        monitor = top.text("alert_id")
        if top.text("alert_cycle_key"):
            key = f"cycle:{top.text('alert_cycle_key')}"
        elif top.text("aggreg_key"):
            key = f"aggreg:{top.text('aggreg_key')}"
        elif monitor:
            key = f"monitor:{monitor}" + (f" {scope}" if scope else "")
        elif name.strip():
            key = f"title:{name.strip()}" + (f" {scope}" if scope else "")
        else:
            key = f"event:{top.text('id') or top.text('event_id')}"
        summary = top.text("text_only_msg") or top.text("body") or top.text("event_msg")
        summary = summary.replace("%%%", "").strip()
        priority = top.text("alert_priority") or top.text("priority")
        alert = Alert(
            source=self.name,
            key=key,
            status=status,
            title=name.strip() or "Datadog alert",
            summary=summary[:2000],
            event=transition or top.text("event_type"),
            event_at=at,
            started_at=at if status == FIRING else None,
            resolved_at=at if status == RESOLVED else None,
            priority=priority if re.fullmatch(r"[Pp][1-5]", priority) else "",
            severity=alert_type if alert_type in ("error", "warning", "info") else "",
            tags=tags,
            labels={
                k: top.text(k) for k in ("alert_id", "alert_metric", "hostname") if top.text(k)
            },
        )
        if scope:
            alert.labels["scope"] = scope
        for field in ("link", "event_url", "url", "snapshot"):
            value = top.text(field)
            if is_url(value):
                alert.links.append((field, value))
        return alert
