"""The map's layers, in drawing order (bottom to top): one registry, read by ``layers.map_figure``.

Each layer is a module with ``build(dataset, selection, state, lang="en") -> list[trace]``:
pure (no Dash), so it is tested by calling it; ``lang`` words its hover text and names.
Adding a layer is adding a module and a line here.
"""

from __future__ import annotations

from collections.abc import Callable

from layers import actors_map, base_areas, cluster_extent, links_map, programme_areas, startups_map

LayerBuilder = Callable[..., list]  # (dataset, selection, state, lang="en") -> traces

#: name -> builder; order is drawing order: areas below, then links, then points (the selection's
#: halos are drawn above them by the page: ``layers.highlight``)
MAP_LAYERS: dict[str, LayerBuilder] = {
    "base_areas": base_areas.build,
    "programme_areas": programme_areas.build,
    "cluster_extent": cluster_extent.build,
    "links": links_map.build,
    "startups": startups_map.build,
    "actors": actors_map.build,
}
