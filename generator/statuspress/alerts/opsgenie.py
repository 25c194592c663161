"""Opsgenie's outgoing Webhook integration: ``{"action": "Create", "alert": {...}}``.

The dedup key is the alert's ``alias`` (Opsgenie's own deduplication key), else its id.
``createdAt`` is epoch milliseconds; ``updatedAt`` nanoseconds.
"""

from __future__ import annotations

from typing import Any

from .base import ACKNOWLEDGED, FIRING, OTHER, RESOLVED, Alert, Fields, is_url

STATUS = {"Create": FIRING, "Acknowledge": ACKNOWLEDGED, "Close": RESOLVED}


class Opsgenie:
    name = "opsgenie"
    expects = (
        "an Opsgenie webhook: an object with action (Create, Acknowledge, Close, ...) and alert "
        "{alertId, alias, message, tags, entity, priority, createdAt}"
    )

    def detect(self, payload: Any) -> int:
        if not isinstance(payload, dict) or not isinstance(payload.get("alert"), dict):
            return 0
        if "action" not in payload:
            return 0
        score = 10
        if "alertId" in payload["alert"]:
            score += 5
        if "integrationName" in payload or "integrationId" in payload:
            score += 5
        return score

    def parse(self, payload: Any) -> Alert:
        top = Fields(payload, "", "Opsgenie")
        action = top.text("action", required=True)
        alert = top.obj("alert", required=True)
        status = STATUS.get(action, OTHER)
        at = alert.time("updatedAt") or alert.time("createdAt")
        priority = alert.text("priority")
        if priority.isdigit():
            priority = f"P{priority}"  # some senders give the number alone
        entity = alert.text("entity")
        tags = alert.texts("tags")
        if entity:
            tags.append(entity)
        details = alert.string_map("details")
        result = Alert(
            source=self.name,
            key=alert.text("alias") or alert.text("alertId", required=True),
            status=status,
            title=alert.text("message") or "Opsgenie alert",
            summary=alert.text("description"),
            event=action,
            event_at=at,
            started_at=alert.time("createdAt"),
            acknowledged_at=at if status == ACKNOWLEDGED else None,
            resolved_at=at if status == RESOLVED else None,
            priority=priority,
            tags=tags,
            annotations=details,
            actor=alert.text("username"),
        )
        for name, value in details.items():
            if is_url(value):
                result.links.append((name, value))
        for name in ("tinyId", "source"):
            value = alert.text(name)
            if value:
                result.labels[name] = value
        return result
