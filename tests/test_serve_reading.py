"""serve's caching reader: what it keeps between reads, and when it must look again.

The reader gives back a folder's listing while the watcher reports no file in it that is new
or gone, and each file's check while the file is unchanged. Each read here is compared with
a plain read of the same folder (the reference: no cache at all).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from statuspress.errors import Diagnostics
from statuspress.loader import Loaded, load
from statuspress.public.project import KeyedProjector, Projector
from statuspress.readers import Reader
from statuspress.serve.builder import CachingReader, _Entry

NOW = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
DEMO = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(DEMO, tmp_path / "content")
    return tmp_path / "content"


def plain(content: Path) -> Loaded:
    keep = KeyedProjector(Projector(NOW))
    return load(content, NOW, keep=keep, jobs=1, reader=Reader(content, Diagnostics()))


class Serve:
    """Reads like serve's builder: one cache, told which files changed since the last read."""

    def __init__(self, content: Path) -> None:
        self.content = content
        self.cache: dict[tuple[str, str], _Entry] = {}
        self.last: list[object] = []
        self.memory: dict[str, Any] = {}
        self.walks = 0

    def read(self, changed: set[str] | None) -> Loaded:
        reader = CachingReader(self.content, self.cache, self.last, changed, self.memory)
        listed = reader._list

        def counted(folder: str, recursive: bool) -> list[Path]:
            self.walks += 1
            return listed(folder, recursive)

        reader._list = counted  # type: ignore[method-assign]
        keep = KeyedProjector(Projector(NOW))
        loaded = load(self.content, NOW, keep=keep, jobs=1, reader=reader)
        reader.prune()
        return loaded


def same(a: Loaded, b: Loaded) -> bool:
    return a.diagnostics == b.diagnostics and a.kept == b.kept


def messages(loaded: Loaded, name: str) -> list[str]:
    return [d.message for d in loaded.diagnostics if d.path.endswith(name)]


def test_listing_is_kept_until_the_watcher_reports_a_new_or_removed_file(content: Path) -> None:
    serve = Serve(content)
    assert same(serve.read(None), plain(content))
    walks = serve.walks  # incidents, known errors, runbooks
    assert walks == 3

    # An edit of an existing file: the listings are kept, the file is read again.
    edited = sorted((content / "incidents").rglob("*.md"))[-1]
    edited.write_text(re.sub(r"(?m)^title: .*$", "title: Edited", edited.read_text(), count=1))
    entries = len(serve.cache)
    after = serve.read({str(edited)})
    assert serve.walks == walks
    assert same(after, plain(content))
    assert len(serve.cache) == entries  # the edited file's entries replaced, nothing left over
    assert any(p.incident.title == "Edited" for p, _ in after.kept)

    # A file the watcher has not reported yet is not seen (serve relies on the watcher) ...
    stray = edited.parent / "notes.txt"
    stray.write_text("not content")
    assert messages(serve.read(set()), "notes.txt") == []
    assert serve.walks == walks
    # ... and is once it is reported: the folder is listed again, exactly as a plain read.
    reported = serve.read({str(stray)})
    assert serve.walks == walks + 1
    assert same(reported, plain(content))
    assert messages(reported, "notes.txt") == ["not read: only .md files are content here"]

    # A new incident file and a removed one list the folder again too.
    added = edited.parent / "2026-11-26-added-incident.md"
    added.write_text(edited.read_text())
    grown = serve.read({str(added)})
    assert serve.walks == walks + 2
    assert same(grown, plain(content))
    added.unlink()
    stray.unlink()
    shrunk = serve.read({str(added), str(stray)})
    assert serve.walks == walks + 3
    assert same(shrunk, plain(content))

    # Unknown changes (a folder moved, events lost, the minute tick): everything is listed.
    serve.read(None)
    assert serve.walks == walks + 6


def test_unused_entries_are_dropped_after_each_read(content: Path) -> None:
    serve = Serve(content)
    serve.read(None)
    gone = sorted((content / "incidents").rglob("*.md"))[0]
    assert any(path == str(gone) for _, path in serve.cache)
    gone.unlink()
    after = serve.read({str(gone)})
    assert same(after, plain(content))
    assert not any(path == str(gone) for _, path in serve.cache)
    kinds: dict[str, Any] = {}
    for kind, _ in serve.cache:
        kinds[kind] = kinds.get(kind, 0) + 1
    incidents = len(list((content / "incidents").rglob("*.md")))
    assert kinds["checked"] == kinds["incident"] == incidents  # kept with their checks
    assert kinds["files"] == 3


def test_references_are_looked_up_again_when_an_id_comes_or_goes(content: Path) -> None:
    # Reference lists found whole are not looked up again while the ids they may name are
    # the same; a known error or an incident removed (or back) is seen at once.
    serve = Serve(content)
    assert same(serve.read(None), plain(content))
    referrer = "incidents/2025/2025-09-12-checkout-errors-dns.md"
    known_error = next((content / "known-errors").glob("KE-0008-*.md"))
    related = content / "incidents" / "2025" / "2025-08-29-intermittent-payment-errors.md"
    saved = known_error.read_text(), related.read_text()

    known_error.unlink()
    gone = serve.read({str(known_error)})
    assert same(gone, plain(content))
    assert any(m.startswith("unknown known error 'KE-0008'") for m in messages(gone, referrer))

    known_error.write_text(saved[0])
    back = serve.read({str(known_error)})
    assert same(back, plain(content))
    assert messages(back, referrer) == messages(plain(content), referrer)
    assert not any("unknown" in m for m in messages(back, referrer))

    moved = related.with_name("2025-08-29-payment-errors-renamed.md")
    related.rename(moved)
    renamed = serve.read({str(related), str(moved)})
    assert same(renamed, plain(content))
    assert any("unknown incident '2025-08-29-intermittent-payment-errors'" in m
               for m in messages(renamed, referrer))  # fmt: skip
    moved.rename(related)
    assert same(serve.read({str(related), str(moved)}), plain(content))


def test_a_linked_file_is_read_again_without_an_event(content: Path) -> None:
    # A symbolic link's target can change where the watcher does not look: such a file is
    # looked at every time, also when the other files' checks are given back in one piece.
    source = sorted((content / "incidents").rglob("*.md"))[-2]
    target = content / "shared" / source.name  # not a content folder: only the link is read
    target.parent.mkdir()
    shutil.move(source, target)
    source.symlink_to(target)
    serve = Serve(content)
    assert same(serve.read(None), plain(content))
    assert same(serve.read(set()), plain(content))
    target.write_text(re.sub(r"(?m)^title: .*$", "title: Linked", target.read_text(), count=1))
    after = serve.read(set())  # nothing reported
    assert same(after, plain(content))
    assert not after.errors
    assert any(p.incident.title == "Linked" for p, _ in after.kept)
