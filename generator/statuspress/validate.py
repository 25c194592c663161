"""Cross-file and semantic checks: references, timelines, required sections, warnings.

Runs after every file has been read and schema-checked, so it sees the whole catalog and can
say "unknown service 'payment-api' (did you mean 'payments-api'?)".
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Collection
from typing import Any

from . import bodies, completeness, patterns
from . import definitions as d
from .derive import POSTMORTEM_GRACE
from .errors import Diagnostics, did_you_mean
from .models import Content, Incident, KnownError, Runbook, Source
from .yaml import LList, LMap

Ref = tuple[str, int, int, str]
"""A reference to another file: field (related, known_errors, runbooks), line, index, id."""

_KE = re.compile(r"(KE-[0-9]{4,})(?:-|\.md$)")


FUTURE_MARGIN = dt.timedelta(hours=24)
"""How far after "now" an incident may say it started: clocks and hand-written offsets differ,
but nothing that has not happened yet is an incident (planned work is ``kind: maintenance``)."""
MAINTENANCE_HORIZON = dt.timedelta(days=366)
"""Maintenance announced further ahead than this gets a warning: most likely a mistyped year."""


def line_at(node: Any, *path: str | int) -> int:
    """Line of a nested key or item in raw front matter; the nearest known line otherwise."""
    line = getattr(node, "line", 0)
    for step in path:
        if isinstance(node, LMap) and isinstance(step, str) and step in node:
            line = node.line_of(step)
            node = node[step]
        elif isinstance(node, LList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.line_of(step)
            node = node[step]
        else:
            break
    return line


def _iso(value: dt.datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _age(delta: dt.timedelta) -> str:
    """``3 days`` or ``30 hours``: how long, to the unit a reader cares about."""
    hours = int(delta.total_seconds() // 3600)
    if hours >= 48:
        return f"{hours // 24} days"
    return f"{hours} hour{'s' if hours != 1 else ''}"


class Validator:
    def __init__(self, content: Content, diags: Diagnostics, now: dt.datetime) -> None:
        self.content = content
        self.diags = diags
        self.now = now
        self.today = now.astimezone(content.site.tz).date()
        self._present: dict[str, set[str]] | None = None

    def present(self, what: str) -> set[str]:
        """Ids whose file exists but could not be read: their own errors are reported, so a
        reference to them must not add "unknown ..." for every file that uses them."""
        if self._present is None:
            root = self.content.root
            runbooks = {p.name[:-3] for p in root.glob("runbooks/*.md")}
            known = {
                m.group(1) for p in root.glob("known-errors/KE-*.md") if (m := _KE.match(p.name))
            }
            self._present = {"runbook": runbooks, "known error": known}
        return self._present.get(what, set())

    def ref(
        self, path: str, line: int, field: str, value: str, pool: Collection[str], what: str
    ) -> None:
        if value in pool:
            return
        if what == "service" and not pool and (self.content.root / "services.yaml").is_file():
            return  # the catalog itself failed; its errors say why
        if value in self.present(what):
            return
        self.diags.error(path, line, field, f"unknown {what} '{value}'{did_you_mean(value, pool)}")

    def refs(
        self, path: str, raw: Any, key: str, values: list[str], pool: dict[str, Any], what: str
    ) -> None:
        """Every id listed under ``key`` must name an existing ``what``."""
        for index, value in enumerate(values):
            if value not in pool:
                line = line_at(raw, key, index)
                self.ref(path, line, f"{key}[{index}]", value, pool, what)

    def body(self, source: Source, body: str) -> None:
        bodies.depth(self.diags, source.path, body, source.body_line)

    # -- incidents -------------------------------------------------------------------------
    def incident(self, inc: Incident, resolve: bool = True) -> list[Ref]:
        """Check one incident; return its references to other files.

        With ``resolve`` the references are checked against this validator's content right
        away; the loader passes ``False`` and resolves them once every incident id is known
        (the incidents may be read on several processes).
        """
        path, raw = inc.source.path, inc.source.keys
        self.body(inc.source, inc.body)
        err = self.diags.error
        # A key that is present but invalid was reported by the schema already; the checks
        # below only add what the schema cannot know, so one typo gives one message.
        kind_known = raw.get("kind") in (None, inc.kind)
        if inc.kind == "incident" and not inc.severity and kind_known and not raw.get("severity"):
            err(path, raw.line, "severity", "is required for incidents (SEV-1..SEV-4)")
        if inc.is_maintenance:
            for key in ("scheduled_start", "scheduled_end"):
                if getattr(inc, key) is None and raw.get(key) is None:
                    err(path, raw.line, key, "is required for maintenance (the planned window)")
            if (
                inc.scheduled_start
                and inc.scheduled_end
                and inc.scheduled_end <= inc.scheduled_start
            ):
                err(
                    path,
                    raw.line_of("scheduled_end"),
                    "scheduled_end",
                    f"must be after scheduled_start ({_iso(inc.scheduled_start)})",
                )
        self.timing(inc)
        services = self.content.services
        for service in inc.services:
            if service in services:
                continue  # the common case; finding the line is only worth it for a message
            self.ref(
                path,
                line_at(raw, "services", service),
                f"services.{service}",
                service,
                self.content.services,
                "service",
            )
        # Lifecycle timestamps must be in order; report on the later field.
        previous: tuple[str, dt.datetime] | None = None
        for key in d.LIFECYCLE:
            value = getattr(inc, key)
            if value is None:
                continue
            if previous and value < previous[1]:
                err(
                    path,
                    raw.line_of(key),
                    key,
                    f"{_iso(value)} is before {previous[0]} ({_iso(previous[1])})",
                )
            previous = (key, value)
        if inc.closed_at and not inc.resolved_at:
            err(path, raw.line_of("closed_at"), "closed_at", "set but resolved_at is missing")
        allowed = (
            d.MAINTENANCE_UPDATE_STATUSES if inc.is_maintenance else d.INCIDENT_UPDATE_STATUSES
        )
        last_at: dt.datetime | None = None
        for index, update in enumerate(inc.updates):
            field = f"updates[{index}]"
            if update.status not in allowed and kind_known:
                kind = "maintenance" if inc.is_maintenance else "an incident"
                err(
                    path,
                    line_at(raw, "updates", index, "status"),
                    f"{field}.status",
                    f"'{update.status}' is not a status for {kind}; "
                    f"use one of {', '.join(allowed)}",
                )
            at = update.at
            if (
                (last_at and at < last_at)
                or (not inc.is_maintenance and at < inc.started_at)
                or (inc.resolved_at and at > inc.resolved_at)
            ):
                at_line = line_at(raw, "updates", index, "at")
            if last_at and update.at < last_at:
                err(
                    path,
                    at_line,
                    f"{field}.at",
                    f"{_iso(update.at)} is earlier than the update before it ({_iso(last_at)})",
                )
            if not inc.is_maintenance and update.at < inc.started_at:
                err(
                    path,
                    at_line,
                    f"{field}.at",
                    f"{_iso(update.at)} is before started_at ({_iso(inc.started_at)})",
                )
            if inc.resolved_at and update.at > inc.resolved_at:
                err(
                    path,
                    at_line,
                    f"{field}.at",
                    f"{_iso(update.at)} is after resolved_at ({_iso(inc.resolved_at)})",
                )
            # An earlier 'resolved' followed by more updates is a reopened incident: the
            # timeline keeps it (history stays honest) and resolved_at waits for the new end.
            if (
                update.status == "resolved"
                and not inc.resolved_at
                and raw.get("resolved_at") is None
                and index == len(inc.updates) - 1
            ):
                err(
                    path,
                    line_at(raw, "updates", index, "status"),
                    f"{field}.status",
                    "'resolved' but the incident has no resolved_at",
                )
            for service in update.services:
                if service not in inc.services and not self.meant(inc, service):
                    err(
                        path,
                        line_at(raw, "updates", index, "services", service),
                        f"{field}.services.{service}",
                        "not one of the incident's services; add it to `services` too",
                    )
            last_at = update.at
        if inc.resolved_at and inc.updates and not inc.is_maintenance:
            if inc.updates[-1].status != "resolved":
                err(
                    path,
                    line_at(raw, "updates", len(inc.updates) - 1, "status"),
                    f"updates[{len(inc.updates) - 1}].status",
                    "the incident is resolved but its last public update says "
                    f"'{inc.updates[-1].status}'; add a 'resolved' update",
                )
        self.translations(inc)
        refs = self.references(inc)
        if resolve:
            self.resolve(path, refs, self.pools(self.content.incidents))
        self.action_items(inc)
        completeness.placeholders(self.diags, inc, self.now)
        completeness.closure(self.diags, inc, self.content.site)
        if (
            inc.kind == "incident" and inc.severity in ("SEV-1", "SEV-2") and inc.resolved_at
            and self.now - inc.resolved_at > POSTMORTEM_GRACE and inc.postmortem is None
        ):  # fmt: skip
            self.diags.warning(
                path,
                raw.line_of("resolved_at"),
                "postmortem",
                f"{inc.severity} resolved more than 5 days ago has no postmortem",
            )
        return refs

    def translations(self, inc: Incident) -> None:
        """With ``require_translations``: every public text in every other site language."""
        site = self.content.site
        others = site.languages[1:] if site.require_translations else []
        others = [t for t in others if t.lower() != site.language.lower()]
        if not others or not inc.public or inc.is_gameday:
            return
        path, raw = inc.source.path, inc.source.keys
        for tag in others:
            if tag not in inc.titles:
                self.diags.error(
                    path, raw.line_of("title"), f"title_{tag}",
                    f"is missing: site.yaml sets require_translations and lists '{tag}'",
                )  # fmt: skip
            for index, update in enumerate(inc.updates):
                if tag not in update.messages:
                    self.diags.error(
                        path, line_at(raw, "updates", index), f"updates[{index}].message_{tag}",
                        f"is missing: site.yaml sets require_translations and lists '{tag}'",
                    )  # fmt: skip

    def action_items(self, inc: Incident) -> None:
        """Duplicate ids, and open P0/P1 items that are overdue or can never be."""
        if not inc.action_items:
            return
        path, raw = inc.source.path, inc.source.keys
        items_raw = raw.get("action_items")
        # An item missing a required key is reported by the schema and left out of the
        # model, so the model's position is not the file's: find each item by its line.
        lines = items_raw.lines if isinstance(items_raw, LList) else []
        seen: dict[str, int] = {}
        index = -1
        for item in inc.action_items:
            # The model keeps the file's order, so the item is the next one on its line (a
            # flow list may hold several items on one line).
            index += 1
            while index < len(lines) and lines[index] != item.line:
                index += 1
            if index >= len(lines):
                index = 0
            field = f"action_items[{index}]"
            if item.id in seen:
                self.diags.error(
                    path,
                    line_at(raw, "action_items", index, "id"),
                    f"{field}.id",
                    f"duplicate action item id '{item.id}' (first at line {seen[item.id]})",
                )
            seen.setdefault(item.id, item.line)
            if item.status != "open" or item.priority not in ("P0", "P1"):
                continue
            written = items_raw[index] if isinstance(items_raw, LList) else {}
            if item.due is None and "due" not in written:
                # Without a deadline an urgent item can never become overdue, so nobody is
                # ever reminded of it. (A `due` that is present but invalid is a schema error.)
                self.diags.warning(
                    path,
                    item.line,
                    f"{field}.due",
                    f"open {item.priority} action item '{item.id}' has no due date; add one "
                    "(due: a day, e.g. 2026-12-31)",
                )
            elif item.due is not None and item.due < self.today:
                self.diags.warning(
                    path,
                    line_at(raw, "action_items", index, "due"),
                    f"{field}.due",
                    f"{item.priority} action item '{item.id}' is overdue "
                    f"(due {item.due.isoformat()})",
                )

    def meant(self, inc: Incident, service: str) -> bool:
        """Whether an update's ``service`` is probably what a key of the incident's `services`
        meant to say when that key was already reported (unknown id, invalid id or status):
        then "not one of the incident's services" would only repeat the cause."""
        written = inc.source.keys.get("services")
        if not isinstance(written, LMap):
            return False
        known = self.content.services
        broken = [str(k) for k in written if k not in inc.services or k not in known]
        lowered = [b.lower() for b in broken]
        return service in broken or bool(difflib.get_close_matches(service, lowered, 1, 0.6))

    # -- references between files ------------------------------------------------------------
    # The one place the cross-file reference rules of incidents live: every reference field,
    # what it names and where its ids come from. A new reference field is added here only.
    REFERENCES = {"related": "incident", "known_errors": "known error", "runbooks": "runbook"}

    def references(self, inc: Incident) -> list[Ref]:
        """The ids an incident names in other files, each with its line and index."""
        raw = inc.source.keys
        refs: list[Ref] = []
        for key in self.REFERENCES:
            for index, value in enumerate(getattr(inc, key)):
                if key == "related" and value == inc.id:
                    self.diags.error(
                        inc.source.path,
                        line_at(raw, "related", index),
                        f"related[{index}]",
                        "an incident cannot be related to itself",
                    )
                    continue
                refs.append((key, line_at(raw, key, index), index, value))
        return refs

    def pools(self, incident_ids: Collection[str]) -> dict[str, Collection[str]]:
        """Where each reference field's ids must exist, given every incident id."""
        return {
            "related": incident_ids,
            "known_errors": self.content.known_errors,
            "runbooks": self.content.runbooks,
        }

    def resolve(self, path: str, refs: list[Ref], pools: dict[str, Collection[str]]) -> None:
        """Report every reference of one file that names nothing."""
        for key, line, index, value in refs:
            pool = pools[key]
            if value not in pool:
                self.ref(path, line, f"{key}[{index}]", value, pool, self.REFERENCES[key])

    def timing(self, inc: Incident) -> None:
        """Problems that depend on "now": the future, and records nobody has kept up."""
        path, raw, now = inc.source.path, inc.source.keys, self.now
        if inc.kind == "incident" and inc.started_at > now + FUTURE_MARGIN:
            # It would show as in progress today (and stretch the history to its month).
            self.diags.error(
                path,
                raw.line_of("started_at"),
                "started_at",
                f"{_iso(inc.started_at)} is in the future (now is {_iso(now)}); an incident "
                "cannot start more than 24 hours from now (planned work is kind: maintenance)",
            )
            return
        if inc.is_maintenance and inc.scheduled_start:
            if inc.scheduled_start > now + MAINTENANCE_HORIZON:
                self.diags.warning(
                    path,
                    raw.line_of("scheduled_start"),
                    "scheduled_start",
                    f"{_iso(inc.scheduled_start)} is more than a year ahead (now is "
                    f"{_iso(now)}); is the year right?",
                )
            end = inc.scheduled_end
            done = any(u.status == "completed" and u.at <= now for u in inc.updates)
            if end is not None and end <= now and not done:
                self.diags.warning(
                    path,
                    raw.line_of("scheduled_end"),
                    "scheduled_end",
                    f"the maintenance window ended {_iso(end)} without a 'completed' update; "
                    f"post one (statuspress update {inc.id} --status completed)",
                )
        if inc.kind != "incident" or (inc.resolved_at is not None and inc.resolved_at <= now):
            return
        # Active: the public page promises updates, so a long silence is a finding. Not when
        # the file says it is over in a way already reported as an error (an invalid
        # resolved_at, closed_at or a final 'resolved' update without resolved_at).
        posted = [(index, u) for index, u in enumerate(inc.updates) if u.at <= now]
        over = raw.get("resolved_at") is not None or inc.closed_at is not None
        if over or (posted and posted[-1][1].status == "resolved"):
            return
        last = posted[-1][1].at if posted else inc.started_at
        limit = self.content.site.stale_update_hours
        if now - last > dt.timedelta(hours=limit):
            line = (
                line_at(raw, "updates", posted[-1][0], "at")
                if posted
                else raw.line_of("started_at")
            )
            since = "public update" if posted else "public update since it started"
            self.diags.warning(
                path,
                line,
                "updates",
                f"active incident has had no {since} for {_age(now - last)} (last "
                f"{_iso(last)}; stale_update_hours: {limit}); post an update or resolve it",
            )

    # -- known errors ----------------------------------------------------------------------
    def known_error(self, ke: KnownError) -> None:
        path, raw = ke.source.path, ke.source.keys
        self.body(ke.source, ke.body)
        self.refs(path, raw, "services", ke.services, self.content.services, "service")
        for index, sig in enumerate(ke.signatures):
            if sig.startswith(patterns.PREFIX):
                # `match` runs patterns with RE2 (linear time), so RE2 decides what is valid.
                why = patterns.problem(sig[len(patterns.PREFIX) :])
                if why:
                    self.diags.error(
                        path, line_at(raw, "signatures", index), f"signatures[{index}]", why
                    )
        if ke.status == "known_error":
            bodies.workaround(self.diags, path, raw, ke.sections)
        if ke.review_by and ke.review_by < self.today and ke.status not in ("resolved", "retired"):
            self.diags.warning(
                path,
                raw.line_of("review_by"),
                "review_by",
                f"review was due {ke.review_by.isoformat()}",
            )

    # -- runbooks --------------------------------------------------------------------------
    def runbook(self, rb: Runbook) -> None:
        path, raw = rb.source.path, rb.source.keys
        self.body(rb.source, rb.body)
        self.refs(path, raw, "services", rb.services, self.content.services, "service")
        known = self.content.known_errors
        self.refs(path, raw, "known_errors", rb.known_errors, known, "known error")
        bodies.runbook_sections(self.diags, path, rb.sections, rb.source.body_line)
        if rb.due_for_review < self.today:
            key = "review_by" if rb.review_by else "last_reviewed"
            self.diags.warning(
                path,
                raw.line_of(key),
                key,
                f"runbook is stale: review was due {rb.due_for_review.isoformat()}",
            )
