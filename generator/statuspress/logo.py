"""The site logo: the one file a writer names that is published as it is.

It is served from the status page's own origin, so it is checked like code: a regular file
inside the content folder, an image by name *and* by content, at most :data:`MAX_BYTES`, and an
SVG that cannot run script or fetch anything. ``check`` reports problems at ``site.yaml``'s
``logo`` line; the build checks the very bytes it publishes again (the file may have changed).
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from xml.parsers import expat

MAX_BYTES = 1024 * 1024
"""Largest logo accepted (1 MiB): a logo is a few kilobytes; more is a mistake."""

TYPES = {
    ".png": "PNG",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".gif": "GIF",
    ".webp": "WebP",
    ".avif": "AVIF",
    ".ico": "ICO",
    ".svg": "SVG",
}
"""Allowed file name endings and the image type each must contain."""


def sniff(data: bytes) -> str | None:
    """The image type the bytes start with (by their magic numbers), or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    if data[4:8] == b"ftyp" and data[8:12] in (b"avif", b"avis"):
        return "AVIF"
    if data[:4] == b"\x00\x00\x01\x00":
        return "ICO"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!DOCTYPE")):
        return "SVG"  # the XML parser decides whether it really is one
    return None


def problem(name: str, data: bytes) -> str | None:
    """Why ``data`` (the file ``name``) cannot be published as the logo, or None."""
    suffix = Path(name).suffix.lower()
    expected = TYPES.get(suffix)
    if expected is None:
        endings = ", ".join(sorted({s[1:] for s in TYPES}))
        return f"'{name}' is not an image file (use one of: {endings})"
    if len(data) > MAX_BYTES:
        return f"'{name}' is {len(data)} bytes, over the {MAX_BYTES}-byte logo limit"
    found = sniff(data)
    if found != expected:
        looks = f" (its content looks like {found})" if found else ""
        article = "an" if expected in ("SVG", "AVIF", "ICO") else "a"
        return f"'{name}' is not {article} {expected} image{looks}"
    if expected == "SVG":
        why = svg_problem(data)
        if why:
            return f"'{name}' {why}"
    return None


def read(root: Path, rel: str) -> tuple[bytes | None, str | None]:
    """The logo's bytes, or the reason it cannot be used: ``rel`` is relative to ``root``.

    Links are followed only while they stay inside ``root`` (the logo is published, so it
    must not come from elsewhere on the build machine); only regular files are read.
    """
    path = root / rel
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        return None, f"'{rel}' does not exist in the content folder"
    except (OSError, RuntimeError):
        return None, f"'{rel}' cannot be resolved (symbolic link loop?)"
    if not real.is_relative_to(root.resolve()):
        return None, f"'{rel}' leads outside the content folder (symbolic link)"
    try:
        info = real.stat()
        if not stat.S_ISREG(info.st_mode):
            return None, f"'{rel}' is not a regular file"
        if info.st_size > MAX_BYTES:
            return None, f"'{rel}' is {info.st_size} bytes, over the {MAX_BYTES}-byte logo limit"
        with real.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # it may have grown since stat()
    except OSError as exc:
        return None, f"'{rel}' cannot be read: {exc.strerror or exc}"
    why = problem(rel, data)
    return (None, why) if why else (data, None)


# --- SVG -------------------------------------------------------------------------------------
#
# A browser runs an SVG's script when the file is opened directly (not when it is shown by
# <img>), so a scripted logo would run on the status page's origin. Rather than rewrite the
# file, refuse anything that can run or fetch: a logo has no need for it, and a clear message
# beats a silently altered image. Names are compared in lower case whatever their namespace,
# because an XHTML <script> inside an SVG runs too.

_SVG_NS = "http://www.w3.org/2000/svg"
_XHTML_NS = "http://www.w3.org/1999/xhtml"
_FORBIDDEN_ELEMENTS = {
    "script": "a <script> element",
    "foreignobject": "a <foreignObject> element (it embeds HTML)",
    "handler": "a <handler> element (script)",
    "listener": "a <listener> element (script)",
    "iframe": "an <iframe> element",
    "embed": "an <embed> element",
    "object": "an <object> element",
}
_HREF_OK = re.compile(r"#|data:image/(?:png|jpeg|gif|webp);base64,", re.I)
"""A reference inside the file, or an embedded raster image: nothing is fetched or run."""
_URL = re.compile(r"url\(\s*['\"]?\s*(?![#'\"\s]|data:image/(?:png|jpeg|gif|webp);base64,)", re.I)
_IGNORED = re.compile(r"[\x00-\x20]+")  # browsers skip these inside a URL scheme
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class _Refused(Exception):
    pass


def svg_problem(data: bytes) -> str | None:
    """Why an SVG file cannot be published, or None: parsed with expat, no DTD, no network."""
    parser = expat.ParserCreate(namespace_separator=" ")
    depth = 0
    styles = 0  # inside a <style> element: its text is CSS
    css: list[str] = []  # expat may hand over a text in pieces: check it whole

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal depth, styles
        namespace, _, local = name.rpartition(" ")
        lower = local.lower()
        if depth == 0 and (lower != "svg" or namespace not in ("", _SVG_NS)):
            raise _Refused(f"is not an SVG image (its root element is <{local}>)")
        depth += 1
        if lower in _FORBIDDEN_ELEMENTS:
            raise _Refused(f"contains {_FORBIDDEN_ELEMENTS[lower]}")
        if namespace == _XHTML_NS:
            raise _Refused(f"contains HTML (<{local}>)")
        if lower == "style":
            styles += 1
        for key, value in attributes.items():
            attr = key.rpartition(" ")[2].lower()
            if attr.startswith("on"):
                raise _Refused(f"has an event handler attribute ({attr}) on <{local}>")
            _check_value(local, attr, value)
            name = value.strip().lower()
            if attr == "attributename" and (name.startswith("on") or "href" in name):
                raise _Refused(f"animates {value} on <{local}>")

    def end(name: str) -> None:
        nonlocal depth, styles
        depth -= 1
        if name.rpartition(" ")[2].lower() == "style":
            styles -= 1
            _check_css("".join(css), "<style>")
            css.clear()

    def text(value: str) -> None:
        if styles:
            css.append(value)

    def doctype(_name: str, _system: str | None, _public: str | None, subset: int) -> None:
        # `<!DOCTYPE svg PUBLIC ...>` as drawing programs write it is harmless (expat does not
        # fetch it); an internal subset is where entities (and entity bombs) are declared.
        if subset:
            raise _Refused("has a DOCTYPE with declarations (entities are not allowed)")

    def entity(*_args: object) -> None:
        raise _Refused("declares an entity")

    def instruction(target: str, _data: str) -> None:
        raise _Refused(f"has a processing instruction (<?{_shown(target)} ...?>)")

    def skipped(name: str, _is_parameter: int) -> None:
        raise _Refused(f"uses the undefined entity '{_shown(name)}'")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.ProcessingInstructionHandler = instruction
    parser.SkippedEntityHandler = skipped
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        return str(exc)
    except expat.ExpatError as exc:
        return f"is not well-formed XML (line {exc.lineno}: {expat.ErrorString(exc.code)})"
    return None


def _check_value(element: str, attr: str, value: str) -> None:
    if attr == "href":
        if not _HREF_OK.match(_IGNORED.sub("", value)):
            raise _Refused(
                f"refers to '{_shown(value)}' from <{element}> (only '#...' references and "
                "embedded PNG, JPEG, GIF or WebP images are allowed)"
            )
    elif attr == "style":
        _check_css(value, f"the style of <{element}>")
    else:
        _check_css(value, f"{attr} of <{element}>")


def _shown(value: str) -> str:
    """At most 80 characters of ``value`` for a message, control characters escaped."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value[:80])


def _check_css(value: str, where: str) -> None:
    compact = _IGNORED.sub("", value).lower()
    if "javascript:" in compact or "@import" in compact or "expression(" in compact:
        raise _Refused(f"has script or an import in {where}")
    if _URL.search(value):
        raise _Refused(f"loads an external resource (url(...)) in {where}")
