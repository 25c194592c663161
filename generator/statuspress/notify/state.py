"""What each channel has received, so every event reaches it exactly once.

The state is one small JSON file (default ``.statuspress/notify-state.json`` in the repository
checkout; CI keeps it between runs in its cache, see docs/notifications.md)::

    {"version": 1,
     "channels": {"<channel name>": {"delivered": ["<event id>", ...],
                                     "pending": [<event>, ...]}}}

- ``delivered``: ids of events the channel accepted (the newest :data:`MAX_DELIVERED`), so
  running ``notify`` again on the same inputs sends nothing twice;
- ``pending``: events the channel should have received but did not (it failed, or an earlier
  event to it failed and order is kept). They are retried first on the next run, whatever
  sites that run compares, so a failure is never forgotten and never re-sent to the others.

It holds public API data and channel names only: never a URL, never a secret. It is not
published with the site (channel names can say who your subscribers are).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import StatuspressError
from .events import Event

VERSION = 1
MAX_DELIVERED = 5000
DEFAULT_PATH = Path(".statuspress/notify-state.json")


class StateError(StatuspressError):
    """The state file exists but cannot be read or written."""


@dataclass(slots=True)
class ChannelState:
    delivered: list[str] = field(default_factory=list)
    pending: list[Event] = field(default_factory=list)

    def was_delivered(self, event_id: str) -> bool:
        return event_id in self.delivered

    def mark_delivered(self, event_id: str) -> None:
        self.delivered.append(event_id)
        del self.delivered[:-MAX_DELIVERED]


@dataclass(slots=True)
class State:
    channels: dict[str, ChannelState] = field(default_factory=dict)

    def channel(self, name: str) -> ChannelState:
        return self.channels.setdefault(name, ChannelState())


def load(path: Path) -> State:
    """The state at ``path``; an empty one when the file does not exist (first run)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return State()
    except OSError as exc:
        raise StateError(f"cannot read notify state {path}: {exc.strerror or exc}") from exc
    try:
        data = json.loads(text)
        if data.get("version") != VERSION:
            raise ValueError(f"unknown version {data.get('version')!r}")
        state = State()
        for name, entry in data["channels"].items():
            state.channels[str(name)] = ChannelState(
                [str(i) for i in entry.get("delivered", [])],
                [Event.from_json(e) for e in entry.get("pending", [])],
            )
        return state
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise StateError(
            f"notify state {path} is damaged ({exc}); move it away to start afresh "
            "(the next run then sends only what changed since the previous site)"
        ) from exc


def save(state: State, path: Path) -> None:
    """Write atomically: a killed run leaves the previous state whole."""
    data = {
        "version": VERSION,
        "channels": {
            name: {
                "delivered": entry.delivered,
                "pending": [e.to_json() for e in entry.pending],
            }
            for name, entry in sorted(state.channels.items())
        },
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".notify-state-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1, sort_keys=False, ensure_ascii=False)
            out.write("\n")
        os.replace(tmp, path)
    except OSError as exc:
        raise StateError(f"cannot write notify state {path}: {exc.strerror or exc}") from exc
