"""``statuspress serve``: build, serve both sites, rebuild on every change, reload open pages.

- **Fast public rebuilds.** Parsed and schema-checked files are cached by (path, mtime, ctime,
  size, inode): after an edit only the changed files are read again; cross-file validation,
  derive and the public render run on the whole (cheap) model. The new public site is served
  from memory the moment it is rendered (one reference swap: every response comes whole from
  one build), then written to ``OUT/public`` with the build's atomic swap.
- **Internal site after.** The knowledge base (mkdocs) takes much longer, so it is rebuilt in a
  separate process (``statuspress build --internal-only``) after the public site, never
  delaying it; edits made meanwhile are coalesced into one more run. It is served from the live
  ``OUT/internal`` folder (resolved per request, so the atomic swap is picked up at once).
- **Live reload.** HTML responses (only responses: never the files on disk) get a small script
  that listens to ``/__statuspress/events`` (Server-Sent Events) and reloads when a new build is
  served. When an edit breaks validation the last good build stays served and the script shows
  the errors (file, line, message) in an overlay, fetched from ``/__statuspress/status``; it
  disappears by itself once the file is fixed. The built pages forbid scripts with a
  Content-Security-Policy meta tag; served responses leave that tag out (the files keep it).
  A build whose pages did not change (a save without change, an internal-only edit) reloads
  nothing. Without ``--now`` the public site is re-rendered every minute, so maintenance
  windows open and close in the preview too.
- **Safety.** Loopback by default, and requests whose Host header is not a loopback name are
  refused (DNS rebinding must not expose the internal site to a web page).
- **Watching.** watchdog watches ``content/``, the theme (built-in and ``theme_dir``), the
  ``docs_dir`` and ``mkdocs.yml``; a burst of events (an editor's save, a ``git checkout``)
  triggers one rebuild after 200 ms without events.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import ipaddress
import json
import mimetypes
import os
import posixpath
import re
import signal
import subprocess
import sys
import threading
import time
import traceback
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .clock import resolve_now
from .errors import Diagnostic, StatuspressError
from .readers import Reader
from .writer import clean_leftovers

QUIET_SECONDS = 0.2
"""A rebuild starts once no file event has arrived for this long (debounce)."""
KEEPALIVE_SECONDS = 15.0
TICK_SECONDS = 60.0
EVENTS = "/__statuspress/events"
STATUS = "/__statuspress/status"
Log = Callable[[str], None]
READ_ONLY_EVENTS = ("opened", "closed_no_write")


def _quiet(_: str) -> None:
    return None


# -- incremental reading ---------------------------------------------------------------------


@dataclass(slots=True)
class _Entry:
    stamp: tuple[int, ...]
    model: Any
    diagnostics: list[Diagnostic]


class CachingReader(Reader):
    """A :class:`Reader` that re-reads only files changed since the last read.

    A file's model and its diagnostics are kept with its stat stamp; an unchanged file gives
    back the same (never mutated) model. Entries of files that disappeared are dropped.
    """

    def __init__(self, root: Path, cache: dict[tuple[str, Path], _Entry]) -> None:
        super().__init__(root)
        self.cache = cache
        self.seen: set[tuple[str, Path]] = set()

    def _cached(self, kind: str, path: Path, read: Callable[[Path], Any]) -> Any:
        try:
            st = path.stat()
        except OSError:
            return read(path)
        stamp = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, self.max_bytes)
        key = (kind, path)
        self.seen.add(key)
        entry = self.cache.get(key)
        if entry is not None and entry.stamp == stamp:
            self.diags.extend(entry.diagnostics)
            return entry.model
        before = len(self.diags.items)
        model = read(path)
        self.cache[key] = _Entry(stamp, model, self.diags.items[before:])
        return model

    def read_incident(self, path: Path) -> Any:
        return self._cached("incident", path, super().read_incident)

    def read_known_error(self, path: Path) -> Any:
        return self._cached("known-error", path, super().read_known_error)

    def read_runbook(self, path: Path) -> Any:
        return self._cached("runbook", path, super().read_runbook)

    def prune(self) -> None:
        for key in set(self.cache) - self.seen:
            del self.cache[key]


# -- builds ----------------------------------------------------------------------------------


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
        log: Log = _quiet,
    ) -> None:
        self.content_dir = content_dir
        self.out = out
        self.now_option = now
        self.public_only = public_only
        self.log = log
        self.cache: dict[tuple[str, Path], _Entry] = {}
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

    # -- the public site -------------------------------------------------------------------
    def now(self) -> dt.datetime:
        return resolve_now(self.now_option)

    def rebuild(self, internal: bool = True) -> BuildTimes:
        """Read what changed, check everything, render the public site and serve it.

        ``internal``: also rebuild the internal site afterwards (not for a clock tick).
        """
        from .build import render_public
        from .derive import derive
        from .validate import validate

        times = BuildTimes()
        started = time.perf_counter()
        now = self.now()
        reader = CachingReader(self.content_dir, self.cache)
        content = reader.read()
        reader.prune()
        times.read = time.perf_counter() - started
        mark = time.perf_counter()
        validate(content, reader.diags, now)
        world = derive(content, now)
        self._remember_watch_paths(content.site.theme_dir, content.site.docs_dir)
        errors = reader.diags.errors
        times.check = time.perf_counter() - mark
        if errors:
            self._publish_state(errors=errors)
            shown = self.snapshot.build if self.snapshot else 0
            self.log(f"{len(errors)} content errors; still serving build {shown}:")
            for diag in errors[:20]:
                self.log(f"  {diag.format()}")
            return times
        mark = time.perf_counter()
        try:
            writer = render_public(world, self.out / "public")
        except Exception as exc:  # a theme being edited: report it like a content error
            self._report_failure(exc)
            return times
        times.render = time.perf_counter() - mark
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
        self._publish_state(snapshot=Snapshot(build, dict(writer.files)), errors=[])
        mark = time.perf_counter()
        try:
            clean_leftovers(writer.dest)
            writer.commit()
        except StatuspressError as exc:
            self.log(f"could not write {writer.dest}: {exc.format_message()}")
        times.write = time.perf_counter() - mark
        warnings = len(reader.diags.warnings)
        self.log(
            f"build {build}: public site in {times.visible:.2f}s "
            f"(+{times.write:.2f}s to write {self.out / 'public'})"
            + (f", {warnings} warnings" if warnings else "")
        )
        if internal and not self.public_only:
            self.request_internal(now)
        return times

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
            # re-render the public site every minute; it reloads only if a page changed.
            if not dirty.wait(None if self.now_option else TICK_SECONDS):
                if not self.stopping.is_set():
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


# -- HTTP ------------------------------------------------------------------------------------

LIVE_SCRIPT = """<script>/* statuspress serve: live reload (not in the built files) */
(function () {
  var BUILD = %(build)d;
  var box = null;
  function show(state) {
    if (state.ok) { if (box) { box.remove(); box = null; } return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "statuspress-serve-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;" +
        "z-index:2147483647;margin:0;padding:1em 1.25em;background:#fff1f0;color:#5c0011;" +
        "border-top:4px solid #cf1322;font:14px/1.5 system-ui,sans-serif;";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "statuspress: " + state.errors.length + " error" +
      (state.errors.length === 1 ? "" : "s") + " \\u2014 still showing the last good build";
    var list = document.createElement("pre");
    list.style.cssText = "white-space:pre-wrap;margin:.5em 0 0;" +
      "font:13px/1.5 ui-monospace,monospace;";
    list.textContent = state.errors.map(function (e) { return e.text; }).join("\\n");
    box.appendChild(title);
    box.appendChild(list);
  }
  function handle(state) {
    if (state.build !== BUILD) { window.location.reload(); return; }
    show(state);
  }
  if (!window.EventSource) { return; }
  var events = new EventSource("%(events)s");
  events.onmessage = function (e) { handle(JSON.parse(e.data)); };
})();
</script>
"""

PLACEHOLDER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>statuspress serve</title></head>
<body><main><h1>%(title)s</h1><p>%(text)s</p></main>
</body></html>
"""
_CSP_META = re.compile(rb"<meta[^>]+http-equiv=[\"']?content-security-policy[^>]*>", re.I)
_BODY_END = re.compile(rb"</body\s*>", re.I)


def inject(page: bytes, build: int) -> bytes:
    """Add the live-reload script to an HTML response (a CSP meta tag would block it)."""
    script = (LIVE_SCRIPT % {"build": build, "events": EVENTS}).encode()
    page = _CSP_META.sub(b"", page)
    ends = list(_BODY_END.finditer(page))
    if not ends:
        return page + script
    at = ends[-1].start()
    return page[:at] + script + page[at:]


class _Handler(SimpleHTTPRequestHandler):
    builder: Builder
    site: str
    protocol_version = "HTTP/1.0"  # one response per connection; events stream until closed

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a rebuild log is what a writer wants to see, not every request

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def do_GET(self) -> None:
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        path = urllib.parse.unquote(self.path.split("?", 1)[0].split("#", 1)[0])
        allowed = getattr(self.server, "allowed_hosts", None)
        if allowed is not None:
            # A page on another site could reach 127.0.0.1 through DNS rebinding and read the
            # internal knowledge base; such requests carry a foreign Host header.
            asked = urllib.parse.urlsplit("//" + self.headers.get("Host", "")).hostname
            if asked not in allowed:
                self._send(421, "text/plain; charset=utf-8", b"unexpected Host header", head)
                return
        try:
            if path == STATUS:
                body = json.dumps(self.builder.state(self.site)).encode()
                self._send(200, "application/json", body, head)
            elif path == EVENTS and not head:
                self._events()
            else:
                self._file(path, head)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, code: int, ctype: str, body: bytes, head: bool, **headers: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        version = -1
        while not self.builder.stopping.is_set():
            current = self.builder.wait(version, KEEPALIVE_SECONDS)
            if current == version:
                self.wfile.write(b": keep-alive\n\n")
            else:
                version = current
                data = json.dumps(self.builder.state(self.site))
                self.wfile.write(f"data: {data}\n\n".encode())
            self.wfile.flush()

    def _file(self, path: str, head: bool) -> None:
        rel = posixpath.normpath(path).lstrip("/")
        if rel in (".", ""):
            rel = ""
        if rel.startswith("..") or "\x00" in rel:
            self._send(404, "text/plain", b"not found", head)
            return
        build, found = self._lookup(rel)
        if found is None and rel and self._is_dir(rel) and not path.endswith("/"):
            self._send(301, "text/plain", b"", head, Location=path + "/")
            return
        if found is None and build is None:
            title = "Building\u2026" if self.site == "internal" else "No good build yet"
            text = (
                "The knowledge base is being built; this page reloads when it is ready."
                if self.site == "internal"
                else "The content has errors; fix them and this page reloads."
            )
            page = (PLACEHOLDER % {"title": title, "text": html.escape(text)}).encode()
            self._send(503, "text/html; charset=utf-8", inject(page, 0), head)
            return
        code = 200
        if found is None:
            code, (_, found) = 404, self._lookup("404.html")
            if found is None:
                self._send(404, "text/plain; charset=utf-8", b"404 Not Found", head)
                return
            rel = "404.html"
        ctype = mimetypes.guess_type(rel or "index.html")[0] or "application/octet-stream"
        tag = {"X-Statuspress-Build": str(build or 0)}
        if ctype == "text/html":
            self._send(code, "text/html; charset=utf-8", inject(found, build or 0), head, **tag)
        else:
            if ctype.startswith("text/") or ctype in ("application/json", "application/xml"):
                ctype += "; charset=utf-8"
            self._send(code, ctype, found, head, **tag)

    def _lookup(self, rel: str) -> tuple[int | None, bytes | None]:
        """(build id, file bytes) of ``rel`` (or its index.html) in the current build."""
        candidates = [rel, f"{rel}/index.html" if rel else "index.html"]
        if self.site == "public":
            snapshot = self.builder.snapshot
            if snapshot is None:
                return None, None
            for name in candidates:
                if name in snapshot.files:
                    return snapshot.build, snapshot.files[name]
            return snapshot.build, None
        # The internal site: the live folder, resolved per request (builds swap it atomically).
        build = self.builder.internal_build  # read before the file: a newer file only reloads
        root = self.builder.out / "internal"
        if not root.is_dir():
            return None, None
        for name in candidates:
            target = root / name
            with contextlib.suppress(OSError):
                if target.is_file():
                    return build, target.read_bytes()
        return build, None

    def _is_dir(self, rel: str) -> bool:
        if self.site == "public":
            snapshot = self.builder.snapshot
            prefix = rel.rstrip("/") + "/"
            return snapshot is not None and any(f.startswith(prefix) for f in snapshot.files)
        return (self.builder.out / "internal" / rel).is_dir()


def _server(builder: Builder, site: str, host: str, port: int) -> ThreadingHTTPServer:
    handler = type(f"{site.title()}Handler", (_Handler,), {"builder": builder, "site": site})
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise StatuspressError(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); pass another --port"
        ) from None
    server.daemon_threads = True
    if _is_loopback(host):
        server.allowed_hosts = {"localhost", "127.0.0.1", "::1", host.strip("[]")}  # type: ignore[attr-defined]
    return server


# -- watching --------------------------------------------------------------------------------


def _ignored(path: str, out: Path) -> bool:
    name = os.path.basename(path)
    if (
        name.startswith((".", "#"))
        or name.endswith(("~", ".swp", ".swx", ".tmp"))
        or name == "4913"
    ):
        return True  # editor swap and backup files, our own atomic-write temp files
    return Path(path).resolve().is_relative_to(out.resolve())


def _watch(builder: Builder, dirty: threading.Event) -> Any:
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    out = builder.out
    mkdocs_yml = (builder.content_dir.parent / "mkdocs.yml").resolve()

    class Changed(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in READ_ONLY_EVENTS:
                return  # every build reads the theme and the content
            for raw in (event.src_path, getattr(event, "dest_path", "")):
                path = os.fsdecode(raw) if raw else ""
                if path and not _ignored(path, out):
                    dirty.set()
                    return

    class ConfigChanged(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in READ_ONLY_EVENTS:
                return  # every internal build reads mkdocs.yml
            wanted = {mkdocs_yml} | {p.resolve() for p in builder.watch_paths}
            for raw in (event.src_path, getattr(event, "dest_path", "")):
                # mkdocs.yml, or a theme or docs folder site.yaml names appearing only now.
                if raw and Path(os.fsdecode(raw)).resolve() in wanted:
                    dirty.set()

    from .public.templating import theme_root

    folders = {builder.content_dir, theme_root(), builder.content_dir.parent / "theme"}
    folders |= builder.watch_paths
    changed, config = Changed(), ConfigChanged()
    seen: set[Path] = set()
    try:
        observer: Any = Observer()
        _schedule(observer, changed, folders, seen)
        observer.schedule(config, str(mkdocs_yml.parent), recursive=False)
        observer.start()
    except OSError:  # inotify limits reached: poll instead
        observer = PollingObserver(timeout=0.5)
        seen.clear()
        _schedule(observer, changed, folders, seen)
        observer.schedule(config, str(mkdocs_yml.parent), recursive=False)
        observer.start()
    lock = threading.Lock()

    def watch_new_paths() -> None:
        # A theme_dir or docs_dir added to site.yaml while serving: watch it from now on.
        with lock:
            try:
                _schedule(observer, changed, set(builder.watch_paths), seen)
            except OSError as exc:
                builder.log(f"warning: cannot watch {sorted(builder.watch_paths)}: {exc}")

    builder.on_watch_paths = watch_new_paths
    watch_new_paths()  # site.yaml may have changed between the first build and now
    return observer


def _schedule(observer: Any, changed: Any, folders: set[Path], seen: set[Path]) -> None:
    for folder in sorted(folders):
        real = folder.resolve()
        if real.is_dir() and real not in seen:
            seen.add(real)
            observer.schedule(changed, str(real), recursive=True)


# -- the command -----------------------------------------------------------------------------


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM stops the server as cleanly as Ctrl+C (in the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve(
    content_dir: Path,
    out: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    now: str | None = None,
    public_only: bool = False,
    log: Log = _quiet,
    ready: Callable[[list[str]], None] | None = None,
) -> None:
    """Serve until interrupted (Ctrl+C or SIGTERM)."""
    if not content_dir.is_dir():
        raise StatuspressError(f"content folder '{content_dir}' does not exist (pass --content)")
    if now is not None:
        resolve_now(now)  # a bad --now is a usage error now, not a failed build later
    builder = Builder(content_dir, out, now=now, public_only=public_only, log=log)
    if not _is_loopback(host):
        log(f"warning: serving on {host}: anyone who can reach it can read the internal site")
    servers = [_server(builder, "public", host, port)]
    if not public_only:
        servers.append(_server(builder, "internal", host, port + 1 if port else 0))
    dirty = threading.Event()
    threads: list[threading.Thread] = []
    started: list[ThreadingHTTPServer] = []
    observer = None
    with _terminate_as_interrupt():
        try:
            try:
                builder.rebuild()
            except Exception as exc:
                builder._report_failure(exc)
            observer = _watch(builder, dirty)
            threads.append(threading.Thread(target=builder.loop, args=(dirty,), daemon=True))
            for thread in threads:
                thread.start()
            for server in servers:
                threading.Thread(target=server.serve_forever, daemon=True).start()
                started.append(server)
            urls = [f"http://{_url_host(host)}:{s.server_address[1]}/" for s in servers]
            log(f"Serving the status page at {urls[0]}")
            if len(urls) > 1:
                log(f"Serving the internal knowledge base at {urls[1]}")
            log("Watching for changes; press Ctrl+C to stop.")
            if ready is not None:
                ready(urls)
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            log("Stopping.")
        finally:
            builder.stop()
            dirty.set()
            if observer is not None:
                observer.stop()
            for server in started:
                server.shutdown()
            for server in servers:
                server.server_close()
            if observer is not None:
                observer.join(timeout=2)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


__all__ = ["Builder", "CachingReader", "inject", "serve"]
