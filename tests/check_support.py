"""Shared machinery of the malformed-content and hostile-input corpora and the property tests.

A *case* is a small content tree: the valid base tree in ``tests/malformed/_base/content``
with a case's own files laid over it (``tests/<corpus>/<case>/`` mirrors ``content/``), or
built by code when git cannot hold it (symbolic links, megabyte files). Every case runs the
real command in a subprocess (``python -m statuspress check``) from the folder that holds
``content/``, so the paths in messages read ``content/...`` exactly as a writer sees them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from hypothesis import HealthCheck, settings

TESTS = Path(__file__).resolve().parent
BASE = TESTS / "malformed" / "_base" / "content"
NOW = "2026-11-27T12:00:00Z"
BASE_INCIDENT = "incidents/2026/2026-11-20-card-payments-failing.md"
"""The base tree's resolved SEV-3 incident (known error, runbook, updates, action item)."""

LONG = os.environ.get("STATUSPRESS_HYPOTHESIS", "") == "long"
"""``STATUSPRESS_HYPOTHESIS=long``: the local soak run (thousands of examples, new seeds)."""


def property_settings(ci_examples: int, long_examples: int = 5000) -> settings:
    """Bounded and reproducible in CI (fixed derandomised seed); long and exploring locally."""
    return settings(
        max_examples=long_examples if LONG else ci_examples,
        derandomize=not LONG,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def make_corpus(count: int, seed: int, out: Path) -> Path:
    """A generated content tree of ``count`` incidents (``bench/make_corpus.py``, the
    benchmarks' generator) written under ``out``; its ``content`` folder."""
    subprocess.run(
        [sys.executable, str(TESTS.parent / "bench" / "make_corpus.py"), str(count)]
        + ["--seed", str(seed), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    return out / "content"


def make_tree(
    root: Path,
    overlay: Path | None = None,
    files: Mapping[str, bytes | str] | None = None,
    remove: tuple[str, ...] = (),
) -> Path:
    """Copy the base tree to ``root/content``, lay ``overlay`` and ``files`` over it."""
    content = root / "content"
    if content.exists():
        shutil.rmtree(content)
    shutil.copytree(BASE, content)
    for rel in remove:
        (content / rel).unlink()
    if overlay is not None:
        shutil.copytree(overlay, content, dirs_exist_ok=True)
    for rel, data in (files or {}).items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return content


def base_text(rel: str) -> str:
    return (BASE / rel).read_text(encoding="utf-8")


def run_statuspress(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a fresh interpreter."""
    environment = {**os.environ, **(env or {})}
    environment.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.run(
        [sys.executable, "-m", "statuspress", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
        check=False,
    )


def check(cwd: Path, *extra: str, env: Mapping[str, str] | None = None) -> tuple[int, list[str]]:
    """``statuspress check`` on ``cwd/content``: exit code and the diagnostic lines.

    Fails the calling test on a traceback or on anything other than diagnostics on stdout and
    the one summary line on stderr.
    """
    result = run_statuspress("check", "--now", NOW, *extra, cwd=cwd, env=env)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    stderr = result.stderr.splitlines()
    assert len(stderr) == 1 and stderr[0].startswith("Checked "), result.stderr
    return result.returncode, result.stdout.splitlines()
