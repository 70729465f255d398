"""Reading raw files: text decoding, delimiter detection, geodata with reprojection.

Readers never raise on bad input: they return what they could read and a list of
problems, so one broken file never hides the others.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
import shapely.geometry
from pyproj import CRS

from data.problems import Problem

TEXT_ENCODINGS = ("utf-8", "cp1252")
DELIMITERS = ",;|\t"
#: more NUL bytes than this share of a file's first 4 KB: UTF-16 or binary data, not text
NUL_SHARE = 0.01
#: a cell longer than this is no value of the atlas's (the longest shipped is a few hundred
#: characters): its row is reported and left out, the rows after it are read
MAX_CELL = 20_000

# Python's csv module stops a whole file at a cell over 131,072 characters ("field larger than
# field limit"), losing every row after it: read any size, and judge the cell by MAX_CELL instead.
csv.field_size_limit(2**31 - 1)


@dataclass(frozen=True)
class RawTable:
    """A file's records as strings, with the 1-based row number of each record."""

    frame: pd.DataFrame  # all columns str; column "__row" holds the row number
    geometry: gpd.GeoSeries | None = None  # set for geodata, in EPSG:4326
    encoding: str = ""
    delimiter: str = ""


def decode_text(raw: bytes, name: str) -> tuple[str | None, str, list[Problem]]:
    """Decode CSV bytes as UTF-8 (with or without BOM) or cp1252.

    Returns the text (None when it cannot be decoded), the encoding used, and problems.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    # UTF-16 (with its byte-order mark, or without: every other byte a NUL) or binary data; a stray
    # NUL in a text file only costs its own row (read_csv reports it)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:4096].count(b"\x00") > NUL_SHARE * min(len(raw), 4096):
        return (
            None,
            "",
            [
                Problem(
                    name,
                    None,
                    None,
                    "wrong encoding: the file looks like UTF-16 or binary data; "
                    "save it as UTF-8 or Windows-1252 (cp1252) text",
                )
            ],
        )
    for encoding in TEXT_ENCODINGS:
        try:
            return raw.decode(encoding), encoding, []
        except UnicodeDecodeError as exc:
            last = exc
    # Neither decodes: name the first offending line so the user can find it.
    line = raw[: last.start].count(b"\n") + 1
    return (
        None,
        "",
        [
            Problem(
                name,
                line,
                None,
                f"wrong encoding: byte 0x{raw[last.start]:02x} is neither UTF-8 nor cp1252; save the file as UTF-8",
            )
        ],
    )


def sniff_delimiter(text: str) -> str:
    """Pick the delimiter (comma, semicolon, pipe or tab) that splits the header line best."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(path: Path) -> tuple[RawTable | None, list[Problem]]:
    """Read a CSV file into a frame of strings; rows of the wrong width are reported."""
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(name, None, None, f"unreadable file: {exc.strerror or exc}")]
    text, encoding, problems = decode_text(raw, name)
    if text is None:
        return None, problems
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return None, [Problem(name, None, None, "unreadable file: it is empty")]
    except csv.Error as exc:
        return None, [Problem(name, 1, None, f"unreadable header: {exc}")]
    columns = [h.strip().lower() for h in header]
    width = len(columns)
    rows: list[list[str]] = []
    numbers: list[int] = []
    row_number = 1
    try:
        for record in reader:
            row_number += 1
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # blank line
            if len(record) != width:
                problems.append(
                    Problem(
                        name,
                        row_number,
                        None,
                        f"row has {len(record)} fields, the header has {width}; "
                        f"check the delimiter '{delimiter}' and quoting",
                    )
                )
                continue
            bad = _bad_cell(record, columns)
            if bad:
                problems.append(Problem(name, row_number, *bad))
                continue
            rows.append(record)
            numbers.append(row_number)
    except csv.Error as exc:
        problems.append(Problem(name, row_number + 1, None, f"unreadable row: {exc}; rest of file skipped"))
    frame = pd.DataFrame(rows, columns=columns, dtype=str) if rows else pd.DataFrame(columns=columns, dtype=str)
    dup = {c for c in columns if columns.count(c) > 1}
    for col in sorted(dup):
        problems.append(
            Problem(
                name, 1, col, "column appears more than once in the header; the first one is read, the others left out"
            )
        )
    if dup:  # two columns of one name would make every later lookup of it a frame, not a column
        frame = frame.loc[:, ~frame.columns.duplicated()]
    frame = frame.apply(lambda col: col.str.strip()) if len(frame) else frame
    frame["__row"] = numbers
    return RawTable(frame, None, encoding, delimiter), problems


def _bad_cell(record: list[str], columns: list[str]) -> tuple[str, str] | None:
    """(field, problem) for a row holding a NUL character or a cell over :data:`MAX_CELL`, else None."""
    for column, cell in zip(columns, record, strict=False):
        if "\x00" in cell:
            return column, "the cell holds a NUL character (binary data?); row left out"
        if len(cell) > MAX_CELL:
            return column, f"the cell holds {len(cell):,} characters, more than {MAX_CELL:,}; row left out"
    return None


def read_geodata(path: Path) -> tuple[RawTable | None, list[Problem]]:
    """Read GeoJSON or GeoPackage, reprojecting to EPSG:4326.

    GeoJSON without a ``crs`` member is WGS84 by definition (RFC 7946); a GeoPackage
    layer must declare its CRS, because guessing one would misplace every feature.
    """
    name = path.name
    problems: list[Problem] = []
    try:
        frame = gpd.read_file(path)
    except Exception as exc:
        if path.suffix.lower() not in (".geojson", ".json"):
            return None, [Problem(name, None, None, f"unreadable file: {str(exc).splitlines()[0][:200]}")]
        # One bad feature (an unclosed ring, NaN or infinite coordinates) fails the whole file in GDAL:
        # read the features one by one instead, leaving out only those that cannot be read.
        fallback, problems = read_geojson_features(path)
        if fallback is None:
            return None, problems
        frame = fallback
    if frame.crs is None:
        if path.suffix.lower() in (".geojson", ".json"):
            frame = frame.set_crs(4326)
        else:
            return None, [Problem(name, None, None, "no CRS defined: set the layer's CRS (e.g. EPSG:25832)")]
    elif not CRS(frame.crs).equals(CRS.from_epsg(4326), ignore_axis_order=True):
        frame = frame.to_crs(4326)
    geometry = frame.geometry
    attrs = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    attrs.columns = [str(c).strip().lower() for c in attrs.columns]
    attrs = attrs.astype(object).where(attrs.notna(), "")
    attrs = attrs.apply(lambda col: col.map(_to_text)) if len(attrs) else attrs.astype(str)
    attrs["__row"] = frame["__row"].to_numpy() if "__row" in frame else range(1, len(attrs) + 1)
    return RawTable(attrs.reset_index(drop=True), geometry.reset_index(drop=True)), problems


def read_geojson_features(path: Path) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    """A GeoJSON FeatureCollection read feature by feature (``__row``: each feature's 1-based
    number): a feature whose geometry cannot be built is reported and left out, the rest kept."""
    name = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        return None, [Problem(name, None, None, f"unreadable file: {str(exc)[:200]}")]
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        return None, [Problem(name, None, None, "unreadable file: not a GeoJSON FeatureCollection")]
    problems: list[Problem] = []
    records, geometries = [], []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            problems.append(Problem(name, number, None, "not a GeoJSON feature; left out"))
            continue
        try:
            geometry = shapely.geometry.shape(feature["geometry"]) if feature.get("geometry") else None
        except Exception as exc:  # shapely's errors for malformed coordinates vary by version
            problems.append(Problem(name, number, "geometry", f"unreadable geometry ({str(exc)[:120]}); left out"))
            continue
        properties = feature.get("properties")
        records.append({**(properties if isinstance(properties, dict) else {}), "__row": number})
        geometries.append(geometry)
    crs = (data.get("crs") or {}).get("properties", {}).get("name") if isinstance(data.get("crs"), dict) else None
    frame = gpd.GeoDataFrame(pd.DataFrame(records), geometry=geometries, crs=crs or 4326)
    return frame, problems


def _to_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value).strip()


def read_any(path: Path) -> tuple[RawTable | None, list[Problem]]:
    """Read a table file of any supported format."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path)
    if suffix in (".geojson", ".json", ".gpkg"):
        return read_geodata(path)
    return None, [Problem(path.name, None, None, f"unsupported file type '{suffix}'")]
