"""``statuspress match``: which known errors and runbooks fit an alert or a log line.

Ranking, strongest evidence first:

1. a known error's signature found in the text (exact, case-insensitive substring) or one of its
   ``re:`` patterns matching it; the longer the matched span, the more specific the hit;
2. a runbook alert name appearing in the text as a word;
3. text relevance: BM25 over titles (and aliases), symptoms, signatures, alerts and headings
   (weighted) plus the body, for everything else. Stop words, durations and counts are left out
   of it, and a word's weight grows steeply with its rarity (squared IDF), so the one rare word
   of a sentence ("... after 30 minutes, dkim") decides, not the common ones around it.

Known errors come before runbooks on equal evidence: they carry the workaround.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import asdict, dataclass, field

from .. import patterns
from ..derive import World
from ..errors import printable, printable_json
from ..models import KnownError, Runbook
from .layout import Layout
from .mdtext import split_sections

_TOKEN = re.compile(r"[a-z0-9_]+")
# Words that say nothing about which failure it is; a responder's sentence is full of them
# ("payments failing again after the deploy, users logged out").
_STOP = frozenset(
    "a about after again all already also am an and any are as at be been before being but by "
    "can cannot could did do does down during each even every for from get gets got had has have "
    "how i if in into is it its just me more most my no not now of off on only or our out over "
    "since so some still than that the their them then there these they this those to too "
    "until up very was we were what when where which while who why will with within without "
    "would you your second seconds sec secs minute minutes min mins hour hours day days ms".split()
)
_STATUS_CODE = re.compile(r"[1-5][0-9][0-9]")
"""Numbers are durations and counts ("after 30 minutes"), except a 3-digit status code (502);
single letters are options and units (``-n``, ``5 s``)."""
# Field weights for relevance: what a responder's words most likely hit.
WEIGHTS = {"title": 3.0, "symptoms": 2.0, "signatures": 2.0, "alerts": 2.0, "headings": 1.5}
BODY_WEIGHT = 1.0
K1, B = 1.2, 0.75
TIER_SIGNATURE = 3
TIER_ALERT = 2
TIER_TEXT = 1
KE_RELEVANCE_BOOST = 1.5
"""On words alone a known error outranks a runbook (the site's search boosts them 3:2 too)."""


@dataclass(slots=True)
class Match:
    kind: str  # "known_error" or "runbook"
    id: str
    title: str
    status: str
    """A known error's status; for a runbook ``current`` or ``stale``."""
    tier: int
    score: float
    reasons: list[str] = field(default_factory=list)
    first_step: str = ""
    path: str = ""
    url: str = ""


def tokens(text: str) -> list[str]:
    return [
        t
        for t in _TOKEN.findall(text.lower())
        if len(t) > 1 and t not in _STOP and (not t.isdigit() or _STATUS_CODE.fullmatch(t))
    ]


def first_line(markdown: str) -> str:
    """The first meaningful line of a section, without list markers or Markdown emphasis.

    A line ending in a colon introduces what follows ("In short:"), so the next line is the
    step; a list item ending in one ("1. Find what holds the connections:") is the step, and
    the line after it (its command) completes it.
    """
    lead = ""
    first = ""
    for raw in markdown.splitlines():
        line = raw.strip()
        if not line or line.startswith(("```", "~~~")):
            continue
        item = re.match(r"^(?:[-*+]|\d+[.)])\s+", line)
        line = line[item.end() :] if item else line
        line = line.replace("`", "").replace("**", "").strip()
        if not line:
            continue
        first = first or line
        if line.endswith(":"):
            lead = line if item else ""
            continue
        return f"{lead} {line}" if lead else line
    return first


def _signature_hits(ke: KnownError, text: str) -> list[tuple[int, str]]:
    """(matched length, reason) for every signature or pattern of ``ke`` found in ``text``."""
    hits = []
    lowered = text.lower()
    for sig in ke.signatures:
        if sig.startswith(patterns.PREFIX):
            # RE2: linear in the text whatever the pattern (`^(a+)+$` cannot hang a lookup).
            # A pattern RE2 refuses finds nothing here; `statuspress check` reports it.
            span = patterns.search(sig[len(patterns.PREFIX) :], text)
            if span and span[1] > span[0]:
                hits.append((span[1] - span[0], f"pattern {sig[3:]}"))
        elif sig.strip() and sig.lower() in lowered:
            hits.append((len(sig), f"signature {sig}"))
        elif len(text.strip()) >= 12 and lowered.strip() in sig.lower():
            # A partial line pasted from a longer signature.
            hits.append((len(text.strip()), f"signature {sig}"))
    return hits


def _alert_hits(rb: Runbook, text: str) -> list[str]:
    words = set(re.findall(r"[A-Za-z0-9_:.-]+", text))
    lowered = {w.lower() for w in words}
    return [a for a in rb.alerts if a.lower() in lowered]


def _fields(item: KnownError | Runbook) -> tuple[dict[str, list[str]], list[str]]:
    preamble, sections = split_sections(item.body)
    heads = " ".join(title for title, _ in sections)
    sub_heads = " ".join(re.findall(r"^#{3,6}\s+(.+)$", item.body, flags=re.M))
    body = preamble + " " + " ".join(text for _, text in sections)
    if isinstance(item, KnownError):
        named = {
            "title": tokens(" ".join([item.id, item.title, *item.aliases])),
            "symptoms": tokens(" ".join(item.symptoms)),
            "signatures": tokens(" ".join(s.removeprefix("re:") for s in item.signatures)),
            "alerts": [],
            "headings": tokens(heads + " " + sub_heads),
        }
    else:
        named = {
            "title": tokens(" ".join([item.id, item.title, *item.aliases])),
            "symptoms": tokens(item.section("symptoms and detection")),
            "signatures": [],
            "alerts": tokens(" ".join(item.alerts)),
            "headings": tokens(heads + " " + sub_heads),
        }
    return named, tokens(body)


class _Bm25:
    """BM25 with field weights folded into term frequencies (a simple BM25F)."""

    def __init__(self, docs: list[tuple[dict[str, list[str]], list[str]]]) -> None:
        self.tfs: list[dict[str, float]] = []
        self.lengths: list[float] = []
        df: Counter[str] = Counter()
        for named, body in docs:
            tf: dict[str, float] = {}
            for name, words in named.items():
                for w in words:
                    tf[w] = tf.get(w, 0.0) + WEIGHTS[name]
            for w in body:
                tf[w] = tf.get(w, 0.0) + BODY_WEIGHT
            self.tfs.append(tf)
            self.lengths.append(sum(tf.values()))
            df.update(tf.keys())
        n = len(docs)
        # Squared: over a few dozen entries plain BM25 weights a word found in one entry only
        # about 3 times one found in most of them, so three common words in a query outweighed
        # the one rare word that named the failure; squared it is about 10 times.
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) ** 2 for t, d in df.items()}
        self.avg = (sum(self.lengths) / n) if n else 1.0

    def score(self, index: int, query: list[str]) -> float:
        tf, length = self.tfs[index], self.lengths[index]
        total = 0.0
        for term in set(query):
            f = tf.get(term)
            if f:
                norm = f * (K1 + 1) / (f + K1 * (1 - B + B * length / self.avg))
                total += self.idf[term] * norm
        return total


def rank(world: World, text: str, limit: int = 5) -> list[Match]:
    """Known errors and runbooks that fit ``text``, best first (at most ``limit``)."""
    layout = Layout(world)
    content = world.content
    items: list[KnownError | Runbook] = [
        *sorted(content.known_errors.values(), key=lambda k: k.id),
        *sorted(content.runbooks.values(), key=lambda r: r.id),
    ]
    bm25 = _Bm25([_fields(item) for item in items])
    query = tokens(text)
    found: list[Match] = []
    for index, item in enumerate(items):
        relevance = bm25.score(index, query) if query else 0.0
        if isinstance(item, KnownError):
            hits = _signature_hits(item, text)
            tier = TIER_SIGNATURE if hits else TIER_TEXT
            specificity = float(max((n for n, _ in hits), default=0))
            relevance *= KE_RELEVANCE_BOOST
            reasons = [r for _, r in sorted(hits, key=lambda h: -h[0])]
            path = layout.known_error(item)
            step = first_line(item.section("workaround"))
            match = Match("known_error", item.id, item.title, item.status, tier, 0.0, reasons,
                          step, path, layout.internal_url(path))  # fmt: skip
        else:
            alerts = _alert_hits(item, text)
            tier = TIER_ALERT if alerts else TIER_TEXT
            specificity = float(max((len(a) for a in alerts), default=0))
            reasons = [f"alert {a}" for a in alerts]
            path = layout.runbook(item)
            step = first_line(item.section("resolution"))
            stale = "stale" if item.id in world.stale_runbooks else "current"
            match = Match("runbook", item.id, item.title, stale, tier, 0.0, reasons, step,
                          path, layout.internal_url(path))  # fmt: skip
        if tier == TIER_TEXT and relevance <= 0:
            continue
        if tier == TIER_TEXT:
            match.reasons = ["text: " + ", ".join(sorted(set(query) & set(bm25.tfs[index])))]
        # Specificity orders hits within a tier; relevance breaks the remaining ties.
        match.score = round(tier * 1e6 + specificity * 1e3 + relevance, 4)
        found.append(match)
    found.sort(key=lambda x: (-x.score, x.kind != "known_error", x.id))
    return found[:limit]


def format_matches(world: World, found: list[Match], fmt: str = "text") -> str:
    """Matches as text (one block each) or JSON (a list of objects).

    Bodies are free Markdown: control characters in a first step are shown escaped, never
    sent to the responder's terminal raw.
    """
    if fmt == "json":
        return printable_json(json.dumps([asdict(f) for f in found], indent=2, ensure_ascii=False))
    if not found:
        return "No known error or runbook matches."
    lines = []
    for number, f in enumerate(found, 1):
        what = "known error" if f.kind == "known_error" else "runbook"
        status = f.status.replace("_", " ")
        # A known error whose status is `known_error` reads "(known error)", not twice.
        kind = what if status == what else f"{what}, {status}"
        lines.append(f"{number}. {f.id}  {f.title}  ({kind})")
        if f.reasons:
            lines.append(f"   matched: {'; '.join(f.reasons)}")
        if f.first_step:
            label = "workaround" if f.kind == "known_error" else "first step"
            lines.append(f"   {label}: {f.first_step}")
        lines.append(f"   {f.url}")
    return "\n".join(printable(line) for line in lines)
