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

from data.geometry import point_geometry, polygon_geometry
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
    #: the database version's content digest (``data.database_write.content_digest``)
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
        return Dataset(directory, {}, empty_frames(), tuple(problems))
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
        typed["geometry"], placed = point_geometry(check, raw, meta)
        declared = typed.get("location_precision", pd.Series([None] * len(check.frame), index=check.frame.index))
        # Blank precision: exact when the file gives coordinates, else what the gazetteer achieved.
        typed["location_precision"] = declared.where(declared.notna() & placed.isna(), placed.fillna("exact"))
    elif table.geometry == "polygon":
        typed["geometry"] = polygon_geometry(check, raw)
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


def empty_frames() -> dict[str, pd.DataFrame]:
    """Every table, empty, with its columns (a dataset that could not be read)."""
    return {name: _empty_frame(TABLES[name]) for name in TABLE_ORDER}
