"""Synthetic records: the demo start-up sample and reproducible datasets at scale.

Everything made here carries ``synthetic: true`` and a ``source`` saying how it was
made. Names are obviously fictitious ("DEMO ..."); places are real municipalities from
the gazetteer, chosen at random within a province.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from data.loader import Dataset
from data.schema import ACTORS, LINKS

ADJECTIVES = ("Imaginary", "Fictional", "Pretend", "Sample", "Placeholder", "Make-Believe", "Mock", "Dummy")
NOUNS = (
    "Robotics",
    "Foods",
    "Bio",
    "Labs",
    "Materials",
    "Data",
    "Design",
    "Energy",
    "Mobility",
    "Health",
    "Sensors",
    "Fashion",
    "Software",
    "Packaging",
)
#: Link types a generated link may have, by the kind of its target.
LINK_TYPES_TO_GROUPING = ("cluster_membership", "network_membership", "programme_support")
LINK_TYPES_TO_ACTOR = ("research_collaboration", "value_chain", "part_of", "infrastructure")
GENERATED_KINDS = ("firm", "research_centre", "university", "support_body", "infrastructure")


GAZETTEER_CSV = Path(__file__).resolve().parent / "gazetteer" / "municipalities.csv"


def region_places(provinces: list[str], gazetteer_csv: Path = GAZETTEER_CSV) -> pd.DataFrame:
    """Municipalities of ``provinces`` that the gazetteer places at municipality precision."""
    gazetteer = pd.read_csv(gazetteer_csv, dtype={"istat_code": str})
    places = gazetteer[gazetteer["province"].isin(provinces) & (gazetteer["precision"] == "municipality")]
    return places[["name", "province", "lat", "lon"]].reset_index(drop=True)


def synthetic_actors(
    n: int,
    rng: np.random.Generator,
    places: pd.DataFrame,
    gvcs: pd.DataFrame,
    source: str,
    kind: str | None = None,
    id_prefix: str = "demo-su",
    province_weights: dict[str, float] | None = None,
    years: tuple[int, int] = (2013, 2015),
    cluster_only: Sequence[str] = (),
) -> pd.DataFrame:
    """``n`` synthetic actors (start-ups unless ``kind`` says otherwise) in the ACTORS layout.

    Provinces are drawn by ``province_weights`` (uniform if None), then a municipality
    uniformly within the province; one value chain each, with its cluster, drawn uniformly
    among the value chains and the clusters of ``cluster_only`` (clusters whose value chains
    the data does not name: such an actor is tagged with the cluster only).
    """
    if places.empty:
        raise ValueError("no places to put synthetic actors in")
    provinces = sorted(places["province"].unique())
    weights = np.array([(province_weights or {}).get(p, 1.0) for p in provinces], dtype=float)
    weights = weights / weights.sum()
    chosen_prov = rng.choice(len(provinces), size=n, p=weights)
    by_prov = {p: places.index[places["province"] == p].to_numpy() for p in provinces}
    place_idx = np.array([rng.choice(by_prov[provinces[i]]) for i in chosen_prov]) if n else np.array([], int)
    picked = places.loc[place_idx].reset_index(drop=True) if n else places.iloc[0:0]
    units = len(gvcs) + len(cluster_only)
    gvc_idx = rng.integers(0, units, size=n) if units else np.zeros(n, dtype=int)
    unit_gvcs = np.array([*gvcs["id"].to_numpy(), *([""] * len(cluster_only))] or [""], dtype=object)
    unit_clusters = np.array([*gvcs["cluster"].to_numpy(), *cluster_only] or [""], dtype=object)
    gvc_ids, clusters = unit_gvcs[gvc_idx], unit_clusters[gvc_idx]
    kinds = np.array([kind] * n) if kind else np.array(GENERATED_KINDS)[rng.integers(0, len(GENERATED_KINDS), size=n)]
    adjectives = np.array(ADJECTIVES)[rng.integers(0, len(ADJECTIVES), size=n)]
    nouns = np.array(NOUNS)[rng.integers(0, len(NOUNS), size=n)]
    width = max(4, len(str(n)))
    numbers = [f"{i:0{width}d}" for i in range(1, n + 1)]
    frame = pd.DataFrame(
        {
            "id": [f"{id_prefix}-{num}" for num in numbers],
            "kind": kinds,
            "name": [f"DEMO {a} {b} {num}" for a, b, num in zip(adjectives, nouns, numbers, strict=True)],
            "name_it": "",
            "lon": picked["lon"].to_numpy(),
            "lat": picked["lat"].to_numpy(),
            "location_precision": "municipality",
            "province": picked["province"].to_numpy(),
            "municipality": picked["name"].to_numpy(),
            "gvcs": gvc_ids,
            "clusters": clusters,
            "year": rng.integers(years[0], years[1] + 1, size=n),
            "url": "",
            "sector_code": "",
            "sector_name": "",
            "description": "",
            "source": source,
            "source_date": "",
            "confidence": "synthetic",
            "synthetic": "true",
            "note": "Synthetic demo record: fictitious name, random value chain, real municipality.",
        }
    )
    return frame[[f.name for f in ACTORS.fields]]


def synthetic_links(
    n: int, rng: np.random.Generator, actor_ids: np.ndarray, grouping_ids: np.ndarray, gvc_ids: np.ndarray, source: str
) -> pd.DataFrame:
    """``n`` synthetic links from random actors to random actors or groupings."""
    starts = actor_ids[rng.integers(0, len(actor_ids), size=n)]
    to_grouping = rng.random(n) < 0.4 if len(grouping_ids) else np.zeros(n, dtype=bool)
    ends = np.where(
        to_grouping,
        grouping_ids[rng.integers(0, max(len(grouping_ids), 1), size=n)] if len(grouping_ids) else starts,
        actor_ids[rng.integers(0, len(actor_ids), size=n)],
    )
    types = np.where(
        to_grouping,
        np.array(LINK_TYPES_TO_GROUPING)[rng.integers(0, 3, size=n)],
        np.array(LINK_TYPES_TO_ACTOR)[rng.integers(0, 4, size=n)],
    )
    gvcs = gvc_ids[rng.integers(0, len(gvc_ids), size=n)] if len(gvc_ids) else np.array([""] * n)
    width = max(4, len(str(n)))
    frame = pd.DataFrame(
        {
            "id": [f"syn-l-{i:0{width}d}" for i in range(1, n + 1)],
            "source_id": starts,
            "target_id": ends,
            "link_type": types,
            "gvcs": gvcs,
            "year": rng.integers(2012, 2026, size=n),
            "weight": np.round(rng.random(n) * 4 + 1, 2),
            "source": source,
            "source_date": "",
            "confidence": "synthetic",
            "synthetic": "true",
            "note": "Synthetic link for benchmarks.",
        }
    )
    # Drawn after every other column, so the same seed still writes the same links as before end
    # years existed: about one link in six ended, 0-5 years after it started (compared views).
    ended = rng.random(n) < 1 / 6
    last = np.minimum(frame["year"].to_numpy() + rng.integers(0, 6, size=n), 2025)  # not after the last start
    frame["end_year"] = pd.Series(last, index=frame.index, dtype="Int64").where(ended)
    return frame[[f.name for f in LINKS.fields]]


def generate_dataset(
    base: Dataset, out_dir: str | Path, startups: int, actors: int, links: int, seed: int
) -> dict[str, int]:
    """Write a synthetic dataset at scale to ``out_dir``; return the counts written.

    The reference tables (sectors, value chains, groupings, areas) are copied unchanged
    from ``base`` with their real sources; every generated actor, start-up and link is
    synthetic. The same arguments always write the same files.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for pattern in ("sectors.csv", "gvcs.csv", "groupings.csv", "areas*.geojson", "areas*.gpkg"):
        for path in base.directory.glob(pattern):
            shutil.copyfile(path, out / path.name)
    meta = dict(base.meta)
    meta["title"] = f"Synthetic benchmark dataset (seed {seed}) on {meta.get('title', base.directory.name)}"
    meta["synthetic"] = True
    (out / "dataset.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    rng = np.random.default_rng(seed)
    region_provinces = sorted(base.areas.loc[base.areas["kind"] == "province", "id"])
    places = region_places(region_provinces)
    source = f"Synthetic: python -m data generate --startups {startups} --actors {actors} --links {links} --seed {seed}"
    gvcs = base.gvcs
    frames = [
        synthetic_actors(startups, rng, places, gvcs, source, "startup", "syn-su"),
        synthetic_actors(actors, rng, places, gvcs, source, None, "syn-a"),
    ]
    all_actors = pd.concat(frames, ignore_index=True)
    all_actors.to_csv(out / "actors-synthetic.csv", index=False)
    link_frame = synthetic_links(
        links, rng, all_actors["id"].to_numpy(), base.groupings["id"].to_numpy(), gvcs["id"].to_numpy(), source
    )
    link_frame.to_csv(out / "links-synthetic.csv", index=False)
    return {"startups": startups, "actors": actors, "links": links}
