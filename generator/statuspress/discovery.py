"""Which files under ``content/`` are read, and a report of every one that is not.

``check``, ``build`` (both sites) and ``serve`` all find their files here, through
:class:`ContentWalk` (a base of the :class:`~statuspress.readers.Reader`), so all of them see
the same files and report the same skipped ones. Nothing is skipped in silence: a file that
looks like content but is not named ``*.md`` (``x.MD``, ``x.markdown``, ``x.md `` with a trailing
space) is an error, since the writer meant it to be published; any other foreign file or folder
is a warning; a folder that cannot be listed is an error (its files would be missing).

Skipped on purpose, without a word: names starting with ``.`` (``.git``, editor swap files)
or ``_`` (``_drafts/``), and ``README.md`` files; writers use them to keep notes and drafts.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import Diagnostics, did_you_mean
from .models import Site

FOLDERS = ("incidents", "known-errors", "runbooks")
FILES = ("site.yaml", "services.yaml")
_ROOT_HOLDS = (
    " (the content folder holds site.yaml, services.yaml, incidents/, known-errors/, "
    "runbooks/ and the logo file)"
)
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".mdtext")


def skipped_on_purpose(name: str) -> bool:
    """Hidden files, ``_drafts`` and READMEs: never read and never reported."""
    return name.startswith((".", "_")) or name == "README.md"


def is_content_file(name: str) -> bool:
    return name.endswith(".md") and not skipped_on_purpose(name)


def _markdown_rename(name: str) -> str:
    """Why a name meant as Markdown content is not read, with its fix; else ``""``."""
    stripped = name.strip()
    lowered = stripped.lower()
    for suffix in MARKDOWN_SUFFIXES:
        if lowered.endswith(suffix) and len(stripped) > len(suffix):
            better = stripped[: -len(suffix)].strip() + ".md"
            if stripped != name:
                return f"the name starts or ends with a space (rename it '{better}')"
            return f"content files end in .md (rename it {better})" if better != name else ""
    return ""


class ContentWalk:
    """Lists content files (once per folder) and reports everything that is not read."""

    root: Path
    diags: Diagnostics
    _listed: dict[str, list[Path]]
    """Each folder's content files, listed (and its other entries reported) once."""

    def shown(self, path: Path) -> str:  # pragma: no cover - Reader's
        raise NotImplementedError

    def inside(self, path: Path, shown: str) -> bool:  # pragma: no cover - Reader's
        raise NotImplementedError

    def files(self, folder: str, recursive: bool) -> list[Path]:
        """The content files of ``folder`` (sorted); its other entries are reported once."""
        if folder not in self._listed:
            self._listed[folder] = self._list(folder, recursive)
        return self._listed[folder]

    def _list(self, folder: str, recursive: bool) -> list[Path]:
        base = self.root / folder
        if not base.is_dir():
            return []  # a missing folder is no content; a file in its place: survey_root
        if base.is_symlink() and not self.inside(base, self.shown(base)):
            return []
        found: list[Path] = []
        if not recursive:
            entries = self._entries(base)
            for name, is_dir in entries:
                if is_content_file(name):
                    found.append(base / name)
                elif not skipped_on_purpose(name):
                    self._foreign(base / name, is_dir, folder)
            return sorted(found, key=_parts)

        def unreadable(exc: OSError) -> None:
            path = Path(exc.filename) if exc.filename else base
            self.diags.error(
                self.shown(path), 0, "",
                f"cannot read folder: {exc.strerror or exc}; its files would be missing",
            )  # fmt: skip

        for dirpath, dirnames, filenames in os.walk(base, onerror=unreadable, followlinks=False):
            dirnames[:] = sorted(n for n in dirnames if not skipped_on_purpose(n))
            found.extend(self.content_files(dirpath, filenames, folder))
            for name in dirnames:
                link = Path(dirpath, name)
                # A linked folder is not walked; say so rather than skip its files quietly.
                if link.is_symlink() and self.inside(link, self.shown(link)):
                    self.diags.error(
                        self.shown(link), 0, "",
                        "symbolic links to folders are not followed; move the folder here",
                    )  # fmt: skip
        return sorted(found, key=_parts)

    def content_files(self, dirpath: str, filenames: list[str], folder: str) -> list[Path]:
        """The content files among ``filenames`` of one folder; the others are reported."""
        found = []
        for name in filenames:
            if is_content_file(name):
                found.append(Path(dirpath, name))
            elif not skipped_on_purpose(name):
                self._foreign(Path(dirpath, name), False, folder)
        return found

    def _entries(self, folder: Path) -> list[tuple[str, bool]]:
        """(name, is a folder) of each entry; an unreadable folder is an error."""
        try:
            with os.scandir(folder) as scan:
                return [(e.name, e.is_dir(follow_symlinks=False)) for e in scan]
        except OSError as exc:
            self.diags.error(
                self.shown(folder), 0, "",
                f"cannot read folder: {exc.strerror or exc}; its files would be missing",
            )  # fmt: skip
            return []

    def _foreign(self, path: Path, is_dir: bool, folder: str) -> None:
        """Report an entry nothing reads; ``folder`` is the content folder it is in, or ""."""
        shown = self.shown(path)
        if not folder:
            choices = FOLDERS if is_dir else FILES
            hint = did_you_mean(path.name, choices)
            what = "folder not read" if is_dir else "not read"
            self.diags.warning(shown, 0, "", f"{what}{hint or _ROOT_HOLDS}")
        elif is_dir:
            self.diags.warning(
                shown, 0, "", f"folder not read ({folder}/ has no sub-folders); move its files up"
            )
        elif why := _markdown_rename(path.name):
            self.diags.error(shown, 0, "", f"not read: {why}")
        else:
            self.diags.warning(shown, 0, "", "not read: only .md files are content here")

    def survey_root(self, site: Site) -> None:
        """Report the entries of the content folder itself that nothing reads.

        Read are the two catalogs, the three content folders (listed by :meth:`files`), the
        logo and, when they lie inside the content folder, ``docs_dir`` and ``theme_dir``.
        """
        wanted: set[tuple[str, ...]] = set()  # the logo, and docs_dir/theme_dir (whole)
        if site.logo:
            wanted.add(Path(site.logo).parts)
            try:  # a logo that is a link inside the content folder: its target is read too
                target = (self.root / site.logo).resolve().relative_to(self.root.resolve())
                wanted.add(target.parts)
            except (OSError, RuntimeError, ValueError):
                pass  # outside the content folder: the logo check reports it
        for rel in (site.docs_dir, site.theme_dir):
            if not rel:
                continue
            try:
                inner = (self.root.parent / rel).resolve().relative_to(self.root.resolve())
            except (OSError, RuntimeError, ValueError):
                continue  # outside the content folder (the usual place): nothing to survey
            if inner.parts:
                wanted.add(inner.parts)
        for name, is_dir in self._entries(self.root):
            if name in FOLDERS and not is_dir and not (self.root / name).is_dir():
                self.diags.error(self.shown(self.root / name), 0, "", "must be a folder")
            elif name not in FOLDERS + FILES:
                self._survey(self.root / name, (name,), is_dir, wanted)

    def _survey(
        self, path: Path, parts: tuple[str, ...], is_dir: bool, wanted: set[tuple[str, ...]]
    ) -> None:
        name = parts[-1]
        if skipped_on_purpose(name) or parts in wanted:
            return
        on_the_way = any(key[: len(parts)] == parts for key in wanted)
        if on_the_way and not is_dir:
            return  # a link on the way to the logo: the logo check says where it leads
        if is_dir and on_the_way:
            for child, child_is_dir in self._entries(path):  # a folder on the way to the logo
                self._survey(path / child, (*parts, child), child_is_dir, wanted)
            return
        if len(parts) == 1:
            self._foreign(path, is_dir, "")
        else:
            what = "folder not read" if is_dir else "not read"
            self.diags.warning(self.shown(path), 0, "", f"{what} (only the logo is read here)")


def _parts(path: Path) -> tuple[str, ...]:
    """Sort key giving the order of ``Path.__lt__`` on POSIX, without its per-comparison cost."""
    return path.parts
