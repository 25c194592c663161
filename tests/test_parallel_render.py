"""Splitting the public render over two processes must not change a single byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "small" / "content"

# Run in a fresh single-threaded interpreter: pytest-xdist workers run threads, and the
# renderer (rightly) never forks a process that has other threads.
SCRIPT = """
import datetime as dt, os, sys
from pathlib import Path
from statuspress.public import split
from statuspress.build import build
split.PARALLEL_FROM = int(sys.argv[3])
original = split._run_job
def spy():
    # Runs in the forked child: leave a mark the test can see.
    error, files = original()
    Path(sys.argv[4]).write_text(f"{os.getpid()} {len(files)} {error}")
    return error, files
split._run_job = spy
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
    pid, files, *error = parallel_mark.split(" ")
    assert int(pid) > 0 and error == [""]
    assert int(files) >= 5  # the child rendered incident pages and the machine outputs
    serial, parallel = tree(serial_dir), tree(parallel_dir)
    incident_pages = [k for k in serial if k.startswith("incidents/")]
    assert len(incident_pages) >= 4  # enough pages for both processes to render some
    assert serial.keys() == parallel.keys()
    assert [k for k in serial if serial[k] != parallel[k]] == []
