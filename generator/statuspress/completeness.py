"""What ``check`` asks of a published message and of a closed incident record (warnings).

A published update must not still hold a template placeholder (:data:`PLACEHOLDER`). A closed
record must be complete enough that someone unfamiliar with the event understands it (the
domain article's closure): its duration is derived from ``started_at``/``resolved_at``; a
SEV-1/2 says how many users were affected (``affected_users``); the follow-up work is listed
under ``action_items``, or ``action_items: []`` states explicitly that there is none. A closed
SEV-1 was watched for recurrence before it was resolved: the updates just before the
resolution say ``monitoring`` for at least ``recovery_monitoring_minutes`` (site.yaml,
default 30).
"""

from __future__ import annotations

import datetime as dt
import re

from .errors import Diagnostics
from .models import Incident, Site
from .yaml import LList

PLACEHOLDER = re.compile(
    r"\[(?:\.\.\.|…)\]|\{\{[^{}\n]{0,200}\}\}|\{%[^{}\n]{0,200}%\}|\b(?:TODO|TBD|FIXME)\b"
)
"""An unfilled placeholder in a published message: ``[...]`` (or ``[…]``), a Jinja expression
``{{ ... }}`` or tag ``{% ... %}`` on one line (a template's leftover), and the capitalised
words ``TODO``, ``TBD``, ``FIXME``. Lone braces are text (``}}}`` in a quoted log line)."""


def _line(raw: object, *path: str | int) -> int:
    from .validate import line_at  # validate imports this module

    return line_at(raw, *path)


def placeholders(diags: Diagnostics, inc: Incident, now: dt.datetime) -> None:
    """Warn about each published update whose message still holds a placeholder."""
    if not inc.public or inc.kind == "gameday":
        return  # a draft or a drill: nothing is published yet
    raw = inc.source.keys
    for index, update in enumerate(inc.updates):
        if update.at > now:
            continue  # scheduled, not published yet
        found = PLACEHOLDER.search(update.message)
        if found:
            diags.warning(
                inc.source.path,
                _line(raw, "updates", index, "message"),
                f"updates[{index}].message",
                f"still holds the placeholder '{found.group()}'; fill it in (this update is "
                "public)",
            )


def closure(diags: Diagnostics, inc: Incident, site: Site) -> None:
    """Warn when a closed incident's record lacks what the closure needs."""
    if inc.kind != "incident" or inc.closed_at is None or inc.resolved_at is None:
        return
    path, raw = inc.source.path, inc.source.keys
    line = raw.line_of("closed_at")
    if inc.severity in ("SEV-1", "SEV-2") and inc.affected_users is None:
        if raw.get("affected_users") is None:
            diags.warning(
                path,
                line,
                "affected_users",
                f"closed {inc.severity} does not say how many users were affected; add "
                "`affected_users: N`",
            )
    if not isinstance(raw.get("action_items"), LList):
        diags.warning(
            path,
            line,
            "action_items",
            "closed incident lists no follow-up work; add its action items, or "
            "`action_items: []` to record that there are none",
        )
    minimum = site.recovery_monitoring_minutes
    if inc.severity == "SEV-1" and minimum:
        watched = monitoring_minutes(inc)
        if watched is None or watched < minimum:
            what = (
                "went to 'resolved' without a 'monitoring' update"
                if watched is None
                else f"was monitored for {watched:g} min before it was resolved"
            )
            diags.warning(
                path,
                raw.line_of("resolved_at"),
                "resolved_at",
                f"closed SEV-1 {what}; watch for recurrence at least {minimum} min "
                "(recovery_monitoring_minutes) before resolving",
            )


def monitoring_minutes(inc: Incident) -> float | None:
    """Minutes from the start of the unbroken run of ``monitoring`` updates right before the
    resolution to ``resolved_at``; None when the update before the resolution is not one."""
    assert inc.resolved_at is not None
    before = [u for u in inc.updates if u.at <= inc.resolved_at]
    while before and before[-1].status == "resolved":
        before.pop()
    start = None
    for update in reversed(before):
        if update.status != "monitoring":
            break
        start = update.at
    if start is None:
        return None
    return (inc.resolved_at - start).total_seconds() / 60
