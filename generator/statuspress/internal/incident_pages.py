"""Incident records and postmortems, monthly listings and weekly pages of minor incidents.

Search keeps an incident's title, its one-line facts and its postmortem's Summary; the
timeline, roles, updates and the rest of the postmortem are marked ``data-search-exclude`` (and
weekly pages of minor incidents are left out entirely) so the index stays small on long
histories. The monthly listings keep every incident title searchable.

Generated structures are raw HTML (:mod:`.html`); the writers' postmortem bodies stay Markdown.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import Any

import jinja2
from jinja2.runtime import Context
from markupsafe import Markup

from ..derive import durations
from ..durations import format_minutes
from ..models import Incident
from . import html as h
from .layout import MONTHS, Layout
from .listings import incident_state
from .mdtext import day, esc, label, shift_headings, when
from .templating import Templates

SEARCHABLE_BODY_SECTIONS = ("summary",)


def facts(layout: Layout, inc: Incident, here: str, searchable: bool = True) -> Markup:
    world = layout.world
    items: list[tuple[str, str | Markup]] = []
    if inc.severity:
        items.append(("", h.fmt("<strong>{}</strong>", inc.severity)))
    if inc.priority:
        items.append(
            ("", h.fmt("<strong>{}</strong> (impact {}, urgency {})",
                inc.priority, inc.impact, inc.urgency))
        )  # fmt: skip
    items.append(("State:", incident_state(layout, inc)))
    items.append(
        (
            "Services:",
            h.join(
                [
                    h.a(layout.service_name(s), layout.service(s), here) + f" ({label(st)})"
                    for s, st in sorted(inc.services.items())
                ]
            ),
        )
    )
    if inc.category:
        items.append(("Category:", " / ".join(inc.category.values())))
    if inc.detection:
        items.append(("Detected by:", inc.detection))
    if inc.known_errors:
        kes = world.content.known_errors
        items.append(
            (
                "Known errors:",
                h.join(
                    [
                        h.a(f"{k}: {kes[k].title}" if k in kes else k, layout.known_error(k), here)
                        for k in inc.known_errors
                    ]
                ),
            )
        )
    if inc.runbooks:
        rbs = world.content.runbooks
        items.append(
            (
                "Runbooks:",
                h.join(
                    [
                        h.a(rbs[r].title if r in rbs else r, layout.runbook(r), here)
                        for r in inc.runbooks
                    ]
                ),  # fmt: skip
            )
        )
    if inc.affected_users is not None:
        items.append(("Affected users:", str(inc.affected_users)))
    items.append(("Public:", "yes" if inc.public and not inc.is_gameday else "no"))
    return h.facts(items, searchable)


def _moments(inc: Incident) -> list[tuple[str, dt.datetime | None, float | None, str]]:
    """(event, time, duration in minutes, what the duration measures) in lifecycle order."""
    d = durations(inc)
    return [
        ("Scheduled start", inc.scheduled_start, None, ""),
        ("Scheduled end", inc.scheduled_end, None, ""),
        ("Started (impact began)", inc.started_at, None, ""),
        ("Detected", inc.detected_at, d.to_detect, "time to detect"),
        ("Acknowledged", inc.acknowledged_at, d.to_acknowledge, "time to acknowledge"),
        ("Mitigated", inc.mitigated_at, d.to_mitigate, "time to mitigate"),
        ("Resolved", inc.resolved_at, d.to_resolve, "time to resolve"),
        ("Closed", inc.closed_at, None, ""),
    ]


def lifecycle(layout: Layout, inc: Incident) -> Markup:
    """One table: each lifecycle moment with the duration that ends there."""
    zone = layout.world.content.site.timezone
    rows: list[list[str | Markup]] = [
        [name, when(at, layout.tz), f"{what} {format_minutes(minutes)}" if what else ""]
        for name, at, minutes, what in _moments(inc)
        if at is not None or not name.startswith("Scheduled")
    ]
    impact = durations(inc).impact
    rows.append(["User impact", "started → mitigated or resolved", format_minutes(impact)])
    return h.table(("Event", f"Time ({zone})", "Duration (from detection)"), rows)


def roles(inc: Incident) -> Markup:
    def people(names: list[str]) -> str:
        return ", ".join(names) or "none"

    return h.table(
        ("Role", "People"),
        [
            ["Reporter", inc.reporter or "n/a"],
            ["Incident commander", inc.commander or "n/a"],
            ["Responders", people(inc.responders)],
            ["Escalated to", people(inc.escalated)],
        ],
    )


def updates(layout: Layout, inc: Incident) -> Markup:
    if not inc.updates:
        return Markup("<p>No public updates.</p>")
    items = []
    for u in inc.updates:
        head = f"{when(u.at, layout.tz)} · {label(u.status)}"
        services = ", ".join(
            f"{layout.service_name(s)}: {label(st)}" for s, st in sorted(u.services.items())
        )
        items.append(
            h.fmt(
                "<strong>{}</strong>{}: {}",
                head,
                f" ({services})" if services else "",
                h.public_text(u.message),
            )
        )
    return h.bullets(items)


def action_items(layout: Layout, inc: Incident) -> Markup:
    if not inc.action_items:
        return Markup("<p>No action items.</p>")
    today = layout.world.today
    rows = []
    for item in inc.action_items:
        overdue = item.status == "open" and item.due is not None and item.due < today
        due: str | Markup = day(item.due)
        if overdue:
            due = h.fmt("{} <strong>OVERDUE</strong>", due)
        rows.append(
            [item.id, item.title, item.owner, item.priority, item.type, due, label(item.status),
             h.ticket(item.ticket)]
        )  # fmt: skip
    return h.table(("ID", "Title", "Owner", "Priority", "Type", "Due", "Status", "Ticket"), rows)


def postmortem(inc: Incident, levels: int, mark: bool = True) -> Markup:
    parts = []
    if inc.postmortem:
        pm = inc.postmortem
        parts.append(
            f"**Postmortem status:** {label(pm.status)} · **Owner:** {esc(pm.owner) or 'n/a'}"
        )
        if pm.public_summary:
            quote = "<blockquote><p>Public summary: {}</p></blockquote>"
            parts.append(h.block(h.fmt(quote, h.public_text(pm.public_summary))))
    if inc.body.strip():
        parts.append(
            shift_headings(inc.body.strip(), levels, SEARCHABLE_BODY_SECTIONS if mark else (), mark)
        )
    return Markup("\n\n".join(parts) or "No postmortem written.")


def related(layout: Layout, inc: Incident, here: str) -> Markup | None:
    incidents = layout.world.content.incidents
    found = [incidents[r] for r in inc.related if r in incidents]
    if not found:
        return None
    return h.bullets([h.a(r.title, layout.incident(r), here) for r in found])


def incident_page(t: Templates, layout: Layout, inc: Incident) -> str:
    here = layout.incident(inc)
    return t.render(
        "incident.md",
        here=here,
        inc=inc,
        state=layout.world.states.get(inc.id),
        month=month_name(layout.local(inc.started_at)),
        related=related(layout, inc, here),
    )


def lifecycle_line(layout: Layout, inc: Incident) -> Markup:
    """Lifecycle, durations and people in one paragraph: the compact form for minor records."""
    tz = layout.tz
    steps = _moments(inc)
    moments = " · ".join(
        f"{name.split(' (')[0].lower()} {when(at, tz)}" for name, at, _, _ in steps if at
    )
    spans = " · ".join(
        f"{what.removeprefix('time to ')} {format_minutes(minutes)}"
        for _, _, minutes, what in steps
        if what and minutes is not None
    )
    people = [
        ("reporter", [inc.reporter] if inc.reporter else []),
        ("commander", [inc.commander] if inc.commander else []),
        ("responders", inc.responders),
        ("escalated to", inc.escalated),
    ]
    who = " · ".join(f"{n} {', '.join(p)}" for n, p in people if p) or "none recorded"
    return h.fmt(
        "<p><strong>Lifecycle:</strong> {}<br>\n<strong>Time to:</strong> {}<br>\n"
        "<strong>People:</strong> {}</p>",
        moments,
        spans,
        who,
    )


def month_name(moment: dt.datetime | dt.date) -> str:
    return f"{MONTHS[moment.month - 1]} {moment.year}"


def incident_pages(t: Templates, layout: Layout) -> dict[str, str]:
    """Own pages, weekly pages of minor incidents, monthly listings and the incidents index."""
    pages: dict[str, str] = {}
    oldest_first = list(reversed(layout.incidents))
    weeks: dict[str, list[Incident]] = {}
    for inc in oldest_first:
        if inc.id in layout.own:
            pages[layout.incident(inc)] = incident_page(t, layout, inc)
        else:
            weeks.setdefault(layout.incident(inc).partition("#")[0], []).append(inc)
    for path, items in weeks.items():
        iso_year, iso_week = path.rsplit("/", 1)[1][:-3].split("-W")
        monday = dt.date.fromisocalendar(int(iso_year), int(iso_week), 1)
        pages[path] = t.render(
            "incidents-week.md",
            here=path,
            title=f"Minor incidents, week {iso_year}-W{iso_week}",
            monday=monday,
            sunday=monday + dt.timedelta(days=6),
            incidents=items,
            states=layout.world.states,
        )

    def month_key(inc: Incident) -> tuple[int, int]:
        local = layout.local(inc.started_at)
        return local.year, local.month

    months = [(key, list(group)) for key, group in groupby(oldest_first, key=month_key)]
    for index, ((year, number), _items) in enumerate(months):
        pages[layout.month(year, number)] = month_page(t, layout, months, index)
    pages["incidents/index.md"] = incidents_index(t, layout, months)
    return pages


Months = list[tuple[tuple[int, int], list[Incident]]]


def month_page(t: Templates, layout: Layout, months: Months, index: int) -> str:
    (year, month), items = months[index]
    path = layout.month(year, month)
    nav = [h.a("All incidents", "incidents/index.md", path)]
    if index:
        (py, pm), _ = months[index - 1]
        nav.insert(0, "← " + h.a(month_name(dt.date(py, pm, 1)), layout.month(py, pm), path))
    if index + 1 < len(months):
        (ny, nm), _ = months[index + 1]
        nav.append(h.a(month_name(dt.date(ny, nm, 1)), layout.month(ny, nm), path) + " →")
    kinds = ("incident", "maintenance", "gameday")
    return t.render(
        "incidents-month.md",
        here=path,
        name=month_name(dt.date(year, month, 1)),
        nav=h.join(nav, " · "),
        counts={k: sum(1 for i in items if i.kind == k) for k in kinds},
        incidents=items,
    )


def incidents_index(t: Templates, layout: Layout, months: Months) -> str:
    here = "incidents/index.md"
    world = layout.world
    counts = {key: len(items) for key, items in months}
    lines = []
    for year in sorted({y for y, _ in counts}, reverse=True):
        cells = [
            h.a(f"{MONTHS[m - 1][:3]} ({counts[(year, m)]})", layout.month(year, m), here)
            for m in range(1, 13)
            if (year, m) in counts
        ]
        lines.append(h.fmt("<strong>{}</strong>: {}", year, h.join(cells, " · ")))
    return t.render(
        "incidents.md",
        here=here,
        active=[i for i in layout.incidents if world.states.get(i.id) in ("active", "in_progress")],
        month_lines=lines,
        gamedays=[i for i in layout.incidents if i.is_gameday],
        recent=layout.incidents[:20],
    )


def page_filters(layout: Layout) -> dict[str, Any]:
    """The incident templates' filters (``inc|facts``): HTML built from escaped parts (see
    :mod:`.html`). Filters, not functions: Jinja calls a filter directly, which matters on
    10,000 incident records."""

    @jinja2.pass_context
    def facts_(ctx: Context, inc: Incident, searchable: bool = True) -> Markup:
        return facts(layout, inc, ctx["here"], searchable)

    return {
        "facts": facts_,
        "lifecycle": lambda inc: lifecycle(layout, inc),
        "lifecycle_line": lambda inc: lifecycle_line(layout, inc),
        "roles": roles,
        "updates": lambda inc: updates(layout, inc),
        "action_items": lambda inc: action_items(layout, inc),
        "postmortem": postmortem,
        "shift_headings": lambda *args, **kw: Markup(shift_headings(*args, **kw)),
    }
