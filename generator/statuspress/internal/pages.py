"""Every generated page of the internal site as plain Markdown: ``generate(world)``.

The pages are ordinary Markdown files (no mkdocs plugin builds them), so what mkdocs renders is
exactly what a reader can inspect in the build folder. Other modules hold the bigger families:
:mod:`.kedb` (known errors, runbooks), :mod:`.incident_pages`, :mod:`.metrics_page`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup

from ..durations import format_minutes
from ..models import ActionItem, Service
from . import html as h
from . import metrics as m
from .incident_pages import incident_pages
from .kedb import ke_index_pages, runbook_pages
from .layout import Layout
from .listings import INCIDENT_HEADERS, KE_HEADERS, incident_rows, ke_rows
from .maturity_page import page as maturity_page
from .mdtext import admonition, code, day, esc, front_matter, label, link
from .metrics_page import metrics_page

# Company-wide severity definitions (the domain article), shown where a service has none.
DEFAULT_CRITERIA = {
    "SEV-1": "Complete service outage or data breach affecting all users; immediate all-hands "
    "response.",
    "SEV-2": "Significant degradation affecting a large subset of users; key functionality "
    "impaired but workarounds exist.",
    "SEV-3": "Partial impact on non-critical functionality for a limited user segment; "
    "business hours.",
    "SEV-4": "Cosmetic issues, minor bugs or edge cases with minimal user impact; normal "
    "ticket workflow.",
}
RECENT_PER_SERVICE = 15
ACTION_ITEMS_PER_PAGE_OWNER_SPLIT = 300
ACTION_ITEMS_ON_INDEX = 150


def home(layout: Layout, res: m.Metrics) -> str:
    world = layout.world
    content = world.content
    here = "index.md"
    active = [i for i in layout.incidents if world.states.get(i.id) in ("active", "in_progress")]
    open_kes = [k for k in content.known_errors.values() if k.is_open]
    out = [front_matter("Home", search={"exclude": True})]
    out.append(f"# {esc(content.site.title)}: incident knowledge base\n")
    out.append(
        admonition(
            "tip",
            "Search a symptom",
            "Press `/` or `s` and type what you see: an alert name "
            "(`PaymentsAPIHighErrorRate`), a symptom (*customers logged out*) or paste a log "
            "line. Known errors and runbooks come first. From a terminal: "
            "`statuspress match 'LOG LINE'`.",
        )
    )
    out.append("- " + link(f"Known errors ({len(open_kes)} open)", "known-errors/index.md", here))
    runbooks = f"Runbooks ({len(content.runbooks)}, {len(world.stale_runbooks)} stale)"
    out.append(f"- {link(runbooks, 'runbooks/index.md', here)}")
    out.append(f"- {link('Incidents and postmortems', 'incidents/index.md', here)}")
    out.append(f"- {link('Services', 'services/index.md', here)}")
    overdue = len(world.overdue_items)
    out.append(f"- {link(f'Open action items ({overdue} overdue)', 'action-items/index.md', here)}")
    out.append(f"- {link('Metrics', 'metrics/index.md', here)}\n")
    out.append("## Active incidents\n")
    out.append(
        h.block(h.table(INCIDENT_HEADERS, incident_rows(layout, active, here)))
        if active
        else "None.\n"
    )
    mtta = res.overall.durations["mtta"]
    mttr = res.overall.durations["mttr"]
    out.append("## At a glance\n")
    out.append(
        f"{res.overall.incidents} incidents on record; median MTTA {format_minutes(mtta.median)}, "
        f"median MTTR {format_minutes(mttr.median)} "
        f"({link('all metrics', 'metrics/index.md', here)}).\n"
    )
    out.append("## Recent incidents\n")
    recent = incident_rows(layout, layout.incidents[:10], here)
    out.append(h.block(h.table(INCIDENT_HEADERS, recent)))
    return "\n".join(out)


def service_page(layout: Layout, svc: Service, res: m.Metrics) -> str:
    world = layout.world
    content = world.content
    here = layout.service(svc)
    out = [front_matter(f"Service: {svc.name}", search={"exclude": True})]
    out.append(f"# {esc(svc.name)}\n")
    group = content.groups.get(svc.group)
    facts = [
        f"**ID:** {code(svc.id)}",
        f"**Group:** {esc(group.name) if group else 'none'}",
        f"**Tier:** {svc.tier}",
        f"**Owner:** {esc(svc.owner) or 'n/a'}",
        f"**Status:** {label(world.current_status.get(svc.id, 'operational'))}",
        f"**Public:** {'yes' if svc.public else 'no (internal only)'}",
    ]
    out.append(" · ".join(facts) + "\n")
    if svc.description:
        out.append(esc(svc.description) + "\n")
    out.append("## Routing\n")
    out.append(
        h.block(h.table(("Role", "Who"), [[label(k), v] for k, v in svc.routing.items()]))
        if svc.routing
        else "No routing set.\n"
    )
    out.append("## Severity criteria\n")
    criteria = [
        [sev, svc.severity_criteria.get(sev) or DEFAULT_CRITERIA[sev] + " (company-wide)"]
        for sev in DEFAULT_CRITERIA
    ]
    out.append(h.block(h.table(("Severity", "Criteria"), criteria)))
    out.append("## Runbooks\n")
    rbs = sorted(world.runbooks_by_service.get(svc.id, []), key=lambda r: r.id)
    out.append(
        "\n".join(
            f"- {link(r.title, layout.runbook(r), here)}"
            + (" (**stale**)" if r.id in world.stale_runbooks else "")
            for r in rbs
        )
        or "None."
    )
    out.append("")
    kes = sorted(world.known_errors_by_service.get(svc.id, []), key=lambda k: k.id)
    open_kes = [k for k in kes if k.is_open]
    out.append("## Open known errors\n")
    out.append(
        h.block(h.table(KE_HEADERS, ke_rows(layout, open_kes, here))) if open_kes else "None.\n"
    )
    if len(kes) > len(open_kes):
        out.append(
            link(f"All {len(kes)} known errors of this service", layout.ke_service(svc.id), here)
            + "\n"
        )
    out.append("## Metrics\n")
    out.append(service_metrics(layout, svc.id, res, here) + "\n")
    incs = sorted(
        world.incidents_by_service.get(svc.id, []), key=lambda i: (i.started_at, i.id), reverse=True
    )
    out.append("## Recent incidents\n")
    out.append(
        h.block(h.table(INCIDENT_HEADERS, incident_rows(layout, incs[:RECENT_PER_SERVICE], here)))
        if incs
        else "None.\n"
    )
    if len(incs) > RECENT_PER_SERVICE:
        out.append(
            f"{len(incs)} in all; older ones are on the "
            f"{link('monthly listings', 'incidents/index.md', here)}.\n"
        )
    return "\n".join(out)


def service_metrics(layout: Layout, service: str, res: m.Metrics, here: str) -> str:
    g = next((x for x in res.by_service if x.key == service), None)
    if g is None:
        return "No incidents counted in metrics."
    rows = []
    for metric in m.DURATION_METRICS:
        st = g.durations[metric]
        rows.append(
            [m.DEFINITIONS[metric][0], str(st.count), format_minutes(st.mean),
             format_minutes(st.median), format_minutes(st.p90)]
        )  # fmt: skip
    mtbf = next((x for x in res.mtbf if x.service == service), None)
    if mtbf:
        hours = mtbf.hours
        rows.append(
            [m.DEFINITIONS["mtbf"][0], str(hours.count), m.fmt_hours(hours.mean),
             m.fmt_hours(hours.median), m.fmt_hours(hours.p90)]
        )  # fmt: skip
    text = h.block(h.table(("Metric", "Counted", "Mean", "Median", "p90"), rows))
    rates = ", ".join(
        f"{m.DEFINITIONS[name][0].lower()} {m.fmt_share(g.rates[name].value)}"
        for name in m.RATE_METRICS
    )
    return (
        f"{g.incidents} incidents counted: {rates}. "
        f"Definitions and targets: {link('metrics', 'metrics/index.md', here)}.\n{text}"
    )


def services_index(layout: Layout) -> str:
    content = layout.world.content
    here = "services/index.md"
    rows: list[list[str | Markup]] = []
    groups = {g.id: g.name for g in content.groups.values()}
    for svc in sorted(content.services.values(), key=lambda s: (s.group, s.tier, s.id)):
        rows.append(
            [
                h.a(svc.name, layout.service(svc), here),
                groups.get(svc.group, ""),
                str(svc.tier),
                svc.owner,
                label(layout.world.current_status.get(svc.id, "operational")),
                "yes" if svc.public else "no",
            ]
        )
    return (
        front_matter("Services", search={"exclude": True})
        + "# Services\n\n"
        + h.block(h.table(("Service", "Group", "Tier", "Owner", "Status", "Public"), rows))
    )


def _item_rows(
    layout: Layout, items: list[ActionItem], here: str, overdue: Callable[[ActionItem], bool]
) -> list[list[str | Markup]]:
    incidents = layout.world.content.incidents
    rows: list[list[str | Markup]] = []
    for item in items:
        inc = incidents[item.incident_id]
        rows.append(
            [
                item.id,
                item.title,
                item.owner,
                item.priority,
                day(item.due) + (Markup(" <strong>OVERDUE</strong>") if overdue(item) else ""),
                h.a(inc.title, layout.incident(inc), here),
                h.ticket(item.ticket),
            ]
        )
    return rows


ITEM_HEADERS = ("ID", "Action item", "Owner", "Priority", "Due", "Incident", "Ticket")


def action_item_pages(layout: Layout) -> dict[str, str]:
    """Open action items: overdue first, by due date; one page per owner besides the index."""
    world = layout.world
    today = world.today
    items = [
        a
        for inc in world.content.incidents.values()
        for a in inc.action_items
        if a.status == "open"
    ]
    items.sort(key=lambda a: (a.due or today.replace(year=9999), a.priority, a.incident_id, a.id))

    def overdue(a: ActionItem) -> bool:
        return a.due is not None and a.due < today

    owners: dict[str, list[ActionItem]] = {}
    for a in items:
        owners.setdefault(a.owner, []).append(a)
    slugs = owner_slugs(sorted(owners))
    here = "action-items/index.md"
    late = [a for a in items if overdue(a)]
    urgent = [a for a in late if a.priority in ("P0", "P1")]
    out = [front_matter("Open action items", search={"exclude": True})]
    out.append("# Open action items\n")
    out.append(
        f"{len(items)} open action items, **{len(late)} overdue** (due before {day(today)}). "
        "Closed items stay on their incident's page.\n"
    )
    out.append("## By owner\n")
    owner_rows: list[list[str | Markup]] = [
        [
            h.a(o, f"action-items/{slugs[o]}.md", here),
            str(len(owners[o])),
            str(sum(overdue(a) for a in owners[o])),
        ]
        for o in sorted(owners)
    ]
    out.append(h.block(h.table(("Owner", "Open", "Overdue"), owner_rows)))
    shown = urgent if len(items) > ACTION_ITEMS_PER_PAGE_OWNER_SPLIT else items
    out.append(
        "## Overdue P0 and P1 items\n"
        if shown is urgent
        else "## All open items (overdue first by due date)\n"
    )
    if len(shown) > ACTION_ITEMS_ON_INDEX:
        out.append(
            f"The {ACTION_ITEMS_ON_INDEX} longest overdue of {len(shown)}; every item is on its "
            "owner's page.\n"
        )
        shown = shown[:ACTION_ITEMS_ON_INDEX]
    out.append(
        h.block(h.table(ITEM_HEADERS, _item_rows(layout, shown, here, overdue)))
        if shown
        else "None.\n"
    )
    pages = {here: "\n".join(out)}
    for owner, mine in owners.items():
        path = f"action-items/{slugs[owner]}.md"
        pages[path] = (
            front_matter(f"Action items: {owner}", search={"exclude": True})
            + f"# Open action items: {esc(owner)}\n\n"
            + link("All owners", here, path)
            + "\n"
            + h.block(h.table(ITEM_HEADERS, _item_rows(layout, mine, path, overdue)))
        )
    return pages


def owner_slugs(owners: list[str]) -> dict[str, str]:
    """A stable file name per owner; owners that slug alike get -2, -3 in sorted order."""
    used: set[str] = set()
    out = {}
    for owner in owners:
        base = re.sub(r"[^a-z0-9]+", "-", owner.lower()).strip("-")[:60] or "owner"
        slug, n = base, 1
        while slug in used or slug == "index":
            n += 1
            slug = f"{base}-{n}"
        used.add(slug)
        out[owner] = slug
    return out


def generate(world_layout: Layout, res: m.Metrics | None = None) -> dict[str, str]:
    """Every page of the internal site: Markdown path in docs_dir -> text."""
    layout = world_layout
    res = res or m.compute(layout.world)
    pages: dict[str, str] = {"index.md": home(layout, res)}
    pages.update(ke_index_pages(layout))
    pages.update(runbook_pages(layout))
    pages.update(incident_pages(layout))
    pages["services/index.md"] = services_index(layout)
    for svc in layout.world.content.services.values():
        pages[layout.service(svc)] = service_page(layout, svc, res)
    pages.update(action_item_pages(layout))
    pages.update(metrics_page(layout, res))
    pages.update(maturity_page(layout))
    return pages
