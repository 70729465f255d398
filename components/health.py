"""``/healthz``: what a load balancer or an operator asks a worker: is it up, which data does it
serve (the database's dataset version, or a digest of the dataset's files, so that several
workers or machines can be compared), how many records it holds, and whether its database
answers. JSON; 200 while the worker can answer; never cached."""

from __future__ import annotations

from pathlib import Path

from flask import jsonify

from components import shared_cache
from data import Dataset, database, load_dataset


def dataset_version(dataset: Dataset) -> str:
    """The database's version number, or a short digest of the dataset's files (its fingerprint,
    computed once per dataset): two workers with the same version serve the same data."""
    return dataset.version or dataset.fingerprint


def health(dataset: Dataset) -> tuple[dict, int]:
    """The answer of ``/healthz`` for ``dataset``, and its status code: 503 while a database
    deployment has no dataset to serve (never reached, or nothing loaded)."""
    answer = {
        "status": "ok",
        "dataset": dataset.meta.get("title", Path(dataset.directory).name),
        "source": dataset.origin,
        "version": dataset_version(dataset),
        "records": {name: len(dataset.frame(name)) for name in ("actors", "groupings", "areas", "links")},
        "problems": sum(1 for p in dataset.problems if p.severity == "error"),
        "cache": shared_cache.status(),
    }
    url = database.database_url() if dataset.origin == "database" else None
    if url:
        up = database.reachable(url)
        answer["database"] = "reachable" if up else "unreachable"
        if not dataset.version:
            answer["status"] = "no dataset"
            return answer, 503
        if not up:  # still serving the version it read; a new one cannot be noticed meanwhile
            answer["status"] = "degraded"
    return answer, 200


def register(app) -> None:
    """The route, below the app's path prefix."""
    prefix = app.config.routes_pathname_prefix or "/"

    def healthz():
        answer, status = health(load_dataset())
        response = jsonify(answer)
        response.status_code = status
        response.headers["Cache-Control"] = "no-store"
        return response

    app.server.add_url_rule(prefix + "healthz", "atlas_healthz", healthz)
