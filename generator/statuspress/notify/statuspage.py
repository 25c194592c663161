"""The JSON bodies Atlassian Statuspage POSTs to webhook subscribers, built from our events.

Statuspage sends two shapes (no event name: receivers tell them apart by their keys):

- ``{"meta", "page", "incident"}`` for incidents and maintenances, the incident carrying all
  its ``incident_updates`` (newest first) and its ``components``;
- ``{"meta", "page", "component", "component_update"}`` for a component status change.

Keys, their order, nulls and time formats mirror real deliveries (tests/fixtures/notify/
SOURCES.md names them); values come from our public API objects. Fields Statuspage has and we
cannot fill (Twitter, postmortem bookkeeping) carry Statuspage's own "nothing" values.
"""

from __future__ import annotations

from typing import Any

from ..public.api import MAINTENANCE_DESCRIPTION, short_id
from .channels import Message
from .snapshot import Json

DOCUMENTATION = "https://support.atlassian.com/statuspage/docs/enable-webhook-notifications/"
"""What the body follows; Statuspage links its own webhook documentation here too."""


def _page(message: Message) -> Json:
    event = message.event
    indicator = event.status.get("indicator", "none")
    description = event.status.get("description", "")
    # Statuspage's webhooks (unlike its v2 documents) say "maintenance" when that is all there is.
    if indicator == "none" and description == MAINTENANCE_DESCRIPTION:
        indicator = "maintenance"
    return {
        "id": event.page.get("id"),
        "status_indicator": indicator,
        "status_description": description,
    }


def _component(c: Json) -> Json:
    return {
        "status": c.get("status"),
        "name": c.get("name"),
        "created_at": c.get("created_at"),
        "updated_at": c.get("updated_at"),
        "position": c.get("position"),
        "description": c.get("description"),
        "showcase": c.get("showcase", True),
        "id": c.get("id"),
        "page_id": c.get("page_id"),
        "group_id": c.get("group_id"),
    }


def _update(u: Json) -> Json:
    return {
        "status": u.get("status"),
        "body": u.get("body"),
        "created_at": u.get("created_at"),
        "wants_twitter_update": False,
        "twitter_updated_at": None,
        "updated_at": u.get("updated_at"),
        "display_at": u.get("display_at"),
        "affected_components": u.get("affected_components"),
        "custom_tweet": None,
        "deliver_notifications": True,
        "id": u.get("id"),
        "incident_id": u.get("incident_id"),
    }


def _incident(i: Json) -> Json:
    maintenance = "scheduled_for" in i
    return {
        "name": i.get("name"),
        "status": i.get("status"),
        "created_at": i.get("created_at"),
        "updated_at": i.get("updated_at"),
        "monitoring_at": i.get("monitoring_at"),
        "resolved_at": i.get("resolved_at"),
        "impact": i.get("impact"),
        "shortlink": i.get("shortlink"),
        "postmortem_ignored": False,
        "postmortem_body": None,
        "postmortem_body_last_updated_at": None,
        "postmortem_published_at": None,
        "postmortem_notified_subscribers": False,
        "postmortem_notified_twitter": False,
        "backfilled": False,
        "scheduled_for": i.get("scheduled_for"),
        "scheduled_until": i.get("scheduled_until"),
        "scheduled_remind_prior": False,
        "scheduled_reminded_at": None,
        "impact_override": None,
        # Our maintenance moves with its window by itself, as Statuspage's automatic one does.
        "scheduled_auto_in_progress": maintenance,
        "scheduled_auto_completed": maintenance,
        "id": i.get("id"),
        "page_id": i.get("page_id"),
        "incident_updates": [_update(u) for u in i.get("incident_updates") or []],
        "components": [_component(c) for c in i.get("components") or []],
    }


def payload(message: Message) -> dict[str, Any]:
    """The webhook body for one event."""
    event = message.event
    body: dict[str, Any] = {
        "meta": {
            "unsubscribe": message.unsubscribe,
            "documentation": DOCUMENTATION,
            "generated_at": message.generated_at,
        },
        "page": _page(message),
    }
    if event.kind == "component":
        component = event.subject
        body["component"] = _component(component)
        body["component_update"] = {
            "old_status": event.old_status,
            "new_status": component.get("status"),
            "created_at": component.get("updated_at"),
            "component_type": "Component",
            "id": short_id("component_update", event.id),
            "component_id": component.get("id"),
        }
    else:
        body["incident"] = _incident(event.subject)
    return body
