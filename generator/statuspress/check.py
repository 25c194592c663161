"""``statuspress check``: read, validate, and report every problem in one run."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import os
import pickle
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .derive import World, derive
from .errors import (
    ERROR,
    WARNING,
    ContentError,
    Diagnostic,
    Diagnostics,
    printable,
    printable_json,
)
from .models import Content, Incident
from .readers import Reader, read_content
from .validate import Validator, line_at, validate


@dataclass(slots=True)
class CheckResult:
    world: World
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "warning"]


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


def load(content_dir: Path, now: dt.datetime) -> CheckResult:
    """Read, schema-check, cross-check and derive; never raises for content mistakes."""
    with _no_gc():
        content, diags = read_content(content_dir, Diagnostics())
        validate(content, diags, now)
        return CheckResult(derive(content, now), diags.sorted())


def load_valid(content_dir: Path, now: dt.datetime) -> CheckResult:
    """Like :func:`load`, but raise :class:`ContentError` when there is any error."""
    result = load(content_dir, now)
    if result.errors:
        raise ContentError(result.diagnostics)
    return result


@dataclass(slots=True)
class CheckSummary:
    """What ``statuspress check`` reports: every diagnostic, and how much was checked."""

    diagnostics: list[Diagnostic]
    incidents: int
    known_errors: int
    runbooks: int
    services: int
    processes: int = 1
    """How many processes did the work (more than one only on large trees)."""

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == WARNING]


PARALLEL_MIN_FILES = 1500
"""Below this many incident files a second process costs more than it saves."""


def default_jobs() -> int:
    """``$STATUSPRESS_JOBS`` if set, else the CPUs this process may use."""
    configured = os.environ.get("STATUSPRESS_JOBS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def diagnose(
    content_dir: Path,
    now: dt.datetime,
    jobs: int | None = None,
    parallel_min: int | None = None,
) -> CheckSummary:
    """The diagnostics of :func:`load`, computed on up to ``jobs`` processes (see :func:`scan`)."""
    return scan(content_dir, now, jobs, parallel_min).summary


Keep = Callable[[Content, Incident], Any]
"""Called in whichever process read a valid incident; what it returns is kept (and sent back)."""


@dataclass(slots=True)
class Scan:
    summary: CheckSummary
    content: Content
    """Site settings, services, known errors and runbooks; incidents are not kept."""
    kept: list[Any]
    """What ``keep`` returned for each incident file without errors (None results dropped)."""


def scan(
    content_dir: Path,
    now: dt.datetime,
    jobs: int | None = None,
    parallel_min: int | None = None,
    keep: Keep | None = None,
) -> Scan:
    """The diagnostics of :func:`load`, computed on up to ``jobs`` processes.

    ``check`` does not need the derived world, only the problems, so on a large tree the
    incident files (nearly all of the work) are read, schema-checked and validated in forked
    workers that send back just their diagnostics, while this process reads the known errors
    and runbooks and takes a share of the incidents too. Everything that needs more than one
    file (duplicate ids; references to incidents, known errors and runbooks) is decided here
    afterwards, in file order, so the result is identical to :func:`load`'s (a test compares
    them on every malformed and hostile case).

    A public-only build needs no more than that either: ``keep`` turns each valid incident
    into what the build needs of it (its public projection) where the file was read, so the
    full models never cross a process boundary and are dropped as soon as they are used.
    """
    if not content_dir.is_dir():
        result = load(content_dir, now)  # says that the folder is missing
        return Scan(CheckSummary(result.diagnostics, 0, 0, 0, 0), result.world.content, [])
    jobs = max(default_jobs() if jobs is None else jobs, 1)
    reader = Reader(content_dir, Diagnostics())
    paths = reader.files("incidents", recursive=True)
    if parallel_min is None:
        parallel_min = PARALLEL_MIN_FILES
    if len(paths) < max(parallel_min, 2) or not fork_is_safe():
        jobs = 1
    # Even in one process this beats `load`: each incident is dropped once checked, so memory
    # stays flat instead of holding the whole tree (about twice as fast at 10,000 incidents).
    global _JOB
    with _no_gc():
        diags = reader.diags  # `files` may have reported linked folders already
        content = reader.read_catalogs()  # workers need the services and the size limit
        # This process also reads the known errors and runbooks: it takes fewer incidents.
        extra = len(reader.files("known-errors", False)) + len(reader.files("runbooks", False))
        chunks = [paths]
        if jobs > 1:
            share = _own_share(len(paths), extra, jobs, keep is not None)
            rest = len(paths) - share
            bounds = [0, share] + [share + rest * k // (jobs - 1) for k in range(1, jobs)]
            chunks = [paths[bounds[k] : bounds[k + 1]] for k in range(jobs)]
        _JOB = _Job(content_dir, content, now, keep)
        try:
            workers = [_fork(chunk) for chunk in chunks[1:]]
        finally:
            _JOB = None
        reader.read_known_errors(content)
        reader.read_runbooks(content)
        validator = Validator(content, diags, now)
        for ke in content.known_errors.values():
            validator.known_error(ke)
        for rb in content.runbooks.values():
            validator.runbook(rb)
        _JOB = _Job(content_dir, content, now, keep)
        try:
            results = _check_incident_files(chunks[0])
            for worker, chunk in zip(workers, chunks[1:], strict=True):
                results.extend(_collect(worker, chunk))
        finally:
            _JOB = None
        ids: dict[str, str] = {}
        refs: list[tuple[str, list[_Ref]]] = []
        kept: list[Any] = []
        for incident_id, shown, read, checked, incident_refs, value in results:
            diags.extend(Diagnostic(*d) for d in read)
            if incident_id is None:
                continue
            if incident_id in ids:
                diags.error(
                    shown, 0, "", f"duplicate incident id '{incident_id}' (also {ids[incident_id]})"
                )
                continue
            ids[incident_id] = shown
            diags.extend(Diagnostic(*d) for d in checked)
            refs.append((shown, incident_refs))
            if value is not None:
                kept.append(value)
        pools: dict[str, dict[str, Any]] = {
            "related": ids,
            "known_errors": content.known_errors,
            "runbooks": content.runbooks,
        }
        for shown, incident_refs in refs:  # as Validator.incident does, now every id is known
            for key, line, index, ref_id in incident_refs:
                validator.ref(shown, line, f"{key}[{index}]", ref_id, pools[key], _WHAT[key])
        summary = CheckSummary(
            diags.sorted(),
            len(ids),
            len(content.known_errors),
            len(content.runbooks),
            len(content.services),
            processes=jobs,
        )
        return Scan(summary, content, kept)


def _own_share(incidents: int, extra: int, jobs: int, keeping: bool) -> int:
    """How many incident files this process takes so that every process finishes together.

    Measured at 10,000 incidents: a known error or runbook (read here only) costs about a
    quarter of an incident file, and a worker that also keeps projections spends about 4%
    more to send them back. Solves own + extra/4 = (incidents - own) * cost / (jobs - 1).
    """
    cost = 1.04 if keeping else 1.0
    own = (incidents * cost - extra / 4 * (jobs - 1)) / (jobs - 1 + cost)
    return min(max(int(own), 0), incidents)


def fork_is_safe() -> bool:
    """Whether this process may fork a worker (the build's parallel stages use it too)."""
    # Forking a process that runs other threads (serve's watcher) can deadlock the child.
    return hasattr(os, "fork") and threading.active_count() == 1


@dataclass(slots=True)
class _Job:
    root: Path
    content: Content
    now: dt.datetime
    keep: Keep | None = None


_JOB: _Job | None = None
"""What a forked worker inherits: the site settings and the service catalog."""

_DiagTuple = tuple[str, int, str, str, str]
_Ref = tuple[str, int, int, str]  # key (related, known_errors, runbooks), line, index, id
_FileResult = tuple[str | None, str, list[_DiagTuple], list[_DiagTuple], list[_Ref], Any]
_WHAT = {"related": "incident", "known_errors": "known error", "runbooks": "runbook"}


def _fork(paths: list[Path]) -> tuple[int, int]:
    """Start a child that checks ``paths`` and writes its pickled results to a pipe."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 1
        try:
            os.close(read_end)
            data = pickle.dumps(_check_incident_files(paths), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            status = 0
        finally:
            os._exit(status)  # no atexit handlers, no flushing of the parent's buffers
    os.close(write_end)
    return pid, read_end


def _collect(worker: tuple[int, int], paths: list[Path]) -> list[_FileResult]:
    """A child's results; should it have failed in any way, do its share here instead."""
    pid, read_end = worker
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status == 0 and data:
        result: list[_FileResult] = pickle.loads(data)
        return result
    return _check_incident_files(paths)


class _AnyId(dict[str, Any]):
    """Stands in for ids a worker cannot know: every reference resolves (decided later)."""

    def __contains__(self, key: object) -> bool:
        return True


def _check_incident_files(paths: list[Path]) -> list[_FileResult]:
    """Read and validate some incident files; return plain tuples (cheap to send back)."""
    job = _JOB
    assert job is not None
    with _no_gc():
        reader = Reader(job.root, Diagnostics())
        reader.max_bytes = job.content.site.max_file_bytes
        scope = Content(
            job.root,
            job.content.site,
            groups=job.content.groups,
            services=job.content.services,
            incidents=_AnyId(),
            known_errors=_AnyId(),
            runbooks=_AnyId(),
        )
        validator = Validator(scope, Diagnostics(), job.now)
        out: list[_FileResult] = []
        for path in paths:
            mark = len(reader.diags.items)
            incident = reader.read_incident(path)
            read = [_tuple(d) for d in reader.diags.items[mark:]]
            if incident is None:
                out.append((None, "", read, [], [], None))
                continue
            validator.diags = Diagnostics()
            validator.incident(incident)
            raw = incident.source.keys
            refs: list[_Ref] = [
                ("related", line_at(raw, "related", index), index, rel)
                for index, rel in enumerate(incident.related)
                if rel != incident.id
            ]
            for key, values in (
                ("known_errors", incident.known_errors),
                ("runbooks", incident.runbooks),
            ):
                refs += [(key, line_at(raw, key, i), i, v) for i, v in enumerate(values)]
            checked = [_tuple(d) for d in validator.diags.items]
            value = None
            if job.keep is not None and not any(d[4] == ERROR for d in read + checked):
                value = job.keep(scope, incident)
            out.append((incident.id, incident.source.path, read, checked, refs, value))
        return out


def _tuple(d: Diagnostic) -> _DiagTuple:
    return (d.path, d.line, d.field, d.message, d.level)


def _escape_github(text: str, prop: bool = False) -> str:
    # Workflow commands treat %, CR and LF specially; in properties also ':' and ','.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def format_diagnostics(diags: list[Diagnostic], fmt: str) -> str:
    """Render diagnostics as text, GitHub workflow annotations, or JSON.

    Control characters in a value never reach the terminal raw: text and annotations show
    them escaped (``\\x1b``), JSON carries them as ``\\u`` escapes (the values read back
    exactly).
    """
    if fmt == "json":
        text = json.dumps(
            [
                {
                    "path": d.path,
                    "line": d.line,
                    "field": d.field,
                    "level": d.level,
                    "message": d.message,
                }
                for d in diags
            ],
            indent=2,
            ensure_ascii=False,
        )
        return printable_json(text)
    if fmt == "github":
        lines = []
        for d in diags:
            kind = "error" if d.level == "error" else "warning"
            path, field, message = printable(d.path), printable(d.field), printable(d.message)
            loc = f"file={_escape_github(path, True)},line={max(d.line, 1)}"
            title = f",title={_escape_github(field, True)}" if field else ""
            text = f"{field}: {message}" if field else message
            lines.append(f"::{kind} {loc}{title}::{_escape_github(text)}")
        return "\n".join(lines)
    return "\n".join(d.format() for d in diags)
