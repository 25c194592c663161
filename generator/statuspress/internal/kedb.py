"""Known-error database and runbook pages.

A known error's page puts the workaround first (that is what a responder at 3 a.m. needs), then
symptoms and the exact signatures in code blocks, so searching a log line finds it. These pages
get a search boost; their text is what the search index is for.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from ..definitions import KE_STATUSES
from ..models import KnownError, Runbook
from . import html as h
from .layout import Layout
from .listings import (
    INCIDENT_HEADERS,
    KE_HEADERS,
    incident_rows,
    ke_rows,
    occurrences,
    services_links,
)
from .mdtext import (
    EXCLUDE,
    admonition,
    code,
    day,
    esc,
    fence,
    front_matter,
    label,
    link,
    split_sections,
    when,
)

KE_BOOST = 3
RUNBOOK_BOOST = 2
STATUS_ORDER = {s: n for n, s in enumerate(KE_STATUSES)}
STANDARD_KE_SECTIONS = ("symptoms", "workaround", "root cause", "fix")


def service_links(layout: Layout, services: list[str], here: str) -> str:
    """Links to services for a Markdown line. (An HTML link's text would still be read as
    Markdown there: a name like ``[x](javascript:...)`` would become a link of its own.)"""
    return ", ".join(link(layout.service_name(s), layout.service(s), here) for s in services)


def known_error_page(layout: Layout, ke: KnownError) -> str:
    here = layout.known_error(ke)
    runbooks = sorted(layout.world.runbooks_by_ke.get(ke.id, []), key=lambda r: r.id)
    seen = occurrences(layout, ke.id)
    linked = sorted(
        layout.world.incidents_by_ke.get(ke.id, []), key=lambda i: i.started_at, reverse=True
    )
    out = [front_matter(f"{ke.id}: {ke.title}", search={"boost": KE_BOOST})]
    out.append(f"# {ke.id}: {esc(ke.title)}\n")
    facts = [
        f"**Status:** {label(ke.status)}",
        f"**Services:** {service_links(layout, ke.services, here)}",
        f"**Owner:** {esc(ke.owner)}",
        f"**Occurrences:** {len(seen)}",
        f"**Last seen:** {when(seen[0].started_at, layout.tz) if seen else 'never'}",
    ]
    if ke.identified:
        facts.append(f"**Identified:** {day(ke.identified)}")
    if ke.problem:
        facts.append(f"**Problem:** {esc(ke.problem)}")
    if ke.review_by:
        facts.append(f"**Review by:** {day(ke.review_by)}")
    out.append(" · ".join(facts) + "\n")

    preamble, sections = split_sections(ke.body)
    by_title = {t.lower(): text for t, text in sections}
    workaround = by_title.get("workaround", "")
    rb_line = ""
    if runbooks:
        rb_line = "\n\nRunbooks: " + ", ".join(
            link(r.title, layout.runbook(r), here) for r in runbooks
        )
    if workaround:
        out.append(admonition("tip", "Workaround", workaround + rb_line))
    else:
        out.append(
            admonition(
                "warning",
                "No workaround yet",
                "No workaround is documented. Follow the runbooks and escalate early." + rb_line,
            )
        )
    if preamble:
        out.append(preamble + "\n")

    # Symptoms and signatures stay in the page's first search section (no heading of their own):
    # material ranks a page's first section above its sub-sections, and these are what a
    # responder types or pastes.
    symptoms = "\n".join(f"- {esc(s)}" for s in ke.symptoms)
    if by_title.get("symptoms"):
        symptoms = (symptoms + "\n\n" if symptoms else "") + by_title["symptoms"]
    out.append(admonition("bug", "Symptoms", symptoms or "Not documented yet."))
    if ke.signatures:
        exact = [s for s in ke.signatures if not s.startswith("re:")]
        patterns = [s[3:] for s in ke.signatures if s.startswith("re:")]
        text = "Exact log lines and error strings:\n\n" + fence("\n".join(exact)) if exact else ""
        if patterns:
            text += (
                ("\n\n" if text else "")
                + "Regular expressions (`statuspress match` tests log lines against them):\n\n"
                + fence("\n".join(patterns))
            )
        out.append(admonition("quote", "Signatures", text))
    for title in ("root cause", "fix"):
        out.append(f"## {title.capitalize()}\n")
        out.append((by_title.get(title) or "Not documented yet.") + "\n")
    if ke.fix_ref:
        out.append(f"Fix reference: {esc(ke.fix_ref)}\n")
    for title, text in sections:
        if title.lower() not in STANDARD_KE_SECTIONS:
            out.append(f"## {title}\n\n{text}\n")

    out.append(f"## Linked incidents {EXCLUDE}\n")
    if linked:
        out.append(
            f"{len(seen)} occurrences (gamedays and maintenance are listed but not counted).\n"
        )
        out.append(h.block(h.table(INCIDENT_HEADERS, incident_rows(layout, linked, here))))
    else:
        out.append("No incident names this known error yet.\n")
    out.append("## Runbooks\n")
    if runbooks:
        out.append(
            "\n".join(f"- {link(r.title, layout.runbook(r), here)}" for r in runbooks) + "\n"
        )
    else:
        out.append("No runbook lists this known error.\n")
    return "\n".join(out)


def ke_index_pages(layout: Layout) -> dict[str, str]:
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
    # Listing pages stay out of search: they repeat the titles of the pages they list.
    excluded = {"search": {"exclude": True}}
    out = [front_matter("Known errors", **excluded), "# Known-error database\n"]
    out.append(
        "Known errors are failures we have seen before, with a workaround. Search a symptom or "
        "paste a log line into the search box, or run `statuspress match 'LOG LINE'`.\n"
    )
    out.append("## By status\n")
    out.append(
        h.block(
            h.table(
                ("Status", "Known errors"),
                [
                    [h.a(label(s), layout.ke_status(s), here), str(len(by_status.get(s, [])))]
                    for s in KE_STATUSES
                ],
            )
        )
    )
    out.append("## By service\n")
    out.append(
        h.block(
            h.table(
                ("Service", "Open", "All"),
                [
                    [
                        h.a(layout.service_name(s), layout.ke_service(s), here),
                        str(sum(k.is_open for k in by_service[s])),
                        str(len(by_service[s])),
                    ]
                    for s in sorted(by_service)
                ],
            )
        )
    )
    open_kes = [k for k in kes if k.is_open]
    out.append("## Open known errors\n")
    out.append(
        h.block(h.table(KE_HEADERS, ke_rows(layout, open_kes, here))) if open_kes else "None.\n"
    )
    closed = len(kes) - len(open_kes)
    if closed:
        out.append(
            f"{closed} resolved or retired known errors are listed on the "
            + " and ".join(
                link(label(s), layout.ke_status(s), here) for s in ("resolved", "retired")
            )
            + " pages.\n"
        )
    pages[here] = "\n".join(out)
    for status in KE_STATUSES:
        path = layout.ke_status(status)
        rows = by_status.get(status, [])
        body = h.block(h.table(KE_HEADERS, ke_rows(layout, rows, path))) if rows else "None.\n"
        pages[path] = (
            front_matter(f"Known errors: {label(status)}", search={"exclude": True})
            + f"# Known errors: {label(status)}\n\n"
            + f"{link('All known errors', here, path)}\n"
            + body
        )
    for service, rows in by_service.items():
        path = layout.ke_service(service)
        name = layout.service_name(service)
        rows = sorted(rows, key=lambda k: (STATUS_ORDER[k.status], k.id))
        pages[path] = (
            front_matter(f"Known errors: {name}", search={"exclude": True})
            + f"# Known errors: {esc(name)}\n\n"
            + f"{link('All known errors', here, path)} · "
            + f"{link('Service page', layout.service(service), path)}\n"
            + h.block(h.table(KE_HEADERS, ke_rows(layout, rows, path)))
        )
    for ke in kes:
        pages[layout.known_error(ke)] = known_error_page(layout, ke)
    return pages


# --- runbooks --------------------------------------------------------------------------------


def runbook_page(layout: Layout, rb: Runbook) -> str:
    world = layout.world
    here = layout.runbook(rb)
    out = [front_matter(rb.title, search={"boost": RUNBOOK_BOOST})]
    out.append(f"# {esc(rb.title)}\n")
    if rb.id in world.stale_runbooks:
        out.append(
            admonition(
                "danger",
                "Stale runbook",
                f"This runbook was due for review on {day(rb.due_for_review)} "
                f"(last reviewed {day(rb.last_reviewed)}). Check every command against the "
                f"current system before you run it, and ask {esc(rb.owner)} to review it.",
            )
        )
    facts = [
        f"**Services:** {service_links(layout, rb.services, here)}",
        f"**Owner:** {esc(rb.owner)}",
        f"**Last reviewed:** {day(rb.last_reviewed)}",
        f"**Next review:** {day(rb.due_for_review)}"
        + (" (**stale**)" if rb.id in world.stale_runbooks else ""),
    ]
    out.append(" · ".join(facts) + "\n")
    if rb.known_errors:
        kes = world.content.known_errors
        out.append(
            "**Known errors:** "
            + ", ".join(
                link(f"{k}: {kes[k].title}" if k in kes else k, layout.known_error(k), here)
                for k in rb.known_errors
            )
            + "\n"
        )
    preamble, sections = split_sections(rb.body)
    if preamble:
        out.append(preamble + "\n")
    if rb.alerts:
        # One heading per alert: searching an alert name then lands on this runbook (a heading
        # weighs more than the same name in a known error's symptom list) at the right anchor.
        out.append("## Alerts\n")
        out += [f"### {code(a)} {{ #alert-{_anchor(a)} }}\n" for a in rb.alerts]
    out += [f"## {title}\n\n{text}\n" for title, text in sections]
    used = layout.incidents_by_runbook.get(rb.id, [])
    out.append(f"## Incidents that used this runbook {EXCLUDE}\n")
    if used:
        out.append(h.block(h.table(INCIDENT_HEADERS, incident_rows(layout, used[:50], here))))
        if len(used) > 50:
            out.append(f"And {len(used) - 50} older incidents.\n")
    else:
        out.append("None yet.\n")
    return "\n".join(out)


def _anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "alert"


def runbook_pages(layout: Layout) -> dict[str, str]:
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
    stale = len(world.stale_runbooks)
    index = (
        front_matter("Runbooks", search={"exclude": True})
        + "# Runbooks\n\n"
        + "Pre-written response playbooks: symptoms and detection, diagnosis, resolution, "
        + "rollback and escalation for one failure mode. "
        + (f"**{stale} runbooks are stale** (past their review date).\n" if stale else "\n")
        + h.block(h.table(("Runbook", "Services", "Owner", "Alerts", "Next review"), rows))
    )
    pages = {here: index}
    for rb in rbs:
        pages[layout.runbook(rb)] = runbook_page(layout, rb)
    return pages
