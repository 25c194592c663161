"""Readers: files under ``content/`` -> schema-checked models, with every problem collected.

Nothing here raises for a content mistake: each problem becomes a diagnostic naming
``path:line: field`` so a single ``check`` run reports all of them.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import definitions as d
from .errors import Diagnostics, did_you_mean, display_path
from .models import (
    MAX_FILE_BYTES,
    ActionItem,
    Content,
    Group,
    Incident,
    KnownError,
    Origin,
    Postmortem,
    Runbook,
    Section,
    Service,
    Site,
    Source,
    Targets,
    Update,
)
from .schema import check_document
from .yamlload import LList, LMap, load

INCIDENT_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
KE_FILE = re.compile(r"(KE-[0-9]{4,})(?:-([a-z0-9][a-z0-9-]*))?")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")
_FENCE_LINE = re.compile(r"^(?:---|\.\.\.)", re.M)
# Names Windows cannot create; a site checked out there must still build.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)}


def read_text(path: Path, shown: str, diags: Diagnostics, max_bytes: int) -> str | None:
    """Read one content file as UTF-8 text, or report why it cannot be read."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # A FIFO or device would block or never end; only regular files are content.
            diags.error(shown, 0, "", "not a regular file")
            return None
        if info.st_size > max_bytes:
            diags.error(
                shown, 0, "", f"file is {info.st_size} bytes, over the {max_bytes}-byte limit"
            )
            return None
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat()
        if len(data) > max_bytes:
            diags.error(shown, 0, "", f"file is over the {max_bytes}-byte limit")
            return None
    except OSError as exc:
        diags.error(shown, 0, "", f"cannot read file: {exc.strerror or exc}")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a BOM from a Windows editor is harmless; drop it
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        diags.error(
            shown, line, "", f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save as UTF-8"
        )
        return None
    if "\x00" in text:
        diags.error(
            shown, text[: text.index("\x00")].count("\n") + 1, "", "file contains a NUL byte"
        )
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def split_front_matter(text: str) -> tuple[str, int, str, int] | None:
    """Split ``---`` front matter from the body.

    Returns (yaml, number of lines before the yaml, body, first line of the body), or None when
    the file does not start with a front-matter block.
    """
    if not text.startswith("---\n") and text.rstrip("\n") != "---":
        return None
    start = text.find("\n") + 1
    if start == 0:
        return None
    # Look only at lines that start like a fence instead of splitting the whole body.
    for match in _FENCE_LINE.finditer(text, start):
        begin = match.start()
        end = text.find("\n", begin)
        end = len(text) if end == -1 else end
        if text[begin:end].rstrip() in ("---", "..."):
            index = text.count("\n", 0, begin)
            return text[start : max(begin - 1, start)], 1, text[end + 1 :], index + 2
    return None


def parse_sections(body: str, first_line: int) -> dict[str, Section]:
    """Level-2 headings of a Markdown body -> their text; keys are lowercased titles."""
    sections: dict[str, Section] = {}
    current: Section | None = None
    buffer: list[str] = []
    in_fence = False
    for offset, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match and len(match.group(1)) == 2:
            if current is not None:
                current.text = "\n".join(buffer).strip()
                sections.setdefault(current.title.lower(), current)
            current = Section(match.group(2).strip(), first_line + offset, "")
            buffer = []
        elif current is not None:
            buffer.append(line)
    if current is not None:
        current.text = "\n".join(buffer).strip()
        sections.setdefault(current.title.lower(), current)
    return sections


class Reader:
    """Reads one content folder into a :class:`Content` and a list of diagnostics."""

    def __init__(self, root: Path, diags: Diagnostics | None = None) -> None:
        self.root = root
        self.real_root = root.resolve()
        self.diags = diags or Diagnostics()
        self.max_bytes = MAX_FILE_BYTES
        # Resolving every file's path for display is a third of the reading time on a large
        # tree: resolve the folder once and join the rest as text.
        prefix = display_path(root, root.parent)
        self._prefix = "" if prefix == "." else prefix.rstrip("/") + "/"
        self._root_text = str(root)

    # -- helpers -------------------------------------------------------------------------
    def shown(self, path: Path) -> str:
        text = str(path)
        if text.startswith(self._root_text + os.sep):
            return self._prefix + Path(text[len(self._root_text) + 1 :]).as_posix()
        return display_path(path, self.root.parent)

    def report(self, path: str, line: int, field: str, message: str) -> None:
        self.diags.error(path, line, field, message)

    def inside(self, path: Path, shown: str) -> bool:
        """Refuse files that are (or sit behind) links leading outside the content folder."""
        if not path.is_symlink():
            # Folders are walked without following links (and `files` checks the top folder),
            # so only the file itself can be a link: no need to resolve every path.
            return True
        try:
            real = path.resolve()
        except (OSError, RuntimeError):
            self.diags.error(shown, 0, "", "cannot resolve path (symbolic link loop?)")
            return False
        if real != self.real_root and self.real_root not in real.parents:
            self.diags.error(shown, 0, "", "symbolic link points outside the content folder")
            return False
        return True

    def load_yaml_file(self, path: Path) -> tuple[str, Any]:
        shown = self.shown(path)
        if not self.inside(path, shown):
            return shown, None
        text = read_text(path, shown, self.diags, self.max_bytes)
        if text is None:
            return shown, None
        value, problems = load(text)
        for p in problems:
            self.diags.error(shown, p.line, p.field, p.message)
        if value is None and not problems:
            value = LMap(1)  # an empty file: let the schema name what is missing
        return shown, value

    def load_markdown(self, path: Path) -> tuple[str, Any, str, int]:
        shown = self.shown(path)
        if not self.inside(path, shown):
            return shown, None, "", 0
        text = read_text(path, shown, self.diags, self.max_bytes)
        if text is None:
            return shown, None, "", 0
        parts = split_front_matter(text)
        if parts is None:
            first = text.split("\n", 1)[0]
            why = "no closing '---' line" if first.rstrip() == "---" else "must start with '---'"
            self.diags.error(shown, 1, "", f"missing YAML front matter ({why})")
            return shown, None, "", 0
        yaml_text, offset, body, body_line = parts
        value, problems = load(yaml_text, offset)
        for p in problems:
            self.diags.error(shown, p.line, p.field, p.message)
        if problems and value is None:
            return shown, None, body, body_line
        if value is None:
            value = LMap(1)
        if not isinstance(value, LMap):
            self.diags.error(shown, 2, "", "front matter must be a mapping of keys to values")
            return shown, None, body, body_line
        return shown, value, body, body_line

    def files(self, folder: str, recursive: bool) -> list[Path]:
        base = self.root / folder
        if not base.is_dir():
            return []
        if base.is_symlink() and not self.inside(base, self.shown(base)):
            return []
        found: list[Path] = []
        if recursive:
            for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
                dirnames[:] = sorted(n for n in dirnames if not n.startswith((".", "_")))
                found.extend(Path(dirpath, n) for n in filenames if self._wanted(n))
                for n in dirnames:
                    link = Path(dirpath, n)
                    # A linked folder is not walked; say so rather than skip its files quietly.
                    if link.is_symlink() and self.inside(link, self.shown(link)):
                        self.diags.error(
                            self.shown(link), 0, "",
                            "symbolic links to folders are not followed; move the folder here",
                        )  # fmt: skip
        else:
            found = [p for p in base.iterdir() if self._wanted(p.name)]
        return sorted(found)

    @staticmethod
    def _wanted(name: str) -> bool:
        return name.endswith(".md") and not name.startswith((".", "_")) and name != "README.md"

    def check_stem(self, stem: str, shown: str, what: str) -> bool:
        if not INCIDENT_ID.fullmatch(stem):
            self.diags.error(
                shown,
                0,
                "",
                f"{what} file name '{stem}' must use only lowercase letters, "
                "digits and '-' (it becomes a URL)",
            )
            return False
        if stem in _RESERVED or len(stem) > 120:
            self.diags.error(shown, 0, "", f"{what} file name '{stem}' cannot be used as a URL")
            return False
        return True

    # -- catalogs ------------------------------------------------------------------------
    def read_site(self) -> Site:
        path = self.root / "site.yaml"
        fallback = Site(title="Status", base_url="https://status.invalid/")
        if not path.is_file():
            self.diags.error(self.shown(path), 0, "", "missing site settings file")
            return fallback
        shown, raw = self.load_yaml_file(path)
        if raw is None:
            return fallback
        data = check_document(d.SITE, raw, shown, 1, self.report)
        if not data or "title" not in data or "base_url" not in data:
            return fallback
        targets = Targets()
        t = data.get("targets", {})
        targets.mtta_minutes.update(t.get("mtta_minutes", {}))
        targets.mttr_minutes.update(t.get("mttr_minutes", {}))
        for key in ("monitoring_detected_ratio", "recurrence_rate", "max_pages_per_shift"):
            if key in t:
                setattr(targets, key, t[key])
        site = Site(
            title=data["title"],
            base_url=data["base_url"].rstrip("/") + "/",
            targets=targets,
            **{
                k: data[k]
                for k in (
                    "internal_url",
                    "language",
                    "description",
                    "uptime_days",
                    "support_url",
                    "logo",
                    "theme_dir",
                    "docs_dir",
                    "max_file_bytes",
                )  # fmt: skip
                if k in data
            },
        )
        if "timezone" in data:
            try:
                site.tz = ZoneInfo(data["timezone"])
                site.timezone = data["timezone"]
            except (ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder
                self.diags.error(
                    shown, raw.line_of("timezone"), "timezone",
                    f"unknown time zone '{data['timezone']}' (use an IANA name like Europe/Berlin)",
                )  # fmt: skip
        return site

    def read_services(self, content: Content) -> None:
        path = self.root / "services.yaml"
        if not path.is_file():
            self.diags.error(self.shown(path), 0, "", "missing service catalog file")
            return
        shown, raw = self.load_yaml_file(path)
        if raw is None:
            return
        data = check_document(d.SERVICES, raw, shown, 1, self.report)
        if not data:
            return
        groups_raw = raw.get("groups") if isinstance(raw.get("groups"), LList) else LList(1)
        for index, g in enumerate(data.get("groups", [])):
            if "id" not in g or "name" not in g:
                continue
            if g["id"] in content.groups:
                self.diags.error(shown, groups_raw.line_of(index), "groups.id",
                                 f"duplicate group id '{g['id']}'")  # fmt: skip
                continue
            content.groups[g["id"]] = Group(g["id"], g["name"], g.get("description", ""))
        services_raw = raw.get("services") if isinstance(raw.get("services"), LList) else LList(1)
        for index, s in enumerate(data.get("services", [])):
            line = services_raw.line_of(index)
            if "id" not in s or "name" not in s:
                continue
            if s["id"] in content.services:
                first = content.services[s["id"]].line
                self.diags.error(
                    shown,
                    line,
                    f"services[{index}].id",
                    f"duplicate service id '{s['id']}' (first at line {first})",
                )
                continue
            group = s.get("group", "")
            if group and group not in content.groups:
                self.diags.error(
                    shown, line, f"services[{index}].group",
                    f"unknown group '{group}'{did_you_mean(group, content.groups)}",
                )  # fmt: skip
            content.services[s["id"]] = Service(
                id=s["id"], name=s["name"], group=group,
                description=s.get("description", ""), public=s.get("public", True),
                tier=s.get("tier", 4), owner=s.get("owner", ""),
                routing=s.get("routing", {}), severity_criteria=s.get("severity_criteria", {}),
                line=line,
            )  # fmt: skip

    # -- documents -----------------------------------------------------------------------
    def read_incident(self, path: Path) -> Incident | None:
        shown, raw, body, body_line = self.load_markdown(path)
        stem = path.name[:-3]
        if not self.check_stem(stem, shown, "incident"):
            return None
        if raw is None:
            return None
        data = check_document(d.INCIDENT, raw, shown, raw.line, self.report)
        if not data or "started_at" not in data:
            return None  # without a start nothing else can be checked; the error is reported
        upd_raw = raw.get("updates") if isinstance(raw.get("updates"), LList) else LList(0)
        ai_raw = raw.get("action_items") if isinstance(raw.get("action_items"), LList) else None
        updates = [
            Update(u["at"], u["status"], u["message"], u.get("services", {}), upd_raw.line_of(i))
            for i, u in enumerate(data.get("updates", []))
            if {"at", "status", "message"} <= u.keys()
        ]
        items = [
            ActionItem(
                id=a["id"],
                title=a["title"],
                owner=a["owner"],
                priority=a["priority"],
                incident_id=stem,
                due=a.get("due"),
                type=a.get("type", ""),
                status=a.get("status", "open"),
                ticket=a.get("ticket", ""),
                line=ai_raw.line_of(i) if ai_raw is not None else 0,
            )  # fmt: skip
            for i, a in enumerate(data.get("action_items", []))
            if {"id", "title", "owner", "priority"} <= a.keys()
        ]
        pm = data.get("postmortem")
        postmortem = None
        if pm and "status" in pm:
            postmortem = Postmortem(pm["status"], pm.get("owner", ""), pm.get("public_summary", ""))
        src = data.get("source")
        origin = Origin(src["id"], src.get("url", "")) if src and "id" in src else None
        simple = {
            k: data[k]
            for k in (
                "kind",
                "public",
                "severity",
                "impact",
                "urgency",
                "detected_at",
                "acknowledged_at",
                "mitigated_at",
                "resolved_at",
                "closed_at",
                "scheduled_start",
                "scheduled_end",
                "detection",
                "reporter",
                "commander",
                "responders",
                "escalated",
                "category",
                "known_errors",
                "runbooks",
                "related",
                "affected_users",
            )  # fmt: skip
            if k in data
        }
        return Incident(
            id=stem, source=Source(shown, raw, body_line), title=data.get("title", ""),
            started_at=data["started_at"], services=data.get("services", {}), body=body,
            updates=updates, postmortem=postmortem, action_items=items, origin=origin, **simple,
        )  # fmt: skip

    def read_known_error(self, path: Path) -> KnownError | None:
        shown, raw, body, body_line = self.load_markdown(path)
        match = KE_FILE.fullmatch(path.name[:-3])
        if not match:
            self.diags.error(
                shown, 0, "", "known error file name must look like KE-0007-short-name.md"
            )
            return None
        if raw is None:
            return None
        data = check_document(d.KNOWN_ERROR, raw, shown, raw.line, self.report)
        if not data or not {"title", "status", "services", "owner"} <= data.keys():
            return None
        return KnownError(
            id=match.group(1), slug=match.group(2) or "", source=Source(shown, raw, body_line),
            title=data["title"], status=data["status"], services=data["services"],
            owner=data["owner"], body=body, sections=parse_sections(body, body_line),
            symptoms=data.get("symptoms", []), signatures=data.get("signatures", []),
            review_by=data.get("review_by"), problem=data.get("problem", ""),
            fix_ref=data.get("fix_ref", ""),
        )  # fmt: skip

    def read_runbook(self, path: Path) -> Runbook | None:
        shown, raw, body, body_line = self.load_markdown(path)
        stem = path.name[:-3]
        if not self.check_stem(stem, shown, "runbook"):
            return None
        if raw is None:
            return None
        data = check_document(d.RUNBOOK, raw, shown, raw.line, self.report)
        if not data or not {"title", "services", "owner", "last_reviewed"} <= data.keys():
            return None
        return Runbook(
            id=stem, source=Source(shown, raw, body_line), title=data["title"],
            services=data["services"], owner=data["owner"], last_reviewed=data["last_reviewed"],
            body=body, sections=parse_sections(body, body_line),
            review_every=data.get("review_every", 90), review_by=data.get("review_by"),
            alerts=data.get("alerts", []), known_errors=data.get("known_errors", []),
        )  # fmt: skip

    # -- everything ------------------------------------------------------------------------
    def read(self) -> Content:
        if not self.root.is_dir():
            self.diags.error(display_path(self.root), 0, "", "content folder does not exist")
            return Content(self.root, Site(title="Status", base_url="https://status.invalid/"))
        content = self.read_catalogs()
        self.read_incidents(content, self.files("incidents", recursive=True))
        self.read_known_errors(content)
        self.read_runbooks(content)
        sort_incidents(content)
        return content

    def read_catalogs(self) -> Content:
        """site.yaml and services.yaml; also applies the site's file size limit."""
        site = self.read_site()
        self.max_bytes = site.max_file_bytes
        content = Content(self.root, site)
        self.read_services(content)
        return content

    def read_incidents(self, content: Content, paths: list[Path]) -> None:
        for path in paths:
            incident = self.read_incident(path)
            if incident is None:
                continue
            if incident.id in content.incidents:
                other = content.incidents[incident.id].source.path
                self.diags.error(
                    incident.source.path,
                    0,
                    "",
                    f"duplicate incident id '{incident.id}' (also {other})",
                )
                continue
            content.incidents[incident.id] = incident

    def read_known_errors(self, content: Content) -> None:
        for path in self.files("known-errors", recursive=False):
            ke = self.read_known_error(path)
            if ke is None:
                continue
            if ke.id in content.known_errors:
                other = content.known_errors[ke.id].source.path
                self.diags.error(
                    ke.source.path, 0, "", f"duplicate known error id '{ke.id}' (also {other})"
                )
                continue
            content.known_errors[ke.id] = ke

    def read_runbooks(self, content: Content) -> None:
        for path in self.files("runbooks", recursive=False):
            runbook = self.read_runbook(path)
            if runbook is not None:
                content.runbooks[runbook.id] = runbook


def sort_incidents(content: Content) -> None:
    """Stable order everywhere downstream: newest first, ties by id."""
    content.incidents = dict(
        sorted(content.incidents.items(), key=lambda kv: (-kv[1].started_at.timestamp(), kv[0]))
    )


def read_content(root: Path, diags: Diagnostics | None = None) -> tuple[Content, Diagnostics]:
    """Read and schema-check every file under ``root``."""
    reader = Reader(root, diags)
    return reader.read(), reader.diags
