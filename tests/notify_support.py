"""Real receivers on 127.0.0.1 for the notification tests, and a small status site to build.

- :class:`HttpReceiver`: an ``http.server`` on a free port recording every POST (path, JSON
  body); a path can be told to answer 500 to play a failing channel;
- :class:`SmtpReceiver`: an ``aiosmtpd`` SMTP server recording every message;
- :func:`write_content` / :func:`build`: a content folder written from dicts and built with
  the real ``statuspress build --public-only --now``.
"""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result
from statuspress.cli import cli


@dataclass
class Post:
    path: str
    body: dict[str, Any]
    content_type: str


class HttpReceiver:
    """Records JSON POSTs; paths in ``failing`` answer HTTP 500 (and are not recorded)."""

    def __init__(self) -> None:
        self.posts: list[Post] = []
        self.failing: set[str] = set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length", "0"))
                data = self.rfile.read(length)
                if self.path in receiver.failing:
                    self.send_response(500)
                    self.end_headers()
                    return
                receiver.posts.append(
                    Post(self.path, json.loads(data), self.headers.get("Content-Type", ""))
                )
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, scheme: str, path: str) -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def at(self, path: str) -> list[dict[str, Any]]:
        return [p.body for p in self.posts if p.path == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpReceiver:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 keeping every message it accepts."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[EmailMessage] = []
        receiver = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
                msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
                assert isinstance(msg, EmailMessage)
                receiver.messages.append(msg)
                return "250 Message accepted for delivery"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def url(self, to: str = "ops@example.org") -> str:
        return f"mailto://127.0.0.1:{self.port}?from=status@example.org&to={to}"

    def close(self) -> None:
        self.controller.stop()


@dataclass
class Site:
    """A content folder under construction: site settings, services and incidents as dicts."""

    root: Path
    site: dict[str, Any]
    services: dict[str, Any]
    incidents: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def content(self) -> Path:
        return self.root / "content"

    def write(self) -> None:
        (self.content / "incidents").mkdir(parents=True, exist_ok=True)
        dump = yaml.safe_dump
        (self.content / "site.yaml").write_text(dump(self.site, sort_keys=False), "utf-8")
        (self.content / "services.yaml").write_text(dump(self.services, sort_keys=False), "utf-8")
        for old in (self.content / "incidents").glob("*.md"):
            if old.stem not in self.incidents:
                old.unlink()
        for stem, front in self.incidents.items():
            text = "---\n" + dump(front, sort_keys=False) + "---\n\n## Summary\n\nZqxInternalBody\n"
            (self.content / "incidents" / f"{stem}.md").write_text(text, "utf-8")

    def build(self, name: str, now: str) -> Path:
        """``statuspress build --public-only --now NOW`` into ``root/builds/NAME``."""
        self.write()
        out = self.root / "builds" / name
        result = CliRunner().invoke(
            cli,
            [
                "build",
                "--public-only",
                "--now",
                now,
                "--content",
                str(self.content),
                "--out",
                str(out),
            ],  # fmt: skip
        )
        assert result.exit_code == 0, result.output
        return out / "public"


def run_notify(
    site: Site, previous: Path | str, current: Path, env: Mapping[str, str], *extra: str
) -> Result:
    """``statuspress notify`` as CI runs it (state kept in the site's repository folder)."""
    return CliRunner().invoke(
        cli,
        [
            "notify",
            "--content",
            str(site.content),
            "--previous",
            str(previous),
            "--site",
            str(current),
            "--state",
            str(site.root / ".statuspress" / "notify-state.json"),
            "--now",
            "2026-12-31T00:00:00Z",
            *extra,
        ],  # fmt: skip
        env=dict(env),
        catch_exceptions=False,
    )
