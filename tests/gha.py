"""Run CI files the way their runners do, read from the files (never copied into a test).

- GitHub: a workflow job's steps in order. A `run:` step runs in bash with `-eo pipefail`; a
  step that uses statuspress's action runs action.yml's own `run:` steps, with its inputs
  (the step's `with:` over the action's defaults) and `github.action_path` substituted as the
  runner does; lines a step appends to $GITHUB_ENV reach the later steps. Other actions
  (checkout, setup-python, Pages) are recorded, not run: the test's virtual environment is the
  Python they would set up. An expression the emulation does not know fails the test.
- GitLab: a job's `before_script` and `script` in one bash script with `-eo pipefail`, with the
  file's variables (expanded) in the environment.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def load_workflow(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    return data


@dataclass
class Run:
    """What a job did: each step's name and output, and the `uses:` it skipped."""

    steps: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: tuple[str, int, str] | None = None

    @property
    def output(self) -> str:
        return "".join(out for _name, out in self.steps)


class Runner:
    def __init__(self, workspace: Path, env: dict[str, str], action_ref: str = "./") -> None:
        self.workspace = workspace
        self.env = dict(env)
        self.action_ref = action_ref  # how the workflow names statuspress's action
        self.github_env = workspace.parent / f".{workspace.name}.github-env"
        self.env.update(GITHUB_WORKSPACE=str(workspace), GITHUB_ENV=str(self.github_env))
        self.github_env.write_text("")

    # -- GitHub -------------------------------------------------------------------------
    def job(self, workflow: dict[str, Any], name: str) -> Run:
        run = Run()
        for step in workflow["jobs"][name]["steps"]:
            uses = step.get("uses", "")
            if uses and self.is_statuspress(uses):
                self.action(step.get("with") or {}, step.get("env") or {}, run)
            elif uses:
                run.skipped.append(uses)
            else:
                self.step(
                    step.get("name", step["run"]), step["run"], step.get("env") or {}, {}, run
                )
            if run.failed:
                break
        return run

    def is_statuspress(self, uses: str) -> bool:
        return uses == self.action_ref or uses.startswith(self.action_ref + "@")

    def action(self, given: dict[str, Any], env: dict[str, Any], run: Run) -> None:
        spec = action()
        inputs = {k: str(v.get("default", "")) for k, v in spec["inputs"].items()}
        unknown = set(given) - set(inputs)
        assert not unknown, f"inputs action.yml does not declare: {sorted(unknown)}"
        # The runner hands inputs over as strings (`true` from YAML arrives as "true").
        inputs.update({k: _string(v) for k, v in given.items()})
        for step in spec["runs"]["steps"]:
            if "uses" in step:
                run.skipped.append(step["uses"])
                continue
            assert step.get("shell") == "bash", "composite run steps must name their shell"
            step_env = {**{k: str(v) for k, v in env.items()}, **(step.get("env") or {})}
            name = self.expand(step.get("name", "action step"), inputs)
            self.step(name, step["run"], step_env, inputs, run)
            if run.failed:
                return

    def expand(self, text: str, inputs: dict[str, str]) -> str:
        def value(match: re.Match[str]) -> str:
            expr = match.group(1)
            if expr.startswith("inputs."):
                return inputs[expr.removeprefix("inputs.")]
            if expr == "github.action_path":
                return str(ROOT)  # the runner's copy of the action at the named ref
            if expr == "github.workspace":
                return str(self.workspace)
            raise AssertionError(f"the emulated runner does not know ${{{{ {expr} }}}}")

        return EXPR.sub(value, text)

    def step(
        self, name: str, script: str, env: dict[str, Any], inputs: dict[str, str], run: Run
    ) -> None:
        step_env = {**self.env, **{k: self.expand(str(v), inputs) for k, v in env.items()}}
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", self.expand(script, inputs)],
            cwd=self.workspace,
            env=step_env,
            capture_output=True,
            text=True,
        )
        run.steps.append((name, proc.stdout + proc.stderr))
        for line in self.github_env.read_text().splitlines():
            key, sep, val = line.partition("=")
            if sep:
                self.env[key] = val
        if proc.returncode != 0:
            run.failed = (name, proc.returncode, proc.stdout + proc.stderr)

    # -- GitLab -------------------------------------------------------------------------
    def gitlab_job(self, data: dict[str, Any], name: str) -> Run:
        job = data[name]
        default = data.get("default", {})
        lines = [*job.get("before_script", default.get("before_script", [])), *job["script"]]
        env = {**self.env, "CI_PROJECT_DIR": str(self.workspace)}
        for key, val in {**data.get("variables", {}), **job.get("variables", {})}.items():
            env[key] = _expand_vars(str(val), env)
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", "\n".join(lines)],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
        )
        run = Run(steps=[(name, proc.stdout + proc.stderr)])
        if proc.returncode != 0:
            run.failed = (name, proc.returncode, proc.stdout + proc.stderr)
        return run


def _string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _expand_vars(text: str, env: dict[str, str]) -> str:
    return re.sub(r"\$(?:\{(\w+)\}|(\w+))", lambda m: env.get(m.group(1) or m.group(2), ""), text)


def python_env(venv: Path) -> dict[str, str]:
    """The environment of a job whose Python is ``venv`` (what setup-python or the image gives)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"} and not k.startswith("GITHUB_")
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env
