"""Reading raw files: text decoding, delimiter detection, geodata with reprojection.

Readers never raise on bad input: they return what they could read and a list of
problems, so one broken file never hides the others.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
from pyproj import CRS

from data.problems import Problem

TEXT_ENCODINGS = ("utf-8", "cp1252")
DELIMITERS = ",;|\t"


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
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
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
            rows.append(record)
            numbers.append(row_number)
    except csv.Error as exc:
        problems.append(Problem(name, row_number + 1, None, f"unreadable row: {exc}; rest of file skipped"))
    frame = pd.DataFrame(rows, columns=columns, dtype=str) if rows else pd.DataFrame(columns=columns, dtype=str)
    frame = frame.apply(lambda col: col.str.strip()) if len(frame) else frame
    frame["__row"] = numbers
    dup = {c for c in columns if columns.count(c) > 1}
    for col in sorted(dup):
        problems.append(Problem(name, 1, col, "column appears more than once in the header"))
    return RawTable(frame, None, encoding, delimiter), problems


def read_geodata(path: Path) -> tuple[RawTable | None, list[Problem]]:
    """Read GeoJSON or GeoPackage, reprojecting to EPSG:4326.

    GeoJSON without a ``crs`` member is WGS84 by definition (RFC 7946); a GeoPackage
    layer must declare its CRS, because guessing one would misplace every feature.
    """
    name = path.name
    try:
        frame = gpd.read_file(path)
    except Exception as exc:
        return None, [Problem(name, None, None, f"unreadable file: {str(exc).splitlines()[0][:200]}")]
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
    attrs["__row"] = range(1, len(attrs) + 1)
    return RawTable(attrs.reset_index(drop=True), geometry.reset_index(drop=True)), []


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
