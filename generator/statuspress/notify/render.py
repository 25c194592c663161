"""Text messages: a Jinja template per channel, overridable in the site's theme folder.

A channel's ``template`` (default ``message.txt``) is looked up in ``<theme_dir>/notify/``
first, then among the built-ins (``statuspress/notify/templates/``); ``default:message.txt``
always names the built-in, so an override can include it. The first line rendered is the
message title, the rest its body. The context (docs/notifications.md) holds public API data
only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import jinja2

from ..errors import BuildError
from ..public.machine import COMPONENT_LABELS, STATUS_LABELS
from .events import Event, moment

TEMPLATES = Path(__file__).parent / "templates"
HEADLINES = {
    "incident.created": "New incident",
    "incident.updated": "Incident update",
    "incident.resolved": "Resolved",
    "component.updated": "Status change",
    "maintenance.scheduled": "Maintenance scheduled",
    "maintenance.started": "Maintenance in progress",
    "maintenance.completed": "Maintenance completed",
}
# The same words as the feeds and the calendar (public.machine), capitalised for a message.
LABELS = {**STATUS_LABELS, **{k: v.capitalize() for k, v in COMPONENT_LABELS.items()}}


def _label(value: Any) -> str:
    text = str(value or "")
    return LABELS.get(text, text.replace("_", " ").capitalize())


def _when(value: Any) -> str:
    """An API timestamp as ``2026-11-27 12:10 +01:00`` (the page's zone, as the API has it)."""
    if not value:
        return ""
    at = moment(str(value))
    offset = at.utcoffset() or dt.timedelta(0)
    if not offset:
        return at.strftime("%Y-%m-%d %H:%M UTC")
    return at.strftime("%Y-%m-%d %H:%M ") + at.strftime("%z")[:3] + ":" + at.strftime("%z")[3:]


def make_env(theme_dir: Path | None) -> jinja2.Environment:
    builtin = jinja2.FileSystemLoader(str(TEMPLATES))
    loaders: list[jinja2.BaseLoader] = [jinja2.PrefixLoader({"default": builtin}, delimiter=":")]
    if theme_dir is not None and (theme_dir / "notify").is_dir():
        loaders.append(jinja2.FileSystemLoader(str(theme_dir / "notify")))
    loaders.append(builtin)
    # Plain text, not HTML: no autoescaping (the values are public API text already).
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["label"] = _label
    env.filters["when"] = _when
    return env


def context(event: Event) -> dict[str, Any]:
    """What a template sees (documented in docs/notifications.md)."""
    subject = event.subject
    component = event.kind == "component"
    page = {"name": event.page.get("name", ""), "url": event.page.get("url", "")}
    return {
        "event": {"id": event.id, "type": event.type, "at": event.at},
        "kind": "maintenance" if event.type.startswith("maintenance.") else event.kind,
        "headline": HEADLINES.get(event.type, event.type),
        "title": subject.get("name", ""),
        # An incident event tells the status of its own update (several can arrive at once);
        # maintenance and service events the state they announce.
        "status": (event.update or {}).get("status") or subject.get("status", "")
        if event.kind == "incident"
        else subject.get("status", ""),
        "impact": event.impact,
        "update": (event.update or {}).get("body") or "",
        "services": [subject.get("name", "")]
        if component
        else [c.get("name", "") for c in subject.get("components") or []],
        "link": subject.get("shortlink") or page["url"],
        "old_status": event.old_status or "",
        "new_status": subject.get("status", "") if component else "",
        "scheduled_for": subject.get("scheduled_for") or "",
        "scheduled_until": subject.get("scheduled_until") or "",
        "page": page,
    }


def render(env: jinja2.Environment, template: str, event: Event, channel: str) -> tuple[str, str]:
    """(title, body) of one message; a broken template is an error naming the channel."""
    try:
        text = env.get_template(template).render(context(event))
    except jinja2.TemplateNotFound:
        raise BuildError(
            f"notify channel '{channel}': template '{template}' not found "
            "(looked in the theme's notify/ folder and the built-ins)"
        ) from None
    except jinja2.TemplateError as exc:
        where = ""
        if isinstance(exc, jinja2.TemplateSyntaxError):
            where = f"{exc.filename}:{exc.lineno}: "
        raise BuildError(f"notify channel '{channel}': template error: {where}{exc}") from None
    title, _, body = text.strip().partition("\n")
    return title.strip(), body.strip()
