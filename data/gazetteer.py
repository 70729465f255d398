"""Offline gazetteer: Italian municipalities and provinces, and ATECO activity names.

Reads the small tables in ``data/gazetteer/`` that ``scripts/build_gazetteer.py`` derives
from ISTAT's list of municipalities, GeoNames cities1000 and Natural Earth (sources and
licences: ``data/gazetteer/SOURCES.md``). Nothing here needs the network or Dash.

Public functions:

- :func:`normalise` -- the name key used for every comparison;
- :func:`load_gazetteer` -- the tables, read once and cached;
- :func:`locate` -- a municipality (and province) to a point with its precision;
- :func:`province_iso` -- a province code or name to its ISO 3166-2 code;
- :func:`ateco_code` and :func:`ateco_name` -- ATECO codes to their canonical form and name.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

DEFAULT_DIR = Path(__file__).resolve().parent / "gazetteer"

#: Province codes found in older files that no longer exist, with the code that replaced them.
#: FO and PS: the business register's start-up lists of 2014-2017 spelt Forlì-Cesena and
#: Pesaro e Urbino this way. CI, VS, OG, OT: the Sardinian provinces abolished in 2016
#: (Carbonia-Iglesias and Medio Campidano went into Sud Sardegna, Ogliastra into Nuoro,
#: Olbia-Tempio into Sassari).
LEGACY_SIGLE: dict[str, str] = {"FO": "FC", "PS": "PU", "CI": "SU", "VS": "SU", "OG": "NU", "OT": "SS"}

#: Other names people use for provinces (exonyms, abolished provinces), normalised -> sigla.
_PROVINCE_ALIASES: dict[str, str] = {
    "turin": "TO",
    "milan": "MI",
    "genoa": "GE",
    "venice": "VE",
    "padua": "PD",
    "mantua": "MN",
    "florence": "FI",
    "leghorn": "LI",
    "rome": "RM",
    "roma capitale": "RM",
    "naples": "NA",
    "syracuse": "SR",
    "bozen": "BZ",
    "south tyrol": "BZ",
    "alto adige": "BZ",
    "aosta": "AO",
    "aoste": "AO",
    "forli": "FC",
    "pesaro urbino": "PU",
    "monza": "MB",
    "monza brianza": "MB",
    "carbonia iglesias": "SU",
    "medio campidano": "SU",
    "ogliastra": "NU",
    "olbia tempio": "SS",
    "reggio emilia": "RE",
}

#: Words dropped for the loose comparison, so that "Reggio Emilia" finds "Reggio nell'Emilia".
PARTICLES = frozenset(
    {
        "di",
        "d",
        "de",
        "del",
        "dei",
        "degli",
        "della",
        "delle",
        "dell",
        "da",
        "dal",
        "dalla",
        "dallo",
        "e",
        "ed",
        "in",
        "nel",
        "nella",
        "nelle",
        "nell",
        "sul",
        "sulla",
        "sull",
        "al",
        "alla",
        "all",
        "a",
    }
)

#: How far (km) from the province named in a record a municipality found elsewhere may lie:
#: far enough for municipalities that changed province (Sappada, Montecopiolo), near enough
#: to refuse a namesake at the other end of Italy.
_MOVED_MAX_KM = 100.0

Precision = Literal["municipality", "province"]


@dataclass(frozen=True)
class Placement:
    """Where :func:`locate` put a municipality.

    ``istat_code`` is None and ``name`` is the name as given when the municipality is not in
    ISTAT's list and only its province placed it.
    """

    lat: float
    lon: float
    precision: Precision
    istat_code: str | None
    name: str
    province: str


@dataclass(frozen=True)
class Municipality:
    """One row of ``municipalities.csv``."""

    istat_code: str
    name: str
    province: str
    sigla: str
    region: str
    lat: float
    lon: float
    precision: Precision
    coord_source: str


@dataclass(frozen=True)
class Province:
    """One row of ``provinces.csv``."""

    province: str
    sigla: str
    name: str
    region: str
    lat: float
    lon: float


@dataclass
class Gazetteer:
    """The loaded tables with their lookup indexes (built by :func:`load_gazetteer`)."""

    municipalities: list[Municipality]
    provinces: dict[str, Province]
    #: ATECO edition -> dotted code -> (level, name)
    ateco: dict[str, dict[str, tuple[str, str]]]
    by_key: dict[str, list[Municipality]] = field(default_factory=dict)
    by_loose: dict[str, list[Municipality]] = field(default_factory=dict)
    by_province: dict[str, list[Municipality]] = field(default_factory=dict)
    #: normalised province name -> sigla (None when two provinces share it)
    province_names: dict[str, str | None] = field(default_factory=dict)
    #: a word of an official province name ("forli", "cesena", "urbino") -> sigla or None
    province_words: dict[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for m in self.municipalities:
            self.by_province.setdefault(m.province, []).append(m)
            for variant in _name_variants(m.name):
                self.by_key.setdefault(_key(variant), []).append(m)
                self.by_loose.setdefault(_loose(variant), []).append(m)
        for p in self.provinces.values():
            for variant in _name_variants(p.name):
                name = normalise(variant)
                _add_unique(self.province_names, name, p.sigla)
                _add_unique(self.province_names, " ".join(t for t in name.split() if t not in PARTICLES), p.sigla)
                for word in set(name.split()) - PARTICLES:
                    if len(word) > 3:
                        _add_unique(self.province_words, word, p.sigla)
        for alias, sigla in _PROVINCE_ALIASES.items():
            self.province_names.setdefault(alias, sigla)

    def in_province(self, province: str) -> list[Municipality]:
        """The municipalities of a province (ISO code)."""
        return self.by_province.get(province, [])


def _add_unique(index: dict[str, str | None], name: str, sigla: str) -> None:
    # A name two provinces share ("reggio" of Reggio Calabria and Reggio nell'Emilia) means neither.
    known = index.get(name, sigla)
    index[name] = sigla if known == sigla else None


def normalise(name: str) -> str:
    """Return the comparison form of a place name.

    Lower case, accents removed (also the apostrophe written for an accent, as in
    "FORLI'"), apostrophes, hyphens, slashes and other punctuation turned into single spaces.
    ``normalise("Castelnovo ne'Monti") == normalise("CASTELNOVO NE' MONTI") == "castelnovo ne monti"``.
    """
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _key(name: str) -> str:
    # Spaces dropped too: "Castelnovo ne'Monti" and "Castelnovo ne' Monti" are the same place.
    return normalise(name).replace(" ", "")


def _loose(name: str) -> str:
    return "".join(t for t in normalise(name).split() if t not in PARTICLES)


def _name_variants(name: str) -> list[str]:
    # Bilingual names are written "Bolzano/Bozen": each language's name identifies the place.
    parts = [p.strip() for p in name.split("/") if p.strip()]
    return [name, *parts] if len(parts) > 1 else [name]


@lru_cache(maxsize=4)
def _load(directory: str) -> Gazetteer:
    base = Path(directory)
    with open(base / "municipalities.csv", encoding="utf-8", newline="") as f:
        municipalities = [
            Municipality(
                r["istat_code"],
                r["name"],
                r["province"],
                r["sigla"],
                r["region"],
                float(r["lat"]),
                float(r["lon"]),
                # a Literal to mypy; the shipped values are checked by tests/test_boundaries.py
                r["precision"],  # type: ignore[arg-type]
                r["coord_source"],
            )
            for r in csv.DictReader(f)
        ]
    with open(base / "provinces.csv", encoding="utf-8", newline="") as f:
        provinces = {
            r["province"]: Province(r["province"], r["sigla"], r["name"], r["region"], float(r["lat"]), float(r["lon"]))
            for r in csv.DictReader(f)
        }
    ateco: dict[str, dict[str, tuple[str, str]]] = {}
    with open(base / "ateco.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            ateco.setdefault(r["edition"], {})[r["code"]] = (r["level"], r["name"])
    return Gazetteer(municipalities, provinces, ateco)


def load_gazetteer(dir: str | Path | None = None) -> Gazetteer:
    """Load the gazetteer tables from ``dir`` (default ``data/gazetteer``), cached per directory."""
    return _load(str(Path(dir).resolve() if dir is not None else DEFAULT_DIR))


def province_iso(code: str, gazetteer: Gazetteer | None = None) -> str | None:
    """Return the ISO 3166-2 code ("IT-BO") of a province, or None if it is not recognised.

    Accepts the two-letter code ("BO", "bo"), the ISO code ("IT-BO"), legacy codes
    ("FO" -> IT-FC, "PS" -> IT-PU, the abolished Sardinian ones) and names in Italian or
    common variants ("Bologna", "Reggio Emilia", "Forlì-Cesena", "Pesaro-Urbino", "Bozen").
    """
    if code is None:
        return None
    g = gazetteer or load_gazetteer()
    text = str(code).strip()
    upper = text.upper()
    if upper.startswith("IT-"):
        upper = upper[3:]
    if re.fullmatch(r"[A-Z]{2}", upper):
        legacy = LEGACY_SIGLE.get(upper, upper)
        return f"IT-{legacy}" if f"IT-{legacy}" in g.provinces else None
    name = normalise(text)
    if not name:
        return None
    sigla: str | None = g.province_names.get(name) or g.province_names.get(
        " ".join(t for t in name.split() if t not in PARTICLES)
    )
    # "Forlì" for Forlì-Cesena, "Pesaro" for Pesaro e Urbino: one word of a compound name,
    # accepted when it belongs to a single province.
    sigla = sigla or g.province_words.get(name)
    return f"IT-{sigla}" if sigla else None


def locate(municipality: str, province: str | None = None, gazetteer: Gazetteer | None = None) -> Placement | None:
    """Place a municipality, preferably within its province; None when it cannot be placed.

    Rules, in order (every name comparison on :func:`normalise`'d names):

    1. the municipality of that name in the province (also a bilingual part, "Bozen");
    2. in the province, the only municipality that matches loosely ("Reggio Emilia" for
       "Reggio nell'Emilia") or whose official name begins with the given one
       ("San Lazzaro" for "San Lazzaro di Savena");
    3. the only municipality of that name in Italy, if it lies within 100 km of the given
       province (municipalities that changed province; ``province`` of the result says where);
    4. the province's centroid (precision "province") when the province is known but the
       municipality is not found;
    5. without a recognised province: the only municipality in Italy with that name, exact,
       then loose.

    A municipality ISTAT lists but GeoNames does not place comes back at its province's
    centroid with precision "province" (and its ISTAT code).
    """
    g = gazetteer or load_gazetteer()
    prov = province_iso(province, g) if province else None
    given = str(municipality or "").strip()
    key, loose = _key(given), _loose(given)
    if prov is not None:
        if key:
            match = _unique([m for m in g.by_key.get(key, []) if m.province == prov])
            if match is None:
                match = _unique([m for m in g.by_loose.get(loose, []) if m.province == prov]) or _unique(
                    [m for m in g.in_province(prov) if _starts_with(m.name, given)]
                )
            if match is None:
                elsewhere = _unique(g.by_key.get(key, []))
                centre = g.provinces[prov]
                if elsewhere and _km(elsewhere.lat, elsewhere.lon, centre.lat, centre.lon) <= _MOVED_MAX_KM:
                    match = elsewhere
            if match is not None:
                return _placement(match)
        centre = g.provinces[prov]
        return Placement(centre.lat, centre.lon, "province", None, given, prov)
    if not key:
        return None
    match = _unique(g.by_key.get(key, [])) or _unique(g.by_loose.get(loose, []))
    return _placement(match) if match else None


def _starts_with(official: str, given: str) -> bool:
    o, g = normalise(official).split(), normalise(given).split()
    # Whole words only, and at least two, so "San" alone never picks a "San ..." municipality.
    return len(g) >= 2 and len(o) > len(g) and o[: len(g)] == g


def _unique(found: list[Municipality]) -> Municipality | None:
    distinct = {m.istat_code: m for m in found}
    return next(iter(distinct.values())) if len(distinct) == 1 else None


def _placement(m: Municipality) -> Placement:
    return Placement(m.lat, m.lon, m.precision, m.istat_code, m.name, m.province)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def ateco_code(code: str) -> str | None:
    """Return the dotted form of an ATECO code ("62.01", "62.01.00"), or None if malformed.

    Accepts "62.01", "6201", "620100", "62.01.00", a leading section letter ("J62.01",
    "J 62.01"), a bare section letter ("J") and a division that lost its leading zero
    ("1.11" -> "01.11", as spreadsheets do to numbers). Whether the code exists is
    :func:`ateco_name`'s business.
    """
    if code is None:
        return None
    text = re.sub(r"\s+", "", str(code)).upper()
    if re.fullmatch(r"[A-U]", text):
        return text
    text = re.sub(r"^[A-U](?=\d)", "", text)
    if re.fullmatch(r"\d(\.\d{1,2}){1,2}", text):
        text = "0" + text
    if re.fullmatch(r"\d{2}(\.\d{1,2}){0,2}", text):
        parts = text.split(".")
        # Below the group the parts are two digits wide ("62.01.0"), never "62.1.0".
        return text if len(parts) < 3 or len(parts[1]) == 2 else None
    if re.fullmatch(r"\d{2,6}", text):
        # Compact forms: DD, DD.G, DD.GG, DD.GG.C, DD.GG.CS.
        cuts = {2: (2,), 3: (2, 3), 4: (2, 4), 5: (2, 4, 5), 6: (2, 4, 6)}[len(text)]
        pieces, start = [], 0
        for end in cuts:
            pieces.append(text[start:end])
            start = end
        return ".".join(pieces)
    return None


def ateco_name(code: str, edition: str = "2007", gazetteer: Gazetteer | None = None) -> str | None:
    """Return the Italian name of an ATECO code, or None if the code is not in the edition.

    ``edition`` is "2007" (default: the business register's ``ateco 2007`` column),
    "2022" (ATECO 2007 as updated in 2022) or "2025". For 2007 a code only the 2022 update
    has is also found. Codes are read as :func:`ateco_code` reads them. Zeros padding a
    class to subcategory width ("72.19.00", "72.19.0") name the class when ATECO has no
    such subcategory ("62.01.00" exists and is used as such).
    """
    g = gazetteer or load_gazetteer()
    dotted = ateco_code(code)
    if dotted is None:
        return None
    order = {"2007": ("2007", "2022"), "2022": ("2022", "2007"), "2025": ("2025",)}.get(edition)
    if order is None:
        raise ValueError(f"unknown ATECO edition {edition!r}: use 2007, 2022 or 2025")
    candidates = [dotted]
    parts = dotted.split(".")
    if len(parts) == 3 and set(parts[2]) == {"0"}:
        class_code = ".".join(parts[:2])
        candidates += [f"{class_code}.0", class_code]
    for candidate in candidates:
        for ed in order:
            found = g.ateco.get(ed, {}).get(candidate)
            if found:
                return found[1]
    return None
