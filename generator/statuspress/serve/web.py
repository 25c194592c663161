"""The HTTP side of ``statuspress serve``: the request handler, the live-reload script, the servers.

- **Live reload.** HTML responses (only responses: never the files on disk) get a small script
  that listens to ``/__statuspress/events`` (Server-Sent Events) and reloads when a new build is
  served. When an edit breaks validation the last good build stays served and the script shows
  the errors (file, line, message) in an overlay, fetched from ``/__statuspress/status``; it
  disappears by itself once the file is fixed. The built pages forbid scripts with a
  Content-Security-Policy meta tag; served responses leave that tag out (the files keep it).
  A build whose pages did not change (a save without change, an internal-only edit) reloads
  nothing.
- **Safety.** Loopback by default, and requests whose Host header is not a loopback name are
  refused (DNS rebinding must not expose the internal site to a web page).
"""

from __future__ import annotations

import contextlib
import html
import ipaddress
import json
import mimetypes
import posixpath
import re
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ..errors import StatuspressError
from .builder import Builder

KEEPALIVE_SECONDS = 15.0
EVENTS = "/__statuspress/events"
STATUS = "/__statuspress/status"

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


def make_server(builder: Builder, site: str, host: str, port: int) -> ThreadingHTTPServer:
    handler = type(f"{site.title()}Handler", (_Handler,), {"builder": builder, "site": site})
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise StatuspressError(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); pass another --port"
        ) from None
    server.daemon_threads = True
    if is_loopback(host):
        server.allowed_hosts = {"localhost", "127.0.0.1", "::1", host.strip("[]")}  # type: ignore[attr-defined]
    return server


# -- URL helpers -----------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
