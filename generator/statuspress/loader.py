"""The one loader: read, schema-check and validate a content folder, for every command.

``check``, both kinds of ``build``, ``report``, ``match`` and ``serve`` all call :func:`load`.
It reads the site settings and service catalog, then every incident file (on several
processes for a large tree, see :mod:`.parallel`), then known errors and runbooks, and
decides what needs more than one file (duplicate ids, references between files) last, in
file order, so the result never depends on how the work was split.

What a command keeps of each valid incident is up to it (``keep``): the full model (the
default: the knowledge base, reports and ``match`` need it), its public projection (the
public-only build), or nothing (``check`` only needs the diagnostics). Full models stay in
one process; anything else may be computed where the file was read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import parallel
from .derive import World, derive
from .errors import ERROR, ByLevel, ContentError, Diagnostic, Diagnostics, display_path
from .models import Content, Incident, Site
from .parallel import default_jobs, fork_is_safe
from .readers import Reader, sort_incidents
from .validate import Ref, Validator

Keep = Callable[[Content, Incident], Any]
"""Called where a valid incident was read; what it returns is kept (``None`` is dropped).

It must be picklable (a module-level function or an instance of a module-level class) when
the tree is large enough to be read on several processes."""

PARALLEL_MIN_FILES = 1500
"""Below this many incident files a second process costs more than it saves."""


def keep_nothing(content: Content, incident: Incident) -> None:
    """For commands that only need the diagnostics (``check``)."""
    return None


@dataclass(slots=True)
class Loaded(ByLevel):
    """What :func:`load` read: the content, every diagnostic, and what ``keep`` kept."""

    content: Content
    """Settings, services, known errors, runbooks; incidents only when full models are kept."""
    diagnostics: list[Diagnostic]
    """Every problem of every file, sorted."""
    kept: list[Any] = field(default_factory=list)
    """What ``keep`` returned for each incident without errors, in file order."""
    incidents: int = 0
    """Incident files read (duplicates not counted)."""
    processes: int = 1

    def raise_on_errors(self) -> Loaded:
        if self.errors:
            raise ContentError(self.diagnostics)
        return self


@dataclass(slots=True)
class LoadedWorld(ByLevel):
    """A full load with the derived world, for commands that need every model."""

    world: World
    diagnostics: list[Diagnostic]


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cycle collector: reading allocates ~100 objects per file and no cycles, so
    collections only rescan the growing model (a tenth of the time on a large tree)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(
    content_dir: Path,
    now: dt.datetime,
    *,
    keep: Keep | None = None,
    jobs: int | None = None,
    parallel_min: int | None = None,
    reader: Reader | None = None,
) -> Loaded:
    """Read and check everything under ``content_dir``; never raises for content mistakes.

    ``keep=None`` keeps every incident's full model in ``content.incidents`` (one process);
    otherwise ``keep`` decides what is kept of each valid incident (see :data:`Keep`), and
    the incident files are read on up to ``jobs`` processes (``$STATUSPRESS_JOBS``, else the
    usable CPUs) once there are ``parallel_min`` of them. ``reader`` may be a subclass that
    caches (``serve``).
    """
    reader = reader if reader is not None else Reader(content_dir, Diagnostics())
    diags = reader.diags
    if not content_dir.is_dir():
        diags.error(display_path(content_dir), 0, "", "content folder does not exist")
        empty = Content(content_dir, Site(title="Status", base_url="https://status.invalid/"))
        return Loaded(empty, diags.sorted())
    with _no_gc():
        paths = reader.files("incidents", recursive=True)
        content = reader.read_catalogs()  # incidents are checked against the service catalog
        if reader.foreign_format:  # site.yaml names a format this release cannot read
            return Loaded(content, diags.sorted())
        chunks = _chunks(paths, content_dir, keep, jobs, parallel_min)
        job = _Job(content_dir, _catalogs(content), now, keep)
        # This process also reads the known errors and runbooks (its first chunk is smaller).
        results = parallel.map_chunks(_check_incidents, job, chunks) if len(chunks) > 1 else []
        if len(chunks) <= 1:
            results = [_check_incidents(job, paths, reader)]
        reader.read_known_errors(content)
        reader.read_runbooks(content)
        validator = Validator(content, diags, now)
        for ke in content.known_errors.values():
            validator.known_error(ke)
        for rb in content.runbooks.values():
            validator.runbook(rb)
        loaded = Loaded(content, [], processes=len(chunks) or 1)
        ids: dict[str, str] = {}
        refs: list[tuple[str, list[Ref]]] = []
        for incident_id, shown, read, checked, incident_refs, value in (
            result for chunk in results for result in chunk
        ):
            if read:
                diags.extend(Diagnostic(*d) for d in read)
            if incident_id is None:
                continue
            if incident_id in ids:
                diags.error(
                    shown, 0, "", f"duplicate incident id '{incident_id}' (also {ids[incident_id]})"
                )
                continue
            ids[incident_id] = shown
            if checked:
                diags.extend(Diagnostic(*d) for d in checked)
            if incident_refs:  # most incidents refer to no other file
                refs.append((shown, incident_refs))
            if keep is None:
                content.incidents[incident_id] = value
            elif value is not None:
                loaded.kept.append(value)
        pools = validator.pools(ids)
        before = reader.resolved_before(pools)  # serve: lists found whole with equal pools
        found: dict[int, object] = {}
        for shown, incident_refs in refs:  # now that every incident id is known
            key = id(incident_refs)
            if before.get(key) is not incident_refs:
                mark = len(diags.items)
                validator.resolve(shown, incident_refs, pools)
                if len(diags.items) != mark:
                    continue  # reported (or a file outside the pools): looked up every time
            found[key] = incident_refs
        reader.resolved_now(pools, found)
        if keep is None:
            sort_incidents(content)
        loaded.incidents = len(ids)
        loaded.diagnostics = diags.sorted()
        return loaded


def load_world(content_dir: Path, now: dt.datetime, reader: Reader | None = None) -> LoadedWorld:
    """A full load and the derived world (metrics, states); raises on no content mistake."""
    loaded = load(content_dir, now, reader=reader)
    with _no_gc():
        return LoadedWorld(derive(loaded.content, now), loaded.diagnostics)


def load_valid(content_dir: Path, now: dt.datetime) -> LoadedWorld:
    """Like :func:`load_world`, but raise :class:`ContentError` when there is any error."""
    result = load_world(content_dir, now)
    if result.errors:
        raise ContentError(result.diagnostics)
    return result


# -- reading incident files, here or in a worker -------------------------------------------

_DiagTuple = tuple[str, int, str, str, str]
_FileResult = tuple[str | None, str, list[_DiagTuple], list[_DiagTuple], list[Ref], Any]
"""Incident id (None when unreadable), shown path, read and check diagnostics, references,
and what ``keep`` kept (the model itself for a full load): plain data, cheap to pickle."""


@dataclass(frozen=True, slots=True)
class _Job:
    root: Path
    catalogs: Content
    """Settings and services only: what checking one incident needs."""
    now: dt.datetime
    keep: Keep | None


class _AnyId(dict[str, Any]):
    """Stands in for ids not known yet: every reference resolves here (decided later)."""

    def __contains__(self, key: object) -> bool:
        return True


def _catalogs(content: Content) -> Content:
    return Content(
        content.root,
        content.site,
        groups=content.groups,
        services=content.services,
        incidents=_AnyId(),
        known_errors=_AnyId(),
        runbooks=_AnyId(),
    )


def _chunks(
    paths: list[Path], root: Path, keep: Keep | None, jobs: int | None, parallel_min: int | None
) -> list[list[Path]]:
    """How the incident files are split between this process (first) and workers."""
    jobs = max(default_jobs() if jobs is None else jobs, 1)
    minimum = PARALLEL_MIN_FILES if parallel_min is None else parallel_min
    if keep is None or jobs == 1 or len(paths) < max(minimum, 2) or not fork_is_safe():
        return [paths]
    extra = sum(1 for _ in root.glob("known-errors/*.md")) + sum(
        1 for _ in root.glob("runbooks/*.md")
    )
    share = own_share(len(paths), extra, jobs, keep is not keep_nothing)
    rest = len(paths) - share
    bounds = [0, share] + [share + rest * k // (jobs - 1) for k in range(1, jobs)]
    return [paths[bounds[k] : bounds[k + 1]] for k in range(jobs)]


def own_share(incidents: int, extra: int, jobs: int, keeping: bool) -> int:
    """How many incident files this process takes so that every process finishes together.

    Measured at 10,000 incidents: a known error or runbook (read here only) costs about a
    quarter of an incident file, and a worker that also keeps projections spends about 4%
    more to send them back. Solves own + extra/4 = (incidents - own) * cost / (jobs - 1).
    """
    cost = 1.04 if keeping else 1.0
    own = (incidents * cost - extra / 4 * (jobs - 1)) / (jobs - 1 + cost)
    return min(max(int(own), 0), incidents)


def _check_incidents(
    job: _Job, paths: list[Path], reader: Reader | None = None
) -> list[_FileResult]:
    """Read and check some incident files (per-file rules only; references are returned)."""
    with _no_gc():
        if reader is None:
            reader = Reader(job.root, Diagnostics())
            reader.max_bytes = job.catalogs.site.max_file_bytes
        here = reader
        diags = here.diags
        validator = Validator(job.catalogs, Diagnostics(), job.now)

        def check(path: Path) -> _FileResult:
            mark = len(diags.items)
            incident = here.read_incident(path)
            read = [_tuple(d) for d in diags.items[mark:]]
            del diags.items[mark:]  # kept in the results; the caller adds them in file order
            if incident is None:
                return (None, "", read, [], [], None)
            validator.diags = Diagnostics()
            refs = validator.incident(incident, resolve=False)
            checked = [_tuple(d) for d in validator.diags.items]
            value: Any = incident
            if job.keep is not None:
                errors = any(d[4] == ERROR for d in read) or any(d[4] == ERROR for d in checked)
                value = None if errors else job.keep(job.catalogs, incident)
            return (incident.id, incident.source.path, read, checked, refs, value)

        # Everything one file's result depends on besides the file itself.
        cat = job.catalogs
        context = (cat.site, cat.groups, cat.services, job.now, job.keep)
        return here.remembered(paths, context, check)


def _tuple(d: Diagnostic) -> _DiagTuple:
    return (d.path, d.line, d.field, d.message, d.level)
