"""``statuspress import``: run one importer, render its records, write them safely."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ContentError, Diagnostic, UsageError
from ..plugins import PluginError, plugin_label, run_plugin
from . import Imported, Importer, ImportOptions, IncidentRecord, discover
from .emit import incident_file, yaml_document
from .text import slug
from .writefiles import STATE_FILE, Planned, State, apply, plan

_SOURCE_ID = re.compile(r"^source:[ \t]*\n(?:[ \t]+.*\n)*?[ \t]+id:[ \t]*(.+?)[ \t]*$", re.M)


@dataclass(slots=True)
class ImportReport:
    importer: str
    documents: int
    incidents: int
    maintenances: int
    planned: list[Planned] = field(default_factory=list)
    dry_run: bool = False
    redirects: dict[str, str] = field(default_factory=dict)
    """Old page path -> new incident id, for hosts that serve redirects."""

    def count(self, action: str) -> int:
        return sum(1 for p in self.planned if p.action == action)

    def summary(self, content_dir: Path) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        parts = [
            f"{self.count('create')} {'to create' if self.dry_run else 'created'}",
            f"{self.count('update')} {'to update' if self.dry_run else 'updated'}",
            f"{self.count('unchanged')} unchanged",
        ]
        if self.count("overwrite"):
            parts.append(f"{self.count('overwrite')} edited files overwritten (--force)")
        if self.count("skip"):
            parts.append(
                f"{self.count('skip')} skipped (edited since the last import; --force overwrites)"
            )
        return (
            f"{verb} {self.incidents} incidents and {self.maintenances} maintenances from "
            f"{self.importer} ({self.documents} documents) into {content_dir}: " + ", ".join(parts)
        )


def run_import(
    name: str,
    sources: Sequence[str],
    content_dir: Path,
    *,
    dry_run: bool = False,
    force: bool = False,
    allow_http: bool = False,
    timeout: float = 30.0,
    progress: Callable[[str], None] = lambda _m: None,
) -> ImportReport:
    """Read, map, plan and (unless ``dry_run``) write; raise ContentError on any problem."""
    importers = discover()
    if name not in importers:
        raise UsageError(f"unknown importer '{name}'; installed: {', '.join(sorted(importers))}")
    importer = importers[name]
    if not isinstance(importer, Importer):
        raise PluginError(
            f"{plugin_label('importers', name)} is not an importer (it needs a 'description' "
            "and a read(sources, options) method)"
        )
    options = ImportOptions(
        content_dir=content_dir, timezone=_site_zone(content_dir), allow_http=allow_http,
        timeout=timeout, progress=progress,
    )  # fmt: skip
    result: Imported = run_plugin("importers", name, importer.read, list(sources), options)
    if not result.problems and result.site is None and not (content_dir / "site.yaml").exists():
        result.problem(
            ", ".join(sources), "$.page", "the sources name no page (title, URL, time zone) and "
            f"{content_dir / 'site.yaml'} does not exist: import the page's summary.json too, "
            "or write site.yaml first (statuspress init)",
        )  # fmt: skip
    if result.problems:
        raise ContentError([Diagnostic(p.document, 0, p.path, p.message) for p in result.problems])
    progress(f"mapped {len(result.incidents)} incidents from {result.documents} documents")
    state = State(content_dir)
    files, redirects = _files(content_dir, result, state)
    planned = plan(content_dir, files, state, force)
    if not dry_run:
        apply(content_dir, planned, state)
    maintenances = sum(1 for r in result.incidents if _is_maintenance(r))
    return ImportReport(
        importer=name, documents=result.documents,
        incidents=len(result.incidents) - maintenances, maintenances=maintenances,
        planned=planned, dry_run=dry_run, redirects=redirects,
    )  # fmt: skip


def _is_maintenance(record: IncidentRecord) -> bool:
    kind = record.front.get("kind")
    return getattr(kind, "value", kind) == "maintenance"


def _site_zone(content_dir: Path) -> str:
    """The zone of an existing site.yaml (cheaply: only this one key is needed)."""
    try:
        text = (content_dir / "site.yaml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    match = re.search(r"^timezone:[ \t]*[\"']?([A-Za-z0-9_+/-]+)", text, re.M)
    if not match:
        return ""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(match.group(1))
    except (ZoneInfoNotFoundError, ValueError):
        return ""
    return match.group(1)


def _files(
    content_dir: Path, result: Imported, state: State
) -> tuple[list[tuple[str, bytes, str]], dict[str, str]]:
    """Every file to write: (path, bytes, source key), and the old-path redirects."""
    files: list[tuple[str, bytes, str]] = []
    header = (
        f"Imported by `statuspress import {result.system}`; edit freely (re-imports skip edits)."
    )
    if result.site is not None and not (content_dir / "site.yaml").exists():
        files.append(("site.yaml", yaml_document(result.site, header).encode(), ""))
    if result.services:
        catalog: dict[str, object] = {}
        if result.groups:
            catalog["groups"] = result.groups
        catalog["services"] = result.services
        files.append(("services.yaml", yaml_document(catalog, header).encode(), ""))
    known = state.by_source()
    existing, stems = _existing_sources(content_dir, state)
    # Incident ids (file names) are unique across all folders: a new file may not take one.
    stems |= {Path(p).stem for p in state.files if p.startswith("incidents/")}
    redirects: dict[str, str] = {}
    for record in result.incidents:
        key = f"{result.system}:{record.source_id}"
        rel = known.get(key)
        if rel is None or not (content_dir / rel).exists():
            # Not imported before, or moved since: a file carrying its source.id wins.
            rel = existing.get(record.source_id) or rel
        if rel is None:
            stem = f"{record.day.isoformat()}-{slug(record.title) or 'incident'}"[:110].rstrip("-")
            candidate, n = stem, 2
            while candidate in stems:
                candidate, n = f"{stem}-{n}", n + 1
            rel = f"incidents/{candidate}.md"
        stems.add(Path(rel).stem)
        files.append((rel, incident_file(record).encode(), key))
        if record.old_path:
            redirects[record.old_path] = Path(rel).stem
    return files, redirects


def _existing_sources(content_dir: Path, state: State) -> tuple[dict[str, str], set[str]]:
    """source.id -> path of incident files the state file does not know (state lost, files
    moved or merged), and the ids (file names) of every incident file.

    Only files without a state entry are opened, so a repeated import reads none of them.
    """
    folder = content_dir / "incidents"
    found: dict[str, str] = {}
    stems: set[str] = set()
    if not folder.is_dir():
        return found, stems
    for path in sorted(folder.rglob("*.md")):
        stems.add(path.stem)
        rel = path.relative_to(content_dir).as_posix()
        if rel in state.files:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        match = _SOURCE_ID.search(text)
        if match:
            value = match.group(1)
            if value.startswith('"'):
                import json

                try:
                    value = json.loads(value)
                except ValueError:
                    continue
            found.setdefault(value.strip("'"), rel)
    return found, stems


__all__ = ["STATE_FILE", "ImportReport", "run_import"]
