"""Rewrite the field tables of ``data/README.md`` from ``data/schema.py`` (a test checks they agree)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from data.schema import schema_markdown  # noqa: E402

START, END = "## Tables\n\n", "\n## The Emilia-Romagna dataset"


def main() -> int:
    path = ROOT / "data" / "README.md"
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    path.write_text(head + START + schema_markdown() + END + tail, encoding="utf-8")
    print(f"updated {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
