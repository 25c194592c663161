"""Third-party outputs plug in through the ``statuspress.outputs`` entry points.

The example package in tests/plugins/ is really installed (pip, into a folder of its own so
no other test sees it) and a real build runs with that folder on its path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "small" / "content"
NOW = "2026-11-27T12:00:00Z"


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("plugins")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(HERE / "plugins" / "statuspress-example")],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return target


def build(plugin_path: Path | None, out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("STATUSPRESS_EXAMPLE")}
    if plugin_path is not None:
        environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(plugin_path), environ.get("PYTHONPATH", "")) if p
        )
    args = ["build", "--public-only", "--content", str(FIXTURE), "--out", str(out), "--now", NOW]
    return subprocess.run(
        [sys.executable, "-m", "statuspress", *args],
        capture_output=True,
        text=True,
        env={**environ, **env},
        check=False,
    )


def test_a_build_renders_an_installed_output(plugin_path: Path, tmp_path: Path) -> None:
    result = build(plugin_path, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    public = tmp_path / "site" / "public"
    rows = [line.split("\t") for line in (public / "status.txt").read_text().splitlines()]
    api = public / "api" / "v2"
    components = json.loads((api / "summary.json").read_text())["components"]
    incidents = json.loads((api / "incidents.json").read_text())["incidents"]
    maintenances = json.loads((api / "scheduled-maintenances.json").read_text())
    maintenances = maintenances["scheduled_maintenances"]
    # The plugin saw exactly the public projection the built-in API was rendered from.
    assert [r[1:] for r in rows if r[0] == "service"] == [
        [c["name"], c["status"]] for c in components if not c["group"]
    ]
    # (the API reports "postmortem" where the projection says "resolved": names only here)
    assert sorted(r[1] for r in rows if r[0] == "incident") == sorted(i["name"] for i in incidents)
    assert sorted(r[1:] for r in rows if r[0] == "maintenance") == sorted(
        [m["name"], m["status"]] for m in maintenances
    )
    assert len(incidents) > 0 and len(maintenances) > 0


def test_without_the_plugin_there_is_no_extra_output(tmp_path: Path) -> None:
    result = build(None, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "site" / "public" / "status.txt").exists()


def test_a_failing_plugin_is_named_and_nothing_is_written(
    plugin_path: Path, tmp_path: Path
) -> None:
    result = build(plugin_path, tmp_path / "site", STATUSPRESS_EXAMPLE_FAIL="1")
    assert result.returncode == 1
    assert "output plugin 'broken' failed: RuntimeError: the example plugin was told to fail" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site" / "public").exists()


def test_a_plugin_cannot_write_outside_the_site(plugin_path: Path, tmp_path: Path) -> None:
    result = build(plugin_path, tmp_path / "site", STATUSPRESS_EXAMPLE_ESCAPE="1")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site" / "outside.txt").exists()
    assert not (tmp_path / "site" / "public").exists()
