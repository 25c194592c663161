"""statuspress import statuspage: round trip through our own api/v2, safety, URL fetching.

The fixtures in tests/fixtures/import/ mirror real Statuspage captures (tests/fixtures/import/
SOURCES.md names them). The round trip imports a fixture, checks and builds the site, and
compares our generated api/v2 documents with the source, field by field.

Fields that intentionally differ (everything else listed in ``_expected`` must be equal):

- ids, shortlinks and component ``code``s are our own stable ids (docs/api.md);
- an incident's ``status`` ``postmortem`` stays ``postmortem`` only when the source carries a
  published postmortem body (the management API does; public v2 documents do not), else it
  is ``resolved``;
- a maintenance's ``impact`` is always ``maintenance``; an incident's is ``impact_override``
  when the management API sets one, and for old captures without ``impact`` the one
  Statuspage derives from the worst component status its updates set;
- update bodies are compared as words: HTML entities decoded, whitespace collapsed (our
  JSON body is plain text rendered from Markdown, where a blank line becomes one line break);
- a resolved source incident whose last update is not ``resolved`` gets a closing
  ``resolved`` update at its ``resolved_at``;
- an incident or maintenance that names no component lists every component (it concerned the
  whole page), with no status change;
- ``affected_components[].old_status`` is derived from our own timeline, and components'
  ``created_at``/``updated_at``/``position``/``showcase`` are ours.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from import_support import FIXTURES, build_api, instant, run, snapshot, words
from statuspress.importers.statuspage import RESOLVED_TEXT
from statuspress.importers.writefiles import STATE_FILE

# fixture folder (or files) -> the moment the source was captured
CASES = {
    "statuspage-chicago": "2026-02-21T08:31:24.239-06:00",
    "statuspage-tijuana": "2026-02-17T14:05:12.418-08:00",
    "statuspage-groups": "2026-03-04T09:30:11.204Z",
    "statuspage-management": "2026-01-22T10:00:00Z",
}
MANAGEMENT_SITE = (
    "title: Old Portal\nbase_url: https://status.portal.example/\ntimezone: America/Chicago\n"
)


def _sources(name: str) -> list[Path]:
    folder = FIXTURES / name
    return sorted(folder.glob("*.json")) if name == "statuspage-management" else [folder]


def _content(tmp_path: Path, name: str) -> Path:
    content = tmp_path / "content"
    if name == "statuspage-management":  # management lists carry no page: site.yaml exists
        content.mkdir()
        (content / "site.yaml").write_text(MANAGEMENT_SITE, encoding="utf-8")
    return content


def _import(content: Path, name: str, *extra: str) -> Any:
    return run("import", "statuspage", *_sources(name), "--content", content, *extra)


# -- reading the source independently of the importer ---------------------------------------


def _source(name: str) -> tuple[dict[str, dict[str, Any]], dict[str, Any], list[dict[str, Any]]]:
    """(components by id, incidents by id, every document) of a fixture."""
    docs = [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted((FIXTURES / name).rglob("*.json"))
    ]
    items: dict[str, dict[str, Any]] = {}
    components: dict[str, dict[str, Any]] = {}

    def add(item: dict[str, Any], maint: bool | None) -> None:
        item = dict(item, _maint=item.get("scheduled_for") is not None if maint is None else maint)
        old = items.get(item["id"])
        if old is None or item["updated_at"] > old["updated_at"]:
            items[item["id"]] = item

    for doc in docs:
        if isinstance(doc, list):
            for item in doc:
                add(item, None)
            continue
        for comp in doc.get("components", []):
            components.setdefault(comp["id"], comp)
        for item in doc.get("incidents", []):
            add(item, False)
        for item in doc.get("scheduled_maintenances", []):
            add(item, True)
    for item in items.values():
        for comp in item.get("components", []):
            components.setdefault(comp["id"], comp)
    return components, items, docs


def _expected(item: dict[str, Any], components: dict[str, dict[str, Any]]) -> dict[str, Any]:
    maint = item["_maint"]
    updates = sorted(
        (
            (u["status"], instant(u["display_at"]), words(u["body"]))
            for u in reversed(item["incident_updates"])
        ),
        key=lambda u: u[1],
    )
    status = item["status"]
    published = item.get("postmortem_body") and item.get("postmortem_published_at")
    if status == "postmortem" and not published:
        status = "resolved"
    if not maint and item["resolved_at"] and updates[-1][0] != "resolved":
        updates.append(("resolved", instant(item["resolved_at"]), RESOLVED_TEXT))
    named = {c["id"] for c in item.get("components", [])}
    named |= {c["code"] for u in item["incident_updates"] for c in u["affected_components"] or []}
    names = sorted(components[cid]["name"] for cid in named)
    if not names:
        names = sorted(c["name"] for c in components.values() if c.get("group") is not True)
    impact = item.get("impact_override") or item.get("impact") or _derived_impact(item)
    out = {
        "name": item["name"],
        "status": status,
        "impact": "maintenance" if maint else impact,
        "started_at": instant(item.get("started_at") or item["created_at"]),
        "resolved_at": instant(item["resolved_at"]) if item["resolved_at"] else None,
        "updates": updates,
        "components": names,
    }
    if maint:
        out["window"] = (instant(item["scheduled_for"]), instant(item["scheduled_until"]))
    return out


def _derived_impact(item: dict[str, Any]) -> str:
    """Old captures have no ``impact``: Statuspage's rule, from the worst status set."""
    order = ["operational", "degraded_performance", "partial_outage", "major_outage"]
    worst = max(
        (
            order.index(c["new_status"])
            for u in item["incident_updates"]
            for c in u["affected_components"] or []
            if c["new_status"] in order
        ),
        default=0,
    )
    return ["none", "minor", "major", "critical"][worst]


def _ours(item: dict[str, Any], maint: bool) -> dict[str, Any]:
    out = {
        "name": item["name"],
        "status": item["status"],
        "impact": item["impact"],
        "started_at": instant(item["started_at"]),
        "resolved_at": instant(item["resolved_at"]),
        "updates": [
            (u["status"], instant(u["display_at"]), words(u["body"]))
            for u in reversed(item["incident_updates"])
        ],
        "components": sorted(c["name"] for c in item["components"]),
    }
    if maint:
        out["window"] = (instant(item["scheduled_for"]), instant(item["scheduled_until"]))
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_round_trip_through_our_api(tmp_path: Path, name: str) -> None:
    content = _content(tmp_path, name)
    result = _import(content, name)
    assert result.exit_code == 0, result.output
    api = build_api(content, tmp_path / "site", CASES[name])
    components, items, docs = _source(name)

    ours = {i["name"]: _ours(i, False) for i in api["incidents.json"]["incidents"]} | {
        i["name"]: _ours(i, True)
        for i in api["scheduled-maintenances.json"]["scheduled_maintenances"]
    }
    expected = {item["name"]: _expected(item, components) for item in items.values()}
    assert sorted(ours) == sorted(expected)
    for title, want in expected.items():
        assert ours[title] == want, title

    # Components: names, groups and current statuses (at the moment of the capture).
    summary = next(
        (d for d in docs if isinstance(d, dict) and "status" in d and "components" in d), None
    )
    ours_by_name = {c["name"]: c for c in api["summary.json"]["components"] if not c["group"]}
    our_groups = {c["id"]: c["name"] for c in api["summary.json"]["components"] if c["group"]}
    if summary is None:  # management lists: components come from the incidents
        assert sorted(ours_by_name) == sorted(c["name"] for c in components.values())
        return
    leaves = [c for c in summary["components"] if not c.get("group")]
    groups = {c["id"]: c["name"] for c in summary["components"] if c.get("group")}
    assert sorted(ours_by_name) == sorted(c["name"] for c in leaves)
    for comp in leaves:
        mine = ours_by_name[comp["name"]]
        assert mine["status"] == comp["status"], comp["name"]
        assert our_groups.get(mine["group_id"]) == groups.get(comp.get("group_id")), comp["name"]
        assert mine["description"] == (
            " ".join(comp["description"].split()) if comp["description"] else None
        )
    assert sorted(our_groups.values()) == sorted(groups.values())
    assert api["summary.json"]["page"]["time_zone"] == summary["page"]["time_zone"]
    assert api["summary.json"]["status"]["indicator"] == summary["status"]["indicator"]


def test_services_follow_position_and_groups(tmp_path: Path) -> None:
    content = tmp_path / "content"
    assert _import(content, "statuspage-groups").exit_code == 0
    text = (content / "services.yaml").read_text(encoding="utf-8")
    # Top level by position: Managed Clusters (1), Build Cloud (2), Registry (3), Downloads (4);
    # children by their own position; the leaf named like its group keeps the plain id.
    order = [line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("  - id: ")]
    assert order == [
        "managed-clusters", "build-cloud", "registry",
        "portal", "api", "ui-and-api", "runs", "private-registry", "registry", "cdn-purging",
        "downloads",
    ]  # fmt: skip
    site = (content / "site.yaml").read_text(encoding="utf-8")
    assert (
        'timezone: "Etc/UTC"' in site and 'base_url: "https://status.forgecloud.example/"' in site
    )


def test_a_new_file_never_takes_an_existing_incident_id(tmp_path: Path) -> None:
    content = tmp_path / "content"
    mine = content / "incidents" / "2026" / "2026-02-15-delayed-message-delivery.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("my own file\n", encoding="utf-8")
    assert _import(content, "statuspage-tijuana").exit_code == 0
    assert mine.read_text(encoding="utf-8") == "my own file\n"
    assert (content / "incidents" / "2026-02-15-delayed-message-delivery-2.md").exists()


def test_same_source_twice_changes_nothing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    assert _import(content, "statuspage-tijuana").exit_code == 0
    first = snapshot(content)
    again = _import(content, "statuspage-tijuana")
    assert again.exit_code == 0
    assert "0 created, 0 updated, 5 unchanged" in again.output
    assert snapshot(content) == first
    assert STATE_FILE in first and len(first) == 7


def _copy(name: str, tmp_path: Path) -> Path:
    copy = tmp_path / "source"
    shutil.copytree(FIXTURES / name, copy)
    return copy


def _add_update(source: Path, body: str) -> None:
    """The source page posts one more update to its active incident."""
    for doc_name in ("incidents.json", "summary.json"):
        path = source / doc_name
        doc = json.loads(path.read_text(encoding="utf-8"))
        incident = doc["incidents"][0]
        first = dict(incident["incident_updates"][0])
        at = "2026-02-17T14:30:00.000-08:00"
        first.update(id="n3wupd4t3xyz", status="monitoring", body=body, created_at=at,
                     updated_at=at, display_at=at)  # fmt: skip
        incident["incident_updates"].insert(0, first)
        incident["updated_at"] = "2026-02-17T14:30:00.010-08:00"
        path.write_text(json.dumps(doc, indent=4), encoding="utf-8")


def test_changed_source_updates_unedited_files_and_skips_edited_ones(tmp_path: Path) -> None:
    source = _copy("statuspage-tijuana", tmp_path)
    content = tmp_path / "content"
    assert run("import", "statuspage", source, "--content", content).exit_code == 0
    active = content / "incidents" / "2026-02-17-voice-connections-failing-in-europe.md"
    other = content / "incidents" / "2026-02-15-delayed-message-delivery.md"

    _add_update(source, "Traffic moved; we are watching the sessions.")
    result = run("import", "statuspage", source, "--content", content)
    assert result.exit_code == 0, result.output
    assert "0 created, 1 updated, 4 unchanged" in result.output
    assert "Traffic moved; we are watching the sessions." in active.read_text(encoding="utf-8")

    # Someone edits the imported file; the source changes again: the edit wins.
    edited = active.read_text(encoding="utf-8").replace("Voice connections", "Voice calls")
    active.write_text(edited, encoding="utf-8")
    other_before = other.read_bytes()
    _add_update(source, "All sessions are stable.")
    result = run("import", "statuspage", source, "--content", content)
    assert result.exit_code == 0
    assert f"{active}: edited since the last import; skipped" in result.output
    assert "1 skipped" in result.output
    assert active.read_text(encoding="utf-8") == edited
    assert other.read_bytes() == other_before

    forced = run("import", "statuspage", source, "--content", content, "--force")
    assert forced.exit_code == 0 and "1 edited files overwritten" in forced.output
    assert "All sessions are stable." in active.read_text(encoding="utf-8")
    assert "Voice calls" not in active.read_text(encoding="utf-8")
    # ...and the overwritten file is known again: the next import leaves it alone.
    assert "5 unchanged" in run("import", "statuspage", source, "--content", content).output


@pytest.mark.parametrize("keep_state", [True, False])
def test_recognised_by_source_id_after_a_rename(tmp_path: Path, keep_state: bool) -> None:
    content = tmp_path / "content"
    assert _import(content, "statuspage-tijuana").exit_code == 0
    old = content / "incidents" / "2026-02-15-delayed-message-delivery.md"
    new = content / "incidents" / "2026" / "delivery-delays.md"
    new.parent.mkdir()
    old.rename(new)
    if not keep_state:
        (content / STATE_FILE).unlink()  # no state either: found by its source.id
    result = _import(content, "statuspage-tijuana")
    assert result.exit_code == 0, result.output
    assert not old.exists() and new.exists()
    assert sorted(p.name for p in (content / "incidents").rglob("*.md")) == sorted(
        ["2025-07-08-images-and-voice-attachments-not-loading.md", "2025-09-22-database-upgrade.md",
         "delivery-delays.md", "2026-02-17-voice-connections-failing-in-europe.md"]
    )  # fmt: skip


def test_dry_run_lists_files_and_writes_nothing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    result = _import(content, "statuspage-groups", "--dry-run")
    assert result.exit_code == 0, result.output
    assert not content.exists()
    assert f"would create {content / 'services.yaml'}" in result.output
    assert (
        f"would create {content / 'incidents' / '2026-03-04-runs-worker-upgrade.md'}"
        in result.output
    )
    assert "Would import 3 incidents and 2 maintenances" in result.output


def _broken(tmp_path: Path, edit: Any) -> Path:
    source = _copy("statuspage-tijuana", tmp_path)
    path = source / "incidents.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(json.dumps(doc, indent=4), encoding="utf-8")
    return source


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d["incidents"][1]["incident_updates"][2].update(status="paused"),
            "incidents.json: $.incidents[1].incident_updates[2].status: "
            "unknown status 'paused' here",
        ),
        (
            lambda d: d["incidents"][2]["incident_updates"][0]["affected_components"][0].update(
                code="zzzzzzzzzzzz"
            ),
            "incidents.json: $.incidents[2].incident_updates[0].affected_components[0].code: "
            "component 'zzzzzzzzzzzz' is not on the page",
        ),
        (
            lambda d: d["incidents"][0].update(impact="catastrophic"),
            "incidents.json: $.incidents[0].impact: unknown impact 'catastrophic'",
        ),
        (
            lambda d: d["incidents"][1].update(started_at="2026-02-15 13:14:17"),
            "incidents.json: $.incidents[1].started_at: not an ISO 8601 time with an offset",
        ),
    ],
)
def test_unmappable_input_names_document_and_path_and_writes_nothing(
    tmp_path: Path, edit: Any, message: str
) -> None:
    source = _broken(tmp_path, edit)
    content = tmp_path / "content"
    result = run("import", "statuspage", source, "--content", content)
    assert result.exit_code == 1
    assert message in result.output
    assert "nothing was written" in result.output
    assert not content.exists()


def test_source_html_is_text_on_the_page(tmp_path: Path) -> None:
    content = tmp_path / "content"
    assert _import(content, "statuspage-tijuana").exit_code == 0
    build_api(content, tmp_path / "site", CASES["statuspage-tijuana"])
    pages = [
        p.read_text(encoding="utf-8")
        for p in (tmp_path / "site" / "public" / "incidents").rglob("*.html")
    ]
    page = next(p for p in pages if "Delayed message delivery" in p)
    assert "<b>No messages" not in page
    assert "&lt;b&gt;No messages are lost.&lt;/b&gt;" in page
    assert "can&#39;t join" in next(
        p for p in pages if "Voice connections" in p
    ) or "can't join" in next(p for p in pages if "Voice connections" in p)


# -- fetching from a URL ---------------------------------------------------------------------


@pytest.fixture
def page_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real HTTP server on 127.0.0.1 serving a page's api/v2 documents."""
    root = tmp_path / "served"
    shutil.copytree(FIXTURES / "statuspage-groups", root)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        pass


def test_import_from_a_url_equals_the_saved_folder(
    tmp_path: Path, page_server: tuple[str, Path]
) -> None:
    url, _root = page_server
    by_url, by_folder = tmp_path / "by-url", tmp_path / "by-folder"
    result = run("import", "statuspage", url + "/", "--content", by_url)
    assert result.exit_code == 0, result.output
    assert "(3 documents)" in result.output
    assert _import(by_folder, "statuspage-groups").exit_code == 0
    # The folder has two more documents (components.json, status.json); the content is equal.
    assert snapshot(by_url) == snapshot(by_folder)


def test_single_document_urls(tmp_path: Path, page_server: tuple[str, Path]) -> None:
    url, _root = page_server
    content = tmp_path / "content"
    docs = [f"{url}/api/v2/{n}" for n in ("summary.json", "incidents.json")]
    result = run("import", "statuspage", *docs, "--content", content)
    assert result.exit_code == 0, result.output
    assert "Imported 3 incidents and 2 maintenances from statuspage (2 documents)" in result.output


def test_a_failed_document_is_named_and_nothing_is_written(
    tmp_path: Path, page_server: tuple[str, Path]
) -> None:
    url, root = page_server
    (root / "api" / "v2" / "scheduled-maintenances.json").unlink()
    (root / "api" / "v2" / "incidents.json").write_text("{not json", encoding="utf-8")
    content = tmp_path / "content"
    result = run("import", "statuspage", url, "--content", content)
    assert result.exit_code == 1
    assert f"{url}/api/v2/scheduled-maintenances.json: HTTP 404 File not found" in result.output
    assert f"{url}/api/v2/incidents.json: not JSON (line 1, column 2" in result.output
    assert not content.exists()


def test_plain_http_is_refused_except_on_loopback(tmp_path: Path) -> None:
    result = run("import", "statuspage", "http://status.example.com", "--content", tmp_path / "c")
    assert result.exit_code == 1
    assert "refusing plain http (use https, or --allow-http" in result.output
    assert not (tmp_path / "c").exists()


def test_an_old_capture_without_impact_gets_statuspages_own_rule(tmp_path: Path) -> None:
    def drop(doc: dict[str, Any]) -> None:
        for item in doc["incidents"]:
            del item["impact"]

    source = _broken(tmp_path, drop)
    content = tmp_path / "content"
    assert run("import", "statuspage", source, "--content", content).exit_code == 0
    incidents = content / "incidents"
    # worst new_status degraded_performance -> minor -> SEV-3; major_outage -> critical -> SEV-1
    assert "severity: SEV-3" in (incidents / "2026-02-15-delayed-message-delivery.md").read_text()
    outage = incidents / "2025-07-08-images-and-voice-attachments-not-loading.md"
    assert "severity: SEV-1" in outage.read_text()


def test_redirects_file_maps_old_incident_paths(tmp_path: Path) -> None:
    content, redirects = tmp_path / "content", tmp_path / "site-redirects"
    result = _import(content, "statuspage-tijuana", "--redirects", str(redirects))
    assert result.exit_code == 0, result.output
    lines = redirects.read_text(encoding="utf-8").splitlines()
    assert lines == [
        "/incidents/c4xq0z7m2bvn "
        "/incidents/2025-07-08-images-and-voice-attachments-not-loading/ 301",
        "/incidents/d1kt3cr0jf7e /incidents/2025-09-22-database-upgrade/ 301",
        "/incidents/n8rjzf41mqy7 /incidents/2026-02-15-delayed-message-delivery/ 301",
        "/incidents/w3nd81kq5zxa /incidents/2026-02-17-voice-connections-failing-in-europe/ 301",
    ]


def test_a_page_that_never_answers_times_out(tmp_path: Path) -> None:
    import socket

    with socket.socket() as listener:  # accepts connections, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        content = tmp_path / "content"
        result = run("import", "statuspage", url, "--content", content, "--timeout", "0.3")
    assert result.exit_code == 1
    assert f"{url}/api/v2/summary.json: no answer within 0.3 s" in result.output
    assert not content.exists()


def test_without_a_page_or_a_site_yaml_nothing_is_written(tmp_path: Path) -> None:
    content = tmp_path / "content"
    result = run("import", "statuspage", *_sources("statuspage-management"), "--content", content)
    assert result.exit_code == 1
    assert "$.page: the sources name no page (title, URL, time zone)" in result.output
    assert not content.exists()
