"""Import the business register's list of innovative start-ups into the atlas's ACTORS format.

The Italian business register (Registro delle imprese, InfoCamere) publishes the list of
innovative start-ups ("startup innovative") as open data. Its layout has changed over the
years (the project's sourced facts, section 7, from code that parsed it): XLS inside a ZIP
(2014-2016), pipe-delimited Latin-1 CSV with preamble lines (2017, 2020), XLSX later; headers
in Italian whose spelling drifts ("classe addetti" / "classe di addetti ultimo anno (2)").
This module reads any of them:

- ``.xlsx``/``.xlsm`` (openpyxl), ``.xls`` (needs ``xlrd``), ``.csv``/``.txt``, or a ``.zip``
  holding one of those;
- CSV in UTF-8 (with or without BOM), cp1252 or Latin-1, delimited by ``|``, ``;``, ``,`` or tab;
- preamble rows before the header row, which is found by its known headers;
- headers matched case-insensitively, trimmed, accents/apostrophes/footnote marks ignored.

It writes ``actors-startups.csv`` (the rows it could place), ``unplaced-startups.csv``
(rows with a name it could not place at all, same columns, blank coordinates) and
``import-report.csv`` (``file,row,field,problem``; rows numbered as a spreadsheet shows them).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from data import gazetteer
from data.export import safe_cell
from data.problems import Problem
from data.schema import ACTORS

ACTOR_COLUMNS = [f.name for f in ACTORS.fields]
SOURCE = "Registro delle imprese — elenco startup innovative, file {file}"

#: Canonical field -> header spellings seen or expected, in :func:`header_key` form.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("denominazione", "denominazione impresa", "ragione sociale", "denominazione sociale"),
    "legal_form": ("nat giuridica", "natura giuridica", "forma giuridica"),
    "tax_code": ("codice fiscale", "cf", "codice fiscale impresa"),
    "province": ("pv", "prov", "provincia", "sigla provincia"),
    "municipality": ("comune", "comune sede", "sede comune"),
    "date_section": (
        "data iscrizione alla sezione delle startup",
        "data iscrizione alla sezione delle start up",
        "data di iscrizione alla sezione delle startup",
        "data iscrizione sezione startup",
        "data iscrizione alla sezione speciale",
        "data iscrizione startup",
    ),
    "date_register": (
        "data iscrizione al registro imprese",
        "data iscrizione al registro delle imprese",
        "data iscrizione ri",
        "data iscrizione registro imprese",
    ),
    "date_start": (
        "data inizio dell esercizio effettivo dell attivita",
        "data inizio esercizio effettivo attivita",
        "data inizio attivita",
    ),
    "ateco": (
        "ateco 2007",
        "ateco",
        "codice ateco",
        "codice ateco 2007",
        "ateco 2025",
        "codice ateco 2025",
        "ateco 2007 2022",
    ),
    "sector": ("settore",),
    "activity": ("attivita", "descrizione attivita", "oggetto sociale"),
    "activity_section": ("sezione attivita",),
    "website": ("sito internet", "sito web", "sito", "url"),
    "region": ("regione",),
    "staff_class": ("classe addetti", "classe di addetti ultimo anno", "classe di addetti"),
    "production_class": (
        "classe val prod",
        "classe di produzione ultimo anno",
        "classe di valore della produzione ultimo anno",
        "classe valore produzione",
    ),
    "capital_class": ("classe cap sociale", "classe di capitale", "classe capitale sociale"),
    "status": ("stato", "stato impresa"),
}
_ALIAS_TO_FIELD = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}

#: Extra columns summarised in ``note`` (label, field).
_NOTE_FIELDS = (
    ("nat. giuridica", "legal_form"),
    ("settore", "sector"),
    ("sezione attività", "activity_section"),
    ("classe addetti", "staff_class"),
    ("classe val. prod.", "production_class"),
    ("classe cap. sociale", "capital_class"),
    ("stato", "status"),
)

#: How many rows may precede the header row.
HEADER_SEARCH_ROWS = 60
_DATE_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%y",
    "%Y-%m-%d",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
)


class ImportFileError(Exception):
    """The file could not be read at all (format, encoding, no header row)."""


@dataclass
class ImportResult:
    """What :func:`import_startups` read and wrote."""

    file: Path
    rows: int = 0  #: data rows read (after the header, excluding blank and repeated-header rows)
    written: int = 0  #: rows written to actors-startups.csv
    unplaced: int = 0  #: rows written to unplaced-startups.csv
    skipped: int = 0  #: rows not written (no name, not a data row)
    outside_region: int = 0  #: rows left out by the ``region`` filter
    problems: list[Problem] = field(default_factory=list)
    actors_path: Path | None = None
    unplaced_path: Path | None = None
    report_path: Path | None = None
    sheet: str | None = None
    header_row: int | None = None
    encoding: str | None = None
    delimiter: str | None = None
    source_date: str = ""
    columns: dict[str, str] = field(default_factory=dict)  #: canonical field -> header in the file
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """The problems that left a row out."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that kept the row."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def reported_rows(self) -> set[int]:
        """Rows that have at least one problem."""
        return {p.row for p in self.problems if p.row is not None}


@dataclass
class _Sheet:
    """Rows of the file as text (dates from spreadsheets stay dates), with their row numbers."""

    rows: list[tuple[int, list[object]]]
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None


# --- reading -------------------------------------------------------------------------------


def header_key(text: object) -> str:
    """Normalised form of a header: lower case, no accents or punctuation, no footnote marks.

    ``header_key("Classe di addetti ultimo anno (2)") == "classe di addetti ultimo anno"``.
    """
    key = gazetteer.normalise(str(text or ""))
    return re.sub(r"( \d)+$", "", key)


def _find_header(rows: list[tuple[int, list[object]]]) -> int | None:
    """Index in ``rows`` of the header row: it names the company column and two more known ones."""
    for i, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = {_ALIAS_TO_FIELD.get(header_key(c)) for c in cells} - {None}
        if "name" in fields and len(fields) >= 3:
            return i
    return None


def _decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raw = raw[3:]  # a BOM, then a byte no UTF-8 has (a file edited in two programs): try the others
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    # cp1252 leaves five bytes undefined; Latin-1 decodes every byte.
    return raw.decode("latin-1"), "latin-1"


def _read_csv(raw: bytes) -> _Sheet:
    text, encoding = _decode(raw)
    best: tuple[int, str, list[tuple[int, list[object]]]] | None = None
    for delimiter in ("|", ";", ",", "\t"):
        rows = _csv_rows(text, delimiter)
        i = _find_header(rows)
        if i is None:
            continue
        recognised = sum(header_key(c) in _ALIAS_TO_FIELD for c in rows[i][1])
        # The right delimiter splits the header into the most known column names.
        if best is None or recognised > best[0]:
            best = (recognised, delimiter, rows)
    if best is None:
        raise ImportFileError(
            "no header row naming 'denominazione' and two other known columns in the first "
            f"{HEADER_SEARCH_ROWS} lines (tried delimiters | ; , tab; encoding {encoding})"
        )
    return _Sheet(best[2], encoding=encoding, delimiter=best[1])


def _csv_rows(text: str, delimiter: str) -> list[tuple[int, list[object]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[object]]] = []
    line = 1
    try:
        for cells in reader:
            rows.append((line, list(cells)))
            # A quoted value may span lines: the next record starts after the last line read.
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(f"CSV not readable near line {line}: {exc}") from exc
    return rows


def _read_xlsx(raw: bytes) -> list[_Sheet]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ImportFileError(f"not a readable xlsx workbook: {exc}") from exc
    sheets = []
    for ws in book.worksheets:
        # Read-only sheets start at their first used row; row numbers come from the cells.
        rows: list[tuple[int, list[object]]] = []
        for cells in ws.iter_rows(min_row=1):
            number = next((c.row for c in cells if getattr(c, "row", None)), None)
            if number is None:
                continue
            rows.append((number, [c.value for c in cells]))
        sheets.append(_Sheet(rows, sheet=ws.title))
    book.close()
    return sheets


def _read_xls(raw: bytes) -> list[_Sheet]:
    try:
        import xlrd
    except ImportError as exc:
        raise ImportFileError(
            "reading .xls files needs the xlrd package: pip install xlrd (or save the file as .xlsx or .csv)"
        ) from exc
    try:
        book = xlrd.open_workbook(file_contents=raw)
    except xlrd.XLRDError as exc:  # type: ignore[attr-defined]  # xlrd 2 has it; its stubs omit it
        raise ImportFileError(f"not a readable xls workbook: {exc}") from exc
    sheets = []
    for sh in book.sheets():
        rows = []
        for r in range(sh.nrows):
            values: list[object] = []
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    # a date cell holds a number (days since the workbook's epoch)
                    values.append(xlrd.xldate_as_datetime(float(cell.value), book.datemode))
                else:
                    values.append(cell.value)
            rows.append((r + 1, values))
        sheets.append(_Sheet(rows, sheet=sh.name))
    return sheets


def _read_any(name: str, raw: bytes) -> _Sheet:
    """The sheet of ``raw`` (named ``name``) that has the register's header; ImportFileError, never
    another exception, when it cannot be read (a damaged workbook or archive is a user's file)."""
    try:
        return _read_sheet(name, raw)
    except ImportFileError:
        raise
    except Exception as exc:  # zlib, zipfile, openpyxl, xlrd and XML errors of a damaged file
        kind = Path(name).suffix.lower().lstrip(".") or "file"
        raise ImportFileError(f"not a readable {kind} file ({type(exc).__name__}: {str(exc)[:200]})") from exc


def _read_sheet(name: str, raw: bytes) -> _Sheet:
    suffix = Path(name).suffix.lower()
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                members = [
                    m
                    for m in archive.namelist()
                    if Path(m).suffix.lower() in (".xlsx", ".xlsm", ".xls", ".csv", ".txt")
                ]
                if not members:
                    raise ImportFileError("the zip holds no xlsx, xls or csv file")
                return _read_sheet(members[0], archive.read(members[0]))
        except zipfile.BadZipFile as exc:
            raise ImportFileError(f"not a readable zip file: {exc}") from exc
    if suffix in (".xlsx", ".xlsm", ".xls"):
        # Some "xls" downloads are really xlsx (zip) or text; trust the content, not the name.
        if raw[:2] == b"PK":
            sheets = _read_xlsx(raw)
        elif raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            sheets = _read_xls(raw)
        else:
            return _read_csv(raw)
        for sheet in sheets:
            if _find_header(sheet.rows) is not None:
                return sheet
        raise ImportFileError(
            "no sheet has a header row naming 'denominazione' and two other known columns "
            f"in its first {HEADER_SEARCH_ROWS} rows"
        )
    return _read_csv(raw)


# --- values --------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # Non-breaking spaces pad some exports; strip them like ordinary spaces.
    return str(value).replace("\xa0", " ").strip()


def _parse_date(value: object) -> dt.date | None:
    """A date from a spreadsheet date or dd/mm/yyyy-like text; None if blank; ValueError if bad."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def date_from_filename(name: str) -> str | None:
    """The date a file name carries, as YYYY-MM-DD: startup_17022020 -> 2020-02-17.

    Reads DDMMYYYY (the register's own naming), YYYYMMDD and YYYY-MM-DD / YYYY_MM_DD.
    """
    stem = Path(name).stem
    m = re.search(r"(?<!\d)(\d{4})[-_.](\d{2})[-_.](\d{2})(?!\d)", stem)
    if m:
        candidates = [(m.group(1), m.group(2), m.group(3))]
    else:
        m = re.search(r"(?<!\d)(\d{8})(?!\d)", stem)
        if not m:
            return None
        d = m.group(1)
        # DDMMYYYY first: the register names its files that way (STARTUP_13102014).
        candidates = [(d[4:], d[2:4], d[:2]), (d[:4], d[4:6], d[6:])]
    for y, mo, da in candidates:
        try:
            date = dt.date(int(y), int(mo), int(da))
        except ValueError:
            continue
        if 1990 <= date.year <= 2100:
            return date.isoformat()
    return None


def _url(value: str) -> str:
    text = value.strip().split()[0] if value.strip() else ""
    if not text or "." not in text:
        return ""
    return text if re.match(r"(?i)https?://", text) else f"http://{text}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", gazetteer.normalise(text)).strip("-")[:40] or "startup"


def _tax_code(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Spreadsheets store numeric tax codes as numbers and drop their leading zeros.
        return str(int(value)).zfill(11)
    return re.sub(r"\s+", "", _text(value)).upper()


# --- import --------------------------------------------------------------------------------


def import_startups(path: Path, out_dir: Path, region: str | None = None) -> ImportResult:
    """Read the register's start-up list at ``path`` and write the atlas files into ``out_dir``.

    Writes ``actors-startups.csv`` (ACTORS schema, ``kind`` startup), ``unplaced-startups.csv``
    and ``import-report.csv``. Every row with a name is written to one of the first two; the
    report lists every row that could not be placed or parsed, and rows placed only at
    province level (warnings). ``region`` (e.g. "Emilia-Romagna") keeps only that region's
    rows; default: all rows. Raises :class:`ImportFileError` if the file cannot be read at all.
    """
    path = Path(path)
    out_dir = Path(out_dir)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"cannot read {path}: {exc.strerror or exc}") from exc
    sheet = _read_any(path.name, raw)
    header_index = _find_header(sheet.rows)
    if header_index is None:  # _read_any only returns sheets with a header row; kept for safety
        raise ImportFileError("no header row found")
    header_row, header_cells = sheet.rows[header_index]
    result = ImportResult(
        file=path, sheet=sheet.sheet, header_row=header_row, encoding=sheet.encoding, delimiter=sheet.delimiter
    )
    # The register dates its files in their names (startup_17022020.csv) or sheets (STARTUP_13102014).
    result.source_date = (
        date_from_filename(path.name) or date_from_filename(sheet.sheet or "") or dt.date.today().isoformat()
    )
    columns: dict[str, int] = {}
    for i, cell in enumerate(header_cells):
        name = _ALIAS_TO_FIELD.get(header_key(cell))
        if name and name not in columns:
            columns[name] = i
            result.columns[name] = _text(cell)
        elif _text(cell):
            result.ignored_columns.append(_text(cell))
    ateco_header = result.columns.get("ateco", "")
    ateco_edition = "2025" if "2025" in ateco_header else "2007"
    if ateco_header and not re.search(r"20(07|22|25)", ateco_header):
        # The same code means different activities in ATECO 2007 and 2025: say which was assumed.
        result.problems.append(
            Problem(
                path.name,
                None,
                ateco_header,
                "the ATECO column does not name its edition: read as ATECO 2007 (2022 update included)",
                "warning",
            )
        )
    source = SOURCE.format(file=path.name)
    header_keys = [header_key(c) for c in header_cells]
    g = gazetteer.load_gazetteer()

    placed_rows: list[dict[str, str]] = []
    unplaced_rows: list[dict[str, str]] = []
    seen_ids: dict[str, int] = {}
    for number, cells in sheet.rows[header_index + 1 :]:
        if not any(_text(c) for c in cells):
            continue
        if [header_key(c) for c in cells] == header_keys:
            continue  # the header repeated (page breaks of the published file)
        result.rows += 1
        row = _Row(number, cells, columns, result, path.name)
        filled = sum(bool(_text(c)) for c in cells)
        if filled < 2 and not row.get("tax_code"):
            result.skipped += 1
            only = next(_text(c) for c in cells if _text(c))
            row.problem("", f"skipped: not a start-up row (one cell only: '{only}')", "warning")
            continue
        name = row.get("name")
        if not name:
            result.skipped += 1
            row.problem("name", "missing name (denominazione): row not written")
            continue
        record, placed, province_region = _record(row, g, ateco_edition, source, result.source_date)
        if (
            region is not None
            and province_region is not None
            and (gazetteer.normalise(province_region) != gazetteer.normalise(region))
        ):
            result.outside_region += 1
            result.problems = [p for p in result.problems if p.row != number]
            continue
        record["id"] = _unique_id(record["id"], number, seen_ids, row)
        (placed_rows if placed else unplaced_rows).append(record)

    out_dir.mkdir(parents=True, exist_ok=True)
    result.actors_path = out_dir / "actors-startups.csv"
    result.unplaced_path = out_dir / "unplaced-startups.csv"
    result.report_path = out_dir / "import-report.csv"
    _write_rows(result.actors_path, placed_rows)
    _write_rows(result.unplaced_path, unplaced_rows)
    result.written, result.unplaced = len(placed_rows), len(unplaced_rows)
    with open(result.report_path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(_report_rows(result.problems))
    return result


def _report_rows(problems: list[Problem]) -> list[list[object]]:
    """The report as rows: header, then ``file,row,field,problem`` with the severity in front."""
    rows: list[list[object]] = [["file", "row", "field", "problem"]]
    rows += [
        [safe_cell(p.file), "" if p.row is None else p.row, safe_cell(p.field or ""), f"{p.severity}: {p.message}"]
        for p in problems
    ]
    return rows


class _Row:
    """One data row: its values by canonical field, and a way to report on it."""

    def __init__(
        self, number: int, cells: list[object], columns: dict[str, int], result: ImportResult, file: str
    ) -> None:
        self.number, self.cells, self.columns, self.result, self.file = number, cells, columns, result, file

    def raw(self, name: str) -> object:
        i = self.columns.get(name)
        return self.cells[i] if i is not None and i < len(self.cells) else None

    def get(self, name: str) -> str:
        return _text(self.raw(name))

    def problem(self, name: str, message: str, severity: str = "error") -> None:
        # Name the field as the file's header spells it, so it can be found in the file.
        label = self.result.columns.get(name, name)
        # the ignore below: severity: 'error' or 'warning' from the callers, as in data/validate.py
        self.result.problems.append(Problem(self.file, self.number, label, message, severity))  # type: ignore[arg-type]


def _record(
    row: _Row, g: gazetteer.Gazetteer, ateco_edition: str, source: str, source_date: str
) -> tuple[dict[str, str], bool, str | None]:
    """The ACTORS record of a row; whether it was placed; the region it lies in (if known)."""
    name = row.get("name")
    tax_code = _tax_code(row.raw("tax_code"))
    notes: list[str] = []
    rec = dict.fromkeys(ACTOR_COLUMNS, "")
    rec.update(
        id=f"su-{tax_code}" if tax_code else f"su-{_slug(name)}-{row.number}",
        kind="startup",
        name=name,
        source=source,
        source_date=source_date,
        confidence="confirmed",
        synthetic="false",
    )

    placement, province_text, region = _place(row, g)
    rec["province"] = placement.province if placement else province_text
    rec["municipality"] = placement.name if placement else row.get("municipality")
    if placement:
        rec.update(lat=f"{placement.lat:.4f}", lon=f"{placement.lon:.4f}", location_precision=placement.precision)
        region = g.provinces[placement.province].region
    else:
        rec["location_precision"] = ""

    dates: dict[str, dt.date | None] = {}
    for key in ("date_section", "date_register", "date_start"):
        if key not in row.columns:
            continue
        try:
            dates[key] = _parse_date(row.raw(key))
        except ValueError as exc:
            dates[key] = None
            row.problem(key, f"bad date '{exc}' (expected dd/mm/yyyy)")
    if dates.get("date_section"):
        # the ignore below: the dates checked just above are not None (mypy cannot narrow a dict's values)
        rec["year"] = str(dates["date_section"].year)  # type: ignore[union-attr]
    elif "date_section" in row.columns and not row.get("date_section"):
        row.problem("date_section", "no date of registration in the start-up section: year left blank", "warning")
    if dates.get("date_register"):
        notes.append(f"iscritta al Registro Imprese {dates['date_register'].isoformat()}")  # type: ignore[union-attr]  # as above
    if dates.get("date_start"):
        notes.append(f"inizio attività {dates['date_start'].isoformat()}")  # type: ignore[union-attr]  # as above

    ateco_raw = row.get("ateco")
    if ateco_raw:
        code = gazetteer.ateco_code(ateco_raw)
        if code is None:
            # "62.01 - Produzione di software": the code, then its description.
            m = re.match(r"\s*([A-U]?\s*\d{1,2}(?:\.\d{1,2}){0,2})\b", ateco_raw)
            code = gazetteer.ateco_code(m.group(1)) if m else None
        sector = gazetteer.ateco_name(code, ateco_edition, g) if code else None
        if sector:
            rec["sector_code"], rec["sector_name"] = code or "", sector
            if ateco_edition == "2025":
                notes.append("ATECO 2025 code")
        else:
            rec["sector_code"] = code or ateco_raw
            row.problem("ateco", f"bad ATECO code '{ateco_raw}': not in ATECO {ateco_edition}")
    rec["url"] = _url(row.get("website"))
    if row.get("website") and not rec["url"]:
        notes.append(f"sito internet: {row.get('website')}")
    rec["description"] = row.get("activity")
    for label, key in _NOTE_FIELDS:
        if row.get(key):
            notes.append(f"{label} {row.get(key)}")
    if tax_code:
        notes.append(f"codice fiscale {tax_code}")
    rec["note"] = "; ".join(notes)
    return rec, placement is not None, region


def _place(row: _Row, g: gazetteer.Gazetteer) -> tuple[gazetteer.Placement | None, str, str | None]:
    """Locate a row; report what is doubtful. Returns (placement, province as given, region)."""
    municipality = row.get("municipality")
    province_text = row.get("province")
    prov = gazetteer.province_iso(province_text, g) if province_text else None
    region = row.get("region") or None
    if province_text and prov is None:
        placement = gazetteer.locate(municipality, None, g) if municipality else None
        if placement is None:
            row.problem(
                "province",
                f"unknown province '{province_text}' and municipality '{municipality}' "
                "not found (or not unique) in Italy: not placed",
            )
        else:
            row.problem(
                "province",
                f"unknown province '{province_text}': placed by the municipality's "
                f"name alone, unique in Italy ({placement.name}, {placement.province})",
                "warning",
            )
        return placement, province_text, region
    if not municipality and prov is None:
        row.problem("municipality", "no municipality and no province: not placed")
        return None, province_text, region
    placement = gazetteer.locate(municipality, prov, g)
    if placement is not None and placement.istat_code is None and re.search(r"\(.*\)\s*$", municipality):
        # "BOLOGNA (BO)": the province repeated after the name.
        retry = gazetteer.locate(re.sub(r"\s*\(.*\)\s*$", "", municipality), prov, g)
        placement = retry if retry is not None and retry.istat_code else placement
    if placement is None:
        row.problem(
            "municipality",
            f"municipality '{municipality}' not found (or not unique) in Italy and no province given: not placed",
        )
        return None, province_text, region
    if prov is None:
        row.problem(
            "province",
            f"no province: placed by the municipality's name alone ({placement.name}, {placement.province})",
            "warning",
        )
    elif placement.province != prov:
        row.problem(
            "municipality",
            f"municipality '{municipality}' is in {placement.province}, not {prov}: placed there",
            "warning",
        )
    if not municipality:
        row.problem("municipality", f"no municipality: placed at the centroid of {prov}", "warning")
    elif placement.precision == "province":
        why = "has no coordinates in the gazetteer" if placement.istat_code else f"not found in {prov}"
        row.problem(
            "municipality", f"municipality '{municipality}' {why}: placed at the province's centroid", "warning"
        )
    return placement, province_text, region


def _unique_id(candidate: str, number: int, seen: dict[str, int], row: _Row) -> str:
    if candidate not in seen:
        seen[candidate] = number
        return candidate
    row.problem(
        "tax_code", f"codice fiscale also on row {seen[candidate]}: id made unique with the row number", "warning"
    )
    unique = f"{candidate}-{number}"
    seen[unique] = number
    return unique


def _write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=ACTOR_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def run_import_cli(file: str, out_dir: str, region: str | None = None) -> int:
    """Command line: import ``file`` into ``out_dir`` and print the report.

    Returns 0 if every row was placed and parsed, 1 if some rows were reported, 2 if the
    file could not be read at all.
    """
    try:
        result = import_startups(Path(file), Path(out_dir), region)
    except ImportFileError as exc:
        print(f"{file}: cannot import: {exc}")
        return 2
    where = f"sheet '{result.sheet}', " if result.sheet else ""
    if result.encoding:
        where += f"encoding {result.encoding}, delimiter '{result.delimiter}', "
    print(f"{file}: {where}header on row {result.header_row}; {result.rows} rows read.")
    if result.ignored_columns:
        print(f"Columns not used: {', '.join(result.ignored_columns)}")
    missing = [
        k for k in ("name", "province", "municipality", "tax_code", "date_section", "ateco") if k not in result.columns
    ]
    if missing:
        print(f"Columns not found: {', '.join(missing)}")
    if result.problems:
        print()
        csv.writer(sys.stdout, lineterminator="\n").writerows(_report_rows(result.problems))
        print()
    if result.outside_region:
        print(f"{result.outside_region} rows outside {region} left out (--region).")
    print(
        f"Wrote {result.written} start-ups to {result.actors_path}, {result.unplaced} unplaced to "
        f"{result.unplaced_path}; {result.skipped} rows skipped; {len(result.errors)} error(s), "
        f"{len(result.warnings)} warning(s) in {result.report_path}."
    )
    # Only rows count: a note on a whole column (the ATECO edition) does not fail the import.
    return 1 if result.reported_rows else 0
