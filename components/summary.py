"""The header's one-line dataset summary: what is loaded, and whether any of it is synthetic."""

from __future__ import annotations

from dash import html

from components import ids
from components.labels import SYNTHETIC_BADGE
from data import Dataset


def layout(dataset: Dataset) -> html.P:
    """A short, factual summary of the loaded dataset."""
    counts = dataset.counts()
    actors = dataset.actors
    synthetic = int(actors["synthetic"].sum()) if len(actors) else 0
    areas = int((dataset.areas["kind"] != "country").sum())  # country outlines are background, not data
    parts: list = [f"{counts['actors']:,} actors, {counts['groupings']:,} networks and programmes, "
                   f"{areas:,} areas, {counts['links']:,} links; every record with its source."]
    if synthetic:
        parts += [" ", html.Span(SYNTHETIC_BADGE, className="badge-synthetic"),
                  f" {synthetic:,} actors are generated records with fictitious names, not facts."]
    if dataset.errors:
        parts += [" ", html.Span(f"{len(dataset.errors)} records were left out because of errors "
                                 "(python -m data check).", id=ids.DATA_PROBLEMS, className="notice-inline")]
    return html.P(parts, id=ids.SUMMARY, className="summary")
