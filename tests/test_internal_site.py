"""The internal knowledge base built from the demo content (and small variations of it)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from click.testing import CliRunner
from statuspress.build import build
from statuspress.cli import cli
from statuspress.errors import BuildError

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
NOW_ARG = "2026-11-27T12:00:00Z"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The demo's internal site, built once for this module; returns (site, progress lines)."""
    out = tmp_path_factory.mktemp("internal") / "out"
    messages: list[str] = []
    build(CONTENT, out, NOW, public=False, progress=messages.append)
    return out / "internal", messages


@pytest.fixture(scope="module")
def site(built: tuple[Path, list[str]]) -> Path:
    return built[0]


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def text(html: str) -> str:
    """Visible text of the page's article, whitespace collapsed (for order checks)."""
    article = html.split('<article class="md-content__inner md-typeset">', 1)[1]
    article = article.split("</article>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", article).split())


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")


# --- the build ------------------------------------------------------------------------------


def test_internal_only_build_writes_nothing_public(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["build", "--content", str(CONTENT), "--now", NOW_ARG, "--internal-only",
              "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (out / "internal" / "index.html").is_file()
    assert (out / "internal" / "search" / "search_index.json").is_file()
    assert not (out / "public").exists()
    assert sorted(p.name for p in out.iterdir()) == ["internal"]


def test_search_index_size_is_reported_and_small(built: tuple[Path, list[str]]) -> None:
    site, messages = built
    size = (site / "search" / "search_index.json").stat().st_size
    reported = [m for m in messages if "search index" in m]
    assert reported == [reported[0]] and f"search index {size / 1e6:.2f} MB" in reported[0]
    assert size < 1_000_000  # the demo's index; bench/bench_internal.py checks 10,000 incidents


def test_mkdocs_builds_the_demo_without_warnings(tmp_path: Path) -> None:
    from statuspress.internal import build_internal
    from statuspress.loader import load_valid

    built = build_internal(load_valid(CONTENT, NOW).world, tmp_path, lambda _: None)
    assert built.warnings == []
    assert built.pages > 100


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    parsed: dict[Path, _Links] = {}
    for file in site.rglob("*.html"):
        links = _Links()
        links.feed(file.read_text(encoding="utf-8"))
        parsed[file] = links
    broken = []
    for file, links in parsed.items():
        base = "http://site/" + file.relative_to(site).as_posix()
        for href in links.hrefs:
            url = urlparse(urljoin(base, href))
            if url.netloc != "site":
                continue
            path = unquote(url.path.lstrip("/"))
            target = site / path / "index.html" if path == "" or path.endswith("/") else site / path
            if not target.exists():
                broken.append(f"{file.relative_to(site)}: {href}")
            elif url.fragment and target in parsed and url.fragment not in parsed[target].ids:
                broken.append(f"{file.relative_to(site)}: {href} (no such anchor)")
    assert broken == []


# --- known errors ---------------------------------------------------------------------------


def test_known_error_page_puts_the_workaround_before_symptoms_and_signatures(site: Path) -> None:
    html = page(site, "known-errors/KE-0007")
    body = text(html)
    workaround = body.index("Workaround")
    symptoms = body.index("Symptoms")
    signatures = body.index("Signatures")
    assert workaround < symptoms < signatures
    assert body.index("Follow runbook postgres-connection-pool") < symptoms
    # Signatures in code blocks, exact text (regexes too), so search and copy-paste find them.
    assert (
        '<code class="language-text">HikariPool-1 - Connection is not available, '
        "request timed out after 30000ms\n" in html
    )
    assert r"HikariPool-\d+ - Connection is not available" in html
    assert "PaymentsAPIHighErrorRate alert (5xx above 5% for 5 minutes)" in body


def test_known_error_page_lists_linked_incidents_and_occurrences(site: Path) -> None:
    body = text(page(site, "known-errors/KE-0007"))
    # Computed from the incidents' known_errors: two real incidents plus one more.
    assert "Occurrences: 3" in body
    assert "Last seen: 2026-11-24 02:47 CET" in body
    linked = body[body.index("Linked incidents") :]
    for title in (
        "Payment errors during Black Friday evening peak",
        "Slow and failing card payments",
    ):
        assert title in linked
    assert "Postgres connection pool exhaustion (payments-db, orders-db)" in linked


def test_known_error_index_filters_by_status_and_service_without_js(site: Path) -> None:
    index = page(site, "known-errors")
    assert 'href="status/fix_in_progress/"' in index
    assert 'href="service/payments-api/"' in index
    fixing = text(page(site, "known-errors/status/fix_in_progress"))
    assert "KE-0007" in fixing and "KE-0001" not in fixing
    payments = text(page(site, "known-errors/service/payments-api"))
    assert "KE-0007" in payments and "KE-0012" not in payments


# --- runbooks, incidents, services, action items ------------------------------------------


def test_stale_runbook_is_marked(site: Path) -> None:
    stale = text(page(site, "runbooks/shipment-tracking-feed"))
    assert "Stale runbook" in stale
    assert "due for review on 2026-02-10" in stale
    fresh = text(page(site, "runbooks/postgres-connection-pool"))
    assert "Stale" not in fresh
    assert "Next review: 2027-02-24" in fresh
    assert "stale" in text(page(site, "runbooks")).lower()


def test_runbook_lists_alerts_as_headings_with_anchors(site: Path) -> None:
    html = page(site, "runbooks/postgres-connection-pool")
    assert 'id="alert-hikaripoolpendingthreadshigh"' in html
    assert "Known errors:" in text(html)


def test_postmortem_page_has_lifecycle_durations_roles_updates_and_action_items(
    site: Path,
) -> None:
    body = text(page(site, "incidents/2025-11-28-payment-errors-black-friday"))
    for expected in (
        "SEV-2",
        "P1",
        "Started (impact began) 2025-11-28 20:02 CET",
        "Acknowledged 2025-11-28 20:06 CET time to acknowledge 2 min",
        "Resolved 2025-11-28 21:30 CET time to resolve 1 h 26 min",
        "User impact started → mitigated or resolved 29 min",
        "Incident commander Priya Raman",
        "Escalated to Marta Kowalski, Aisha Okafor",
        "database / availability / capacity",
        "Postmortem status: published",
        "Contributing factors",
        "AI-125",
        "2025-11-28 20:11 CET · investigating",
    ):
        assert expected in body, expected
    assert "2026-01-31 OVERDUE" in body  # AI-125 is open and past due
    assert "2026-02-27 OVERDUE" not in body  # AI-124 is done


def test_gameday_appears_marked(site: Path) -> None:
    body = text(page(site, "incidents/2026-04-22-gameday-payments-db-failover"))
    assert "Gameday" in body and "never counted in metrics" in body
    assert "gameday" in text(page(site, "incidents"))


def test_minor_incidents_are_recorded_on_weekly_pages_linked_from_months(site: Path) -> None:
    month = page(site, "incidents/2026/10")
    week_links = re.findall(r'href="(\.\./\.\./weeks/[^"]+)"', month)
    assert week_links
    week, anchor = week_links[0].split("#")
    week_html = (site / "incidents" / "weeks" / week.split("/")[-2] / "index.html").read_text()
    assert f'id="{anchor}"' in week_html
    assert "Lifecycle:" in week_html and "Public updates" in week_html


def test_service_page_links_runbooks_known_errors_incidents_and_metrics(site: Path) -> None:
    html = page(site, "services/payments-api")
    for href in (
        "../../runbooks/postgres-connection-pool/",
        "../../known-errors/KE-0007/",
        "../../incidents/2025-11-28-payment-errors-black-friday/",
        "../../metrics/",
    ):
        assert f'href="{href}' in html, href
    body = text(html)
    assert "Severity criteria" in body and "Routing" in body
    assert "MTTA (time to acknowledge)" in body


def test_action_items_page_marks_overdue_items(site: Path) -> None:
    body = text(page(site, "action-items"))
    assert re.search(r"AI-125 Set statement_timeout = 5s .* 2026-01-31 OVERDUE", body)
    assert "AI-124" not in body  # done items are not open action items
    # AI-125's ticket is a tracker URL: a link (the other tickets are ids: text).
    ticket = "https://jira.acme-shop.example/browse/PAY-2043"
    assert f'<a href="{ticket}">{ticket}</a>' in page(site, "action-items")
    owners = re.findall(r'href="([a-z0-9-]+)/"', page(site, "action-items"))
    assert "tom-becker" in owners
    assert "AI-125" in text(page(site, "action-items/tom-becker"))


def test_metrics_page_prints_definitions_targets_and_accessible_charts(site: Path) -> None:
    html = page(site, "metrics")
    body = text(html)
    assert "Definition: From detection (detected_at, else started_at)" in body
    assert "met" in body and "missed" in body
    assert "(excluded: 1 gameday, 6 maintenance; maintenance and gamedays never count)" in body
    charts = re.findall(r"<svg[^>]*role=\"img\"[^>]*>", html)
    assert len(charts) >= 4
    assert "<title" in html and "<desc" in html
    assert "target 1 h" in html  # the SEV-1 MTTR target line, as text


def test_metrics_page_shows_the_articles_process_metrics_for_the_demo(site: Path) -> None:
    """Issue #16 items 6-8 on the demo: every new metric with real, non-trivial values."""
    html = page(site, "metrics")
    body = text(html)
    # SEV-1: KE-0009 and KE-0007 existed before their incidents (known, 88 min mean against
    # 30); KE-0002 was identified the day of its incident (novel, 92 min against 2 h).
    assert "SEV-1 known 2 1 h 28 min 1 h 28 min 30 min missed" in body
    assert "SEV-1 novel 1 1 h 32 min 1 h 32 min 2 h met" in body
    assert "all known 14 1 h 19 min 1 h 18 min none no target" in body
    assert "all novel 26 1 h 35 min 1 h 27 min none no target" in body
    assert "Resolved with a known-error workaround 35.0% 14 of 40 30.0%-40.0% met" in body
    assert "Escalation rate 31.7% 13 of 41 ≤ 25.0% missed" in body
    assert "Trend: not decreasing" in body
    assert "2026-Q3 6 16.7% 1 of 6 up 16.7 points 2026-Q4 7 28.6% 2 of 7 up 11.9 points" in body
    assert "Value Incidents Share Resolved MTTR mean Median p90 application 11 26.8% 11" in body
    assert "third-party 11 26.8% 10 1 h 52 min" in body
    assert "category.cause" in body and "expired-certificate 1 2.4%" in body
    for title in (
        "MTTR mean per severity, known failure modes and novel incidents",
        "Customer-reported share per quarter",
        "Incidents per category.system",
    ):
        assert f">{title}</title>" in html
    assert "Identified: 2025-10-27" in text(page(site, "known-errors/KE-0002"))


# --- configuration and failures --------------------------------------------------------------


def copy_demo(tmp_path: Path) -> Path:
    content = tmp_path / "site" / "content"
    shutil.copytree(CONTENT, content)
    return content


def test_hand_written_pages_are_merged(tmp_path: Path) -> None:
    content = copy_demo(tmp_path)
    with (content / "site.yaml").open("a", encoding="utf-8") as fd:
        fd.write("docs_dir: handbook\n")
    (content.parent / "handbook").mkdir()
    (content.parent / "handbook" / "on-call.md").write_text("# On-call handbook\n\nPage twice.\n")
    out = tmp_path / "out"
    build(content, out, NOW, public=False)
    assert "Page twice." in (out / "internal" / "on-call" / "index.html").read_text()
    # Without a mkdocs.yml next to the content, the built-in default configuration is used.
    assert not (content.parent / "mkdocs.yml").exists()
    assert (out / "internal" / "known-errors" / "KE-0007" / "index.html").is_file()


def test_hand_written_page_may_not_replace_a_generated_one(tmp_path: Path) -> None:
    content = copy_demo(tmp_path)
    with (content / "site.yaml").open("a", encoding="utf-8") as fd:
        fd.write("docs_dir: handbook\n")
    (content.parent / "handbook").mkdir()
    (content.parent / "handbook" / "index.md").write_text("# Mine\n")
    with pytest.raises(BuildError, match="would replace a generated page"):
        build(content, tmp_path / "out", NOW, public=False)


def test_mkdocs_failure_is_a_build_error_and_keeps_the_previous_site(tmp_path: Path) -> None:
    content = copy_demo(tmp_path)
    out = tmp_path / "out"
    build(content, out, NOW, public=False)
    before = (out / "internal" / "index.html").read_bytes()
    (content.parent / "mkdocs.yml").write_text("site_name: X\ntheme:\n  name: no-such-theme\n")
    result = CliRunner().invoke(
        cli, ["build", "--content", str(content), "--now", NOW_ARG, "--internal-only",
              "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "mkdocs could not build the internal site" in result.output
    assert "no-such-theme" in result.output
    assert "Traceback" not in result.output
    assert (out / "internal" / "index.html").read_bytes() == before


def test_repository_mkdocs_yml_matches_the_built_in_default() -> None:
    """Sites without a mkdocs.yml get the same settings as this repository's file."""
    from mkdocs.utils.yaml import yaml_load
    from statuspress.internal.mkdocs_build import DEFAULT_CONFIG

    with (ROOT / "mkdocs.yml").open("rb") as fd:
        repo = yaml_load(fd)
    repo.pop("site_name")
    assert json.loads(json.dumps(repo)) == json.loads(json.dumps(DEFAULT_CONFIG))


def test_site_name_from_mkdocs_yml_is_plain_text(tmp_path: Path) -> None:
    """material prints site_name raw in aria-label and the header, and with |e in title=:
    each shows the name once escaped. The site's own custom_dir comes first."""
    from lxml import html as lxml_html

    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "small" / "content", content)
    name = 'KB <img src=x onerror=alert(1)> "q" & co'
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace(
        "site_name: Acme Shop incident knowledge base", f"site_name: '{name}'"
    ).replace("  name: material\n", "  name: material\n  custom_dir: mine\n")
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    (tmp_path / "mine" / "assets" / "statuspress").mkdir(parents=True)
    (tmp_path / "mine" / "assets" / "statuspress" / "base.js").write_text("/* mine */\n")
    (tmp_path / "mine" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block extrahead %}<meta name="mine" content="1">'
        "{% endblock %}\n"
    )
    build(content, tmp_path / "out", NOW, public=False)
    site = tmp_path / "out" / "internal"
    doc = lxml_html.document_fromstring((site / "index.html").read_bytes())
    logo = doc.xpath('//a[contains(@class, "md-header__button") and @data-md-component="logo"]')[0]
    assert logo.get("aria-label") == name
    assert logo.get("title") == name
    topic = doc.xpath('//div[@class="md-header__topic"]//span[@class="md-ellipsis"]')[0]
    assert topic.text_content().strip() == name
    assert doc.findtext(".//title").endswith(f" - {name}")
    assert not doc.xpath('//img[@src="x"]')
    # The site's custom_dir wins over statuspress's overrides, which win over material.
    assert (site / "assets" / "statuspress" / "base.js").read_text() == "/* mine */\n"
    # A main.html of the site's own keeps the policy (it is written by a partial).
    assert doc.xpath('//meta[@name="mine"]')
    assert doc.xpath('//meta[@http-equiv="Content-Security-Policy"]')
