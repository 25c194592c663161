"""What ``new`` and ``update`` share: the catalog, one-file checks, YAML scalars, safe writes."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

import yaml

from ..errors import ContentError, StatuspressError, did_you_mean, display_path
from ..models import Content, Incident, KnownError, Runbook, Site
from ..readers import KE_FILE, Reader, split_front_matter
from ..validate import Validator
from ..yaml import LMap, load
from ..yaml.scalars import plain

KINDS = ("incident", "maintenance", "known-error", "runbook")
_PLAIN_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
# Characters YAML does not allow raw in a document, or reads as a line break (U+0085, U+2028,
# U+2029) inside a quoted scalar; written as escapes instead.
YAML_UNSAFE = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
# Control characters the schema refuses in text (see schema._CONTROL): refused before writing.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(slots=True)
class Catalog:
    """Site settings, services and the ids of every document: enough to check one new file."""

    root: Path
    site: Site
    content: Content
    incidents: dict[str, Path] = field(default_factory=dict)
    known_errors: dict[str, Path] = field(default_factory=dict)
    runbooks: dict[str, Path] = field(default_factory=dict)

    def service_ids(self, ids: list[str]) -> None:
        """Refuse ids that are not in services.yaml, with a did-you-mean."""
        for sid in ids:
            if sid not in self.content.services:
                raise StatuspressError(
                    f"unknown service '{sid}'{did_you_mean(sid, self.content.services)}; "
                    f"services are listed in {self.root / 'services.yaml'}"
                )


def load_catalog(content_dir: Path) -> Catalog:
    """Read site.yaml and services.yaml and list the documents (their ids), nothing more."""
    if not content_dir.is_dir():
        raise StatuspressError(
            f"content folder '{content_dir}' does not exist (run from the site repository "
            "or pass --content DIR)"
        )
    reader = Reader(content_dir)
    site = reader.read_site()
    reader.max_bytes = site.max_file_bytes
    content = Content(content_dir, site)
    reader.read_services(content)
    if reader.diags.errors:
        raise ContentError(reader.diags.errors)
    catalog = Catalog(content_dir, site, content)
    for path in reader.files("incidents", recursive=True):
        catalog.incidents.setdefault(path.name[:-3], path)
    for path in reader.files("known-errors", recursive=False):
        match = KE_FILE.fullmatch(path.name[:-3])
        if match:
            catalog.known_errors.setdefault(match.group(1), path)
    for path in reader.files("runbooks", recursive=False):
        catalog.runbooks.setdefault(path.name[:-3], path)
    return catalog


class _MemoryReader(Reader):
    """A reader that sees ``text`` in place of the file at ``path`` (checked before writing)."""

    def __init__(self, root: Path, path: Path, text: str) -> None:
        super().__init__(root)
        self._path = path
        self._text = text

    def load_markdown(self, path: Path) -> tuple[str, Any, str, int]:
        if path != self._path:
            return super().load_markdown(path)
        shown = self.shown(path)
        text = self._text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
        parts = split_front_matter(text)
        if parts is None:
            self.diags.error(shown, 1, "", "missing YAML front matter")
            return shown, None, "", 0
        yaml_text, offset, body, body_line = parts
        value, problems = load(yaml_text, offset)
        for p in problems:
            self.diags.add(shown, p.line, p.field, p.message, p.level)
        if value is None or not isinstance(value, LMap):
            if not problems:
                self.diags.error(shown, 2, "", "front matter must be a mapping of keys to values")
            return shown, None, body, body_line
        return shown, value, body, body_line


def check_document(
    catalog: Catalog, kind: str, path: Path, text: str, now: dt.datetime
) -> Incident | KnownError | Runbook | None:
    """Read ``text`` as the file ``path`` would be read and run its checks; raise on any error.

    Returns the model read from ``text`` (so an edit need not read the file a second time).

    The same reader and validator ``statuspress check`` uses, against the real catalog and the
    ids of every other document, so a file that passes here passes ``check`` once written.
    """
    reader = _MemoryReader(catalog.root, path, text)
    reader.max_bytes = catalog.site.max_file_bytes
    content = Content(
        catalog.root,
        catalog.site,
        groups=catalog.content.groups,
        services=catalog.content.services,
        # Cross-references only need the ids to exist.
        incidents=cast(dict[str, Any], dict.fromkeys(catalog.incidents)),
        known_errors=cast(dict[str, KnownError], dict.fromkeys(catalog.known_errors)),
        runbooks=cast(dict[str, Runbook], dict.fromkeys(catalog.runbooks)),
    )
    validator = Validator(content, reader.diags, now)
    model: Incident | KnownError | Runbook | None
    if kind in ("incident", "maintenance"):
        model = reader.read_incident(path)
        if model is not None:
            validator.incident(model)
    elif kind == "known-error":
        model = reader.read_known_error(path)
        if model is not None:
            validator.known_error(model)
    else:
        model = reader.read_runbook(path)
        if model is not None:
            validator.runbook(model)
    errors = reader.diags.errors
    if errors:
        raise ContentError(errors)
    return model


def open_incident(
    catalog: Catalog, path: Path, now: dt.datetime, verb: str = "update"
) -> tuple[str, str, Incident]:
    """An incident file about to be edited in place: its shown path, exact text and model.

    The file as it is must be valid (an edit on top of an error would hide it) and not a
    link (the edit replaces the file by rename). One read: the model comes from the checked
    text, so it is exactly what the edit starts from.
    """
    if path.is_symlink():
        raise StatuspressError(f"{path} is a symbolic link; {verb} the file it points to")
    shown = display_path(path)
    source = read_source(path, shown, catalog.site.max_file_bytes)
    inc = check_document(catalog, "incident", path, source, now)
    assert isinstance(inc, Incident)  # check_document raised otherwise
    return shown, source, inc


def read_source(path: Path, shown: str, max_bytes: int) -> str:
    """A content file's text exactly as stored (line endings and BOM kept)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StatuspressError(f"cannot read {shown}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise StatuspressError(f"{shown} is {len(data)} bytes, over the {max_bytes}-byte limit")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise StatuspressError(f"{shown}:{line}: not valid UTF-8; save the file as UTF-8") from None


# -- YAML scalars --------------------------------------------------------------------------


def quoted(text: str) -> str:
    """A double-quoted YAML scalar for any text (JSON strings are YAML; odd characters escaped)."""
    out = json.dumps(text, ensure_ascii=False)
    return YAML_UNSAFE.sub(lambda m: _escape(m.group()), out)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def scalar(text: str) -> str:
    """``text`` plain when YAML reads it back as the same string, else double-quoted.

    Plain only when YAML 1.2 (statuspress, editors) and YAML 1.1 (PyYAML and older tools)
    both read it as this text: ``No``, ``017`` and ``1e3`` are quoted.
    """
    if text and text == text.strip() and "\n" not in text and not YAML_UNSAFE.search(text):
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text} and plain(text) == (text, ""):
                return text
        except yaml.YAMLError:
            pass
    return quoted(text)


def key(text: str) -> str:
    """A mapping key: service ids stay plain unless YAML would read them as something else."""
    return scalar(text) if _PLAIN_ID.fullmatch(text) else quoted(text)


def block_literal(text: str, indent: str) -> str | None:
    """``|-`` block text for a multi-line message, or None when it would not read back equal."""
    if "\n" not in text or text != text.strip("\n") or text[:1] in (" ", "\t"):
        return None
    if YAML_UNSAFE.search(text) or "\r" in text:
        return None
    lines = [f"{indent}{line}" if line else "" for line in text.split("\n")]
    block = "|-\n" + "\n".join(lines)
    try:
        if yaml.safe_load(f"k: {block}\n") == {"k": text}:
            return block
    except yaml.YAMLError:
        pass
    return None


def check_text(what: str, text: str, max_len: int) -> None:
    """Refuse text the schema would refuse, before anything is written."""
    if not text.strip():
        raise StatuspressError(f"{what} must not be empty")
    control = _CONTROL.search(text)
    if control:
        raise StatuspressError(
            f"{what} contains the control character U+{ord(control.group()):04X}; remove it"
        )
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise StatuspressError(f"{what} is not valid text (undecodable bytes in the argument?)")
    if len(text) > max_len:
        raise StatuspressError(f"{what} is longer than {max_len} characters")


def iso(moment: dt.datetime) -> str:
    """A timestamp as writers type it: UTC with a ``Z``, seconds unless they are fractional."""
    moment = moment.astimezone(dt.UTC)
    if not moment.microsecond:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.isoformat().replace("+00:00", "Z")


# -- writing -------------------------------------------------------------------------------

LOCK_WAIT = 60.0
"""Seconds a writer waits for another ``new``/``update`` on the same content folder."""


P = ParamSpec("P")
R = TypeVar("R")


def under_content_lock(
    func: Callable[Concatenate[Path, P], R],
) -> Callable[Concatenate[Path, P], R]:
    """Run ``func(content_dir, ...)`` holding :func:`content_lock` on ``content_dir``."""

    @functools.wraps(func)
    def locked(content_dir: Path, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if not content_dir.is_dir():
            load_catalog(content_dir)  # says the folder is missing
        with content_lock(content_dir):
            return func(content_dir, *args, **kwargs)

    return locked


@contextlib.contextmanager
def content_lock(content_dir: Path, wait: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``content_dir`` while reading, deciding and writing.

    ``update`` reads a file, edits it and renames the result over it; ``new`` picks the next
    free id and creates its file. Two of them at once would each decide on what they read, and
    the last rename would silently drop the other's update (or two known errors would get one
    id). The lock is an ``flock`` on the folder itself: it is the one inode every writer opens
    (a file replaced by rename is a new inode, so locking it excludes nobody), it leaves nothing
    behind in the content tree and the kernel drops it when a process dies. Editors do not take
    it: that is what the "changed while the update was prepared" comparison is for.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock (and no parallel CI writers)
        yield
        return
    try:
        fd = os.open(content_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise StatuspressError(f"cannot open {content_dir}: {exc.strerror or exc}") from None
    wait = LOCK_WAIT if wait is None else wait
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StatuspressError(
                        f"another statuspress new/update has been writing in {content_dir} for "
                        f"{wait:.0f}s; nothing was written, run it again when it has finished"
                    ) from None
                time.sleep(0.02)
        yield  # the kernel releases the lock when the descriptor is closed
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write ``data`` to ``path`` so a reader sees the old file or the new one, never a part.

    A temporary file in the same folder is written and fsynced, then renamed over ``path``
    (``exclusive``: linked into place, which fails if ``path`` appeared meanwhile). A new file
    gets the usual 0666-minus-umask mode; an existing one keeps its mode.
    """
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        if exclusive:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise StatuspressError(f"{path} already exists; refusing to overwrite it") from None
            tmp.unlink()
        else:
            os.replace(tmp, path)
        fsync_dir(folder)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    # os.umask can only be read by setting it; this runs in the CLI's single thread.
    current = os.umask(0o022)
    os.umask(current)
    return current


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a directory; the rename is still atomic
    finally:
        os.close(fd)
