"""Rebuild the shipped demo sample of 551 synthetic innovative start-ups.

The slides count 551 innovative start-ups in Emilia-Romagna (2015). The real list is not
shipped; this sample stands in for it, flagged ``synthetic`` everywhere. It is seeded and
reproducible: running this script again writes the same file.

- names: obviously fictitious ("DEMO Imaginary Robotics 0042");
- places: real municipalities of the region (gazetteer: ISTAT list, GeoNames coordinates),
  drawn uniformly within a province;
- provinces: drawn with the shares ASTER published for April 2015 (BO 28%, MO 22%, RE 11%,
  PR 9%, FC 7%, RA/FE/PC 6% each, RN 4%), so the sample's geography resembles the real one;
- value chain: one of the 18 sourced value chains at random, or one of the clusters whose value
  chains the data does not name (Agrifood, Build, Innovate: tagged with the cluster only, so no
  cluster looks empty); year 2013-2015 at random;
- confidence "synthetic": no record of it is a fact.

Usage: ``python scripts/build_demo_startups.py``
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from data.generate import region_places, synthetic_actors  # noqa: E402
from data.loader import DEFAULT_DATA_DIR, read_dataset  # noqa: E402

SEED = 551
SLIDES_YEAR = 2018
COUNT = 551
SHARES_SOURCE = (
    "https://www.techeconomy2030.it/2015/04/27/aster-emilia-romagna-seconda-regione-per-numero-startup-innovative/"
)
PROVINCE_SHARES = {
    "IT-BO": 28,
    "IT-MO": 22,
    "IT-RE": 11,
    "IT-PR": 9,
    "IT-FC": 7,
    "IT-RA": 6,
    "IT-FE": 6,
    "IT-PC": 6,
    "IT-RN": 4,
}
OUTPUT = DEFAULT_DATA_DIR / "actors-startups-demo.csv"


def main() -> None:
    dataset = read_dataset(DEFAULT_DATA_DIR)
    places = region_places(sorted(PROVINCE_SHARES))
    source = (
        f"Synthetic demo sample: scripts/build_demo_startups.py, seed {SEED}; {COUNT} records to match "
        "the slides' count of 551 innovative start-ups (2015); fictitious names; real municipalities "
        f"(ISTAT/GeoNames gazetteer); province shares from ASTER, April 2015 ({SHARES_SOURCE})"
    )
    groupings = dataset.groupings
    # the slides' clusters (founded 2017), not those founded after the sample's years (Tourism, 2022)
    clusters = groupings.loc[(groupings["kind"] == "cluster") & (groupings["year"] <= SLIDES_YEAR), "id"]
    cluster_only = sorted(set(clusters) - set(dataset.gvcs["cluster"]))
    source += f"; value chain or, for {', '.join(cluster_only)}, the cluster only, at random"
    frame = synthetic_actors(
        COUNT,
        np.random.default_rng(SEED),
        places,
        dataset.gvcs,
        source,
        "startup",
        "demo-su",
        PROVINCE_SHARES,
        cluster_only=cluster_only,
    )
    frame.to_csv(OUTPUT, index=False)
    print(f"wrote {len(frame)} synthetic start-ups to {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
