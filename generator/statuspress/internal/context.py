"""What every internal page template can call: links, tables, paths, and the text filters.

Each page's own data (sorted lists, numbers) comes from the module that renders it; this is
the shared vocabulary. Helpers that need the page's own path (relative links) read ``here``
from the template's context. Every helper returns :class:`markupsafe.Markup` built from escaped
parts, so the template's default escaping (:func:`.templating.finalize`) leaves it alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import jinja2
from jinja2.runtime import Context
from markupsafe import Markup

from ..durations import format_minutes
from ..models import Incident, KnownError, Runbook
from . import html as h
from . import mdtext
from .incident_pages import page_filters
from .kedb import alert_anchor
from .layout import Layout
from .listings import INCIDENT_HEADERS, KE_HEADERS, incident_rows, ke_rows
from .mdext import CLOSE, OPEN
from .templating import Templates, finalize, make_env, markup


def templates(layout: Layout) -> Templates:
    """The build's templates, compiled once (a broken override stops here, before any page)."""
    site = layout.world.content.site
    theme_dir = (layout.world.content.root.parent / site.theme_dir) if site.theme_dir else None
    env = make_env(theme_dir, helpers(layout))
    env.filters.update(filters(layout))
    t = Templates(env)
    t.load_all()
    return t


def _admonition(
    kind: str, title: str, collapsible: bool = False, *, caller: Callable[[], str]
) -> Markup:
    """``{% call admonition("tip", "Title") %}body{% endcall %}``: the body indented under it."""
    body = caller().rstrip("\n")
    return Markup(mdtext.admonition(kind, str(finalize(title)), body, collapsible))


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> Markup:
    """A Markdown pipe table; each cell escaped unless Markup (links, bold verdicts)."""
    cells = [[str(finalize(c)) for c in row] for row in rows]
    return Markup(mdtext.table([str(finalize(x)) for x in headers], cells))


def _block(html: Markup) -> Markup:
    """A raw HTML block on lines of its own (a blank line before it; the line break after it
    is the template's)."""
    return Markup(f"\n{OPEN}\n{html}\n{CLOSE}")


def _html_table(headers: Sequence[str], rows: Sequence[Sequence[str | Markup]]) -> Markup:
    return _block(h.table(headers, rows))


def helpers(layout: Layout) -> dict[str, Any]:
    """The globals of every internal template."""

    @jinja2.pass_context
    def link(ctx: Context, text: str, target: str) -> Markup:
        return Markup(mdtext.link(text, target, ctx["here"]))

    @jinja2.pass_context
    def a(ctx: Context, text: str, target: str) -> Markup:
        return h.a(text, target, ctx["here"])

    @jinja2.pass_context
    def service_links(ctx: Context, services: list[str]) -> Markup:
        """``[Checkout](../services/checkout.md), ...``: Markdown links, for a Markdown line."""
        here = ctx["here"]
        return Markup(
            ", ".join(
                mdtext.link(layout.service_name(s), layout.service(s), here) for s in services
            )
        )

    @jinja2.pass_context
    def runbook_links(ctx: Context, runbooks: list[Runbook]) -> Markup:
        here = ctx["here"]
        return Markup(", ".join(mdtext.link(r.title, layout.runbook(r), here) for r in runbooks))

    @jinja2.pass_context
    def incident_table(ctx: Context, incidents: list[Incident]) -> Markup:
        return _html_table(INCIDENT_HEADERS, incident_rows(layout, incidents, ctx["here"]))

    @jinja2.pass_context
    def known_error_table(ctx: Context, kes: list[KnownError]) -> Markup:
        return _html_table(KE_HEADERS, ke_rows(layout, kes, ctx["here"]))

    return {
        "front_matter": markup(mdtext.front_matter),
        "link": link,
        "a": a,
        "code": markup(mdtext.code),
        "fence": markup(mdtext.fence),
        "table": _table,
        "admonition": _admonition,
        "html_table": _html_table,
        "service_links": service_links,
        "runbook_links": runbook_links,
        "incident_table": incident_table,
        "known_error_table": known_error_table,
        "EXCLUDE": Markup(mdtext.EXCLUDE),
        # Paths of pages (Markdown paths in the docs folder; link() makes them relative).
        "incident_path": layout.incident,
        "month_path": layout.month,
        "month_of": layout.month_of,
        "known_error_path": layout.known_error,
        "ke_status_path": layout.ke_status,
        "ke_service_path": layout.ke_service,
        "runbook_path": layout.runbook,
        "service_path": layout.service,
        "service_name": layout.service_name,
        "fmt": h.fmt,
        "bullets": h.bullets,
    }


def filters(layout: Layout) -> dict[str, Callable[..., Any]]:
    tz = layout.tz
    return {
        "label": mdtext.label,
        "day": mdtext.day,
        "when": lambda moment: mdtext.when(moment, tz),
        "duration": format_minutes,
        "anchor": alert_anchor,
        "block": _block,
        **page_filters(layout),
        "plural": mdtext.plural,
    }
