"""The Jinja environment of the public site: loaders, filters, theme settings.

Templates are looked up in the site's overrides folder (``theme_dir`` in site.yaml) first, then
in the built-in ``theme/``; ``default:NAME`` always names the built-in template, so an override
can ``{% extends "default:base.html" %}`` and replace a single block. Autoescaping is on for
every template: the only way to emit markup from content is the ``markdown`` filter, which runs
public text through :func:`statuspress.markdown.render` (raw HTML removed, sanitised).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup, escape

from .. import i18n
from ..errors import BuildError, did_you_mean
from ..i18n import N_, Formats, Texts, theme_root
from ..jinjaenv import OPTIONS, Environment, overridable, syntax_error
from ..markdown import render as render_markdown
from .translate import FoldedI18n
from .translate import install as install_translations

# The English formats live in .i18n; these names stay importable from here.
MONTHS = i18n.MONTHS
zone_name = i18n.zone_name

# Labels are English msgids (marked for extraction); pages show them through the catalog.
STATUS_LABELS = {
    "operational": N_("Operational"),
    "degraded_performance": N_("Degraded performance"),
    "partial_outage": N_("Partial outage"),
    "major_outage": N_("Major outage"),
    "under_maintenance": N_("Under maintenance"),
}
IMPACT_LABELS = {
    "none": N_("No impact"),
    "minor": N_("Minor impact"),
    "major": N_("Major impact"),
    "critical": N_("Critical impact"),
    "maintenance": N_("Maintenance"),
}
INCIDENT_STATUS_LABELS = {
    "investigating": N_("Investigating"),
    "identified": N_("Identified"),
    "monitoring": N_("Monitoring"),
    "resolved": N_("Resolved"),
    "scheduled": N_("Scheduled"),
    "in_progress": N_("In progress"),
    "verifying": N_("Verifying"),
    "completed": N_("Completed"),
}


@dataclass(slots=True)
class ThemeConfig:
    """Settings of the theme (``theme.yml``; an overrides folder's ``theme.yml`` wins)."""

    recent_days: int = 7
    """Days of past incidents on the home page."""
    recent_limit: int = 10
    """At most this many past incidents on the home page (the rest: history pages)."""
    upcoming_limit: int = 10
    """At most this many upcoming maintenances on the home page."""
    service_history_limit: int = 100
    """Most incidents of the last ``uptime_days`` days listed on a service page."""
    history_recent_months: int = 3
    """Months shown in full on the history index page."""
    directory_urls: bool = False
    """Link to ``incidents/x/`` rather than ``incidents/x/index.html`` (not browsable from disk)."""
    extra_css: list[str] = field(default_factory=list)
    """Stylesheets in the overrides folder, copied and linked after ``style.css``."""


def load_theme_config(theme: Path, overrides: Path | None) -> ThemeConfig:
    """Merge ``theme.yml`` of the theme and of the overrides folder into a :class:`ThemeConfig`."""
    config = ThemeConfig()
    known = {f.name: f for f in fields(ThemeConfig)}
    for folder in (theme, overrides):
        if folder is None or not (folder / "theme.yml").is_file():
            continue
        path = folder / "theme.yml"
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise BuildError(f"{path}: cannot read theme settings: {exc}") from exc
        if not isinstance(data, dict):
            raise BuildError(f"{path}: theme settings must be a mapping")
        for key, value in data.items():
            if key not in known:
                raise BuildError(
                    f"{path}: unknown theme setting '{key}'{did_you_mean(str(key), known)}"
                )
            default = getattr(ThemeConfig(), key)
            if isinstance(default, bool) != isinstance(value, bool) or not isinstance(
                value, type(default)
            ):
                raise BuildError(f"{path}: {key}: expected {type(default).__name__}, got {value!r}")
            if isinstance(value, int) and not isinstance(value, bool) and value < 0:
                raise BuildError(f"{path}: {key}: must be 0 or more, got {value}")
            if isinstance(value, list) and not all(isinstance(v, str) for v in value):
                raise BuildError(f"{path}: {key}: expected a list of file names")
            setattr(config, key, value)
    return config


# --- filters -------------------------------------------------------------------------------


def markdown_filter() -> Callable[[str], Markup]:
    """Public Markdown -> sanitised HTML: the only filter that returns markup.

    Each text is rendered once per build (a message shows on its incident page, in the month's
    history and maybe on the home page); the cache lives as long as the environment.
    """
    cache: dict[str, Markup] = {}

    def markdown(text: str) -> Markup:
        html = cache.get(text)
        if html is None:
            html = cache[text] = Markup(render_markdown(text))
        return html

    return markdown


class Clock:
    """Formats moments in the site's display zone, in the language of ``formats``."""

    def __init__(self, tz: dt.tzinfo, formats: Formats | None = None) -> None:
        self.tz = tz
        self.formats = formats or Formats()

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.tz)

    def datetime(self, moment: dt.datetime) -> str:
        """``27 Nov 2026, 10:55 CET``."""
        return self.formats.datetime(moment.astimezone(self.tz))

    def date(self, moment: dt.datetime | dt.date) -> str:
        """``27 Nov 2026`` (a moment is taken in the display zone)."""
        d = self.local(moment).date() if isinstance(moment, dt.datetime) else moment
        return self.formats.date(d)

    def time(self, moment: dt.datetime) -> str:
        """``10:55 CET``."""
        return self.formats.time(moment.astimezone(self.tz))


def when_function(clock: Clock) -> Callable[..., Markup]:
    """``when(moment, style)``: ``<time datetime="..Z" title="27 Nov 2026, 09:55 UTC">..</time>``.

    A function rather than a macro because pages call it thousands of times; ``style`` is
    ``datetime`` (default), ``date`` or ``time``.
    """
    cache: dict[tuple[dt.datetime, str], Markup] = {}
    formats = {"datetime": clock.datetime, "date": clock.date, "time": clock.time}
    utc_clock = Clock(dt.UTC, clock.formats)

    def when(moment: dt.datetime, style: str = "datetime") -> Markup:
        key = (moment, style)
        html = cache.get(key)
        if html is None:
            text = escape(formats[style](moment))
            instant = iso_utc(moment)
            # The UTC instant as a tooltip, in the pages' own format ("27 Nov 2026, 11:00
            # UTC"): readers in other zones can compare without maths or a second notation.
            utc = escape(utc_clock.datetime(moment))
            html = cache[key] = Markup(f'<time datetime="{instant}" title="{utc}">{text}</time>')
        return html

    return when


def iso_utc(moment: dt.datetime) -> str:
    """Machine-readable UTC moment for ``<time datetime>``: ``2026-11-27T09:55:00Z``."""
    t = moment.astimezone(dt.UTC)
    if t.year < 1000:  # strftime writes such years unpadded on some platforms: keep its text
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{t.year}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}Z"


def month_name(month: tuple[int, int] | str, formats: Formats | None = None) -> str:
    """``(2026, 11)`` or ``"2026-11"`` -> ``November 2026``."""
    if isinstance(month, str):
        year, number = (int(x) for x in month.split("-"))
    else:
        year, number = month
    return (formats or Formats()).month(year, number)


def label(mapping: dict[str, str], value: str) -> str:
    return mapping.get(value, value.replace("_", " ").capitalize())


def plural(count: int, singular: str, many: str | None = None) -> str:
    """``1 incident``, ``3 incidents`` (English; templates use ``{% trans count=... %}``)."""
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


# --- environment ---------------------------------------------------------------------------


class PinnedSources(jinja2.BaseLoader):
    """Reads each template once: what serve's page memo analyses is what gets compiled."""

    def __init__(self, inner: jinja2.BaseLoader) -> None:
        self.inner = inner
        self.sources: dict[str, tuple[str, str | None, Callable[[], bool] | None]] = {}

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        found = self.sources.get(template)
        if found is None:
            found = self.sources[template] = self.inner.get_source(environment, template)
        return found

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


def make_env(
    overrides: Path | None,
    theme: Path | None = None,
    texts: Texts | None = None,
    bytecode: jinja2.BytecodeCache | None = None,
) -> jinja2.Environment:
    """The environment: overrides folder -> built-in theme, plus the ``default:`` prefix.

    ``texts`` gives the language (English by default); its messages are compiled into the
    templates (:mod:`.translate`), so each language needs its own environment, and its own
    ``bytecode``: (serve) compiled templates kept across renders, and every template source
    read once per environment (see :class:`PinnedSources`).
    """
    texts = texts or Texts()
    if overrides is not None and not overrides.is_dir():
        raise BuildError(f"theme_dir {overrides} is not a folder")
    loader = overridable(theme or theme_root(), overrides)
    if bytecode is not None:
        loader = PinnedSources(loader)
    env = Environment(
        loader=loader,
        bytecode_cache=bytecode,
        autoescape=True,
        extensions=[FoldedI18n],
        **OPTIONS,
    )
    env.policies["ext.i18n.trimmed"] = True
    install_translations(env, texts)
    gettext = texts.gettext
    env.filters["markdown"] = markdown_filter()
    env.filters["iso"] = iso_utc
    env.filters["status_label"] = lambda v: gettext(label(STATUS_LABELS, v))
    env.filters["impact_label"] = lambda v: gettext(label(IMPACT_LABELS, v))
    env.filters["incident_status_label"] = lambda v: gettext(label(INCIDENT_STATUS_LABELS, v))
    env.filters["month_name"] = lambda m: month_name(m, texts.formats)
    env.filters["duration"] = texts.formats.duration
    env.filters["percent"] = texts.formats.percent
    env.globals["plural"] = plural
    env.globals["lang"] = texts
    return env


def select(env: jinja2.Environment, candidates: list[str]) -> jinja2.Template:
    """The first template that exists, most specific first (a clear error if none does)."""
    # Listing the folders once spares thousands of failed lookups (one per incident page).
    known: set[str] | None = getattr(env, "statuspress_templates", None)
    if known is None:
        known = set(env.list_templates())
        env.statuspress_templates = known  # type: ignore[attr-defined]
    present = [c for c in candidates if c in known] or candidates
    try:
        return env.select_template(present)
    except jinja2.TemplateSyntaxError as exc:
        raise syntax_error(exc) from exc
    except jinja2.TemplatesNotFound as exc:
        raise BuildError(f"no template found among {', '.join(candidates)}") from exc


def considered(candidates: list[str], chosen: str) -> str:
    """``incident-x.html, *incident.html``: the comment that tells themers what they may add."""
    names = [("*" + c if c == chosen else c) for c in candidates]
    return ", ".join(names).replace("--", "- -")


def render(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Render, turning template mistakes into a :class:`BuildError` that names the template."""
    try:
        return template.render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise syntax_error(exc) from exc
    except jinja2.TemplateError as exc:
        raise BuildError(f"template {template.name}: {exc}") from exc
    except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError) as exc:
        # What a template author's expression can raise; name the page's template, not a trace.
        raise BuildError(f"template {template.name}: {type(exc).__name__}: {exc}") from exc
