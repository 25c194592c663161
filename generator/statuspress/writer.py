"""The one writer that owns an output directory.

Renderers hand it (relative path, bytes) pairs. It refuses a path written twice, a path that
would leave the output directory, and names that differ only in case (they collide on macOS and
Windows checkouts). ``commit()`` writes everything into a fresh sibling directory and swaps it
in with one atomic rename, so a reader (a web server, ``publish``, a killed build) sees either
the old site or the new one, never a mix. :func:`commit_all` does the same for several sites
as one: every destination is checked and every staging folder written before the first swap,
and a swap that fails puts the sites already swapped back (see :mod:`~statuspress.outdir` for
which folders may be replaced, and the lock held meanwhile).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import Protocol

from .errors import BuildError
from .outdir import MARKER, check_replaceable, marker_text

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_libc: ctypes.CDLL | None = None


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where unsupported."""
    global _libc
    try:
        if _libc is None:
            _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        func = _libc.renameat2
    except (OSError, AttributeError):
        return False
    result = func(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def safe_relpath(rel: str) -> str:
    """Normalise an output path, refusing anything that could escape the output directory."""
    if not rel or "\x00" in rel or "\\" in rel:
        raise BuildError(f"refusing to write unsafe output path {rel!r}")
    if rel[0] != "/" and not any(step in ("", ".", "..") for step in rel.split("/")):
        return rel  # already normal (most paths): what the checks below would give back
    pure = PurePosixPath(rel)
    # pathlib drops "." steps, so look at the text too: "./x" and "a/./b" are generator bugs.
    steps = rel.split("/")
    if pure.is_absolute() or not pure.parts or any(step in (".", "..") for step in steps):
        raise BuildError(f"refusing to write output path outside the site: {rel!r}")
    return pure.as_posix()


Claim = tuple[str, str, tuple[tuple[str, str], ...]]


def claim_parts(rel: str) -> Claim:
    """``rel`` normalised (:func:`safe_relpath`), case-folded, and each folder on its way
    with its case-folded form: what :class:`SiteWriter` checks a path against the others by."""
    rel = safe_relpath(rel)
    steps = rel.split("/")
    folders = tuple(
        (folder, folder.casefold())
        for folder in ("/".join(steps[:depth]) for depth in range(1, len(steps)))
    )
    return rel, rel.casefold(), folders


class OutputFiles(Protocol):
    """Where a renderer puts its files: a path relative to the site root, and the bytes.

    :class:`SiteWriter` is one; renderers and output plugins need nothing more of it.
    """

    def add(self, rel: str, data: bytes | str) -> None: ...


class SiteWriter:
    """Collects the files of one site, then writes them all at once."""

    def __init__(self, dest: Path, kind: str = "site") -> None:
        self.dest = dest
        self.kind = kind
        """Named in the site's :data:`~statuspress.outdir.MARKER` file (public, internal)."""
        self.files: dict[str, bytes] = {}
        self.placed: list[str] = []
        """Files a helper process already wrote into :attr:`staging` (checked like the rest)."""
        self.staging: Path | None = None
        self._folded: dict[str, str] = {}
        self._dirs: dict[str, str] = {}  # folded folder -> folder as first written
        self.trees: list[tuple[str, Path]] = []
        self.scratch: list[Path] = []
        """Work folders (e.g. mkdocs' build) removed once this site is committed or dropped."""
        self.paths: dict[str, Claim] | None = None
        """What :func:`claim_parts` gave for each path, kept by serve from build to build (its
        6,000 paths are mostly the same); None: worked out afresh."""

    @property
    def count(self) -> int:
        return len(self.files) + len(self.placed)

    def add(self, rel: str, data: bytes | str) -> None:
        rel = self._claim(rel)
        self.files[rel] = data.encode("utf-8") if isinstance(data, str) else data

    def place(self, rel: str) -> None:
        """Claim ``rel`` for a file already written into :attr:`staging` by a helper process.

        The path goes through every check :meth:`add` makes, so a collision still fails the
        build (and the staging directory is discarded, never swapped in).
        """
        self.placed.append(self._claim(rel))

    def _claim(self, rel: str) -> str:
        paths = self.paths
        if paths is None:
            rel, folded, folders = claim_parts(rel)
        else:
            parts = paths.get(rel)
            if parts is None:
                parts = paths[rel] = claim_parts(rel)
            rel, folded, folders = parts
        if self._folded.get(folded) == rel:
            raise BuildError(f"two pages want the same output path {rel!r}")
        if folded in self._folded:
            raise BuildError(
                f"output paths {self._folded[folded]!r} and {rel!r} differ only in case"
            )
        if folded in self._dirs:
            raise BuildError(f"output path {rel!r} is also a folder of other pages")
        # Every folder on the way must not be a file, nor differ from another only in case
        # (on macOS and Windows those are one folder).
        for folder, key in folders:
            if key in self._folded:
                raise BuildError(f"output path {rel!r} needs {folder!r}, which is a page")
            known = self._dirs.setdefault(key, folder)
            if known != folder:
                raise BuildError(f"output folders {known!r} and {folder!r} differ only in case")
        self._folded[folded] = rel
        return rel

    def add_tree(self, rel: str, source: Path) -> None:
        """Copy a whole directory (e.g. a site built by mkdocs) to ``rel`` at commit time."""
        self.trees.append((safe_relpath(rel) if rel else "", source))

    def stage(self) -> Path:
        """The fresh sibling directory the site is written into (made on first use).

        A build that will commit calls this before rendering, so that helper processes can
        write their share there directly (see :meth:`place`); the directory only replaces
        ``dest`` in :meth:`commit`, and :meth:`discard` removes it when the build fails.
        """
        if self.staging is None:
            self.staging = self._sibling("new")
        return self.staging

    def work_dir(self) -> Path:
        """A new work folder next to ``dest`` (e.g. for mkdocs), removed with this site.

        Not in /tmp: a build killed mid-way leaves it where the next build's
        :func:`clean_leftovers` finds it. The path is absolute (mkdocs resolves paths from
        its config file).
        """
        folder = self._sibling("work").resolve()
        self.scratch.append(folder)
        return folder

    def _sibling(self, kind: str) -> Path:
        parent = self.dest.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            return Path(tempfile.mkdtemp(prefix=f".{self.dest.name}.{kind}-", dir=parent))
        except OSError as exc:
            raise BuildError(f"cannot create output directory {parent}: {exc.strerror}") from exc

    def flush(self) -> None:
        """Write what was collected so far into the staging directory now, and let it go.

        The names stay claimed; :meth:`commit` then writes only what came after. A build
        rendering on two processes flushes one share while the other is still being rendered.
        """
        self.write_files(self.stage())
        self.placed.extend(self.files)
        self.files = {}
        self.trees = []

    def discard(self) -> None:
        """Remove the staging directory of a build that will not be committed."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        self._drop_scratch()

    def _drop_scratch(self) -> None:
        for folder in self.scratch:
            shutil.rmtree(folder, ignore_errors=True)
        self.scratch = []

    def commit(self, *, force: bool = False) -> Path:
        """Write every file into the staging directory and swap it in place of ``dest``."""
        commit_all([self], force=force)
        return self.dest

    def prepare(self, *, force: bool = False) -> Path:
        """Check ``dest`` may be replaced and write the whole site into the staging folder."""
        check_replaceable(self.dest, force=force)
        self.mark()
        staging = self.stage()
        self.write_files(staging)
        return staging

    def mark(self) -> None:
        """Add the :data:`~statuspress.outdir.MARKER` file (once): the site is ours to replace.

        Part of the site's files, so it is counted and served like any other.
        """
        if self._folded.get(MARKER) != MARKER:
            self.add(MARKER, marker_text(self.kind))

    def write_files(self, root: Path) -> None:
        """Write the collected files and trees under ``root`` (which exists)."""
        for rel, source in self.trees:
            _refuse_links(source)
            shutil.copytree(source, root / rel if rel else root, dirs_exist_ok=True)
        made: set[Path] = set()
        for rel in sorted(self.files):
            target = root / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(self.files[rel])
        os.chmod(root, 0o755)  # mkdtemp makes it 0700; a web server must read it


def _refuse_links(source: Path) -> None:
    """A copied tree must not carry (or, copied, resolve) a link to a file outside it."""
    for dirpath, dirnames, filenames in os.walk(source):
        for name in dirnames + filenames:
            if Path(dirpath, name).is_symlink():
                raise BuildError(
                    f"refusing to copy symbolic link {Path(dirpath, name)} into the site"
                )


def commit_all(writers: list[SiteWriter], *, force: bool = False) -> None:
    """Swap in every writer's site, or none: on any error every ``dest`` is as it was.

    Each destination is checked and each site written completely before the first swap; if
    a later swap still fails (the disk changed meanwhile), the earlier ones are swapped back.
    """
    done: list[tuple[SiteWriter, Path, Path | None]] = []
    try:
        staged = [(writer, writer.prepare(force=force)) for writer in writers]
        for writer, staging in staged:
            check_replaceable(writer.dest, force=force)
            done.append((writer, staging, exchange(staging, writer.dest)))
    except BaseException as exc:
        for writer, staging, old in reversed(done):
            _swap_back(staging, writer.dest, old)
        for writer in writers:
            writer.discard()
        if isinstance(exc, OSError):
            where = exc.filename or ", ".join(str(w.dest) for w in writers)
            raise BuildError(
                f"cannot write {where}: {exc.strerror or exc}; nothing was replaced"
            ) from exc
        raise
    for writer, _, old in done:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)  # the previous site
        writer.staging = None
        writer._drop_scratch()


def exchange(new: Path, dest: Path) -> Path | None:
    """Put ``new`` at ``dest`` atomically; return where the old tree now is (None: none was).

    The old tree is kept until the caller removes it, so the swap can still be undone.
    """
    if dest.is_symlink() or dest.is_file():
        raise BuildError(f"{dest} exists and is not a directory; refusing to replace it")
    if not dest.exists():
        os.rename(new, dest)
        return None
    if _exchange(new, dest):
        return new  # `new` now holds the old site
    # Portable fallback: two renames; a crash between them leaves `old` for recovery.
    old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
    os.rename(dest, old)
    try:
        os.rename(new, dest)
    except OSError:
        os.rename(old, dest)
        raise
    return old


def _swap_back(staging: Path, dest: Path, old: Path | None) -> None:
    """Undo :func:`exchange`: the new site goes back to ``staging``, the old one to ``dest``."""
    if old is None:
        os.rename(dest, staging)
    elif old == staging:
        if not _exchange(staging, dest):
            raise BuildError(f"cannot put the previous {dest} back (it is in {staging})")
    else:
        os.rename(dest, staging)
        os.rename(old, dest)


def swap(new: Path, dest: Path) -> None:
    """Put ``new`` at ``dest`` atomically and remove the old tree (if any)."""
    old = exchange(new, dest)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def clean_leftovers(dest: Path) -> None:
    """Remove staging and work directories a killed build left next to ``dest``.

    Only while holding ``dest``'s lock (:func:`~statuspress.outdir.locked` calls it then):
    a build that is still running has folders with the same names.
    """
    if not dest.parent.is_dir():
        return
    prefixes = tuple(f".{dest.name}.{kind}-" for kind in ("new", "old", "work"))  # see _sibling
    for entry in dest.parent.iterdir():
        if entry.name.startswith(prefixes):
            shutil.rmtree(entry, ignore_errors=True)
