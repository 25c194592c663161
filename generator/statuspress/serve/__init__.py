"""``statuspress serve``: build, serve both sites, rebuild on every change, reload open pages.

This module holds the command, :func:`serve`, which wires together:

- :mod:`~statuspress.serve.builder`: the incremental rebuilder (cached reads, the public site
  served from memory, the internal site in a child process, the rebuild loop);
- :mod:`~statuspress.serve.web`: the HTTP side (both sites, live reload, errors in the page,
  the Host header check);
- :mod:`~statuspress.serve.watch`: the file watcher (content, theme, docs, ``mkdocs.yml``).

Loopback by default: serving on another address warns that anyone who can reach it can read
the internal site.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ..clock import resolve_now
from ..errors import StatuspressError
from .builder import Builder, BuildTimes, CachingReader, Log, Snapshot, quiet
from .watch import start_watching
from .web import inject, is_loopback, make_server, url_host


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
    log: Log = quiet,
    ready: Callable[[list[str]], None] | None = None,
) -> None:
    """Serve until interrupted (Ctrl+C or SIGTERM)."""
    if not content_dir.is_dir():
        raise StatuspressError(f"content folder '{content_dir}' does not exist (pass --content)")
    if now is not None:
        resolve_now(now)  # a bad --now is a usage error now, not a failed build later
    builder = Builder(content_dir, out, now=now, public_only=public_only, log=log)
    if not is_loopback(host):
        log(f"warning: serving on {host}: anyone who can reach it can read the internal site")
    servers = [make_server(builder, "public", host, port)]
    if not public_only:
        servers.append(make_server(builder, "internal", host, port + 1 if port else 0))
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
            observer = start_watching(builder, dirty)
            threads.append(threading.Thread(target=builder.loop, args=(dirty,), daemon=True))
            for thread in threads:
                thread.start()
            for server in servers:
                threading.Thread(target=server.serve_forever, daemon=True).start()
                started.append(server)
            urls = [f"http://{url_host(host)}:{s.server_address[1]}/" for s in servers]
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


__all__ = ["Builder", "BuildTimes", "CachingReader", "Snapshot", "inject", "serve"]
