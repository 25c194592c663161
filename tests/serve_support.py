"""Run `statuspress serve` as a real child process for the serve tests (free ports, clean stop)."""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

NOW = "2026-11-27T12:00:00Z"
START_DEADLINE = 60.0


@dataclass
class Served:
    proc: subprocess.Popen[bytes]
    public: str
    internal: str | None
    log: list[str] = field(default_factory=list)
    partial: bytes = b""

    def read_log(self) -> list[str]:
        """Lines the server printed so far (non-blocking; raw reads, no buffered leftovers)."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while select.select([fd], [], [], 0)[0]:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            self.partial += chunk
            *lines, self.partial = self.partial.split(b"\n")
            self.log.extend(line.decode(errors="replace") for line in lines)
        return self.log


def get(
    url: str, timeout: float = 10.0, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """GET without following redirects; (status, headers, body) even for errors."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        request = urllib.request.Request(url, headers=headers or {})
        with opener.open(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


@contextlib.contextmanager
def serving(content: Path, out: Path, *extra: str) -> Iterator[Served]:
    """Start `statuspress serve --port 0` on ``content``; stop it with SIGTERM afterwards."""
    args = [
        sys.executable, "-c", "from statuspress.cli import main; main()", "serve",
        "--content", str(content), "--out", str(out), "--port", "0", "--now", NOW, *extra,
    ]  # fmt: skip
    proc = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        cwd=content.parent,
    )
    served = Served(proc, "", None)
    try:
        deadline = time.monotonic() + START_DEADLINE
        while not any("Watching for changes" in line for line in served.log):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("serve did not start:\n" + "\n".join(served.read_log()))
            select.select([proc.stdout], [], [], 0.2)
            served.read_log()
        for line in served.log:
            found = re.search(r"(status page|internal knowledge base) at (http://\S+/)", line)
            if found and found.group(1) == "status page":
                served.public = found.group(2)
            elif found:
                served.internal = found.group(2)
        yield served
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        with contextlib.suppress(Exception):
            served.read_log()
        if proc.stdout is not None:
            proc.stdout.close()


def wait_for(predicate: object, timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(interval)
    return False
