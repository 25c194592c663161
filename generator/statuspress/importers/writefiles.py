"""Writing imported files safely: plan first, refuse to clobber edits, then write atomically.

The state file ``content/.statuspress-import.json`` remembers, for every file an import wrote,
the SHA-256 of the bytes it wrote and which source record it holds. A later import compares:

- the file does not exist: it is created;
- it holds exactly the new bytes: nothing to do (importing the same source twice changes
  nothing, not even the state file);
- its bytes still hash to what the last import wrote: nobody edited it, so it is updated;
- otherwise someone edited it (or it was never imported): it is reported and skipped, unless
  ``--force``.

Commit the state file with the content; without it every differing file counts as edited.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..authoring.common import fsync_dir
from ..errors import BuildError

STATE_FILE = ".statuspress-import.json"
STATE_VERSION = 1


@dataclass(slots=True)
class Planned:
    path: str
    """Relative to the content folder, with '/'."""
    data: bytes
    action: str
    """create, update, unchanged, skip (edited since the last import) or overwrite (--force)."""
    source_key: str = ""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class State:
    """The import state file: path -> {sha256, source}."""

    def __init__(self, content_dir: Path) -> None:
        self.path = content_dir / STATE_FILE
        self.files: dict[str, dict[str, str]] = {}
        if self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise BuildError(f"{self.path}: cannot read the import state: {exc}") from exc
            files = data.get("files") if isinstance(data, dict) else None
            if not isinstance(files, dict):
                raise BuildError(f"{self.path}: not an import state file (no 'files')")
            self.files = {
                str(k): {str(a): str(b) for a, b in v.items()}
                for k, v in files.items()
                if isinstance(v, dict)
            }
        self.original = self.text()

    def by_source(self) -> dict[str, str]:
        return {v["source"]: k for k, v in self.files.items() if v.get("source")}

    def record(self, path: str, data: bytes, source_key: str) -> None:
        entry = {"sha256": digest(data)}
        if source_key:
            entry["source"] = source_key
        self.files[path] = entry

    def text(self) -> str:
        doc: dict[str, Any] = {"version": STATE_VERSION, "files": dict(sorted(self.files.items()))}
        return json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def plan(
    content_dir: Path, files: list[tuple[str, bytes, str]], state: State, force: bool
) -> list[Planned]:
    """Decide what happens to each (path, bytes, source key); reads, never writes."""
    out: list[Planned] = []
    for rel, data, source_key in files:
        target = content_dir / rel
        try:
            current = target.read_bytes()
        except FileNotFoundError:
            out.append(Planned(rel, data, "create", source_key))
            continue
        except OSError as exc:
            raise BuildError(f"cannot read {target}: {exc.strerror or exc}") from exc
        if current == data:
            out.append(Planned(rel, data, "unchanged", source_key))
            continue
        known = state.files.get(rel, {}).get("sha256")
        if known is not None and known == digest(current):
            out.append(Planned(rel, data, "update", source_key))
        else:
            out.append(Planned(rel, data, "overwrite" if force else "skip", source_key))
    return out


def apply(content_dir: Path, planned: list[Planned], state: State) -> None:
    """Write every created or updated file, then the state; each replaced atomically.

    All new contents are first written to temporary files beside their targets, so a full
    disk or a permission problem stops the import before any file changes; the renames that
    follow are atomic one by one.
    """
    writes = [p for p in planned if p.action in ("create", "update", "overwrite")]
    for p in planned:
        if p.action != "skip":
            state.record(p.path, p.data, p.source_key)
    state_text = state.text()
    if state_text == state.original and not writes:
        return
    content_dir.mkdir(parents=True, exist_ok=True)
    # New contents wait in one staging folder inside the content folder (same file system,
    # so the renames below are atomic); a small folder also makes creating them cheap.
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=content_dir))
    staged: list[tuple[Path, Path]] = []
    try:
        folders: set[Path] = set()
        for n, p in enumerate(writes):
            target = content_dir / p.path
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            keep_mode = p.action != "create"
            staged.append((_stage(staging / f"{n}.tmp", target, p.data, keep_mode), target))
        tmp = _stage(staging / "state.tmp", state.path, state_text.encode(), True)
        staged.append((tmp, state.path))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    # One sync for all staged data instead of one fsync per file: 10,000 fsyncs would cost
    # more than the whole import, and the data must be on disk before any rename shows it.
    if staged:
        os.sync()
    try:
        for tmp, target in staged:
            os.replace(tmp, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for folder in sorted({target.parent for _tmp, target in staged}):
        fsync_dir(folder)


def _stage(tmp: Path, target: Path, data: bytes, keep_mode: bool) -> Path:
    """Write ``data`` to ``tmp``; a replaced file's mode is kept, a new one gets the usual."""
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
    if keep_mode:
        try:
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        except FileNotFoundError:
            pass
    return tmp
