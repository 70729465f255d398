"""Problems found while reading or validating a dataset."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Problem:
    """One problem, located by file, row and field.

    ``row`` is 1-based and counts the header as row 1 (as a spreadsheet shows it); for
    GeoJSON and GeoPackage it is the feature's position, starting at 1. ``None`` means
    the problem concerns the whole file or column.
    """

    file: str
    row: int | None
    field: str | None
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field '{self.field}'"
        label = "warning" if self.severity == "warning" else "error"
        return f"{where}: {label}: {self.message}"
