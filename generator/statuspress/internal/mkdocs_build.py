"""Run mkdocs' own build, in process, over the generated Markdown.

The site's ``mkdocs.yml`` (next to the content folder) configures theme, extensions and search;
without one, :data:`DEFAULT_CONFIG` (the same settings as the repository's mkdocs.yml) is used.
statuspress overrides only ``docs_dir`` and ``site_dir`` (and fills ``site_name``/``site_url``
from site.yaml when the file leaves them out). mkdocs' log records are captured, not printed:
errors become one :class:`~statuspress.errors.BuildError`, warnings are returned.

Two things make the built pages safe and reproducible whatever the mkdocs.yml says:

- With mkdocs-material, :data:`OVERRIDES` is put between the site's own ``custom_dir`` and the
  theme: it adds the Content-Security-Policy (``partials/javascripts/base.html``, so a
  ``main.html`` of the site's own keeps it) and replaces material's inline scripts and icon
  ``<style>`` with files, so the policy needs no inline script or style.
- ``site_name`` is plain text: material prints it unescaped in some places and with ``|e`` in
  others, so it is handed over as escaped :class:`~markupsafe.Markup`, which both print once.
- mkdocs dates every page (``sitemap.xml``'s ``<lastmod>``, the gzip header) from
  ``SOURCE_DATE_EPOCH``; the build sets it to ``now`` for its duration.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup, escape

from ..errors import BuildError

# mkdocs-material prints a banner about its successor at every build unless this is set, and it
# reads the variable when it is imported, so set it before any mkdocs import happens.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

OVERRIDES = Path(__file__).with_name("overrides")
"""Template overrides for mkdocs-material: the CSP and material's inline scripts as files."""
ICONS_CSS = "assets/statuspress/icons.css"
"""A template in :data:`OVERRIDES`, rendered once per build: material's custom icon rules."""
STYLESHEET = "assets/statuspress/internal.css"
"""A file in :data:`OVERRIDES`, linked from every page: underlined links, phone layout, charts."""
# A dash splits words ("disk-pressure") but not an id from its number ("HikariPool-1",
# "KE-0010", "ip-10-30-1-22" stay one term, so a search for them does not match every "1").
SEPARATOR = r"""(?:[\s,:;!=\[\]{}()"'/|<>]|-(?!\d))+|\.(?!\d)|&[lg]t;|&amp;"""
TAGS_BOOST = 10
"""Weight of a page's ``tags`` in search: a known error's or runbook's ``aliases`` go there."""
TOP_SECTIONS = (
    "known-errors",
    "runbooks",
    "incidents",
    "services",
    "action-items",
    "metrics",
    "maturity",
)
DEFAULT_CONFIG: dict[str, Any] = {
    "theme": {
        "name": "material",
        "font": False,
        "language": "en",
        "features": [
            "navigation.prune",
            "search.highlight",
            "search.suggest",
            "content.code.copy",
        ],
        "palette": [
            {
                "media": "(prefers-color-scheme: light)",
                "scheme": "default",
                "toggle": {"icon": "material/weather-night", "name": "Switch to dark mode"},
            },
            {
                "media": "(prefers-color-scheme: dark)",
                "scheme": "slate",
                "toggle": {"icon": "material/weather-sunny", "name": "Switch to light mode"},
            },
        ],
        "icon": {"admonition": {"tip": "material/lightbulb-on"}},
    },
    "plugins": [
        {
            "search": {
                "separator": SEPARATOR,
                "fields": {
                    "title": {"boost": 10},
                    "text": {"boost": 1},
                    "tags": {"boost": TAGS_BOOST},
                },
            }
        }
    ],
    "markdown_extensions": [
        "admonition",
        "attr_list",
        "md_in_html",
        # Column alignment as align="..." (the CSP allows no style attributes).
        {"tables": {"use_align_attribute": True}},
        {"toc": {"permalink": True}},
        "pymdownx.details",
        "pymdownx.superfences",
        {"pymdownx.highlight": {"use_pygments": False}},
        "statuspress.internal.mdext",
    ],
    "nav": [
        {"Home": "index.md"},
        {"Known errors": "known-errors/index.md"},
        {"Runbooks": "runbooks/index.md"},
        {"Incidents": "incidents/index.md"},
        {"Services": "services/index.md"},
        {"Action items": "action-items/index.md"},
        {"Metrics": "metrics/index.md"},
        {"Maturity": "maturity/index.md"},
    ],
    "not_in_nav": "".join(f"/{s}/\n" for s in TOP_SECTIONS),
    "validation": {
        "omitted_files": "info",
        "absolute_links": "info",
        "unrecognized_links": "warn",
        "anchors": "warn",
    },
}


@dataclass(slots=True)
class BuiltSite:
    site_dir: Path
    pages: int
    warnings: list[str] = field(default_factory=list)

    @property
    def search_index_bytes(self) -> int:
        index = self.site_dir / "search" / "search_index.json"
        return index.stat().st_size if index.is_file() else 0


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def write_docs(pages: dict[str, str], docs: Path, extra: Path | None = None) -> None:
    """Write the generated pages, then copy hand-written ones (never over a generated page)."""
    made: set[Path] = set()
    for rel in sorted(pages):
        target = docs / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_text(pages[rel], encoding="utf-8")
    if extra is None:
        return
    if not extra.is_dir():
        raise BuildError(f"docs_dir {extra} (from site.yaml) is not a folder")
    for source in sorted(extra.rglob("*")):
        if not source.is_file() or any(p.startswith(".") for p in source.relative_to(extra).parts):
            continue
        rel = source.relative_to(extra).as_posix()
        if rel in pages:
            raise BuildError(
                f"{source}: the hand-written page {rel} would replace a generated page; rename it"
            )
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, docs / rel)


def config_file(content_root: Path, workdir: Path) -> tuple[Path, dict[str, Any]]:
    """The site's mkdocs.yml (next to the content folder), else the default written to workdir."""
    found = content_root.parent / "mkdocs.yml"
    if found.is_file():
        from mkdocs.utils.yaml import yaml_load

        with found.open("rb") as fd:
            try:
                raw = yaml_load(fd) or {}
            except Exception as exc:  # mkdocs' loader raises plain YAML errors
                raise BuildError(f"{found}: not valid YAML: {exc}") from exc
        return found, raw if isinstance(raw, dict) else {}
    path = workdir / "mkdocs.yml"
    path.write_text(yaml.safe_dump(DEFAULT_CONFIG, sort_keys=False), encoding="utf-8")
    return path, dict(DEFAULT_CONFIG)


@contextmanager
def _source_date(now: dt.datetime) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to ``now`` while mkdocs builds (it dates pages and the sitemap)."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(now.timestamp()))
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def _add_overrides(cfg: Any) -> None:
    """Put :data:`OVERRIDES` after the site's own ``custom_dir`` and before material's files,
    and link :data:`STYLESHEET` before the site's own ``extra_css`` (so the site's rules win)."""
    theme = cfg.theme
    if theme.name != "material":
        return
    theme.dirs.insert(1 if theme.custom_dir else 0, str(OVERRIDES))
    theme.static_templates.add(ICONS_CSS)
    if STYLESHEET not in cfg.extra_css:
        cfg.extra_css.insert(0, STYLESHEET)


def build_site(
    pages: dict[str, str],
    workdir: Path,
    *,
    content_root: Path,
    site_name: str,
    now: dt.datetime,
    site_url: str = "",
    extra_docs: Path | None = None,
) -> BuiltSite:
    """Write ``pages`` to ``workdir/docs`` and build them with mkdocs into ``workdir/site``."""
    docs = workdir / "docs"
    site = workdir / "site"
    write_docs(pages, docs, extra_docs)
    cfg_path, raw = config_file(content_root, workdir)
    # Links inside the generated raw-HTML blocks are computed for directory URLs.
    overrides: dict[str, Any] = {
        "docs_dir": str(docs),
        "site_dir": str(site),
        "use_directory_urls": True,
        "site_name": Markup(escape(str(raw.get("site_name") or site_name))),
    }
    if site_url and not raw.get("site_url"):
        overrides["site_url"] = site_url

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    capture = _Capture()
    saved = (logger.propagate, logger.level)
    logger.addHandler(capture)
    logger.propagate = False  # keep mkdocs' INFO/WARNING lines off the user's terminal
    logger.setLevel(logging.WARNING)
    try:
        try:
            cfg = load_config(config_file=str(cfg_path), **overrides)
            _add_overrides(cfg)
            cfg.plugins.on_startup(command="build", dirty=False)
            try:
                with _source_date(now):
                    build(cfg)
            finally:
                cfg.plugins.on_shutdown()
        except MkDocsException as exc:
            details = "; ".join(
                r.getMessage() for r in capture.records if r.levelno >= logging.ERROR
            )
            raise BuildError(
                f"mkdocs could not build the internal site ({cfg_path}): "
                f"{details or exc.format_message()}"
            ) from exc
    finally:
        logger.removeHandler(capture)
        logger.propagate, _ = saved
        logger.setLevel(saved[1])
    warnings = [r.getMessage() for r in capture.records if r.levelno == logging.WARNING]
    return BuiltSite(site, len(pages), warnings)
