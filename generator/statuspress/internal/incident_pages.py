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

from markupsafe import Markup

from ..derive import durations
from ..durations import format_minutes
from ..models import Incident
from . import html as h
from .layout import MONTHS, Layout
from .listings import INCIDENT_HEADERS, incident_rows, incident_state
from .mdtext import EXCLUDE, admonition, day, esc, front_matter, label, shift_headings, when

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


def kind_notice(layout: Layout, inc: Incident) -> str:
    if inc.is_gameday:
        return admonition(
            "example",
            "Gameday",
            "A planned exercise: never shown on the status page and never counted in metrics.",
        )
    if inc.is_maintenance:
        return admonition("info", "Maintenance", "Planned work: not counted in incident metrics.")
    if layout.world.states.get(inc.id) == "active":
        return admonition("warning", "Active incident", "This incident is not resolved yet.")
    return ""


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


def postmortem(inc: Incident, levels: int, mark: bool = True) -> str:
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
    return "\n\n".join(parts) or "No postmortem written."


def related(layout: Layout, inc: Incident, here: str) -> Markup | None:
    incidents = layout.world.content.incidents
    found = [incidents[r] for r in inc.related if r in incidents]
    if not found:
        return None
    return h.bullets([h.a(r.title, layout.incident(r), here) for r in found])


def incident_page(layout: Layout, inc: Incident) -> str:
    here = layout.incident(inc)
    out = [front_matter(inc.title), f"# {esc(inc.title)}\n"]
    notice = kind_notice(layout, inc)
    if notice:
        out.append(notice)
    # Title and summary are what search keeps of an incident; the facts would only add noise.
    out.append(h.block(facts(layout, inc, here, searchable=False)))
    month = month_name(layout.local(inc.started_at))
    out.append(h.block(h.fmt("<p>{}</p>",
        h.a(f"All incidents of {month}", layout.month_of(inc), here))))  # fmt: skip
    out.append(f"## Lifecycle {EXCLUDE}\n{h.block(lifecycle(layout, inc))}")
    out.append(f"## Roles {EXCLUDE}\n{h.block(roles(inc))}")
    out.append(f"## Postmortem {EXCLUDE}\n\n{postmortem(inc, 1)}\n")
    out.append(f"## Action items {EXCLUDE}\n{h.block(action_items(layout, inc))}")
    out.append(f"## Public updates {EXCLUDE}\n{h.block(updates(layout, inc))}")
    rel = related(layout, inc, here)
    if rel:
        out.append(f"## Related incidents {EXCLUDE}\n{h.block(rel)}")
    return "\n".join(out)


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


def minor_record(layout: Layout, inc: Incident, here: str) -> str:
    """A minor incident's full record as one section of its week's page (compact on purpose:
    thousands of these are rendered on long histories)."""
    out = [f"## {esc(inc.title)} {{ #{inc.id} }}\n"]
    notice = kind_notice(layout, inc)
    if notice:
        out.append(notice)
    out.append(h.block(facts(layout, inc, here) + lifecycle_line(layout, inc)))
    out.append(h.block(Markup("<p><strong>Public updates</strong></p>") + updates(layout, inc)))
    if inc.body.strip():
        out.append(shift_headings(inc.body.strip(), 2, mark=False) + "\n")
    return "\n".join(out)


def month_name(moment: dt.datetime | dt.date) -> str:
    return f"{MONTHS[moment.month - 1]} {moment.year}"


def incident_pages(layout: Layout) -> dict[str, str]:
    """Own pages, weekly pages of minor incidents, monthly listings and the incidents index."""
    pages: dict[str, str] = {}
    oldest_first = list(reversed(layout.incidents))
    weeks: dict[str, list[Incident]] = {}
    for inc in oldest_first:
        if inc.id in layout.own:
            pages[layout.incident(inc)] = incident_page(layout, inc)
        else:
            weeks.setdefault(layout.incident(inc).partition("#")[0], []).append(inc)
    for path, items in weeks.items():
        iso_year, iso_week = path.rsplit("/", 1)[1][:-3].split("-W")
        monday = dt.date.fromisocalendar(int(iso_year), int(iso_week), 1)
        title = f"Minor incidents, week {iso_year}-W{iso_week}"
        out = [
            # No table of contents: dozens of records with their own headings would make the
            # sidebar useless and the page slow to render.
            front_matter(title, search={"exclude": True}, hide=["toc"]),
            f"# {title}\n",
            f"{day(monday)} to {day(monday + dt.timedelta(days=6))}: minor incidents and "
            "maintenance without a postmortem or action items, each with its full record.\n",
        ]
        out += [minor_record(layout, inc, path) for inc in items]
        pages[path] = "\n".join(out)

    def month_key(inc: Incident) -> tuple[int, int]:
        local = layout.local(inc.started_at)
        return local.year, local.month

    months = [(key, list(group)) for key, group in groupby(oldest_first, key=month_key)]
    for index, ((year, number), _items) in enumerate(months):
        pages[layout.month(year, number)] = month_page(layout, months, index)
    pages["incidents/index.md"] = incidents_index(layout, months)
    return pages


Months = list[tuple[tuple[int, int], list[Incident]]]


def month_page(layout: Layout, months: Months, index: int) -> str:
    (year, month), items = months[index]
    path = layout.month(year, month)
    name = month_name(dt.date(year, month, 1))
    nav = [h.a("All incidents", "incidents/index.md", path)]
    if index:
        (py, pm), _ = months[index - 1]
        nav.insert(0, "← " + h.a(month_name(dt.date(py, pm, 1)), layout.month(py, pm), path))
    if index + 1 < len(months):
        (ny, nm), _ = months[index + 1]
        nav.append(h.a(month_name(dt.date(ny, nm, 1)), layout.month(ny, nm), path) + " →")
    kinds = ("incident", "maintenance", "gameday")
    counts = {k: sum(1 for i in items if i.kind == k) for k in kinds}
    summary = (
        f"{counts['incident']} incidents, {counts['maintenance']} maintenance, "
        f"{counts['gameday']} gamedays (marked; never in metrics)."
    )
    return (
        front_matter(f"Incidents in {name}")
        + f"# Incidents in {name}\n"
        + h.block(h.fmt("<p>{}</p><p>{}</p>", h.join(nav, " · "), summary))
        + h.block(h.table(INCIDENT_HEADERS, incident_rows(layout, items, path)))
    )


def incidents_index(layout: Layout, months: Months) -> str:
    here = "incidents/index.md"
    world = layout.world
    active = [i for i in layout.incidents if world.states.get(i.id) in ("active", "in_progress")]
    out = [
        front_matter("Incidents and postmortems", search={"exclude": True}),
        "# Incidents and postmortems\n",
    ]
    out.append(
        "Every incident, maintenance and gameday with its full internal record. SEV-1/SEV-2 "
        "incidents, gamedays and incidents with a postmortem or action items have a page of "
        "their own; the others are recorded on weekly pages. Monthly listings link to all.\n"
    )
    out.append("## Active now\n")
    out.append(
        h.block(h.table(INCIDENT_HEADERS, incident_rows(layout, active, here)))
        if active
        else "Nothing.\n"
    )
    out.append("## By month\n")
    counts = {key: len(items) for key, items in months}
    lines = []
    for year in sorted({y for y, _ in counts}, reverse=True):
        cells = [
            h.a(f"{MONTHS[m - 1][:3]} ({counts[(year, m)]})", layout.month(year, m), here)
            for m in range(1, 13)
            if (year, m) in counts
        ]
        lines.append(h.fmt("<strong>{}</strong>: {}", year, h.join(cells, " · ")))
    out.append(h.block(h.bullets(lines)))
    gamedays = [i for i in layout.incidents if i.is_gameday]
    if gamedays:
        out.append("## Gamedays\n")
        out.append(h.block(h.table(INCIDENT_HEADERS, incident_rows(layout, gamedays[:30], here))))
    out.append("## Most recent\n")
    out.append(
        h.block(h.table(INCIDENT_HEADERS, incident_rows(layout, layout.incidents[:20], here)))
    )
    return "\n".join(out)
