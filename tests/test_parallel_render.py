"""Splitting the public render over two processes must not change a single byte."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from check_support import make_corpus

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


# A public-only build reads with the loader keeping projections: incidents are projected in
# the process that read them, on two processes for large trees. Forced on for small trees
# here, it must give the same bytes as the plain path (whole model loaded, projected and
# rendered in one process) and the same diagnostics as `check`, and a failure must leave the
# previous site whole.
PIPELINE = """
import datetime as dt, json, sys
from pathlib import Path
from statuspress import loader, parallel
from statuspress.build import build, render_public
from statuspress.errors import ContentError, StatuspressError
from statuspress.public import split
now = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
content, out, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
if mode == "plain":
    split.PARALLEL_FROM = 10**9
    render_public(loader.load_valid(content, now).world, out / "public").commit()
    sys.exit(0)
loader.PARALLEL_MIN_FILES = 0
split.PARALLEL_FROM = 1
if mode == "stream":  # every process writes its files as it goes, three at a time
    import os
    import statuspress.public
    from statuspress.writer import SiteWriter
    statuspress.public.STREAM_EVERY = 3
    add, held = SiteWriter.add, {}
    def holding(self, rel, data):
        add(self, rel, data)
        pid = os.getpid()
        if len(self.files) > held.get(pid, 0):  # a new most held at once by this process
            held[pid] = len(self.files)
            with open(out.parent / "held", "a") as marks:
                marks.write(f"{pid} {held[pid]}\\n")
    SiteWriter.add = holding
forks = []
map_chunks = parallel.map_chunks
def spy(work, job, chunks):
    forks.extend(len(chunk) for chunk in chunks[1:])
    return map_chunks(work, job, chunks)
parallel.map_chunks = spy
try:
    report = build(content, out, now, internal=False)
except ContentError as exc:
    expected = loader.load_world(content, now).diagnostics
    print(json.dumps({"forks": forks, "same": exc.diagnostics == expected,
                      "errors": [d.format() for d in exc.diagnostics if d.level == "error"]}))
    sys.exit(1)
except StatuspressError as exc:
    print(json.dumps({"forks": forks, "error": exc.message}))
    sys.exit(1)
print(json.dumps({"forks": forks, "files": report.public_files, "warnings": len(report.warnings),
                  "check": len(loader.load_world(content, now).warnings)}))
"""


def pipeline(content: Path, out: Path, mode: str) -> tuple[int, dict[str, object]]:
    result = subprocess.run(
        [sys.executable, "-c", PIPELINE, str(content), str(out), mode],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout) if result.stdout.strip() else {}


def corpus(tmp_path: Path, count: int) -> Path:
    return make_corpus(count, 5, tmp_path / "corpus")


def test_public_only_build_read_on_two_processes_equals_plain_path(tmp_path: Path) -> None:
    content = corpus(tmp_path, 120)
    code, _ = pipeline(content, tmp_path / "plain", "plain")
    assert code == 0
    code, info = pipeline(content, tmp_path / "split", "split")
    assert code == 0, info
    assert len(info["forks"]) == 1 and info["forks"][0] > 10  # type: ignore[arg-type,index]
    assert info["warnings"] == info["check"]  # the same warnings as `check` reports
    plain, split = tree(tmp_path / "plain" / "public"), tree(tmp_path / "split" / "public")
    assert info["files"] == len(split)
    assert sorted(plain) == sorted(split)
    assert [k for k in plain if plain[k] != split[k]] == []
    assert [p.name for p in (tmp_path / "split").iterdir()] == ["public"]  # no staging left


def test_both_render_processes_write_their_files_as_they_go(tmp_path: Path) -> None:
    # Each process of the render writes into the staging folder every few files instead of
    # holding its whole share until the end (the build's peak memory): same bytes.
    content = corpus(tmp_path, 120)
    code, _ = pipeline(content, tmp_path / "plain", "plain")
    assert code == 0
    code, info = pipeline(content, tmp_path / "stream", "stream")
    assert code == 0, info
    most: dict[str, int] = {}
    for line in (tmp_path / "held").read_text().splitlines():
        pid, count = line.split()
        most[pid] = max(most.get(pid, 0), int(count))
    assert len(most) >= 2 and max(most.values()) == 3  # the parent and the render child
    plain, stream = tree(tmp_path / "plain" / "public"), tree(tmp_path / "stream" / "public")
    assert info["files"] == len(stream) > 100
    assert sorted(plain) == sorted(stream)
    assert [k for k in plain if plain[k] != stream[k]] == []
    assert [p.name for p in (tmp_path / "stream").iterdir()] == ["public"]


def test_public_only_build_errors_from_the_forked_reader(tmp_path: Path) -> None:
    content = corpus(tmp_path, 120)
    out = tmp_path / "out"
    assert pipeline(content, out, "split")[0] == 0
    before = tree(out / "public")
    # Break the newest incident: the reader's later half (the forked worker) reads it.
    newest = sorted((content / "incidents").rglob("*.md"))[-1]
    text = newest.read_text(encoding="utf-8")
    newest.write_text(text.replace("started_at:", "started_at: yesterday\nstarted_at:", 1))
    code, info = pipeline(content, out, "split")
    assert code == 1 and info["same"] is True  # exactly what `check` says
    shown = newest.relative_to(content.parent).as_posix()
    assert any(e.startswith(f"{shown}:") and "duplicate key" in e for e in info["errors"])
    assert tree(out / "public") == before  # the previous site is whole
    assert [p.name for p in out.iterdir()] == ["public"]


def test_public_only_build_render_failure_discards_staging(tmp_path: Path) -> None:
    content = corpus(tmp_path, 120)
    out = tmp_path / "out"
    assert pipeline(content, out, "split")[0] == 0
    before = tree(out / "public")
    # A theme override that fails only on incident pages, which the forked child renders too.
    (content.parent / "theme").mkdir()
    (content.parent / "theme" / "incident.html").write_text(
        '{% extends "base.html" %}{% block content %}{{ incident.no_such_field }}{% endblock %}'
    )
    site = content / "site.yaml"
    site.write_text(site.read_text() + "theme_dir: theme\n")
    code, info = pipeline(content, out, "split")
    assert code == 1 and "no_such_field" in str(info["error"]), info
    assert tree(out / "public") == before
    assert [p.name for p in out.iterdir()] == ["public"]


def test_reader_shares_balance_the_measured_costs() -> None:
    from statuspress.loader import own_share as _own_share

    # Known errors and runbooks are read here only: this process takes fewer incidents.
    assert _own_share(10_000, 0, 2, keeping=False) == 5_000
    assert _own_share(10_000, 700, 2, keeping=False) < 5_000
    # A worker that sends projections back has more to do per file: this process takes more.
    assert _own_share(10_000, 700, 2, keeping=True) > 5_000
    # Four processes: about a quarter each; never a negative or oversized share.
    assert 2_000 < _own_share(10_000, 700, 4, keeping=False) < 2_500
    assert _own_share(100, 100_000, 2, keeping=False) == 0
    assert _own_share(10, 0, 2, keeping=True) <= 10
