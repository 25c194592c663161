"""statuspress import cstate, and an importer added by a third-party package.

The cState fixture mirrors real cState sites (tests/fixtures/import/SOURCES.md). cState has no
JSON API to compare with, so the expected incidents are written out below from the issue
files; fields that intentionally differ from the files:

- ``resolvedWhen`` earlier than the last tracked update (a real quirk of cState's example
  site) becomes that update's time, since no update may follow the resolution;
- a resolved issue whose last update is unlabelled (``This is fixed now.``) or has a free label
  (``*Update*``) posted at ``resolvedWhen`` is that resolution: its status is ``resolved``;
- text before the first tracked update is posted at the issue's ``date``; a ``*Post-mortem*``
  section becomes the published postmortem (so the status is ``postmortem``);
- an issue naming no system (``informational``) lists every service, with no status change.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import textwrap
from pathlib import Path

from import_support import FIXTURES, build_api, instant, run, snapshot, words

SITE = FIXTURES / "cstate-site"
NOW = "2026-02-20T00:00:00Z"
ALL = ["API", "Build service", "Gateway", "Media Proxy", "Website"]


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


EXPECTED = {
    "Sync Outage & Slow Logins": {
        "status": "postmortem", "impact": "critical", "resolved_at": _utc("2026-01-08 17:30"),
        "components": ["API", "Media Proxy"],
        "updates": [
            ("investigating", _utc("2026-01-08 15:54"), "We know that some users cannot sync and "
             "that logins are slow. We're investigating."),
            ("monitoring", _utc("2026-01-08 16:50"), "After a restart the API is recovering. We "
             "keep watching while everyone reconnects."),
            ("resolved", _utc("2026-01-08 17:30"), "Update: A fix is in place and things look "
             "normal again."),
        ],
    },
    "East Coast Connection Issues": {
        "status": "resolved", "impact": "major", "resolved_at": _utc("2026-01-19 05:54"),
        "components": ["API", "Media Proxy"],
        "updates": [
            ("investigating", _utc("2026-01-19 04:13"), "Users on the East coast report "
             "connection problems. We are looking into it & we're sorry for the trouble."),
            ("monitoring", _utc("2026-01-19 04:40"), "The trouble seems to come from one internet "
             "provider's DNS; switching to a public DNS resolver (see "
             "https://example.org/dns_help?x=1) helps."),
            ("resolved", _utc("2026-01-19 05:54"), "Everyone who had trouble can connect again."),
        ],
    },
    "API DNS resolution error!": {
        "status": "investigating", "impact": "critical", "resolved_at": None,
        "components": ["API"],
        "updates": [
            ("investigating", dt.datetime(2026, 2, 2, 9, 43, 40, 482000, dt.UTC),
             '**Automated system alert* - Our dns-resolution monitor sees a disruption, so people '
             'may have trouble with our "API". This may be temporary.*'),
            ("investigating", dt.datetime(2026, 2, 2, 9, 44, 0, 481000, dt.UTC),
             "*This issue has been failing for several checks in a row and now counts as a "
             "**severe** problem. Someone has been paged and is on it. For help, use the contact "
             "details on our homepage.*"),
        ],
    },
    "Maintenance Announcement": {
        "status": "investigating", "impact": "none", "resolved_at": None, "components": ALL,
        "updates": [
            ("investigating", _utc("2026-02-10 10:35"), "We will restart our network at midnight "
             "on Feb 24. This does not change the current status."),
        ],
    },
    "Publish outage": {
        "status": "resolved", "impact": "major", "resolved_at": _utc("2026-02-18 10:04"),
        "components": ["Build service"],
        "updates": [
            ("investigating", _utc("2026-02-17 20:09"), "An outage keeps finished builds from "
             "being published. It affects direct uploads and every build that runs on our "
             "runners. We are working on it."),
            ("resolved", _utc("2026-02-18 10:04"), "This is fixed now."),
        ],
    },
}  # fmt: skip


def test_round_trip_through_our_api(tmp_path: Path) -> None:
    content = tmp_path / "content"
    result = run("import", "cstate", SITE, "--content", content)
    assert result.exit_code == 0, result.output
    assert "Imported 5 incidents and 0 maintenances from cstate (6 documents)" in result.output
    api = build_api(content, tmp_path / "site", NOW)
    ours = {i["name"]: i for i in api["incidents.json"]["incidents"]}
    assert sorted(ours) == sorted(EXPECTED)
    for title, want in EXPECTED.items():
        got = ours[title]
        assert got["status"] == want["status"], title
        assert got["impact"] == want["impact"], title
        assert instant(got["resolved_at"]) == want["resolved_at"], title
        assert sorted(c["name"] for c in got["components"]) == want["components"], title
        updates = [
            (u["status"], instant(u["display_at"]), words(u["body"]))
            for u in reversed(got["incident_updates"])
        ]
        assert updates == want["updates"], title
    # Categories -> groups, systems -> services, in cState's order; statuses at NOW.
    components = api["summary.json"]["components"]
    groups = {c["id"]: c["name"] for c in components if c["group"]}
    leaves = [
        (c["name"], groups.get(c["group_id"]), c["status"]) for c in components if not c["group"]
    ]
    assert leaves == [
        ("Gateway", "Core", "operational"),
        ("API", "Core", "major_outage"),
        ("Build service", "Core", "operational"),
        ("Website", "Uncategorized", "operational"),
        ("Media Proxy", "Uncategorized", "operational"),
    ]
    page = api["summary.json"]["page"]
    assert page["name"] == "Lantern Works Status"
    assert page["url"] == "https://status.lanternworks.example"
    # The post-mortem section is the published public summary.
    sync = (content / "incidents" / "2026-01-08-sync-outage-slow-logins.md").read_text("utf-8")
    assert "status: published" in sync and "cache node that the API depends on" in sync


def test_dates_without_a_zone_are_in_the_sites_zone(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yaml").write_text(
        "title: Lantern\nbase_url: https://status.lanternworks.example/\ntimezone: Europe/Berlin\n",
        encoding="utf-8",
    )
    assert run("import", "cstate", SITE, "--content", content).exit_code == 0
    sync = (content / "incidents" / "2026-01-08-sync-outage-slow-logins.md").read_text("utf-8")
    assert "started_at: 2026-01-08T15:54:00+01:00" in sync
    dns = (content / "incidents" / "2026-02-02-api-dns-resolution-error.md").read_text("utf-8")
    assert "started_at: 2026-02-02T09:43:40.482Z" in dns  # written with a zone: kept
    assert "title: Lantern\n" in (content / "site.yaml").read_text("utf-8")  # never replaced


def test_repeat_import_is_byte_identical(tmp_path: Path) -> None:
    content = tmp_path / "content"
    assert run("import", "cstate", SITE, "--content", content).exit_code == 0
    first = snapshot(content)
    again = run("import", "cstate", SITE, "--content", content)
    assert "0 created, 0 updated, 6 unchanged" in again.output
    assert snapshot(content) == first


def test_an_unknown_system_is_reported_with_file_and_path(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    issue = site / "content" / "issues" / "2026-02-17-publish.md"
    issue.write_text(
        issue.read_text("utf-8").replace("  - Build service", "  - Mainframe"), encoding="utf-8"
    )
    content = tmp_path / "content"
    result = run("import", "cstate", site, "--content", content)
    assert result.exit_code == 1
    assert (
        f"{issue.as_posix()}: $.affected[0]: system 'Mainframe' is not in params.systems"
        in result.output
    )
    assert not content.exists()


def test_third_party_importer_by_entry_point(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A package that registers ``statuspress.importers`` is run like a built-in."""
    plugins = tmp_path / "plugins"
    (plugins / "fake_importer-0.1.dist-info").mkdir(parents=True)
    (plugins / "fake_importer-0.1.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: fake-importer\nVersion: 0.1\n", encoding="utf-8"
    )
    (plugins / "fake_importer-0.1.dist-info" / "entry_points.txt").write_text(
        "[statuspress.importers]\nlegacy = fake_importer:LegacyImporter\n"
        "broken = fake_importer:NotAnImporter\n",
        encoding="utf-8",
    )
    (plugins / "fake_importer.py").write_text(
        textwrap.dedent(
            """
            import datetime as dt
            from statuspress.importers import Imported, IncidentRecord

            class LegacyImporter:
                description = "a home-grown status page"

                def read(self, sources, options):
                    at = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.timezone.utc)
                    out = Imported(system="legacy", documents=len(sources))
                    out.site = {"title": "Legacy", "base_url": "https://legacy.example/"}
                    out.services = [{"id": "web", "name": "Web"}]
                    out.incidents.append(IncidentRecord(
                        source_id="17", title="Web down", day=at.date(),
                        front={"title": "Web down", "severity": "SEV-2",
                               "services": {"web": "major_outage"}, "started_at": at,
                               "updates": [{"at": at, "status": "investigating",
                                            "message": "Looking into it."}]}))
                    return out

            class NotAnImporter:
                description = "forgot read()"
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(plugins))
    monkeypatch.delitem(sys.modules, "fake_importer", raising=False)
    content = tmp_path / "content"
    result = run("import", "legacy", "anything", "--content", content)
    assert result.exit_code == 0, result.output
    assert "Imported 1 incidents and 0 maintenances from legacy" in result.output
    assert run("check", "--content", content, "--now", NOW).exit_code == 0
    unknown = run("import", "nosuch", "x", "--content", content)
    assert unknown.exit_code == 2
    assert "unknown importer 'nosuch'; installed: broken, cstate, legacy, statuspage" in (
        unknown.output
    )
    broken = run("import", "broken", "x", "--content", tmp_path / "other")
    assert broken.exit_code == 1
    assert "importer plugin 'broken' is not an importer" in broken.output
