"""PagerDuty webhooks: V3 (``{"event": {...}}``) and the older V2 (``{"messages": [...]}``).

The dedup key is the PagerDuty incident id: both versions carry it, and it stays the same
from trigger through acknowledgement to resolution.
"""

from __future__ import annotations

from typing import Any

from .base import ACKNOWLEDGED, FIRING, OTHER, RESOLVED, Alert, Fields, PayloadError, is_url

V3_STATUS = {
    "incident.triggered": FIRING,
    "incident.reopened": FIRING,
    "incident.acknowledged": ACKNOWLEDGED,
    "incident.resolved": RESOLVED,
}
V2_STATUS = {
    "incident.trigger": FIRING,
    "incident.acknowledge": ACKNOWLEDGED,
    "incident.resolve": RESOLVED,
}


def _v3(payload: Any) -> bool:
    event = payload.get("event") if isinstance(payload, dict) else None
    return isinstance(event, dict) and str(event.get("event_type", "")).startswith("incident.")


def _v2(payload: Any) -> bool:
    messages = payload.get("messages") if isinstance(payload, dict) else None
    return (
        isinstance(messages, list)
        and bool(messages)
        and isinstance(messages[0], dict)
        and str(messages[0].get("event", "")).startswith("incident.")
    )


class PagerDuty:
    name = "pagerduty"
    expects = (
        "a PagerDuty webhook: V3 {event: {event_type: incident.triggered, occurred_at, data: "
        "{id, title, service, urgency}}} or V2 {messages: [{event: incident.trigger, incident}]}"
    )

    def detect(self, payload: Any) -> int:
        return 20 if _v3(payload) or _v2(payload) else 0

    def parse(self, payload: Any) -> Alert:
        if _v3(payload):
            return self._parse_v3(payload)
        if _v2(payload):
            return self._parse_v2(payload)
        raise PayloadError(f"not a PagerDuty webhook: expected {self.expects}")

    def _parse_v3(self, payload: Any) -> Alert:
        event = Fields(payload, "", "PagerDuty").obj("event", required=True)
        kind = event.text("event_type", required=True)
        data = event.obj("data", required=True)
        if event.text("resource_type") not in ("", "incident"):
            raise PayloadError(
                f"PagerDuty payload: event.resource_type is "
                f"'{event.text('resource_type')[:40]}', not an incident"
            )
        at = event.time("occurred_at")
        status = V3_STATUS.get(kind, OTHER)
        service = data.obj("service")
        priority = data.obj("priority") if isinstance(data.value.get("priority"), dict) else None
        alert = Alert(
            source=self.name,
            key=data.text("id", required=True),
            status=status,
            title=data.text("title") or data.text("summary") or "PagerDuty incident",
            summary=data.text("description"),
            event=kind,
            event_at=at,
            started_at=data.time("created_at") or (at if status == FIRING else None),
            acknowledged_at=at if status == ACKNOWLEDGED else None,
            resolved_at=at if status == RESOLVED else None,
            urgency=data.text("urgency"),
            priority=priority.text("summary") if priority else "",
            services=[s for s in (service.text("id"), service.text("summary")) if s],
            actor=event.obj("agent").text("summary"),
        )
        url = data.text("html_url")
        if is_url(url):
            alert.links.append(("PagerDuty incident", url))
        number = data.text("number")
        if number:
            alert.annotations["incident number"] = number
        policy = data.obj("escalation_policy").text("summary")
        if policy:
            alert.annotations["escalation policy"] = policy
        return alert

    def _parse_v2(self, payload: Any) -> Alert:
        messages = Fields(payload, "", "PagerDuty").objects("messages", required=True)
        incidents = {m.obj("incident").text("id") for m in messages}
        if len(incidents) > 1:
            raise PayloadError(
                f"PagerDuty payload: messages holds {len(incidents)} different incidents; send "
                "one incident's messages at a time"
            )
        message = messages[-1]  # the latest state of the one incident
        kind = message.text("event", required=True)
        incident = message.obj("incident", required=True)
        at = message.time("created_on")
        status = V2_STATUS.get(kind, OTHER)
        service = incident.obj("service")
        priority = (
            incident.obj("priority") if isinstance(incident.value.get("priority"), dict) else None
        )
        agent = ""
        entries = message.objects("log_entries")
        if entries:
            agent = entries[0].obj("agent").text("summary")
        alert = Alert(
            source=self.name,
            key=incident.text("id", required=True),
            status=status,
            title=incident.text("title") or incident.text("summary") or "PagerDuty incident",
            summary=incident.text("description"),
            event=kind,
            event_at=at,
            started_at=incident.time("created_at"),
            acknowledged_at=at if status == ACKNOWLEDGED else None,
            resolved_at=at if status == RESOLVED else None,
            urgency=incident.text("urgency"),
            priority=priority.text("summary") if priority else "",
            services=[s for s in (service.text("id"), service.text("name")) if s],
            actor=agent,
        )
        if alert.summary == alert.title:
            alert.summary = ""
        url = incident.text("html_url")
        if is_url(url):
            alert.links.append(("PagerDuty incident", url))
        incident_key = incident.text("incident_key")
        if incident_key:
            alert.annotations["incident key"] = incident_key
        number = incident.text("incident_number")
        if number:
            alert.annotations["incident number"] = number
        return alert
