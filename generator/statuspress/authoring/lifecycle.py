"""``statuspress ack|mitigate|resolve|close``: record an incident's lifecycle moments.

Each command sets one timestamp (``acknowledged_at``, ``mitigated_at``, ``resolved_at``,
``closed_at``) the way ``update`` edits a file: only that line is added, everything else stays
byte-for-byte, and the result is read back and checked before it is written. ``resolve`` is
``update --status resolved`` with the resolution template's message (or ``--message``).

The order is the article's lifecycle: started -> detected -> acknowledged -> mitigated ->
resolved -> closed. A step may be skipped (a self-healing blip is never "mitigated"), but a
moment is refused when it would come before one already recorded earlier in that order or after
one recorded later, when it is already set (changing a recorded time is a hand edit, seen in
review), when it is later than "now", for maintenance (its lifecycle is the window and
``update``), and for a closed record (final).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from .. import completeness
from ..definitions import LIFECYCLE
from ..errors import Diagnostics, StatuspressError, UsageError
from ..models import Incident
from ..readers import Reader
from . import messages, yamledit
from .common import (
    check_document,
    iso,
    load_catalog,
    open_incident,
    under_content_lock,
    write_atomic,
)
from .update import append_update, find_incident, prove_edit

ORDER = LIFECYCLE
STEPS = {
    "ack": "acknowledged_at",
    "mitigate": "mitigated_at",
    "resolve": "resolved_at",
    "close": "closed_at",
}


@under_content_lock
def advance(
    content_dir: Path,
    incident: str,
    step: str,
    *,
    now: dt.datetime,
    at: dt.datetime | None = None,
    message: str = "",
    services: list[str] | None = None,
    next_update: int = messages.DEFAULT_NEXT_UPDATE,
    note: Callable[[str], None] | None = None,
) -> Path:
    """Record lifecycle ``step`` (ack, mitigate, resolve, close) of ``incident`` at ``at``.

    ``at`` defaults to ``now``; for ``resolve``, ``message`` replaces the resolution template
    and ``services`` (``ID=STATUS``) sets component statuses with the resolution update.
    """
    if services and step != "resolve":
        raise UsageError("--service is only for resolve")
    name = STEPS[step]
    moment = now if at is None else at
    if moment > now:
        raise StatuspressError(
            f"--at {iso(moment)} is later than now ({iso(now)}); record what has happened"
        )
    catalog = load_catalog(content_dir)
    path = find_incident(catalog, incident)
    shown, source, inc = open_incident(catalog, path, now, verb="edit")
    _check_order(inc, name, moment)
    if step == "resolve":
        # The resolution is a public update too: `update` writes both, under the lock we hold.
        return append_update(
            content_dir,
            str(path),
            status="resolved",
            message=message,
            services=list(services or []),
            now=moment,
            template=None if message.strip() else "resolution",
            next_update=next_update,
            note=note,
        )
    fm = yamledit.parse(source)
    yamledit.insert_key(fm, name, iso(moment), ORDER[: ORDER.index(name)])
    result = fm.result()
    _only_added(source, result, name, iso(moment), shown)
    check_document(catalog, "incident", path, result, now)
    if path.read_bytes() != source.encode("utf-8"):
        raise StatuspressError(f"{shown} changed while the edit was prepared; run it again")
    write_atomic(path, result.encode("utf-8"))
    if name == "closed_at" and note is not None:
        # Closing is allowed with gaps (check warns); say now what the record still lacks.
        closed = Reader(catalog.root).read_incident(path)
        if closed is not None:
            found = Diagnostics()
            completeness.closure(found, closed, catalog.site)
            lacks = sorted({w.field for w in found.items})
            if lacks:
                note(f"the record still lacks {', '.join(lacks)}: see `statuspress check`")
    return path


def _check_order(inc: Incident, name: str, moment: dt.datetime) -> None:
    if inc.is_maintenance:
        raise StatuspressError(
            f"{inc.id} is maintenance: its lifecycle is the window and `statuspress update` "
            "(in_progress, verifying, completed)"
        )
    if inc.closed_at is not None:
        raise StatuspressError(
            f"{inc.id} is closed (closed_at {iso(inc.closed_at)}); a closed record is final"
        )
    current = getattr(inc, name)
    if current is not None:
        raise StatuspressError(
            f"{inc.id} already has {name}: {iso(current)}; a recorded time is changed by "
            "editing the file, where review sees it"
        )
    if name == "closed_at" and inc.resolved_at is None:
        raise StatuspressError(
            f"{inc.id} is not resolved yet; close it after `statuspress resolve {inc.id}`"
        )
    index = ORDER.index(name)
    for earlier in ORDER[:index]:
        value = getattr(inc, earlier)
        if value is not None and moment < value:
            raise StatuspressError(
                f"{name} ({iso(moment)}) would be before {earlier} ({iso(value)}); the "
                "lifecycle runs started -> detected -> acknowledged -> mitigated -> resolved "
                "-> closed"
            )
    for later in ORDER[index + 1 :]:
        value = getattr(inc, later)
        if value is not None and moment > value:
            raise StatuspressError(
                f"{name} ({iso(moment)}) would be after {later} ({iso(value)}); the "
                "lifecycle runs started -> detected -> acknowledged -> mitigated -> resolved "
                "-> closed"
            )


def _only_added(old: str, new: str, name: str, value: str, shown: str) -> None:
    """Prove the edit added exactly ``name: value`` and changed nothing else."""
    prove_edit(old, new, lambda front: {**front, name: value}, name, shown)


__all__ = ["ORDER", "STEPS", "advance"]
