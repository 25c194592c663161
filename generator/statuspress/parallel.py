"""The one way statuspress uses a second core: chunks of work on forked worker processes.

Reading 10,000 incident files or rendering 6,000 pages is CPU work that Python threads
cannot share, so the loader and the public renderer fork. Everything here is the standard
library's ``concurrent.futures`` with a fork context: the job is an argument of the call
(pickled to the worker), results come back pickled, and there is no module state. A worker
that fails in any way has its chunk done again in this process, so a crash costs time, never
a result. ``STATUSPRESS_JOBS=1`` is the reference path: everything in one process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

A = TypeVar("A")
C = TypeVar("C")
R = TypeVar("R")


def default_jobs() -> int:
    """``$STATUSPRESS_JOBS`` if set, else the CPUs this process may use."""
    configured = os.environ.get("STATUSPRESS_JOBS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def fork_is_safe() -> bool:
    """Whether this process may fork a worker at all."""
    # Forking a process that runs other threads (serve's watcher) can deadlock the child.
    return hasattr(os, "fork") and threading.active_count() == 1


def map_chunks(work: Callable[[A, C], R], job: A, chunks: Sequence[C]) -> list[R]:
    """``[work(job, chunk) for chunk in chunks]``, the first chunk here, the others forked.

    The first chunk is done in this process while the workers do the rest, so a caller that
    wants this process to take a smaller share makes the first chunk smaller.
    """
    if len(chunks) < 2 or not fork_is_safe():
        return [work(job, chunk) for chunk in chunks]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=len(chunks) - 1, mp_context=context) as pool:
        futures: list[Future[R]] = [pool.submit(work, job, chunk) for chunk in chunks[1:]]
        results = [work(job, chunks[0])]
        for future, chunk in zip(futures, chunks[1:], strict=True):
            try:
                results.append(future.result())
            except Exception:  # a worker died or could not send its result: redo it here
                results.append(work(job, chunk))
    return results
