"""Output folders: statuspress replaces only what it wrote, both sites or neither, one at a time.

Every case runs the real ``statuspress build`` in a subprocess against the small fixture and
compares the output folders byte for byte before and after:

- a folder statuspress did not write (no ``.statuspress-site``) is refused, unless ``--force``;
- a destination that is a file, a link or cannot be written stops the build before either
  site is swapped;
- two builds into one ``--out`` take turns: the second waits (and says so) or gives up after
  ``STATUSPRESS_LOCK_TIMEOUT``, and never removes the first one's staging or work folders.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from check_support import NOW, TESTS
from statuspress.errors import BuildError
from statuspress.outdir import MARKER
from statuspress.writer import SiteWriter, commit_all

SMALL = TESTS / "fixtures" / "small" / "content"
RENAMED = "incidents/2026/2026-11-24-api-outage.md"

Snapshot = dict[str, bytes] | str | None


def snapshot(path: Path) -> Snapshot:
    """A folder's files (links and files recorded as what they are), or None if missing."""
    if path.is_symlink():
        return f"link to {os.readlink(path)}"
    if path.is_file():
        return f"file {path.read_bytes()!r}"
    if not path.exists():
        return None
    return {
        p.relative_to(path).as_posix(): p.read_bytes()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


def statuspress(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "statuspress", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert "Traceback" not in result.stderr
    return result


def build_args(content: Path, out: Path, *more: str) -> list[str]:
    return ["build", "--content", str(content), "--out", str(out), "--now", NOW, *more]


@pytest.fixture(scope="module")
def contents(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The small fixture, and the same with one incident retitled (so the sites differ)."""
    base = tmp_path_factory.mktemp("contents")
    old, new = base / "old", base / "new"
    shutil.copytree(SMALL, old)
    shutil.copytree(SMALL, new)
    path = new / RENAMED
    path.write_text(path.read_text().replace("title: ", "title: Retitled ", 1))
    return old, new


@pytest.fixture(scope="module")
def reference(
    contents: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Snapshot]]:
    """Both sites of both contents, each built alone into a fresh folder."""
    sites: dict[str, dict[str, Snapshot]] = {}
    for name, content in zip(("old", "new"), contents, strict=True):
        out = tmp_path_factory.mktemp(f"reference-{name}") / "out"
        result = statuspress(out.parent, *build_args(content, out))
        assert result.returncode == 0, result.stderr
        sites[name] = {site: snapshot(out / site) for site in ("public", "internal")}
    assert sites["old"]["public"] != sites["new"]["public"]
    return sites


def others(out: Path) -> list[str]:
    """What is in OUT besides the two sites: staging, work or lock files left behind."""
    return sorted(p.name for p in out.iterdir() if p.name not in ("public", "internal"))


# --- a folder statuspress did not write --------------------------------------------------------


@pytest.mark.parametrize("site", ["public", "internal"])
def test_build_refuses_a_folder_it_did_not_write(
    site: str, contents: tuple[Path, Path], tmp_path: Path
) -> None:
    old, _ = contents
    out = tmp_path / "out"
    (out / site / "notes").mkdir(parents=True)
    (out / site / "notes" / "keep.md").write_text("my own notes\n")
    before = {name: snapshot(out / name) for name in ("public", "internal")}
    result = statuspress(tmp_path, *build_args(old, out))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"Error: {out / site} exists and was not written by statuspress (it has no "
        f"{MARKER}); refusing to replace it: move it away, or pass --force to replace it"
    )
    assert {name: snapshot(out / name) for name in ("public", "internal")} == before
    assert others(out) == []
    forced = statuspress(tmp_path, *build_args(old, out, "--force"))
    assert forced.returncode == 0, forced.stderr
    assert not (out / site / "notes").exists()
    assert (out / site / MARKER).read_text().startswith(f"statuspress-site: {site}\n")


def test_public_only_build_refuses_a_folder_it_did_not_write(
    contents: tuple[Path, Path], tmp_path: Path
) -> None:
    old, _ = contents
    out = tmp_path / "out"
    (out / "public").mkdir(parents=True)
    (out / "public" / "index.html").write_text("<p>hand-made page</p>\n")
    result = statuspress(tmp_path, *build_args(old, out, "--public-only"))
    assert result.returncode == 1 and "was not written by statuspress" in result.stderr
    assert snapshot(out / "public") == {"index.html": b"<p>hand-made page</p>\n"}
    assert others(out) == []


def test_build_fills_an_empty_folder_and_rebuilds_its_own(
    contents: tuple[Path, Path], reference: dict[str, dict[str, Snapshot]], tmp_path: Path
) -> None:
    old, new = contents
    out = tmp_path / "out"
    (out / "public").mkdir(parents=True)
    for content, name in ((old, "old"), (new, "new")):
        result = statuspress(tmp_path, *build_args(content, out))
        assert result.returncode == 0, result.stderr
        assert {site: snapshot(out / site) for site in ("public", "internal")} == reference[name]
    assert others(out) == []


# --- a destination that cannot be replaced: neither site changes -----------------------------


def _make_file(folder: Path) -> str:
    shutil.rmtree(folder)
    folder.write_text("not a folder\n")
    return "exists and is not a directory (a file); refusing to replace it"


def _make_link(folder: Path) -> str:
    elsewhere = folder.parent.parent / "elsewhere"
    shutil.copytree(folder, elsewhere)
    shutil.rmtree(folder)
    folder.symlink_to(elsewhere)
    return "exists and is not a directory (a symbolic link); refusing to replace it"


def _make_foreign(folder: Path) -> str:
    (folder / MARKER).unlink()  # e.g. a folder a user copied the site into and edited
    return "exists and was not written by statuspress"


DESTINATIONS = {"file": _make_file, "link": _make_link, "foreign": _make_foreign}


@pytest.mark.parametrize("site", ["public", "internal"])
@pytest.mark.parametrize("kind", sorted(DESTINATIONS))
def test_a_bad_destination_changes_neither_site(
    kind: str,
    site: str,
    contents: tuple[Path, Path],
    reference: dict[str, dict[str, Snapshot]],
    tmp_path: Path,
) -> None:
    old, new = contents
    out = tmp_path / "out"
    assert statuspress(tmp_path, *build_args(old, out)).returncode == 0
    message = DESTINATIONS[kind](out / site)
    before = {name: snapshot(out / name) for name in ("public", "internal")}
    result = statuspress(tmp_path, *build_args(new, out))
    assert result.returncode == 1
    assert f"Error: {out / site} {message}" in result.stderr
    assert {name: snapshot(out / name) for name in ("public", "internal")} == before
    other = "internal" if site == "public" else "public"
    assert snapshot(out / other) == reference["old"][other]
    assert others(out) == []


@contextlib.contextmanager
def unwritable(folder: Path) -> Iterator[None]:
    """Make ``folder`` unwritable for this user: immutable for root (who ignores modes)."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: no folder is unwritable")
        made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
        if made.returncode != 0:
            pytest.skip(f"chattr +i is not supported here: {made.stderr!r}")
        undo = ["chattr", "-i", str(folder)]
    else:
        folder.chmod(0o555)
        undo = ["chmod", "755", str(folder)]
    try:
        yield
    finally:
        subprocess.run(undo, check=True)


@pytest.mark.parametrize("site", ["public", "internal"])
def test_an_unwritable_destination_changes_neither_site(
    site: str,
    contents: tuple[Path, Path],
    reference: dict[str, dict[str, Snapshot]],
    tmp_path: Path,
) -> None:
    old, new = contents
    out = tmp_path / "out"
    assert statuspress(tmp_path, *build_args(old, out)).returncode == 0
    with unwritable(out / site):
        result = statuspress(tmp_path, *build_args(new, out))
        assert result.returncode == 1
        assert f"Error: {out / site} is not writable; refusing to replace it" in result.stderr
        assert {name: snapshot(out / name) for name in ("public", "internal")} == reference["old"]
        assert others(out) == []


class _VanishingStaging(SiteWriter):
    """A site whose staging folder disappears after it was written (the disk changed under
    the build): its swap fails after the previous site's swap succeeded."""

    def prepare(self, *, force: bool = False) -> Path:
        staging = super().prepare(force=force)
        shutil.rmtree(staging)
        return staging


def test_a_failed_second_swap_puts_the_first_site_back(tmp_path: Path) -> None:
    first, second = tmp_path / "public", tmp_path / "internal"
    for dest, kind in ((first, "public"), (second, "internal")):
        old = SiteWriter(dest, kind)
        old.add("index.html", f"old {kind}")
        old.commit()
    before = {name: snapshot(tmp_path / name) for name in ("public", "internal")}
    public = SiteWriter(first, "public")
    public.add("index.html", "new public")
    internal = _VanishingStaging(second, "internal")
    internal.add("index.html", "new internal")
    with pytest.raises(BuildError, match="nothing was replaced"):
        commit_all([public, internal])
    assert {name: snapshot(tmp_path / name) for name in ("public", "internal")} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["internal", "public"]


# --- two builds into one folder ------------------------------------------------------------


HOLD = """
import sys
from pathlib import Path
from statuspress.outdir import locked

out = Path(sys.argv[1])
with locked([out / "public"]):
    live = out / ".public.new-live"  # the staging folder of a build still running
    live.mkdir()
    (live / "index.html").write_text("half written")
    print("locked", flush=True)
    sys.stdin.readline()
"""


@contextlib.contextmanager
def holder(out: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding OUT/public's lock (with a live staging folder) until released."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "locked\n"
        yield proc
    finally:
        if proc.stdin is not None:
            proc.stdin.close()  # releases the lock
        proc.wait(timeout=30)


def test_a_second_build_gives_up_after_the_timeout(
    contents: tuple[Path, Path], reference: dict[str, dict[str, Snapshot]], tmp_path: Path
) -> None:
    old, new = contents
    out = tmp_path / "out"
    assert statuspress(tmp_path, *build_args(old, out)).returncode == 0
    with holder(out) as proc:
        result = statuspress(
            tmp_path, *build_args(new, out), env={"STATUSPRESS_LOCK_TIMEOUT": "0.5"}
        )
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            f"waiting for process {proc.pid}, which is writing {out / 'public'} ...",
            f"Error: process {proc.pid} is still writing {out / 'public'} (it holds "
            f"{out / '.public.lock'}); gave up after 0.5s: wait for it to finish and try again",
        ]
        # The live build's staging folder is untouched; neither site changed.
        assert snapshot(out / ".public.new-live") == {"index.html": b"half written"}
        assert {name: snapshot(out / name) for name in ("public", "internal")} == reference["old"]
    # Once its writer is gone, that folder is a leftover: the next build removes it.
    result = statuspress(tmp_path, *build_args(new, out))
    assert result.returncode == 0, result.stderr
    assert {name: snapshot(out / name) for name in ("public", "internal")} == reference["new"]
    assert others(out) == []


def test_a_second_build_waits_for_the_first(
    contents: tuple[Path, Path], reference: dict[str, dict[str, Snapshot]], tmp_path: Path
) -> None:
    _, new = contents
    out = tmp_path / "out"
    with holder(out) as proc:
        second = subprocess.Popen(
            [sys.executable, "-m", "statuspress", *build_args(new, out)],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert second.stderr is not None
        line = second.stderr.readline()
        assert line == f"waiting for process {proc.pid}, which is writing {out / 'public'} ...\n"
        assert second.poll() is None  # still waiting while the lock is held
    _, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert {name: snapshot(out / name) for name in ("public", "internal")} == reference["new"]
    assert others(out) == []


def test_two_real_builds_into_one_folder_both_succeed(
    contents: tuple[Path, Path], reference: dict[str, dict[str, Snapshot]], tmp_path: Path
) -> None:
    """The second build starts while the first renders the internal site (its mkdocs work
    folder exists): it must neither delete that folder nor mix the two builds' sites."""
    old, new = contents
    out = tmp_path / "out"
    first = subprocess.Popen(
        [sys.executable, "-m", "statuspress", *build_args(old, out)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (out.is_dir() and any(".internal.work-" in p.name for p in out.iterdir())):
        assert first.poll() is None and time.monotonic() < deadline, "no work folder appeared"
        time.sleep(0.005)
    second = subprocess.Popen(
        [sys.executable, "-m", "statuspress", *build_args(new, out)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first_out, first_err = first.communicate(timeout=120)
    second_out, second_err = second.communicate(timeout=120)
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second_err
    assert "Traceback" not in first_err + second_err
    # The second build locked last, so its sites are the ones left, whole.
    assert {name: snapshot(out / name) for name in ("public", "internal")} == reference["new"]
    assert others(out) == []
