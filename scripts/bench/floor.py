"""The floor of "open to both views ready": a bare static page with only the bundles the atlas serves for
its two views (plotly.js, and dash-cytoscape's bundle, which holds cytoscape.js, with the React it needs)
drawing the same number of map points and network nodes and edges as the atlas, with a preset layout.

Nothing the atlas adds (Dash's renderer, callbacks, controls, stylesheets, aggregation) is on it, so its
time is what any page drawing those two views with those libraries pays at least.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

from scripts.bench.payloads import decode_array

#: the page; ``%(data)s`` is the JSON of :func:`floor_data`
PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>floor (benchmark only)</title>
%(scripts)s
</head><body style="margin:0">
<div id="map" style="width:700px;height:600px;float:left"></div>
<div id="net" style="width:680px;height:600px;float:left"></div>
<script>
const DATA = %(data)s;
Plotly.newPlot('map', [{type: 'scattermap', mode: 'markers', lon: DATA.lon, lat: DATA.lat, marker: {size: 8}}],
               {map: {style: 'white-bg', center: DATA.center, zoom: DATA.zoom}, margin: {l: 0, r: 0, t: 0, b: 0}},
               {displayModeBar: false});
ReactDOM.createRoot(document.getElementById('net')).render(React.createElement(dash_cytoscape.Cytoscape, {
  id: 'net-cy', elements: DATA.elements, layout: {name: 'preset'}, setProps: () => {},
  style: {width: '680px', height: '600px'}}));
</script>
</body></html>
"""


def marker_points(figure: dict | None) -> list[tuple[float, float]]:
    """Every (lon, lat) drawn as a marker by the figure's ``scattermap`` traces (lines-only traces left out)."""
    points = []
    for trace in (figure or {}).get("data") or []:
        if trace.get("type") != "scattermap" or "markers" not in (trace.get("mode") or "markers"):
            continue
        for lon, lat in zip(decode_array(trace.get("lon")), decode_array(trace.get("lat")), strict=False):
            if lon is not None and lat is not None and not (math.isnan(lon) or math.isnan(lat)):
                points.append((lon, lat))
    return points


def floor_data(figure: dict | None, elements: list | None) -> dict:
    """What the floor page draws: the atlas's marker positions, and its nodes (with their positions) and
    edges reduced to ids; the atlas's map centre and zoom."""
    points = marker_points(figure)
    nodes, edges = [], []
    for i, element in enumerate(elements or []):
        data = element.get("data") or {}
        if "source" in data:
            edges.append({"data": {"id": f"e{i}", "source": data["source"], "target": data["target"]}})
        else:
            position = element.get("position") or {"x": 40 * (i % 30), "y": 40 * (i // 30)}
            nodes.append({"data": {"id": data["id"]}, "position": position})
    layout_map = ((figure or {}).get("layout") or {}).get("map") or {}
    return {
        "lon": [p[0] for p in points],
        "lat": [p[1] for p in points],
        "center": layout_map.get("center") or {"lon": 11.0, "lat": 44.5},
        "zoom": layout_map.get("zoom", 6),
        "elements": nodes + edges,
        "counts": {"points": len(points), "nodes": len(nodes), "edges": len(edges)},
    }


def bundles() -> list[Path]:
    """The installed files, in load order: plotly.js as the atlas serves it, React and ReactDOM as Dash
    serves them, and dash-cytoscape's bundle."""
    import dash
    import dash_cytoscape
    import plotly
    from dash import _dash_renderer

    deps = _dash_renderer._js_dist_dependencies[0]["relative_package_path"]["prod"]
    react = [Path(dash.__file__).parent / d for d in deps if Path(d).name.startswith(("react@", "react-dom@"))]
    return [
        Path(plotly.__file__).parent / "package_data" / "plotly.min.js",
        *react,
        Path(dash_cytoscape.__file__).parent / "dash_cytoscape.min.js",
    ]


def write_floor(directory: Path, figure: dict | None, elements: list | None) -> dict:
    """Write ``index.html`` and the bundles into ``directory``; returns the counts drawn."""
    directory.mkdir(parents=True, exist_ok=True)
    tags = []
    for path in bundles():
        if not path.exists():
            raise FileNotFoundError(f"floor page: {path} is not installed")
        shutil.copyfile(path, directory / path.name)
        tags.append(f'<script src="{path.name}"></script>')
    data = floor_data(figure, elements)
    (directory / "index.html").write_text(
        PAGE % {"scripts": "\n".join(tags), "data": json.dumps(data)}, encoding="utf-8"
    )
    return data["counts"]
