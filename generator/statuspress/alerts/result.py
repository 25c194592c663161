"""What the intake steps share: the systems' display names, the log heading, the result the
command summarises, and reading an incident's front matter back."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import StatuspressError, display_path
from ..readers import INCIDENT_ID, split_front_matter
from ..yaml import load
from .base import Alert

LOG_HEADING = "## Alert log"
SYSTEMS = {
    "alertmanager": "Alertmanager",
    "grafana": "Grafana",
    "pagerduty": "PagerDuty",
    "opsgenie": "Opsgenie",
    "datadog": "Datadog",
}


@dataclass(slots=True)
class IntakeResult:
    """What one payload did, for the command's one-line summary."""

    action: str
    """``created``, ``updated``, ``unchanged`` (already recorded) or ``ignored``."""
    alert: Alert
    path: Path | None = None
    services: list[str] = field(default_factory=list)
    severity: str = ""
    suggestions: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        system = SYSTEMS.get(self.alert.source, self.alert.source)
        shown = display_path(self.path) if self.path else ""
        head = f"{system} alert {self.alert.status}"
        if self.action == "created":
            text = (
                f"Created {shown} ({head}): {self.severity}, {', '.join(self.services)}, "
                f"{self.suggestions} suggestions; a draft (public: false) until a writer "
                "publishes it"
            )
        elif self.action == "updated":
            text = f"Updated {shown} ({head})"
        elif self.action == "unchanged":
            text = f"Nothing to change: {shown} already records this event ({head})"
        else:
            text = f"Nothing written ({head})"
        return "; ".join([text, *self.notes])


def front_matter(text: str) -> tuple[Any, list[Any], str]:
    parts = split_front_matter(
        text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    )
    if parts is None:
        raise StatuspressError("the incident has no front matter")
    value, problems = load(parts[0], parts[1])
    return value, problems, parts[2]


def check_id(stem: str) -> None:
    if not INCIDENT_ID.fullmatch(stem):  # slugify makes ids; never write any other name
        raise StatuspressError(f"cannot make a file name from '{stem}'")
