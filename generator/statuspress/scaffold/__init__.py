"""``statuspress init DIR``: a new site repository that passes ``check`` and builds at once.

The example content lives in ``scaffold/template/`` (``$name`` placeholders, filled with
:class:`string.Template`); dates are relative to "now" so a new site has no stale runbook or
overdue action item. ``mkdocs.yml`` and the CI files are the statuspress repository's own
(one source of truth, tested to stay valid): read from the repository in a source checkout,
from copies placed in ``scaffold/shipped/`` when the wheel is built (see pyproject.toml).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from pathlib import Path
from string import Template

from .. import definitions
from ..errors import StatuspressError, UsageError

HERE = Path(__file__).resolve().parent
SITE = HERE / "template"
SHIPPED = HERE / "shipped"
REPO = HERE.parents[2]
# output path -> (packaged copy, path in the statuspress repository)
REPO_FILES = {
    "mkdocs.yml": "mkdocs.yml",
    ".github/workflows/status.yml": ".github/workflows/status.yml",
    ".gitlab-ci.yml": ".gitlab-ci.yml",
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


def init(
    directory: Path,
    *,
    title: str = "Example Status",
    base_url: str = "https://status.example.com/",
    now: dt.datetime | None = None,
) -> list[Path]:
    """Create the site repository in ``directory`` (absent or empty); return the files written."""
    from ..authoring.common import scalar

    title = " ".join(title.split())
    if not title:
        raise UsageError("--title must not be empty")
    base_url = definitions.base_url(base_url)  # site.yaml's rule: init writes it there
    if directory.is_symlink() or (directory.exists() and not directory.is_dir()):
        raise StatuspressError(f"{directory} exists and is not a folder")
    if directory.is_dir() and any(directory.iterdir()):
        raise StatuspressError(f"{directory} is not empty; init only fills a new or empty folder")
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    values = _values(moment)
    values.update(
        title=title,
        title_yaml=scalar(title),
        description_yaml=scalar(f"Live status of {title} services."),
        base_url_yaml=scalar(base_url),
    )
    files = _render(values)
    files["mkdocs.yml"] = re.sub(
        r"(?m)^site_name:.*$",
        lambda _m: f"site_name: {scalar(title + ' knowledge base')}",
        shipped_file("mkdocs.yml").read_text(encoding="utf-8"),
        count=1,
    )
    for rel in (".github/workflows/status.yml", ".gitlab-ci.yml"):
        files[rel] = shipped_file(rel).read_text(encoding="utf-8")
    directory = directory.absolute()
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.init-", dir=directory.parent))
    try:
        for rel, text in sorted(files.items()):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        os.chmod(staging, 0o777 & ~_umask())
        _check(staging / "content", moment)
        # One rename: the folder appears complete or not at all (an empty folder is replaced).
        os.rename(staging, directory)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise StatuspressError(f"cannot create {directory}: {exc.strerror or exc}") from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [directory / rel for rel in sorted(files)]


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
    from ..check import load
    from ..errors import ContentError

    result = load(content, now)
    if result.errors:
        raise ContentError(result.errors)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current
