"""Interface text in English and Italian: one string file per language, one lookup function.

The strings of a language live in its folder, ``core/locales/<lang>/*.json`` (flat
``key -> text``, split by part of the atlas; ``{name}`` placeholders are filled by :func:`t`).
A test fails when a key is missing from either language
or when the code asks for a key neither has, so a new label cannot ship in one language only.

Pure Python (no Dash): the map and network layers use it for hover text and notices.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

LANGUAGES = ("en", "it")
DEFAULT_LANGUAGE = "en"
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


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **values: object) -> str:
    """The text of ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    A key missing in ``lang`` falls back to English, and one missing everywhere to the key
    itself, so a gap shows as a visible, greppable key rather than an error page (the tests
    keep both files complete).
    """
    table = strings(language(lang))
    text = table.get(key)
    if text is None:
        text = strings(DEFAULT_LANGUAGE).get(key, key)
    return text.format(**values) if values else text


def has(key: str) -> bool:
    """Whether ``key`` exists (in English; the tests check the other languages match)."""
    return key in strings(DEFAULT_LANGUAGE)


def number(value: int | float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A whole number with the thousands separator of ``lang`` (1,234 / 1.234)."""
    text = f"{value:,.0f}"
    return text.replace(",", ".") if language(lang) == "it" else text


def label(prefix: str, value: object, lang: str = DEFAULT_LANGUAGE, default: str | None = None) -> str:
    """The label of a vocabulary value (``kind.technopole``...) in ``lang``; ``default`` (else the
    value itself) for a value the string files do not know, e.g. a kind only another dataset has."""
    key = f"{prefix}.{value}"
    if has(key):
        return t(key, lang)
    return str(value or "") if default is None else default


def names_by_id(frame: Any, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:  # frame: a pandas DataFrame
    """Id -> name in ``lang`` for a table with ``id``, ``name`` and ``name_it`` columns."""
    # Column-wise, not record by record: the same answer as record_name, 110k names in milliseconds.
    ids = frame["id"].tolist()
    names = frame["name"].tolist() if "name" in frame else [None] * len(ids)
    out = [str(n or i or "") for n, i in zip(names, ids, strict=True)]
    if language(lang) == "it" and "name_it" in frame:
        italian = frame["name_it"].tolist()
        out = [it if isinstance(it, str) and it.strip() else n for it, n in zip(italian, out, strict=True)]
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
    """A record's name in ``lang``: ``name_it`` in Italian where the data has one."""
    if language(lang) == "it":
        name_it = record.get("name_it")
        if isinstance(name_it, str) and name_it.strip():
            return name_it
    return str(record.get("name") or record.get("id") or "")
