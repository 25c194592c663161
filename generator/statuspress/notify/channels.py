"""Where notifications go: the :class:`Notifier` interface and the two built-ins.

A channel's ``format`` in site.yaml names its notifier. Built-ins:

- ``text``: a message rendered from the channel's template, sent through Apprise to the
  channel's Apprise URL (Slack, Microsoft Teams, e-mail, Discord, Mattermost, Telegram,
  generic JSON webhooks and ~100 more);
- ``statuspage``: the JSON body Atlassian Statuspage POSTs to webhook subscribers
  (:mod:`.statuspage`), to a plain ``https://`` endpoint (``http://`` only on loopback).

A package adds a format through the ``statuspress.notifiers`` entry point group, naming an
object (or a class, instantiated without arguments) with the two methods of :class:`Notifier`.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlsplit

from ..errors import StatuspressError
from ..plugins import PluginError, discover, plugin_label
from .events import Event

TIMEOUT = 20.0
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class DeliveryError(StatuspressError):
    """A channel did not accept a notification. The message must not quote the target URL."""


@dataclass(frozen=True, slots=True)
class Message:
    """One event, ready for one channel."""

    event: Event
    title: str
    """First line of the rendered template."""
    body: str
    """The rest of the rendered template."""
    generated_at: str
    """When this run made the message (UTC, Statuspage's format)."""
    unsubscribe: str
    """Where a subscriber manages the subscription (the site's support URL, else the page)."""


@runtime_checkable
class Notifier(Protocol):
    """What a notification format implements. ``target`` is the channel's secret URL."""

    def check_target(self, target: str) -> str | None:
        """Why ``target`` cannot be used (never quoting it), or None when it can."""

    def send(self, target: str, message: Message) -> None:
        """Deliver ``message``; raise :class:`DeliveryError` when the channel refuses it."""


@contextmanager
def _apprise_log() -> Iterator[list[str]]:
    """Collect Apprise's warnings instead of letting them reach the terminal unredacted."""
    logger = logging.getLogger("apprise")
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    handler = Keep(logging.WARNING)
    saved = (logger.propagate, logger.level)
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    try:
        yield records
    finally:
        logger.removeHandler(handler)
        logger.propagate, logger.level = saved[0], saved[1]


class AppriseNotifier:
    """``format: text``: the rendered message through Apprise."""

    def check_target(self, target: str) -> str | None:
        import apprise

        with _apprise_log():
            ok = apprise.Apprise().add(target)
        return None if ok else "is not a URL Apprise supports"

    def send(self, target: str, message: Message) -> None:
        import apprise

        notify_type = apprise.NotifyType.INFO
        if message.event.type in ("incident.resolved", "maintenance.completed"):
            notify_type = apprise.NotifyType.SUCCESS
        elif message.event.impact in ("major", "critical"):
            notify_type = apprise.NotifyType.FAILURE
        elif message.event.impact == "minor":
            notify_type = apprise.NotifyType.WARNING
        with _apprise_log() as log:
            sender = apprise.Apprise()
            if not sender.add(target):
                raise DeliveryError("the URL is not one Apprise supports")
            ok = sender.notify(
                title=message.title,
                body=message.body,
                notify_type=notify_type,
                body_format=apprise.NotifyFormat.TEXT,
            )
        if not ok:
            raise DeliveryError(log[-1] if log else "Apprise could not deliver the message")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirected POST would turn into a GET (and could leave the subscriber's host): refuse.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class StatuspageWebhook:
    """``format: statuspage``: POST Statuspage's webhook JSON to the subscriber's endpoint."""

    def check_target(self, target: str) -> str | None:
        try:
            parts = urlsplit(target)
            host = parts.hostname or ""
        except ValueError:
            return "is not a URL"
        if parts.scheme == "https" and host:
            return None
        if parts.scheme == "http" and host in LOOPBACK:
            return None
        return "must be an https:// URL (http:// only on 127.0.0.1 or localhost)"

    def send(self, target: str, message: Message) -> None:
        from .statuspage import payload

        data = json.dumps(payload(message), ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(
            target,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": "statuspress-notify"},
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=TIMEOUT) as response:
                response.read(65536)
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"the endpoint answered HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise DeliveryError(f"cannot reach the endpoint: {reason}") from None


BUILTINS: dict[str, Notifier] = {"text": AppriseNotifier(), "statuspage": StatuspageWebhook()}


def notifiers() -> dict[str, Notifier]:
    """Built-in and installed notifiers by format name; one lacking a method is refused."""
    found = discover("notifiers", BUILTINS)
    for name, obj in found.items():
        if not isinstance(obj, Notifier):
            raise PluginError(
                f"{plugin_label('notifiers', name)} has no check_target(target) and "
                "send(target, message) methods"
            )
    return found
