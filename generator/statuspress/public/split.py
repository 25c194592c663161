"""Render a large public site on two cores.

A forked child takes part of the rendering and hands its files back over a pipe; the parent
renders the rest and adds the child's files to the one writer, which still owns the output
(collisions and unsafe paths are checked there, in the parent). Output is byte-identical to a
serial render: every page depends only on the shared, read-only public projection.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable

from ..errors import BuildError
from ..parallel import default_jobs, fork_is_safe

PARALLEL_FROM = 2000
"""Incidents from which the work is split (below it, fork and pipe cost more than they save)."""

Files = list[tuple[str, bytes | None]]
"""Rendered files; ``None`` for a file the child already wrote into the staging directory."""
_JOB: Callable[[], Files] | None = None


def can_fork(size: int) -> bool:
    """Whether splitting pays off and is safe here."""
    return size >= PARALLEL_FROM and default_jobs() > 1 and fork_is_safe()


def _run_job() -> tuple[str, Files]:
    job = _JOB
    assert job is not None, "only called in a child forked by run_split"
    try:
        return "", job()
    except BuildError as exc:
        return exc.message, []
    except Exception as exc:  # noqa: BLE001 - reported as a build error in the parent
        return f"{type(exc).__name__}: {exc}", []


def run_split(child: Callable[[], Files], parent: Callable[[], None], parallel: bool) -> Files:
    """Run ``parent`` here and ``child`` in a forked process; return the child's files."""
    global _JOB
    if not parallel:
        parent()
        return child()
    _JOB = child
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            pending = pool.apply_async(_run_job)
            parent()
            error, files = pending.get()
    finally:
        _JOB = None
    if error:
        raise BuildError(error)
    return files
