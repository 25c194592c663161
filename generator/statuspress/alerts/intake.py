"""``statuspress new incident --from-alert``: an alert becomes a draft incident, and the same
alert's later events update it.

- The alert's services come from the ``alerts:`` matchers in services.yaml; no match is a
  refusal that lists the services and shows the matcher to add.
- The severity comes from site.yaml's ``alert_severity`` (priority, then the severity word,
  then PagerDuty urgency, then the default), the services' initial status from the severity.
- The draft is ``public: false``: nothing reaches the status page until a writer publishes it.
  Its body holds the alert's details and the top ``statuspress match`` results on the alert's
  text (the same function, so the same ranking as the command).
- A later event with the same dedup key edits the open incident instead: an acknowledgement
  sets ``acknowledged_at`` when it is empty, every event is logged under ``## Alert log``, and
  a resolution is reported as a suggestion to resolve (a writer decides). The edit changes
  those lines only; the rest of the file stays byte for byte.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sys
from pathlib import Path
from typing import Any

from ..authoring.common import Catalog, load_catalog, quoted
from ..derive import World, derive
from ..errors import ContentError, StatuspressError, display_path
from ..internal.match import rank
from ..models import AlertSeverity, Content, Incident, Service
from ..readers import Reader
from . import MAX_PAYLOAD_BYTES, read_alert
from .base import ACKNOWLEDGED, FIRING, Alert, PayloadError
from .draft import write_draft
from .followup import follow_up
from .render import clean, inline, suggestions_section
from .result import SYSTEMS, IntakeResult

SUGGESTIONS = 5
_SAFE_KEY = re.compile(r"[^\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]{1,500}")


def read_payload(source: str) -> bytes:
    """The body of ``source`` (a file, or ``-`` for standard input), refused when too large."""
    if source == "-":
        data = sys.stdin.buffer.read(MAX_PAYLOAD_BYTES + 1)
    else:
        path = Path(source)
        try:
            if not path.is_file():
                raise StatuspressError(f"--from-alert {source}: no such file")
            size = path.stat().st_size
            if size > MAX_PAYLOAD_BYTES:
                raise PayloadError(
                    f"--from-alert {source}: {size} bytes, over the {MAX_PAYLOAD_BYTES}-byte "
                    "limit for an alert payload"
                )
            with path.open("rb") as handle:
                data = handle.read(MAX_PAYLOAD_BYTES + 1)
        except OSError as exc:
            raise StatuspressError(f"cannot read {source}: {exc.strerror or exc}") from None
    if len(data) > MAX_PAYLOAD_BYTES:
        raise PayloadError(f"the alert payload is over the {MAX_PAYLOAD_BYTES}-byte limit")
    return data


def intake(content_dir: Path, data: bytes, *, fmt: str | None, now: dt.datetime) -> IntakeResult:
    """Open a draft incident from one alert payload, or apply it to the alert's open incident."""
    alert = read_alert(data, fmt)
    catalog = load_catalog(content_dir)
    key = stored_key(alert.key)
    same = [
        inc
        for inc in alert_incidents(catalog)  # newest first
        if inc.alert.get("source") == alert.source and inc.alert.get("key") == key
    ]
    open_ones = [inc for inc in same if inc.resolved_at is None]
    if open_ones:
        return follow_up(catalog, catalog.incidents[open_ones[0].id], alert, now)
    if alert.status not in (FIRING, ACKNOWLEDGED):
        why = "has no open incident" + (
            f" (the last one, {same[0].id}, is resolved)" if same else ""
        )
        return IntakeResult("ignored", alert, notes=[f"key {clean(key, 80)} {why}"])
    services = matching_services(catalog.content.services, alert, catalog.root)
    severity, reason = severity_of(alert, catalog.site.alert_severity)
    found = rank(knowledge_base(catalog, now), alert.match_text(), limit=SUGGESTIONS)
    path = write_draft(
        catalog,
        alert,
        key=key,
        services=services,
        severity=severity,
        reason=reason,
        suggestions=suggestions_section(alert.match_text(), found),
        related=[inc.id for inc in same[:1]],
        now=now,
    )
    return IntakeResult("created", alert, path, services, severity, len(found))


def alert_incidents(catalog: Catalog) -> list[Incident]:
    """The incidents opened from alerts, newest first.

    Only files with a top-level ``alert:`` line are read as incidents: on a site with ten
    thousand incidents that is a fraction of a second instead of a full ``check``.
    """
    reader = Reader(catalog.root)
    reader.max_bytes = catalog.site.max_file_bytes
    found = []
    for path in catalog.incidents.values():
        try:
            data = path.read_bytes()
        except OSError:
            continue  # `check` reports unreadable files; an alert cannot live in one
        if b"\nalert:" in data:
            incident = reader.read_incident(path)
            if incident is not None:
                found.append(incident)
    return sorted(found, key=lambda inc: (-inc.started_at.timestamp(), inc.id))


def knowledge_base(catalog: Catalog, now: dt.datetime) -> World:
    """The known errors and runbooks, derived at ``now``: all ``statuspress match`` ranks.

    The same reader, checks and derivation as ``match`` (which loads the whole site): its
    ranking looks at nothing else, so the suggestions are the same.
    """
    reader = Reader(catalog.root)
    reader.max_bytes = catalog.site.max_file_bytes
    content = Content(
        catalog.root, catalog.site, groups=catalog.content.groups, services=catalog.content.services
    )
    reader.read_known_errors(content)
    reader.read_runbooks(content)
    if reader.diags.errors:
        raise ContentError(reader.diags.errors)
    return derive(content, now)


def stored_key(key: str) -> str:
    """The key as the incident stores it: itself when it is one safe line of up to 500
    characters, else a hash of it (the same key always gives the same text)."""
    key = key.strip()
    if _SAFE_KEY.fullmatch(key):
        return key
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return f"sha256:{digest}"


# -- services and severity -------------------------------------------------------------------


def _matches(matcher: dict[str, Any], alert: Alert) -> bool:
    checks: list[bool] = []
    if "labels" in matcher:
        checks.append(all(alert.labels.get(k) == v for k, v in matcher["labels"].items()))
    if "pagerduty_service" in matcher:
        wanted = str(matcher["pagerduty_service"]).casefold()
        checks.append(
            alert.source == "pagerduty" and any(s.casefold() == wanted for s in alert.services)
        )
    for name, source in (("opsgenie_tag", "opsgenie"), ("datadog_tag", "datadog")):
        if name in matcher:
            wanted = str(matcher[name]).casefold()
            checks.append(
                alert.source == source and any(t.casefold() == wanted for t in alert.tags)
            )
    return bool(checks) and all(checks)


def matching_services(services: dict[str, Service], alert: Alert, root: Path) -> list[str]:
    """The ids of the services one of whose matchers fits ``alert``; a refusal when none."""
    found = [sid for sid, svc in services.items() if any(_matches(m, alert) for m in svc.alerts)]
    if found:
        return found
    system = SYSTEMS.get(alert.source, alert.source)
    catalog = display_path(root / "services.yaml")
    listed = ", ".join(services) or "(none)"
    raise StatuspressError(
        f"no service in {catalog} matches this {system} alert ({describe(alert)}).\n"
        f"Services: {listed}.\nAdd a matcher to the service the alert belongs to, e.g.:\n"
        f"  - id: {next(iter(services), 'my-service')}\n    alerts:\n"
        f"      - {example_matcher(alert)}"
    )


def describe(alert: Alert) -> str:
    """What the alert offers to match on, in one line."""
    if alert.source == "pagerduty":
        return "PagerDuty service " + (" / ".join(clean(s, 80) for s in alert.services) or "none")
    if alert.source in ("opsgenie", "datadog"):
        return "tags " + (", ".join(clean(t, 80) for t in alert.tags[:10]) or "none")
    pairs = [f"{clean(k, 60)}={clean(v, 60)}" for k, v in sorted(alert.labels.items())[:10]]
    return "labels " + (", ".join(pairs) or "none")


def example_matcher(alert: Alert) -> str:
    if alert.source == "pagerduty" and alert.services:
        return f"pagerduty_service: {_yaml_text(alert.services[0])}"
    if alert.source == "opsgenie" and alert.tags:
        return f"opsgenie_tag: {_yaml_text(alert.tags[0])}"
    if alert.source == "datadog" and alert.tags:
        preferred = [t for t in alert.tags if t.startswith("service:")] or alert.tags
        return f"datadog_tag: {_yaml_text(preferred[0])}"
    wanted: tuple[str, ...] = ("alertname", "job", "service")
    names = [n for n in wanted if n in alert.labels][:2]
    if not names:
        names = sorted(alert.labels)[:1]
    pairs = ", ".join(f"{_yaml_text(n)}: {_yaml_text(alert.labels[n])}" for n in names)
    return f"labels: {{{pairs}}}"


def _yaml_text(text: str) -> str:
    text = clean(text, 100)
    return text if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*", text) else quoted(text)


def severity_of(alert: Alert, mapping: AlertSeverity) -> tuple[str, str]:
    """The severity for ``alert`` and, for the body, why."""
    for value, table, what in (
        (alert.priority, mapping.priority, "priority"),
        (alert.severity, mapping.label, "severity"),
        (alert.urgency, mapping.urgency, "urgency"),
    ):
        word = value.strip().lower()
        if word and word in table:
            return table[word], f"{table[word]} from {what} {inline(value, 40)}"
    return mapping.default, (
        f"{mapping.default} (site.yaml alert_severity default: the alert has no priority, "
        "severity or urgency the mapping knows)"
    )


__all__ = ["IntakeResult", "intake", "read_payload", "severity_of", "stored_key"]
