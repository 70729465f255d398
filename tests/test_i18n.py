"""Both languages complete: every key in both, every key the code asks for exists, placeholders agree."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

from components import details, table
from core.i18n import LANGUAGES, LOCALES, PLURAL_FORMS, day, language, number, plural_category, record_name, strings, t
from core.state import LAYOUTS, SCOPES, VIEWS
from data.schema import ACTOR_KINDS, AREA_KINDS, CONFIDENCE, GROUPING_KINDS, LINK_TYPES, LOCATION_PRECISION, SUNDIAL
from layers.actors_map import COARSE
from layers.style import AREA_STYLE

ROOT = Path(__file__).resolve().parents[1]
#: t("key" / T("key" / t(f"prefix.{...}" calls in the code
LITERAL_KEY = re.compile(r"""\b[tT]\(\s*["']([a-z_]+\.[a-z_.]+)["']""")


def _code_files() -> list[Path]:
    return [p for folder in ("components", "layers", "data") for p in (ROOT / folder).rglob("*.py")] + [ROOT / "app.py"]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _base(key: str) -> str:
    """A key without its plural form (``hover.more#few`` -> ``hover.more``)."""
    return key.split("#", 1)[0]


def test_every_language_has_every_key() -> None:
    english = {k for k in strings("en") if "#" not in k}
    for lang in LANGUAGES:
        keys = {k for k in strings(lang) if "#" not in k}
        assert not english - keys, f"missing in {lang}: {sorted(english - keys)}"
        assert not keys - english, f"only in {lang}: {sorted(keys - english)}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms_are_forms_of_a_counted_text(lang: str) -> None:
    for key in (k for k in strings(lang) if "#" in k):
        base, form = key.split("#", 1)
        assert form in PLURAL_FORMS, f"{lang}: '{key}': not a plural form"
        assert base in strings("en"), f"{lang}: '{key}' is a form of no text"


def test_same_files_in_every_language() -> None:
    files = {lang: sorted(p.name for p in (LOCALES / lang).glob("*.json")) for lang in LANGUAGES}
    assert len({tuple(f) for f in files.values()}) == 1, files
    for name in files["en"]:
        keys = {
            lang: {_base(k) for k in json.loads((LOCALES / lang / name).read_text(encoding="utf-8"))}
            for lang in LANGUAGES
        }
        for lang in LANGUAGES:
            assert keys["en"] == keys[lang], f"{lang}/{name}: {sorted(keys['en'] ^ keys[lang])}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_texts_are_filled_and_placeholders_agree(lang: str) -> None:
    english = strings("en")
    for key, text in strings(lang).items():
        assert text.strip(), f"{lang}: '{key}' is empty"
        assert _fields(text) == _fields(english[_base(key)]), f"{lang}: '{key}' placeholders differ from English"


def test_every_literal_key_in_the_code_exists() -> None:
    used = {(path.name, key) for path in _code_files() for key in LITERAL_KEY.findall(path.read_text("utf-8"))}
    assert len(used) > 100  # the pattern still finds the calls
    unknown = sorted((name, key) for name, key in used if key not in strings("en"))
    assert not unknown, unknown


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("kind", ACTOR_KINDS + GROUPING_KINDS + AREA_KINDS),
        ("link", LINK_TYPES),
        ("confidence", CONFIDENCE),
        ("sundial", SUNDIAL),
        ("view", VIEWS),
        ("scope", SCOPES),
        ("layout", LAYOUTS),
        ("area", tuple(AREA_STYLE)),
        ("details", details.FIELDS),
        ("table", table.COLUMNS),
        ("hover.level", COARSE),
        ("precision", LOCATION_PRECISION),
    ],
)
def test_every_vocabulary_value_has_a_label(prefix: str, values: tuple) -> None:
    missing = [v for v in values if f"{prefix}.{v}" not in strings("en")]
    assert not missing, f"{prefix}: {missing}"


#: texts that are rightly the same in both languages; any other identical pair is a missed translation
SAME_IN_BOTH = {"kind.startup", "hover.startup_one", "network.group_label", "details.sundial"}


def test_italian_is_not_a_copy_of_english() -> None:
    english, italian = strings("en"), strings("it")
    same = {k for k in english if "#" not in k and english[k] == italian[k]}
    assert same == SAME_IN_BOTH


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code not in ("en", "it")])
def test_no_language_is_a_copy_of_english(lang: str) -> None:
    """Names (Clust-ER, Interreg), symbols and loanwords (Cluster, Start-up) are rightly the same in
    some languages; more than a few in a hundred is a missed translation."""
    english, other = strings("en"), strings(lang)
    same = sorted(
        k for k in english if "#" not in k and english[k] == other[k] and any(c.isalpha() for c in english[k])
    )
    assert len(same) <= 0.08 * len(english), same


def test_lookup_fills_and_falls_back() -> None:
    assert t("filters.all_of", "it", name="Mech") == "Tutto Mech"
    assert t("filters.reset", "xx") == t("filters.reset", "en")  # unsupported language: English
    assert t("no.such.key", "it") == "no.such.key"  # visible and greppable, never an error page
    assert language("it-IT") == "it" and language(None) == "en" and language("xx") == "en"
    assert language("de-AT") == "de" and language("zh-CN") == "zh" and language("pl") == "pl"
    assert number(12345, "en") == "12,345" and number(12345, "it") == "12.345" and number(12345, "de") == "12.345"
    assert number(12345, "fr") == "12\u202f345" and number(12345, "zh") == "12,345"
    assert number(12345, "pl") == "12\u00a0345" and number(1234, "pl") == "1234"  # Polish groups from 5 digits
    assert record_name({"name": "Hesse", "name_it": "Assia"}, "it") == "Assia"
    assert record_name({"name": "Hesse", "name_it": float("nan")}, "it") == "Hesse"
    assert record_name({"name": "Hesse", "name_it": "Assia"}, "en") == "Hesse"


def test_plural_forms_follow_each_languages_rules() -> None:
    assert [plural_category(n, "pl") for n in (1, 2, 4, 5, 12, 14, 21, 22, 25, 112, 122)] == [
        "one", "few", "few", "many", "many", "many", "many", "few", "many", "many", "few"
    ]  # fmt: skip
    assert [plural_category(n, "fr") for n in (0, 1, 2)] == ["one", "one", "other"]
    assert [plural_category(n, "en") for n in (0, 1, 2)] == ["other", "one", "other"]
    assert plural_category(1, "zh") == "other"


def test_dates_are_written_as_each_language_writes_them() -> None:
    from datetime import date

    when = date(2026, 12, 6)
    assert [day(when, lang) for lang in ("en", "it", "de", "fr", "pl", "zh")] == [
        "6 December 2026", "6 dicembre 2026", "6. Dezember 2026", "6 décembre 2026", "6 grudnia 2026", "2026年12月6日"
    ]  # fmt: skip


def test_record_names_in_every_language() -> None:
    hessen = {"name": "Hessen", "name_it": "Assia", "name_fr": "Hesse"}
    assert [record_name(hessen, lang) for lang in ("en", "it", "fr", "de")] == ["Hessen", "Assia", "Hesse", "Hessen"]
