"""Fill blank ``source_date`` cells from the date a source's address carries.

News sites and official pages put their publication date in the address
(``.../2018/02/19/...``, ``.../2018/dicembre/...``, ``.../16-06-2021/...``). Where a record's
``source_date`` is blank and one of its sources' addresses carries such a date, the first one
found is written, as ``YYYY-MM-DD`` or ``YYYY-MM``. Nothing else is changed; records whose
sources carry no date keep a blank. Running it again changes nothing.

Usage: ``python scripts/fill_source_dates.py [DIR]`` (default: the shipped dataset).
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from data.loader import DEFAULT_DATA_DIR  # noqa: E402

MONTHS_IT = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
             "ottobre", "novembre", "dicembre")  # fmt: skip
YEAR = r"(19[89]\d|20[0-4]\d)"
PATTERNS = (
    (re.compile(rf"/{YEAR}/(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])(?:/|$)"), lambda m: f"{m[1]}-{m[2]}-{m[3]}"),
    (re.compile(rf"/(0[1-9]|[12]\d|3[01])-(0[1-9]|1[0-2])-{YEAR}/"), lambda m: f"{m[3]}-{m[2]}-{m[1]}"),
    (re.compile(rf"/{YEAR}/(0[1-9]|1[0-2])(?:/|$)"), lambda m: f"{m[1]}-{m[2]}"),
    (re.compile(rf"/{YEAR}/({'|'.join(MONTHS_IT)})(?:/|$)"), lambda m: f"{m[1]}-{MONTHS_IT.index(m[2]) + 1:02d}"),
)


def date_in(source: str) -> str:
    """The first date an address in ``source`` carries, else ""."""
    for url in re.findall(r"https?://\S+", source):
        for pattern, form in PATTERNS:
            match = pattern.search(url)
            if match:
                return form(match)
    return ""


def fill(path: Path) -> int:
    """Fill ``path``'s blank source dates; return how many were filled."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames or [], list(reader)
    if "source_date" not in fields:
        return 0
    filled = 0
    for row in rows:
        if not row["source_date"].strip() and row.get("synthetic", "").strip().lower() != "true":
            date = date_in(row.get("source", ""))
            if date:
                row["source_date"] = date
                filled += 1
    if filled:
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return filled


def main(argv: list[str]) -> int:
    directory = Path(argv[0]) if argv else DEFAULT_DATA_DIR
    for path in sorted(directory.glob("*.csv")):
        n = fill(path)
        if n:
            print(f"{path.name}: {n} source dates filled")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
