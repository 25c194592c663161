"""Nothing lost: a build killed at any moment leaves each site either old or new, never a mix.

A site is built from one content tree (the "old" site), then the content changes and
``statuspress build`` is started again and killed with SIGKILL (the whole process group, so
no helper survives to finish the job):

- after a random delay (fixed seed) spread over the whole build,
- right after the build's staging folder appears plus a few random milliseconds, which lands
  the kill inside the commit (writing the files, swapping the folders, removing the old one),
- and right after the public site was swapped in (between the two swaps, or while the old
  folders are removed).

After every kill, ``site/public`` and ``site/internal`` each equal, byte for byte, either the
old build or the uninterrupted new build. The next normal build completes, cleans up what the
killed one left behind and gives the new site.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from check_support import NOW, TESTS, make_corpus

ROOT = TESTS.parent
SEED = 20261127
ITERATIONS = 20

Snapshot = dict[str, str] | None


def snapshot(folder: Path) -> Snapshot:
    if not folder.exists():
        return None
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build_command(root: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "statuspress",
        "build",
        "--content",
        "content",
        "--out",
        "site",
    ] + [
        "--now",
        NOW,
    ]


def build(root: Path) -> None:
    result = subprocess.run(build_command(root), cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def staging_started(site: Path) -> bool:
    # The writers' staging folders (the internal site's mkdocs work folder, also in `site/`,
    # appears earlier, while rendering).
    return site.is_dir() and any(".new-" in p.name for p in site.iterdir())


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The old and the new site, built without interruption at the same paths."""
    root = tmp_path_factory.mktemp("interrupt")
    old_content = make_corpus(25, 1, root / "old")
    new_content = make_corpus(25, 2, root / "new")
    shutil.copytree(old_content, root / "content")
    build(root)
    pristine = root / "site-old"
    shutil.copytree(root / "site", pristine, symlinks=True)
    shutil.rmtree(root / "content")
    shutil.copytree(new_content, root / "content")
    started = time.perf_counter()
    build(root)
    duration = time.perf_counter() - started
    expected = {
        "public": (snapshot(pristine / "public"), snapshot(root / "site" / "public")),
        "internal": (snapshot(pristine / "internal"), snapshot(root / "site" / "internal")),
    }
    for old, new in expected.values():
        assert old and new and old != new  # the two builds differ, so a mix would show
    return {"root": root, "pristine": pristine, "expected": expected, "duration": duration}


def test_a_killed_build_leaves_old_or_new_sites(sites: dict[str, object]) -> None:
    root: Path = sites["root"]  # type: ignore[assignment]
    pristine: Path = sites["pristine"]  # type: ignore[assignment]
    expected: dict[str, tuple[Snapshot, Snapshot]] = sites["expected"]  # type: ignore[assignment]
    duration: float = sites["duration"]  # type: ignore[assignment]
    rng = random.Random(SEED)
    outcomes: Counter[str] = Counter()
    for iteration in range(ITERATIONS):
        shutil.rmtree(root / "site")
        shutil.copytree(pristine, root / "site", symlinks=True)
        process = subprocess.Popen(
            build_command(root),
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        if iteration % 4 == 0:
            time.sleep(rng.uniform(0.0, duration * 1.1))
        elif iteration % 4 == 2:
            # Right after the public site was swapped in (its marker file is a new one):
            # random delays alone can all land before the swap when the machine is loaded.
            marker = root / "site" / "public" / ".statuspress-site"
            before = marker.stat().st_ino
            deadline = time.perf_counter() + duration * 3
            while process.poll() is None and time.perf_counter() < deadline:
                try:
                    if marker.stat().st_ino != before:
                        break
                except FileNotFoundError:
                    pass
                time.sleep(0.0005)
            time.sleep(rng.uniform(0.0, 0.01))
        else:
            deadline = time.perf_counter() + duration * 3
            while not staging_started(root / "site") and process.poll() is None:
                if time.perf_counter() > deadline:
                    break
                time.sleep(0.0005)
            time.sleep(rng.uniform(0.0, 0.05))
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it had finished
        process.wait()
        for name, (old, new) in expected.items():
            got = snapshot(root / "site" / name)
            assert got in (old, new), f"iteration {iteration}: site/{name} is neither whole site"
            outcomes[f"{name}:{'old' if got == old else 'new'}"] += 1
        visible = {p.name for p in (root / "site").iterdir() if not p.name.startswith(".")}
        assert visible == {"public", "internal"}
    # The kills really landed on both sides of the swap.
    assert outcomes["public:old"] and outcomes["public:new"], outcomes
    # Whatever a killed build left behind (staging folders, the internal site's mkdocs work
    # folder: all inside `site/`, none in the system's temporary folder), the next build
    # cleans it and completes.
    build(root)
    assert [p.name for p in (root / "site").iterdir() if p.name.startswith(".")] == []
    for name, (_, new) in expected.items():
        assert snapshot(root / "site" / name) == new
