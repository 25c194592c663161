"""The ``statuspress`` command: a thin click layer over the library.

Each command parses its options, calls one library function and prints a one-line summary.
This is the only place that turns exceptions into messages and exit codes: 0 success,
1 content or build errors, 2 usage errors. A user's mistake never shows a traceback.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .clock import resolve_now
from .errors import BuildError, ContentError, StatuspressError, printable

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


def progress_printer() -> Callable[[str], None]:
    """Stage lines on a terminal; silence in CI and pipes."""
    if not _interactive():
        return lambda _message: None
    start = time.perf_counter()

    def show(message: str) -> None:
        click.secho(f"[{time.perf_counter() - start:6.2f}s] {message}", err=True, dim=True)

    return show


def _printable_click_error(exc: click.ClickException) -> None:
    """click's own errors echo what was typed (`'x' is not one of ...`): escape controls.

    StatuspressError escapes in its ``format_message``; click's classes are escaped here.
    """
    if not isinstance(exc, StatuspressError):
        exc.message = printable(exc.message)  # type: ignore[misc]  # Final only in typing


class Group(click.Group):
    """Translate foreign exceptions into one-line errors at this single boundary."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.ClickException as exc:  # `statuspress --bad-option`
            _printable_click_error(exc)
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ContentError as exc:
            for diag in exc.diagnostics:
                click.echo(diag.format(), err=True)
            raise
        except StatuspressError:
            raise
        except click.ClickException as exc:  # a subcommand's usage error, an unknown command
            _printable_click_error(exc)
            raise
        except OSError as exc:
            name = f" {exc.filename}" if exc.filename else ""
            raise BuildError(f"cannot access{name}: {exc.strerror or exc}") from exc
        except Exception as exc:
            # jinja2 is only imported by commands that render; `check` must not pay for it.
            jinja2 = sys.modules.get("jinja2")
            if jinja2 is None or not isinstance(exc, jinja2.TemplateError):
                raise
            where = (
                f"{exc.filename}:{exc.lineno}: "
                if isinstance(exc, jinja2.TemplateSyntaxError)
                else ""
            )
            raise BuildError(f"template error: {where}{exc}") from exc
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)


def content_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--content",
        "content_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("content"),
        show_default=True,
        help="The content folder (site.yaml, services.yaml, incidents/, ...).",
    )(func)


def now_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--now",
        metavar="TIMESTAMP",
        help="Build as if it were this moment (ISO 8601 with offset, or @EPOCH). "
        "Default: $SOURCE_DATE_EPOCH, else the clock.",
    )(func)


@click.group(cls=Group, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="statuspress")
def cli() -> None:
    """Docs-as-code status page and incident knowledge base.

    One folder of Markdown and YAML (content/) becomes a public status page (site/public) and an
    internal knowledge base for responders (site/internal).
    """


@cli.command(context_settings=CONTEXT)
@content_option
@now_option
@click.option(
    "--strict",
    is_flag=True,
    help="Fail on warnings too (stale runbooks, overdue "
    "P0/P1 action items, SEV-1/2 without postmortem).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
    help="text: path:line: field: message; github: workflow annotations; json: a list.",
)
def check(content_dir: Path, now: str | None, strict: bool, fmt: str) -> None:
    """Validate every file and cross-reference; report every problem.

    Exit status: 0 clean, 1 content errors (or warnings with --strict), 2 usage errors.
    """
    from .check import diagnose, format_diagnostics

    started = time.perf_counter()
    result = diagnose(content_dir, resolve_now(now))
    text = format_diagnostics(result.diagnostics, fmt)
    if text:
        click.echo(text)
    n_err, n_warn = len(result.errors), len(result.warnings)
    click.echo(
        f"Checked {result.incidents} incidents, {result.known_errors} known errors, "
        f"{result.runbooks} runbooks, {result.services} services in {printable(str(content_dir))} "
        f"in {time.perf_counter() - started:.2f}s: {n_err} errors, {n_warn} warnings",
        err=True,
    )
    if n_err or (strict and n_warn):
        sys.exit(1)


@cli.command(context_settings=CONTEXT)
@content_option
@now_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("site"),
    show_default=True,
    help="Output folder; sites go to OUT/public and OUT/internal.",
)
@click.option("--public-only", is_flag=True, help="Build only the public status page.")
@click.option("--internal-only", is_flag=True, help="Build only the internal knowledge base.")
@click.option("--base-url", metavar="URL", help="Override site.yaml's base_url (feeds, links).")
@click.option(
    "--force",
    is_flag=True,
    help="Replace OUT/public and OUT/internal even if statuspress did not write them.",
)
def build(
    content_dir: Path,
    now: str | None,
    out: Path,
    public_only: bool,
    internal_only: bool,
    base_url: str | None,
    force: bool,
) -> None:
    """Build the public status page and the internal knowledge base.

    Atomic: on any error nothing is written and the previous output stays whole. Only
    folders that statuspress wrote (or empty ones) are replaced; a second build into the
    same OUT waits for the first.
    """
    from .build import build as run_build
    from .errors import UsageError

    if public_only and internal_only:
        raise UsageError("--public-only and --internal-only exclude each other")
    report = run_build(
        content_dir,
        out,
        resolve_now(now),
        public=not internal_only,
        internal=not public_only,
        base_url=base_url,
        progress=progress_printer(),
        force=force,
        notify=lambda message: click.echo(f"{message} ...", err=True),
    )
    for warning in report.warnings:
        click.echo(warning.format(), err=True)
    click.echo(printable(report.summary()))


@cli.command(context_settings=CONTEXT)
@content_option
@now_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("site"),
    show_default=True,
    help="Where the served build is written.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port; the internal site is served on PORT+1.",
)
@click.option("--public-only", is_flag=True, help="Serve only the public status page.")
def serve(
    content_dir: Path, now: str | None, out: Path, host: str, port: int, public_only: bool
) -> None:
    """Build, serve both sites, rebuild on every change and reload open pages.

    When an edit breaks validation, the last good build stays served and the page shows the
    error (file, line, message) until it is fixed.
    """
    from .serve import serve as run_serve

    def log(message: str) -> None:
        click.echo(printable(message, lines=True))

    run_serve(content_dir, out, host=host, port=port, now=now, public_only=public_only, log=log)


@cli.command(context_settings=CONTEXT)
@content_option
@now_option
@click.argument("kind", type=click.Choice(["incident", "maintenance", "known-error", "runbook"]))
@click.argument("title", required=False)
@click.option(
    "--service",
    "services",
    multiple=True,
    metavar="ID[=STATUS]",
    help="Affected service id (repeatable); incidents may add its status, e.g. "
    "payments-api=major_outage (default from the severity).",
)
@click.option(
    "--severity",
    type=click.Choice(["SEV-1", "SEV-2", "SEV-3", "SEV-4"]),
    help="Severity of a new incident (default SEV-3).",
)
@click.option("--start", metavar="TIMESTAMP", help="Maintenance window start (ISO 8601).")
@click.option("--end", metavar="TIMESTAMP", help="Maintenance window end (ISO 8601).")
@click.option("--owner", help="Owner of a new known error or runbook.")
@click.option(
    "--from-alert",
    "from_alert",
    metavar="FILE|-",
    help="Open a draft incident from an alert webhook payload (a file, or - for stdin): "
    "Alertmanager, Grafana, PagerDuty, Opsgenie or Datadog. A later event of the same alert "
    "updates that incident instead.",
)
@click.option(
    "--template",
    type=click.Choice(["initial", "progress", "resolution"]),
    help="Communication template for a new incident's first update (default: initial).",
)
@click.option(
    "--next-update",
    metavar="DURATION",
    help="When the first update promises the next one, e.g. 30m, 2h (default 30m).",
)
@click.option(
    "--format",
    "alert_format",
    metavar="NAME",
    help="The payload's format (alertmanager, grafana, pagerduty, opsgenie, datadog, or a "
    "plugin's); default: detected from the payload.",
)
def new(
    content_dir: Path,
    now: str | None,
    kind: str,
    title: str | None,
    services: tuple[str, ...],
    severity: str | None,
    start: str | None,
    end: str | None,
    owner: str | None,
    from_alert: str | None,
    template: str | None,
    next_update: str | None,
    alert_format: str | None,
) -> None:
    """Write a new incident, maintenance, known error or runbook from a template.

    The file passes `statuspress check` at once; its path is printed. With --from-alert the
    title, services, severity and times come from the alert, and the draft is not public.
    """
    from .errors import UsageError

    if from_alert is not None:
        from .alerts.intake import intake, read_payload

        if (
            kind != "incident"
            or title
            or services
            or severity
            or start
            or end
            or owner
            or (template or next_update)
        ):
            raise UsageError(
                "--from-alert takes only `new incident --from-alert FILE` (the alert gives the "
                "title, services and severity)"
            )
        result = intake(
            content_dir, read_payload(from_alert), fmt=alert_format, now=resolve_now(now)
        )
        click.echo(result.summary())
        return
    if alert_format is not None:
        raise UsageError("--format is only for --from-alert")
    if not title:
        raise UsageError(f"a new {kind} needs a TITLE (or, for an incident, --from-alert FILE)")
    from .authoring import new_file

    path = new_file(
        content_dir,
        kind,
        title,
        services=list(services),
        severity=severity,
        start=start,
        end=end,
        owner=owner,
        now=resolve_now(now),
        template=template,
        next_update=next_update,
    )
    click.echo(path)


@cli.command(context_settings=CONTEXT)
@content_option
@now_option
@click.argument("incident")
@click.option(
    "--status",
    required=True,
    help="investigating, identified, monitoring, resolved "
    "(maintenance: scheduled, in_progress, verifying, completed).",
)
@click.option("--message", "-m", help="The public update text (Markdown).")
@click.option(
    "--template",
    type=click.Choice(["progress", "resolution"]),
    help="Fill the message from the site's communication template instead of --message.",
)
@click.option(
    "--next-update",
    metavar="DURATION",
    help="When the template promises the next update, e.g. 30m, 2h, 1h30m (default 30m).",
)
@click.option(
    "--service",
    "services",
    multiple=True,
    metavar="ID=STATUS",
    help="Set a component status from now on (repeatable).",
)
@click.option(
    "--reopen",
    is_flag=True,
    help="Allow an update to a resolved incident; services the resolution changed get back "
    "their status from before it, unless --service sets another.",
)
def update(
    content_dir: Path,
    now: str | None,
    incident: str,
    status: str,
    message: str | None,
    template: str | None,
    next_update: str | None,
    services: tuple[str, ...],
    reopen: bool,
) -> None:
    """Append a public update to INCIDENT (an id or a path), stamped with the current time.

    `--status resolved` also sets resolved_at. The rest of the file stays byte-for-byte.
    The message is --message, or --template filled from the incident.
    """
    from .authoring import update_incident
    from .authoring.messages import next_update_minutes
    from .errors import UsageError

    if message is not None and template is not None:
        raise UsageError("give either --message or --template, not both")
    if message is None and template is None:
        raise UsageError("give the update text with --message, or --template progress|resolution")
    if next_update is not None and template is None:
        raise UsageError("--next-update is only for --template")
    notes: list[str] = []
    path = update_incident(
        content_dir,
        incident,
        status=status,
        message=message or "",
        services=list(services),
        now=resolve_now(now),
        reopen=reopen,
        note=notes.append,
        template=template,
        next_update=next_update_minutes(next_update),
    )
    click.echo(f"Updated {path}: {status}" + "".join(f" ({n})" for n in notes))


def _lifecycle(step: str, summary: str) -> Callable[..., Any]:
    """``ack``, ``mitigate``, ``resolve`` and ``close``: one timestamp each, same options."""

    @click.argument("incident")
    @click.option(
        "--at",
        metavar="TIMESTAMP",
        help="When it happened (ISO 8601 with offset); default: now.",
    )
    def command(
        content_dir: Path, now: str | None, incident: str, at: str | None, **extra: Any
    ) -> None:
        from .authoring.lifecycle import STEPS, advance
        from .clock import parse_now

        notes: list[str] = []
        path = advance(
            content_dir,
            incident,
            step,
            now=resolve_now(now),
            at=parse_now(at, "--at") if at is not None else None,
            message=extra.get("message") or "",
            services=list(extra.get("services") or ()),
            note=notes.append,
        )
        click.echo(f"{summary} {path}: {STEPS[step]} set" + "".join(f" ({n})" for n in notes))

    return command


_LIFECYCLE_HELP = {
    "ack": (
        "Acknowledged",
        "Record that a responder acknowledged INCIDENT: sets acknowledged_at (--at, default now).",
    ),
    "mitigate": (
        "Mitigated",
        "Record that INCIDENT's user impact stopped: sets mitigated_at (--at, default now).",
    ),
    "resolve": (
        "Resolved",
        "Resolve INCIDENT: sets resolved_at and posts the resolution update (the site's "
        "resolution template, or --message).",
    ),
    "close": (
        "Closed",
        "Close INCIDENT's record once it is complete: sets closed_at (needs resolved_at).",
    ),
}

for _step, (_summary, _help) in _LIFECYCLE_HELP.items():
    _cmd = _lifecycle(_step, _summary)
    if _step == "resolve":
        _cmd = click.option(
            "--service",
            "services",
            multiple=True,
            metavar="ID=STATUS",
            help="Set a component status with the resolution, e.g. payments-api=operational.",
        )(_cmd)
        _cmd = click.option(
            "--message", "-m", help="The resolution update's text instead of the template."
        )(_cmd)
    _cmd = now_option(content_option(_cmd))
    cli.command(
        _step,
        context_settings=CONTEXT,
        help=_help + " The rest of the file stays "
        "byte-for-byte; an order that breaks the lifecycle is refused.",
    )(_cmd)


@cli.command(context_settings=CONTEXT)
@content_option
@now_option
@click.option("--since", metavar="DATE", help="First day included (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Last day included (YYYY-MM-DD).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--maturity",
    is_flag=True,
    help="Print the maturity evaluation instead: levels 1-4, each criterion with its evidence, "
    "the level reached, what the next level misses, MTBF per quarter.",
)
def report(
    content_dir: Path,
    now: str | None,
    since: str | None,
    until: str | None,
    fmt: str,
    maturity: bool,
) -> None:
    """Print incident metrics: MTTA, MTTR, MTBF, recurrence, detection sources, ..."""
    from .errors import UsageError
    from .internal.report import report as run_report
    from .loader import load_valid

    if maturity and (since or until):
        raise UsageError("--maturity evaluates the record at --now; drop --since and --until")
    result = load_valid(content_dir, resolve_now(now))
    if maturity:
        from .internal.maturity import evaluate
        from .internal.maturity_page import report as maturity_report

        click.echo(maturity_report(evaluate(result.world), fmt))
        return
    click.echo(run_report(result.world, since=since, until=until, fmt=fmt))


@cli.command(context_settings=CONTEXT)
@content_option
@now_option
@click.argument("text", nargs=-1, required=True)
@click.option(
    "--limit",
    default=5,
    show_default=True,
    type=click.IntRange(1, 100),
    help="How many results to show.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def match(content_dir: Path, now: str | None, text: tuple[str, ...], limit: int, fmt: str) -> None:
    """Rank known errors and runbooks that fit TEXT (an alert name or a log line)."""
    from .internal.match import format_matches, rank
    from .loader import load_valid

    result = load_valid(content_dir, resolve_now(now))
    found = rank(result.world, " ".join(text), limit=limit)
    click.echo(format_matches(result.world, found, fmt))


@cli.command(context_settings=CONTEXT)
@now_option
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--title", default="Example Status", show_default=True, help="Site title.")
@click.option(
    "--base-url",
    default="https://status.example.com/",
    show_default=True,
    help="Public URL of the status page.",
)
@click.option(
    "--install",
    metavar="SPEC",
    help="What the site's CI installs (pip): statuspress==X.Y.Z, a git URL or a wheel path. "
    "Default: this version from the package index (GitLab) and the action's own checkout "
    "(GitHub).",
)
@click.option(
    "--action-repo",
    metavar="REPO",
    help="The GitHub Action the workflow uses: OWNER/NAME or OWNER/NAME@REF. Default: the "
    "repository in statuspress's package metadata ([project.urls] Repository) at the tag of "
    "this version.",
)
@click.option("--force", is_flag=True, help="Replace files that DIRECTORY already has.")
@click.option("--no-git", is_flag=True, help="Do not run git init.")
def init(
    directory: Path,
    now: str | None,
    title: str,
    base_url: str,
    install: str | None,
    action_repo: str | None,
    force: bool,
    no_git: bool,
) -> None:
    """Scaffold a new site repository (content, CI, editor settings) that builds at once.

    Files DIRECTORY already has are kept; init refuses to replace one without --force. When
    DIRECTORY is not inside a git repository, init runs git init (branch main). The example
    incident is dated ten days before --now.
    """
    from .scaffold import init as run_init

    made = run_init(
        directory,
        title=title,
        base_url=base_url,
        now=resolve_now(now),
        install=install,
        action_repo=action_repo,
        force=force,
        git=not no_git,
    )
    notes = [f"CI uses {made.action} (GitHub) and installs {made.install} (GitLab)"]
    if made.replaced:
        notes.append(f"replaced {len(made.replaced)} existing files")
    if made.git_initialised:
        notes.append("ran git init")
    click.echo(
        f"Created {len(made.files)} files in {directory} ({'; '.join(notes)}); next: "
        f"cd {directory} && statuspress check && statuspress build"
    )


@cli.command(context_settings=CONTEXT)
@click.option(
    "--site",
    "site_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("site/public"),
    show_default=True,
    help="The built public site.",
)
@click.option(
    "--to",
    "target",
    required=True,
    metavar="git:BRANCH|DIR",
    help="git:BRANCH commits to that branch and pushes; otherwise a directory.",
)
@click.option("--remote", default="origin", show_default=True, help="Git remote to push to.")
@click.option(
    "--repo",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="The git repository to publish from.",
)
@click.option("--message", "-m", default=None, help="Commit message.")
@click.option(
    "--force",
    is_flag=True,
    help="Replace a branch or folder that statuspress did not publish, or publish to a "
    "branch that is checked out or the remote's default branch.",
)
def publish(
    site_dir: Path, target: str, remote: str, repo: Path, message: str | None, force: bool
) -> None:
    """Publish the public site to a git branch (Pages style) or a directory, atomically.

    Only a branch or folder that statuspress published before (or a new or empty one) is
    replaced; the branch you work on and the remote's default branch are refused.
    """
    from .publish import publish as run_publish

    click.echo(
        printable(
            run_publish(
                site_dir,
                target,
                remote=remote,
                repo=repo,
                message=message,
                force=force,
                notify=lambda text: click.echo(printable(f"{text} ..."), err=True),
            )
        )
    )


@cli.command(context_settings=CONTEXT)
@content_option
@now_option
@click.option(
    "--previous",
    required=True,
    metavar="DIR|git:BRANCH|URL",
    help="The site published before this one: a folder, a git branch or commit, or the live "
    "site's base URL. None there means a first run: nothing is sent.",
)
@click.option(
    "--site",
    "site_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("site/public"),
    show_default=True,
    help="The public site just built.",
)
@click.option(
    "--state",
    "state_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path(".statuspress/notify-state.json"),
    show_default=True,
    help="What each channel already received (keep it between CI runs).",
)
@click.option(
    "--repo",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="The git repository for --previous git:BRANCH.",
)
@click.option(
    "--remember",
    type=click.Path(path_type=Path, file_okay=False),
    help="Afterwards, copy the site's api/v2 documents to this folder, to pass as --previous "
    "next time (for hosts that keep no previous site to read, such as GitHub Pages).",
)
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send and record nothing.")
def notify(
    content_dir: Path,
    now: str | None,
    previous: str,
    site_dir: Path,
    state_path: Path,
    repo: Path,
    remember: Path | None,
    dry_run: bool,
) -> None:
    """Notify site.yaml's channels of what changed since the previously published site.

    Incidents created, updated and resolved, component status changes and maintenance
    scheduled, started and completed, each sent once per channel. Exit status 1 when a channel
    failed (it is retried on the next run, alone).
    """
    from .notify.run import notify as run_notify

    report = run_notify(
        content_dir,
        site_dir,
        previous,
        state_path=state_path,
        now=resolve_now(now),
        repo=repo,
        remember=remember,
        dry_run=dry_run,
        log=lambda line: click.echo(line, err=True),
    )
    click.echo(report.summary())
    if report.failed:
        raise BuildError(f"notification failed for channel(s): {', '.join(report.failed)}")


@cli.command("import", context_settings=CONTEXT)
@content_option
@click.argument("importer", metavar="IMPORTER")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--dry-run", is_flag=True, help="List the files it would write; write nothing.")
@click.option(
    "--force", is_flag=True, help="Overwrite imported files that were edited since the last import."
)
@click.option(
    "--allow-http",
    is_flag=True,
    help="Fetch plain http:// URLs too (always allowed for 127.0.0.1 and localhost).",
)
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(0.1, 600),
    help="Seconds to wait for each fetched document.",
)
@click.option(
    "--redirects",
    "redirects_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write a _redirects file (Netlify, Cloudflare Pages) from old incident URLs.",
)
def import_(
    content_dir: Path,
    importer: str,
    sources: tuple[str, ...],
    dry_run: bool,
    force: bool,
    allow_http: bool,
    timeout: float,
    redirects_file: Path | None,
) -> None:
    """Import another status page's history with IMPORTER (statuspage, cstate or a plugin).

    statuspage SOURCE: a page URL (https://status.example.com), a folder of saved api/v2
    documents, or JSON files (public API documents, management-API incident lists).
    cstate SOURCE: a cState (Hugo) site folder. Nothing is written unless every document
    was read and mapped; a re-import updates only files nobody edited since.
    """
    from .importers.redirects import redirect_lines
    from .importers.run import run_import

    report = run_import(
        importer,
        sources,
        content_dir,
        dry_run=dry_run,
        force=force,
        allow_http=allow_http,
        timeout=timeout,
        progress=progress_printer(),
    )
    for planned in report.planned:
        if planned.action == "skip":
            click.echo(
                f"{content_dir / planned.path}: edited since the last import; skipped "
                "(--force overwrites)",
                err=True,
            )
        elif dry_run and planned.action != "unchanged":
            click.echo(f"would {planned.action} {content_dir / planned.path}")
    if redirects_file is not None and not dry_run:
        from .authoring.common import write_atomic

        write_atomic(redirects_file, "".join(redirect_lines(report.redirects)).encode())
    click.echo(report.summary(content_dir))


@cli.command(context_settings=CONTEXT)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("schemas"),
    show_default=True,
    help="Where to write the JSON Schemas.",
)
def schemas(out: Path) -> None:
    """Write the JSON Schema of every content file kind (for editor autocompletion)."""
    from .schemas_out import write_schemas

    written = write_schemas(out)
    click.echo(f"Wrote {len(written)} schemas to {out}")


def main() -> None:
    cli(prog_name="statuspress")
