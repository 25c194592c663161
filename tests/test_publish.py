"""`statuspress publish`: real git (a bare remote in tmp_path), real builds, real kills."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from check_support import make_corpus
from click.testing import CliRunner
from statuspress.cli import cli

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-27T12:00:00Z"
SEED = 20261127


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


@pytest.fixture(autouse=True)
def isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user or system git config: publish must work on a bare CI runner (no identity)."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two real public builds of a small corpus: before and after an incident update."""
    base = tmp_path_factory.mktemp("builds")
    content = make_corpus(25, 5, base)
    runner = CliRunner()

    def build(out: Path) -> Path:
        result = runner.invoke(
            cli, ["build", "--content", str(content), "--out", str(out), "--public-only",
                  "--now", NOW],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        return out / "public"

    first = build(base / "v1")
    newest = max(content.rglob("incidents/**/*.md"), key=lambda p: p.name)
    text = newest.read_text().replace("title:", "title: Updated", 1)
    newest.write_text(text)
    second = build(base / "v2")
    assert tree(first) != tree(second)
    return first, second


@pytest.fixture
def repos(tmp_path: Path) -> tuple[Path, Path]:
    """A user's repository (on main, with a dirty working tree) and its bare remote."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "-q", "-b", "main")
    git(work, "config", "user.name", "Writer")
    git(work, "config", "user.email", "writer@example.com")
    (work / "README.md").write_text("site repo\n")
    git(work, "add", "README.md")
    git(work, "commit", "-q", "-m", "init")
    git(work, "remote", "add", "origin", str(remote))
    (work / "README.md").write_text("uncommitted edit\n")  # must survive publishing
    (work / "staged.txt").write_text("staged\n")
    git(work, "add", "staged.txt")
    return work, remote


def publish(site: Path, target: str, work: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["publish", "--site", str(site), "--to", target, "--repo", str(work)]
    )
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def checkout(remote: Path, branch: str, dest: Path) -> dict[str, bytes]:
    shutil.rmtree(dest, ignore_errors=True)
    git(remote.parent, "clone", "-q", "--branch", branch, str(remote), str(dest))
    return tree(dest)


def test_publish_to_git_branch_twice(
    builds: tuple[Path, Path], repos: tuple[Path, Path], tmp_path: Path
) -> None:
    v1, v2 = builds
    work, remote = repos
    status_before = git(work, "status", "--porcelain")
    index_before = git(work, "ls-files", "--stage")

    code, out = publish(v1, "git:gh-pages", work)
    assert code == 0, out
    first = git(remote, "rev-parse", "refs/heads/gh-pages")
    assert git(remote, "rev-list", "--count", first) == "1"  # an orphan first commit
    assert checkout(remote, "gh-pages", tmp_path / "clone") == {**tree(v1), ".nojekyll": b""}

    code, out = publish(v2, "git:gh-pages", work)
    assert code == 0, out
    second = git(remote, "rev-parse", "refs/heads/gh-pages")
    assert git(remote, "rev-parse", f"{second}^") == first  # on top of the branch's tip
    assert checkout(remote, "gh-pages", tmp_path / "clone") == {**tree(v2), ".nojekyll": b""}
    assert git(work, "rev-parse", "refs/heads/gh-pages") == second  # local ref after the push

    code, out = publish(v2, "git:gh-pages", work)  # unchanged: no empty commit
    assert code == 0 and "already has this site" in out
    assert git(remote, "rev-parse", "refs/heads/gh-pages") == second

    # The user's branch, working tree and index are exactly as they were.
    assert git(work, "symbolic-ref", "HEAD") == "refs/heads/main"
    assert git(work, "status", "--porcelain") == status_before
    assert git(work, "ls-files", "--stage") == index_before
    assert (work / "README.md").read_text() == "uncommitted edit\n"


def test_rejected_push_leaves_the_remote_branch(
    builds: tuple[Path, Path], repos: tuple[Path, Path]
) -> None:
    v1, v2 = builds
    work, remote = repos
    assert publish(v1, "git:gh-pages", work)[0] == 0
    before = git(remote, "rev-parse", "refs/heads/gh-pages")
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'rejected by policy' >&2\nexit 1\n")
    hook.chmod(0o755)
    code, out = publish(v2, "git:gh-pages", work)
    assert code == 1
    assert "the published site is unchanged" in out and "rejected by policy" in out
    assert git(remote, "rev-parse", "refs/heads/gh-pages") == before
    assert git(work, "rev-parse", "refs/heads/gh-pages") == before  # local ref not moved


def test_publish_refusals(
    builds: tuple[Path, Path], repos: tuple[Path, Path], tmp_path: Path
) -> None:
    v1, _ = builds
    work, _ = repos
    code, out = publish(tmp_path / "missing", "git:gh-pages", work)
    assert code == 1 and "run `statuspress build` first" in out
    code, out = publish(v1, "git:gh-pages", tmp_path)
    assert code == 1 and "is not a git repository" in out
    code, out = publish(v1, "git:bad..name", work)
    assert code == 2 and "not a valid branch name" in out
    unrelated = tmp_path / "notes"
    unrelated.mkdir()
    (unrelated / "keep.txt").write_text("precious")
    code, out = publish(v1, str(unrelated), work)
    assert code == 1 and "refusing to replace it" in out
    assert tree(unrelated) == {"keep.txt": b"precious"}
    internal = tmp_path / "internal"
    (internal / "search").mkdir(parents=True)
    (internal / "index.html").write_text("<html></html>")
    (internal / "search" / "search_index.json").write_text("{}")
    code, out = publish(internal, str(tmp_path / "out"), work)
    assert code == 1 and "internal knowledge base" in out


def test_publish_to_directory_twice(builds: tuple[Path, Path], tmp_path: Path) -> None:
    v1, v2 = builds
    target = tmp_path / "www" / "status"
    for site in (v1, v2):
        code, out = publish(site, str(target), tmp_path)
        assert code == 0, out
        assert tree(target) == {**tree(site), ".nojekyll": b""}
    assert sorted(p.name for p in target.parent.iterdir()) == ["status"]  # no staging left


def _big_sites(base: Path, builds: tuple[Path, Path]) -> list[Path]:
    """Two sites large enough that a kill lands inside the copy or the git work."""
    sites = []
    for index, build in enumerate(builds):
        site = base / f"big{index}"
        shutil.copytree(build, site)
        for n in range(1200):
            page = site / "extra" / f"{n // 100:02d}" / f"{n}.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(f"<html><body>site {index} page {n}</body></html>\n" * 4)
        sites.append(site)
    return sites


def _killed_publish(site: Path, target: str, repo: Path, delay: float) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", "from statuspress.cli import main; main()", "publish",
         "--site", str(site), "--to", target, "--repo", str(repo)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    time.sleep(delay)
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the whole group: git children die too
    except ProcessLookupError:
        pass
    proc.wait()


@pytest.mark.slow
def test_killed_publish_leaves_old_or_new_site(
    builds: tuple[Path, Path], repos: tuple[Path, Path], tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    sites = _big_sites(tmp_path, builds)
    expected = [{**tree(s), ".nojekyll": b""} for s in sites]
    work, remote = repos
    target = tmp_path / "www"
    assert publish(sites[0], str(target), work)[0] == 0
    assert publish(sites[0], "git:gh-pages", work)[0] == 0
    trees = {git(remote, "rev-parse", "gh-pages^{tree}"): 0}
    dir_state = git_state = 0
    outcomes: set[str] = set()
    for attempt in range(8):
        new = 1 - dir_state
        _killed_publish(sites[new], str(target), work, rng.uniform(0.15, 0.6))
        got = tree(target)
        assert got in expected, f"attempt {attempt}: directory is neither old nor new site"
        dir_state = expected.index(got)
        outcomes.add(f"dir:{'new' if dir_state == new else 'old'}")

        new = 1 - git_state
        _killed_publish(sites[new], "git:gh-pages", work, rng.uniform(0.15, 0.6))
        tip_tree = git(remote, "rev-parse", "gh-pages^{tree}")
        if tip_tree not in trees:  # first time the other site landed: check it whole
            assert checkout(remote, "gh-pages", tmp_path / "clone") == expected[new]
            trees[tip_tree] = new
        assert trees[tip_tree] in (git_state, new)
        git_state = trees[tip_tree]
        outcomes.add(f"git:{'new' if git_state == new else 'old'}")
        # git leaves its lock files behind when killed mid-push; that is git's own recovery.
        for lock in (remote / "refs").rglob("*.lock"):
            lock.unlink()
    assert git(remote, "fsck", "--no-dangling") == ""
    # A later publish always works and the branch history stays linear.
    assert publish(sites[1 - git_state], "git:gh-pages", work)[0] == 0
    assert checkout(remote, "gh-pages", tmp_path / "clone") == expected[1 - git_state]
    assert {o.split(":")[0] for o in outcomes} == {"dir", "git"}


def test_publish_from_a_shallow_ci_checkout(
    builds: tuple[Path, Path], repos: tuple[Path, Path], tmp_path: Path
) -> None:
    """A CI runner clones with depth 1 and has never seen the Pages branch."""
    v1, v2 = builds
    work, remote = repos
    (work / "second.txt").write_text("second commit\n")
    git(work, "add", "second.txt")
    git(work, "commit", "-q", "-m", "second")  # so that a depth-1 clone is really shallow
    git(work, "push", "-q", "origin", "main")
    assert publish(v1, "git:gh-pages", work)[0] == 0
    first = git(remote, "rev-parse", "refs/heads/gh-pages")
    ci = tmp_path / "ci"
    git(tmp_path, "clone", "-q", "--depth", "1", "-b", "main", f"file://{remote}", str(ci))
    assert git(ci, "rev-parse", "--is-shallow-repository") == "true"
    code, out = publish(v2, "git:gh-pages", ci)
    assert code == 0, out
    assert git(remote, "rev-parse", "refs/heads/gh-pages^") == first
    assert checkout(remote, "gh-pages", tmp_path / "clone") == {**tree(v2), ".nojekyll": b""}


# --- publishing never replaces source ---------------------------------------------------------


def publish_args(site: Path, target: str, work: Path, *more: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["publish", "--site", str(site), "--to", target, "--repo", str(work), *more]
    )
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def refs(repo: Path) -> str:
    return git(repo, "for-each-ref", "--format=%(refname) %(objectname)")


@pytest.fixture
def pushed(repos: tuple[Path, Path]) -> tuple[Path, Path]:
    """The user's repository with main pushed: the remote's default branch holds source."""
    work, remote = repos
    git(work, "commit", "-q", "-m", "add staged.txt")
    git(work, "push", "-q", "origin", "main")
    git(remote, "symbolic-ref", "HEAD", "refs/heads/main")
    git(work, "remote", "set-head", "origin", "--auto")
    return work, remote


def test_publish_refuses_the_checked_out_branch(
    builds: tuple[Path, Path], pushed: tuple[Path, Path], tmp_path: Path
) -> None:
    v1, _ = builds
    work, remote = pushed
    before = refs(remote)
    code, out = publish(v1, "git:main", work)
    assert code == 1
    assert f"branch main is checked out in {work}: publishing would replace its files" in out
    assert "or pass --force" in out
    assert refs(remote) == before
    assert git(work, "ls-files") == "README.md\nstaged.txt"
    # A branch checked out in another worktree of the repository is refused too.
    git(work, "worktree", "add", "-q", "-b", "notes", str(tmp_path / "notes-wt"))
    code, out = publish(v1, "git:notes", work)
    assert code == 1 and f"branch notes is checked out in {tmp_path / 'notes-wt'}" in out
    assert refs(remote) == before


def test_publish_refuses_the_remotes_default_branch(
    builds: tuple[Path, Path], pushed: tuple[Path, Path]
) -> None:
    v1, _ = builds
    work, remote = pushed
    git(work, "checkout", "-q", "--detach")  # main is no longer checked out anywhere
    before = refs(remote)
    code, out = publish(v1, "git:main", work)
    assert code == 1
    assert "main is the default branch of remote 'origin': publishing would replace" in out
    assert refs(remote) == before
    # When the remote does not say (its HEAD names no branch), the local origin/HEAD does.
    git(remote, "symbolic-ref", "HEAD", "refs/heads/none-yet")
    code, out = publish(v1, "git:main", work)
    assert code == 1 and "main is the default branch of remote 'origin'" in out
    # Neither knows: the branch is still refused, because its files are not a published site.
    git(work, "remote", "set-head", "origin", "--delete")
    code, out = publish(v1, "git:main", work)
    assert code == 1 and "branch main holds files statuspress did not publish" in out
    assert refs(remote) == before


def test_publish_refuses_a_branch_with_other_files_unless_forced(
    builds: tuple[Path, Path], pushed: tuple[Path, Path], tmp_path: Path
) -> None:
    v1, v2 = builds
    work, remote = pushed
    git(work, "push", "-q", "origin", "main:refs/heads/docs")  # e.g. a hand-written docs branch
    tip = git(remote, "rev-parse", "refs/heads/docs")
    before = refs(remote)
    code, out = publish(v1, "git:docs", work)
    assert code == 1
    assert (
        f"branch docs holds files statuspress did not publish (its tip {tip[:12]} has no "
        ".statuspress-site); publishing would replace them" in out
    )
    assert refs(remote) == before
    # A local branch that was never pushed is protected the same way, and stays where it was.
    git(work, "branch", "drafts", "main")
    local = git(work, "rev-parse", "refs/heads/drafts")
    code, out = publish(v1, "git:drafts", work)
    assert code == 1 and "branch drafts holds files statuspress did not publish" in out
    assert refs(remote) == before and git(work, "rev-parse", "refs/heads/drafts") == local
    # --force replaces the files; the old tip stays in the history, nothing is lost.
    code, out = publish_args(v1, "git:docs", work, "--force")
    assert code == 0, out
    assert git(remote, "rev-parse", "refs/heads/docs^") == tip
    assert checkout(remote, "docs", tmp_path / "clone") == {**tree(v1), ".nojekyll": b""}
    # From now on the branch carries the marker: no --force needed.
    code, out = publish(v2, "git:docs", work)
    assert code == 0, out
    assert checkout(remote, "docs", tmp_path / "clone") == {**tree(v2), ".nojekyll": b""}


@pytest.mark.parametrize(
    ("branch", "message"),
    [
        ("HEAD", "git:HEAD: give the branch name alone (e.g. git:gh-pages), not a ref or HEAD"),
        ("@", "git:@: give the branch name alone (e.g. git:gh-pages), not a ref or HEAD"),
        ("refs/heads/x", "git:refs/heads/x: give the branch name alone"),
        ("refs/tags/v1", "git:refs/tags/v1: give the branch name alone"),
        ("@{-1}", "'@{-1}' is not a valid branch name"),
        ("-x", "'-x' is not a valid branch name"),
        ("pages.lock", "'pages.lock' is not a valid branch name"),
        ("a b", "'a b' is not a valid branch name"),
        ("x/", "'x/' is not a valid branch name"),
    ],
)
def test_publish_refuses_refs_and_odd_branch_names(
    branch: str, message: str, builds: tuple[Path, Path], pushed: tuple[Path, Path]
) -> None:
    v1, _ = builds
    work, remote = pushed
    git(work, "checkout", "-q", "-b", "other")
    git(work, "checkout", "-q", "main")  # so that @{-1} means "other" to git
    before = refs(remote)
    code, out = publish(v1, f"git:{branch}", work)
    assert code == 2 and message in out
    assert refs(remote) == before


def test_publish_to_a_folder_it_did_not_write_needs_force(
    builds: tuple[Path, Path], tmp_path: Path
) -> None:
    v1, _ = builds
    # What another tool (mkdocs gh-deploy, say) leaves: .nojekyll alone is not our marker.
    target = tmp_path / "www"
    target.mkdir()
    (target / ".nojekyll").write_text("")
    (target / "index.html").write_text("someone else's site")
    code, out = publish(v1, str(target), tmp_path)
    assert code == 1 and "was not written by statuspress" in out and "--force" in out
    assert tree(target) == {".nojekyll": b"", "index.html": b"someone else's site"}
    code, out = publish_args(v1, str(target), tmp_path, "--force")
    assert code == 0, out
    assert tree(target) == {**tree(v1), ".nojekyll": b""}
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
