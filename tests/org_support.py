"""Random organisations for the boundary and sanitisation property tests.

Hypothesis draws the *shape* of an organisation (how many public and internal services and
groups, which incidents are public, gamedays, maintenances, resolved, with which postmortem
status, known errors, runbooks, references...) and a ``Texts`` object supplies every text
field. The content written is always valid, so ``build`` succeeds and every difference in the
output comes from the texts.

Each text field gets its own value: an internal field's value is a canary that must never
reach the public site, a public field's value is whatever the test wants to see there (a
canary that must appear, or an attack payload that must come out harmless).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


@dataclass
class Texts:
    """Hands out one value per text field and remembers which were public or internal."""

    public: Callable[[str], str]
    internal: Callable[[str], str]
    internal_id: Callable[[str], str]
    """An id-shaped internal value ([a-z0-9-]): internal service ids, file names."""
    public_values: list[str] = field(default_factory=list)
    internal_values: list[str] = field(default_factory=list)

    def pub(self, what: str) -> str:
        value = self.public(what)
        self.public_values.append(value)
        return value

    def priv(self, what: str) -> str:
        value = self.internal(what)
        self.internal_values.append(value)
        return value

    def priv_id(self, what: str) -> str:
        value = self.internal_id(what)
        self.internal_values.append(value)
        return value


@dataclass(frozen=True)
class IncidentShape:
    kind: str  # incident, maintenance, gameday
    public: bool
    services: tuple[int, ...]  # indexes into the service list
    severity: str
    resolved: bool
    postmortem: str  # "", draft, in_review, published
    updates: int
    action_items: int
    with_known_error: bool
    with_runbook: bool
    related: int  # index of another incident, or -1
    future: bool  # maintenance: upcoming window


@dataclass(frozen=True)
class OrgShape:
    public_services: int
    internal_services: int
    shared_group: bool  # an internal service in a group with public ones
    incidents: tuple[IncidentShape, ...]
    known_errors: int
    runbooks: int


def incident_shapes(n_services: int) -> st.SearchStrategy[IncidentShape]:
    return st.builds(
        IncidentShape,
        kind=st.sampled_from(["incident", "incident", "incident", "maintenance", "gameday"]),
        public=st.sampled_from([True, True, False]),
        services=st.lists(st.integers(0, n_services - 1), min_size=1, max_size=3, unique=True).map(
            tuple
        ),
        severity=st.sampled_from(["SEV-1", "SEV-2", "SEV-3", "SEV-4"]),
        resolved=st.booleans(),
        postmortem=st.sampled_from(["", "draft", "in_review", "published"]),
        updates=st.integers(1, 3),
        action_items=st.integers(0, 2),
        with_known_error=st.booleans(),
        with_runbook=st.booleans(),
        related=st.integers(-1, 5),
        future=st.booleans(),
    )


@st.composite
def org_shapes(draw: st.DrawFn) -> OrgShape:
    public = draw(st.integers(1, 3))
    internal = draw(st.integers(0, 3))
    return OrgShape(
        public_services=public,
        internal_services=internal,
        shared_group=draw(st.booleans()),
        incidents=tuple(draw(st.lists(incident_shapes(public + internal), min_size=1, max_size=6))),
        known_errors=draw(st.integers(0, 2)),
        runbooks=draw(st.integers(0, 2)),
    )


def _ts(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _front(data: dict[str, Any], body: str) -> str:
    return (
        "---\n"
        + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
        + "---\n\n"
        + body
        + "\n"
    )


RUNBOOK_SECTIONS = ("Symptoms and detection", "Diagnosis", "Resolution", "Rollback", "Escalation")


def write_org(root: Path, shape: OrgShape, texts: Texts) -> Path:
    """Write the organisation's content/ under ``root`` and return its path."""
    content = root / "content"
    for folder in ("incidents/2026", "known-errors", "runbooks"):
        (content / folder).mkdir(parents=True, exist_ok=True)
    site = {
        "title": texts.pub("site title"),
        "description": texts.pub("site description"),
        "base_url": "https://status.example.com/",
        "internal_url": f"https://{texts.priv_id('internal url')}.example.com/",
        "timezone": "Europe/Berlin",
        "support_url": "https://help.example.com/",
    }
    (content / "site.yaml").write_text(
        yaml.safe_dump(site, sort_keys=False, allow_unicode=True, width=10_000), encoding="utf-8"
    )

    # Services: public ones in group "shop"; internal ones in their own internal group, or
    # (shared_group) in "shop" too, which then stays public because public services use it.
    groups = [{"id": "shop", "name": texts.pub("group name"), "description": texts.pub("group")}]
    internal_group = texts.priv_id("internal group id")
    groups.append(
        {
            "id": internal_group,
            "name": texts.priv("internal group name"),
            "description": texts.priv("internal group description"),
        }
    )
    services: list[dict[str, Any]] = []
    public_ids: list[str] = []
    for i in range(shape.public_services):
        sid = f"svc-{i}"
        public_ids.append(sid)
        services.append(
            {
                "id": sid,
                "name": texts.pub("service name"),
                "group": "shop",
                "description": texts.pub("service description"),
                "public": True,
                "tier": 1 + i % 4,
                "owner": texts.priv("service owner"),
                "routing": {
                    "primary": texts.priv("routing primary"),
                    "secondary": texts.priv("routing secondary"),
                    "commander": texts.priv("routing commander"),
                },
                "severity_criteria": {"SEV-1": texts.priv("severity criteria")},
            }
        )
    for _ in range(shape.internal_services):
        services.append(
            {
                "id": texts.priv_id("internal service id"),
                "name": texts.priv("internal service name"),
                "group": "shop" if shape.shared_group else internal_group,
                "description": texts.priv("internal service description"),
                "public": False,
                "owner": texts.priv("internal service owner"),
                "routing": {"primary": texts.priv("internal routing")},
            }
        )
    (content / "services.yaml").write_text(
        yaml.safe_dump(
            {"groups": groups, "services": services},
            sort_keys=False,
            allow_unicode=True,
            width=10_000,
        ),
        encoding="utf-8",
    )
    service_ids = [s["id"] for s in services]

    known_errors = []
    for n in range(1, shape.known_errors + 1):
        ke_id = f"KE-{n:04d}"
        known_errors.append(ke_id)
        front = {
            "title": texts.priv("known error title"),
            "status": "known_error",
            "services": [service_ids[n % len(service_ids)]],
            "symptoms": [texts.priv("symptom")],
            "signatures": [texts.priv("signature")],
            "owner": texts.priv("known error owner"),
            "review_by": "2027-06-01",
            "problem": texts.priv("problem ticket"),
            "fix_ref": texts.priv("fix ref"),
        }
        body = (
            f"## Symptoms\n\n{texts.priv('ke symptoms body')}\n\n"
            f"## Workaround\n\n{texts.priv('workaround')}\n\n"
            f"## Root cause\n\n{texts.priv('root cause')}\n\n## Fix\n\n{texts.priv('fix')}"
        )
        slug = texts.priv_id("known error slug")
        (content / f"known-errors/{ke_id}-{slug}.md").write_text(
            _front(front, body), encoding="utf-8"
        )

    runbooks = []
    for n in range(shape.runbooks):
        rb_id = texts.priv_id("runbook id")
        runbooks.append(rb_id)
        front = {
            "title": texts.priv("runbook title"),
            "services": [service_ids[n % len(service_ids)]],
            "owner": texts.priv("runbook owner"),
            "last_reviewed": "2026-11-01",
            "alerts": [texts.priv("alert")],
            "known_errors": known_errors[:1],
        }
        body = "\n\n".join(f"## {s}\n\n{texts.priv('runbook ' + s)}" for s in RUNBOOK_SECTIONS)
        (content / f"runbooks/{rb_id}.md").write_text(_front(front, body), encoding="utf-8")

    def is_public(inc: IncidentShape) -> bool:
        # The content model's rule: public, not a gameday, touching a public service.
        touched = [service_ids[i] for i in inc.services]
        return inc.public and inc.kind != "gameday" and any(s in public_ids for s in touched)

    ids = [
        f"incident-{index}" if is_public(inc) else texts.priv_id("private incident id")
        for index, inc in enumerate(shape.incidents)
    ]
    for index, inc in enumerate(shape.incidents):
        touched = [service_ids[i] for i in inc.services]
        text = texts.pub if is_public(inc) else texts.priv
        start = NOW - dt.timedelta(days=3 + 5 * index, hours=index)
        front: dict[str, Any] = {"title": text("incident title")}
        if inc.kind != "incident":
            front["kind"] = inc.kind
        if not inc.public:
            front["public"] = False
        front["severity"] = inc.severity
        front["impact"], front["urgency"] = "high", "medium"
        if inc.kind == "maintenance":
            front["services"] = {s: "under_maintenance" for s in touched}
            window = NOW + dt.timedelta(days=2 + index) if inc.future else start
            end = window + dt.timedelta(hours=2)
            front["started_at"] = _ts(window)
            front["scheduled_start"] = _ts(window)
            front["scheduled_end"] = _ts(end)
            updates = [
                {
                    "at": _ts(min(window, NOW) - dt.timedelta(days=1)),
                    "status": "scheduled",
                    "message": text("update message"),
                }
            ]
            if not inc.future:
                front["resolved_at"] = _ts(end)
                updates.append(
                    {"at": _ts(end), "status": "completed", "message": text("update message")}
                )
        else:
            front["services"] = {s: "major_outage" for s in touched}
            front["started_at"] = _ts(start)
            front["detected_at"] = _ts(start + dt.timedelta(minutes=3, seconds=17))
            front["acknowledged_at"] = _ts(start + dt.timedelta(minutes=5, seconds=51))
            updates = []
            for u in range(inc.updates):
                entry: dict[str, Any] = {
                    "at": _ts(start + dt.timedelta(minutes=10 * (u + 1))),
                    "status": ["investigating", "identified", "monitoring"][u % 3],
                    "message": text("update message"),
                    "services": {s: "partial_outage" for s in touched},
                }
                updates.append(entry)
            if inc.resolved:
                end = start + dt.timedelta(minutes=10 * inc.updates + 30)
                front["mitigated_at"] = _ts(end - dt.timedelta(minutes=7, seconds=13))
                front["resolved_at"] = _ts(end)
                front["closed_at"] = _ts(end + dt.timedelta(days=1, seconds=29))
                updates.append(
                    {
                        "at": _ts(end),
                        "status": "resolved",
                        "message": text("update message"),
                        "services": {s: "operational" for s in touched},
                    }
                )
        front["detection"] = "monitoring"
        front["reporter"] = texts.priv("reporter")
        front["commander"] = texts.priv("commander")
        front["responders"] = [texts.priv("responder")]
        front["escalated"] = [texts.priv("escalated")]
        front["category"] = {
            "system": texts.priv("category system"),
            "type": texts.priv("category type"),
            "cause": texts.priv("category cause"),
        }
        if inc.with_known_error and known_errors:
            front["known_errors"] = known_errors[:1]
        if inc.with_runbook and runbooks:
            front["runbooks"] = runbooks[:1]
        if 0 <= inc.related < len(ids) and inc.related != index:
            front["related"] = [ids[inc.related]]
        front["affected_users"] = 4242
        front["updates"] = updates
        if inc.postmortem:
            summary = (
                text("postmortem summary")
                if inc.postmortem == "published"
                else texts.priv("unpublished summary")
            )
            front["postmortem"] = {
                "status": inc.postmortem,
                "owner": texts.priv("postmortem owner"),
                "public_summary": summary,
            }
        items = []
        for a in range(inc.action_items):
            items.append(
                {
                    "id": f"AI-{index}-{a}",
                    "title": texts.priv("action title"),
                    "owner": texts.priv("action owner"),
                    "due": "2027-01-15",
                    "priority": "P2",
                    "type": "prevent",
                    "ticket": texts.priv("action ticket"),
                }
            )
        if items:
            front["action_items"] = items
        body = (
            f"## Summary\n\n{texts.priv('incident body')}\n\n"
            f"## Timeline\n\n{texts.priv('timeline')}\n"
        )
        (content / f"incidents/2026/{ids[index]}.md").write_text(
            _front(front, body), encoding="utf-8"
        )
    return content
