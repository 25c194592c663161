"""Splitting incident pages over two processes must not change a single byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "small" / "content"

# Run in a fresh single-threaded interpreter: pytest-xdist workers run threads, and the
# renderer (rightly) never forks a process that has other threads.
SCRIPT = """
import datetime as dt, sys
from pathlib import Path
from statuspress.public import pages
from statuspress.build import build
pages.PARALLEL_FROM = int(sys.argv[3])
original = pages._render_slice
def spy(start, end):
    # Runs in the forked child: leave a mark the test can see.
    Path(sys.argv[4]).write_text(f"{start}-{end}")
    return original(start, end)
pages._render_slice = spy
build(Path(sys.argv[1]), Path(sys.argv[2]), dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC),
      internal=False)
"""


def build_with(tmp_path: Path, name: str, threshold: int) -> tuple[Path, str]:
    out = tmp_path / name
    mark = tmp_path / f"{name}.forked"
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(FIXTURE), str(out), str(threshold), str(mark)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return out / "public", mark.read_text() if mark.exists() else ""


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_parallel_incident_pages_equal_serial(tmp_path: Path) -> None:
    serial_dir, serial_mark = build_with(tmp_path, "serial", 10**9)
    parallel_dir, parallel_mark = build_with(tmp_path, "parallel", 1)
    assert serial_mark == ""  # below the threshold nothing forks
    start, end = (int(n) for n in parallel_mark.split("-"))
    assert 0 < start < end  # the child rendered the second half
    serial, parallel = tree(serial_dir), tree(parallel_dir)
    incident_pages = [k for k in serial if k.startswith("incidents/")]
    assert len(incident_pages) >= 4  # enough pages for both halves to hold some
    assert serial.keys() == parallel.keys()
    assert [k for k in serial if serial[k] != parallel[k]] == []
