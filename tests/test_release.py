"""Releases: the version in one place, the changelog, scripts/release-check, and a site made by
`init` from the built wheel running its own CI files end to end (tests/gha.py runs them).

The wheel and its clean virtual environment are made once per test session by
scripts/release-check itself (the same command the release workflow runs); with pytest-xdist
the workers share them through a lock file.
"""

from __future__ import annotations

import fcntl
import importlib.metadata
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import statuspress
import yaml
from click.testing import CliRunner
from gha import ROOT, Runner, load_workflow, python_env
from statuspress.cli import cli

NOW = "2026-11-27T12:00:00Z"
NOW_EPOCH = "1795780800"
SCRIPTS = ROOT / "scripts"


@dataclass(frozen=True)
class Release:
    wheel: Path
    venv: Path
    output: str


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory) -> Release:
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by every worker of this run
    shared = base / "release-check"
    with open(base / "release-check.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        log = shared / "output.txt"
        if not log.exists():
            shared.mkdir(exist_ok=True)
            proc = subprocess.run(
                [sys.executable, str(SCRIPTS / "release-check"), "--dist", str(shared / "dist"),
                 "--venv", str(shared / "venv")],
                capture_output=True, text=True,
            )  # fmt: skip
            log.write_text(f"{proc.returncode}\n{proc.stdout}{proc.stderr}")
    code, output = log.read_text().split("\n", 1)
    assert code == "0", f"scripts/release-check failed:\n{output}"
    [wheel] = sorted((shared / "dist").glob("*.whl"))
    return Release(wheel=wheel, venv=shared / "venv", output=output)


def test_release_check_builds_and_checks_the_files(release: Release) -> None:
    version = statuspress.__version__
    assert release.wheel.name == f"statuspress-{version}-py3-none-any.whl"
    assert (release.wheel.parent / f"statuspress-{version}.tar.gz").is_file()
    steps = [line.strip().rsplit(" (", 1)[0] for line in release.output.splitlines()[:-1]]
    assert steps == [
        "build sdist and wheel",
        "twine check",
        "clean virtual environment",
        "install the wheel",
        "build the demo content",
        "statuspress --version",
    ]
    assert release.output.splitlines()[-1].startswith(f"Release check passed for {version} in ")
    # The environment holds the wheel, not the checkout.
    where = "import statuspress; print(statuspress.__file__)"
    proc = subprocess.run(
        [str(release.venv / "bin" / "python"), "-c", where],
        capture_output=True, text=True, check=True, cwd=release.venv,
    )  # fmt: skip
    assert str(release.venv) in proc.stdout and str(ROOT) not in proc.stdout


def test_release_check_refuses_a_tag_that_is_not_the_version(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPTS / "release-check"), "--expect", "v9.9.9",
         "--dist", str(tmp_path / "dist")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 1
    assert f"the tag says 9.9.9, statuspress.__version__ {statuspress.__version__}" in proc.stderr
    assert not (tmp_path / "dist").exists()  # before building anything


def test_version_metadata_and_changelog_agree() -> None:
    version = statuspress.__version__
    result = CliRunner().invoke(cli, ["--version"])
    assert result.output == f"statuspress, version {version}\n"
    assert importlib.metadata.version("statuspress") == version
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject and '\nversion = "' not in pyproject
    latest = subprocess.run(
        [sys.executable, str(SCRIPTS / "changelog-section"), "--latest"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert latest.stdout == f"{version}\n"
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" in changelog.split(f"## [{version}]")[0]


def changelog_section(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPTS / "changelog-section"), *args],
        capture_output=True, text=True, cwd=cwd,
    )  # fmt: skip


def test_changelog_section(tmp_path: Path) -> None:
    log = tmp_path / "CHANGELOG.md"
    log.write_text(
        "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Added\n\n- next thing\n\n"
        "## [1.2.0] - 2027-01-05\n\n### Fixed\n\n- a fix\n  on two lines\n\n"
        "## [1.1.0] - 2026-12-01\n\n## [1.0.0] - 2026-11-01\n\n- first\n\n"
        "[Unreleased]: https://example.org/compare/v1.2.0...HEAD\n"
        "[1.0.0]: https://example.org/releases/tag/v1.0.0\n"
    )
    args = ("--changelog", str(log))
    assert changelog_section("v1.2.0", *args).stdout == "### Fixed\n\n- a fix\n  on two lines\n"
    assert changelog_section("1.0.0", *args).stdout == "- first\n"  # link references dropped
    assert changelog_section("--latest", *args).stdout == "1.2.0\n"  # not Unreleased
    missing = changelog_section("1.3.0", *args)
    assert missing.returncode == 1 and "no section '## [1.3.0]" in missing.stderr
    empty = changelog_section("1.1.0", *args)
    assert empty.returncode == 1 and "section for 1.1.0 is empty" in empty.stderr
    out = tmp_path / "notes.md"
    assert changelog_section("1.2.0", *args, "-o", str(out)).returncode == 0
    assert out.read_text().startswith("### Fixed")
    # The real changelog has notes for this version.
    notes = changelog_section(f"v{statuspress.__version__}").stdout
    assert "### Added" in notes and "[Unreleased]" not in notes


def test_release_workflow() -> None:
    data = load_workflow(ROOT / ".github" / "workflows" / "release.yml")
    assert data["on"] == {"push": {"tags": ["v[0-9]+.[0-9]+.[0-9]+"]}}
    assert data["permissions"] == {"contents": "read"}
    build, pypi, github = (data["jobs"][k] for k in ("build", "pypi", "github-release"))
    runs = [s["run"] for s in build["steps"] if "run" in s]
    assert 'python scripts/release-check --dist dist --expect "$GITHUB_REF_NAME"' in runs
    assert any("scripts/changelog-section" in r and "release-notes.md" in r for r in runs)
    # Trusted publishing: an OIDC token, no password or token anywhere.
    assert pypi["needs"] == "build" and pypi["permissions"] == {"id-token": "write"}
    [publish] = [s for s in pypi["steps"] if "pypa/gh-action-pypi-publish" in s.get("uses", "")]
    assert "password" not in publish.get("with", {})
    assert "secrets." not in (ROOT / ".github" / "workflows" / "release.yml").read_text()
    assert github["needs"] == "pypi" and github["permissions"] == {"contents": "write"}
    [create] = [s["run"] for s in github["steps"] if "run" in s]
    assert "gh release create" in create and "dist/*" in create
    assert "--notes-file release-notes.md" in create


def copy_site(site: Path, where: Path) -> Path:
    """A job's fresh checkout of the site repository."""
    shutil.copytree(site, where, ignore=shutil.ignore_patterns(".git"))
    return where


def test_a_site_made_by_init_runs_its_own_ci(release: Release, tmp_path: Path) -> None:
    env = python_env(release.venv)
    env["SOURCE_DATE_EPOCH"] = NOW_EPOCH
    site = tmp_path / "acme-status"
    made = subprocess.run(
        ["statuspress", "init", str(site), "--install", str(release.wheel), "--now", NOW],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert (site / ".git").is_dir()
    version = statuspress.__version__

    # GitLab: the `pages` job, before_script and script, as the runner runs them.
    gitlab = yaml.safe_load((site / ".gitlab-ci.yml").read_text())
    assert gitlab["variables"]["STATUSPRESS_INSTALL"] == str(release.wheel)
    workspace = copy_site(site, tmp_path / "gitlab")
    run = Runner(workspace, env).gitlab_job(gitlab, "pages")
    assert run.failed is None, run.failed
    assert f"statuspress, version {version}" in run.output
    assert "0 errors, 0 warnings" in run.output
    assert (workspace / "public" / "index.html").is_file()
    assert gitlab["pages"]["artifacts"]["paths"] == ["public"]
    assert not (workspace / "public" / "internal").exists()

    # GitHub: every job of the workflow, the action's run steps from action.yml.
    workflow = load_workflow(site / ".github" / "workflows" / "status.yml")
    action = f"statuspress/statuspress@v{version}"
    built = {}
    for job in ("check", "deploy", "internal"):
        workspace = copy_site(site, tmp_path / f"github-{job}")
        run = Runner(workspace, env, action_ref=action.split("@")[0]).job(workflow, job)
        assert run.failed is None, (job, run.failed)
        assert "actions/checkout@v4" in run.skipped and "actions/setup-python@v5" in run.skipped
        assert f"statuspress, version {version}" in run.output  # installed by the action
        assert "::error" not in run.output and "::warning" not in run.output
        built[job] = sorted(p.name for p in (workspace / "site").iterdir())
        if job == "deploy":
            [upload] = [
                s for s in workflow["jobs"]["deploy"]["steps"]
                if s.get("uses", "").startswith("actions/upload-pages-artifact")
            ]  # fmt: skip
            assert (workspace / upload["with"]["path"] / "index.html").is_file()
            assert run.skipped[-1].startswith("actions/deploy-pages")
    assert built == {
        "check": ["internal", "public"],
        "deploy": ["public"],
        "internal": ["internal"],
    }


def test_the_action_installs_from_its_checkout(release: Release, tmp_path: Path) -> None:
    # Without `install:`, the action runs `pip install "$ACTION_PATH"`: pip builds a wheel from
    # the checkout itself (not from an sdist). It must ship what the release wheel ships.
    import zipfile

    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
         str(tmp_path), str(ROOT)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    [built] = tmp_path.glob("*.whl")
    assert built.name == release.wheel.name
    with zipfile.ZipFile(built) as ours, zipfile.ZipFile(release.wheel) as released:
        assert sorted(ours.namelist()) == sorted(released.namelist())
        shipped = "statuspress/scaffold/shipped/.github__workflows__status.yml"
        assert ours.read(shipped) == (ROOT / ".github" / "workflows" / "status.yml").read_bytes()
