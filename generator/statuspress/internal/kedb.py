"""Known-error database and runbook pages.

A known error's page puts the workaround first (that is what a responder at 3 a.m. needs), then
symptoms and the exact signatures in code blocks, so searching a log line finds it. These pages
get a search boost; their text is what the search index is for.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup, escape

from ..definitions import KE_STATUSES
from ..models import KnownError, Runbook
from . import html as h
from .commands import commands_as_blocks
from .layout import Layout
from .listings import occurrences, services_links
from .mdtext import day, label, split_sections
from .templating import Templates

KE_BOOST = 3
RUNBOOK_BOOST = 2
STATUS_ORDER = {s: n for n, s in enumerate(KE_STATUSES)}
STANDARD_KE_SECTIONS = ("symptoms", "workaround", "root cause", "fix")
INDEX_OPEN = 100
INDEX_CLOSED = 30


def recency(layout: Layout) -> Callable[[KnownError], tuple[bool, float, str]]:
    """Sort key: the known error seen most recently first, never-seen ones last, then by id."""

    def key(ke: KnownError) -> tuple[bool, float, str]:
        seen = occurrences(layout, ke.id)
        return (not seen, -seen[0].started_at.timestamp() if seen else 0.0, ke.id)

    return key


def alias_tags(doc: KnownError | Runbook) -> dict[str, list[str]]:
    """Front matter putting the aliases in material's ``tags``: its search indexes them as a
    field of their own, weighted in mkdocs.yml (``plugins.search.fields.tags``). Escaped like
    the title: material writes tags into search results and tag lists as HTML."""
    return {"tags": [str(escape(a)) for a in doc.aliases]} if doc.aliases else {}


def known_error_page(t: Templates, layout: Layout, ke: KnownError) -> str:
    preamble, sections = split_sections(ke.body)
    return t.render(
        "known-error.md",
        here=layout.known_error(ke),
        ke=ke,
        boost=KE_BOOST,
        meta=alias_tags(ke),
        # As `check` warns: an open known error past its review date.
        review_due=bool(ke.is_open and ke.review_by and ke.review_by < layout.world.today),
        runbooks=sorted(layout.world.runbooks_by_ke.get(ke.id, []), key=lambda r: r.id),
        occurrences=occurrences(layout, ke.id),
        linked=sorted(
            layout.world.incidents_by_ke.get(ke.id, []), key=lambda i: i.started_at, reverse=True
        ),
        # The writer's own Markdown: passed through as written.
        preamble=Markup(preamble),
        # Commands at the end or start of a workaround step as code blocks (copy button).
        sections={
            t.lower(): Markup(commands_as_blocks(text) if t.lower() == "workaround" else text)
            for t, text in sections
        },
        other_sections=[
            (Markup(t), Markup(text))
            for t, text in sections
            if t.lower() not in STANDARD_KE_SECTIONS
        ],
        exact=[s for s in ke.signatures if not s.startswith("re:")],
        patterns=[s[3:] for s in ke.signatures if s.startswith("re:")],
    )


def ke_index_pages(t: Templates, layout: Layout) -> dict[str, str]:
    """The KEDB index plus one listing per status and per service (filters without JS)."""
    content = layout.world.content
    kes = sorted(content.known_errors.values(), key=lambda k: k.id)
    pages: dict[str, str] = {}
    here = "known-errors/index.md"
    by_status: dict[str, list[KnownError]] = {}
    by_service: dict[str, list[KnownError]] = {}
    for ke in kes:
        by_status.setdefault(ke.status, []).append(ke)
        for s in ke.services:
            by_service.setdefault(s, []).append(ke)
    open_kes = [k for k in kes if k.is_open]
    pages[here] = t.render(
        "known-errors.md",
        here=here,
        status_rows=[
            [h.a(label(s), layout.ke_status(s), here), str(len(by_status.get(s, [])))]
            for s in KE_STATUSES
        ],
        service_rows=[
            [
                h.a(layout.service_name(s), layout.ke_service(s), here),
                str(sum(k.is_open for k in by_service[s])),
                str(len(by_service[s])),
            ]
            for s in sorted(by_service)
        ],
        open_known_errors=open_kes,
        closed=len(kes) - len(open_kes),
        # The index shows the most recently seen first and at most INDEX_OPEN / INDEX_CLOSED
        # of each (a corpus of 10,000 incidents has 500 known errors: 260 KB for all of them);
        # the status pages list every one.
        open_shown=sorted(open_kes, key=recency(layout))[:INDEX_OPEN],
        closed_known_errors=sorted((k for k in kes if not k.is_open), key=recency(layout))[
            :INDEX_CLOSED
        ],
    )
    for status in KE_STATUSES:
        path = layout.ke_status(status)
        pages[path] = t.render(
            "known-errors-status.md",
            here=path,
            index=here,
            status=status,
            known_errors=by_status.get(status, []),
        )
    for service, rows in by_service.items():
        path = layout.ke_service(service)
        pages[path] = t.render(
            "known-errors-service.md",
            here=path,
            index=here,
            service=service,
            known_errors=sorted(rows, key=lambda k: (STATUS_ORDER[k.status], k.id)),
        )
    for ke in kes:
        pages[layout.known_error(ke)] = known_error_page(t, layout, ke)
    return pages


# --- runbooks --------------------------------------------------------------------------------


def runbook_page(t: Templates, layout: Layout, rb: Runbook) -> str:
    world = layout.world
    preamble, sections = split_sections(rb.body)
    return t.render(
        "runbook.md",
        here=layout.runbook(rb),
        rb=rb,
        boost=RUNBOOK_BOOST,
        meta=alias_tags(rb),
        stale=rb.id in world.stale_runbooks,
        known_errors=world.content.known_errors,
        # The writer's own Markdown: passed through as written.
        preamble=Markup(preamble),
        sections=[(Markup(title), Markup(commands_as_blocks(text))) for title, text in sections],
        used=layout.incidents_by_runbook.get(rb.id, []),
    )


def alert_anchor(text: str) -> str:
    """The heading id of an alert on its runbook's page (``#alert-cdn5xxratehigh``)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "alert"


def runbook_pages(t: Templates, layout: Layout) -> dict[str, str]:
    world = layout.world
    rbs = sorted(world.content.runbooks.values(), key=lambda r: r.id)
    here = "runbooks/index.md"
    rows: list[list[str | Markup]] = [
        [
            h.a(rb.title, layout.runbook(rb), here),
            services_links(layout, rb.services, here),
            rb.owner,
            h.join([h.fmt("<code>{}</code>", a) for a in rb.alerts]),
            day(rb.due_for_review)
            + (Markup(" <strong>stale</strong>") if rb.id in world.stale_runbooks else ""),
        ]
        for rb in rbs
    ]
    pages = {here: t.render("runbooks.md", here=here, rows=rows, stale=len(world.stale_runbooks))}
    for rb in rbs:
        pages[layout.runbook(rb)] = runbook_page(t, layout, rb)
    return pages
