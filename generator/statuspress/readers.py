"""Readers: files under ``content/`` -> schema-checked models, with every problem collected.

Nothing here raises for a content mistake: each problem becomes a diagnostic naming
``path:line: field`` so a single ``check`` run reports all of them.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import bodies, logo
from . import definitions as d
from .discovery import ContentWalk
from .errors import BuildError, Diagnostics, did_you_mean, display_path
from .models import (
    MAX_FILE_BYTES,
    ActionItem,
    AlertSeverity,
    Content,
    Group,
    Incident,
    KnownError,
    NotifyChannel,
    Origin,
    Postmortem,
    Runbook,
    Section,
    Service,
    Site,
    Source,
    SubscribeLink,
    Targets,
    Update,
)
from .schema import List, Obj, check_document
from .yaml import LList, LMap, load

T = TypeVar("T")

INCIDENT_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
KE_FILE = re.compile(r"(KE-[0-9]{4,})(?:-([a-z0-9][a-z0-9-]*))?")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")
_FENCE_LINE = re.compile(r"^(?:---|\.\.\.)", re.M)
# Names Windows cannot create; a site checked out there must still build.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)}


# One declaration per field: a field of the definitions is copied onto the model attribute of
# the same name, as the schema checked it, unless the reader builds it by hand (listed here,
# with the reason). So adding an optional field means adding it to definitions.py and to the
# model; tests/test_fields.py proves that every field of every kind reaches its model.
BUILT_BY_HAND: dict[str, frozenset[str]] = {
    # site: base_url is normalised, timezone becomes a tzinfo, targets a Targets object,
    # subscribe links, notify channels and the alert severity mapping their own models
    "site": frozenset({"base_url", "timezone", "targets", "subscribe", "notify", "alert_severity"}),
    # services: group is checked against the groups first
    "service": frozenset({"group"}),
    # incidents: the title may be missing on a broken file, updates, action items and the
    # postmortem become their own models, `source` (an import's origin) the model's `origin`
    # (the model's `source` is the file it was read from)
    "incident": frozenset({"title", "updates", "action_items", "postmortem", "source"}),
    "known-error": frozenset(),
    "runbook": frozenset(),
}


def translated(data: dict[str, Any], prefix: str) -> dict[str, str]:
    """``title_<lang>`` / ``message_<lang>`` keys (checked by the schema) by language tag."""
    if not any(key.startswith(prefix) for key in data):
        return {}
    return {k[len(prefix) :]: v for k, v in data.items() if k.startswith(prefix) and v}


def statuses(services: dict[str, Any]) -> dict[str, Any]:
    """A ``services`` map (service id -> status) with its words interned.

    Ten thousand incidents repeat a few dozen service ids and five statuses a hundred
    thousand times: one string each instead of one per mention keeps the public build's
    projections (which a worker pickles to the parent) a few MB smaller."""
    return {_word(k): _word(v) for k, v in services.items()}


def _word(value: Any) -> Any:
    return sys.intern(value) if type(value) is str else value


def plain_fields(obj: Obj, kind: str) -> tuple[str, ...]:
    """The fields of ``obj`` copied to the model unchanged."""
    return tuple(k for k in obj.fields if k not in BUILT_BY_HAND[kind])


def _service_entry() -> Obj:
    services = d.SERVICES.fields["services"].type
    assert isinstance(services, List) and isinstance(services.item, Obj)
    return services.item


_SITE_PLAIN = plain_fields(d.SITE, "site")
_SERVICE_PLAIN = plain_fields(_service_entry(), "service")
_INCIDENT_PLAIN = plain_fields(d.INCIDENT, "incident")
_KNOWN_ERROR_PLAIN = plain_fields(d.KNOWN_ERROR, "known-error")
_RUNBOOK_PLAIN = plain_fields(d.RUNBOOK, "runbook")


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


class Reader(ContentWalk):
    """Reads one content folder into a :class:`Content` and a list of diagnostics."""

    def __init__(self, root: Path, diags: Diagnostics | None = None) -> None:
        self.root = root
        self.real_root = root.resolve()
        self.diags = diags or Diagnostics()
        self._listed = {}
        self.max_bytes = MAX_FILE_BYTES
        # site.yaml names a content format this release cannot read: nothing else is checked.
        self.foreign_format = False
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
            self.diags.add(shown, p.line, p.field, p.message, p.level)
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
            self.diags.add(shown, p.line, p.field, p.message, p.level)
        if problems and value is None:
            return shown, None, body, body_line
        if value is None:
            value = LMap(1)
        if not isinstance(value, LMap):
            self.diags.error(shown, 2, "", "front matter must be a mapping of keys to values")
            return shown, None, body, body_line
        return shown, value, body, body_line

    def unread(self, kind: str, shown: str, raw: Any, body: str, body_line: int) -> None:
        """A file left out for errors in its front matter or name: its body's own errors are
        reported now, so the writer sees all of them in one run (the model never gets built,
        so the validator will not see this body)."""
        if body_line:  # 0: the front matter could not be told apart from the body
            sections = parse_sections(body, body_line)
            bodies.unread(self.diags, kind, shown, raw, body, body_line, sections)

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
        found = raw.get("format") if isinstance(raw, LMap) else None
        if type(found) is int and found >= 1 and (problem := d.format_problem(found)):
            # Another format's fields mean other things: report the one thing to do, not them.
            self.diags.error(shown, raw.line_of("format"), "format", problem)
            self.foreign_format = True
            return fallback
        data = check_document(d.SITE, raw, shown, 1, self.report)
        if not data or "title" not in data or "base_url" not in data:
            return fallback
        targets = Targets()
        t = data.get("targets", {})
        targets.mtta_minutes.update(t.get("mtta_minutes", {}))
        targets.mttr_minutes.update(t.get("mttr_minutes", {}))
        targets.mttr_known_minutes.update(t.get("mttr_known_minutes", {}))
        targets.mttr_novel_minutes.update(t.get("mttr_novel_minutes", {}))
        for key in (
            "monitoring_detected_ratio", "recurrence_rate", "max_pages_per_shift",
            "workaround_share_min", "workaround_share_max", "escalation_rate",
        ):  # fmt: skip
            if key in t:
                setattr(targets, key, t[key])
        if targets.workaround_share_min > targets.workaround_share_max:
            given_targets = raw.get("targets")
            line = 0
            if isinstance(given_targets, LMap):
                line = given_targets.line_of("workaround_share_min")
            self.diags.error(
                shown, line, "targets.workaround_share_min",
                f"{targets.workaround_share_min:g} is above workaround_share_max "
                f"{targets.workaround_share_max:g}",
            )  # fmt: skip
        mapping = AlertSeverity()
        given = data.get("alert_severity", {})
        for name in ("priority", "urgency", "label"):
            getattr(mapping, name).update({k.lower(): v for k, v in given.get(name, {}).items()})
        mapping.default = given.get("default", mapping.default)
        site = Site(
            base_url=data["base_url"].rstrip("/") + "/",
            targets=targets,
            alert_severity=mapping,
            **{k: data[k] for k in _SITE_PLAIN if k in data},
        )
        site.subscribe = [
            SubscribeLink(x["name"], x["url"])
            for x in data.get("subscribe", [])
            if "name" in x and "url" in x  # a bad value was reported and dropped
        ]
        site.notify = self.read_channels(shown, raw, data.get("notify", []))
        if site.logo:
            # The logo is published as it is, on the status page's own origin: check it here,
            # where `check` and both kinds of build read the site settings.
            _data, why = logo.read(self.root, site.logo)
            if why:
                self.diags.error(shown, raw.line_of("logo"), "logo", why)
        if "timezone" in data:
            try:
                site.tz = ZoneInfo(data["timezone"])
                site.timezone = data["timezone"]
            except (ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder
                self.diags.error(
                    shown, raw.line_of("timezone"), "timezone",
                    f"unknown time zone '{data['timezone']}' (use an IANA name like Europe/Berlin)",
                )  # fmt: skip
        if site.languages and "language" not in data:
            site.language = site.languages[0]  # the first listed is the default
        self.check_languages(shown, raw, site)
        return site

    def check_languages(self, shown: str, raw: Any, site: Site) -> None:
        """``language`` and ``languages``: known to Babel, with a shipped or site catalog."""
        from . import i18n

        overrides = (self.root.parent / site.theme_dir) if site.theme_dir else None
        shipped = ", ".join(t.replace("_", "-") for t in i18n.shipped_languages())
        where = f"; add {site.theme_dir or '<theme_dir>'}/locales/<locale>/LC_MESSAGES/messages.po"
        given = [("language", raw.line_of("language"), site.language)]
        entries = raw.get("languages") if isinstance(raw.get("languages"), LList) else None
        for index, tag in enumerate(site.languages):
            line = entries.line_of(index) if entries is not None else raw.line_of("languages")
            given.append((f"languages[{index}]", line, tag))
        for name, line, tag in given:
            try:
                known = i18n.has_catalog(tag, overrides)
                for path in i18n.catalog_files(tag, overrides):
                    i18n.read_catalog(path)
            except ValueError as exc:
                self.diags.error(shown, line, name, f"{exc} (Babel has no locale data for it)")
                continue
            except BuildError as exc:
                self.diags.error(shown, line, name, exc.message)
                continue
            if not known:
                self.diags.error(
                    shown, line, name,
                    f"no translation catalog for '{tag}' (shipped: {shipped}){where}",
                )  # fmt: skip
        if site.languages and site.language.lower() not in {t.lower() for t in site.languages}:
            self.diags.error(
                shown, raw.line_of("languages"), "languages",
                f"does not list the default language '{site.language}' (`language`)",
            )  # fmt: skip

    def read_channels(
        self, shown: str, raw: Any, items: list[dict[str, Any]]
    ) -> list[NotifyChannel]:
        """site.yaml ``notify:``; names must be unique and formats known (built-in or plugin)."""
        from .notify.config import known_formats

        lines = raw.get("notify") if isinstance(raw.get("notify"), LList) else LList(1)
        formats: tuple[str, ...] | None = None
        channels: list[NotifyChannel] = []
        for index, item in enumerate(items):
            if "name" not in item or "url_env" not in item:
                continue
            line = lines.line_of(index)
            keys = lines[index] if index < len(lines) and isinstance(lines[index], LMap) else None
            fmt = item.get("format", "text")
            if fmt != "text":
                formats = formats or known_formats()
                if fmt not in formats:
                    self.diags.error(
                        shown, keys.line_of("format") if keys else line, f"notify[{index}].format",
                        f"unknown format '{fmt}' (one of {', '.join(formats)})"
                        f"{did_you_mean(fmt, formats)}",
                    )  # fmt: skip
                    continue
            if any(c.name == item["name"] for c in channels):
                self.diags.error(shown, line, f"notify[{index}].name",
                                 f"duplicate channel name '{item['name']}'")  # fmt: skip
                continue
            channels.append(
                NotifyChannel(
                    name=item["name"],
                    url_env=item["url_env"],
                    events=tuple(item.get("events", ())),
                    services=tuple(item.get("services", ())),
                    min_impact=item.get("min_impact", "none"),
                    format=fmt,
                    template=item.get("template", "message.txt"),
                    line=line,
                    key_lines=dict(keys.lines) if keys is not None else {},
                )
            )
        self.check_templates(shown, raw, channels)
        return channels

    def check_templates(self, shown: str, raw: Any, channels: list[NotifyChannel]) -> None:
        """A channel's template must exist: in the theme's notify/ folder or built in."""
        theme = raw.get("theme_dir") if isinstance(raw.get("theme_dir"), str) else ""
        folders = [Path(__file__).parent / "notify" / "templates"]
        if theme:
            folders.insert(0, self.root.parent / theme / "notify")
        for channel in channels:
            if not any((f / channel.template).is_file() for f in folders):
                where = " or ".join(display_path(f, self.root.parent) for f in folders)
                self.diags.error(
                    shown, channel.line_of("template"), "notify.template",
                    f"channel '{channel.name}': template '{channel.template}' not found in {where}",
                )  # fmt: skip

    def check_channel_services(self, content: Content) -> None:
        """A channel filtering on a service the catalog does not know would never send."""
        path = self.shown(self.root / "site.yaml")
        for channel in content.site.notify:
            for sid in channel.services:
                service = content.services.get(sid)
                if service is None:
                    self.diags.error(
                        path, channel.line_of("services"), "notify.services",
                        f"channel '{channel.name}': unknown service '{sid}'"
                        f"{did_you_mean(sid, content.services)}",
                    )  # fmt: skip
                elif not service.public:
                    self.diags.error(
                        path, channel.line_of("services"), "notify.services",
                        f"channel '{channel.name}': service '{sid}' is not public, "
                        "so it never appears in a notification",
                    )  # fmt: skip

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
            for number, matcher in enumerate(s.get("alerts", [])):
                if not matcher or matcher.get("labels") == {}:
                    self.diags.error(
                        shown, line, f"services[{index}].alerts[{number}]",
                        "an alert matcher needs labels, pagerduty_service, opsgenie_tag or "
                        "datadog_tag (an empty one would match every alert)",
                    )  # fmt: skip
            content.services[s["id"]] = Service(
                group=group, line=line, **{k: s[k] for k in _SERVICE_PLAIN if k in s}
            )

    # -- documents -----------------------------------------------------------------------
    def remembered(self, paths: list[Path], context: object, work: Callable[[Path], T]) -> list[T]:
        """``[work(path) for path in paths]``: reading and checking incident files with
        ``context`` (settings, services, "now", what is kept). Here always done; serve's
        caching reader gives back each file's last result while it and the context are
        unchanged."""
        return [work(path) for path in paths]

    def resolved_before(self, pools: dict[str, Collection[str]]) -> dict[int, object]:
        """Reference lists (by identity) whose every id was found in pools equal to ``pools``
        at the last read, so need no looking up again: serve's caching reader keeps them
        (its unchanged files give back the same lists). Here: none."""
        return {}

    def resolved_now(self, pools: dict[str, Collection[str]], found: dict[int, object]) -> None:
        """The reference lists whose every id was found in ``pools`` (see above)."""

    def read_incident(self, path: Path) -> Incident | None:
        shown, raw, body, body_line = self.load_markdown(path)
        stem = path.name[:-3]
        if not self.check_stem(stem, shown, "incident") or raw is None:
            self.unread("incident", shown, raw, body, body_line)
            return None
        data = check_document(d.INCIDENT, raw, shown, raw.line, self.report)
        if not data or "started_at" not in data:
            # Without a start nothing else can be checked; the error is reported.
            self.unread("incident", shown, raw, body, body_line)
            return None
        upd_raw = raw.get("updates") if isinstance(raw.get("updates"), LList) else LList(0)
        ai_raw = raw.get("action_items") if isinstance(raw.get("action_items"), LList) else None
        updates = [
            Update(
                u["at"],
                _word(u["status"]),
                u["message"],
                statuses(u["services"]) if "services" in u else {},
                upd_raw.line_of(i),
                translated(u, "message_"),
            )  # fmt: skip
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
        simple = {k: data[k] for k in _INCIDENT_PLAIN if k in data}
        if isinstance(simple.get("services"), dict):
            simple["services"] = statuses(simple["services"])
        return Incident(
            id=stem, source=Source(shown, raw, body_line), title=data.get("title", ""),
            body=body,
            updates=updates, postmortem=postmortem, action_items=items, origin=origin,
            titles=translated(data, "title_"), **simple,
        )  # fmt: skip

    def read_known_error(self, path: Path) -> KnownError | None:
        shown, raw, body, body_line = self.load_markdown(path)
        match = KE_FILE.fullmatch(path.name[:-3])
        if not match:
            self.diags.error(
                shown, 0, "", "known error file name must look like KE-0007-short-name.md"
            )
            self.unread("known error", shown, raw, body, body_line)
            return None
        if raw is None:
            self.unread("known error", shown, raw, body, body_line)
            return None
        data = check_document(d.KNOWN_ERROR, raw, shown, raw.line, self.report)
        if not data or not {"title", "status", "services", "owner"} <= data.keys():
            self.unread("known error", shown, raw, body, body_line)
            return None
        return KnownError(
            id=match.group(1), slug=match.group(2) or "", source=Source(shown, raw, body_line),
            body=body, sections=parse_sections(body, body_line),
            **{k: data[k] for k in _KNOWN_ERROR_PLAIN if k in data},
        )  # fmt: skip

    def read_runbook(self, path: Path) -> Runbook | None:
        shown, raw, body, body_line = self.load_markdown(path)
        stem = path.name[:-3]
        if not self.check_stem(stem, shown, "runbook") or raw is None:
            self.unread("runbook", shown, raw, body, body_line)
            return None
        data = check_document(d.RUNBOOK, raw, shown, raw.line, self.report)
        if not data or not {"title", "services", "owner", "last_reviewed"} <= data.keys():
            self.unread("runbook", shown, raw, body, body_line)
            return None
        return Runbook(
            id=stem, source=Source(shown, raw, body_line), body=body,
            sections=parse_sections(body, body_line),
            **{k: data[k] for k in _RUNBOOK_PLAIN if k in data},
        )  # fmt: skip

    # -- everything ------------------------------------------------------------------------
    def read_catalogs(self) -> Content:
        """site.yaml and services.yaml; also applies the site's file size limit and reports
        entries of the content folder that nothing reads (``check``, ``build`` and ``serve``
        all start here)."""
        site = self.read_site()
        self.max_bytes = site.max_file_bytes
        content = Content(self.root, site)
        if self.foreign_format:
            return content  # another format's files may mean other things: read none of them
        self.read_services(content)
        if site.notify and content.services:
            self.check_channel_services(content)
        self.survey_root(site)  # what else the content folder holds is reported, never skipped
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
