"""Which folders statuspress may replace, and one writer at a time for each.

statuspress replaces whole folders (``OUT/public``, ``OUT/internal``, a ``publish --to DIR``
target). A folder is only replaced when it is missing, empty, or carries the :data:`MARKER`
file that statuspress writes into every site it builds or publishes; anything else may hold
someone's files, so it takes ``--force``. A link or a file where a folder belongs is never
replaced, and a folder statuspress cannot write is refused before anything is swapped.

While a folder is being prepared and swapped, the process holds an exclusive ``flock`` on a
lock file beside it (``OUT/.public.lock`` for ``OUT/public``). A second build into the same
folder waits for it (saying so), and gives up after :data:`LOCK_TIMEOUT` seconds. Only the
holder removes what a killed build left next to the folder, so one build never deletes the
staging or work folder of another that is still running.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from .errors import BuildError

MARKER = ".statuspress-site"
"""File in the root of every site statuspress writes; its first line names the site's kind."""
LOCK_TIMEOUT = 600.0
"""Seconds a build waits for another one writing the same folder (the internal site of a
10,000-incident organisation takes under a minute); ``STATUSPRESS_LOCK_TIMEOUT`` overrides."""
_POLL = 0.05

Notify = Callable[[str], None]


def marker_text(kind: str) -> str:
    return (
        f"statuspress-site: {kind}\n"
        "Written by statuspress: every build or publish replaces this folder whole.\n"
    )


def parse_marker(text: str) -> str | None:
    """The kind a marker's text names (``public``, ``internal``), or None if it is not one."""
    key, _, kind = text[:200].partition("\n")[0].strip().partition(": ")
    return kind if key == "statuspress-site" and kind else None


def marker_kind(folder: Path) -> str | None:
    """The kind named by ``folder``'s marker, or None without one."""
    try:
        with open(folder / MARKER, encoding="utf-8", errors="replace") as handle:
            return parse_marker(handle.readline(200))
    except OSError:
        return None


def check_replaceable(dest: Path, *, force: bool = False) -> None:
    """Refuse, before anything is written, to replace ``dest`` unless it is ours to replace.

    Missing or empty: fine. A folder with :data:`MARKER`: fine. A link, a file or a folder
    that cannot be written: never. Any other folder: only with ``force``.
    """
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        what = "a symbolic link" if dest.is_symlink() else "a file"
        raise BuildError(
            f"{dest} exists and is not a directory ({what}); refusing to replace it: "
            "remove it and try again"
        )
    parent = dest.parent
    if parent.is_dir() and not os.access(parent, os.W_OK | os.X_OK):
        raise BuildError(f"cannot write to {parent}: permission denied")
    if not dest.exists():
        return
    # The old tree is removed after the swap: a folder we cannot write would stay behind.
    if not os.access(dest, os.W_OK | os.X_OK):
        raise BuildError(f"{dest} is not writable; refusing to replace it")
    if force or marker_kind(dest) is not None:
        return
    try:
        empty = next(os.scandir(dest), None) is None
    except OSError as exc:
        raise BuildError(f"cannot read {dest}: {exc.strerror or exc}") from exc
    if not empty:
        raise BuildError(
            f"{dest} exists and was not written by statuspress (it has no {MARKER}); "
            "refusing to replace it: move it away, or pass --force to replace it"
        )


def lock_path(dest: Path) -> Path:
    return dest.with_name(f".{dest.name}.lock")


def _timeout() -> float:
    raw = os.environ.get("STATUSPRESS_LOCK_TIMEOUT", "")
    try:
        return max(0.0, float(raw)) if raw else LOCK_TIMEOUT
    except ValueError:
        return LOCK_TIMEOUT


def _holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return "another statuspress process"
    return f"process {pid}" if pid.isdigit() else "another statuspress process"


def _acquire(dest: Path, notify: Notify, timeout: float) -> int:
    path = lock_path(dest)
    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise BuildError(f"cannot create lock file {path}: {exc.strerror or exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise BuildError(
                    f"{_holder(path)} is still writing {dest} (it holds {path}); gave up "
                    f"after {timeout:g}s: wait for it to finish and try again"
                ) from None
            if not told:
                notify(f"waiting for {_holder(path)}, which is writing {dest}")
                told = True
            time.sleep(_POLL)
            continue
        # The holder before us removes the file when it is done: a lock on a file that is
        # no longer at `path` locks nothing, so start again with the new file.
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            return fd
        os.close(fd)


def _release(dest: Path, fd: int) -> None:
    # Unlink while still holding the lock, so a waiter sees the file gone and starts again.
    with contextlib.suppress(OSError):
        os.unlink(lock_path(dest))
    os.close(fd)


@contextlib.contextmanager
def locked(
    dests: Sequence[Path], notify: Notify = lambda _: None, timeout: float | None = None
) -> Iterator[None]:
    """Hold the lock of every folder in ``dests``, then clear what killed builds left.

    Locks are taken in one order (sorted paths), so two processes never wait for each other.
    """
    from .writer import clean_leftovers

    held: list[tuple[Path, int]] = []
    wait = _timeout() if timeout is None else timeout
    try:
        for dest in sorted(set(dests)):
            try:
                dest.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise BuildError(f"cannot create {dest.parent}: {exc.strerror or exc}") from exc
            held.append((dest, _acquire(dest, notify, wait)))
            clean_leftovers(dest)  # only now: no other build is using them
        yield
    finally:
        for dest, fd in reversed(held):
            _release(dest, fd)
