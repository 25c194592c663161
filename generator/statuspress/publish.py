"""``statuspress publish``: put the built public site on a Pages branch or into a directory.

Both targets are atomic: a reader (GitHub/GitLab Pages, a web server) sees the previous site or
the new one, never a mix, and a failed or killed publish leaves the previous site as it was.

``--to git:BRANCH`` builds a commit with git plumbing alone, in a private index (GIT_INDEX_FILE in
a temporary folder): ``hash-object`` for every file (no filters, so the bytes are exactly the
build's), ``update-index``/``write-tree`` for the tree, ``commit-tree`` on top of the branch's
current tip on the remote (or an orphan first commit). Then one ``git push`` of
``<commit>:refs/heads/BRANCH``: the remote updates the ref atomically or not at all. The local
branch ref moves only after the push succeeded, only forward, and never when that branch is
checked out. The user's working tree, index and current branch are never touched. An unchanged
site makes no commit, so a scheduled rebuild does not grow the branch.

Publishing never replaces source: without ``--force`` it refuses a branch that is checked out
in a worktree of the repository, the remote's default branch (unless statuspress published
it), and any existing branch whose tip lacks the :data:`~statuspress.outdir.MARKER` file that
every published site carries. ``HEAD``, ``refs/...`` and names git would not take as a branch
are refused always.

``--to DIR`` copies into a sibling staging folder and swaps it in (like the build's writer),
holding the folder's lock. It only replaces a folder that is empty or carries the marker, so a
typo cannot wipe out an unrelated folder.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import StatuspressError, UsageError
from .outdir import MARKER, check_replaceable, locked, marker_kind, marker_text, parse_marker
from .writer import swap

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


def _quiet(_: str) -> None:
    return None


def publish(
    site_dir: Path,
    target: str,
    *,
    remote: str = "origin",
    repo: Path = Path("."),
    message: str | None = None,
    force: bool = False,
    notify: Callable[[str], None] = _quiet,
) -> str:
    """Publish ``site_dir`` to ``git:BRANCH`` or a directory; return a one-line summary.

    ``force`` lifts the refusals that protect what statuspress did not write (see above).
    """
    files = site_files(site_dir)
    if target.startswith("git:"):
        branch = target[4:]
        if not branch:
            raise UsageError("--to git:BRANCH needs a branch name, e.g. git:gh-pages")
        return publish_git(
            site_dir, files, branch, remote=remote, repo=repo, message=message, force=force
        )
    if not target:
        raise UsageError("--to needs git:BRANCH or a directory")
    return publish_dir(site_dir, files, Path(target), force=force, notify=notify)


def extras(files: Sequence[str]) -> dict[str, bytes]:
    """What publishing adds to a site that lacks it: ``.nojekyll`` and the marker."""
    wanted = {NOJEKYLL: b"", MARKER: marker_text("public").encode()}
    return {name: data for name, data in wanted.items() if name not in files}


def site_files(site_dir: Path) -> list[str]:
    """Every file of the built site (relative POSIX paths, sorted); refuse what is not a site."""
    if not site_dir.is_dir():
        raise PublishError(f"{site_dir} does not exist: run `statuspress build` first")
    if not (site_dir / "index.html").is_file():
        raise PublishError(f"{site_dir} has no index.html: is it a built public site?")
    if (site_dir / "search" / "search_index.json").is_file() or marker_kind(site_dir) not in (
        None,
        "public",
    ):
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
    force: bool = False,
) -> str:
    git = _Git(repo)
    if git.run("rev-parse", "--git-dir", check=False).returncode != 0:
        raise PublishError(f"{repo} is not a git repository (pass --repo)")
    ref = f"refs/heads/{_branch_name(git, branch)}"
    remote_tip, default = _remote_tips(git, remote, ref)
    parent = remote_tip or _local_tip(git, ref)
    if not force:
        _refuse_source_branch(git, branch, parent, default, remote)
    tree = _write_tree(git, site_dir, files)
    count = len(files) + len(extras(files))
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


def _branch_name(git: _Git, branch: str) -> str:
    """``branch`` if git takes it, as written, for a branch name; refuse it otherwise."""
    if branch.startswith("refs/") or branch in ("HEAD", "@"):
        raise UsageError(
            f"git:{branch}: give the branch name alone (e.g. git:gh-pages), not a ref or HEAD"
        )
    checked = git.run("check-ref-format", "--branch", branch, check=False)
    # --branch expands @{-1} and the like: only a name that stays as written is a name.
    if checked.returncode != 0 or checked.stdout.strip() != branch:
        raise UsageError(f"'{branch}' is not a valid branch name")
    return branch


def _refuse_source_branch(
    git: _Git, branch: str, tip: str | None, default: str | None, remote: str
) -> None:
    """Refuse a branch that may hold source: publishing replaces every file on it."""
    ref = f"refs/heads/{branch}"
    hint = "publish to a branch of its own (e.g. git:gh-pages), or pass --force"
    worktree = ""
    for line in git.run("worktree", "list", "--porcelain", check=False).stdout.splitlines():
        if line.startswith("worktree "):
            worktree = line[len("worktree ") :]
        elif line == f"branch {ref}":
            raise PublishError(
                f"branch {branch} is checked out in {worktree}: publishing would replace its "
                f"files with the site; {hint}"
            )
    published = tip is not None and _published_tip(git, tip)
    if default == ref and not published:
        raise PublishError(
            f"{branch} is the default branch of remote '{remote}': publishing would replace "
            f"its files with the site; {hint}"
        )
    if tip is not None and not published:
        raise PublishError(
            f"branch {branch} holds files statuspress did not publish (its tip {tip[:12]} has "
            f"no {MARKER}); publishing would replace them; {hint}"
        )


def _published_tip(git: _Git, tip: str) -> bool:
    shown = git.run("cat-file", "blob", f"{tip}:{MARKER}", check=False)
    return shown.returncode == 0 and parse_marker(shown.stdout) == "public"


def _remote_tips(git: _Git, remote: str, ref: str) -> tuple[str | None, str | None]:
    """The branch's tip on the remote (fetched so the new commit can build on it) and the
    remote's default branch (a full ref), each None when there is none."""
    listed = git.run("ls-remote", "--symref", remote, "HEAD", ref, check=False)
    if listed.returncode != 0:
        detail = (listed.stderr or listed.stdout).strip()
        raise PublishError(f"cannot reach remote '{remote}': {detail}")
    tip = default = None
    for line in listed.stdout.splitlines():
        value, _, name = line.partition("\t")
        if name == "HEAD" and value.startswith("ref: "):
            default = value[len("ref: ") :]
        elif name == ref:
            tip = value.split()[0]
    if default is None:  # a remote that does not say: what the last fetch remembered
        found = git.run("symbolic-ref", "--quiet", f"refs/remotes/{remote}/HEAD", check=False)
        local = found.stdout.strip()
        prefix = f"refs/remotes/{remote}/"
        default = f"refs/heads/{local[len(prefix) :]}" if local.startswith(prefix) else None
    if tip is None:
        return None, default
    if git.run("cat-file", "-e", f"{tip}^{{commit}}", check=False).returncode != 0:
        # A CI checkout is often shallow: then the tip alone is enough to build on.
        shallow = git.out("rev-parse", "--is-shallow-repository") == "true"
        git.run("fetch", "--quiet", "--no-tags", *(["--depth=1"] if shallow else []), remote, ref)
    return tip, default


def _local_tip(git: _Git, ref: str) -> str | None:
    found = git.run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    return found.stdout.strip() or None


def _write_tree(git: _Git, site_dir: Path, files: Sequence[str]) -> str:
    """Hash every file as it is (no filters) into a tree built in a private index."""
    with tempfile.TemporaryDirectory(prefix="statuspress-publish-") as tmp:
        paths = [str((site_dir / f).resolve()) for f in files]
        added = extras(files)
        for name, data in added.items():
            Path(tmp, name).write_bytes(data)
            paths.append(str(Path(tmp, name)))
        names = [*files, *added]
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
    """Move the local branch forward to what the remote has, unless it is checked out."""
    worktrees = git.run("worktree", "list", "--porcelain", check=False).stdout
    if f"branch {ref}" in worktrees.splitlines():
        return f" (local {ref[11:]} is checked out, so it was left alone)"
    local = _local_tip(git, ref)
    if local and git.run("merge-base", "--is-ancestor", local, commit, check=False).returncode:
        # Commits only the local branch has would be lost if it moved.
        return f" (local {ref[11:]} has commits the remote lacks, so it was left alone)"
    moved = git.run("update-ref", ref, commit, check=False)
    if moved.returncode != 0:
        # The remote has the site already; a stale lock must not turn that into a failure.
        return f" (local {ref[11:]} not updated: {moved.stderr.strip()})"
    return ""


# -- directory ---------------------------------------------------------------------------------


def publish_dir(
    site_dir: Path,
    files: Sequence[str],
    target: Path,
    *,
    force: bool = False,
    notify: Callable[[str], None] = _quiet,
) -> str:
    source, dest = site_dir.resolve(), target.resolve()
    if dest == source or source in dest.parents or dest in source.parents:
        raise UsageError(f"--to {target} overlaps the site folder {site_dir}")
    if dest == Path(dest.anchor) or dest == Path.home().resolve() or dest == Path.cwd().resolve():
        raise UsageError(f"refusing to publish over {target}")
    check_replaceable(target, force=force)  # before the lock: a refusal creates nothing
    with locked([target], notify):
        check_replaceable(target, force=force)
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
        except OSError as exc:
            raise PublishError(f"cannot create {target.parent}: {exc.strerror or exc}") from exc
        try:
            for rel in files:
                dest_file = staging / rel
                dest_file.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(site_dir / rel, dest_file)
                shutil.copymode(site_dir / rel, dest_file)
            for name, data in extras(files).items():
                (staging / name).write_bytes(data)
            os.chmod(staging, 0o755)
            swap(staging, target)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise PublishError(
                f"cannot publish to {target}: {exc.strerror or exc}; the published site is "
                "unchanged"
            ) from exc
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    count = len(files) + len(extras(files))
    return f"Published {count} files to {target}"
