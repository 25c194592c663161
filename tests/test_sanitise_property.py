"""Property: hostile text in any public field comes out inert, and every output stays well-formed.

Every public text field (site title and description, group and service names and
descriptions, incident titles, update messages, published postmortem summaries) receives a
random mix of attack payloads: raw HTML, event handlers, ``javascript:``/``data:`` links in
HTML and Markdown (entity-encoded, mixed case, reference-style), template syntax, CDATA ends,
comment ends, entity declarations, odd Unicode. Then the public site is built for real and:

- no HTML page (nor the HTML inside feed entries) has an executable element (``script``,
  ``iframe``, ``object``, ``embed``, ``base``, ``form``, ``meta`` refresh...), an event-handler
  attribute or a ``javascript:``/``vbscript:``/``data:`` URL; parsed with lxml.html;
- every Atom/RSS/SVG file parses as strict XML (lxml.etree), every JSON file as JSON and the
  calendar as iCalendar;
- template syntax is shown, never evaluated;
- and, so the test can fail, each payload's marker is found in the public output (page
  text, attributes, feed or JSON text): the payload was published, not dropped.

The internal knowledge base (mkdocs-material) gets the same payloads in every field it shows
besides the public ones: titles and names of known errors, runbooks, internal services and
groups, owners, people, categories, alert names, tickets (issue #10 defect 2). The Markdown
*bodies* get plain text: they are the writers' own Markdown with raw HTML on purpose, guarded by
the site's Content-Security-Policy (tests/test_internal_hostile_browser.py). Its pages may hold
material's own scripts and search form only; the search index, whose titles and texts material
shows as HTML, is checked like a page.
"""

from __future__ import annotations

import itertools
import json
import re
import tempfile
from pathlib import Path

import icalendar
from check_support import property_settings
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree, html
from org_support import NOW, IncidentShape, OrgShape, Texts, org_shapes, write_org
from statuspress.build import build
from statuspress.internal.mkdocs_build import OVERRIDES

FRAGMENTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<a href='jav&#x09;ascript:alert(1)'>x</a>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](&#106;avascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "<iframe src=//evil.example></iframe>",
    "<object data=x></object>",
    "<embed src=x>",
    "<base href=//evil.example/>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<form action=javascript:alert(1)><button>go</button></form>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "{{ 7*7*7*7*7*7 }}",
    "{% raw %}{{ config }}{% endraw %}",
    "${7*7*7*7*7*7}",
    "]]>",
    "<![CDATA[x]]>",
    "<!-- c -->",
    "-->",
    '<?xml version="1.0"?>',
    '<!DOCTYPE x [<!ENTITY e "boom">]>&e;',
    "&",
    "&amp;",
    "&#0;",
    "&lt;script&gt;",
    "\\",
    '"',
    "'",
    "`",
    "\u202e",
    "\ufeff",
    "\U0001f600",
    "ü",
    "\t",
    "\n",
    "*",
    "_",
    "# heading",
    "> quote",
    "| a | b |\n|---|---|\n| <script> | x |",
    "```\n<script>alert(1)</script>\n```",
    "`<script>`",
    "http://example.com/<script>",
    "mailto:x@example.com?body=<script>",
]
# Random text too, without what `check` refuses (control characters, YAML line breaks).
SAFE = st.characters(
    codec="utf-8",
    exclude_categories=("Cc", "Cs"),
    exclude_characters="\u2028\u2029\x85",
)
PAYLOADS = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(SAFE, max_size=8)), max_size=5)

EXECUTABLE = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "cite",
    "ping",
    "srcset",
    "xlink:href",
    "{http://www.w3.org/1999/xlink}href",
}
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data):")
MULTILINE = {"update message", "postmortem summary"}
EVALUATED = b"117649"  # 7**6: a template engine that evaluated the payload would print it


def hostile_texts(draw_payload: list[list[str]]) -> Texts:
    counter = itertools.count(1)
    payloads = itertools.cycle(draw_payload or [[]])

    def public(what: str) -> str:
        # The marker leads, so a length limit never cuts it; fields have 200+ characters.
        text = f"mk{next(counter)}x " + "".join(next(payloads))
        if what not in MULTILINE:  # names and titles are one line (check refuses breaks)
            text = text.replace("\r", " ").replace("\n", " ")
        return text[:190].rstrip()

    return Texts(
        public=public,
        internal=lambda what: f"internal {next(counter)}",
        internal_id=lambda what: f"int-{next(counter)}",
    )


def assert_inert(doc: html.HtmlElement, where: str) -> None:
    """No element, attribute or URL in ``doc`` that a browser would run."""
    for node in doc.iter():
        if not isinstance(node.tag, str):
            continue  # comments, processing instructions
        tag = node.tag.lower()
        assert tag not in EXECUTABLE, (where, etree.tostring(node)[:200])
        if tag == "meta" and (node.get("http-equiv") or "").lower() == "refresh":
            # Only the opt-in live twins reload, to themselves: a bare number of seconds, never
            # a URL that content could have planted.
            assert where.endswith("live.html"), where
            assert re.fullmatch(r"\d+", node.get("content") or ""), (where, node.get("content"))
        for name, value in node.attrib.items():
            lower = name.lower()
            assert not lower.startswith("on"), (where, name, value)
            compact = re.sub(r"[\s\x00-\x20]+", "", value).lower()
            if lower in URL_ATTRIBUTES:
                assert not BAD_SCHEME.match(compact), (where, name, value)
            if lower == "style":
                assert "javascript:" not in compact and "expression(" not in compact, where


def check_site(public: Path, markers: list[str]) -> None:
    visible = []
    for path in sorted(p for p in public.rglob("*") if p.is_file()):
        rel = path.relative_to(public).as_posix()
        data = path.read_bytes()
        assert EVALUATED not in data, rel
        if path.suffix == ".html":
            doc = html.document_fromstring(data)
            assert_inert(doc, rel)
            visible.append(doc.text_content())
            visible.extend(v for node in doc.iter() for v in node.attrib.values())
        elif path.suffix in (".atom", ".rss", ".xml", ".svg"):
            tree = etree.fromstring(data)  # strict: raises if not well-formed
            for node in tree.iter():
                if not isinstance(node.tag, str):
                    continue
                visible.append(node.text or "")
                local = etree.QName(node).localname
                # Feed readers render RSS item descriptions as HTML too.
                is_html = node.get("type") in ("html", "xhtml") or (
                    local == "description" and node.getparent().tag == "item"
                )
                if is_html and (node.text or len(node)):
                    fragment = node.text or etree.tostring(node[0], encoding="unicode")
                    assert_inert(html.fragment_fromstring(fragment, create_parent="div"), rel)
        elif path.suffix == ".json":
            visible.append(json.dumps(json.loads(data), ensure_ascii=False))
        elif path.suffix == ".ics":
            icalendar.Calendar.from_ical(data)
    text = "\n".join(visible)
    for marker in markers:
        assert marker in text, f"{marker} is in no public output"


@property_settings(ci_examples=25, long_examples=500)
@given(shape=org_shapes(), payloads=st.lists(PAYLOADS, min_size=1, max_size=6))
def test_hostile_public_text_comes_out_inert(shape: OrgShape, payloads: list[list[str]]) -> None:
    texts = hostile_texts(payloads)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        content = write_org(root, shape, texts)
        build(content, root / "site", NOW, internal=False)
        markers = [v.split(" ", 1)[0] for v in texts.public_values]
        check_site(root / "site" / "public", markers)


def _incident(
    kind: str,
    service: int,
    *,
    resolved: bool = False,
    postmortem: str = "",
    updates: int = 1,
    future: bool = False,
) -> IncidentShape:
    return IncidentShape(
        kind=kind,
        public=True,
        services=(service,),
        severity="SEV-2",
        resolved=resolved,
        postmortem=postmortem,
        updates=updates,
        action_items=1,
        with_known_error=True,
        with_runbook=True,
        related=-1,
        future=future,
    )


def test_every_fragment_at_once(tmp_path: Path) -> None:
    """All payloads in every public field of one fixed organisation (a quick, readable case)."""
    shape = OrgShape(
        public_services=2,
        internal_services=1,
        shared_group=False,
        incidents=(
            _incident("incident", 0, resolved=True, postmortem="published", updates=3),
            _incident("incident", 1, resolved=False, updates=2),
            _incident("maintenance", 0, future=True),
            _incident("maintenance", 1, resolved=True),
        ),
        known_errors=1,
        runbooks=1,
    )
    chunks = [FRAGMENTS[i : i + 4] for i in range(0, len(FRAGMENTS), 4)]
    texts = hostile_texts(chunks)
    content = write_org(tmp_path, shape, texts)
    build(content, tmp_path / "site", NOW, internal=False)
    check_site(tmp_path / "site" / "public", [v.split(" ", 1)[0] for v in texts.public_values])


def test_rss_item_descriptions_are_inert(tmp_path: Path) -> None:
    shape = OrgShape(
        public_services=1,
        internal_services=0,
        shared_group=False,
        incidents=(_incident("incident", 0, resolved=True),),
        known_errors=0,
        runbooks=0,
    )
    texts = hostile_texts([['<a href="javascript:alert(1)">x</a>']])
    content = write_org(tmp_path, shape, texts)
    build(content, tmp_path / "site", NOW, internal=False)
    markers = [v.split(" ", 1)[0] for v in texts.public_values]
    check_site(tmp_path / "site" / "public", markers)


# --- the internal knowledge base -----------------------------------------------------------

# The writers' Markdown bodies (raw HTML allowed on purpose; see the module docstring).
BODIES = {
    "ke symptoms body",
    "workaround",
    "root cause",
    "fix",
    "incident body",
    "timeline",
    *(f"runbook {s}" for s in ("Symptoms and detection", "Diagnosis", "Resolution", "Rollback",
                                "Escalation")),
}  # fmt: skip
# Material's own scripts: files of its bundle and of statuspress's overrides, and its config.
# Relative, or absolute from site_url's path (404.html).
OWN_SCRIPT = re.compile(
    r"^(/([\w-]+/)*|(\.\./)*(\./)?)assets/(javascripts|statuspress)/[\w.-]+\.js$"
)
OWN_SCRIPTS = {p.name for p in (OVERRIDES / "assets" / "statuspress").glob("*.js")}


# Fields the internal site does not show (their markers are not looked for).
NOT_SHOWN = {
    "site description",
    "group",
    "internal group description",
    "internal group id",
    "internal group name",  # shown only when an internal service is in the group
    "internal url",
    "known error slug",
}


def hostile_internal_texts(draw_payload: list[list[str]]) -> Texts:
    """Payloads in every one-line field; markers ``mkNx`` (ids ``int-N``) where shown."""
    counter = itertools.count(1)
    payloads = itertools.cycle(draw_payload or [[]])

    def ident(what: str) -> str:
        return f"{'ns' if what in NOT_SHOWN else 'int'}-{next(counter)}"

    def hostile(what: str) -> str:
        text = f"{'ns' if what in NOT_SHOWN else 'mk'}{next(counter)}x "
        if what in BODIES:
            return text + "plain body text"
        text += "".join(next(payloads))
        if what not in MULTILINE:
            text = text.replace("\r", " ").replace("\n", " ")
        return text[:95].rstrip()  # categories allow 100 characters

    return Texts(public=hostile, internal=hostile, internal_id=ident)


def assert_inert_internal(doc: html.HtmlElement, where: str) -> None:
    """Like :func:`assert_inert`, except for material's script files, its search form and its
    light/dark palette toggle (a form of two radio buttons)."""
    for node in list(doc.iter("script", "form")):
        if node.tag == "script" and node.get("type") == "application/json":
            assert node.get("id") == "__config", where
            json.loads(node.text or "")
        elif node.tag == "script":
            src = node.get("src") or ""
            assert OWN_SCRIPT.match(src) and not (node.text or "").strip(), (where, src)
            assert "assets/javascripts/" in src or src.rsplit("/", 1)[1] in OWN_SCRIPTS
        else:
            assert node.get("class") in ("md-search__form", "md-header__option"), where
            assert node.get("action") is None, where
        node.drop_tree()
    assert_inert(doc, where)


def check_internal_site(site: Path, markers: list[str]) -> None:
    visible = []
    policies = set()
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        data = path.read_bytes()
        assert EVALUATED not in data, rel
        if path.suffix == ".html":
            doc = html.document_fromstring(data)
            meta = doc.find(".//meta[@http-equiv='Content-Security-Policy']")
            policies.add(meta.get("content") if meta is not None else None)
            visible.append(doc.text_content())
            visible.extend(v for node in doc.iter() for v in node.attrib.values())
            assert_inert_internal(doc, rel)
        elif path.suffix == ".xml":
            etree.fromstring(data)
        elif path.name == "search_index.json":
            for entry in json.loads(data)["docs"]:
                for key in ("title", "text"):
                    fragment = html.fragment_fromstring(entry[key], create_parent="div")
                    assert_inert(fragment, f"{rel} {entry['location']} {key}")
                    visible.append(fragment.text_content())
    assert len(policies) == 1 and "script-src 'self'" in (policies.pop() or "")
    text = "\n".join(visible)
    missing = [m for m in markers if m not in text]
    assert missing == [], f"{missing} are in no internal page"


def internal_markers(texts: Texts) -> list[str]:
    values = texts.public_values + texts.internal_values
    return [v.split(" ", 1)[0] for v in values if v.startswith(("mk", "int-"))]


@property_settings(ci_examples=6, long_examples=200)
@given(shape=org_shapes(), payloads=st.lists(PAYLOADS, min_size=1, max_size=6))
def test_hostile_internal_text_comes_out_inert(shape: OrgShape, payloads: list[list[str]]) -> None:
    texts = hostile_internal_texts(payloads)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        content = write_org(root, shape, texts)
        build(content, root / "site", NOW, public=False)
        check_internal_site(root / "site" / "internal", internal_markers(texts))


def test_every_fragment_in_every_internal_field(tmp_path: Path) -> None:
    """All payloads at once on the internal site (a quick, readable case)."""
    shape = OrgShape(
        public_services=2,
        internal_services=1,
        shared_group=False,
        incidents=(
            _incident("incident", 0, resolved=True, postmortem="published", updates=3),
            _incident("incident", 1, resolved=False, updates=2),
            _incident("gameday", 2, resolved=True, postmortem="draft"),
            _incident("maintenance", 1, resolved=True),
        ),
        known_errors=2,
        runbooks=2,
    )
    texts = hostile_internal_texts([FRAGMENTS[i : i + 4] for i in range(0, len(FRAGMENTS), 4)])
    content = write_org(tmp_path, shape, texts)
    build(content, tmp_path / "site", NOW, public=False)
    check_internal_site(tmp_path / "site" / "internal", internal_markers(texts))
