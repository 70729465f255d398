"""Interface text in every language of the atlas: one string file per language, one lookup function.

The strings of a language live in its folder, ``core/locales/<lang>/*.json`` (flat
``key -> text``, split by part of the atlas; ``{name}`` placeholders are filled by :func:`t`;
``key#one``, ``key#few``... are a language's plural forms, see :func:`plural_category`).
A test fails when a key is missing from any language
or when the code asks for a key none has, so a new label cannot ship in one language only.
Numbers and dates are written as each language writes them (:func:`number`, :func:`day`).

Pure Python (no Dash): the map and network layers use it for hover text and notices.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

#: English and Italian (the region's), then the partner regions' languages: German (Hessen),
#: French (Nouvelle-Aquitaine), Polish (Wielkopolska) and Chinese (Guangdong; simplified)
LANGUAGES = ("en", "it", "de", "fr", "pl", "zh")
#: each language's name in itself, for the language switch
LANGUAGE_NAMES = {"en": "English", "it": "Italiano", "de": "Deutsch", "fr": "Français", "pl": "Polski", "zh": "中文"}
DEFAULT_LANGUAGE = "en"
#: the thousands separator per language ("" for none); Polish leaves four-digit numbers ungrouped
_GROUPING = {"en": ",", "it": ".", "de": ".", "fr": "\u202f", "pl": "\u00a0", "zh": ","}
_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "pl": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
}
LOCALES = Path(__file__).with_name("locales")


@cache
def strings(lang: str) -> Mapping[str, str]:
    """The whole string table of ``lang`` (read-only)."""
    table: dict[str, str] = {}
    for path in sorted((LOCALES / lang).glob("*.json")):
        with open(path, encoding="utf-8") as handle:
            part = json.load(handle)
        clash = sorted(set(part) & set(table))
        if clash:
            raise ValueError(f"{path}: keys already defined in another file of '{lang}': {', '.join(clash)}")
        table.update(part)
    return MappingProxyType(table)


def language(value: object) -> str:
    """``value`` as a supported language code ("it-IT" -> "it"), else the default."""
    if isinstance(value, str):
        code = value.strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


PLURAL_FORMS = ("one", "few", "many", "other")


def plural_category(count: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """The plural form a whole number takes in ``lang`` (the CLDR categories of whole numbers):
    Polish says 1 start-up, 2-4 start-upy, 5 start-upów (one, few, many); French counts 0 and 1 as
    one; Chinese has one form; English, Italian and German: one, other."""
    n = abs(count)
    code = language(lang)
    if code == "pl":
        if n == 1:
            return "one"
        return "few" if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else "many"
    if code == "fr":
        return "one" if n in (0, 1) else "other"
    if code == "zh":
        return "other"
    return "one" if n == 1 else "other"


def _count_of(value: object) -> int | None:
    """A whole count from a number or a number already formatted ("1.234", "1 234"), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        digits = value.replace(",", "").replace(".", "").replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        return int(digits) if digits.isdigit() else None
    return None


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **values: object) -> str:
    """The text of ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    With a ``count`` among ``values``, a language's variant for that number's plural form
    (``key#one``, ``key#few``, ``key#many``, ``key#other``; see :func:`plural_category`) is
    used where the string file has one. A key missing in ``lang`` falls back to English, and one
    missing everywhere to the key itself, so a gap shows as a visible, greppable key rather than
    an error page (the tests keep every language complete).
    """
    table = strings(language(lang))
    count = _count_of(values.get("count")) if "count" in values else None
    text = table.get(f"{key}#{plural_category(count, lang)}") if count is not None else None
    text = text or table.get(key)
    if text is None:
        text = strings(DEFAULT_LANGUAGE).get(key, key)
    return text.format(**values) if values else text


def has(key: str) -> bool:
    """Whether ``key`` exists (in English; the tests check the other languages match)."""
    return key in strings(DEFAULT_LANGUAGE)


def number(value: int | float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A whole number grouped as ``lang`` writes it: 1,234 (en, zh), 1.234 (it, de), 1 234 (fr,
    narrow no-break space), 12 345 but 1234 (pl, no-break space)."""
    code = language(lang)
    text = f"{value:,.0f}"
    if code == "pl" and abs(value) < 10_000:
        return text.replace(",", "")
    return text.replace(",", _GROUPING.get(code, ","))


#: languages that write a decimal point (the others a comma); and the space before "%" in each
_DECIMAL_POINT = ("en", "zh")
_PERCENT_SPACE = {"fr": "\u202f", "de": "\u00a0"}


def percent(share: float, lang: str = DEFAULT_LANGUAGE, digits: int = 1) -> str:
    """A share (0-1) as a percentage as ``lang`` writes it: 26.7% (en, zh), 26,7% (it, pl),
    26,7 % (de, no-break space), 26,7 % (fr, narrow no-break space)."""
    code = language(lang)
    text = f"{share * 100:.{digits}f}"
    if code not in _DECIMAL_POINT:
        text = text.replace(".", ",")
    return f"{text}{_PERCENT_SPACE.get(code, '')}%"


def day(when: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """A date as ``lang`` writes it in running text: 6 December 2026, 6 dicembre 2026,
    6. Dezember 2026, 6 décembre 2026, 6 grudnia 2026, 2026年12月6日."""
    code = language(lang)
    if code == "zh":
        return f"{when.year}年{when.month}月{when.day}日"
    month = _MONTHS[code].split()[when.month - 1]
    return f"{when.day}. {month} {when.year}" if code == "de" else f"{when.day} {month} {when.year}"


def label(
    prefix: str, value: object, lang: str = DEFAULT_LANGUAGE, default: str | None = None, count: int | None = None
) -> str:
    """The label of a vocabulary value (``kind.technopole``...) in ``lang``; ``default`` (else the
    value itself) for a value the string files do not know, e.g. a kind only another dataset has.
    ``count``: the number the label goes with (``plural.startup`` after "3"), for its plural form."""
    key = f"{prefix}.{value}"
    if has(key):
        return t(key, lang, count=count) if count is not None else t(key, lang)
    return str(value or "") if default is None else default


def names_by_id(frame: Any, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:  # frame: a pandas DataFrame
    """Id -> name in ``lang`` for a table with ``id`` and ``name`` columns and, where the data has
    them, names per language (``name_it``, ``name_de``...)."""
    # Column-wise, not record by record: the same answer as record_name, 110k names in milliseconds.
    ids = frame["id"].tolist()
    names = frame["name"].tolist() if "name" in frame else [None] * len(ids)
    out = [str(n or i or "") for n, i in zip(names, ids, strict=True)]
    column = f"name_{language(lang)}"
    if language(lang) != DEFAULT_LANGUAGE and column in frame:
        own = frame[column].tolist()
        out = [o if isinstance(o, str) and o.strip() else n for o, n in zip(own, out, strict=True)]
    return dict(zip(ids, out, strict=True))


@lru_cache(maxsize=8)
def all_names(dataset: Any, lang: str = DEFAULT_LANGUAGE) -> Mapping[str, str]:  # dataset: a data.Dataset
    """Id -> name in ``lang`` of every actor, grouping and area of ``dataset``, once per dataset and
    language (110k names take a tenth of a second). Shared: read-only."""
    names: dict[str, str] = {}
    for frame in (dataset.actors, dataset.groupings, dataset.areas):
        names.update(names_by_id(frame, lang))
    return MappingProxyType(names)


def record_name(record: Mapping, lang: str = DEFAULT_LANGUAGE) -> str:
    """A record's name in ``lang``: ``name_<lang>`` (``name_it``, ``name_de``...) where the data
    has one, else its ``name``."""
    if language(lang) != DEFAULT_LANGUAGE:
        own = record.get(f"name_{language(lang)}")
        if isinstance(own, str) and own.strip():
            return own
    return str(record.get("name") or record.get("id") or "")
