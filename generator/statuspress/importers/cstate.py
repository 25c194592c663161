"""Import from a cState site (a Hugo site using the cState theme).

``config.yml`` (or ``config.yaml``/``hugo.yaml``): ``params.categories`` become groups and
``params.systems`` services; the title, ``baseURL``, ``params.description``, ``languageCode``
and Hugo's ``timeZone`` become site.yaml. Every ``content/issues/**/*.md`` becomes an incident:
``severity`` down/disrupted/notice -> SEV-1/2/3 (services major_outage/partial_outage/
degraded_performance), ``informational: true`` -> SEV-4 with no status change, ``affected`` ->
the services, ``resolved``/``resolvedWhen`` -> resolved_at, and each
``*Status* - text {{< track "time" >}}`` paragraph of the body -> one update. Dates without an
offset are in Hugo's ``timeZone`` (else the existing site.yaml's zone, else UTC), as Hugo reads
them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from . import Imported, ImportOptions, IncidentRecord
from .emit import Enum
from .text import Ids, clean, markdown_literal, one_line, parse_time, truncate

SEVERITY = {
    "down": ("SEV-1", "major_outage"),
    "disrupted": ("SEV-2", "partial_outage"),
    "notice": ("SEV-3", "degraded_performance"),
}
STATUSES = {"investigating", "identified", "monitoring", "resolved"}
CONFIG_NAMES = ("config.yml", "config.yaml", "hugo.yml", "hugo.yaml")
RESOLVED_TEXT = "This issue has been resolved."

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TRACK = re.compile(r"\{\{<\s*track\s+\"([^\"]*)\"\s*>\}\}")
# A label at the start of an update: *Status*, **Status**, _Status_ or __Status__, then an
# optional ':' or ' -' before the text.
_LABEL = re.compile(r"\A(\*{1,2}|_{1,2})([^*_\n]{1,60}?)\1[ \t]*(?:(?::|-|–|—)[ \t]*\n?|\n|\Z)\s*")
_POSTMORTEM = re.compile(r"post[- ]?mortem", re.IGNORECASE)


class CStateImporter:
    description = "cState (Hugo): a site folder with config.yml and content/issues/"

    def read(self, sources: Sequence[str], options: ImportOptions) -> Imported:
        result = Imported(system="cstate")
        if len(sources) != 1:
            result.problem(", ".join(sources), "", "give exactly one cState site folder")
            return result
        site_dir = Path(sources[0])
        config_path = next((site_dir / n for n in CONFIG_NAMES if (site_dir / n).is_file()), None)
        if not site_dir.is_dir() or config_path is None:
            result.problem(sources[0], "", "not a cState site: no config.yml in this folder")
            return result
        config = _load_yaml(config_path, result)
        if not isinstance(config, dict):
            if not result.problems:
                result.problem(config_path.as_posix(), "$", "expected a mapping")
            return result
        mapper = _Mapper(result, options, config_path.as_posix(), config)
        issues = sorted((site_dir / "content" / "issues").rglob("*.md"))
        result.documents = 1 + len(issues)
        mapper.map_config()
        for path in issues:
            if path.name.startswith(("_", ".")):
                continue  # _index.md is the section page, not an issue
            mapper.map_issue(path)
        result.incidents.sort(key=lambda r: (r.front["started_at"], r.source_id))
        return result


def _load_yaml(path: Path, result: Imported, text: str | None = None) -> Any:
    shown = path.as_posix()
    try:
        if text is None:
            text = path.read_bytes().decode("utf-8-sig")
        # BaseLoader: every scalar stays a string, so dates, 'no' and '1.10' are read as
        # written and converted here, the way Hugo reads them.
        return yaml.load(text, Loader=yaml.BaseLoader)  # noqa: S506 (BaseLoader builds no objects)
    except OSError as exc:
        result.problem(shown, "", f"cannot read: {exc.strerror or exc}")
    except UnicodeDecodeError:
        result.problem(shown, "", "not UTF-8 text")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "$"
        result.problem(shown, where, f"not valid YAML: {getattr(exc, 'problem', exc)}")
    return None


def _true(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() in ("true", "yes", "on")


class _Mapper:
    def __init__(
        self, result: Imported, options: ImportOptions, config_doc: str, config: dict[str, Any]
    ) -> None:
        self.result = result
        self.options = options
        self.doc = config_doc
        self.config = config
        params = config.get("params")
        self.params: dict[str, Any] = params if isinstance(params, dict) else {}
        self.by_name: dict[str, str] = {}
        self.tz: dt.tzinfo = dt.UTC
        self.base_url = ""

    def map_config(self) -> None:
        config, params, doc = self.config, self.params, self.doc
        zone = config.get("timeZone") or config.get("timezone")
        zone_name = ""
        if isinstance(zone, str) and zone:
            try:
                self.tz, zone_name = ZoneInfo(zone), zone
            except (ZoneInfoNotFoundError, ValueError):
                self.result.problem(doc, "$.timeZone", f"unknown time zone '{zone}'")
        elif self.options.timezone:
            self.tz = ZoneInfo(self.options.timezone)
        title = config.get("title")
        base = config.get("baseURL") or config.get("baseurl")
        site: dict[str, Any] = {
            "title": truncate(one_line(title), 200) if isinstance(title, str) and one_line(title)
            else "Status",
        }  # fmt: skip
        if isinstance(base, str) and base.startswith(("http://", "https://")):
            self.base_url = base.rstrip("/") + "/"
            site["base_url"] = self.base_url
        else:
            site["base_url"] = "https://status.example.com/"
        if zone_name:
            site["timezone"] = zone_name
        language = config.get("languageCode")
        if isinstance(language, str) and re.fullmatch(
            r"[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*", language
        ):
            site["language"] = language
        description = params.get("description")
        if isinstance(description, str) and one_line(description):
            site["description"] = truncate(one_line(description), 500)
        self.result.site = site

        group_ids, service_ids = Ids("group"), Ids("service")
        groups: dict[str, str] = {}
        categories = params.get("categories")
        for i, cat in enumerate(categories if isinstance(categories, list) else []):
            name = cat.get("name") if isinstance(cat, dict) else None
            if not isinstance(name, str) or not one_line(name):
                self.result.problem(doc, f"$.params.categories[{i}].name", "missing")
                continue
            groups[name] = group_ids.make(name)
            group: dict[str, Any] = {"id": groups[name], "name": truncate(one_line(name), 200)}
            if isinstance(cat.get("description"), str) and one_line(cat["description"]):
                group["description"] = truncate(one_line(cat["description"]), 500)
            self.result.groups.append(group)
        used: set[str] = set()
        systems = params.get("systems")
        if not isinstance(systems, list) or not systems:
            self.result.problem(doc, "$.params.systems", "no systems: nothing to import them to")
            return
        # cState shows systems grouped by category in the order of the categories.
        order = sorted(
            range(len(systems)),
            key=lambda i: (
                list(groups).index(systems[i].get("category"))
                if isinstance(systems[i], dict) and systems[i].get("category") in groups
                else len(groups),
                i,
            ),
        )
        for i in order:
            system = systems[i]
            name = system.get("name") if isinstance(system, dict) else None
            if not isinstance(name, str) or not one_line(name):
                self.result.problem(doc, f"$.params.systems[{i}].name", "missing")
                continue
            category = system.get("category")
            if isinstance(category, str) and category and category not in groups:
                self.result.problem(
                    doc, f"$.params.systems[{i}].category",
                    f"category '{category}' is not in params.categories",
                )  # fmt: skip
                continue
            sid = service_ids.make(name)
            self.by_name[name] = sid
            service: dict[str, Any] = {"id": sid, "name": truncate(one_line(name), 200)}
            if isinstance(category, str) and category in groups:
                service["group"] = groups[category]
                used.add(groups[category])
            if isinstance(system.get("description"), str) and one_line(system["description"]):
                service["description"] = truncate(one_line(system["description"]), 500)
            self.result.services.append(service)
        self.result.groups = [g for g in self.result.groups if g["id"] in used]

    def service(self, name: str) -> str | None:
        if name in self.by_name:
            return self.by_name[name]
        folded = {k.casefold(): v for k, v in self.by_name.items()}
        return folded.get(name.casefold())

    def map_issue(self, path: Path) -> None:
        doc = path.as_posix()
        try:
            text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        except (OSError, UnicodeDecodeError) as exc:
            self.result.problem(doc, "", f"cannot read as UTF-8 text: {exc}")
            return
        if not text.startswith("---\n"):
            self.result.problem(doc, "", "no YAML front matter (cState issues start with '---')")
            return
        end = text.find("\n---", 3)
        if end < 0:
            self.result.problem(doc, "", "the front matter has no closing '---'")
            return
        front = _load_yaml(path, self.result, text[4:end])
        body = text[end + 4 :].split("\n", 1)[1] if "\n" in text[end + 4 :] else ""
        if not isinstance(front, dict):
            if front is not None:
                self.result.problem(doc, "$", "the front matter must be a mapping")
            return
        before = len(self.result.problems)
        title = front.get("title")
        if not isinstance(title, str) or not one_line(title):
            self.result.problem(doc, "$.title", "missing")
        start = self.time(front, "date", doc, required=True)
        informational = _true(front.get("informational"))
        severity = front.get("severity")
        if not informational and severity not in SEVERITY:
            self.result.problem(doc, "$.severity", f"unknown severity {severity!r}; expected "
                                "down, disrupted or notice (or informational: true)")  # fmt: skip
        affected = front.get("affected")
        names = [affected] if isinstance(affected, str) else affected
        services: dict[str, str] = {}
        level, status = ("SEV-4", "operational")
        if not informational and severity in SEVERITY:
            level, status = SEVERITY[str(severity)]
        for i, name in enumerate(names if isinstance(names, list) else []):
            sid = self.service(name) if isinstance(name, str) else None
            if sid is None:
                self.result.problem(doc, f"$.affected[{i}]", f"system {name!r} is not in "
                                    "params.systems of the config")  # fmt: skip
                continue
            services[sid] = status
        if not services:
            # No system named: cState shows the issue page-wide; keep it visible, change nothing.
            services = {sid: "operational" for sid in self.by_name.values()}
        updates, leftover = self.updates(body, doc)
        if len(self.result.problems) > before or start is None:
            return
        postmortem = ""
        if leftover:
            label = _LABEL.match(leftover)
            if label and _POSTMORTEM.fullmatch(label.group(2).strip()):
                postmortem = leftover[label.end() :].strip()
            else:  # the opening text of the issue, posted with it
                message = markdown_literal(leftover)
                updates.insert(0, {"at": start, "status": "investigating", "message": message})
        updates.sort(key=lambda u: u["at"])
        started = min([start, *(u["at"] for u in updates)])
        resolved_at: dt.datetime | None = None
        if _true(front.get("resolved")):
            when = self.time(front, "resolvedWhen", doc) if front.get("resolvedWhen") else None
            last = updates[-1]["at"] if updates else started
            resolved_at = max(when or last, last, started)
            final = updates[-1] if updates else None
            if final and not final.get("explicit") and final["at"] >= (when or final["at"]):
                # "This is fixed now." posted when the issue was resolved: that is the
                # resolution, even without a *Resolved* label.
                final["status"] = "resolved"
            if updates and updates[-1]["status"] != "resolved":
                updates.append({"at": resolved_at, "status": "resolved", "message": RESOLVED_TEXT})
        out: dict[str, Any] = {"title": truncate(one_line(str(title)), 300)}
        if _true(front.get("draft")):
            out["public"] = False
        out["severity"] = Enum(level)
        out["services"] = {k: Enum(v) for k, v in sorted(services.items())}
        out["started_at"] = started
        if resolved_at is not None:
            out["resolved_at"] = resolved_at
        if updates:
            out["updates"] = [
                {k: Enum(v) if k == "status" else v for k, v in u.items() if k != "explicit"}
                for u in updates
            ]
        if postmortem:
            out["postmortem"] = {
                "status": Enum("published"),
                "public_summary": truncate(postmortem, 20_000),
            }
        source_id = front.get("id") if isinstance(front.get("id"), str) else path.stem
        url = f"{self.base_url}issues/{path.stem}/" if self.base_url else ""
        self.result.incidents.append(
            IncidentRecord(
                source_id=str(source_id),
                title=one_line(str(title)),
                day=started.astimezone(self.tz).date(),
                front=out,
                source_url=url,
                body=f"Imported from cState ({path.name}).",
                origin=doc,
                old_path=f"/issues/{path.stem}/",
            )  # fmt: skip
        )

    def updates(self, body: str, doc: str) -> tuple[list[dict[str, Any]], str]:
        """The tracked updates of a body, and the text that is not part of one."""
        body = _COMMENT.sub("", body)
        out: list[dict[str, Any]] = []
        rest: list[str] = []
        pos = 0
        previous = "investigating"
        chunks = []
        for match in _TRACK.finditer(body):
            chunks.append((body[pos : match.start()], match.group(1)))
            pos = match.end()
        tail = body[pos:]
        parsed = []
        for i, (chunk, when) in enumerate(chunks):
            # Text before an update that is separated by a blank line or a rule belongs to
            # no update (an opening description or a post-mortem section).
            parts = re.split(r"\n\s*(?:---+|\*\*\*+)\s*\n|\n\s*\n(?=\s*(?:\*|_))", chunk.strip())
            if len(parts) > 1:
                rest.append("\n\n".join(p.strip() for p in parts[:-1] if p.strip()))
            moment = parse_time(when, self.tz)
            if moment is None:
                self.result.problem(doc, f"track[{i}]", f"not a date: {when!r}")
                continue
            parsed.append((moment, clean(parts[-1])))
        # Updates are usually written newest first; their statuses follow time order.
        for moment, text in sorted(parsed, key=lambda p: p[0]):
            label = _LABEL.match(text)
            status = previous
            if label:
                word = label.group(2).strip().lower()
                if word in STATUSES:
                    status = word
                    text = text[label.end() :]
                elif _POSTMORTEM.fullmatch(word):
                    text = text[label.end() :]
                else:  # a free label ("Update", "Arch builds back"): kept, without the marks
                    text = f"{label.group(2).strip()}: {text[label.end() :]}"
            message = markdown_literal(clean(text)) or f"{status.capitalize()}."
            explicit = label is not None and label.group(2).strip().lower() in STATUSES
            out.append({"at": moment, "status": status, "message": message, "explicit": explicit})
            previous = status
        leftover = "\n\n".join(x for x in [*rest, clean(_strip_rules(tail))] if x)
        return out, clean(leftover)

    def time(
        self, front: dict[str, Any], key: str, doc: str, required: bool = False
    ) -> dt.datetime | None:
        value = front.get(key)
        if not isinstance(value, str) or not value.strip():
            if required:
                self.result.problem(doc, f"$.{key}", "missing")
            return None
        moment = parse_time(value, self.tz)
        if moment is None:
            self.result.problem(doc, f"$.{key}", f"not a date: {value!r}")
        return moment


def _strip_rules(text: str) -> str:
    return re.sub(r"^\s*(?:---+|\*\*\*+)\s*$", "", text, flags=re.MULTILINE)
