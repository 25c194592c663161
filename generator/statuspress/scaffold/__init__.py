"""``statuspress init DIR``: a new site repository that passes ``check`` and builds at once.

The example content lives in ``scaffold/template/`` (``$name`` placeholders, filled with
:class:`string.Template`); dates are relative to "now" so a new site has no stale runbook or
overdue action item. ``mkdocs.yml`` and the CI files are the statuspress repository's own
(one source of truth, tested to stay valid): read from the repository in a source checkout,
from copies placed in ``scaffold/shipped/`` when the wheel is built (see pyproject.toml); the
CI files are pinned to this release on the way (:mod:`.ci`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from .. import __version__, definitions
from ..errors import StatuspressError, UsageError
from ..schemas_out import schema_texts
from . import ci

HERE = Path(__file__).resolve().parent
SITE = HERE / "template"
SHIPPED = HERE / "shipped"
REPO = HERE.parents[2]
# output path -> (packaged copy, path in the statuspress repository)
REPO_FILES = {
    "mkdocs.yml": "mkdocs.yml",
    ".github/workflows/status.yml": ".github/workflows/status.yml",
    ".gitlab-ci.yml": ".gitlab-ci.yml",
    ".github/workflows/alert-intake.yml": ".github/workflows/alert-intake.yml",
    ".gitlab/alert-intake.gitlab-ci.yml": ".gitlab/alert-intake.gitlab-ci.yml",
}
EXAMPLE_DAYS_AGO = 10


def shipped_file(rel: str) -> Path:
    """A file shipped from the statuspress repository (mkdocs.yml, CI workflows)."""
    packaged = SHIPPED / rel.replace("/", "__")
    if packaged.is_file():
        return packaged
    source = REPO / REPO_FILES[rel]
    if source.is_file():
        return source
    raise StatuspressError(f"statuspress is installed without its {rel} template; reinstall it")


@dataclass(frozen=True)
class Created:
    """What ``init`` did: the files written, where CI installs from, and whether it ran git."""

    files: list[Path]
    action: str
    install: str
    git_initialised: bool
    replaced: list[str] = field(default_factory=list)


def init(
    directory: Path,
    *,
    title: str = "Example Status",
    base_url: str = "https://status.example.com/",
    now: dt.datetime | None = None,
    install: str | None = None,
    action_repo: str | None = None,
    force: bool = False,
    git: bool = True,
) -> Created:
    """Create the site repository in ``directory``; return what was written.

    A new or empty folder appears complete or not at all. In a folder that already holds
    files (a fresh clone, say), init adds its files beside them and refuses to replace one
    unless ``force``. ``git`` runs ``git init`` when the folder is not inside a repository.
    """
    from ..authoring.common import scalar

    title = " ".join(title.split())
    if not title:
        raise UsageError("--title must not be empty")
    base_url = definitions.base_url(base_url)  # site.yaml's rule: init writes it there
    if directory.is_symlink() or (directory.exists() and not directory.is_dir()):
        raise StatuspressError(f"{directory} exists and is not a folder")
    action = ci.action_ref(action_repo)
    spec = ci.install_spec(install)
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    values = _values(moment)
    values.update(
        title=title,
        title_yaml=scalar(title),
        description_yaml=scalar(f"Live status of {title} services."),
        base_url_yaml=scalar(base_url),
        action=action,
        install=spec,
        version=__version__,
        action_repo=action.partition("@")[0],
    )
    files = _render(values)
    files["mkdocs.yml"] = re.sub(
        r"(?m)^site_name:.*$",
        lambda _m: f"site_name: {scalar(title + ' knowledge base')}",
        shipped_file("mkdocs.yml").read_text(encoding="utf-8"),
        count=1,
    )
    files[".github/workflows/status.yml"] = ci.github_workflow(
        shipped_file(".github/workflows/status.yml").read_text(encoding="utf-8"),
        action,
        spec if install else None,
    )
    files[".gitlab-ci.yml"] = ci.gitlab_ci(
        shipped_file(".gitlab-ci.yml").read_text(encoding="utf-8"), spec
    )
    # Alert intake (docs/alert-intake.md): both files install what the rest of CI installs.
    for rel in (".github/workflows/alert-intake.yml", ".gitlab/alert-intake.gitlab-ci.yml"):
        files[rel] = ci.pin_install(shipped_file(rel).read_text(encoding="utf-8"), spec)
    files.update(ci.editor_files())
    files.update({f"schemas/{name}": text for name, text in schema_texts().items()})
    directory = directory.absolute()
    filling = directory.is_dir() and any(directory.iterdir())
    replaced = sorted(rel for rel in files if (directory / rel).exists())
    if replaced and not force:
        shown = ", ".join(replaced[:5]) + (f" and {len(replaced) - 5} more" if replaced[5:] else "")
        raise StatuspressError(
            f"{directory} already has {shown}; init replaces files only with --force"
        )
    clashes = [rel for rel in replaced if not (directory / rel).is_file()]
    if clashes:
        raise StatuspressError(f"{directory / clashes[0]} exists and is not a file")
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.init-", dir=directory.parent))
    try:
        for rel, text in sorted(files.items()):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        os.chmod(staging, 0o777 & ~_umask())
        _check(staging / "content", moment)
        if filling:
            _move_into(staging, directory, sorted(files))
        else:
            # One rename: the folder appears complete or not at all (an empty one is replaced).
            os.rename(staging, directory)
    except OSError as exc:
        raise StatuspressError(f"cannot create {directory}: {exc.strerror or exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    initialised = git and _git_init(directory)
    return Created(
        files=[directory / rel for rel in sorted(files)],
        action=action,
        install=spec,
        git_initialised=initialised,
        replaced=replaced,
    )


def _move_into(staging: Path, directory: Path, rels: list[str]) -> None:
    # Each file replaces its target in one rename, so none is ever half written.
    for rel in rels:
        target = directory / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, target)


def _git_init(directory: Path) -> bool:
    """``git init`` (branch main, which the workflows deploy) unless already in a repository."""
    git = shutil.which("git")
    if git is None:
        return False
    inside = subprocess.run(
        [git, "-C", str(directory), "rev-parse", "--is-inside-work-tree"],
        capture_output=True,
        text=True,
    )
    if inside.returncode == 0:
        return False
    done = subprocess.run(
        [git, "init", "--quiet", "--initial-branch=main", str(directory)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise StatuspressError(f"git init {directory} failed: {done.stderr.strip()}")
    return True


def _values(now: dt.datetime) -> dict[str, str]:
    day = (now - dt.timedelta(days=EXAMPLE_DAYS_AGO)).replace(
        hour=9, minute=12, second=0, microsecond=0
    )

    def at(minutes: int) -> str:
        return (day + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")

    today = now.date()
    return {
        "started_at": at(0),
        "detected_at": at(2),
        "acknowledged_at": at(4),
        "identified_at": at(18),
        "mitigated_at": at(41),
        "resolved_at": at(70),
        "due": (today + dt.timedelta(days=30)).isoformat(),
        "review_by": (today + dt.timedelta(days=180)).isoformat(),
        "today": today.isoformat(),
        "incident_id": f"{day.date().isoformat()}-sign-in-errors",
        "year": f"{day.year:04d}",
    }


def _render(values: dict[str, str]) -> dict[str, str]:
    files: dict[str, str] = {}
    for source in sorted(SITE.rglob("*")):
        if not source.is_file():
            continue
        rel = source.relative_to(SITE).as_posix()
        if rel == "gitignore":
            rel = ".gitignore"
        elif rel == "content/incidents/example.md":
            rel = f"content/incidents/{values['year']}/{values['incident_id']}.md"
        files[rel] = Template(source.read_text(encoding="utf-8")).substitute(values)
    return files


def _check(content: Path, now: dt.datetime) -> None:
    from ..errors import ContentError
    from ..loader import load

    result = load(content, now)
    if result.errors:
        raise ContentError(result.errors)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current
