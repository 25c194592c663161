"""``statuspress update``: append a public update to an incident, stamped with "now".

Rules (documented in docs/writers-guide.md):

- the new update goes after the last one and may not be earlier than it (nor, for incidents,
  earlier than ``started_at``);
- ``--status resolved`` (maintenance: ``completed``) also sets ``resolved_at`` to the same moment;
- a resolved incident takes no more updates unless ``--reopen`` is given. Reopening keeps the
  history honest: the earlier ``resolved`` update stays in the public timeline, ``resolved_at`` is
  removed (the incident is active again, and its impact window runs on until it is resolved
  anew). The services the resolution changed get back the status they had just before it (the
  reopening update says so), unless ``--service`` gives another: an active incident must not
  show its services as recovered. A closed incident (``closed_at``) cannot be reopened: open a
  new one and list the old one under ``related``;
- ``--service ID=STATUS`` sets a component status from this update on; the service must be one
  of the incident's ``services``.

The file changes by exactly those lines; everything else stays byte-for-byte (comments, key
order, quoting, CRLF line endings). The result is read back and validated before it is written.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import definitions as d
from ..errors import ERROR, StatuspressError, UsageError, did_you_mean
from ..models import Incident
from ..readers import split_front_matter
from ..yaml import load
from . import messages, yamledit
from .common import (
    Catalog,
    check_document,
    check_text,
    iso,
    load_catalog,
    open_incident,
    under_content_lock,
    write_atomic,
)

# Keys that come before resolved_at, in lifecycle order; resolved_at is inserted after the last.
BEFORE_RESOLVED = ("started_at", "detected_at", "acknowledged_at", "mitigated_at")
MESSAGE_MAX = 20_000


def append_update(
    content_dir: Path,
    incident: str,
    *,
    status: str,
    message: str,
    services: list[str],
    now: dt.datetime,
    reopen: bool = False,
    note: Callable[[str], None] | None = None,
    template: str | None = None,
    next_update: int = messages.DEFAULT_NEXT_UPDATE,
) -> Path:
    """Append an update to ``incident`` (an id or a path) and return the file's path.

    ``note`` is told what the update did beyond what was asked (the statuses a reopening
    carried over), in one line.

    With ``template`` (progress, resolution) the message is that communication template filled
    from the incident (``message`` must then be empty).

    Callers hold the content folder's lock (:func:`update_incident` takes it), so parallel
    updates are applied one after the other and none is lost.
    """
    catalog = load_catalog(content_dir)
    path = find_incident(catalog, incident)
    shown, source, inc = open_incident(catalog, path, now)
    if template is not None:
        if message.strip():
            raise UsageError("give either --message or --template, not both")
        message = messages.for_incident(catalog, inc, template, now, next_update)
    message = message.strip()
    check_text("--message", message, MESSAGE_MAX)
    at = _check_update(inc, status, now, reopen)
    changes = _service_changes(catalog, inc, services)
    carried: dict[str, str] = {}
    if inc.resolved_at is not None:  # reopening (refused in _check_update without --reopen)
        carried = {s: st for s, st in before_resolution(inc).items() if s not in changes}
        changes.update(carried)
    item: dict[str, Any] = {"at": iso(at), "status": status, "message": message}
    if changes:
        item["services"] = changes
    ends = status in ("resolved", "completed")

    fm = yamledit.parse(source)
    if inc.resolved_at is not None:  # reopening (refused above without --reopen)
        yamledit.remove_key(fm, "resolved_at")
    if ends:
        yamledit.set_resolved_at(fm, iso(at), BEFORE_RESOLVED)
    yamledit.append_update(fm, item)
    result = fm.result()
    _same_but(source, result, item, iso(at) if ends else None, shown)
    check_document(catalog, "incident", path, result, now)
    if path.read_bytes() != source.encode("utf-8"):
        # Someone saved the file meanwhile (an editor: other statuspress writers wait for the
        # lock): never lose their edit.
        raise StatuspressError(f"{shown} changed while the update was prepared; run it again")
    write_atomic(path, result.encode("utf-8"))
    if carried and note is not None:
        pairs = ", ".join(f"{s}={st}" for s, st in carried.items())
        note(f"reopened with the statuses from before the resolution: {pairs}")
    return path


update_incident = under_content_lock(append_update)
""":func:`append_update` holding the content folder's lock from reading to renaming."""


def before_resolution(inc: Incident) -> dict[str, str]:
    """The services the last resolution changed, each with the status it had just before.

    What a reopened incident starts from again: the problem is back, so the services are not
    operational any more than they were when it was resolved.
    """
    ends = [i for i, u in enumerate(inc.updates) if u.status in ("resolved", "completed")]
    if not ends:
        return {}
    before = dict(inc.services)
    for u in inc.updates[: ends[-1]]:
        before.update((s, st) for s, st in u.services.items() if s in before)
    after = dict(before)
    for u in inc.updates[ends[-1] :]:
        after.update((s, st) for s, st in u.services.items() if s in after)
    return {s: st for s, st in before.items() if after[s] != st}


def find_incident(catalog: Catalog, ref: str) -> Path:
    """An incident by id (file name without .md) or by path; did-you-mean when unknown."""
    if ref.endswith(".md") or "/" in ref or "\\" in ref:
        path = Path(ref)
        if not path.is_file():
            raise StatuspressError(f"no such incident file: {ref}")
        incidents = (catalog.root / "incidents").resolve()
        if incidents not in path.resolve().parents:
            raise StatuspressError(
                f"{ref} is not under {catalog.root / 'incidents'} (pass --content DIR for "
                "another site)"
            )
        return path
    if ref in catalog.incidents:
        return catalog.incidents[ref]
    hint = did_you_mean(ref, catalog.incidents)
    if not hint:
        # People remember the title part, not the date: match on the slug.
        ends = sorted(s for s in catalog.incidents if s.endswith(f"-{ref}"))
        if ends:
            hint = f" (did you mean '{ends[-1]}'?)"
    raise StatuspressError(f"unknown incident '{ref}'{hint}")


def _check_update(inc: Incident, status: str, now: dt.datetime, reopen: bool) -> dt.datetime:
    allowed = d.MAINTENANCE_UPDATE_STATUSES if inc.is_maintenance else d.INCIDENT_UPDATE_STATUSES
    what = "maintenance" if inc.is_maintenance else "an incident"
    if status not in allowed:
        raise StatuspressError(
            f"'{status}' is not an update status for {what}{did_you_mean(status, allowed)}; "
            f"use one of {', '.join(allowed)}"
        )
    if inc.resolved_at is not None:
        if inc.closed_at is not None:
            raise StatuspressError(
                f"{inc.id} is closed (closed_at {iso(inc.closed_at)}); a closed record is final: "
                "open a new incident and list this one under `related`"
            )
        if not reopen:
            done = "completed" if inc.is_maintenance else "resolved"
            raise StatuspressError(
                f"{inc.id} is {done} (resolved_at {iso(inc.resolved_at)}); pass --reopen to "
                "post a new update and make it active again"
            )
    elif reopen:
        raise UsageError(f"--reopen is only for a resolved incident; {inc.id} is not resolved")
    if inc.updates and now < inc.updates[-1].at:
        raise StatuspressError(
            f"the new update ({iso(now)}) would be earlier than the last one "
            f"({iso(inc.updates[-1].at)}); check the clock or --now"
        )
    if not inc.is_maintenance and now < inc.started_at:
        raise StatuspressError(
            f"the new update ({iso(now)}) would be before started_at ({iso(inc.started_at)})"
        )
    if status in ("resolved", "completed"):
        for name in BEFORE_RESOLVED:
            value = getattr(inc, name)
            if value is not None and value > now:
                raise StatuspressError(
                    f"resolved_at ({iso(now)}) would be before {name} ({iso(value)})"
                )
    return now


def _service_changes(catalog: Catalog, inc: Incident, options: list[str]) -> dict[str, str]:
    changes: dict[str, str] = {}
    for option in options:
        sid, sep, status = (part.strip() for part in option.partition("="))
        if not sep or not sid or not status:
            raise UsageError(
                f"--service {option}: expected ID=STATUS, e.g. payments-api=operational"
            )
        if sid not in catalog.content.services:
            hint = did_you_mean(sid, catalog.content.services)
            raise StatuspressError(f"--service {option}: unknown service '{sid}'{hint}")
        if sid not in inc.services:
            raise StatuspressError(
                f"--service {option}: '{sid}' is not one of this incident's services "
                f"({', '.join(inc.services)}); add it under `services:` first"
            )
        if status not in d.COMPONENT_STATUSES:
            hint = did_you_mean(status, d.COMPONENT_STATUSES)
            raise StatuspressError(
                f"--service {option}: unknown status '{status}'{hint}; use one of "
                + ", ".join(d.COMPONENT_STATUSES)
            )
        if sid in changes:
            raise UsageError(f"--service {sid} is given twice")
        changes[sid] = status
    return changes


def front_matter_of(text: str) -> Any:
    """The front matter value, its YAML problems and the body of a file's text."""
    parts = split_front_matter(
        text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    )
    assert parts is not None
    value, problems = load(parts[0], parts[1])
    return value, problems, parts[2]


def prove_edit(
    old: str, new: str, change: Callable[[dict[str, Any]], dict[str, Any]], what: str, shown: str
) -> None:
    """Prove an edit of ``old`` into ``new`` changed exactly ``change(front matter)``.

    Byte-preserving edits are text surgery: reading both versions back and comparing them is
    what guarantees nothing else moved. On any difference nothing is written.
    """
    before, _, body_before = front_matter_of(old)
    after, problems, body_after = front_matter_of(new)
    errors = [p for p in problems if p.level == ERROR]
    if errors or after != change(dict(before)) or body_after != body_before:
        diff = "".join(
            difflib.unified_diff(old.splitlines(True), new.splitlines(True), shown, shown)
        )
        raise StatuspressError(
            f"could not add {what} to {shown} without changing anything else; nothing was "
            "written. Please add it by hand (or report this), the edit was:",
            detail=diff,
        )


def _same_but(
    old: str, new: str, item: dict[str, Any], resolved_at: str | None, shown: str
) -> None:
    """Prove the edit changed exactly what it should: one more update (and resolved_at)."""

    def change(front: dict[str, Any]) -> dict[str, Any]:
        front["updates"] = [*(front.get("updates") or []), item]
        front.pop("resolved_at", None)
        if resolved_at is not None:
            front["resolved_at"] = resolved_at
        return front

    prove_edit(old, new, change, "the update", shown)


__all__ = ["append_update", "find_incident", "update_incident"]
