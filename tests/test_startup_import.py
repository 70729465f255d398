"""The start-up importer (data/startup_import.py) and the offline gazetteer (data/gazetteer.py).

Every register-like file is built here in tmp_path; nothing touches the network.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run with plain `pytest` as well as `python -m pytest`
    sys.path.insert(0, str(ROOT))

from data import gazetteer  # noqa: E402
from data.gazetteer import ateco_code, ateco_name, locate, normalise, province_iso  # noqa: E402
from data.schema import ACTORS  # noqa: E402
from data.startup_import import (  # noqa: E402
    ImportFileError,
    date_from_filename,
    header_key,
    import_startups,
    run_import_cli,
)

ER_PROVINCES = {"IT-PC", "IT-PR", "IT-RE", "IT-MO", "IT-BO", "IT-FE", "IT-RA", "IT-FC", "IT-RN"}
SECTION = "data iscrizione alla sezione delle startup"

# The 2017 CSV's header (sourced-facts section 7), trailing spaces included, shortened.
PIPE_HEADER = [
    "denominazione",
    "nat.giuridica",
    "codice fiscale ",
    "pv",
    "comune",
    SECTION,
    "data iscrizione al Registro Imprese",
    "data inizio dell'esercizio effettivo dell'attività",
    "ateco 2007",
    "settore",
    "attività",
    "sito internet",
    "regione",
    "classe addetti",
    "classe val.prod.",
]


def in_emilia_romagna(lat: float, lon: float) -> bool:
    return 43.7 <= lat <= 45.2 and 9.1 <= lon <= 12.8


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def report(out: Path) -> list[tuple[int, str, str]]:
    return [(int(r["row"]), r["field"], r["problem"]) for r in read(out / "import-report.csv") if r["row"]]


def assert_placed_in_er(rows: list[dict[str, str]]) -> None:
    for r in rows:
        assert r["province"] in ER_PROVINCES, r
        assert in_emilia_romagna(float(r["lat"]), float(r["lon"])), r


# --- the importer --------------------------------------------------------------------------


@pytest.fixture
def pipe_latin1(tmp_path: Path) -> Path:
    """Pipe-delimited Latin-1 CSV with three preamble lines, padded values and FO for Forlì."""
    lines = [
        "Startup innovative iscritte alla sezione speciale del Registro delle imprese",
        "Estrazione al 17/02/2020",
        "",
        "|".join(PIPE_HEADER),
        # row 5: padded values everywhere
        "  ALFA S.R.L.  | SR | 01234567890 | BO |  BOLOGNA  | 12/03/2016 |01/02/2016|01/03/2016| 62.01 |"
        "servizi|Sviluppo software|www.alfa.it|EMILIA-ROMAGNA|A|B",
        # row 6: legacy FO, accent written as apostrophe, name with an accent (Latin-1 byte)
        "BETA FORLÌ SRL|SR|01234567891|FO|FORLI'|05/05/2017|||72.19|servizi|R&S||EMILIA-ROMAGNA|A|A",
        # row 7: unknown municipality in a known province -> province centroid, warning
        "GAMMA SRL|SR|01234567892|MO|BORGO INESISTENTE|05/05/2017|||62.01|servizi|||EMILIA-ROMAGNA|A|A",
        # row 8: unknown province and unknown municipality -> unplaced, error
        "DELTA SRL|SR|01234567893|XX|BORGO INESISTENTE|05/05/2017|||62.01|servizi|||EMILIA-ROMAGNA|A|A",
        # row 9: bad date and bad ATECO, but placed
        "EPSILON SRL|SR|01234567894|RE|REGGIO NELL'EMILIA|31/02/2017|||99.99|servizi|||EMILIA-ROMAGNA|A|A",
        # row 10: missing name
        "|SR|01234567895|MO|CARPI|05/05/2017|||62.01|servizi|||EMILIA-ROMAGNA|A|A",
        # row 11: a merged municipality and the official name with a legacy PS neighbour
        "ZETA SRL|SR|01234567896|PC|ALTA VAL TIDONE|10/10/2019|||62.02|servizi|||EMILIA-ROMAGNA|A|A",
        "ETA SRL|SR|01234567897|RN|SAN LEO|10/10/2019|||62.02|servizi|||EMILIA-ROMAGNA|A|A",
    ]
    path = tmp_path / "startup_17022020.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
    return path


def test_pipe_latin1_with_preamble(pipe_latin1: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = import_startups(pipe_latin1, out)
    assert result.header_row == 4
    assert result.delimiter == "|"
    assert result.encoding in ("cp1252", "latin-1")
    assert result.source_date == "2020-02-17"

    problems = report(out)
    assert (7, "comune") in {(r, f) for r, f, p in problems if p.startswith("warning")}
    assert (8, "pv") in {(r, f) for r, f, p in problems if p.startswith("error")}
    assert (9, SECTION) in {(r, f) for r, f, _ in problems}
    assert (9, "ateco 2007") in {(r, f) for r, f, _ in problems}
    assert (10, "denominazione") in {(r, f) for r, f, _ in problems}
    # Alta Val Tidone is in ISTAT's list but GeoNames has no point for it: kept, reported.
    assert (11, "comune") in {(r, f) for r, f, p in problems if p.startswith("warning")}
    assert {r for r, _, _ in problems} == {7, 8, 9, 10, 11}

    actors = read(out / "actors-startups.csv")
    assert list(actors[0].keys()) == [f.name for f in ACTORS.fields]
    by_name = {r["name"]: r for r in actors}
    assert set(by_name) == {"ALFA S.R.L.", "BETA FORLÌ SRL", "GAMMA SRL", "EPSILON SRL", "ZETA SRL", "ETA SRL"}
    assert_placed_in_er(actors)

    alfa = by_name["ALFA S.R.L."]
    assert alfa["id"] == "su-01234567890"
    assert alfa["kind"] == "startup"
    assert (alfa["province"], alfa["municipality"], alfa["location_precision"]) == ("IT-BO", "Bologna", "municipality")
    assert alfa["year"] == "2016"
    assert alfa["url"] == "http://www.alfa.it"
    assert alfa["sector_code"] == "62.01"
    assert alfa["sector_name"] == "Produzione di software non connesso all'edizione"
    assert alfa["source"] == "Registro delle imprese — elenco startup innovative, file startup_17022020.csv"
    assert alfa["source_date"] == "2020-02-17"
    assert (alfa["confidence"], alfa["synthetic"]) == ("confirmed", "false")

    beta = by_name["BETA FORLÌ SRL"]
    assert (beta["province"], beta["municipality"]) == ("IT-FC", "Forlì")
    gamma = by_name["GAMMA SRL"]
    assert (gamma["province"], gamma["location_precision"]) == ("IT-MO", "province")
    assert gamma["municipality"] == "BORGO INESISTENTE"  # kept as given: nothing is lost
    epsilon = by_name["EPSILON SRL"]
    assert epsilon["municipality"] == "Reggio nell'Emilia"
    assert epsilon["year"] == ""
    assert by_name["ZETA SRL"]["location_precision"] == "province"
    # San Leo moved from Pesaro e Urbino to Rimini in 2009: placed in Rimini's list.
    assert by_name["ETA SRL"]["province"] == "IT-RN"

    unplaced = read(out / "unplaced-startups.csv")
    assert [r["name"] for r in unplaced] == ["DELTA SRL"]
    assert (unplaced[0]["lat"], unplaced[0]["lon"], unplaced[0]["province"]) == ("", "", "XX")
    assert (result.written, result.unplaced, result.skipped) == (6, 1, 1)


def test_cli_prints_report_and_exit_codes(
    pipe_latin1: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_import_cli(str(pipe_latin1), str(tmp_path / "out")) == 1
    printed = capsys.readouterr().out
    assert "startup_17022020.csv,8,pv,error: unknown province 'XX'" in printed
    assert "file,row,field,problem" in printed

    broken = tmp_path / "notes.csv"
    broken.write_text("just,some,text\n1,2,3\n", encoding="utf-8")
    assert run_import_cli(str(broken), str(tmp_path / "out2")) == 2
    assert run_import_cli(str(tmp_path / "missing.csv"), str(tmp_path / "out3")) == 2


def test_semicolon_utf8_bom_all_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Headers in another spelling (case, accents, footnote marks); every row good: exit 0."""
    header = [
        "Denominazione",
        "PV",
        "Comune",
        "Codice Fiscale",
        "Data iscrizione alla sezione delle startup",
        "ATECO",
        "Classe di addetti ultimo anno (2)",
        "Classe di produzione ultimo anno (1)",
        "Sito Internet",
    ]
    rows = [
        ["Gamma Srl", "MO", "Carpi", "02345678901", "01/06/2018", "72.19", "B", "A", "https://gamma.example"],
        ["Delta Srl", "BO", "San Lazzaro di Savena", "02345678902", "2019-01-15", "620100", "A", "A", ""],
        ["Theta Srl", "RE", "Reggio Emilia", "02345678903", "15/01/2020", "J62.01", "A", "A", ""],
    ]
    text = "\n".join(";".join(r) for r in [header, *rows]) + "\n"
    path = tmp_path / "startup-2021-04-29.csv"
    path.write_bytes(text.encode("utf-8-sig"))
    out = tmp_path / "out"
    assert run_import_cli(str(path), str(out)) == 0
    result = import_startups(path, out)
    assert (result.delimiter, result.encoding, result.header_row) == (";", "utf-8-sig", 1)
    assert result.source_date == "2021-04-29"
    assert result.columns["staff_class"] == "Classe di addetti ultimo anno (2)"
    actors = read(out / "actors-startups.csv")
    assert len(actors) == 3
    assert_placed_in_er(actors)
    assert [r["municipality"] for r in actors] == ["Carpi", "San Lazzaro di Savena", "Reggio nell'Emilia"]
    assert [r["year"] for r in actors] == ["2018", "2019", "2020"]
    assert actors[1]["sector_code"] == "62.01.00"
    assert actors[2]["sector_code"] == "62.01"
    assert "classe addetti B" in actors[0]["note"]
    # Only a note on the column: "ATECO" does not say which edition it is.
    assert [(r["row"], r["field"]) for r in read(out / "import-report.csv")] == [("", "ATECO")]
    assert read(out / "unplaced-startups.csv") == []


def test_comma_cp1252_quoted(tmp_path: Path) -> None:
    """Comma-delimited cp1252 (a typographic apostrophe is byte 0x92), quoted names with commas."""
    text = (
        "Elenco startup\r\n"
        "denominazione,pv,comune,codice fiscale,data iscrizione alla sezione delle startup,ateco 2007\r\n"
        '"L’ALBERO, SOCIETA\' BENEFIT SRL",FE,Ferrara,03456789012,03/03/2015,62.02\r\n'
        '"OMEGA, SRL",RA,Faenza,03456789013,04/04/2015,72.11\r\n'
        "SIGMA SRL,PS,Pesaro,03456789014,05/05/2015,62.01\r\n"
    )
    path = tmp_path / "startup.csv"
    path.write_bytes(text.encode("cp1252"))
    out = tmp_path / "out"
    result = import_startups(path, out)
    assert (result.delimiter, result.encoding, result.header_row) == (",", "cp1252", 2)
    actors = read(out / "actors-startups.csv")
    assert [r["name"] for r in actors] == ["L’ALBERO, SOCIETA' BENEFIT SRL", "OMEGA, SRL", "SIGMA SRL"]
    assert_placed_in_er(actors[:2])
    assert actors[2]["province"] == "IT-PU"  # legacy PS
    assert actors[2]["municipality"] == "Pesaro"
    assert result.problems == []
    assert result.source_date == dt.date.today().isoformat()


def test_xlsx_with_preamble_and_typed_cells(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "STARTUP_14032016"
    ws.append(["Elenco startup innovative"])  # row 1
    ws.append([])  # row 2
    ws.append(
        [
            "denominazione",
            "nat.giuridica",
            "pv",
            "comune",
            "codice fiscale",
            "data iscrizione alla sezione delle startup",
            "ateco 2007",
            "classe di produzione ultimo anno (1)",
            "classe di addetti ultimo anno (2)",
        ]
    )  # row 3
    ws.append(["KAPPA SRL", "SR", "PR", "Parma", 1234567890, dt.datetime(2015, 6, 1), "62.01", "A", "A"])  # 4
    ws.append(["LAMBDA SRL", "SR", "RN", "Rimini", "04567890123", "non so", "62.01", "A", "A"])  # 5
    ws.append(["MU SRL", "SR", "FC", "Cesena ", "04567890124", dt.datetime(2016, 1, 2), 62.01, "A", "A"])  # 6
    ws.append(["NU SRL", "SR", "BO", "Valle Fantasma", "04567890125", dt.datetime(2016, 1, 2), "62.01", "A", "A"])  # 7
    ws.append([None, "SR", "BO", "Bologna", "04567890126", dt.datetime(2016, 1, 2), "62.01", "A", "A"])  # 8
    path = tmp_path / "startup.xlsx"  # no date in the name: the sheet's name gives it
    wb.save(path)

    out = tmp_path / "out"
    result = import_startups(path, out)
    assert (result.sheet, result.header_row, result.source_date) == ("STARTUP_14032016", 3, "2016-03-14")
    problems = report(out)
    assert (5, SECTION) in {(r, f) for r, f, _ in problems}
    assert (7, "comune") in {(r, f) for r, f, p in problems if p.startswith("warning")}
    assert (8, "denominazione") in {(r, f) for r, f, _ in problems}
    assert {r for r, _, _ in problems} == {5, 7, 8}
    actors = read(out / "actors-startups.csv")
    assert_placed_in_er(actors)
    by_name = {r["name"]: r for r in actors}
    assert set(by_name) == {"KAPPA SRL", "LAMBDA SRL", "MU SRL", "NU SRL"}
    # The spreadsheet stored the tax code as a number and dropped its leading zero.
    assert by_name["KAPPA SRL"]["id"] == "su-01234567890"
    assert by_name["KAPPA SRL"]["year"] == "2015"
    assert by_name["MU SRL"]["municipality"] == "Cesena"
    assert by_name["MU SRL"]["sector_code"] == "62.01"
    assert by_name["NU SRL"]["location_precision"] == "province"


def test_xls_needs_xlrd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "xlrd", None)  # as if xlrd were not installed
    path = tmp_path / "startup.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with pytest.raises(ImportFileError, match="xlrd"):
        import_startups(path, tmp_path / "out")
    assert run_import_cli(str(path), str(tmp_path / "out")) == 2


def test_duplicate_tax_code_and_missing_tax_code(tmp_path: Path) -> None:
    text = (
        "denominazione|pv|comune|codice fiscale|" + SECTION + "\n"
        "A SRL|BO|Imola|05678901234|01/01/2020\n"
        "A SRL BIS|BO|Imola|05678901234|01/01/2020\n"
        "Nuova Impresa & C.|BO|Imola||01/01/2020\n"
    )
    path = tmp_path / "s.csv"
    path.write_text(text, encoding="utf-8")
    result = import_startups(path, tmp_path / "out")
    ids = [r["id"] for r in read(tmp_path / "out" / "actors-startups.csv")]
    assert ids == ["su-05678901234", "su-05678901234-3", "su-nuova-impresa-c-4"]
    assert [(p.row, p.field, p.severity) for p in result.problems] == [(3, "codice fiscale", "warning")]


def test_region_filter(pipe_latin1: Path, tmp_path: Path) -> None:
    result = import_startups(pipe_latin1, tmp_path / "out", region="Lombardia")
    # Placed rows go by their province's region, the unplaced one by the file's `regione`.
    assert (result.written, result.unplaced, result.outside_region) == (0, 0, 7)
    assert {p.row for p in result.problems} == {10}  # the row without a name is still reported
    result = import_startups(pipe_latin1, tmp_path / "out", region="Emilia-Romagna")
    assert (result.written, result.unplaced, result.outside_region) == (6, 1, 0)


def test_header_key_and_file_dates() -> None:
    assert header_key(" Codice Fiscale ") == "codice fiscale"
    assert header_key("classe di addetti ultimo anno (2)") == "classe di addetti ultimo anno"
    assert header_key("data inizio dell'esercizio effettivo dell'attività") == (
        "data inizio dell esercizio effettivo dell attivita"
    )
    assert date_from_filename("startup_17022020.csv") == "2020-02-17"
    assert date_from_filename("STARTUP_01052017.csv") == "2017-05-01"
    assert date_from_filename("startup-20200217.xlsx") == "2020-02-17"
    assert date_from_filename("startup_2024-06-30.xlsx") == "2024-06-30"
    assert date_from_filename("startup.xls") is None


# --- the gazetteer -------------------------------------------------------------------------


def test_normalise() -> None:
    assert normalise("Castelnovo ne'Monti") == "castelnovo ne monti"
    assert normalise("FORLI'") == normalise("Forlì") == "forli"
    assert normalise("  Sorbolo-Mezzani ") == "sorbolo mezzani"


@pytest.mark.parametrize(
    ("municipality", "province", "name", "iso", "precision"),
    [
        ("Bologna", "BO", "Bologna", "IT-BO", "municipality"),
        ("Forli", "FC", "Forlì", "IT-FC", "municipality"),
        ("FORLI'", "FO", "Forlì", "IT-FC", "municipality"),
        ("Reggio Emilia", "RE", "Reggio nell'Emilia", "IT-RE", "municipality"),
        ("Reggio Emilia", None, "Reggio nell'Emilia", "IT-RE", "municipality"),
        ("Reggio nell'Emilia", "IT-RE", "Reggio nell'Emilia", "IT-RE", "municipality"),
        ("Carpi", "MO", "Carpi", "IT-MO", "municipality"),  # GeoNames "Carpi Centro"
        ("San Lazzaro", "BO", "San Lazzaro di Savena", "IT-BO", "municipality"),
        ("Castelnovo ne' Monti", "RE", "Castelnovo ne' Monti", "IT-RE", "municipality"),
        ("Bozen", "BZ", "Bolzano/Bozen", "IT-BZ", "municipality"),
        ("Alta Val Tidone", "PC", "Alta Val Tidone", "IT-PC", "province"),  # merged 2018, not in GeoNames
        ("Ventasso", "RE", "Ventasso", "IT-RE", "province"),  # merged 2016
    ],
)
def test_locate(municipality: str, province: str | None, name: str, iso: str, precision: str) -> None:
    place = locate(municipality, province)
    assert place is not None
    assert (place.name, place.province, place.precision) == (name, iso, precision)
    assert place.istat_code
    if iso in ER_PROVINCES:
        assert in_emilia_romagna(place.lat, place.lon)


def test_locate_fallbacks() -> None:
    bologna = locate("Bologna", "BO")
    assert bologna is not None and abs(bologna.lat - 44.49) < 0.05 and abs(bologna.lon - 11.34) < 0.05
    unknown = locate("Borgo Inesistente", "BO")
    assert unknown is not None
    assert (unknown.precision, unknown.istat_code, unknown.province) == ("province", None, "IT-BO")
    centre = gazetteer.load_gazetteer().provinces["IT-BO"]
    assert (unknown.lat, unknown.lon) == (centre.lat, centre.lon)
    assert locate("Borgo Inesistente", None) is None
    assert locate("Borgo Inesistente", "XX") is None
    # A name shared by several municipalities is not guessed without a province.
    assert locate("Castro", None) is None
    assert locate("Castro", "LE") is not None and locate("Castro", "LE").province == "IT-LE"


@pytest.mark.parametrize(
    ("code", "iso"),
    [
        ("BO", "IT-BO"),
        ("bo", "IT-BO"),
        ("IT-BO", "IT-BO"),
        ("Bologna", "IT-BO"),
        (" BO ", "IT-BO"),
        ("FO", "IT-FC"),
        ("PS", "IT-PU"),
        ("Forlì-Cesena", "IT-FC"),
        ("Forli", "IT-FC"),
        ("Reggio Emilia", "IT-RE"),
        ("Reggio nell'Emilia", "IT-RE"),
        ("Pesaro e Urbino", "IT-PU"),
        ("NA", "IT-NA"),
        ("Sud Sardegna", "IT-SU"),
        ("OT", "IT-SS"),
        ("XX", None),
        ("Reggio", None),
        ("", None),
    ],
)
def test_province_iso(code: str, iso: str | None) -> None:
    assert province_iso(code) == iso


def test_ateco() -> None:
    software = "Produzione di software non connesso all'edizione"
    for form in ("62.01", "6201", "620100", "62.01.00", "J62.01", "J 62.01"):
        assert ateco_name(form) == software, form
    assert ateco_code("620100") == "62.01.00"
    assert ateco_code("1.11") == "01.11"
    assert ateco_code("not a code") is None
    assert ateco_name("72.19.00") is not None  # zeros pad the class
    assert ateco_name("J") == "SERVIZI DI INFORMAZIONE E COMUNICAZIONE"
    assert ateco_name("99.99") is None
    assert ateco_name("62.01", edition="2025") is None  # ATECO 2025 recoded software (62.10)
    assert ateco_name("62.10", edition="2025") is not None
    assert ateco_name("74.90.31") is not None  # added by the 2022 update of ATECO 2007
    with pytest.raises(ValueError):
        ateco_name("62.01", edition="1991")


def test_gazetteer_files() -> None:
    base = ROOT / "data" / "gazetteer"
    assert (base / "municipalities.csv").stat().st_size < 700_000
    rows = read(base / "municipalities.csv")
    assert len({r["istat_code"] for r in rows}) == len(rows) > 7800
    er = [r for r in rows if r["region"] == "Emilia-Romagna"]
    assert len(er) == 330
    assert {r["province"] for r in er} == ER_PROVINCES
    assert all(in_emilia_romagna(float(r["lat"]), float(r["lon"])) for r in er)
    assert {r["precision"] for r in rows} == {"municipality", "province"}
    provinces = read(base / "provinces.csv")
    assert len(provinces) == len({r["province"] for r in rows})
    assert all(p["province"] == f"IT-{p['sigla']}" for p in provinces)
