"""A published public site as notify sees it: its ``api/v2`` documents, read from anywhere.

The documents are the site's public projection already (docs/api.md), so reading nothing else
is what keeps every notification inside the public/internal boundary.

Where a site can be read from:

- a folder (``site/public``, or a copy of the previously published site);
- ``git:REF``: a published branch (``git:gh-pages``) or any commit, read with ``git show``
  (no checkout, the working tree is never touched); ``origin/REF`` is tried when there is no
  local ``REF``, as in a fresh CI clone;
- ``http(s)://...``: the live site's base URL; its ``api/v2/`` documents are fetched.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import StatuspressError

Json = dict[str, Any]
INCIDENT_DOCS = ("incidents.json", "incidents/unresolved.json")
MAINTENANCE_DOCS = (
    "scheduled-maintenances.json",
    "scheduled-maintenances/upcoming.json",
    "scheduled-maintenances/active.json",
)
MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
TIMEOUT = 20.0


class SnapshotError(StatuspressError):
    """A site could not be read (unreadable git repository, network error, bad JSON)."""


@dataclass(slots=True)
class Snapshot:
    """The public state of one site: page, status, components, incidents and maintenances."""

    where: str
    page: Json
    status: Json
    components: dict[str, Json] = field(default_factory=dict)
    """Leaf components (services) by id; group components are left out."""
    incidents: dict[str, Json] = field(default_factory=dict)
    maintenances: dict[str, Json] = field(default_factory=dict)


Fetch = Callable[[str], bytes | None]
"""Returns a document's bytes by its path under ``api/v2/``, or None when it does not exist."""


def _folder(root: Path) -> Fetch:
    def fetch(name: str) -> bytes | None:
        path = root / "api" / "v2" / name
        return path.read_bytes() if path.is_file() else None

    return fetch


def _git(ref: str, repo: Path) -> Fetch | None:
    def git(*args: str) -> subprocess.CompletedProcess[bytes]:
        try:
            return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
        except OSError as exc:
            raise SnapshotError(f"cannot run git: {exc.strerror or exc}") from exc

    inside = git("rev-parse", "--git-dir")
    if inside.returncode != 0:
        raise SnapshotError(f"{repo} is not a git repository (needed for git:{ref})")
    for rev in (ref, f"origin/{ref}"):
        if git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode == 0:
            break
    else:
        return None

    def fetch(name: str) -> bytes | None:
        shown = git("show", f"{rev}:api/v2/{name}")
        return shown.stdout if shown.returncode == 0 else None

    return fetch


def _url(base: str) -> Fetch:
    base = base.rstrip("/") + "/api/v2/"

    def fetch(name: str) -> bytes | None:
        request = urllib.request.Request(base + name, headers={"User-Agent": "statuspress-notify"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                data: bytes = response.read(MAX_DOCUMENT_BYTES + 1)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise SnapshotError(f"cannot fetch {base}{name}: HTTP {exc.code}") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise SnapshotError(f"cannot fetch {base}{name}: {reason}") from exc
        if len(data) > MAX_DOCUMENT_BYTES:
            raise SnapshotError(f"{base}{name} is larger than {MAX_DOCUMENT_BYTES} bytes")
        return data

    return fetch


def _parse(where: str, name: str, data: bytes) -> Json:
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SnapshotError(f"{where}: api/v2/{name} is not valid JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise SnapshotError(f"{where}: api/v2/{name} is not a JSON object")
    return doc


def _items(where: str, name: str, doc: Json, key: str) -> list[Json]:
    items = doc.get(key, [])
    if not isinstance(items, list) or not all(
        isinstance(i, dict) and isinstance(i.get("id"), str) for i in items
    ):
        raise SnapshotError(f"{where}: api/v2/{name}: '{key}' is not a list of objects with ids")
    return items


def load(source: str, repo: Path = Path(".")) -> Snapshot | None:
    """Read the site at ``source``; None when there is none there (a first run)."""
    fetch: Fetch | None
    if source.startswith("git:"):
        fetch = _git(source[4:], repo)
    elif source.startswith(("http://", "https://")):
        fetch = _url(source)
    else:
        fetch = _folder(Path(source))
    summary_bytes = fetch("summary.json") if fetch is not None else None
    if fetch is None or summary_bytes is None:
        return None
    summary = _parse(source, "summary.json", summary_bytes)
    page, status = summary.get("page"), summary.get("status")
    if not isinstance(page, dict) or not isinstance(status, dict):
        raise SnapshotError(f"{source}: api/v2/summary.json has no page or status")
    snap = Snapshot(source, page, status)
    for c in _items(source, "summary.json", summary, "components"):
        if not c.get("group"):
            snap.components[c["id"]] = c
    for names, into in ((INCIDENT_DOCS, snap.incidents), (MAINTENANCE_DOCS, snap.maintenances)):
        key = "incidents" if into is snap.incidents else "scheduled_maintenances"
        for name in names:
            data = fetch(name)
            if data is None:
                continue
            for item in _items(source, name, _parse(source, name, data), key):
                into.setdefault(item["id"], item)
    return snap


def remember(site_dir: Path, into: Path) -> None:
    """Copy the site's ``api/v2`` documents to ``into`` (the next run's ``--previous``).

    Replaces ``into`` whole (a new copy, then a swap), and only when it is new or holds such a
    copy and nothing else, so a mistyped path never deletes someone's folder.
    """
    if into.exists() and (not into.is_dir() or {p.name for p in into.iterdir()} - {"api"}):
        raise SnapshotError(f"{into} holds more than a copy of api/ (refusing to replace it)")
    fresh = into.with_name(into.name + ".new")
    old = into.with_name(into.name + ".old")
    try:
        for leftover in (fresh, old):
            shutil.rmtree(leftover, ignore_errors=True)
        shutil.copytree(site_dir / "api" / "v2", fresh / "api" / "v2")
        if into.exists():
            os.replace(into, old)
        os.replace(fresh, into)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise SnapshotError(f"cannot keep a copy of the site in {into}: {exc}") from exc
