"""Both languages complete: every key in both, every key the code asks for exists, placeholders agree."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

from components import details, table
from core.i18n import LANGUAGES, LOCALES, language, number, record_name, strings, t
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


def test_every_language_has_every_key() -> None:
    keys = {lang: set(strings(lang)) for lang in LANGUAGES}
    for lang in LANGUAGES:
        missing = keys["en"] - keys[lang]
        extra = keys[lang] - keys["en"]
        assert not missing, f"missing in {lang}: {sorted(missing)}"
        assert not extra, f"only in {lang}: {sorted(extra)}"


def test_same_files_in_every_language() -> None:
    files = {lang: sorted(p.name for p in (LOCALES / lang).glob("*.json")) for lang in LANGUAGES}
    assert len({tuple(f) for f in files.values()}) == 1, files
    for name in files["en"]:
        keys = {lang: set(json.loads((LOCALES / lang / name).read_text(encoding="utf-8"))) for lang in LANGUAGES}
        assert keys["en"] == keys["it"], f"{name}: {sorted(keys['en'] ^ keys['it'])}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_texts_are_filled_and_placeholders_agree(lang: str) -> None:
    english = strings("en")
    for key, text in strings(lang).items():
        assert text.strip(), f"{lang}: '{key}' is empty"
        assert _fields(text) == _fields(english[key]), f"{lang}: '{key}' placeholders differ from English"


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
    same = {k for k in english if english[k] == italian[k]}
    assert same == SAME_IN_BOTH


def test_lookup_fills_and_falls_back() -> None:
    assert t("filters.all_of", "it", name="Mech") == "Tutto Mech"
    assert t("filters.reset", "fr") == t("filters.reset", "en")  # unsupported language: English
    assert t("no.such.key", "it") == "no.such.key"  # visible and greppable, never an error page
    assert language("it-IT") == "it" and language(None) == "en" and language("de") == "en"
    assert number(12345, "en") == "12,345" and number(12345, "it") == "12.345"
    assert record_name({"name": "Hesse", "name_it": "Assia"}, "it") == "Assia"
    assert record_name({"name": "Hesse", "name_it": float("nan")}, "it") == "Hesse"
    assert record_name({"name": "Hesse", "name_it": "Assia"}, "en") == "Hesse"
