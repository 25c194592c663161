"""The domain article's communication templates: initial notification, progress, resolution.

Built-in defaults follow the article's wording. A site overrides one by putting a Jinja file in
its theme folder: ``<theme_dir>/messages/initial.md``, ``progress.md`` or ``resolution.md``
(docs/writers-guide.md lists the variables). Templates run in Jinja's sandbox with undefined
names refused, so a theme file cannot reach Python objects and a typo is an error, not an empty
string. The output is Markdown text, so nothing is HTML-escaped (the public page escapes it).

The parts only a person can write (the hypothesis, the root cause) are left as the placeholder
``[...]``; ``statuspress check`` warns about a published update that still holds one
(:data:`statuspress.completeness.PLACEHOLDER`).
"""

from __future__ import annotations

import datetime as dt
import re

from ..completeness import PLACEHOLDER
from ..errors import StatuspressError, UsageError
from ..models import Incident
from .common import Catalog

TEMPLATES = ("initial", "progress", "resolution")
DEFAULT_NEXT_UPDATE = 30
"""Minutes until the next update a message promises when ``--next-update`` is not given."""
REVIEW_DAYS = 5
"""A SEV-1/2 review is due 5 days after the resolution (``check`` warns after that)."""

DEFAULTS = {
    "initial": (
        "We are investigating an issue affecting {{ services }}. Impact: {{ impact }}. "
        "Next update in {{ next_update }}."
    ),
    "progress": (
        "Investigation is ongoing. Current hypothesis: [...]. Actions taken: [...]. "
        "Expected next step: [...]. Next update in {{ next_update }}."
    ),
    "resolution": (
        "The issue affecting {{ services }} has been resolved. Root cause: [...]. "
        "Duration: {{ duration }}."
        "{% if review_within %} We will publish a full post-incident review within "
        "{{ review_within }}.{% endif %}"
    ),
}

_NEXT = re.compile(r"(?:(\d{1,3})h)?(?:(\d{1,4})m)?")
_IMPACT_BY_SEVERITY = {
    "SEV-1": "complete outage for all users",
    "SEV-2": "significant degradation for a large share of users",
    "SEV-3": "partial impact on some functionality for a limited group of users",
    "SEV-4": "minor issues with minimal user impact",
}


def next_update_minutes(text: str | None) -> int:
    """``--next-update`` as minutes: ``30m``, ``2h``, ``1h30m`` (between 1 minute and 7 days)."""
    if text is None:
        return DEFAULT_NEXT_UPDATE
    found = _NEXT.fullmatch(text.strip())
    if not text.strip() or found is None or not any(found.groups()):
        raise UsageError(f"--next-update {text}: expected a duration like 30m, 2h or 1h30m")
    minutes = int(found.group(1) or 0) * 60 + int(found.group(2) or 0)
    if not 1 <= minutes <= 7 * 24 * 60:
        raise UsageError(f"--next-update {text}: must be between 1 minute and 7 days")
    return minutes


def span(minutes: int) -> str:
    """Minutes in words for a public message: ``30 minutes``, ``1 hour``, ``2 hours 5 minutes``."""
    days, rest = divmod(max(minutes, 0), 1440)
    hours, mins = divmod(rest, 60)
    parts = [
        f"{n} {word}{'' if n == 1 else 's'}"
        for n, word in ((days, "day"), (hours, "hour"), (mins, "minute"))
        if n
    ]
    return " ".join(parts) or "less than a minute"


def names(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def public_service_names(catalog: Catalog, ids: list[str]) -> str:
    """The affected services by name; internal ones stay off the public page when any is public."""
    services = catalog.content.services
    known = [s for s in ids if s in services]
    public = [s for s in known if services[s].public] or known
    return names([services[s].name for s in public]) if public else "our services"


def render(
    catalog: Catalog,
    name: str,
    *,
    services: str,
    impact: str,
    severity: str,
    next_update: int,
    duration_minutes: int | None = None,
) -> str:
    """Fill template ``name`` (the site's override, else the built-in) and return the text."""
    if name not in TEMPLATES:
        raise UsageError(f"unknown template '{name}'; use one of {', '.join(TEMPLATES)}")
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    source, origin = _source(catalog, name)
    env = SandboxedEnvironment(
        autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=False
    )
    values = {
        "services": services,
        "impact": impact,
        "severity": severity,
        "severity_impact": _IMPACT_BY_SEVERITY.get(severity, ""),
        "next_update": span(next_update),
        "next_update_minutes": next_update,
        "duration": span(duration_minutes) if duration_minutes is not None else "",
        "review_within": f"{REVIEW_DAYS} days" if severity in ("SEV-1", "SEV-2") else "",
    }
    try:
        text = env.from_string(source).render(values)
    except jinja2.TemplateSyntaxError as exc:
        raise StatuspressError(f"{origin}:{exc.lineno}: template error: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise StatuspressError(f"{origin}: template error: {exc}") from None
    text = text.strip()
    if not text:
        raise StatuspressError(f"{origin}: the template gave an empty message")
    return text


def _source(catalog: Catalog, name: str) -> tuple[str, str]:
    theme = catalog.site.theme_dir
    if theme:
        path = catalog.root.parent / theme / "messages" / f"{name}.md"
        if path.is_file():
            try:
                return path.read_text(encoding="utf-8"), str(path)
            except (OSError, UnicodeDecodeError) as exc:
                raise StatuspressError(f"cannot read {path}: {exc}") from None
    return DEFAULTS[name], f"built-in template '{name}'"


def for_incident(
    catalog: Catalog, inc: Incident, name: str, at: dt.datetime, next_update: int
) -> str:
    """Template ``name`` filled from an incident as it stands at ``at``."""
    ids = list(inc.services)
    duration = int((at - inc.started_at).total_seconds() // 60)
    severity = inc.severity or ""
    return render(
        catalog,
        name,
        services=public_service_names(catalog, ids),
        impact=_IMPACT_BY_SEVERITY.get(severity, "under investigation"),
        severity=severity,
        next_update=next_update,
        duration_minutes=duration,
    )


def placeholder(text: str) -> str | None:
    """The first unfilled placeholder in ``text``, or None."""
    found = PLACEHOLDER.search(text)
    return found.group() if found else None


__all__ = ["DEFAULTS", "PLACEHOLDER", "TEMPLATES", "for_incident", "placeholder", "render"]
