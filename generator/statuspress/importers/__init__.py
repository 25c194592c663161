"""Importers: bring an existing status page's history into a content folder.

An importer reads its sources (a URL, a folder, files) and maps them to a neutral
:class:`Imported` result: site settings, groups, services and incident records. It never
writes. :func:`statuspress.importers.run.run_import` then renders the records with the
deterministic emitter (:mod:`.emit`) and writes them through :mod:`.writefiles`, which owns
safety: nothing is written while any problem is known, every file is replaced atomically, and
a file edited since the last import is never overwritten without ``--force``.

Built-ins (``statuspage``, ``cstate``) and third-party importers are found the same way, by
:func:`discover`: a package registers one under the entry-point group
``statuspress.importers`` and ``statuspress import NAME`` runs it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ..plugins import discover as _discover


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in a source that cannot be mapped: the document and the JSON path in it."""

    document: str
    path: str
    message: str


@dataclass(slots=True)
class ImportOptions:
    """What every importer may use; none of it is specific to one source system."""

    content_dir: Path
    timezone: str = ""
    """The zone of the existing site.yaml, or '' when there is none yet."""
    allow_http: bool = False
    timeout: float = 30.0
    progress: Callable[[str], None] = field(default=lambda _message: None)


@dataclass(slots=True)
class IncidentRecord:
    """One incident or maintenance, mapped; ``front`` is the front matter in file order.

    Values in ``front`` are str, bool, int, :class:`datetime.datetime`, lists and dicts;
    ``source`` is added from ``source_id`` and ``source_url`` by the emitter.
    """

    source_id: str
    title: str
    day: dt.date
    front: dict[str, Any]
    source_url: str = ""
    body: str = ""
    origin: str = ""
    """Where it was read (document and JSON path), for messages."""
    old_path: str = ""
    """Its page's path on the old site (``/incidents/abc123``), for redirects."""


@dataclass(slots=True)
class Imported:
    """Everything an importer read, mapped to the content model, plus what it could not map."""

    system: str
    documents: int = 0
    site: dict[str, Any] | None = None
    groups: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    incidents: list[IncidentRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, document: str, path: str, message: str) -> None:
        self.problems.append(Problem(document, path, message))


@runtime_checkable
class Importer(Protocol):
    """The interface of an importer (built-in or from the ``statuspress.importers`` group)."""

    description: str
    """One line for ``statuspress import --help``."""

    def read(self, sources: Sequence[str], options: ImportOptions) -> Imported:
        """Read every source and map it; report problems in the result, never raise for them."""
        ...


def builtins() -> dict[str, Importer]:
    from .cstate import CStateImporter
    from .statuspage import StatuspageImporter

    return {"cstate": CStateImporter(), "statuspage": StatuspageImporter()}


def discover() -> Mapping[str, Importer]:
    """Every importer by name: the built-ins, then installed ``statuspress.importers``."""
    return _discover("importers", builtins())
