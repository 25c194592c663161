"""``statuspress publish``: put the built public site on a Pages branch or into a directory.

Both targets are atomic: a reader (GitHub/GitLab Pages, a web server) sees the previous site or
the new one, never a mix, and a failed or killed publish leaves the previous site as it was.

``--to git:BRANCH`` builds a commit with git plumbing alone, in a private index (GIT_INDEX_FILE in
a temporary folder): ``hash-object`` for every file (no filters, so the bytes are exactly the
build's), ``update-index``/``write-tree`` for the tree, ``commit-tree`` on top of the branch's
current tip on the remote (or an orphan first commit). Then one ``git push`` of
``<commit>:refs/heads/BRANCH``: the remote updates the ref atomically or not at all. The local
branch ref moves only after the push succeeded, and never when that branch is checked out.
The user's working tree, index and current branch are never touched. An unchanged site makes
no commit, so a scheduled rebuild does not grow the branch.

``--to DIR`` copies into a sibling staging folder and swaps it in (like the build's writer).
It only replaces a folder that is empty or was published before (it has ``.nojekyll``), so a
typo cannot wipe out an unrelated folder.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .errors import StatuspressError, UsageError
from .writer import clean_leftovers, swap

NOJEKYLL = ".nojekyll"
"""Tells GitHub Pages to serve files as they are (no Jekyll; keeps folders starting with _)."""
DEFAULT_MESSAGE = "Publish status page"
_FALLBACK_IDENTITY = {
    "GIT_AUTHOR_NAME": "statuspress",
    "GIT_AUTHOR_EMAIL": "statuspress@localhost",
    "GIT_COMMITTER_NAME": "statuspress",
    "GIT_COMMITTER_EMAIL": "statuspress@localhost",
}


class PublishError(StatuspressError):
    """Publishing failed; the previously published site is unchanged."""


def publish(
    site_dir: Path,
    target: str,
    *,
    remote: str = "origin",
    repo: Path = Path("."),
    message: str | None = None,
) -> str:
    """Publish ``site_dir`` to ``git:BRANCH`` or a directory; return a one-line summary."""
    files = site_files(site_dir)
    if target.startswith("git:"):
        branch = target[4:]
        if not branch:
            raise UsageError("--to git:BRANCH needs a branch name, e.g. git:gh-pages")
        return publish_git(site_dir, files, branch, remote=remote, repo=repo, message=message)
    if not target:
        raise UsageError("--to needs git:BRANCH or a directory")
    return publish_dir(site_dir, files, Path(target))


def site_files(site_dir: Path) -> list[str]:
    """Every file of the built site (relative POSIX paths, sorted); refuse what is not a site."""
    if not site_dir.is_dir():
        raise PublishError(f"{site_dir} does not exist: run `statuspress build` first")
    if not (site_dir / "index.html").is_file():
        raise PublishError(f"{site_dir} has no index.html: is it a built public site?")
    if (site_dir / "search" / "search_index.json").is_file():
        # The internal knowledge base (mkdocs) has a search index; the status page never does.
        raise PublishError(
            f"{site_dir} looks like the internal knowledge base; only the public site "
            "(site/public) may be published"
        )
    files: list[str] = []
    for folder, dirnames, filenames in os.walk(site_dir):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(folder, name)
            if path.is_symlink():
                raise PublishError(f"{path} is a symbolic link; a built site has none")
            if any(c in name for c in "\n\t\\") or name.startswith('"'):
                raise PublishError(
                    f"{path!r}: file names with these characters cannot be published"
                )
            files.append(path.relative_to(site_dir).as_posix())
        for name in dirnames:
            if Path(folder, name).is_symlink():
                raise PublishError(
                    f"{Path(folder, name)} is a symbolic link; a built site has none"
                )
    return sorted(files)


# -- git ---------------------------------------------------------------------------------------


class _Git:
    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
        for name in ("GIT_INDEX_FILE", "GIT_WORK_TREE"):
            self.env.pop(name, None)

    def run(
        self,
        *args: str,
        input: str | None = None,
        env: dict[str, str] | None = None,
        check: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        try:
            proc = subprocess.run(
                ["git", "-C", str(self.repo), *args],
                input=input,
                capture_output=True,
                text=True,
                env={**self.env, **(env or {})},
                check=False,
            )
        except FileNotFoundError:
            raise PublishError("git is not installed (needed for --to git:BRANCH)") from None
        if check and proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip()
            raise PublishError(f"git {args[0]} failed: {detail}")
        return proc

    def out(self, *args: str, **kwargs: object) -> str:
        return self.run(*args, **kwargs).stdout.strip()  # type: ignore[arg-type]


def publish_git(
    site_dir: Path,
    files: Sequence[str],
    branch: str,
    *,
    remote: str,
    repo: Path,
    message: str | None,
) -> str:
    git = _Git(repo)
    if git.run("rev-parse", "--git-dir", check=False).returncode != 0:
        raise PublishError(f"{repo} is not a git repository (pass --repo)")
    ref = f"refs/heads/{branch}"
    if git.run("check-ref-format", ref, check=False).returncode != 0:
        raise UsageError(f"'{branch}' is not a valid branch name")
    parent = _remote_tip(git, remote, ref) or _local_tip(git, ref)
    tree = _write_tree(git, site_dir, files)
    count = len(files) + (0 if NOJEKYLL in files else 1)
    if parent and git.out("rev-parse", f"{parent}^{{tree}}") == tree:
        _update_local(git, ref, parent)
        return f"{remote} {branch} already has this site ({count} files) at {parent[:12]}"
    commit = _commit(git, tree, parent, message)
    push = git.run("push", "--quiet", "--porcelain", remote, f"{commit}:{ref}", check=False)
    if push.returncode != 0:
        detail = (push.stderr or push.stdout).strip()
        raise PublishError(
            f"pushing to {remote} {branch} failed; the published site is unchanged:", detail=detail
        )
    note = _update_local(git, ref, commit)
    return f"Published {count} files to {remote} {branch} at {commit[:12]}{note}"


def _remote_tip(git: _Git, remote: str, ref: str) -> str | None:
    """The branch's tip on the remote, fetched so the new commit can build on it."""
    listed = git.run("ls-remote", "--heads", remote, ref, check=False)
    if listed.returncode != 0:
        detail = (listed.stderr or listed.stdout).strip()
        raise PublishError(f"cannot reach remote '{remote}': {detail}")
    line = listed.stdout.strip()
    if not line:
        return None
    tip = line.split()[0]
    if git.run("cat-file", "-e", f"{tip}^{{commit}}", check=False).returncode != 0:
        # A CI checkout is often shallow: then the tip alone is enough to build on.
        shallow = git.out("rev-parse", "--is-shallow-repository") == "true"
        git.run("fetch", "--quiet", "--no-tags", *(["--depth=1"] if shallow else []), remote, ref)
    return tip


def _local_tip(git: _Git, ref: str) -> str | None:
    found = git.run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    return found.stdout.strip() or None


def _write_tree(git: _Git, site_dir: Path, files: Sequence[str]) -> str:
    """Hash every file as it is (no filters) into a tree built in a private index."""
    with tempfile.TemporaryDirectory(prefix="statuspress-publish-") as tmp:
        paths = [str((site_dir / f).resolve()) for f in files]
        if NOJEKYLL not in files:
            empty = Path(tmp, NOJEKYLL)
            empty.write_bytes(b"")
            paths.append(str(empty))
        names = [*files, *([] if NOJEKYLL in files else [NOJEKYLL])]
        shas = git.out(
            "hash-object", "-w", "--no-filters", "--stdin-paths", input="\n".join(paths) + "\n"
        ).split()
        if len(shas) != len(names):
            raise PublishError("git hash-object did not hash every file")
        lines = []
        for name, sha, path in zip(names, shas, paths, strict=True):
            mode = "100755" if os.stat(path).st_mode & stat.S_IXUSR else "100644"
            lines.append(f"{mode} {sha}\t{name}")
        env = {"GIT_INDEX_FILE": str(Path(tmp, "index"))}
        git.run("update-index", "--add", "--index-info", input="\n".join(lines) + "\n", env=env)
        return git.out("write-tree", env=env)


def _commit(git: _Git, tree: str, parent: str | None, message: str | None) -> str:
    if message is None:
        head = git.run("rev-parse", "--short=12", "HEAD", check=False).stdout.strip()
        message = f"{DEFAULT_MESSAGE} (from {head})" if head else DEFAULT_MESSAGE
    env = {}
    if not git.run("config", "user.email", check=False).stdout.strip():
        env = dict(_FALLBACK_IDENTITY)  # CI runners often have no identity configured
    args = ["commit-tree", tree, "-m", message]
    if parent:
        args += ["-p", parent]
    return git.out(*args, env=env)


def _update_local(git: _Git, ref: str, commit: str) -> str:
    """Move the local branch to what the remote has, unless a worktree has it checked out."""
    worktrees = git.run("worktree", "list", "--porcelain", check=False).stdout
    if f"branch {ref}" in worktrees.splitlines():
        return f" (local {ref[11:]} is checked out, so it was left alone)"
    moved = git.run("update-ref", ref, commit, check=False)
    if moved.returncode != 0:
        # The remote has the site already; a stale lock must not turn that into a failure.
        return f" (local {ref[11:]} not updated: {moved.stderr.strip()})"
    return ""


# -- directory ---------------------------------------------------------------------------------


def publish_dir(site_dir: Path, files: Sequence[str], target: Path) -> str:
    source, dest = site_dir.resolve(), target.resolve()
    if dest == source or source in dest.parents or dest in source.parents:
        raise UsageError(f"--to {target} overlaps the site folder {site_dir}")
    if dest == Path(dest.anchor) or dest == Path.home().resolve() or dest == Path.cwd().resolve():
        raise UsageError(f"refusing to publish over {target}")
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise PublishError(f"{target} exists and is not a folder; refusing to replace it")
    if target.is_dir() and any(target.iterdir()) and not (target / NOJEKYLL).exists():
        raise PublishError(
            f"{target} is not empty and was not published by statuspress (no {NOJEKYLL}); "
            "refusing to replace it"
        )
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=parent))
    except OSError as exc:
        raise PublishError(f"cannot create {parent}: {exc.strerror or exc}") from exc
    try:
        for rel in files:
            dest_file = staging / rel
            dest_file.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(site_dir / rel, dest_file)
            shutil.copymode(site_dir / rel, dest_file)
        (staging / NOJEKYLL).touch()
        os.chmod(staging, 0o755)
        swap(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise PublishError(
            f"cannot publish to {target}: {exc.strerror or exc}; the published site is unchanged"
        ) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    count = len(files) + (0 if NOJEKYLL in files else 1)
    return f"Published {count} files to {target}"
