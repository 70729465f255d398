"""The one door to a dataset: read a directory, validate it, reproject, hand out read-only frames.

``load_dataset()`` reads the shipped Emilia-Romagna dataset, or the directory named by
``ATLAS_DATA_DIR``, once per process. Every problem is collected (never only the first);
valid records are kept and invalid ones reported, so nothing valid is lost.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from data.problems import Problem
from data.readers import RawTable, read_any
from data.schema import NODE_TABLES, TABLES, Table
from data.validate import FileCheck, check_fields, check_references, duplicate_ids

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_DATA_DIR = PACKAGE_DIR / "emilia-romagna"
# The order matters only for duplicate ids: the first file read keeps an id.
TABLE_ORDER = ("sectors", "groupings", "gvcs", "actors", "areas", "statistics", "links")


@dataclass
class _TableState:
    table: Table
    files: list[tuple[FileCheck, dict[str, pd.Series], RawTable]] = field(default_factory=list)

    def ids(self) -> set[str]:
        out: set[str] = set()
        for check, typed, _ in self.files:
            if "id" in typed:
                out.update(typed["id"][~check.bad].dropna())
        return out


@dataclass(frozen=True, eq=False)  # identity equality: a dataset is hashable and usable as a cache key
class Dataset:
    """A validated dataset. Frames are handed out as copies, so callers cannot alter the cache."""

    directory: Path
    meta: dict
    _frames: dict[str, pd.DataFrame]
    problems: tuple[Problem, ...]
    #: where it was read from: ``files`` or ``database``
    origin: str = "files"
    #: the database's dataset version ("" for files: :func:`files_version` digests them)
    version: str = ""
    #: the database version's content digest (``data.database.content_digest``)
    digest: str = ""
    #: the story files' (name, text) when they travel with the data (a database); None: read
    #: them from the directory (:func:`story_folder`)
    stories: tuple[tuple[str, str], ...] | None = None

    @cached_property
    def fingerprint(self) -> str:
        """What names this dataset's content across processes and machines: a digest of the
        database version's records or of the dataset's files."""
        return f"db-{self.digest}" if self.origin == "database" else files_version(self.directory)

    def text(self, key: str, lang: str = "en") -> str | None:
        """A metadata text in ``lang``: ``<key>_<lang>`` (e.g. ``title_it``) where the dataset gives
        one, else ``<key>`` (the dataset's own language), else None."""
        value = self.meta.get(f"{key}_{lang}") or self.meta.get(key)
        return str(value) if value else None

    def frame(self, name: str) -> pd.DataFrame:
        """A shallow copy (copy-on-write) of table ``name``: changes never reach the cache."""
        return self._frames[name].copy(deep=False)

    @property
    def sectors(self) -> pd.DataFrame:
        """The sectors: a shared, read-only frame."""
        return self.frame("sectors")

    @property
    def gvcs(self) -> pd.DataFrame:
        """The value chains: a shared, read-only frame."""
        return self.frame("gvcs")

    @property
    def groupings(self) -> pd.DataFrame:
        """The groupings (clusters, networks, programmes): a shared, read-only frame."""
        return self.frame("groupings")

    @property
    def actors(self) -> gpd.GeoDataFrame:
        """The actors, start-ups included: a shared, read-only frame."""
        return self.frame("actors")

    @property
    def areas(self) -> gpd.GeoDataFrame:
        """The areas (provinces, regions, programme areas, countries): a shared, read-only frame."""
        return self.frame("areas")

    @property
    def links(self) -> pd.DataFrame:
        """The links: a shared, read-only frame."""
        return self.frame("links")

    @property
    def statistics(self) -> pd.DataFrame:
        """The statistics: a shared, read-only frame."""
        return self.frame("statistics")

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that left a record or file out."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The problems that kept the record but deserve a look."""
        return tuple(p for p in self.problems if p.severity == "warning")

    def counts(self) -> dict[str, int]:
        """Records loaded per table."""
        return {name: len(frame) for name, frame in self._frames.items()}


def data_dir_from_env() -> Path:
    """The dataset directory: ``ATLAS_DATA_DIR`` if set, else the shipped default."""
    value = os.environ.get("ATLAS_DATA_DIR", "").strip()
    return Path(value).expanduser().resolve() if value else DEFAULT_DATA_DIR


def load_directory(directory: str | Path | None = None) -> Dataset:
    """Load (once per process and directory) and validate a dataset directory (default:
    ``ATLAS_DATA_DIR`` or the shipped one). :func:`data.load_dataset` also knows databases."""
    path = Path(directory).expanduser().resolve() if directory else data_dir_from_env()
    return _load_cached(path)


@lru_cache(maxsize=8)
def _load_cached(path: Path) -> Dataset:
    return read_dataset(path)


def read_dataset(directory: str | Path) -> Dataset:
    """Read and validate ``directory`` without caching. Never raises on bad data."""
    directory = Path(directory)
    problems: list[Problem] = []
    if not directory.is_dir():
        problems.append(Problem(str(directory), None, None, "dataset directory not found"))
        return Dataset(directory, {}, _empty_frames(), tuple(problems))
    meta = _read_meta(directory, problems)
    problems.extend(unread_files(directory))

    def files(table: Table) -> Iterator[tuple[str, RawTable]]:
        for path in _table_files(directory, table):
            raw, read_problems = read_any(path)
            problems.extend(read_problems)
            if raw is not None:
                yield path.name, raw

    frames, found = validate_tables(meta, files)
    return Dataset(directory, meta, frames, (*problems, *found))


def validate_tables(
    meta: dict, sources: Callable[[Table], Iterable[tuple[str, RawTable]]]
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Validate every table's sources (``sources(table)``: each source's name and raw records,
    read from files or from a database) and assemble the valid records.

    Returns the frames and every problem found, in table order. One validation for every
    origin: a dataset read back from the database is checked exactly as its files were.
    """
    states = {name: _TableState(TABLES[name]) for name in TABLE_ORDER}
    node_ids: dict[str, str] = {}
    for name in TABLE_ORDER:
        state = states[name]
        seen = node_ids if name in NODE_TABLES else {}
        for source, raw in sources(state.table):
            check = FileCheck(source, raw.frame)
            typed = _check_table_file(state.table, check, raw, meta)
            if "id" in typed:
                duplicate_ids(typed["id"], seen, check, ~check.bad)
            state.files.append((check, typed, raw))
    _check_all_references(states)
    frames = {name: _assemble(states[name]) for name in TABLE_ORDER}
    problems: list[Problem] = []
    for state in states.values():
        for check, _, _ in state.files:
            problems.extend(check.problems)
    return frames, problems


SHIPPED_STORIES = PACKAGE_DIR / "stories"
#: what a dataset directory may hold besides its tables
KNOWN_ENTRIES = ("dataset.json", "stories", "README.md", "readme.md", "LICENSE", "LICENSE.txt")


def unread_files(directory: Path) -> list[Problem]:
    """A warning for each entry of ``directory`` that nothing reads (a misnamed table, e.g.
    ``startups-2024.csv``, would otherwise be silently ignored)."""
    patterns = [pattern for table in TABLES.values() for pattern in table.patterns]
    out = []
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or path.name in KNOWN_ENTRIES:
            continue
        if path.is_file() and any(path.match(pattern) for pattern in patterns):
            continue
        expected = ", ".join(patterns)
        out.append(Problem(path.name, None, None, f"not read: the name matches no table ({expected})", "warning"))
    return out


def story_folder(directory: Path) -> Path | None:
    """The dataset directory's own ``stories/`` folder; for the shipped dataset, ``data/stories/``;
    else None. The shipped stories name Emilia-Romagna's elements, so they never apply to another
    dataset."""
    own = directory / "stories"
    if own.is_dir():
        return own
    return SHIPPED_STORIES if directory.resolve() == DEFAULT_DATA_DIR.resolve() else None


def files_version(directory: Path) -> str:
    """A short digest of a dataset directory's files (names and bytes, the stories too): two
    workers with the same version serve the same data."""
    digest = hashlib.sha256()
    root = Path(directory)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _read_meta(directory: Path, problems: list[Problem]) -> dict:
    path = directory / "dataset.json"
    if not path.exists():
        return {}
    try:
        meta = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(Problem(path.name, getattr(exc, "lineno", None), None, f"unreadable metadata: {exc}"))
        return {}
    except RecursionError:
        problems.append(Problem(path.name, None, None, "unreadable metadata: nested too deeply"))
        return {}
    if not isinstance(meta, dict):
        problems.append(Problem(path.name, None, None, "metadata must be a JSON object"))
        return {}
    return meta


def _table_files(directory: Path, table: Table) -> list[Path]:
    found: set[Path] = set()
    for pattern in table.patterns:
        found.update(p for p in directory.glob(pattern) if p.is_file())
    return sorted(found)


def _check_table_file(table: Table, check: FileCheck, raw: RawTable, meta: dict) -> dict[str, pd.Series]:
    skip = ("lon", "lat") if table.geometry == "point" else ()
    typed = check_fields(table, check, skip=skip)
    _synthetic_confidence(check, typed)
    if table.geometry == "point":
        typed["geometry"], placed = _point_geometry(check, raw, meta)
        declared = typed.get("location_precision", pd.Series([None] * len(check.frame), index=check.frame.index))
        # Blank precision: exact when the file gives coordinates, else what the gazetteer achieved.
        typed["location_precision"] = declared.where(declared.notna() & placed.isna(), placed.fillna("exact"))
    elif table.geometry == "polygon":
        typed["geometry"] = _polygon_geometry(check, raw)
    return typed


def _synthetic_confidence(check: FileCheck, typed: dict[str, pd.Series]) -> None:
    """A generated record's confidence is "synthetic", whatever else the file says, so that it is
    never shown as an unconfirmed fact; and a record marked "synthetic" is a synthetic one."""
    if "confidence" not in typed:
        return
    confidence = typed["confidence"]
    flagged = typed["synthetic"] if "synthetic" in typed else pd.Series(False, index=confidence.index)
    relabelled = flagged.to_numpy() & (confidence != "synthetic").to_numpy()
    check.reject(
        relabelled,
        "confidence",
        (f"a synthetic record's confidence is 'synthetic', not '{c}'; read so" for c in confidence[relabelled]),
        "warning",
    )
    typed["confidence"] = confidence.where(~flagged, "synthetic")
    typed["synthetic"] = flagged | (typed["confidence"] == "synthetic")


def _point_geometry(check: FileCheck, raw: RawTable, meta: dict) -> tuple[gpd.GeoSeries, pd.Series]:
    """Points from geometry (geodata) or from lon/lat columns (CSV), in EPSG:4326.

    Also returns, per row, the precision of a gazetteer placement (None where the file
    gave the coordinates).
    """
    frame = check.frame
    n = len(frame)
    placed = pd.Series([None] * n, index=frame.index, dtype=object)
    if raw.geometry is not None:
        geoms = raw.geometry
        is_point = (geoms.geom_type == "Point").to_numpy() & ~geoms.is_empty.to_numpy()
        missing = geoms.isna().to_numpy()
        check.reject(missing, "geometry", "geometry is missing")
        check.reject(
            ~missing & ~is_point,
            "geometry",
            (f"geometry is a {t}, expected a Point" for t in geoms.geom_type[~missing & ~is_point]),
        )
        arr = geoms.to_numpy()
        lon = pd.Series(np.where(is_point, shapely.get_x(arr), np.nan), index=frame.index)
        lat = pd.Series(np.where(is_point, shapely.get_y(arr), np.nan), index=frame.index)
    else:
        x_col, y_col = ("lon", "lat") if "lon" in frame.columns else ("x", "y")
        if (x_col not in frame.columns or y_col not in frame.columns) and "municipality" not in frame.columns:
            check.file_problem(
                "lon",
                "no coordinates: add columns 'lon' and 'lat' (or 'x', 'y' with a CRS "
                "declared in dataset.json, or 'municipality' and 'province')",
            )
        if x_col not in frame.columns or y_col not in frame.columns:
            empty = pd.Series([""] * n, index=frame.index)
            frame = frame.assign(**{x_col: empty, y_col: empty})
        lon, lat = _coordinates(check, frame[x_col], frame[y_col], x_col, y_col)
        crs = (meta.get("crs") or {}).get(check.file) if isinstance(meta.get("crs"), dict) else None
        if crs:
            valid = lon.notna() & lat.notna()
            transformer = Transformer.from_crs(crs, 4326, always_xy=True)
            tx, ty = transformer.transform(lon[valid].to_numpy(), lat[valid].to_numpy())
            lon, lat = lon.copy(), lat.copy()
            lon[valid], lat[valid] = tx, ty
        placed = _place_from_gazetteer(check, lon, lat)
    out_of_range = (lon.notna() & lat.notna() & ((lon.abs() > 180) | (lat.abs() > 90))).to_numpy()
    check.reject(
        out_of_range,
        "lat",
        (
            f"coordinates ({x:.6g}, {y:.6g}) out of range: longitude must be "
            "within ±180 and latitude within ±90 (swapped or projected?)"
            for x, y in zip(lon[out_of_range], lat[out_of_range], strict=True)
        ),
    )
    return gpd.GeoSeries(gpd.points_from_xy(lon, lat), index=frame.index, crs=4326), placed


def _coordinates(check: FileCheck, xs: pd.Series, ys: pd.Series, x_col: str, y_col: str) -> tuple[pd.Series, pd.Series]:
    out = []
    for col, name in ((xs, x_col), (ys, y_col)):
        values = pd.to_numeric(col.str.replace(",", ".", regex=False).where(col != "", None), errors="coerce")
        wrong = ((col != "") & values.isna()).to_numpy()
        check.reject(wrong, name, (f"'{v}' is not a number" for v in col[wrong]))
        out.append(values.astype(float))
    return out[0], out[1]


def _place_from_gazetteer(check: FileCheck, lon: pd.Series, lat: pd.Series) -> pd.Series:
    """Fill blank coordinates from the municipality gazetteer, or reject the row.

    Returns the precision reached per row ("municipality" or "province"; None where the
    file gave coordinates).
    """
    frame = check.frame
    placed = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    blank = (lon.isna() | lat.isna()).to_numpy() & ~check.bad
    if not blank.any():
        return placed
    from data import gazetteer  # imported lazily: only datasets with blank coordinates need it

    municipality = frame.get("municipality", pd.Series([""] * len(frame), index=frame.index))
    province = frame.get("province", pd.Series([""] * len(frame), index=frame.index))
    unplaced = np.zeros(len(frame), dtype=bool)
    coarse = np.zeros(len(frame), dtype=bool)
    for i in np.flatnonzero(blank):
        place = gazetteer.locate(municipality.iat[i], province.iat[i] or None) if municipality.iat[i] else None
        if place is None:
            unplaced[i] = True
            continue
        lon.iat[i], lat.iat[i] = place.lon, place.lat
        placed.iat[i] = place.precision
        coarse[i] = place.precision == "province"
    check.reject(unplaced, "lat", "coordinates missing and the municipality/province cannot be placed")
    check.reject(
        coarse,
        "municipality",
        (
            f"municipality '{m}' has no coordinates in the gazetteer (or is not in it); placed at the province's centre"
            for m in municipality[coarse]
        ),
        "warning",
    )
    return placed


def _polygon_geometry(check: FileCheck, raw: RawTable) -> pd.Series:
    frame = check.frame
    if raw.geometry is None:
        check.file_problem("geometry", "areas need polygons: use GeoJSON or GeoPackage")
        check.bad[:] = True
        return gpd.GeoSeries([None] * len(frame), index=frame.index, crs=4326)
    geoms = raw.geometry.copy()
    missing = (geoms.isna() | geoms.is_empty).to_numpy()
    check.reject(missing, "geometry", "geometry is missing or empty")
    polygonal = geoms.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    check.reject(
        ~missing & ~polygonal,
        "geometry",
        (f"geometry is a {t}, expected a Polygon or MultiPolygon" for t in geoms.geom_type[~missing & ~polygonal]),
    )
    # NaN or infinite coordinates: no repair can place them (make_valid raises on them)
    shapes = geoms.to_numpy()
    coords, owner = shapely.get_coordinates(shapes, return_index=True)
    not_finite = np.zeros(len(shapes), dtype=bool)
    not_finite[np.unique(owner[~np.isfinite(coords).all(axis=1)])] = True
    not_finite &= ~missing & polygonal
    check.reject(not_finite, "geometry", "a coordinate is not a finite number (NaN or infinite)")
    invalid = ~missing & polygonal & ~not_finite & ~geoms.is_valid.to_numpy()
    if invalid.any():
        repaired, unrepaired = [], np.zeros(len(shapes), dtype=bool)
        for position in np.flatnonzero(invalid):
            try:
                repaired.append(shapely.make_valid(shapes[position]))
            except shapely.errors.GEOSException:
                repaired.append(shapes[position])
                unrepaired[position] = True
        geoms[invalid] = repaired
        check.reject(unrepaired, "geometry", "invalid polygon that cannot be repaired")
        check.reject(invalid & ~unrepaired, "geometry", "invalid polygon (self-intersection?) repaired", "warning")
    return gpd.GeoSeries(geoms.to_numpy(), index=frame.index, crs=4326)


def _check_all_references(states: dict[str, _TableState]) -> None:
    """Check ids that point at other tables, repeating until no more rows are rejected."""
    for attempt in range(6):
        ids = {name: state.ids() for name, state in states.items()}
        clusters = _cluster_ids(states["groupings"])
        nodes = ids["actors"] | ids["groupings"] | ids["areas"]
        known = {"sectors": ids["sectors"], "gvcs": ids["gvcs"], "groupings": ids["groupings"]}
        changed = False
        for name, state in states.items():
            for check, typed, _ in state.files:
                before = int(check.bad.sum())
                # First pass: check every row, so a row's reference problems are reported alongside its
                # other problems. Later passes: only rows whose referent was rejected meanwhile.
                active = np.ones(len(check.bad), dtype=bool) if attempt == 0 else ~check.bad
                for spec in state.table.fields:
                    if not spec.refers_to or spec.name not in typed:
                        continue
                    pool = clusters if spec.name in ("cluster", "clusters") else known[spec.refers_to]
                    what = "cluster" if pool is clusters else spec.refers_to.rstrip("s").replace("gvc", "GVC")
                    check_references(typed[spec.name], pool, check, spec.name, what, active)
                if name == "links":
                    for end in ("source_id", "target_id"):
                        if end in typed:
                            check_references(
                                typed[end],
                                nodes,
                                check,
                                end,
                                "link end (no actor, grouping or area has this id)",
                                active,
                            )
                if name == "statistics" and "area_id" in typed:
                    check_references(typed["area_id"], ids["areas"], check, "area_id", "area", active)
                changed |= int(check.bad.sum()) != before
        if not changed:
            return


def _cluster_ids(state: _TableState) -> set[str]:
    out: set[str] = set()
    for check, typed, _ in state.files:
        if "id" in typed and "kind" in typed:
            ok = ~check.bad & (typed["kind"] == "cluster").to_numpy()
            out.update(typed["id"][ok].dropna())
    return out


def _assemble(state: _TableState) -> pd.DataFrame:
    """Concatenate the valid rows of every file of a table, in schema column order."""
    parts = []
    columns = [f.name for f in state.table.fields if not (state.table.geometry == "point" and f.name in ("lon", "lat"))]
    for check, typed, raw in state.files:
        keep = ~check.bad
        if not keep.any():
            continue
        data = {}
        for name in columns:
            if name in typed:
                data[name] = typed[name][keep].reset_index(drop=True)
                if name == "weight":
                    data[name] = data[name].fillna(1.0)
            else:
                data[name] = _default_column(state.table, name, int(keep.sum()))
        extra = [
            c
            for c in raw.frame.columns
            if c not in typed and c not in columns and not c.startswith("__") and c not in ("lon", "lat", "x", "y")
        ]
        for name in extra:  # columns a region adds beyond the schema travel along, as text
            data[name] = raw.frame[name][keep].reset_index(drop=True)
        if state.table.geometry != "none":
            geometry = typed["geometry"][keep].reset_index(drop=True)
            part = gpd.GeoDataFrame(data, geometry=geometry, crs=4326)
        else:
            part = pd.DataFrame(data)
        parts.append(part)
    if not parts:
        return _empty_frame(state.table)
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    if state.table.geometry == "point":
        frame.insert(frame.columns.get_loc("location_precision"), "lon", frame.geometry.x.round(6))
        frame.insert(frame.columns.get_loc("location_precision"), "lat", frame.geometry.y.round(6))
    if isinstance(frame, gpd.GeoDataFrame):
        frame = frame.set_crs(4326, allow_override=True)
    return frame


def _default_column(table: Table, name: str, n: int) -> pd.Series:
    spec = table.field(name)
    if spec.type == "bool":
        return pd.Series([False] * n, dtype=bool)
    if spec.type == "list":
        return pd.Series([()] * n, dtype=object)
    if spec.name == "location_precision":
        return pd.Series(["municipality"] * n, dtype=object)
    if spec.name == "weight":
        return pd.Series([1.0] * n, dtype=float)
    if spec.type == "int":
        return pd.Series([pd.NA] * n, dtype="Int64")
    if spec.type == "float":
        return pd.Series([np.nan] * n, dtype=float)
    return pd.Series([None] * n, dtype=object)


def _empty_frame(table: Table) -> pd.DataFrame:
    columns = {f.name: _default_column(table, f.name, 0) for f in table.fields}
    if table.geometry != "none":
        return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries([], crs=4326), crs=4326)
    return pd.DataFrame(columns)


def _empty_frames() -> dict[str, pd.DataFrame]:
    return {name: _empty_frame(TABLES[name]) for name in TABLE_ORDER}
