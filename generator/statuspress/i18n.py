"""The public site in the reader's language: gettext catalogs and Babel formats.

Catalogs are gettext ``.po`` files, read at build time (no compiled ``.mo`` is committed or
installed): ``theme/locales/<locale>/LC_MESSAGES/messages.po`` ships with statuspress, and a
site may add or override one in its theme folder (``<theme_dir>/locales/...``); the site's
entries win message by message. ``<locale>`` is Babel's identifier (``de``, ``pt_BR``,
``zh_Hans``); the site names a language by its BCP 47 tag (``de``, ``pt-BR``, ``zh-Hans``).

English is the source language: it needs no catalog, and its dates keep the format statuspress
always wrote (``27 Nov 2026, 10:55 CET``), so English pages do not change. Every other locale
formats dates, times, percentages and durations with Babel (CLDR data). Babel is slow per
call, and a page set formats tens of thousands of moments, so every format here is compiled
once per locale and cached per value: a day, a minute of the day, a zone name.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext as _gettext
import io
import math
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import parse_pattern
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import NumberPattern
from babel.numbers import parse_pattern as parse_number_pattern
from babel.support import Translations
from babel.units import format_unit

import statuspress

from .errors import BuildError

DOMAIN = "messages"
DEFAULT = "en"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention extraction looks for
    """Mark a string for extraction; it is translated where it is shown."""
    return message


def theme_root() -> Path:
    """The built-in theme: inside the package (wheel) or the repository's ``theme/``."""
    packaged = Path(statuspress.__file__).parent / "theme"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "theme"


def locales_root() -> Path:
    """The shipped catalogs: ``locales/`` beside the built-in theme's templates."""
    return theme_root() / "locales"


def parse_tag(tag: str) -> Locale:
    """A BCP 47 tag (``pt-BR``) as a Babel locale; ``ValueError`` when Babel does not know it."""
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise ValueError(f"unknown language '{tag}'") from exc


def folder_name(tag: str) -> str:
    """The site folder of a language that is not the default: its tag in lower case."""
    return tag.lower()


def site_languages(language: str, languages: list[str]) -> list[str]:
    """The languages a site is built in: the default first, then the others in order."""
    return [language, *(tag for tag in languages if tag.lower() != language.lower())]


def catalog_candidates(locale: Locale) -> list[str]:
    """Catalog folders to look for, most specific first: ``pt_BR``, ``pt``."""
    names = [str(locale)]
    if locale.script and locale.territory:
        names.append(f"{locale.language}_{locale.script}")
    if locale.language not in names:
        names.append(locale.language)
    return names


def shipped_languages() -> list[str]:
    """Locale identifiers of the catalogs statuspress ships (English, the source, included)."""
    root = locales_root()
    found = {p.parent.parent.name for p in root.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return sorted(found | {DEFAULT})


def catalog_files(tag: str, overrides: Path | None) -> list[Path]:
    """The ``.po`` files that make up a language: shipped first, then the site's."""
    locale = parse_tag(tag)
    files: list[Path] = []
    for root in (locales_root(), overrides / "locales" if overrides else None):
        if root is None:
            continue
        for name in catalog_candidates(locale):
            path = root / name / "LC_MESSAGES" / f"{DOMAIN}.po"
            if path.is_file():
                files.append(path)
                break
    return files


def has_catalog(tag: str, overrides: Path | None) -> bool:
    """Whether a page can be written in ``tag``: English, or a shipped or site catalog."""
    return parse_tag(tag).language == DEFAULT or bool(catalog_files(tag, overrides))


def read_catalog(path: Path) -> Catalog:
    """One ``.po`` file; a :class:`BuildError` naming ``file:line`` when it cannot be read."""
    try:
        with path.open("rb") as fh:
            return read_po(fh, abort_invalid=True)
    except PoFileError as exc:
        raise BuildError(f"{path}: {exc}") from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BuildError(f"{path}: cannot read the catalog: {exc}") from exc


@functools.lru_cache(maxsize=32)
def _parsed(path: Path, stamp: tuple[int, int]) -> Catalog:
    """A parsed catalog (cached while the file is unchanged: serve rebuilds often)."""
    del stamp  # part of the cache key only
    return read_catalog(path)


def translations(tag: str, overrides: Path | None) -> _gettext.NullTranslations:
    """Gettext translations of ``tag``: the shipped catalog with the site's merged over it."""
    files = catalog_files(tag, overrides)
    if not files:
        return _gettext.NullTranslations()
    catalogs = [_parsed(p, (p.stat().st_mtime_ns, p.stat().st_size)) for p in files]
    strings: dict[tuple[object, str | None], object] = {}
    for catalog in catalogs:  # later (the site's) entries win, untranslated ones do not
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                strings[(message.id, message.context)] = message.string
    # New messages: adding the cached catalogs' own would make Babel merge into them.
    merged = Catalog(locale=catalogs[0].locale, domain=DOMAIN)
    for (msgid, context), string in strings.items():
        merged.add(msgid, string, context=context)  # type: ignore[arg-type]
    buffer = io.BytesIO()
    write_mo(buffer, merged, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


# --- formats -------------------------------------------------------------------------------

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_ABBREVIATIONS = tuple(name[:3] for name in MONTHS)


def zone_name(moment: dt.datetime) -> str:
    """The zone abbreviation (CET, CEST, UTC), or ``UTC+05:30`` where the zone has none."""
    name = moment.tzname() or ""
    if not name or name[0] in "+-":
        offset = moment.utcoffset() or dt.timedelta(0)
        sign = "-" if offset < dt.timedelta(0) else "+"
        total = abs(int(offset.total_seconds())) // 60
        name = f"UTC{sign}{total // 60:02d}:{total % 60:02d}" if total else "UTC"
    return name


def floor_percent(value: float) -> float | None:
    """Two decimals, rounded down, so any downtime at all never shows as 100%; None: 100%."""
    if value >= 100.0:
        return None
    return max(math.floor(value * 100.0 + 1e-9) / 100.0, 0.0)


class Formats:
    """How one language writes moments, months, percentages and durations (English here)."""

    rtl = False

    def date(self, day: dt.date) -> str:
        """``27 Nov 2026``."""
        return f"{day.day} {_ABBREVIATIONS[day.month - 1]} {day.year}"

    def time(self, moment: dt.datetime) -> str:
        """``10:55 CET`` (``moment`` already in the display zone)."""
        return f"{moment.hour:02d}:{moment.minute:02d} {zone_name(moment)}"

    def datetime(self, moment: dt.datetime) -> str:
        """``27 Nov 2026, 10:55 CET`` (``moment`` already in the display zone)."""
        return f"{self.date(moment)}, {self.time(moment)}"

    def short_day(self, day: dt.date) -> str:
        """A day in the uptime bars' texts: ``2026-11-27``."""
        return day.isoformat()

    def month(self, year: int, month: int) -> str:
        """``November 2026``."""
        return f"{MONTHS[month - 1]} {year}"

    def percent(self, value: float) -> str:
        """``99.95%``, ``100%``."""
        floored = floor_percent(value)
        return "100%" if floored is None else f"{floored:.2f}%"

    def duration(self, minutes: float | None) -> str:
        """``45 min``, ``2 h 5 min``, ``3 d 4 h``."""
        from .durations import format_minutes

        return format_minutes(minutes)

    def number(self, value: int) -> str:
        return str(value)


class BabelFormats(Formats):
    """The formats of a locale, from CLDR through Babel, compiled once and cached per value."""

    def __init__(self, locale: Locale) -> None:
        self.locale = locale
        self.rtl = locale.character_order == "right-to-left"
        skeletons = locale.datetime_skeletons
        self._date = parse_pattern(str(skeletons["yMMMd"]))
        self._month = parse_pattern(str(skeletons["yMMMM"]))
        self._time = parse_pattern(str(locale.time_formats["short"]))
        self._zone = parse_pattern("z")
        self._join = str(locale.datetime_formats["medium"])
        self._percent = _fixed_pattern(locale, 2)
        self._whole_percent = _fixed_pattern(locale, 0)
        self._dates: dict[dt.date, str] = {}
        self._times: dict[tuple[int, int, str], str] = {}
        self._zones: dict[tuple[str, dt.timedelta | None], str] = {}
        self._percents: dict[float | None, str] = {}
        self._durations: dict[int, str] = {}

    def date(self, day: dt.date) -> str:
        key = day if type(day) is dt.date else dt.date(day.year, day.month, day.day)
        text = self._dates.get(key)
        if text is None:
            text = self._dates[key] = self._date.apply(key, self.locale)
        return text

    def _zone_name(self, moment: dt.datetime) -> str:
        key = (moment.tzname() or "", moment.utcoffset())
        name = self._zones.get(key)
        if name is None:
            name = self._zone.apply(moment, self.locale)
            if not name or name[0] in "+-":  # no short name in this locale: the abbreviation
                name = zone_name(moment)
            self._zones[key] = name
        return name

    def time(self, moment: dt.datetime) -> str:
        zone = self._zone_name(moment)
        key = (moment.hour, moment.minute, zone)
        text = self._times.get(key)
        if text is None:
            text = self._times[key] = f"{self._time.apply(moment, self.locale)} {zone}"
        return text

    def datetime(self, moment: dt.datetime) -> str:
        return self._join.replace("{1}", self.date(moment)).replace("{0}", self.time(moment))

    def short_day(self, day: dt.date) -> str:
        return self.date(day)

    def month(self, year: int, month: int) -> str:
        return self._month.apply(dt.date(year, month, 1), self.locale)

    def percent(self, value: float) -> str:
        floored = floor_percent(value)
        text = self._percents.get(floored)
        if text is None:
            if floored is None:
                text = self._whole_percent.apply(Decimal(1), self.locale)
            else:
                text = self._percent.apply(Decimal(f"{floored:.2f}") / 100, self.locale)
            self._percents[floored] = text
        return text

    def duration(self, minutes: float | None) -> str:
        if minutes is None:
            return "–"
        total = max(int(round(minutes)), 0)
        text = self._durations.get(total)
        if text is None:
            days, rest = divmod(total, 1440)
            hours, mins = divmod(rest, 60)
            if days:
                parts = [(days, "duration-day"), (hours, "duration-hour")]
            elif hours:
                parts = [(hours, "duration-hour"), (mins, "duration-minute")]
            else:
                parts = [(mins, "duration-minute")]
            shown = [p for i, p in enumerate(parts) if p[0] or i == 0]
            text = " ".join(
                format_unit(n, unit, length="short", locale=self.locale) for n, unit in shown
            )
            self._durations[total] = text
        return text


def _fixed_pattern(locale: Locale, decimals: int) -> NumberPattern:
    """The locale's percent pattern with exactly ``decimals`` fraction digits."""
    pattern = parse_number_pattern(str(locale.percent_formats[None].pattern))
    pattern.frac_prec = (decimals, decimals)
    return pattern


class Texts:
    """Everything language-dependent a public renderer needs: messages and formats."""

    def __init__(
        self, tag: str = DEFAULT, translations: _gettext.NullTranslations | None = None
    ) -> None:
        self.tag = tag
        self.locale = parse_tag(tag)
        self.translations = translations or _gettext.NullTranslations()
        self.formats: Formats = (
            Formats() if self.locale.language == DEFAULT else BabelFormats(self.locale)
        )
        self.gettext: Callable[[str], str] = self.translations.gettext
        self.ngettext: Callable[[str, str, int], str] = self.translations.ngettext
        self.pgettext: Callable[[str, str], str] = self.translations.pgettext

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr``: the ``dir`` of the page."""
        return "rtl" if self.formats.rtl else "ltr"

    def name(self) -> str:
        """The language's name in itself (``Deutsch``), for the language switcher."""
        name = self.locale.get_display_name(self.locale) or self.tag
        return name[:1].upper() + name[1:]


@functools.lru_cache(maxsize=16)
def _texts(tag: str, overrides: Path | None, stamps: tuple[tuple[int, int], ...]) -> Texts:
    del stamps  # part of the cache key only
    return Texts(tag, translations(tag, overrides))


def texts_for(tag: str, overrides: Path | None = None) -> Texts:
    """The :class:`Texts` of a language (cached per language while its catalogs are unchanged).

    Raises :class:`BuildError` for a language without a catalog (``check`` reports it first).
    """
    try:
        files = catalog_files(tag, overrides)
        english = parse_tag(tag).language == DEFAULT
    except ValueError as exc:
        raise BuildError(f"language: {exc}") from exc
    if not files and not english:
        raise BuildError(f"language: no translation catalog for '{tag}'")
    stamps = tuple((p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return _texts(tag, overrides, stamps)
