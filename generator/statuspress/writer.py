"""The one writer that owns an output directory.

Renderers hand it (relative path, bytes) pairs. It refuses a path written twice, a path that
would leave the output directory, and names that differ only in case (they collide on macOS and
Windows checkouts). ``commit()`` writes everything into a fresh sibling directory and swaps it
in with one atomic rename, so a reader (a web server, ``publish``, a killed build) sees either
the old site or the new one, never a mix.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from .errors import BuildError

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
    pure = PurePosixPath(rel)
    # pathlib drops "." steps, so look at the text too: "./x" and "a/./b" are generator bugs.
    steps = rel.split("/")
    if pure.is_absolute() or not pure.parts or any(step in (".", "..") for step in steps):
        raise BuildError(f"refusing to write output path outside the site: {rel!r}")
    return pure.as_posix()


class SiteWriter:
    """Collects the files of one site, then writes them all at once."""

    def __init__(self, dest: Path) -> None:
        self.dest = dest
        self.files: dict[str, bytes] = {}
        self._folded: dict[str, str] = {}
        self._dirs: dict[str, str] = {}  # folded folder -> folder as first written
        self.trees: list[tuple[str, Path]] = []

    def add(self, rel: str, data: bytes | str) -> None:
        rel = safe_relpath(rel)
        if rel in self.files:
            raise BuildError(f"two pages want the same output path {rel!r}")
        folded = rel.casefold()
        if folded in self._folded:
            raise BuildError(
                f"output paths {self._folded[folded]!r} and {rel!r} differ only in case"
            )
        if folded in self._dirs:
            raise BuildError(f"output path {rel!r} is also a folder of other pages")
        # Every folder on the way must not be a file, nor differ from another only in case
        # (on macOS and Windows those are one folder).
        parts = rel.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            key = folder.casefold()
            if key in self._folded:
                raise BuildError(f"output path {rel!r} needs {folder!r}, which is a page")
            known = self._dirs.setdefault(key, folder)
            if known != folder:
                raise BuildError(f"output folders {known!r} and {folder!r} differ only in case")
        self._folded[folded] = rel
        self.files[rel] = data.encode("utf-8") if isinstance(data, str) else data

    def add_tree(self, rel: str, source: Path) -> None:
        """Copy a whole directory (e.g. a site built by mkdocs) to ``rel`` at commit time."""
        self.trees.append((safe_relpath(rel) if rel else "", source))

    def commit(self) -> Path:
        """Write every file into a new directory and swap it in place of ``dest``."""
        parent = self.dest.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{self.dest.name}.new-", dir=parent))
        except OSError as exc:
            raise BuildError(f"cannot create output directory {parent}: {exc.strerror}") from exc
        try:
            self._write_all(staging)
            swap(staging, self.dest)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise BuildError(f"cannot write {self.dest}: {exc.strerror or exc}") from exc
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return self.dest

    def _write_all(self, root: Path) -> None:
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


def swap(new: Path, dest: Path) -> None:
    """Put ``new`` at ``dest`` atomically and remove the old tree (if any)."""
    if dest.is_symlink() or dest.is_file():
        raise BuildError(f"{dest} exists and is not a directory; refusing to replace it")
    if dest.exists():
        if _exchange(new, dest):
            shutil.rmtree(new, ignore_errors=True)  # `new` now holds the old site
            return
        # Portable fallback: two renames; a crash between them leaves `old` for recovery.
        old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
        os.rename(dest, old)
        os.rename(new, dest)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(new, dest)


def clean_leftovers(dest: Path) -> None:
    """Remove staging directories a killed build left next to ``dest``."""
    if not dest.parent.is_dir():
        return
    for entry in dest.parent.iterdir():
        if entry.name.startswith((f".{dest.name}.new-", f".{dest.name}.old-")):
            shutil.rmtree(entry, ignore_errors=True)
