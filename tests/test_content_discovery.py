"""Nothing under content/ is skipped in silence (issue #10, defect 12).

``check``, ``build`` (public-only and both sites) and ``serve`` find their files through one
walk (``statuspress.discovery``), so each of them reports the same skipped files: Markdown that
is not named ``*.md`` is an error, other foreign files and folders are warnings, and a folder
that cannot be listed is an error. The message corpus is in test_hostile.py; this file checks
that every command sees it, and that unreadable folders are really exercised (these tests run as
root here: root reads any folder, so the command runs with its file-permission override
capabilities dropped, like any other user).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from check_support import BASE_INCIDENT, NOW, base_text, make_tree, run_statuspress
from statuspress.serve.builder import Builder

FOREIGN = {
    "incidents/2026/2026-11-21-outage.MD": base_text(BASE_INCIDENT),
    "incidents/2026/notes.txt": "Call notes.\n",
}
ERROR = (
    "content/incidents/2026/2026-11-21-outage.MD: not read: content files end in .md "
    "(rename it 2026-11-21-outage.md)"
)
WARNING = "content/incidents/2026/notes.txt: warning: not read: only .md files are content here"


def test_check_reports_skipped_files(tmp_path: Path) -> None:
    make_tree(tmp_path, files=FOREIGN)
    result = run_statuspress("check", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [ERROR, WARNING]
    assert result.stderr.endswith(": 1 errors, 1 warnings\n")


@pytest.mark.parametrize("mode", [["--public-only"], []], ids=["public-only", "both-sites"])
def test_build_refuses_and_warns_like_check(tmp_path: Path, mode: list[str]) -> None:
    make_tree(tmp_path, files=FOREIGN)
    out = tmp_path / "site"
    failed = run_statuspress("build", "--now", NOW, "--out", str(out), *mode, cwd=tmp_path)
    assert failed.returncode == 1
    assert ERROR in failed.stderr.splitlines() and WARNING in failed.stderr.splitlines()
    assert not out.exists()
    # Only the warning left: the build goes through and still says what it did not read.
    (tmp_path / "content" / "incidents/2026/2026-11-21-outage.MD").unlink()
    built = run_statuspress("build", "--now", NOW, "--out", str(out), *mode, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert WARNING in built.stderr.splitlines()


def test_serve_reports_skipped_markdown(tmp_path: Path) -> None:
    content = make_tree(tmp_path, files=FOREIGN)
    lines: list[str] = []
    builder = Builder(content, tmp_path / "out", now=NOW, public_only=True, log=lines.append)
    times = builder.rebuild(internal=False)
    assert not times.ok
    assert [d.format() for d in builder.errors] == [ERROR]


# -- folders that cannot be read -------------------------------------------------------------

_CAPS = "-dac_override,-dac_read_search"


def _as_unprivileged() -> list[str]:
    """A command prefix under which file permissions apply (root: drop the override caps)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and setpriv (util-linux) is missing: root reads any folder")
    return [setpriv, "--bounding-set", _CAPS, "--inh-caps", _CAPS, "--"]


def _check_unprivileged(cwd: Path, locked: Path) -> subprocess.CompletedProcess[str]:
    prefix = _as_unprivileged()
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import os, sys; sys.exit(os.access(sys.argv[1], 4))",
         str(locked)],
        check=False,
    )  # fmt: skip
    if probe.returncode != 0:
        pytest.skip("cannot run without the right to read any folder here")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "statuspress", "check", "--now", NOW],
        cwd=cwd, capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("folder", "files"),
    [
        ("incidents/2025", {"incidents/2025/2025-11-20-old.md": base_text(BASE_INCIDENT)}),
        ("runbooks", {}),
    ],
    ids=["incidents-sub-folder", "runbooks"],
)
def test_unreadable_folder_is_an_error(tmp_path: Path, folder: str, files: dict[str, str]) -> None:
    content = make_tree(tmp_path, files=files)
    locked = content / folder
    locked.chmod(0)
    try:
        result = _check_unprivileged(tmp_path, locked)
    finally:
        locked.chmod(0o755)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    expected = (
        f"content/{folder}: cannot read folder: Permission denied; its files would be missing"
    )
    assert expected in result.stdout.splitlines(), result.stdout


def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    """(test_hostile's unreadable-file case passes trivially as root; this one drops root's
    override, so the refusal is really exercised.)"""
    content = make_tree(tmp_path, files={"incidents/2026/secret.md": base_text(BASE_INCIDENT)})
    locked = content / "incidents/2026/secret.md"
    locked.chmod(0)
    try:
        result = _check_unprivileged(tmp_path, locked)
    finally:
        locked.chmod(0o644)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "content/incidents/2026/secret.md: cannot read file: Permission denied"
    ]
