"""The incremental rebuilder behind ``statuspress serve``: the caching reader, the builds, the loop.

- **Incremental public rebuilds.** Parsed and schema-checked files are cached by (path,
  mtime, ctime, size, inode), and so is what checking and projecting each incident file gave:
  after an edit only the changed files are read and checked again; the cross-file rules and
  the assembly of the public site run on the whole (cheap) projection. The render reuses every
  page, feed and document whose inputs are unchanged (:mod:`statuspress.public.memo`). The new
  public site is served from memory the moment it is rendered (one reference swap: every
  response comes whole from one build), then written to ``OUT/public``: only the files that
  changed since this server's last write (each replaced atomically), or the whole folder with
  the build's atomic swap the first time or when the folder was changed by someone else.
- **Internal site after.** The knowledge base (mkdocs) takes much longer, so it is rebuilt in a
  separate process (``statuspress build --internal-only``) after the public site, never
  delaying it; edits made meanwhile are coalesced into one more run. It is served from the live
  ``OUT/internal`` folder (resolved per request, so the atomic swap is picked up at once).
- **Rebuild loop.** A burst of file events (see :mod:`~statuspress.serve.watch`) triggers one
  rebuild after 200 ms without events. Without ``--now`` the clock is read to the minute and
  the public site is re-rendered as each minute begins, so maintenance windows open and close
  in the preview too, and the edits of that minute stay incremental.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..clock import resolve_now
from ..errors import Diagnostic, StatuspressError
from ..outdir import MARKER, locked
from ..public.memo import RenderMemo
from ..readers import Reader, T
from .assembly import Assembler

QUIET_SECONDS = 0.2
"""A rebuild starts once no file event has arrived for this long (debounce)."""
TICK_SECONDS = 60.0
TICK_LATE = 0.05
"""The tick comes this long after the minute turns (the clock is read to the minute)."""
Log = Callable[[str], None]


def quiet(_: str) -> None:
    return None


# -- incremental reading ---------------------------------------------------------------------


@dataclass(slots=True)
class _Entry:
    stamp: tuple[Any, ...]
    model: Any
    diagnostics: list[Diagnostic]
    context: object = None
    link: bool = False
    """The path was a symbolic link when last read: its target may change without an event."""
    used: object = None
    """The read that last used this entry (:meth:`CachingReader.prune` drops the others)."""
    keep: tuple[_Entry, ...] = ()
    """Entries kept as long as this one is used: a check's parsed file, a folder's listings."""


class CachingReader(Reader):
    """A :class:`Reader` that re-reads only files changed since the last read.

    A file's model and its diagnostics are kept with its stat stamp; an unchanged file gives
    back the same (never mutated) model. What checking an incident file gave (its diagnostics,
    references and projection) is kept too, and given back while the file and everything else
    it was checked against (settings, services, "now") stay the same. Entries of files that
    disappeared are dropped.
    """

    def __init__(
        self,
        root: Path,
        cache: dict[tuple[str, str], _Entry],
        last: list[object] | None = None,
        changed: set[str] | None = None,
        memory: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(root)
        self.cache = cache
        self.changed = changed
        """The files the watcher saw change since the last read (None: unknown, stat every
        file). A file not in it keeps its entry without a ``stat`` (10,000 of them take
        ~40 ms), unless it was a symbolic link; a folder's listing is kept unless one of them
        is in it and is new or gone (a folder created, moved or removed makes it None)."""
        self.stats = 0
        """Files whose stamp this read looked up (the tests check the watcher's route)."""
        self.token = object()
        """Marks the entries this read used (a mark per entry instead of a set of keys)."""
        self.last = last if last is not None else []
        """The context the kept check results were computed with (one item, or none yet)."""
        self._same_context: tuple[object, object] | None = None
        self._listings: list[_Entry] = []
        self.relisted = False
        """Whether this read listed a folder again (then :meth:`prune` looks for entries of
        files that are gone)."""
        self.memory = memory if memory is not None else {}
        """What a read leaves for the next: the check of every incident file in one piece
        (``checked``: a :class:`_Checked`), the ids of the reference pools and the reference
        lists found whole in them (``resolved``, see :meth:`Reader.resolved_before`)."""
        self._pools: dict[str, frozenset[str]] | None = None

    def files(self, folder: str, recursive: bool) -> list[Path]:
        # A folder's sorted listing is kept while the watcher reports no file in it that is
        # new or gone: walking 10,000 incident files and sorting them took ~14 ms per edit.
        if folder in self._listed:
            return self._listed[folder]
        key = ("files", str(self.root / folder))
        entry = self.cache.get(key)
        if entry is not None and entry.stamp[0] == recursive and self._listing_holds(entry):
            self._use(entry)
            self.diags.extend(entry.diagnostics)
            listed: list[Path] = entry.model
            self._listed[folder] = listed
            return listed
        before = len(self.diags.items)
        self._listings = []
        self.relisted = True
        listed = super().files(folder, recursive)
        prefix = str(self.root / folder) + os.sep
        names = frozenset(str(path) for path in listed)
        self.cache[key] = _Entry(
            (recursive, prefix, names),
            listed,
            self.diags.items[before:],
            used=self.token,
            keep=tuple(self._listings),
        )
        return listed

    def _listing_holds(self, entry: _Entry) -> bool:
        changed = self.changed
        if changed is None:
            return False
        _, prefix, names = entry.stamp
        folder = prefix[:-1]
        for text in changed:
            if text.startswith(prefix) or text == folder:
                if text not in names or not os.path.lexists(text):
                    return False  # a new file, a removed one, or the folder itself
        return True

    def content_files(self, dirpath: str, filenames: list[str], folder: str) -> list[Path]:
        # The same names in the same folder give the same paths: kept (with their parsed
        # parts) instead of made again for each of 10,000 files; a folder with other files
        # in it is listed afresh, so they are reported every time.
        key = ("listing", dirpath)
        names = tuple(filenames)
        entry = self.cache.get(key)
        if entry is not None and entry.stamp == names:
            entry.used = self.token
            self._listings.append(entry)
            listed: list[Path] = entry.model
            return listed
        before = len(self.diags.items)
        listed = super().content_files(dirpath, filenames, folder)
        if len(self.diags.items) == before:
            entry = _Entry(names, listed, [], used=self.token)
            self.cache[key] = entry
            self._listings.append(entry)
        return listed

    def _use(self, entry: _Entry) -> None:
        entry.used = self.token
        for kept in entry.keep:
            kept.used = self.token

    def _stamp(self, text: str) -> tuple[int, ...] | None:
        self.stats += 1
        try:
            st = os.stat(text)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, self.max_bytes)

    def _unchanged(self, text: str, entry: _Entry | None) -> tuple[int, ...] | None:
        """``entry``'s stamp if the watcher says its file is unchanged; else a fresh one."""
        changed = self.changed
        if (
            entry is not None
            and changed is not None
            and text not in changed
            and not entry.link
            and entry.stamp[-1] == self.max_bytes
        ):
            return entry.stamp
        return self._stamp(text)

    def _cached(self, kind: str, path: Path, read: Callable[[Path], Any]) -> Any:
        text = str(path)
        key = (kind, text)
        entry = self.cache.get(key)
        stamp = self._unchanged(text, entry)
        if stamp is None:
            return read(path)
        if entry is not None and entry.stamp == stamp:
            entry.used = self.token
            self.diags.extend(entry.diagnostics)
            return entry.model
        before = len(self.diags.items)
        model = read(path)
        self.cache[key] = _Entry(
            stamp, model, self.diags.items[before:], link=path.is_symlink(), used=self.token
        )
        return model

    def _canonical(self, context: object) -> object:
        """The last build's context object when equal to ``context`` (compared once a build)."""
        known = self._same_context
        if known is not None and known[0] is context:
            return known[1]
        if not (self.last and self.last[0] == context):
            self.last[:] = [context]
        self._same_context = (context, self.last[0])
        return self.last[0]

    def remembered(self, paths: list[Path], context: object, work: Callable[[Path], T]) -> list[T]:
        canonical = self._canonical(context)
        last: _Checked | None = self.memory.get("checked")
        if (
            last is not None
            and last.paths is paths  # the listing was kept: the same files in the same order
            and last.context is canonical
            and last.max_bytes == self.max_bytes
            and self.changed is not None
        ):
            return self._again(last, work)
        results = self._remembered_each(paths, canonical, work)
        entries = [self.cache.get(("checked", str(path))) for path in paths]
        index = {str(path): i for i, path in enumerate(paths)}
        self.memory["checked"] = _Checked(
            paths, canonical, self.max_bytes, results, entries, index, _volatile(entries)
        )
        return results

    def _again(self, last: _Checked, work: Callable[[Path], T]) -> list[T]:
        """The last read's results, with those of the files the watcher reported (and of
        links and files that could not be kept) worked out again."""
        assert self.changed is not None
        results: list[T] = list(last.results)
        entries = last.entries
        redo = set(last.volatile)
        redo.update(i for text in self.changed if (i := last.index.get(text)) is not None)
        for i in sorted(redo):
            path = last.paths[i]
            text = str(path)
            results[i] = self._remembered(
                path, text, self.cache.get(("checked", text)), last.context, work
            )
            entries[i] = self.cache.get(("checked", text))
        token = self.token
        for entry in entries:  # in use (a later prune keeps them)
            if entry is not None:
                entry.used = token
                for kept in entry.keep:
                    kept.used = token
        last.results = results
        if redo:
            last.volatile = _volatile(entries)
        return results

    def _remembered_each(
        self, paths: list[Path], canonical: object, work: Callable[[Path], T]
    ) -> list[T]:
        cache, changed, token, max_bytes = self.cache, self.changed, self.token, self.max_bytes
        results: list[T] = []
        for path in paths:
            text = str(path)
            entry = cache.get(("checked", text))
            if (  # the watcher saw no change: the common case, checked here without a call
                entry is not None
                and changed is not None
                and entry.context is canonical
                and text not in changed
                and not entry.link
                and entry.stamp[-1] == max_bytes
            ):
                entry.used = token
                for kept in entry.keep:
                    kept.used = token
                results.append(entry.model)
            else:
                results.append(self._remembered(path, text, entry, canonical, work))
        return results

    def _remembered(
        self,
        path: Path,
        text: str,
        entry: _Entry | None,
        canonical: object,
        work: Callable[[Path], T],
    ) -> T:
        stamp = self._unchanged(text, entry)
        if stamp is None:
            return work(path)
        # An entry is valid for the context object it was computed with, so a build stopped
        # half-way never leaves results of another context looking current.
        if entry is not None and entry.stamp == stamp and entry.context is canonical:
            self._use(entry)
            result: T = entry.model
            return result
        result = work(path)
        read = self.cache.get(("incident", text))
        self.cache[("checked", text)] = _Entry(
            stamp,
            result,
            [],
            canonical,
            path.is_symlink(),
            used=self.token,
            keep=(read,) if read is not None else (),
        )
        return result

    def resolved_before(self, pools: dict[str, Collection[str]]) -> dict[int, object]:
        # Each list is held by the dict with its identity, so no other list can take it.
        kept = self.memory.get("resolved")
        if kept and _same_pools(kept[0], pools):
            self._pools = kept[0]
            found: dict[int, object] = kept[1]
            return found
        return {}

    def resolved_now(self, pools: dict[str, Collection[str]], found: dict[int, object]) -> None:
        ids = self._pools or {name: frozenset(pool) for name, pool in pools.items()}
        self.memory["resolved"] = (ids, found)

    def read_incident(self, path: Path) -> Any:
        return self._cached("incident", path, super().read_incident)

    def read_known_error(self, path: Path) -> Any:
        return self._cached("known-error", path, super().read_known_error)

    def read_runbook(self, path: Path) -> Any:
        return self._cached("runbook", path, super().read_runbook)

    def prune(self) -> None:
        if self.changed is not None and not self.relisted:
            # The same files as at the last read (no folder was listed again): every entry
            # was used or replaced under its key, so there is nothing to drop (~4 ms saved).
            return
        token = self.token
        for key in [key for key, entry in self.cache.items() if entry.used is not token]:
            del self.cache[key]


@dataclass(slots=True)
class _Checked:
    """One read's check of every incident file, in the listing's order."""

    paths: list[Path]
    context: object
    max_bytes: int
    results: list[Any]
    entries: list[_Entry | None]
    """Each file's cache entry (None: its result could not be kept; worked out every time)."""
    index: dict[str, int]
    volatile: list[int]
    """Files worked out again at every read: no entry, or a symbolic link."""


def _volatile(entries: list[_Entry | None]) -> list[int]:
    return [i for i, entry in enumerate(entries) if entry is None or entry.link]


def _same_pools(ids: dict[str, frozenset[str]], pools: dict[str, Collection[str]]) -> bool:
    return ids.keys() == pools.keys() and all(
        len(ids[name]) == len(pool) and ids[name].issuperset(pool) for name, pool in pools.items()
    )


# -- builds ----------------------------------------------------------------------------------


def until_next_minute(now: float | None = None) -> float:
    """Seconds until just after the next minute begins (``now``: a Unix time, else the clock).

    Every page says when it was generated, to the minute, so the first rebuild of each minute
    renders every page again. Made by the tick as the minute turns, it leaves the edits of
    that minute to rebuild only what they change (an edit would otherwise often be the first).
    """
    moment = time.time() if now is None else now
    return TICK_SECONDS - moment % TICK_SECONDS + TICK_LATE


def _stamp_of(path: Path) -> tuple[int, ...]:
    st = path.stat()
    return (st.st_ino, st.st_mtime_ns, st.st_size)


FULL_COLLECT_EVERY = 10
"""Every this many rebuilds the garbage collection walks the kept caches too (see _tidy)."""


def _tidy(full: bool) -> float:
    """Collect the last build's garbage, then freeze what survives (the caches) until the next.

    The kept files, checks and pages are millions of objects: a collection of the oldest
    generation during a rebuild would walk them all (half a second at 10,000 incidents).
    Frozen, they are skipped. After a build only what is not frozen yet is collected (what
    this build made); freed cache entries go by reference counting, and the few reference
    cycles among objects frozen earlier wait for the ``full`` collection (every
    :data:`FULL_COLLECT_EVERY` rebuilds, 0.7-1.2 s at 10,000 incidents). Both run after the
    new site is served, but they delay the next rebuild.
    """
    started = time.perf_counter()
    if full:
        gc.unfreeze()
    gc.collect()
    gc.freeze()
    gc.enable()
    return time.perf_counter() - started


@dataclass(slots=True)
class Snapshot:
    """One public build, served from memory."""

    build: int
    files: dict[str, bytes]


@dataclass(slots=True)
class BuildTimes:
    read: float = 0.0
    check: float = 0.0
    render: float = 0.0
    write: float = 0.0
    tidy: float = 0.0
    """The garbage collection after a build (see :func:`_tidy`)."""
    cpu: float = 0.0
    """CPU time of this thread from the start to the new site served (less noisy than wall)."""
    ok: bool = False

    @property
    def visible(self) -> float:
        """Edit to new page served: everything but the disk write."""
        return self.read + self.check + self.render


class Builder:
    """Builds the public site in process and the internal one in a child process."""

    def __init__(
        self,
        content_dir: Path,
        out: Path,
        *,
        now: str | None = None,
        public_only: bool = False,
        log: Log = quiet,
    ) -> None:
        self.content_dir = content_dir
        self.out = out
        self.now_option = now
        self.public_only = public_only
        self.log = log
        self.cache: dict[tuple[str, str], _Entry] = {}
        self._checked_with: list[object] = []
        self._memory: dict[str, Any] = {}
        self._on_disk: dict[str, bytes] | None = None
        self._marker: tuple[int, ...] = ()
        """The stat stamp of the marker file this server's last full write left in the folder."""
        """The files this server last wrote to ``OUT/public`` (None: unknown, write it whole)."""
        self.memo = RenderMemo()
        self.assembler = Assembler()
        """The public site's incidents and segments kept in order between rebuilds."""
        self._rebuilds = 0
        self._events_lock = threading.Lock()
        self._watched = False
        self._changed: set[str] | None = None
        """Files the watcher reported since the last rebuild began (None: unknown)."""
        self.stats = 0
        """Files whose stat stamp the last rebuild looked up (all of them unless watched)."""
        self.changed = threading.Condition()
        self.version = 0
        self.snapshot: Snapshot | None = None
        self.internal_build = 0
        self.errors: list[Diagnostic] = []
        self.internal_error = ""
        self.watch_paths: set[Path] = set()
        self.on_watch_paths: Callable[[], None] | None = None
        """Called when site.yaml names other theme or docs folders (the watcher adds them)."""
        self._internal_proc: subprocess.Popen[str] | None = None
        self._internal_wanted: str | None = None
        self._lock = threading.Lock()
        self.stopping = threading.Event()

    # -- state shared with the HTTP handlers -----------------------------------------------
    def _publish_state(self, **changes: Any) -> None:
        with self.changed:
            for name, value in changes.items():
                setattr(self, name, value)
            self.version += 1
            self.changed.notify_all()

    def state(self, site: str) -> dict[str, Any]:
        snapshot = self.snapshot
        build = snapshot.build if site == "public" and snapshot else 0
        if site == "internal":
            build = self.internal_build
        errors = [
            {"path": d.path, "line": d.line, "field": d.field, "message": d.message,
             "text": d.format()}
            for d in self.errors
        ]  # fmt: skip
        if site == "internal" and self.internal_error:
            errors.append({"path": "", "line": 0, "field": "", "message": self.internal_error,
                           "text": self.internal_error})  # fmt: skip
        return {"site": site, "build": build, "ok": not errors, "errors": errors}

    def wait(self, version: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(
                lambda: self.version != version or self.stopping.is_set(), timeout
            )
            return self.version

    # -- what changed (from the watcher) -----------------------------------------------------
    def start_noting(self) -> None:
        """A watcher reports changes from now on (what changed before is unknown)."""
        with self._events_lock:
            self._watched = True
            self._changed = None

    def note_changes(self, paths: Iterable[str] | None) -> None:
        """The watcher saw ``paths`` change; None: it cannot say which (a folder moved or
        removed, events lost), so the next rebuild looks at every file."""
        with self._events_lock:
            if paths is None:
                self._changed = None
            elif self._changed is not None:
                self._changed.update(paths)

    def _take_changes(self) -> set[str] | None:
        """What changed since the last rebuild (None: stat every file); starts a new set."""
        if self.content_dir.resolve() != self.content_dir.absolute():
            return None  # the watcher reports resolved paths; the reader would not match them
        with self._events_lock:
            changed = self._changed if self._watched else None
            self._changed = set()
        return changed

    # -- the public site -------------------------------------------------------------------
    def now(self) -> dt.datetime:
        """``--now``, else the clock to the minute: pages show minutes, the rebuild loop ticks
        every minute, and edits within one minute keep the same "now", so they re-render only
        what they change (a "now" to the second would re-render every page at every edit)."""
        if self.now_option or os.environ.get("SOURCE_DATE_EPOCH", "").strip():
            return resolve_now(self.now_option)
        return resolve_now(None).replace(second=0)

    def rebuild(self, internal: bool = True) -> BuildTimes:
        """Read what changed, check everything, render the public site and serve it.

        ``internal``: also rebuild the internal site afterwards (not for a clock tick).
        """
        gc.disable()  # no collection walks the caches mid-build; _tidy collects once after
        self._rebuilds += 1
        full = (self._rebuilds - 1) % FULL_COLLECT_EVERY == 0
        try:
            times = self._rebuild(internal)
        except BaseException:
            self.note_changes(None)  # a read stopped half-way: look at every file next time
            _tidy(full=True)
            raise
        times.tidy = _tidy(full)
        return times

    def _rebuild(self, internal: bool) -> BuildTimes:
        from ..loader import load
        from ..public import render_site
        from ..public.project import KeyedProjector, Projector
        from ..writer import SiteWriter

        times = BuildTimes()
        started = time.perf_counter()
        cpu = time.thread_time()
        now = self.now()
        # Only the files the watcher reported are looked at again (with a full look on the
        # minute tick, after a folder moved or events were lost, and without a watcher).
        reader = CachingReader(
            self.content_dir,
            self.cache,
            self._checked_with,
            self._take_changes(),
            self._memory,
        )
        # The one loader, with a reader that re-reads only changed files and gives back the
        # last check and projection of each unchanged one; this process runs the watcher's
        # threads, so the loader reads here (it never forks with threads).
        keep = KeyedProjector(Projector(now))  # the sort keys are kept per file too
        loaded = load(self.content_dir, now, keep=keep, jobs=1, reader=reader)
        reader.prune()
        self.stats = reader.stats
        content = loaded.content
        times.read = time.perf_counter() - started
        mark = time.perf_counter()
        self._remember_watch_paths(content.site.theme_dir, content.site.docs_dir)
        errors = loaded.errors
        if errors:
            times.check = time.perf_counter() - mark
            self._publish_state(errors=errors)
            shown = self.snapshot.build if self.snapshot else 0
            self.log(f"{len(errors)} content errors; still serving build {shown}:")
            for diag in errors[:20]:
                self.log(f"  {diag.format()}")
            return times
        kept = loaded.kept  # (projection, its sort keys) of each file, in file order
        site = self.assembler(content, [k[0] for k in kept], [k[1] for k in kept], now)
        times.check = time.perf_counter() - mark
        mark = time.perf_counter()
        try:
            writer = SiteWriter(self.out / "public", "public")
            # What the last render made from equal inputs is reused (``public.memo``).
            render_site(site, content, writer, self.memo)
            writer.mark()
        except Exception as exc:  # a theme being edited: report it like a content error
            self._report_failure(exc)
            return times
        times.render = time.perf_counter() - mark
        times.cpu = time.thread_time() - cpu
        times.ok = True
        if self.snapshot is not None and writer.files == self.snapshot.files:
            # Same pages (a save without change, an internal-only edit, a clock tick): no
            # reload; a fixed error just disappears from the page.
            if self.errors:
                self._publish_state(errors=[])
            if internal and not self.public_only:
                self.request_internal(now)
            return times
        build = (self.snapshot.build if self.snapshot else 0) + 1
        files = dict(writer.files)
        self._publish_state(snapshot=Snapshot(build, files), errors=[])
        mark = time.perf_counter()
        try:
            # The same lock as `statuspress build`: a build into the same folder (this
            # server's internal rebuild too) never has its work folders removed by this one.
            with locked([writer.dest], self.log):
                if not self._write_changes(writer.dest, files):
                    writer.commit()
                self._on_disk = files
                self._marker = _stamp_of(writer.dest / MARKER)
        except (StatuspressError, OSError) as exc:
            self._on_disk = None
            message = exc.format_message() if isinstance(exc, StatuspressError) else str(exc)
            self.log(f"could not write {writer.dest}: {message}")
        times.write = time.perf_counter() - mark
        warnings = len(loaded.warnings)
        self.log(
            f"build {build}: public site in {times.visible:.2f}s "
            f"(+{times.write:.2f}s to write {self.out / 'public'})"
            + (f", {warnings} warnings" if warnings else "")
        )
        if internal and not self.public_only:
            self.request_internal(now)
        return times

    def _write_changes(self, dest: Path, files: dict[str, bytes]) -> bool:
        """Write only what changed since this server's last write to ``dest``, in place.

        Only when ``dest`` still holds that write (the same marker file: any full build makes a
        new one); each file is replaced atomically, files no longer produced are removed.
        False: write it whole.
        """
        last = self._on_disk
        try:
            if last is None or _stamp_of(dest / MARKER) != self._marker:
                return False  # replaced by another build (a new marker file) or removed
        except OSError:
            return False
        for rel, data in files.items():
            old = last.get(rel)
            if old is data or old == data:
                continue
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.statuspress-new")
            partial.write_bytes(data)
            os.replace(partial, target)
        for rel in last.keys() - files.keys():
            target = dest / rel
            target.unlink(missing_ok=True)
            folder = target.parent
            while folder != dest and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        return True

    def _report_failure(self, exc: Exception) -> None:
        import jinja2

        if isinstance(exc, jinja2.TemplateSyntaxError):
            diag = Diagnostic(
                exc.filename or exc.name or "template", exc.lineno, "", exc.message or str(exc)
            )
        elif isinstance(exc, StatuspressError):
            diag = Diagnostic("build", 0, "", exc.format_message())
        else:
            where = traceback.extract_tb(exc.__traceback__)[-1]
            diag = Diagnostic(where.filename, where.lineno or 0, "", f"{type(exc).__name__}: {exc}")
        self._publish_state(errors=[diag])
        self.log(f"build failed; still serving the last good build: {diag.format()}")

    def _remember_watch_paths(self, theme_dir: str, docs_dir: str) -> None:
        base = self.content_dir.parent
        self.watch_paths = {base / p for p in (theme_dir, docs_dir) if p}
        if self.on_watch_paths is not None:  # cheap: folders already watched are skipped
            self.on_watch_paths()

    # -- the internal site (a child process) -------------------------------------------------
    def request_internal(self, now: dt.datetime) -> None:
        with self._lock:
            self._internal_wanted = now.isoformat()
            if self._internal_proc is None:
                self._start_internal()

    def _start_internal(self) -> None:
        assert self._internal_wanted is not None
        now, self._internal_wanted = self._internal_wanted, None
        args = [
            sys.executable, "-c", "from statuspress.cli import main; main()", "build",
            "--internal-only", "--content", str(self.content_dir), "--out", str(self.out),
            "--now", now,
        ]  # fmt: skip
        started = time.perf_counter()
        proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            stdin=subprocess.DEVNULL, env={**os.environ, "CI": "1"},
        )  # fmt: skip
        self._internal_proc = proc
        threading.Thread(
            target=self._await_internal, args=(proc, started), daemon=True, name="internal"
        ).start()

    def _await_internal(self, proc: subprocess.Popen[str], started: float) -> None:
        _out, err = proc.communicate()
        if self.stopping.is_set():
            return
        seconds = time.perf_counter() - started
        if proc.returncode == 0:
            self._publish_state(internal_build=self.internal_build + 1, internal_error="")
            self.log(f"internal site rebuilt in {seconds:.1f}s")
        else:
            message = (err.strip().splitlines() or [f"exit {proc.returncode}"])[-1]
            self._publish_state(internal_error=f"internal site build failed: {message}")
            self.log(f"internal site build failed: {err.strip()}")
        with self._lock:
            self._internal_proc = None
            if self._internal_wanted is not None:
                self._start_internal()

    def stop(self) -> None:
        gc.unfreeze()  # what the rebuilds kept frozen is an ordinary heap again
        self.stopping.set()
        with self.changed:
            self.changed.notify_all()
        with self._lock:
            proc = self._internal_proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)

    # -- the rebuild loop --------------------------------------------------------------------
    def loop(self, dirty: threading.Event) -> None:
        """Rebuild after each burst of changes, until stopped."""
        while not self.stopping.is_set():
            # Without --now, time-based states (maintenance windows) move on by themselves:
            # re-render the public site as each minute begins; it reloads only if a page changed.
            if not dirty.wait(None if self.now_option else until_next_minute()):
                if not self.stopping.is_set():
                    self.note_changes(None)  # the tick also looks at every file
                    self._guarded(internal=False)
                continue
            while True:  # debounce: wait for a quiet moment
                dirty.clear()
                if self.stopping.wait(QUIET_SECONDS):
                    return
                if not dirty.is_set():
                    break
            self._guarded(internal=True)

    def _guarded(self, internal: bool) -> None:
        try:
            self.rebuild(internal=internal)
        except Exception as exc:  # never let one bad build stop the server
            self._report_failure(exc)
