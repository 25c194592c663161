"""Import from Atlassian Statuspage (and pages compatible with its public API v2).

Sources: a page's base URL (``summary.json``, ``incidents.json`` and
``scheduled-maintenances.json`` are fetched), a folder of saved documents (flat or an
``api/v2/`` tree) or JSON files: public v2 documents, management-API incident lists (a JSON
array of incident objects, one file per page of results) or webhook payloads.

The mapping is documented in docs/migrating.md; in short: impact critical/major/minor/none ->
SEV-1/2/3/4 (the inverse of how statuspress derives the public impact, so it survives a round
trip), maintenances keep their window and their four statuses, and every update keeps its
status, its time (``display_at``) and its text (as text: Markdown characters are escaped).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..definitions import COMPONENT_STATUSES, INCIDENT_UPDATE_STATUSES, MAINTENANCE_UPDATE_STATUSES
from . import Imported, ImportOptions, IncidentRecord
from .emit import Enum
from .fetch import FetchError, fetch_json
from .text import Ids, clean, markdown_literal, one_line, parse_time, truncate

SEVERITY_BY_IMPACT = {"critical": "SEV-1", "major": "SEV-2", "minor": "SEV-3", "none": "SEV-4"}
# A component named by an incident without a status change in any update: the status its
# impact implies (Statuspage derives impact from the worst component status the same way).
STATUS_BY_IMPACT = {
    "critical": "major_outage",
    "major": "partial_outage",
    "minor": "degraded_performance",
    "none": "operational",
}
RANK = {s: i for i, s in enumerate(("operational", "under_maintenance", "degraded_performance",
                                    "partial_outage", "major_outage"))}  # fmt: skip
DOCUMENTS = ("summary.json", "incidents.json", "scheduled-maintenances.json")
RESOLVED_TEXT = "This incident has been resolved."


class StatuspageImporter:
    description = "Atlassian Statuspage: a page URL, a folder of saved api/v2 documents, or files"

    def read(self, sources: Sequence[str], options: ImportOptions) -> Imported:
        result = Imported(system="statuspage")
        docs: list[tuple[str, Any]] = []
        for source in sources:
            docs.extend(_load(source, options, result))
        result.documents = len(docs)
        if result.problems:
            return result
        _Mapper(result, options).map(docs)
        return result


# -- reading -------------------------------------------------------------------------------


def _load(source: str, options: ImportOptions, result: Imported) -> list[tuple[str, Any]]:
    if source.startswith(("http://", "https://")):
        base = source.rstrip("/").removesuffix("/api/v2")
        # A page's base URL (or its api/v2/) means its three documents; a .json URL itself.
        urls = [source] if source.endswith(".json") else [f"{base}/api/v2/{n}" for n in DOCUMENTS]
        out = []
        for url in urls:
            try:
                value, size = fetch_json(
                    url, timeout=options.timeout, allow_http=options.allow_http
                )
            except FetchError as exc:
                result.problem(url, "", str(exc).removeprefix(f"{url}: "))
                continue
            options.progress(f"fetched {url} ({size:,} bytes)")
            out.append((url, value))
        return out
    path = Path(source)
    if path.is_dir():
        tree = path / "api" / "v2"
        folder = tree if tree.is_dir() else path
        files = sorted(folder.glob("*.json"), key=lambda p: (p.name not in DOCUMENTS, p.name))
        if not files:
            result.problem(source, "", "no .json documents in this folder")
        return [doc for f in files if (doc := _read_file(f, result)) is not None]
    if path.is_file():
        doc = _read_file(path, result)
        return [doc] if doc is not None else []
    if source.startswith(("ftp:", "file:")) or "://" in source:
        result.problem(source, "", "only http(s) URLs, folders and files can be imported")
    else:
        result.problem(source, "", "no such file or folder")
    return []


def _read_file(path: Path, result: Imported) -> tuple[str, Any] | None:
    shown = path.as_posix()
    try:
        text = path.read_bytes().decode("utf-8-sig")
        return shown, json.loads(text)
    except OSError as exc:
        result.problem(shown, "", f"cannot read: {exc.strerror or exc}")
    except UnicodeDecodeError:
        result.problem(shown, "", "not UTF-8 text")
    except json.JSONDecodeError as exc:
        result.problem(shown, "", f"not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
    return None


# -- mapping -------------------------------------------------------------------------------


class _Mapper:
    def __init__(self, result: Imported, options: ImportOptions) -> None:
        self.result = result
        self.options = options
        self.page: dict[str, Any] | None = None
        self.page_doc = ""
        self.components: dict[str, tuple[dict[str, Any], str, str]] = {}
        """Component id -> (object, document, path); the first one seen wins."""
        self.items: dict[str, tuple[dict[str, Any], str, str, bool]] = {}
        """Incident id -> (object, document, path, is maintenance)."""
        self.service_of: dict[str, str] = {}
        self.tz: dt.tzinfo = dt.UTC

    def problem(self, doc: str, path: str, message: str) -> None:
        self.result.problem(doc, path, message)

    # documents -> components, incidents
    def map(self, docs: list[tuple[str, Any]]) -> None:
        for doc, value in docs:
            self.collect(doc, value)
        for obj, doc, path, _maint in list(self.items.values()):
            for i, comp in enumerate(_list(obj.get("components"))):
                if isinstance(comp, dict) and isinstance(comp.get("id"), str):
                    self.components.setdefault(comp["id"], (comp, doc, f"{path}.components[{i}]"))
        self.map_page()
        self.map_components()
        for key in sorted(self.items, key=self.order):
            obj, doc, path, maint = self.items[key]
            record = self.map_incident(obj, doc, path, maint)
            if record is not None:
                self.result.incidents.append(record)

    def order(self, key: str) -> tuple[str, str]:
        obj = self.items[key][0]
        return (str(obj.get("started_at") or obj.get("created_at") or ""), key)

    def collect(self, doc: str, value: Any) -> None:
        if isinstance(value, list):
            for i, item in enumerate(value):
                self.add_item(doc, f"$[{i}]", item, None)
            return
        if not isinstance(value, dict):
            self.problem(doc, "$", "expected a Statuspage JSON object or a list of incidents")
            return
        known = False
        page = value.get("page")
        if isinstance(page, dict) and "name" in page:
            known = True
            if self.page is None or ("time_zone" in page and "time_zone" not in self.page):
                self.page, self.page_doc = page, doc
        if isinstance(value.get("components"), list):
            known = True
            for i, comp in enumerate(value["components"]):
                path = f"$.components[{i}]"
                if not isinstance(comp, dict) or not isinstance(comp.get("id"), str):
                    self.problem(doc, path, "a component needs an 'id'")
                    continue
                self.components.setdefault(comp["id"], (comp, doc, path))
        for key, maint in (("incidents", False), ("scheduled_maintenances", True)):
            if isinstance(value.get(key), list):
                known = True
                for i, item in enumerate(value[key]):
                    self.add_item(doc, f"$.{key}[{i}]", item, maint)
        if isinstance(value.get("incident"), dict):  # a webhook payload
            known = True
            self.add_item(doc, "$.incident", value["incident"], None)
        if not known:
            self.problem(
                doc, "$", "not a Statuspage document (no page, components, incidents or "
                "scheduled_maintenances)",
            )  # fmt: skip

    def add_item(self, doc: str, path: str, item: Any, maint: bool | None) -> None:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            self.problem(doc, path, "an incident needs an 'id'")
            return
        if maint is None:  # management lists mix both; a maintenance has a window
            maint = item.get("scheduled_for") is not None
        old = self.items.get(item["id"])
        # The same incident in two documents (incidents.json and unresolved.json, two pages
        # of a list): keep the most recently updated copy, so the order of sources is moot.
        if old is None or str(item.get("updated_at") or "") > str(old[0].get("updated_at") or ""):
            self.items[item["id"]] = (item, doc, path, maint)

    def map_page(self) -> None:
        page = self.page
        if page is None:
            return
        zone = page.get("time_zone")
        if isinstance(zone, str) and zone:
            try:
                self.tz = ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                self.problem(self.page_doc, "$.page.time_zone", f"unknown time zone '{zone}'")
        elif self.options.timezone:
            self.tz = ZoneInfo(self.options.timezone)
        url = page.get("url")
        name = page.get("name")
        if not isinstance(name, str) or not one_line(name):
            self.problem(self.page_doc, "$.page.name", "the page has no name")
            return
        site: dict[str, Any] = {"title": truncate(one_line(name), 200)}
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            site["base_url"] = url.rstrip("/") + "/"
        else:
            site["base_url"] = "https://status.example.com/"
        if isinstance(zone, str) and zone:
            site["timezone"] = zone
        self.result.site = site

    def map_components(self) -> None:
        comps = self.components
        groups = {k: v for k, v in comps.items() if v[0].get("group") is True}
        children: dict[str, list[str]] = {g: [] for g in groups}
        top: list[str] = []
        for cid, (comp, _doc, _path) in comps.items():
            if cid in groups:
                top.append(cid)
                continue
            parent = comp.get("group_id")
            if parent is None:
                parent = next(
                    (g for g, v in groups.items() if cid in _list(v[0].get("components"))), None
                )
            if isinstance(parent, str) and parent in groups:
                children[parent].append(cid)
            else:
                top.append(cid)

        seen = {cid: n for n, cid in enumerate(comps)}

        def position(cid: str) -> tuple[int, int]:
            pos = comps[cid][0].get("position")
            return (pos if isinstance(pos, int) else 1 << 30, seen[cid])

        group_ids, service_ids = Ids("group"), Ids("service")
        for cid in sorted(top, key=position):
            comp = comps[cid][0]
            if cid in groups:
                if not children[cid]:
                    continue  # an empty group shows nothing on a status page
                gid = group_ids.make(_name(comp))
                group: dict[str, Any] = {"id": gid, "name": truncate(_name(comp), 200)}
                if _description(comp):
                    group["description"] = _description(comp)
                self.result.groups.append(group)
                for child in sorted(children[cid], key=position):
                    self.add_service(child, gid, _name(comp), service_ids)
            else:
                self.add_service(cid, "", "", service_ids)

    def add_service(self, cid: str, gid: str, group_name: str, ids: Ids) -> None:
        comp = self.components[cid][0]
        sid = ids.make(_name(comp), group_name)
        self.service_of[cid] = sid
        service: dict[str, Any] = {"id": sid, "name": truncate(_name(comp), 200)}
        if gid:
            service["group"] = gid
        if _description(comp):
            service["description"] = _description(comp)
        self.result.services.append(service)

    # one incident or maintenance
    def map_incident(
        self, obj: dict[str, Any], doc: str, path: str, maint: bool
    ) -> IncidentRecord | None:
        before = len(self.result.problems)
        name = obj.get("name")
        if not isinstance(name, str) or not one_line(name):
            self.problem(doc, f"{path}.name", "missing or empty")
            name = ""
        impact = obj.get("impact_override") or obj.get("impact")
        if impact is None and "impact" not in obj:
            impact = _impact_of(obj)  # old captures have no impact: Statuspage's own rule
        if not maint and impact not in SEVERITY_BY_IMPACT:
            self.problem(doc, f"{path}.impact", f"unknown impact {impact!r}; expected one of "
                         f"{', '.join(SEVERITY_BY_IMPACT)}")  # fmt: skip
        allowed = MAINTENANCE_UPDATE_STATUSES if maint else INCIDENT_UPDATE_STATUSES
        updates: list[dict[str, Any]] = []
        worst: dict[str, str] = {}
        raw_updates = obj.get("incident_updates")
        if raw_updates is not None and not isinstance(raw_updates, list):
            self.problem(doc, f"{path}.incident_updates", "expected a list")
            raw_updates = []
        for i, upd in enumerate(raw_updates or []):
            mapped = self.map_update(upd, doc, f"{path}.incident_updates[{i}]", allowed, worst)
            if mapped is not None:
                updates.append(mapped)
        # Newest first at the source; a stable sort keeps same-instant updates in posting order.
        updates.reverse()
        updates.sort(key=lambda u: u["at"])
        services = self.incident_services(obj, doc, path, worst, maint, str(impact))
        started = self.time(obj, "started_at", doc, path) or self.time(obj, "created_at", doc, path)
        window: tuple[dt.datetime, dt.datetime] | None = None
        if maint:
            start = self.time(obj, "scheduled_for", doc, path, required=True)
            end = self.time(obj, "scheduled_until", doc, path, required=True)
            if start and end and end <= start:
                self.problem(doc, f"{path}.scheduled_until", "is not after scheduled_for")
            if start and end:
                window = (start, end)
            started = started or start
        if started is None and updates:
            started = updates[0]["at"]
        if started is None:
            self.problem(doc, f"{path}.started_at", "no start time (started_at or created_at)")
        if len(self.result.problems) > before or started is None:
            return None
        if not maint and updates and updates[0]["at"] < started:
            started = updates[0]["at"]  # a back-dated start can never follow its first update
        resolved = self.time(obj, "resolved_at", doc, path)
        resolved = self.resolution(obj, updates, resolved, maint)
        if resolved is not None and resolved < started:
            resolved = started
        front: dict[str, Any] = {"title": truncate(one_line(name), 300)}
        if maint:
            front["kind"] = Enum("maintenance")
        else:
            front["severity"] = Enum(SEVERITY_BY_IMPACT[str(impact)])
        front["services"] = {k: Enum(v) for k, v in services.items()}
        front["started_at"] = started
        if resolved is not None:
            front["resolved_at"] = resolved
        if window:
            front["scheduled_start"], front["scheduled_end"] = window
        if updates:
            front["updates"] = [
                {k: Enum(v) if k == "status" else v for k, v in u.items()} for u in updates
            ]
        postmortem = obj.get("postmortem_body")
        if isinstance(postmortem, str) and clean(postmortem):
            published = obj.get("postmortem_published_at") is not None
            front["postmortem"] = {
                "status": Enum("published" if published else "draft"),
                "public_summary": truncate(clean(postmortem), 20_000),
            }
        shortlink = obj.get("shortlink")
        url = shortlink if isinstance(shortlink, str) and shortlink.startswith("http") else ""
        day = (window[0] if window else started).astimezone(self.tz).date()
        return IncidentRecord(
            source_id=obj["id"], title=one_line(name), day=day, front=front, source_url=url,
            body=f"Imported from Statuspage ({url or obj['id']}).", origin=f"{doc}: {path}",
            old_path=f"/incidents/{obj['id']}",
        )  # fmt: skip

    def map_update(
        self, upd: Any, doc: str, path: str, allowed: tuple[str, ...], worst: dict[str, str]
    ) -> dict[str, Any] | None:
        if not isinstance(upd, dict):
            self.problem(doc, path, "an update must be an object")
            return None
        status = upd.get("status")
        if status not in allowed:
            self.problem(doc, f"{path}.status", f"unknown status {status!r} here; expected one "
                         f"of {', '.join(allowed)}")  # fmt: skip
        at = self.time(upd, "display_at", doc, path) or self.time(upd, "created_at", doc, path)
        if at is None:
            self.problem(doc, f"{path}.display_at", "no time (display_at or created_at)")
        body = upd.get("body")
        text = markdown_literal(clean(body)) if isinstance(body, str) else ""
        if not text:
            text = f"{str(status).replace('_', ' ').capitalize()}."
        if len(text) > 20_000:
            self.problem(doc, f"{path}.body", "longer than 20,000 characters")
        services: dict[str, str] = {}
        for j, change in enumerate(_list(upd.get("affected_components"))):
            where = f"{path}.affected_components[{j}]"
            code = change.get("code") if isinstance(change, dict) else None
            new = change.get("new_status") if isinstance(change, dict) else None
            if code not in self.service_of:
                self.problem(doc, f"{where}.code", f"component {code!r} is not on the page")
                continue
            if new not in COMPONENT_STATUSES:
                self.problem(doc, f"{where}.new_status", f"unknown component status {new!r}")
                continue
            sid = self.service_of[str(code)]
            services[sid] = str(new)
            if RANK[str(new)] >= RANK.get(worst.get(sid, "operational"), 0):
                worst[sid] = str(new)
        if at is None or status not in allowed:
            return None
        out: dict[str, Any] = {"at": at, "status": status, "message": text}
        if services:
            out["services"] = {k: Enum(v) for k, v in sorted(services.items())}
        return out

    def incident_services(
        self, obj: dict[str, Any], doc: str, path: str, worst: dict[str, str], maint: bool,
        impact: str,
    ) -> dict[str, str]:  # fmt: skip
        default = "under_maintenance" if maint else STATUS_BY_IMPACT.get(impact, "operational")
        out = dict(worst)
        for i, comp in enumerate(_list(obj.get("components"))):
            cid = comp.get("id") if isinstance(comp, dict) else None
            if cid in self.service_of:
                out.setdefault(self.service_of[str(cid)], default)
            elif not (isinstance(comp, dict) and comp.get("group") is True):
                self.problem(
                    doc, f"{path}.components[{i}]", f"component {cid!r} is not on the page"
                )
        if not out:
            # Nothing named: the incident concerned the whole page. It is attached to every
            # service without changing a status, so it stays visible on the new page.
            out = {sid: "operational" for sid in self.service_of.values()}
        if not out:
            self.problem(doc, path, "no components are known; import the page's summary.json too")
        return dict(sorted(out.items()))

    def resolution(
        self, obj: dict[str, Any], updates: list[dict[str, Any]], resolved: dt.datetime | None,
        maint: bool,
    ) -> dt.datetime | None:  # fmt: skip
        last = updates[-1] if updates else None
        done = "completed" if maint else "resolved"
        if last is not None and last["status"] == done:
            return max(resolved or last["at"], last["at"])
        if resolved is None and obj.get("status") not in ("resolved", "postmortem", "completed"):
            return None
        if last is None:
            return resolved
        moment = max(resolved or last["at"], last["at"])
        if not maint:
            # Resolved at the source without a closing update: the timeline must end resolved.
            updates.append({"at": moment, "status": "resolved", "message": RESOLVED_TEXT})
        return moment

    def time(
        self, obj: dict[str, Any], key: str, doc: str, path: str, required: bool = False
    ) -> dt.datetime | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.problem(doc, f"{path}.{key}", "missing")
            return None
        moment = parse_time(value, None) if isinstance(value, str) else None
        if moment is None:
            self.problem(doc, f"{path}.{key}", f"not an ISO 8601 time with an offset: {value!r}")
        elif not 1970 <= moment.year <= 2100:
            self.problem(doc, f"{path}.{key}", f"year {moment.year} is out of range")
            return None
        return moment


def _impact_of(obj: dict[str, Any]) -> str:
    """The impact Statuspage derives from the worst status an incident gave a component."""
    worst = "operational"
    for upd in _list(obj.get("incident_updates")):
        for change in _list(upd.get("affected_components") if isinstance(upd, dict) else None):
            new = change.get("new_status") if isinstance(change, dict) else None
            if new in RANK and RANK[new] > RANK[worst]:
                worst = new
    by_status = {v: k for k, v in STATUS_BY_IMPACT.items()}
    return by_status.get(worst, "none")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _name(comp: dict[str, Any]) -> str:
    name = comp.get("name")
    return one_line(name) if isinstance(name, str) and one_line(name) else str(comp.get("id"))


def _description(comp: dict[str, Any]) -> str:
    text = comp.get("description")
    return truncate(one_line(text), 500) if isinstance(text, str) else ""
