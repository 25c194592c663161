"""Resource limits: hostile or huge input is refused (or checked) in bounded time and memory.

No test here measures time (that belongs to bench/); each runs the real command in a
subprocess with a generous timeout, so "refused fast" means "finishes, with the right message"
where an expanding parser would run out of memory or never return.

The 100,000-file tree is marked slow and runs only with ``STATUSPRESS_SLOW=1`` (about a minute
on two cores); ``bench/bench_check.py 100000`` measures the same tree.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from check_support import BASE_INCIDENT, TESTS, base_text, check, make_corpus, make_tree

ROOT = TESTS.parent


def test_billion_laughs_is_refused_without_expanding(tmp_path: Path) -> None:
    # Ten levels of nine aliases each: 9**10 (3.5 billion) strings if expanded.
    lines = ["---", "title: lol", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 11):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    lines.append("---")
    make_tree(tmp_path, files={"incidents/2026/lol.md": "\n".join(lines) + "\n"})
    assert check(tmp_path) == (
        1,
        [
            "content/incidents/2026/lol.md:4: YAML aliases (*a0) are not supported; write the "
            "value out (90 aliases in this file)"
        ],
    )


def test_a_megabyte_of_aliases_gives_one_message(tmp_path: Path) -> None:
    body = "x: &x 1\ny: [" + ", ".join(["*x"] * 150_000) + "]\n"
    assert len(body) < 1024 * 1024
    make_tree(tmp_path, files={"services.yaml": body})
    code, lines = check(tmp_path)
    assert code == 1
    assert (
        "content/services.yaml:2: YAML aliases (*x) are not supported; write the value out "
        "(150000 aliases in this file)"
    ) in lines


@pytest.mark.parametrize("depth", [33, 999, 100_000])
def test_deep_flow_nesting_is_refused(depth: int, tmp_path: Path) -> None:
    text = base_text(BASE_INCIDENT).replace(
        "severity: SEV-3\n", "severity: SEV-3\ncategory: " + "[" * depth + "]" * depth + "\n"
    )
    make_tree(tmp_path, files={"incidents/2026/deep.md": text})
    code, lines = check(tmp_path)
    assert code == 1
    (line,) = lines
    assert line.startswith("content/incidents/2026/deep.md:4: ")
    assert line.endswith("nesting deeper than 32 levels")


@pytest.mark.parametrize("depth", [31, 32, 1000])
def test_deep_block_nesting(depth: int, tmp_path: Path) -> None:
    """32 levels of values below the document are allowed (real content needs 4); 33 are not."""
    text = "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "v: 1\n"
    make_tree(tmp_path, files={"site.yaml": text})
    code, lines = check(tmp_path)
    assert code == 1
    if depth == 31:
        # Accepted by the loader, then refused by the schema: the key is unknown.
        assert lines[0] == "content/site.yaml:1: base_url: is required"
        assert lines[1].startswith("content/site.yaml:1: k0: unknown key")
        assert lines[2] == "content/site.yaml:1: title: is required"
    else:
        (line,) = [x for x in lines if "nesting" in x]
        assert line.endswith(": nesting deeper than 32 levels")


def test_size_limit_boundary(tmp_path: Path) -> None:
    """The limit applies to every kind of file; a file of exactly the limit is accepted."""
    limit = 2048
    site = base_text("site.yaml") + f"max_file_bytes: {limit}\n"
    runbook = base_text("runbooks/postgres-connection-pool.md")
    padded = runbook + "\n" + "x" * (limit - len(runbook.encode()) - 2) + "\n"
    known_error = base_text("known-errors/KE-0001-connection-pool-exhaustion.md") + "y" * limit
    over = len(known_error.encode())
    assert len(padded.encode()) == limit
    make_tree(
        tmp_path,
        files={
            "site.yaml": site,
            "runbooks/exactly-at-limit.md": padded,
            "runbooks/one-byte-over.md": padded + "x",
            "known-errors/KE-0002-over.md": known_error,
        },
    )
    code, lines = check(tmp_path)
    assert code == 1
    assert lines == [
        f"content/known-errors/KE-0002-over.md: file is {over} bytes, over the {limit}-byte limit",
        f"content/runbooks/one-byte-over.md: file is {limit + 1} bytes, "
        f"over the {limit}-byte limit",
    ]


def test_many_problems_are_all_reported(tmp_path: Path) -> None:
    """Five thousand unknown keys in one file: every one reported, nothing truncated."""
    keys = "".join(f"unknown{i}: x\n" for i in range(5000))
    make_tree(tmp_path, files={"incidents/2026/noisy.md": f"---\n{keys}---\n"})
    code, lines = check(tmp_path, "--format", "json")
    problems = json.loads("\n".join(lines))
    assert code == 1
    assert len([p for p in problems if p["message"].startswith("unknown key")]) == 5000
    assert problems[0]["line"] == 2 and problems[-1]["line"] == 5001


# --- the parallel check gives exactly the serial answer --------------------------------------

_COMPARE = """
import json, sys, datetime as dt
from pathlib import Path
from statuspress.check import diagnose
from statuspress.loader import load_world as load
now = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
content = Path(sys.argv[1])
serial = load(content, now)
parallel = diagnose(content, now, jobs=int(sys.argv[2]), parallel_min=0)
print(json.dumps({
    "processes": parallel.processes,
    "serial": [d.format() for d in serial.diagnostics],
    "parallel": [d.format() for d in parallel.diagnostics],
    "counts": [len(serial.world.content.incidents), parallel.incidents],
}))
"""


def _compare(content: Path, jobs: int) -> dict[str, object]:
    # A fresh interpreter: forking is only done where no other thread runs.
    out = subprocess.run(
        [sys.executable, "-c", _COMPARE, str(content), str(jobs)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_parallel_check_equals_serial_check_on_every_malformed_case(tmp_path: Path) -> None:
    """All incident cases of both corpora in one tree, in 1, 2 and 3 processes.

    The tree holds duplicate ids in different chunks and ``related`` references across
    chunks, the two things decided after the workers finish.
    """
    content = make_tree(tmp_path)
    for corpus in ("malformed", "hostile"):
        for case in sorted((TESTS / corpus).iterdir()):
            if case.name.startswith("_") or not (case / "incidents").is_dir():
                continue
            shutil.copytree(case / "incidents", content / "incidents", dirs_exist_ok=True)
    # A duplicate of a late file placed early, and references from early files to late ones.
    late = sorted((content / "incidents").rglob("*.md"))[-1]
    (content / "incidents/1999").mkdir()
    shutil.copy(late, content / "incidents/1999" / late.name)
    early = base_text(BASE_INCIDENT).replace(
        "severity: SEV-3\n",
        f"severity: SEV-3\nrelated: [{late.stem}, year-one, no-such-incident]\n",
    )
    (content / "incidents/1999/aaa-related.md").write_text(early, encoding="utf-8")
    for jobs in (1, 2, 3):
        result = _compare(content, jobs)
        assert result["processes"] == jobs
        assert result["parallel"] == result["serial"]
        assert result["counts"][0] == result["counts"][1]  # type: ignore[index]
        assert len(result["serial"]) > 100  # type: ignore[arg-type]


def test_large_tree_is_checked_on_two_processes_with_the_same_output(tmp_path: Path) -> None:
    make_corpus(1600, 3, tmp_path)
    outputs = []
    for jobs in ("1", "2"):
        code, lines = check(tmp_path, "--format", "json", env={"STATUSPRESS_JOBS": jobs})
        outputs.append((code, lines))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == 0 and len(json.loads("\n".join(outputs[0][1]))) > 10


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("STATUSPRESS_SLOW") != "1", reason="100,000 files: set STATUSPRESS_SLOW=1"
)
def test_a_hundred_thousand_files_in_bounded_time_and_memory(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "bench/make_corpus.py"), "100000", "--seed", "1"]
        + ["--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=900,
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    code, lines = check(tmp_path)  # the subprocess has a 120 s timeout
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert code == 0 and lines  # warnings only (stale runbooks, overdue items)
    assert max(peak_kib, before) < 1024 * 1024  # under 1 GiB
