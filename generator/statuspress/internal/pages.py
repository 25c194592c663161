"""Every generated page of the internal site as plain Markdown: ``generate(world)``.

The pages are ordinary Markdown files (no mkdocs plugin builds them), so what mkdocs renders is
exactly what a reader can inspect in the build folder. Other modules hold the bigger families:
:mod:`.kedb` (known errors, runbooks), :mod:`.incident_pages`, :mod:`.metrics_page`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from ..durations import format_minutes
from ..models import ActionItem, Service
from . import html as h
from . import metrics as m
from .context import templates
from .incident_pages import incident_pages
from .kedb import ke_index_pages, runbook_pages
from .layout import Layout
from .maturity_page import page as maturity_page
from .mdtext import day, label
from .metrics_page import metrics_page
from .templating import Templates

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


def home(t: Templates, layout: Layout, res: m.Metrics) -> str:
    world = layout.world
    content = world.content
    return t.render(
        "home.md",
        here="index.md",
        site=content.site,
        active=[i for i in layout.incidents if world.states.get(i.id) in ("active", "in_progress")],
        open_known_errors=[k for k in content.known_errors.values() if k.is_open],
        runbooks=content.runbooks,
        stale_runbooks=world.stale_runbooks,
        overdue_items=world.overdue_items,
        metrics=res,
        recent=layout.incidents[:10],
    )


def service_page(t: Templates, layout: Layout, svc: Service, res: m.Metrics) -> str:
    world = layout.world
    kes = sorted(world.known_errors_by_service.get(svc.id, []), key=lambda k: k.id)
    return t.render(
        "service.md",
        here=layout.service(svc),
        service=svc,
        group=world.content.groups.get(svc.group),
        status=world.current_status.get(svc.id, "operational"),
        routing_rows=[[label(k), v] for k, v in svc.routing.items()],
        criteria_rows=[
            [sev, svc.severity_criteria.get(sev) or DEFAULT_CRITERIA[sev] + " (company-wide)"]
            for sev in DEFAULT_CRITERIA
        ],
        runbooks=sorted(world.runbooks_by_service.get(svc.id, []), key=lambda r: r.id),
        stale_runbooks=world.stale_runbooks,
        known_errors=kes,
        open_known_errors=[k for k in kes if k.is_open],
        known_errors_of_service=layout.ke_service(svc.id),
        service_metrics=service_metrics(svc.id, res),
        incidents=sorted(
            world.incidents_by_service.get(svc.id, []),
            key=lambda i: (i.started_at, i.id),
            reverse=True,
        ),
        recent_limit=RECENT_PER_SERVICE,
    )


@dataclass(frozen=True, slots=True)
class ServiceMetrics:
    """A service's line of the metrics: incidents counted, rates, a row per duration metric."""

    incidents: int
    rates: str
    rows: list[list[str | Markup]]


def service_metrics(service: str, res: m.Metrics) -> ServiceMetrics | None:
    g = next((x for x in res.by_service if x.key == service), None)
    if g is None:
        return None
    rows: list[list[str | Markup]] = []
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
    rates = ", ".join(
        f"{m.DEFINITIONS[name][0].lower()} {m.fmt_share(g.rates[name].value)}"
        for name in m.RATE_METRICS
    )
    return ServiceMetrics(g.incidents, rates, rows)


def services_index(t: Templates, layout: Layout) -> str:
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
    return t.render("services.md", here=here, service_rows=rows)


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


def action_item_pages(t: Templates, layout: Layout) -> dict[str, str]:
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
    owner_rows: list[list[str | Markup]] = [
        [
            h.a(o, f"action-items/{slugs[o]}.md", here),
            str(len(owners[o])),
            str(sum(overdue(a) for a in owners[o])),
        ]
        for o in sorted(owners)
    ]
    shown = urgent if len(items) > ACTION_ITEMS_PER_PAGE_OWNER_SPLIT else items
    pages = {
        here: t.render(
            "action-items.md",
            here=here,
            items=items,
            overdue=late,
            today=today,
            owner_rows=owner_rows,
            urgent_only=shown is urgent,
            shown=len(shown),
            limit=ACTION_ITEMS_ON_INDEX,
            rows=_item_rows(layout, shown[:ACTION_ITEMS_ON_INDEX], here, overdue),
        )
    }
    for owner, mine in owners.items():
        path = f"action-items/{slugs[owner]}.md"
        pages[path] = t.render(
            "action-items-owner.md",
            here=path,
            owner=owner,
            index=here,
            rows=_item_rows(layout, mine, path, overdue),
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
    t = templates(layout)
    pages: dict[str, str] = {"index.md": home(t, layout, res)}
    pages.update(ke_index_pages(t, layout))
    pages.update(runbook_pages(t, layout))
    pages.update(incident_pages(t, layout))
    pages["services/index.md"] = services_index(t, layout)
    for svc in layout.world.content.services.values():
        pages[layout.service(svc)] = service_page(t, layout, svc, res)
    pages.update(action_item_pages(t, layout))
    pages.update(metrics_page(layout, res, t))
    pages.update(maturity_page(layout, t=t))
    return pages
