"""``/healthz``: what a load balancer or an operator asks a worker: is it up, which data does it
serve (a version of the dataset's files, so that several workers or machines can be compared),
and how many records it holds. JSON; 200 while the worker can answer; never cached."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import jsonify

from data import Dataset, load_dataset


@lru_cache(maxsize=4)
def files_version(dataset: Dataset) -> str:
    """A short digest of the dataset's files (names and bytes, the stories too): two workers with
    the same version serve the same data."""
    digest = hashlib.sha256()
    root = Path(dataset.directory)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def health(dataset: Dataset) -> dict:
    """The answer of ``/healthz`` for ``dataset``."""
    return {
        "status": "ok",
        "dataset": dataset.meta.get("title", Path(dataset.directory).name),
        "version": files_version(dataset),
        "records": {name: len(dataset.frame(name)) for name in ("actors", "groupings", "areas", "links")},
        "problems": sum(1 for p in dataset.problems if p.severity == "error"),
    }


def register(app) -> None:
    """The route, below the app's path prefix."""
    prefix = app.config.routes_pathname_prefix or "/"

    def healthz():
        response = jsonify(health(load_dataset()))
        response.headers["Cache-Control"] = "no-store"
        return response

    app.server.add_url_rule(prefix + "healthz", "atlas_healthz", healthz)
