"""The public site in other languages: catalogs, formats, several languages, check.

- The shipped catalogs hold exactly the messages the templates and code use (extracted with
  Babel in-process, as ``pybabel extract -F babel.cfg`` does), every one translated with
  fitting placeholders; a missing, stale or untranslated entry is named.
- Every shipped language builds, with its labels and Babel's dates and numbers.
- ``languages: [en, de, ar]`` builds one site per language: hreflang alternates and the
  switcher's links resolve, each language's feeds parse (feedparser) in that language,
  incidents' ``title_<lang>`` / ``message_<lang>`` show where they belong; machine values
  (API, ids, calendar UIDs) stay the same.
- ``check`` names unknown languages and missing catalogs (file:line, field), accepts a
  site's own catalog, and with ``require_translations`` names every missing translation.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
from i18n_support import localised
from markupsafe import Markup
from statuspress.build import build
from statuspress.errors import ERROR, ContentError
from statuspress.i18n import Texts, shipped_languages, texts_for
from statuspress.loader import load
from statuspress.public.catalogs import catalog_paths, problems

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
ROOT = Path(__file__).resolve().parent.parent
API_OUTAGE = "incidents/2026/2026-11-24-api-outage.md"


# --- catalogs ------------------------------------------------------------------------------


def test_shipped_catalogs_match_the_code() -> None:
    assert sorted(catalog_paths(ROOT)) == ["ar", "de", "es", "fr", "ja", "pt_BR", "zh_Hans"]
    assert problems(ROOT) == [], "run scripts/update-catalogs and translate what it adds"


def test_a_missing_a_stale_and_an_untranslated_entry_are_named(tmp_path: Path) -> None:
    for rel in ("babel.cfg", "theme", "generator/statuspress/public"):
        source = ROOT / rel
        if source.is_dir():
            shutil.copytree(source, tmp_path / rel)
        else:
            shutil.copy(source, tmp_path / rel)
    assert problems(tmp_path) == []
    po = tmp_path / "theme/locales/de/LC_MESSAGES/messages.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgid "Today"\nmsgstr "Heute"\n', "")
    text = text.replace('msgstr "Dienste"', 'msgstr ""')
    text += '\nmsgid "A message no code uses"\nmsgstr "Eine Meldung"\n'
    po.write_text(text, encoding="utf-8")
    fr = tmp_path / "theme/locales/fr/LC_MESSAGES/messages.po"
    fr.write_text(
        fr.read_text(encoding="utf-8").replace('%(percent)s de disponibilité"', '%(pct)s"', 1),
        encoding="utf-8",
    )
    found = problems(tmp_path)
    de = "theme/locales/de/LC_MESSAGES/messages.po"
    assert f"{de}: missing 'Today'" in found
    assert f"{de}: untranslated 'Services'" in found
    assert f"{de}: stale entry 'A message no code uses' (no code uses it)" in found
    assert any("fr/LC_MESSAGES" in p and "pct" in p for p in found), found
    # A new message in a template is missing from every catalog and from the template.
    page = tmp_path / "theme/index.html"
    page.write_text(page.read_text() + '{{ _("Brand-new text") }}\n', encoding="utf-8")
    found = problems(tmp_path)
    assert "theme/locales/messages.pot: out of date (run scripts/update-catalogs)" in found
    assert sum("missing 'Brand-new text'" in p for p in found) == 7


# --- formats -------------------------------------------------------------------------------


def test_dates_numbers_and_durations_follow_the_locale() -> None:
    berlin = dt.datetime(2026, 11, 27, 10, 40, tzinfo=ZoneInfo("Europe/Berlin"))
    de = Texts("de").formats
    assert de.datetime(berlin) == "27. Nov. 2026, 10:40 MEZ"
    assert de.percent(99.956) == "99,95\xa0%"
    assert de.percent(100.0) == "100\xa0%"
    assert de.duration(125) == "2 Std. 5 Min."
    assert de.month(2026, 3) == "März 2026"
    assert Texts("ja").formats.date(berlin.date()) == "2026年11月27日"
    assert Texts("fr").formats.datetime(berlin) == "27 nov. 2026, 10:40 CET"
    ar = Texts("ar")
    assert ar.direction == "rtl" and Texts("de").direction == "ltr"
    english = Texts("en").formats
    assert english.datetime(berlin) == "27 Nov 2026, 10:40 CET"
    assert english.percent(99.956) == "99.95%"
    assert english.duration(125) == "2 h 5 min"


def test_every_shipped_language_builds_in_its_own_words(tmp_path: Path) -> None:
    banner = {
        "de": "Teilausfall",
        "fr": "Panne partielle",
        "es": "Interrupción parcial",
        "pt-BR": "Interrupção parcial",
        "ja": "部分的な障害",
        "zh-Hans": "部分中断",
        "ar": "انقطاع جزئي",
    }
    assert sorted(t.replace("_", "-") for t in shipped_languages()) == sorted([*banner, "en"])
    for tag, words in banner.items():
        out = tmp_path / tag
        build(localised(out, language=tag), out / "site", NOW, internal=False)
        home = (out / "site/public/index.html").read_text(encoding="utf-8")
        assert f'<html lang="{tag}"' in home
        assert f'<h1 id="overall">{words}</h1>' in home, tag
        for english in ("Recent history", "Subscribe to updates", "Partial outage", " uptime<"):
            assert english not in home, (tag, english)
        assert ('dir="rtl"' in home) == (tag == "ar")
        assert ("rtl.css" in home) == (tag == "ar")


def test_badges_make_room_for_wide_characters() -> None:
    from statuspress.public.badges import text_width

    assert text_width("正常稼働") == 44.0 > text_width("abcd")


def test_messages_are_compiled_into_the_templates() -> None:
    """A message without a count costs no gettext call per page (the build's speed)."""
    from statuspress.public.templating import make_env

    texts = texts_for("de")
    calls: list[str] = []
    original = texts.gettext

    def counting(message: str) -> str:
        calls.append(message)
        return original(message)

    texts.gettext = counting  # type: ignore[method-assign]
    try:
        env = make_env(None, texts=texts)
        template = env.from_string(
            '<a>{{ _("Today") }}</a>{% trans %}Updates{% endtrans %} '
            "{% trans at=x %}Last updated {{ at }}{% endtrans %}"
        )
        assert calls == ["Today", "Updates", "Last updated %(at)s"]  # once, at compile time
        html = template.render(x="<b>")
        assert html == "<a>Heute</a>Updates Zuletzt aktualisiert: &lt;b&gt;"
        assert calls == ["Today", "Updates", "Last updated %(at)s"]
        assert template.render(x=Markup("<time>")) == (
            "<a>Heute</a>Updates Zuletzt aktualisiert: <time>"
        )
    finally:
        texts.gettext = original  # type: ignore[method-assign]


# --- several languages ---------------------------------------------------------------------


def _translate_api_outage(content: Path) -> None:
    path = content / API_OUTAGE
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "title: Public API unavailable\n",
        "title: Public API unavailable\ntitle_de: Öffentliche API nicht erreichbar\n",
    )
    text = text.replace(
        "    message: The public API is returning errors for all requests. We are investigating.\n",
        "    message: The public API is returning errors for all requests. We are investigating.\n"
        "    message_de: Die öffentliche API liefert Fehler. Wir untersuchen das.\n",
    )
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def multi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("multi")
    content = localised(root, language="en", languages=["en", "de", "ar"])
    _translate_api_outage(content)
    build(content, root / "out", NOW, internal=False)
    return root / "out" / "public"


def _links(html: str, pattern: str) -> list[str]:
    return re.findall(pattern, html)


def test_one_site_per_language_and_machine_outputs_once(multi: Path) -> None:
    for folder in ("", "de/", "ar/"):
        for rel in ("index.html", "history/index.html", "history.atom", "history.rss"):
            assert (multi / folder / rel).is_file(), folder + rel
        assert (multi / folder / "maintenance.ics").is_file()
        assert (multi / folder / "badges/_overall.json").is_file()
    assert (multi / "api/v2/summary.json").is_file()
    assert not (multi / "de/api").exists() and not (multi / "en").exists()
    assert (multi / "ar/rtl.css").is_file() and not (multi / "rtl.css").exists()
    assert '"label": "Small Co Status", "message": "teilweiser Systemausfall"' in (
        multi / "de/badges/_overall.json"
    ).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "page", ["index.html", "history/index.html", "incidents/2026-11-24-api-outage/index.html"]
)
def test_alternates_and_the_switcher_resolve(multi: Path, page: str) -> None:
    for folder, tag in (("", "en"), ("de/", "de"), ("ar/", "ar")):
        html = (multi / folder / page).read_text(encoding="utf-8")
        alternates = dict(_links(html, r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">'))
        base = "https://status.small.example/"
        want_url = page.removesuffix("index.html")
        assert alternates == {
            "en": base + want_url,
            "de": base + "de/" + want_url,
            "ar": base + "ar/" + want_url,
            "x-default": base + want_url,
        }
        switcher = _links(html, r'<li><a href="([^"]+)" hreflang="([^"]+)" lang="[^"]+"')
        assert [t for _, t in switcher] == ["en", "de", "ar"]
        here = posixpath.dirname(folder + page)
        for href, target in switcher:
            resolved = posixpath.normpath(posixpath.join(here, href))
            expected = ("" if target == "en" else target + "/") + page
            assert resolved == expected, (folder + page, href)
            assert (multi / resolved).is_file()
        assert f'aria-current="true">{Texts(tag).name()}</a>' in html


def test_each_language_has_its_own_feeds(multi: Path) -> None:
    en = feedparser.parse((multi / "history.atom").read_bytes())
    de = feedparser.parse((multi / "de/history.atom").read_bytes())
    ar = feedparser.parse((multi / "ar/history.rss").read_bytes())
    assert not en.bozo and not de.bozo and not ar.bozo
    assert en.feed.title == "Small Co Status - Incident History"
    assert de.feed.title == "Small Co Status - Störungsverlauf"
    assert ar.feed.title == "Small Co Status - سجل الحوادث"
    assert de.feed.language == "de" and ar.feed.language == "ar"
    assert de.feed.id == "https://status.small.example/de/history.atom"
    entries = {e.link: e for e in de.entries}
    outage = entries["https://status.small.example/de/incidents/2026-11-24-api-outage/"]
    assert outage.title == "Öffentliche API nicht erreichbar"
    assert "Die öffentliche API liefert Fehler" in outage.content[0].value
    assert "Untersuchung läuft" in outage.content[0].value
    english = {e.link: e for e in en.entries}
    assert (
        english["https://status.small.example/incidents/2026-11-24-api-outage/"].title
        == "Public API unavailable"
    )


def test_incident_translations_show_only_in_their_language(multi: Path) -> None:
    page = "incidents/2026-11-24-api-outage/index.html"
    de = (multi / "de" / page).read_text(encoding="utf-8")
    en = (multi / page).read_text(encoding="utf-8")
    ar = (multi / "ar" / page).read_text(encoding="utf-8")
    assert '<h1 dir="auto">Öffentliche API nicht erreichbar</h1>' in de
    assert '<h1 dir="auto">Public API unavailable</h1>' in en
    assert '<h1 dir="auto">Public API unavailable</h1>' in ar  # no title_ar: as written
    assert "Die öffentliche API liefert Fehler" in de and "liefert" not in en


def test_machine_values_do_not_change_with_the_language(multi: Path, tmp_path: Path) -> None:
    build(localised(tmp_path, language="de"), tmp_path / "out", NOW, internal=False)
    german = tmp_path / "out" / "public"
    english = ROOT / "tests/golden/small"
    for rel in ("api/v2/summary.json", "api/v2/incidents.json"):
        assert (german / rel).read_bytes() == (english / rel).read_bytes(), rel
    uids = re.compile(rb"UID:[^\r\n]+")
    ics = (german / "maintenance.ics").read_bytes()
    assert uids.findall(ics) == uids.findall((english / "maintenance.ics").read_bytes())
    assert uids.findall((multi / "ar/maintenance.ics").read_bytes()) == uids.findall(ics)
    assert b"Geplante Wartung" in ics


# --- check ---------------------------------------------------------------------------------


def _errors(content: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load(content, NOW).raise_on_errors()
    return [
        f"{d.path.split('content/')[-1]}:{d.line}: {d.field}: {d.message}"
        for d in info.value.diagnostics
        if d.level == ERROR
    ]


def test_check_names_unknown_languages_and_missing_catalogs(tmp_path: Path) -> None:
    content = localised(tmp_path, language="xx", languages=["xx", "nl", "de"])
    errors = _errors(content)
    assert errors == [
        "site.yaml:12: language: unknown language 'xx' (Babel has no locale data for it)",
        "site.yaml:13: languages[0]: unknown language 'xx' (Babel has no locale data for it)",
        "site.yaml:13: languages[1]: no translation catalog for 'nl' (shipped: ar, de, en, es, "
        "fr, ja, pt-BR, zh-Hans); add <theme_dir>/locales/<locale>/LC_MESSAGES/messages.po",
    ]


def test_a_site_catalog_adds_a_language_and_overrides_a_shipped_one(tmp_path: Path) -> None:
    content = localised(tmp_path, languages=["en", "nl", "de"], theme_dir="theme")
    nl = tmp_path / "theme/locales/nl/LC_MESSAGES/messages.po"
    nl.parent.mkdir(parents=True)
    nl.write_text('msgid "Recent history"\nmsgstr "Recente geschiedenis"\n', encoding="utf-8")
    de = tmp_path / "theme/locales/de/LC_MESSAGES/messages.po"
    de.parent.mkdir(parents=True)
    de.write_text('msgid "Recent history"\nmsgstr "Die letzten Tage"\n', encoding="utf-8")
    build(content, tmp_path / "out", NOW, internal=False)
    public = tmp_path / "out/public"
    dutch = (public / "nl/index.html").read_text(encoding="utf-8")
    german = (public / "de/index.html").read_text(encoding="utf-8")
    assert ">Recente geschiedenis</h2>" in dutch and ">Services</h2>" in dutch  # rest: English
    assert ">Die letzten Tage</h2>" in german and ">Dienste</h2>" in german  # rest: shipped
    de.write_text('msgid "Recent history"\nnonsense "x"\n', encoding="utf-8")
    errors = _errors(content)
    assert len(errors) == 1 and errors[0].startswith("site.yaml:13: languages[2]: ")
    assert "theme/locales/de/LC_MESSAGES/messages.po" in errors[0]


def test_require_translations_names_each_missing_text(tmp_path: Path) -> None:
    content = localised(tmp_path, languages=["en", "de"], require_translations=True)
    _translate_api_outage(content)
    errors = [e for e in _errors(content) if "api-outage" in e]
    assert errors == [
        f"{API_OUTAGE}:{line}: updates[{i}].message_de: is missing: site.yaml sets "
        "require_translations and lists 'de'"
        for i, line in ((1, 26), (2, 29), (3, 33))
    ]
    everything = _errors(content)
    assert any(": title_de: is missing" in e for e in everything)
