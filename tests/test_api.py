"""The Statuspage v2-compatible JSON: shapes (JSON Schema from the captures) and semantics."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from jsonschema import Draft202012Validator
from public_support import (
    BASE_URL,
    INTERNAL_NAME,
    NEVER_PUBLIC,
    SCHEMAS,
    add_update,
    base_content,
    build_public,
    resolved_incident,
)
from referencing import Registry, Resource
from statuspress.public.api import short_id

DOCUMENTS = {
    "summary.json": "summary.json",
    "status.json": "status.json",
    "components.json": "components.json",
    "incidents.json": "incidents.json",
    "incidents/unresolved.json": "incidents.json",
    "scheduled-maintenances.json": "scheduled-maintenances.json",
    "scheduled-maintenances/upcoming.json": "scheduled-maintenances.json",
    "scheduled-maintenances/active.json": "scheduled-maintenances.json",
}


def _registry() -> Registry:
    resources = []
    for path in sorted(SCHEMAS.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validator(schema_name: str) -> Draft202012Validator:
    schema = REGISTRY.contents(f"https://statuspress.invalid/schemas/statuspage/{schema_name}")
    return Draft202012Validator(
        schema, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def errors(doc: Any, schema_name: str) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(schema_name).iter_errors(doc)
    ]


def load(site: Path, rel: str) -> Any:
    return json.loads((site / "api" / "v2" / rel).read_text(encoding="utf-8"))


def iid(incident_id: str) -> str:
    return short_id("incident", incident_id)


def cid(service_id: str) -> str:
    return short_id("component", service_id)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_public(tmp_path_factory.mktemp("api"), base_content())


# --- the schemas themselves, against the captured responses -----------------------------------

PAGE = {
    "id": "srhpyqt94yxb",
    "name": "Discord",
    "url": "https://discordstatus.com",
    "time_zone": "America/Tijuana",
    "updated_at": "2022-02-15T13:37:37.407-08:00",
}
LEAF = {
    "id": "qk867vbbh84x",
    "name": "South Korea",
    "status": "operational",
    "created_at": "2020-08-30T03:42:44.139-07:00",
    "updated_at": "2020-08-30T09:16:24.968-07:00",
    "position": 9,
    "description": None,
    "showcase": False,
    "start_date": None,
    "group_id": "jk03xttfcz9b",
    "page_id": "srhpyqt94yxb",
    "group": False,
    "only_show_if_degraded": False,
}
GROUP = {
    "id": "ym75hzpmfq4q",
    "name": "HashiCorp Cloud Platform (HCP)",
    "status": "under_maintenance",
    "created_at": "2021-01-14T17:03:37.911Z",
    "updated_at": "2021-02-23T17:53:38.043Z",
    "position": 1,
    "description": None,
    "showcase": False,
    "start_date": None,
    "group_id": None,
    "page_id": "pdrzb3d64wsj",
    "group": True,
    "only_show_if_degraded": False,
    "components": ["mgv1p2j9x444", "b4pr9x7288zy", "c32yfw32879v"],
}
INCIDENT = {
    "id": "n4njzfn1mqy0",
    "name": "Messaging issues",
    "status": "resolved",
    "created_at": "2022-02-15T13:14:17.744-08:00",
    "updated_at": "2022-02-15T13:37:37.404-08:00",
    "monitoring_at": "2022-02-15T13:21:55.183-08:00",
    "resolved_at": "2022-02-15T13:37:37.388-08:00",
    "impact": "minor",
    "shortlink": "https://stspg.io/y1w39cblgvhz",
    "started_at": "2022-02-15T13:14:17.737-08:00",
    "page_id": "srhpyqt94yxb",
    "incident_updates": [
        {
            "id": "2shj4d01hc9g",
            "status": "monitoring",
            "body": "We believe we have mitigated the root cause and are continuing to monitor.",
            "incident_id": "n4njzfn1mqy0",
            "created_at": "2022-02-15T13:21:55.183-08:00",
            "updated_at": "2022-02-15T13:21:55.183-08:00",
            "display_at": "2022-02-15T13:21:55.183-08:00",
            "affected_components": [
                {
                    "code": "rhznvxg4v7yh",
                    "name": "API",
                    "old_status": "degraded_performance",
                    "new_status": "operational",
                }
            ],
            "deliver_notifications": True,
            "custom_tweet": None,
            "tweet_id": None,
        }
    ],
    "components": [{**LEAF, "id": "rhznvxg4v7yh", "name": "API", "group_id": None}],
}
MAINTENANCE = {
    "id": "chkt3cr0jf7b",
    "name": "Server Juice",
    "status": "completed",
    "created_at": "2015-09-18T18:20:40.535-07:00",
    "updated_at": "2015-09-22T02:25:20.086-07:00",
    "monitoring_at": "2015-09-22T01:07:50.805-07:00",
    "resolved_at": "2015-09-22T02:25:20.034-07:00",
    "impact": "major",
    "shortlink": "http://stspg.io/1UdW",
    "started_at": "2015-09-18T18:20:00.000-07:00",
    "page_id": "srhpyqt94yxb",
    "incident_updates": [
        {
            "id": "qx6z06wkmsfd",
            "status": "in_progress",
            "body": "Maintenance has started! We will be back as soon as possible.",
            "incident_id": "chkt3cr0jf7b",
            "created_at": "2015-09-22T00:55:02.284-07:00",
            "updated_at": "2015-09-22T00:55:02.284-07:00",
            "display_at": "2015-09-22T00:55:02.284-07:00",
            "affected_components": None,
            "deliver_notifications": True,
            "custom_tweet": None,
            "tweet_id": None,
        }
    ],
    "components": [],
    "scheduled_for": "2015-09-22T01:00:00.000-07:00",
    "scheduled_until": "2015-09-22T01:30:00.000-07:00",
}
CAPTURED = {
    "summary.json": {
        "page": PAGE,
        "components": [GROUP, LEAF],
        "incidents": [],
        "scheduled_maintenances": [],
        "status": {"indicator": "none", "description": "All Systems Operational"},
    },
    "status.json": {
        "page": PAGE,
        "status": {"indicator": "none", "description": "All Systems Operational"},
    },
    "components.json": {"page": PAGE, "components": [GROUP, LEAF]},
    "incidents.json": {"page": PAGE, "incidents": [INCIDENT]},
    "scheduled-maintenances.json": {"page": PAGE, "scheduled_maintenances": [MAINTENANCE]},
}


@pytest.mark.parametrize("name", sorted(CAPTURED))
def test_schemas_accept_the_captured_statuspage_responses(name: str) -> None:
    assert errors(CAPTURED[name], name) == []


@pytest.mark.parametrize(
    ("name", "path", "change"),
    [
        ("status.json", ["status", "indicator"], "maintenance"),
        ("components.json", ["components", 1, "status"], "down"),
        ("components.json", ["components", 0, "group"], False),
        ("incidents.json", ["incidents", 0, "status"], "completed"),
        ("incidents.json", ["incidents", 0, "created_at"], "2022-02-15 13:14:17"),
        ("incidents.json", ["incidents", 0, "incident_updates", 0, "id"], "N4NJZFN1MQY0"),
        ("scheduled-maintenances.json", ["scheduled_maintenances", 0, "status"], "resolved"),
    ],
)
def test_schemas_reject_wrong_values(name: str, path: list[Any], change: Any) -> None:
    doc = copy.deepcopy(CAPTURED[name])
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = change
    assert errors(doc, name)


def test_schemas_reject_missing_and_extra_fields() -> None:
    doc = copy.deepcopy(CAPTURED["incidents.json"])
    del doc["incidents"][0]["incident_updates"][0]["display_at"]
    assert errors(doc, "incidents.json")
    doc = copy.deepcopy(CAPTURED["incidents.json"])
    doc["incidents"][0]["severity"] = "SEV-1"
    assert errors(doc, "incidents.json")
    doc = copy.deepcopy(CAPTURED["scheduled-maintenances.json"])
    del doc["scheduled_maintenances"][0]["scheduled_until"]
    assert errors(doc, "scheduled-maintenances.json")
    doc = copy.deepcopy(CAPTURED["components.json"])
    doc["components"][1]["components"] = ["mgv1p2j9x444"]  # a leaf with children
    assert errors(doc, "components.json")
    doc = copy.deepcopy(CAPTURED["components.json"])
    del doc["components"][0]["components"]  # a group without them
    assert errors(doc, "components.json")
    doc = copy.deepcopy(CAPTURED["incidents.json"])
    doc["incidents"][0]["scheduled_for"] = MAINTENANCE["scheduled_for"]
    assert errors(doc, "incidents.json")


# --- our documents -----------------------------------------------------------------------------


def test_every_document_validates_and_is_stable_json(site: Path) -> None:
    for rel, schema in DOCUMENTS.items():
        raw = (site / "api" / "v2" / rel).read_text(encoding="utf-8")
        assert raw.endswith("}\n"), rel
        doc = json.loads(raw)
        assert errors(doc, schema) == [], rel
        assert list(doc)[0] == "page"
    summary = load(site, "summary.json")
    assert list(summary) == ["page", "components", "incidents", "scheduled_maintenances", "status"]
    assert list(summary["page"]) == ["id", "name", "url", "time_zone", "updated_at"]
    assert summary["page"]["url"] == "https://status.example.com"
    assert summary["page"]["time_zone"] == "Europe/Berlin"
    # The latest public change: the SEV-1's 11:10Z update, in the page's zone (CET).
    assert summary["page"]["updated_at"] == "2026-11-27T12:10:00.000+01:00"


def test_summary_status_for_an_active_sev1_is_critical(site: Path) -> None:
    expected = {"indicator": "critical", "description": "Major Service Outage"}
    assert load(site, "summary.json")["status"] == expected
    assert load(site, "status.json")["status"] == expected


def _only(content: dict[str, Any], keep: set[str]) -> dict[str, Any]:
    content["incidents"] = {k: v for k, v in content["incidents"].items() if k in keep}
    return content


def test_summary_status_for_a_sev3_is_minor(tmp_path: Path) -> None:
    content = _only(base_content(), {"slow-web"})
    front = content["incidents"]["slow-web"]["front"]
    del front["resolved_at"]
    front["updates"] = front["updates"][:1]
    front.pop("postmortem")
    front["started_at"] = "2026-11-27T09:00:00Z"
    front["updates"][0]["at"] = "2026-11-27T09:05:00Z"
    site = build_public(tmp_path, content)
    summary = load(site, "summary.json")
    assert summary["status"] == {"indicator": "minor", "description": "Minor Service Outage"}
    assert [i["id"] for i in summary["incidents"]] == [iid("slow-web")]
    assert summary["incidents"][0]["impact"] == "minor"


def test_summary_status_without_incidents_is_none(tmp_path: Path) -> None:
    site = build_public(tmp_path, _only(base_content(), {"slow-web", "old-work", "db-upgrade"}))
    summary = load(site, "summary.json")
    assert summary["status"] == {"indicator": "none", "description": "All Systems Operational"}
    assert summary["incidents"] == []
    assert load(site, "incidents/unresolved.json")["incidents"] == []
    assert load(site, "scheduled-maintenances/active.json")["scheduled_maintenances"] == []
    assert {c["status"] for c in summary["components"]} == {"operational"}


def test_maintenance_alone_says_under_maintenance(tmp_path: Path) -> None:
    site = build_public(tmp_path, _only(base_content(), {"cdn-work"}))
    status = load(site, "status.json")["status"]
    assert status == {"indicator": "none", "description": "Service Under Maintenance"}


def test_unresolved_lists_exactly_the_active_incidents(site: Path) -> None:
    unresolved = load(site, "incidents/unresolved.json")["incidents"]
    assert [i["id"] for i in unresolved] == [iid("api-down")]
    (inc,) = unresolved
    assert inc["status"] == "identified"
    assert inc["impact"] == "critical"
    assert inc["resolved_at"] is None and inc["monitoring_at"] is None
    assert inc["shortlink"] == f"{BASE_URL}incidents/api-down/"
    assert inc["started_at"] == "2026-11-27T11:40:00.000+01:00"
    assert [c["id"] for c in inc["components"]] == [cid("api")]
    assert inc["components"][0]["status"] == "partial_outage"
    assert load(site, "summary.json")["incidents"] == unresolved


def test_incident_updates_are_newest_first_with_component_changes(site: Path) -> None:
    (inc,) = load(site, "incidents/unresolved.json")["incidents"]
    updates = inc["incident_updates"]
    assert [u["status"] for u in updates] == ["identified", "investigating"]
    newest, first = updates
    assert newest["body"] == "We have identified the cause & are fixing it."
    assert newest["display_at"] == newest["created_at"] == "2026-11-27T12:10:00.000+01:00"
    assert newest["incident_id"] == inc["id"]
    assert newest["affected_components"] == [
        {
            "code": cid("api"),
            "name": "Public API",
            "old_status": "major_outage",
            "new_status": "partial_outage",
        }
    ]
    # The first update sets the status the incident started with (10:40Z, before 10:45Z);
    # the internal service it also names is dropped.
    assert first["affected_components"] == [
        {
            "code": cid("api"),
            "name": "Public API",
            "old_status": "major_outage",
            "new_status": "major_outage",
        }
    ]


def test_incidents_json_holds_incidents_only_newest_first(site: Path) -> None:
    incidents = load(site, "incidents.json")["incidents"]
    assert [i["id"] for i in incidents] == [iid("api-down"), iid("slow-web")]
    resolved = incidents[1]
    assert resolved["status"] == "postmortem"  # a public postmortem summary is published
    assert resolved["resolved_at"] == "2026-11-20T11:00:00.000+01:00"
    assert resolved["monitoring_at"] == "2026-11-20T10:30:00.000+01:00"
    assert resolved["incident_updates"][0]["affected_components"] is None


def test_maintenance_lists(site: Path) -> None:
    def ids(rel: str) -> list[str]:
        return [m["id"] for m in load(site, rel)["scheduled_maintenances"]]

    assert ids("scheduled-maintenances/upcoming.json") == [iid("db-upgrade")]
    assert ids("scheduled-maintenances/active.json") == [iid("cdn-work")]
    assert ids("scheduled-maintenances.json") == [
        iid("db-upgrade"),
        iid("cdn-work"),
        iid("old-work"),
    ]
    summary = load(site, "summary.json")["scheduled_maintenances"]
    assert {m["id"] for m in summary} == {iid("db-upgrade"), iid("cdn-work")}
    every = {
        m["id"]: m for m in load(site, "scheduled-maintenances.json")["scheduled_maintenances"]
    }
    upcoming, active, done = (
        every[iid("db-upgrade")],
        every[iid("cdn-work")],
        every[iid("old-work")],
    )
    assert upcoming["status"] == "scheduled"
    assert upcoming["scheduled_for"] == "2026-11-28T03:00:00.000+01:00"
    assert upcoming["scheduled_until"] == "2026-11-28T05:00:00.000+01:00"
    assert upcoming["impact"] == "maintenance"
    assert upcoming["incident_updates"][0]["body"] == (
        "Orders & invoices may be delayed for 5 minutes."
    )
    assert [c["id"] for c in upcoming["components"]] == [cid("api"), cid("billing")]
    assert active["status"] == "in_progress"
    assert done["status"] == "completed"
    assert done["monitoring_at"] == "2026-10-06T03:10:00.000+02:00"  # the verifying update
    assert done["resolved_at"] == "2026-10-06T03:30:00.000+02:00"


def test_in_progress_maintenance_with_only_its_announcement_is_in_progress(
    tmp_path: Path,
) -> None:
    content = _only(base_content(), {"cdn-work"})
    content["incidents"]["cdn-work"]["front"]["updates"].pop()  # only "scheduled" posted
    site = build_public(tmp_path, content)
    (active,) = load(site, "scheduled-maintenances/active.json")["scheduled_maintenances"]
    assert active["status"] == "in_progress"
    assert load(site, "scheduled-maintenances/upcoming.json")["scheduled_maintenances"] == []


def test_group_components(site: Path) -> None:
    components = load(site, "components.json")["components"]
    by_id = {c["id"]: c for c in components}
    assert len(by_id) == len(components) == 6
    core = by_id[short_id("group", "core")]
    edge = by_id[short_id("group", "edge")]
    assert core["group"] is True and core["components"] == [cid("api"), cid("web")]
    assert core["status"] == "partial_outage"  # worst child: api
    assert edge["components"] == [cid("cdn")] and edge["status"] == "under_maintenance"
    assert edge["description"] == "Our CDN"
    for child in ("api", "web"):
        assert by_id[cid(child)]["group_id"] == core["id"]
    assert by_id[cid("cdn")]["group_id"] == edge["id"]
    billing = by_id[cid("billing")]
    assert billing["group_id"] is None and billing["group"] is False
    # Top level in catalog order (a group where its first service stands), then children.
    assert [c["id"] for c in components] == [
        core["id"],
        cid("api"),
        cid("web"),
        billing["id"],
        edge["id"],
        cid("cdn"),
    ]
    assert [core["position"], billing["position"], edge["position"]] == [1, 2, 3]
    assert [by_id[cid("api")]["position"], by_id[cid("web")]["position"]] == [1, 2]
    assert by_id[cid("web")]["description"] == "www"
    assert by_id[cid("api")]["description"] is None
    assert by_id[cid("api")]["updated_at"] == "2026-11-27T12:10:00.000+01:00"
    assert load(site, "summary.json")["components"] == components


def test_nothing_internal_appears(site: Path) -> None:
    for rel in DOCUMENTS:
        raw = (site / "api" / "v2" / rel).read_text(encoding="utf-8")
        for secret in (INTERNAL_NAME, "internal-db", cid("internal-db"), "Jane Commander"):
            assert secret not in raw, (rel, secret)
        assert "db-primary-7" not in raw and "SEV-" not in raw and "team-api" not in raw
        for hidden in NEVER_PUBLIC:
            assert iid(hidden) not in raw and f"incidents/{hidden}/" not in raw


def test_ids_are_stable_across_revisions_and_hosts(tmp_path: Path) -> None:
    content = base_content()
    before = load(build_public(tmp_path / "a", content), "incidents/unresolved.json")
    add_update(
        content,
        "api-down",
        {"at": "2026-11-27T11:50:00Z", "status": "monitoring", "message": "Fix deployed."},
    )
    elsewhere = build_public(tmp_path / "b", content, base_url="https://status.example.org/sub/")
    after = load(elsewhere, "incidents/unresolved.json")
    (old,), (new,) = before["incidents"], after["incidents"]
    assert new["id"] == old["id"]
    assert [u["id"] for u in new["incident_updates"][1:]] == [
        u["id"] for u in old["incident_updates"]
    ]
    assert new["incident_updates"][0]["status"] == "monitoring"
    assert new["updated_at"] > old["updated_at"]
    assert new["shortlink"] == "https://status.example.org/sub/incidents/api-down/"
    assert after["page"]["url"] == "https://status.example.org/sub"
    assert after["page"]["id"] != before["page"]["id"]  # the page id names the page
    assert load(elsewhere, "components.json")["components"][1]["id"] == cid("api")


def test_lists_hold_the_50_most_recent(tmp_path: Path) -> None:
    content = base_content()
    first = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for n in range(60):
        content["incidents"][f"bulk-{n:02d}"] = resolved_incident(n, first + dt.timedelta(days=n))
    site = build_public(tmp_path, content)
    incidents = load(site, "incidents.json")["incidents"]
    assert len(incidents) == 50
    assert incidents[0]["id"] == iid("api-down")
    assert iid("bulk-59") in {i["id"] for i in incidents}
    assert iid("bulk-10") not in {i["id"] for i in incidents}
    assert errors(load(site, "incidents.json"), "incidents.json") == []


def test_non_ascii_is_written_as_utf8(tmp_path: Path) -> None:
    content = base_content()
    content["incidents"]["api-down"]["front"]["title"] = "API down 🚨 \u05e9\u05dc\u05d5\u05dd"
    site = build_public(tmp_path, content)
    raw = (site / "api/v2/incidents/unresolved.json").read_text(encoding="utf-8")
    assert '"name": "API down 🚨 שלום"' in raw
    assert "\\u" not in raw
    jsonschema.validate(
        json.loads(raw), validator("incidents.json").schema, registry=REGISTRY
    )  # the plain jsonschema entry point too


def test_same_input_gives_same_bytes(tmp_path: Path) -> None:
    a = build_public(tmp_path / "a", base_content())
    b = build_public(tmp_path / "b", base_content())
    for rel in DOCUMENTS:
        assert (a / "api/v2" / rel).read_bytes() == (b / "api/v2" / rel).read_bytes(), rel
