"""The header's one-line dataset summary: what is loaded, and whether any of it is synthetic."""

from __future__ import annotations

from dash import html

from components import ids
from components.translate import T
from data import Dataset


def layout(dataset: Dataset) -> html.P:
    """A short, factual summary of the loaded dataset (in both languages; see components/translate.py)."""
    counts = dataset.counts()
    actors = dataset.actors
    synthetic = int(actors["synthetic"].sum()) if len(actors) else 0
    areas = int((dataset.areas["kind"] != "country").sum())  # country outlines are background, not data
    parts: list = T(
        "summary.counts", actors=counts["actors"], groupings=counts["groupings"], areas=areas, links=counts["links"]
    )
    if synthetic:
        parts += [
            " ",
            html.Span(T("badge.synthetic"), className="badge-synthetic"),
            " ",
            *T("summary.synthetic", count=synthetic),
        ]
    if dataset.errors:
        parts += [
            " ",
            html.Span(
                T("summary.problems", count=len(dataset.errors)), id=ids.DATA_PROBLEMS, className="notice-inline"
            ),
        ]
    return html.P(parts, id=ids.SUMMARY, className="summary")
