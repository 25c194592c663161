"""One ``statuspress notify`` run: compare, filter, render, send, remember.

Order of work, so that a mistake never sends half a batch:

1. read site.yaml (channels) and the two sites; no previous site means a first run: nothing
   is derived (no flood of history), pending retries still go out;
2. resolve every channel's URL from the environment and check it (a missing variable or an
   unusable URL stops the run before anything is sent);
3. render every message (a broken template stops the run before anything is sent);
4. per channel, send in order; at the first failure the channel stops and keeps the rest as
   pending for the next run; other channels go on;
5. the state is saved after every delivery, so a killed run re-sends nothing it delivered.

Every line this module produces goes through :class:`Redactor`: no channel URL (nor a piece of
one, such as a token in its path) is ever printed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import BuildError, ContentError, StatuspressError
from ..models import NotifyChannel, Site
from ..plugins import PluginError, run_plugin
from ..public.api import component_id
from ..readers import Reader
from . import snapshot
from . import state as statefile
from .channels import DeliveryError, Message, Notifier, notifiers
from .events import IMPACT_RANK, Event, diff
from .render import make_env, render

_URL_PARTS = re.compile(r"[/:@?&=#,;+\s]+")
REDACTED = "[redacted]"


class NotifyError(StatuspressError):
    """A channel is misconfigured (missing variable, unusable URL, unknown format)."""


class Redactor:
    """Replaces every secret, and every long piece of one, in text meant for output."""

    def __init__(self, secrets: list[str]) -> None:
        pieces: set[str] = set()
        for secret in secrets:
            if not secret.strip():
                continue
            pieces.update((secret, secret.strip()))
            # Tokens inside the URL (Slack's three path parts, a webhook key, a password) are
            # secret on their own; words such as a host or path name are not worth hiding.
            for part in _URL_PARTS.split(secret):
                if len(part) >= 8 and (len(part) >= 20 or any(c.isdigit() for c in part)):
                    pieces.add(part)
            try:
                password = urlsplit(secret.strip()).password
            except ValueError:
                password = None
            if password:
                pieces.add(password)
        # Longest first, so a whole URL is replaced before its parts.
        self.pieces = sorted(pieces, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for piece in self.pieces:
            text = text.replace(piece, REDACTED)
        return text


@dataclass(slots=True)
class Report:
    lines: list[str] = field(default_factory=list)
    events: int = 0
    sent: int = 0
    failed: list[str] = field(default_factory=list)
    first_run: bool = False
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would send" if self.dry_run else "sent"
        failed = f", {len(self.failed)} channel(s) failed: {', '.join(self.failed)}"
        return (
            f"{self.events} new event(s); {verb} {self.sent} notification(s)"
            f"{failed if self.failed else ''}"
        )


def wanted(channel: NotifyChannel, event: Event) -> bool:
    """The channel's filters: event types, services, minimum impact (incidents, components)."""
    if channel.events and event.type not in channel.events:
        return False
    if channel.services:
        ids = {component_id(s) for s in channel.services}
        if not ids.intersection(event.services):
            return False
    if event.kind in ("incident", "component"):  # maintenance has no impact level
        return IMPACT_RANK.get(event.impact, 0) >= IMPACT_RANK[channel.min_impact]
    return True


def _site(content_dir: Path) -> Site:
    """site.yaml and services.yaml, checked as ``check`` does (the channels name services)."""
    reader = Reader(content_dir)
    content = reader.read_catalogs()
    if reader.diags.errors:
        raise ContentError(reader.diags.errors)
    return content.site


def _utc_stamp(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def notify(
    content_dir: Path,
    site_dir: Path,
    previous: str,
    *,
    state_path: Path,
    now: dt.datetime,
    repo: Path = Path("."),
    remember: Path | None = None,
    dry_run: bool = False,
    environ: Mapping[str, str] | None = None,
    log: Callable[[str], None] = lambda _line: None,
) -> Report:
    """Send what changed between ``previous`` and ``site_dir`` to every channel, once."""
    environ = os.environ if environ is None else environ
    site = _site(content_dir)
    report = Report(dry_run=dry_run)
    redact = Redactor([environ.get(c.url_env, "") for c in site.notify])

    def say(line: str) -> None:
        line = redact(line)
        report.lines.append(line)
        log(line)

    current = snapshot.load(str(site_dir))
    if current is None:
        raise BuildError(
            f"no built public site in {site_dir} (api/v2/summary.json is missing): "
            "run `statuspress build` first"
        )
    try:
        prev = snapshot.load(previous, repo)
    except StatuspressError as exc:
        raise type(exc)(redact(exc.message)) from None
    if prev is None:
        report.first_run = True
        say(f"No previous site at {previous}: first run, nothing to catch up on")
        events: list[Event] = []
    else:
        events = diff(prev, current)
    report.events = len(events)
    if not site.notify:
        say("No notify channels in site.yaml: nothing to send")
        if not dry_run:
            _remember(site_dir, remember)
        return report

    found = notifiers()
    targets: dict[str, str] = {}
    problems: list[str] = []
    for channel in site.notify:
        notifier = found.get(channel.format)
        if notifier is None:
            problems.append(f"channel '{channel.name}': unknown format '{channel.format}'")
            continue
        value = environ.get(channel.url_env, "")
        if not value.strip():
            if not dry_run:
                problems.append(
                    f"channel '{channel.name}': environment variable {channel.url_env} "
                    "is not set (it holds the channel's URL)"
                )
            continue
        try:
            why = run_plugin("notifiers", channel.format, notifier.check_target, value.strip())
        except PluginError as exc:  # its text may quote the URL: it goes through redact below
            why = f"could not be checked: {exc.message}"
        if why:
            problems.append(f"channel '{channel.name}': the URL in {channel.url_env} {why}")
        targets[channel.name] = value.strip()
    if problems:
        raise NotifyError(redact("; ".join(problems)) + "; nothing was sent")

    state = statefile.load(state_path)
    env = make_env(_theme_dir(content_dir, site))
    unsubscribe = site.support_url or site.base_url
    stamp = _utc_stamp(now)
    plans: list[tuple[NotifyChannel, list[Message]]] = []
    for channel in site.notify:
        kept = state.channel(channel.name)
        queue: list[Event] = []
        seen: set[str] = set()
        for event in [*kept.pending, *(e for e in events if wanted(channel, e))]:
            if event.id in seen or kept.was_delivered(event.id):
                continue
            seen.add(event.id)
            queue.append(event)
        messages = []
        for event in queue:
            # Every format gets the text (a plugin may want it; statuspage ignores it).
            title, body = render(env, channel.template, event, channel.name)
            messages.append(Message(event, title, body, stamp, unsubscribe))
        plans.append((channel, messages))

    for channel, messages in plans:
        target = targets.get(channel.name, "")
        _deliver(channel, messages, found[channel.format], target, state, state_path, report, say)
    if not dry_run:
        configured = {c.name for c in site.notify}
        state.channels = {k: v for k, v in state.channels.items() if k in configured}
        statefile.save(state, state_path)
        _remember(site_dir, remember)
    return report


def _remember(site_dir: Path, into: Path | None) -> None:
    # Every event of this comparison is now delivered or pending in the state, so the built
    # site can become the next run's "previous" without losing anything.
    if into is not None:
        snapshot.remember(site_dir, into)


def _theme_dir(content_dir: Path, site: Site) -> Path | None:
    # theme_dir is relative to the content folder's parent, as for the public site's templates.
    return content_dir.parent / site.theme_dir if site.theme_dir else None


def _deliver(
    channel: NotifyChannel,
    messages: list[Message],
    notifier: Notifier,
    target: str,
    state: statefile.State,
    state_path: Path,
    report: Report,
    say: Callable[[str], None],
) -> None:
    kept = state.channel(channel.name)
    for n, message in enumerate(messages):
        what = f"{message.event.type} '{message.event.subject.get('name', '')}'"
        if report.dry_run:
            say(f"would send {what} to {channel.name}")
            report.sent += 1
            continue
        try:
            run_plugin("notifiers", channel.format, notifier.send, target, message)
        except (DeliveryError, PluginError) as exc:
            left = len(messages) - n
            say(
                f"channel '{channel.name}' failed on {what}: {exc.message}; "
                f"{left} notification(s) kept for the next run"
            )
            kept.pending = [m.event for m in messages[n:]]
            report.failed.append(channel.name)
            statefile.save(state, state_path)
            return
        kept.mark_delivered(message.event.id)
        kept.pending = [m.event for m in messages[n + 1 :]]
        report.sent += 1
        say(f"sent {what} to {channel.name}")
        statefile.save(state, state_path)
