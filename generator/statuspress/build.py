"""The staged build: read -> validate -> derive -> render -> write.

Nothing is written until every file has been read and validated and every page rendered; the
writers then swap each finished site in atomically. The public and internal sites go to
separate directories (``OUT/public`` and ``OUT/internal``) and never into each other; both are
checked before either is swapped, so a failed build leaves both as they were. The build holds
the lock of each site it writes from the first folder it creates to the last swap.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import definitions
from .derive import World
from .errors import Diagnostic, UsageError
from .loader import load_valid
from .outdir import check_replaceable, locked
from .writer import SiteWriter, commit_all

if TYPE_CHECKING:
    from .internal import Prepared
    from .loader import Loaded

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass(slots=True)
class BuildReport:
    out: Path
    seconds: float = 0.0
    public_files: int = 0
    internal_files: int = 0
    incidents: int = 0
    warnings: list[Diagnostic] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)
    """Seconds spent per stage (read, render, write) of a public-only build, for benchmarks."""

    def summary(self) -> str:
        parts = []
        if self.public_files:
            parts.append(f"public site ({self.public_files} files) in {self.out / 'public'}")
        if self.internal_files:
            parts.append(f"internal site ({self.internal_files} files) in {self.out / 'internal'}")
        built = " and ".join(parts) or "nothing"
        warn = f", {len(self.warnings)} warnings" if self.warnings else ""
        return f"Built {built} from {self.incidents} incidents in {self.seconds:.2f}s{warn}"


def build(
    content_dir: Path,
    out: Path,
    now: dt.datetime,
    *,
    public: bool = True,
    internal: bool = True,
    base_url: str | None = None,
    progress: Progress = _quiet,
    force: bool = False,
    notify: Progress = _quiet,
) -> BuildReport:
    """Build the requested sites from ``content_dir`` into ``out``.

    ``force``: replace ``OUT/public`` and ``OUT/internal`` even if statuspress did not write
    them. ``notify``: told when the build waits for another one writing the same folders.
    """
    if not public and not internal:
        raise UsageError("nothing to build: --public-only and --internal-only exclude each other")
    if base_url is not None:
        base_url = definitions.base_url(base_url)  # before reading: a typo costs nothing
    started = time.perf_counter()
    progress("reading and validating content")
    dests = [out / site for site, wanted in (("public", public), ("internal", internal)) if wanted]
    if not internal:
        from .public import load_public

        loaded = load_public(content_dir, now)
        read = time.perf_counter()
    else:
        result = load_valid(content_dir, now)
    # Locked only once the content is valid: a build refused for its content creates nothing.
    with locked(dests, notify):
        for dest in dests:  # before rendering: a folder we may not replace stops the build now
            check_replaceable(dest, force=force)
        if not internal:
            return _build_public_only(loaded, out, now, base_url, progress, (started, read), force)
        world = result.world
        if base_url:
            world.content.site.base_url = base_url
        report = BuildReport(
            out=out, incidents=len(world.content.incidents), warnings=result.warnings
        )
        writers: list[SiteWriter] = []
        try:
            if public:
                progress("rendering the public site")
                writers.append(render_public(world, out / "public"))
                report.public_files = writers[-1].count
            if internal:
                from .internal import prepare

                progress("rendering the internal site")
                prepared = prepare(world, progress)
                # mkdocs needs none of the content models: their memory (about 170 MB at
                # 10,000 incidents) is freed for its build to reuse, instead of the build's
                # peak being mkdocs' on top of them.
                del world, result
                gc.collect()
                writers.append(render_internal(prepared, out / "internal", progress))
                report.internal_files = writer_count(writers[-1])
        except BaseException:
            for writer in writers:
                writer.discard()
            raise
        progress("writing")
        commit_all(writers, force=force)  # both sites or neither
    report.seconds = time.perf_counter() - started
    return report


def _build_public_only(
    loaded: Loaded,
    out: Path,
    now: dt.datetime,
    base_url: str | None,
    progress: Progress,
    times: tuple[float, float],
    force: bool,
) -> BuildReport:
    """The public site alone: incidents are projected as they are read (no full model)."""
    from .public import assemble, render_site

    started, read = times  # the read ends before the build waits for the lock
    content = loaded.content
    if base_url:
        content.site.base_url = base_url
    report = BuildReport(out=out, incidents=loaded.incidents, warnings=loaded.warnings)
    progress("rendering the public site")
    writer = SiteWriter(out / "public", "public")
    writer.stage()
    try:
        render_site(assemble(content, loaded.kept, now), content, writer)
        writer.mark()
    except BaseException:
        writer.discard()
        raise
    report.public_files = writer.count
    rendered = time.perf_counter()
    progress("writing")
    writer.commit(force=force)
    done = time.perf_counter()
    report.seconds = done - started
    report.stages = {"read": read - started, "render": rendered - read, "write": done - rendered}
    return report


def render_public(world: World, dest: Path) -> SiteWriter:
    from .public import render

    writer = SiteWriter(dest, "public")
    render(world, writer)
    writer.mark()
    return writer


def render_internal(prepared: Prepared, dest: Path, progress: Progress = _quiet) -> SiteWriter:
    from .internal import render

    writer = SiteWriter(dest, "internal")
    render(prepared, writer, progress)
    writer.mark()
    return writer


def writer_count(writer: SiteWriter) -> int:
    total = len(writer.files)
    for _, tree in writer.trees:
        total += sum(1 for p in tree.rglob("*") if p.is_file())
    return total
