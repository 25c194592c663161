"""``statuspress notify``: configuration, sources of the previous site, formats, secrets.

The day-long scenario with every channel is in test_notify_scenario.py; here each behaviour is
checked on two real builds of a small site: "before" (nothing happening) and "after" (an
incident opened on the API and a maintenance of the website in progress).
"""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from notify_support import HttpReceiver, Site, run_notify
from statuspress.cli import cli

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "notify"
INCIDENT = {
    "title": "Login failures",
    "severity": "SEV-3",
    "services": {"api": "partial_outage"},
    "started_at": "2026-12-01T09:00:00Z",
    "updates": [
        {
            "at": "2026-12-01T09:05:00Z",
            "status": "investigating",
            "message": "Some **logins** fail.",
            "services": {"api": "partial_outage"},
        }
    ],
}
MAINTENANCE = {
    "title": "Website upgrade",
    "kind": "maintenance",
    "services": {"web": "under_maintenance"},
    "started_at": "2026-12-01T09:00:00Z",
    "scheduled_start": "2026-12-01T09:00:00Z",
    "scheduled_end": "2026-12-01T11:00:00Z",
    "updates": [{"at": "2026-11-30T12:00:00Z", "status": "scheduled", "message": "Planned."}],
}


@pytest.fixture
def http() -> Iterator[HttpReceiver]:
    receiver = HttpReceiver()
    yield receiver
    receiver.close()


def small_site(root: Path, channels: list[dict[str, Any]], **site: Any) -> Site:
    return Site(
        root,
        {
            "title": "Small Status",
            "base_url": "https://status.small.example/",
            **site,
            "notify": channels,
        },  # fmt: skip
        {
            "services": [
                {"id": "api", "name": "API"},
                {"id": "web", "name": "Website"},
                {"id": "db", "name": "Database", "public": False},
            ]
        },
    )


def before_after(site: Site) -> tuple[Path, Path]:
    site.incidents = {}
    before = site.build("before", "2026-12-01T08:00:00Z")
    site.incidents = {"login-failures": INCIDENT, "website-upgrade": MAINTENANCE}
    after = site.build("after", "2026-12-01T10:00:00Z")
    return before, after


def shape(value: Any) -> Any:
    """Keys (in order) and value types; null matches anything (Statuspage leaves many null)."""
    if isinstance(value, dict):
        return [(k, shape(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


def same_shape(ours: Any, real: Any, where: str = "$") -> list[str]:
    if ours is None or real is None:
        return []
    if isinstance(real, dict):
        if not isinstance(ours, dict) or list(ours) != list(real):
            return [
                f"{where}: keys {list(ours) if isinstance(ours, dict) else ours} != {list(real)}"
            ]
        return [p for k in real for p in same_shape(ours[k], real[k], f"{where}.{k}")]
    if isinstance(real, list):
        if not isinstance(ours, list):
            return [f"{where}: not a list"]
        return [p for item in ours for p in same_shape(item, real[0], f"{where}[]")] if real else []
    return [] if type(ours) is type(real) else [f"{where}: {type(ours).__name__}"]


def test_statuspage_bodies_mirror_the_real_deliveries(tmp_path: Path, http: HttpReceiver) -> None:
    site = small_site(tmp_path, [{"name": "sp", "url_env": "SP", "format": "statuspage"}],
                      support_url="https://help.small.example/")  # fmt: skip
    before, after = before_after(site)
    result = run_notify(site, before, after, {"SP": http.url("http", "/sp")})
    assert result.exit_code == 0, result.output
    bodies = http.at("/sp")
    incidents = [b for b in bodies if "incident" in b]
    components = [b for b in bodies if "component" in b]
    assert len(incidents) == 3 and len(components) == 2  # created; scheduled, started; 2 changes
    real_incident = json.loads((FIXTURES / "statuspage-incident.json").read_text())
    real_component = json.loads((FIXTURES / "statuspage-component.json").read_text())
    for body in incidents:
        assert same_shape(body, real_incident) == []
    for body in components:
        assert same_shape(body, real_component) == []
    assert all(p.content_type == "application/json" for p in http.posts)
    created = next(b for b in incidents if b["incident"]["impact"] != "maintenance")
    assert created["incident"]["name"] == "Login failures"
    assert created["incident"]["shortlink"] == (
        "https://status.small.example/incidents/login-failures/"
    )
    assert created["incident"]["incident_updates"][0]["body"] == "Some logins fail."
    assert created["meta"]["unsubscribe"] == "https://help.small.example/"
    assert created["meta"]["generated_at"] == "2026-12-31T00:00:00.000Z"
    web = next(b for b in components if b["component"]["name"] == "Website")
    assert web["component_update"]["old_status"] == "operational"
    assert web["component_update"]["new_status"] == "under_maintenance"
    assert web["page"] == {
        "id": created["page"]["id"],
        "status_indicator": "major",  # api is in a partial outage
        "status_description": "Partial System Outage",
    }
    maintenance = [b["incident"] for b in incidents if b["incident"]["impact"] == "maintenance"]
    assert [m["status"] for m in maintenance] == ["in_progress", "in_progress"]
    assert maintenance[0]["scheduled_for"] == "2026-12-01T09:00:00.000Z"
    assert maintenance[0]["scheduled_auto_completed"] is True


def test_check_validates_the_notify_and_subscribe_settings(tmp_path: Path) -> None:
    channels = [
        {"name": "ok", "url_env": "OK_URL"},
        {"name": "ok", "url_env": "OTHER"},
        {"name": "no-env"},
        {"name": "bad", "url_env": "1X", "events": ["incident.exploded"], "min_impact": "huge"},
        {"name": "fmt", "url_env": "F", "format": "statuspgae"},
        {"name": "svc", "url_env": "S", "services": ["nope", "db"]},
        {"name": "tpl", "url_env": "T", "template": "missing.txt"},
    ]
    site = small_site(tmp_path, [], subscribe=[{"name": "List", "url": "ftp://x"}])
    site.site["notify"] = channels  # after subscribe, so the lines below are stable
    site.write()
    result = CliRunner().invoke(cli, ["check", "--content", str(site.content)])
    assert result.exit_code == 1
    out = result.output
    for expected in (
        "site.yaml:5: subscribe[0].url: 'ftp://x' is not valid (an absolute http(s) URL)",
        "site.yaml:9: notify[1].name: duplicate channel name 'ok'",
        "site.yaml:11: notify[2].url_env: is required",
        "site.yaml:13: notify[3].url_env: '1X' is not valid (an environment variable name)",
        "site.yaml:15: notify[3].events[0]: 'incident.exploded' is not one of",
        "site.yaml:16: notify[3].min_impact: 'huge' is not one of none, minor, major, critical",
        "site.yaml:19: notify[4].format: unknown format 'statuspgae' (one of statuspage, text) "
        "(did you mean 'statuspage'?)",
        "site.yaml:22: notify.services: channel 'svc': unknown service 'nope'",
        "site.yaml:22: notify.services: channel 'svc': service 'db' is not public",
        "site.yaml:27: notify.template: channel 'tpl': template 'missing.txt' not found in ",
    ):
        assert expected in out, (expected, out)


def test_missing_variable_or_unusable_url_stops_before_anything_is_sent(
    tmp_path: Path, http: HttpReceiver
) -> None:
    site = small_site(tmp_path, [
        {"name": "fine", "url_env": "FINE"},
        {"name": "slack", "url_env": "SLACK_URL"},
    ])  # fmt: skip
    before, after = before_after(site)
    missing = run_notify(site, before, after, {"FINE": http.url("json", "/fine")})
    assert missing.exit_code == 1
    assert (
        "channel 'slack': environment variable SLACK_URL is not set (it holds the channel's "
        "URL); nothing was sent"
    ) in missing.output
    site.site["notify"][1]["format"] = "statuspage"
    site.write()
    plain = "http://hooks.example.com/k3yInTheUrl42"
    refused = run_notify(
        site, before, after, {"FINE": http.url("json", "/fine"), "SLACK_URL": plain}
    )
    assert refused.exit_code == 1
    assert "channel 'slack': the URL in SLACK_URL must be an https:// URL" in refused.output
    assert "k3yInTheUrl42" not in refused.output
    assert http.posts == []


def test_secret_urls_never_appear_in_output_or_state_even_on_failure(tmp_path: Path) -> None:
    site = small_site(tmp_path, [
        {"name": "webhook", "url_env": "HOOK"},
        {"name": "mail", "url_env": "MAIL"},
    ])  # fmt: skip
    before, after = before_after(site)
    env = {
        "HOOK": "json://127.0.0.1:9/hooks/Xk29sPq7Lm3Tz8Rw",  # port 9: nothing listens
        "MAIL": "mailto://alerts:Hunter2Secret@127.0.0.1:9?from=a@example.org&to=ops@example.org",
    }
    result = run_notify(site, before, after, env)
    assert result.exit_code == 1
    assert "channel 'webhook' failed" in result.output and "channel 'mail' failed" in result.output
    state = (site.root / ".statuspress" / "notify-state.json").read_text()
    for secret in ("Xk29sPq7Lm3Tz8Rw", "Hunter2Secret", *env.values()):
        assert secret not in result.output
        assert secret not in state
    assert "notification failed for channel(s): webhook, mail" in result.output


def test_first_run_dry_run_and_a_rerun_send_nothing(tmp_path: Path, http: HttpReceiver) -> None:
    site = small_site(tmp_path, [{"name": "all", "url_env": "ALL"}])
    before, after = before_after(site)
    env = {"ALL": http.url("json", "/all")}
    unbuilt = run_notify(site, before, tmp_path / "not-built", env)
    assert unbuilt.exit_code == 1
    assert "api/v2/summary.json is missing): run `statuspress build` first" in unbuilt.output
    first = run_notify(site, tmp_path / "never-published", after, env)
    assert first.exit_code == 0
    assert "first run, nothing to catch up on" in first.output
    assert "0 new event(s); sent 0 notification(s)" in first.output
    dry = run_notify(site, before, after, {}, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would send incident.created 'Login failures' to all" in dry.output
    assert "would send 5 notification(s)" in dry.output
    assert http.posts == []
    sent = run_notify(site, before, after, env)
    assert "sent 5 notification(s)" in sent.output and len(http.posts) == 5
    again = run_notify(site, before, after, env)
    assert "sent 0 notification(s)" in again.output and len(http.posts) == 5


def test_previous_site_from_a_git_branch_without_checkout(
    tmp_path: Path, http: HttpReceiver
) -> None:
    site = small_site(tmp_path, [{"name": "all", "url_env": "ALL"}])
    before, after = before_after(site)
    repo = tmp_path / "repo"
    git = partial(subprocess.run, check=True, capture_output=True, cwd=repo)
    repo.mkdir()
    git(["git", "init", "-q", "-b", "main"])
    (repo / "README").write_text("source\n")
    git(["git", "add", "README"])
    ident = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
    git(["git", *ident, "commit", "-qm", "source"])
    # A Pages-style branch holding the previously published site, made with plumbing only.
    env_index = {"GIT_INDEX_FILE": str(tmp_path / "pages-index")}
    for path in sorted(before.rglob("*")):
        if path.is_file():
            blob = git(["git", "hash-object", "-w", str(path)]).stdout.decode().strip()
            rel = path.relative_to(before).as_posix()
            git(["git", "update-index", "--add", "--cacheinfo", f"100644,{blob},{rel}"],
                env=env_index)  # fmt: skip
    tree = git(["git", "write-tree"], env=env_index).stdout.decode().strip()
    commit = git(["git", *ident, "commit-tree", tree, "-m", "publish"]).stdout.decode().strip()
    git(["git", "update-ref", "refs/heads/pages", commit])
    head = (repo / ".git" / "HEAD").read_text()

    result = run_notify(site, "git:pages", after, {"ALL": http.url("json", "/all")},
                        "--repo", str(repo))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(http.posts) == 5
    assert (repo / ".git" / "HEAD").read_text() == head
    assert sorted(p.name for p in repo.iterdir()) == [".git", "README"]  # nothing checked out
    none = run_notify(site, "git:gh-pages", after, {"ALL": http.url("json", "/all")},
                      "--repo", str(repo))  # fmt: skip
    assert "first run" in none.output


def test_previous_site_from_the_live_url(tmp_path: Path, http: HttpReceiver) -> None:
    site = small_site(tmp_path, [{"name": "all", "url_env": "ALL"}])
    before, after = before_after(site)
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(before))
    )
    server.RequestHandlerClass.log_message = lambda *a: None  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        result = run_notify(site, base, after, {"ALL": http.url("json", "/all")})
        assert result.exit_code == 0, result.output
        assert len(http.posts) == 5
        empty = run_notify(site, base + "not-published-yet/", after, {"ALL": "json://x"})
        assert "first run" in empty.output
    finally:
        server.shutdown()
        server.server_close()


def test_template_is_overridable_in_the_theme_folder(tmp_path: Path, http: HttpReceiver) -> None:
    site = small_site(
        tmp_path,
        [
            {
                "name": "short",
                "url_env": "SHORT",
                "template": "short.txt",
                "events": ["incident.created"],
            },
            {"name": "wrapped", "url_env": "WRAPPED", "events": ["incident.created"]},
        ],  # fmt: skip
        theme_dir="mytheme",
    )
    notify_dir = tmp_path / "mytheme" / "notify"
    notify_dir.mkdir(parents=True)
    (notify_dir / "short.txt").write_text(
        "[{{ page.name }}] {{ title }} ({{ status | label }})\n"
        "{{ update }} | {{ services | join('+') }} | {{ impact }} | {{ link }}\n"
    )
    (notify_dir / "message.txt").write_text(
        '{% include "default:message.txt" %}\n-- Sent by the Small team\n'
    )
    before, after = before_after(site)
    env = {"SHORT": http.url("json", "/short"), "WRAPPED": http.url("json", "/wrapped")}
    result = run_notify(site, before, after, env)
    assert result.exit_code == 0, result.output
    (short,) = http.at("/short")
    assert short["title"] == "[Small Status] Login failures (Investigating)"
    assert short["message"] == (
        "Some logins fail. | API | minor | https://status.small.example/incidents/login-failures/"
    )
    (wrapped,) = http.at("/wrapped")
    assert wrapped["title"] == "New incident: Login failures"
    assert wrapped["message"].endswith("-- Sent by the Small team")
    (notify_dir / "short.txt").write_text("{{ no_such_value }}\n")
    broken = run_notify(site, before, after, env, "--state", str(tmp_path / "fresh.json"))
    assert broken.exit_code == 1
    assert "notify channel 'short': template error" in broken.output
    assert len(http.posts) == 2  # nothing sent when a template is broken


def test_subscribe_links_join_the_feeds_on_the_public_page(tmp_path: Path) -> None:
    links = [
        {"name": "Mailing list", "url": "https://lists.small.example/status"},
        {"name": "Community chat", "url": "https://chat.small.example/"},
    ]
    site = small_site(tmp_path, [], subscribe=links)
    site.incidents = {}
    public = site.build("with-links", "2026-12-01T08:00:00Z")
    page = (public / "index.html").read_text()
    block = page[page.index('<ul class="subscribe">') :]
    block = block[: block.index("</ul>")]
    assert [line for line in block.splitlines() if "<li>" in line][-3:] == [
        '<li><a href="api/v2/summary.json">Status API (JSON)</a></li>',
        '<li><a href="https://lists.small.example/status">Mailing list</a></li>',
        '<li><a href="https://chat.small.example/">Community chat</a></li>',
    ]


def test_remember_keeps_the_published_api_for_the_next_run(
    tmp_path: Path, http: HttpReceiver
) -> None:
    """CI on hosts without a readable previous site (GitHub Pages): the copy is the previous."""
    site = small_site(tmp_path, [{"name": "all", "url_env": "ALL"}])
    before, after = before_after(site)
    kept = tmp_path / "published"
    env = {"ALL": http.url("json", "/all")}
    first = run_notify(site, kept, before, env, "--remember", str(kept))
    assert "first run" in first.output
    assert (kept / "api" / "v2" / "summary.json").read_bytes() == (
        before / "api" / "v2" / "summary.json"
    ).read_bytes()
    second = run_notify(site, kept, after, env, "--remember", str(kept))
    assert second.exit_code == 0 and len(http.posts) == 5
    assert (kept / "api" / "v2" / "incidents.json").read_bytes() == (
        after / "api" / "v2" / "incidents.json"
    ).read_bytes()
    third = run_notify(site, kept, after, env, "--remember", str(kept))
    assert third.exit_code == 0 and len(http.posts) == 5
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    refused = run_notify(site, kept, after, env, "--remember", str(tmp_path / "mine"))
    assert refused.exit_code == 1 and "refusing to replace it" in refused.output
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


class RecordingNotifier:
    """A third-party format, installed through the ``statuspress.notifiers`` entry point."""

    sent: list[tuple[str, str, str]] = []

    def check_target(self, target: str) -> str | None:
        return None if target.startswith("rec:") else "must start with rec:"

    def send(self, target: str, message: Any) -> None:
        if target == "rec:broken":
            raise RuntimeError("the recorder is jammed")
        self.sent.append((target, message.event.type, message.title))


def test_a_plugin_adds_a_format_by_entry_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from importlib.metadata import EntryPoint

    import statuspress.notify.config
    import statuspress.plugins

    point = EntryPoint("recorder", f"{__name__}:RecordingNotifier", "statuspress.notifiers")
    monkeypatch.setattr(
        statuspress.plugins, "_installed", lambda group: [point] if group == "notifiers" else []
    )
    RecordingNotifier.sent.clear()
    site = small_site(tmp_path, [
        {"name": "rec", "url_env": "REC", "format": "recorder", "events": ["incident.created"]},
    ])  # fmt: skip
    before, after = before_after(site)
    check = CliRunner().invoke(cli, ["check", "--content", str(site.content)])
    assert check.exit_code == 0, check.output
    result = run_notify(site, before, after, {"REC": "rec:one"})
    assert result.exit_code == 0, result.output
    assert RecordingNotifier.sent == [
        ("rec:one", "incident.created", "New incident: Login failures")
    ]
    jammed = run_notify(site, before, after, {"REC": "rec:broken"}, "--state", str(tmp_path / "s"))
    assert jammed.exit_code == 1
    assert (
        "notifier plugin 'recorder' failed: RuntimeError: the recorder is jammed" in jammed.output
    )


def test_what_appears_further_along_gets_every_step_it_skipped(tmp_path: Path) -> None:
    """Between two deploys an incident opened, got updates and closed; a maintenance passed."""
    from statuspress.notify.events import diff
    from statuspress.notify.snapshot import load

    site = small_site(tmp_path, [])
    site.incidents = {}
    before = site.build("before", "2026-12-01T08:00:00Z")
    closed = dict(INCIDENT, resolved_at="2026-12-01T09:50:00Z")
    closed["updates"] = [
        *INCIDENT["updates"],
        {"at": "2026-12-01T09:20:00Z", "status": "identified", "message": "Found it."},
        {
            "at": "2026-12-01T09:50:00Z",
            "status": "resolved",
            "message": "Fixed.",
            "services": {"api": "operational"},
        },  # fmt: skip
    ]
    site.incidents = {"login-failures": closed, "website-upgrade": MAINTENANCE}
    after = site.build("after", "2026-12-01T12:00:00Z")
    prev, cur = load(str(before)), load(str(after))
    assert prev is not None and cur is not None
    events = diff(prev, cur)
    assert [(e.type, e.subject["name"], (e.update or {}).get("body")) for e in events] == [
        ("maintenance.scheduled", "Website upgrade", "Planned."),
        ("incident.created", "Login failures", "Some logins fail."),
        ("maintenance.started", "Website upgrade", "Planned."),
        ("incident.updated", "Login failures", "Found it."),
        ("incident.resolved", "Login failures", "Fixed."),
        ("maintenance.completed", "Website upgrade", "Planned."),
    ]
    # Ids are built from the API's stable ids: the same build compared again gives the same.
    again = site.build("after-again", "2026-12-01T12:00:00Z")
    rebuilt = load(str(again))
    assert rebuilt is not None
    assert [e.id for e in diff(prev, rebuilt)] == [e.id for e in events]
    assert len({e.id for e in events}) == len(events)
    assert diff(cur, rebuilt) == []


def test_a_damaged_state_file_is_an_error_not_a_flood(tmp_path: Path, http: HttpReceiver) -> None:
    site = small_site(tmp_path, [{"name": "all", "url_env": "ALL"}])
    before, after = before_after(site)
    state = site.root / ".statuspress" / "notify-state.json"
    state.parent.mkdir()
    state.write_text('{"version": 1, "channels": {"all": {"pending": [{"id": 3}]}}}')
    result = run_notify(site, before, after, {"ALL": http.url("json", "/all")})
    assert result.exit_code == 1
    assert f"notify state {state} is damaged" in result.output
    assert http.posts == []
