"""The view state and its URL form: the public contract of links, embeds and presentations.

Pure Python (no Dash): parsed and validated in one place, tested without a browser.

Query parameters (all optional; defaults are left out of URLs to keep them short):

``view``    map | network | split | table | strengths | sundial    (default split)
``scope``   region | world                                         (default region)
``gvc``     value-chain ids; a cluster or sector id stands for all its value chains
``link``    link types
``kind``    actor or grouping kinds
``prov``    province ids (ISO 3166-2, e.g. IT-BO)
``year``    ``2015`` or ``2013-2019``
``compare`` two years, ``2015,2024``: links at the first date, the second or both (core.compare);
            while it is on, the year filter is set aside
``q``       free-text search over names
``sel``     the selected element's id
``areas``   network/programme areas drawn on the map (grouping ids)
``layout``  network layout: cluster | geo | force                  (default cluster)
``map``     the map's camera: ``lat,lon,zoom`` (default: the scope's home view)
``net``     the network's viewport: ``zoom,x,y`` (cytoscape zoom and pan; default: fitted)
``rank``    the network-metrics ranking shown: hubs | brokers | abroad  (default none)
``suggest`` ``1``: suggested partners of the selected element (core.suggest), drawn dashed in the
            network and listed in its details; never counted or exported as links
``size``    what the network's node size follows: degree | betweenness | bridging (default its drawn links)

Lists are comma-separated. Unknown parameters and values are ignored and named in a
notice, never an error. Future versions keep reading these names: a renamed parameter
goes into ``ALIASES`` rather than breaking old links.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, quote

from core.i18n import t
from core.vocabulary import Vocabulary

VIEWS = ("split", "map", "network", "table", "strengths", "sundial")
SCOPES = ("region", "world")
LAYOUTS = ("cluster", "geo", "force")
#: the rankings of network metrics (core.metrics): "" shows none
RANKINGS = ("", "hubs", "brokers", "abroad")
#: the metrics a node's size can follow: "" is its drawn links (the default drawing)
SIZES = ("", "degree", "betweenness", "bridging")
LIST_PARAMS = ("gvc", "link", "kind", "prov", "areas")
PARAMS = (
    "view",
    "scope",
    "gvc",
    "link",
    "kind",
    "prov",
    "year",
    "compare",
    "q",
    "sel",
    "areas",
    "layout",
    "rank",
    "size",
    "suggest",
    "map",
    "net",
)
#: camera parameters: their three numbers, their allowed ranges, and the decimals kept in URLs
CAMERAS = {
    "map": (("lat", -85.0, 85.0, 4), ("lon", -180.0, 180.0, 4), ("zoom", 0.0, 22.0, 2)),
    "net": (("zoom", 0.05, 4.0, 3), ("x", -1e6, 1e6, 0), ("y", -1e6, 1e6, 0)),
}
#: old parameter name -> current name (none renamed yet; old URLs must keep working)
ALIASES: dict[str, str] = {}
#: parameters other parts of the atlas own (presentations, language, exports in the embed); not errors here
PASSTHROUGH = ("lang", "step", "embed", "show", "export", "details", "stage", "scene", "include")
YEAR_RE = re.compile(r"^(\d{4})(?:-(\d{4}))?$")
#: the years a comparison may name (four digits, as the ``year`` filter reads them)
MIN_YEAR, MAX_YEAR = 1000, 9999
_COMPARE_RE = re.compile(r"^\s*([0-9]{4})\s*,\s*([0-9]{4})\s*$")  # [0-9]: \d also matches other scripts' digits
MAX_Q = 100
#: the longest id, and the most items of a list, a stored state may hold (a URL's are checked against
#: the vocabulary; a store's come from the page, and a tampered one must not cost unbounded work)
MAX_ID = 200
MAX_LIST = 500


class Notice(str):
    """A problem found in a URL: reads as its English text; ``key`` and ``values`` let the page
    say it in the reader's language (``core.i18n``)."""

    key: str
    values: dict[str, str]

    def __new__(cls, key: str, **values: str) -> Notice:  # noqa: D102 - documented by the class
        notice = super().__new__(cls, t(key, "en", **values))
        notice.key, notice.values = key, values
        return notice


@dataclass(frozen=True)
class ViewState:
    """Everything that defines what the atlas shows. Immutable; hashable (used as a cache key)."""

    view: str = "split"
    scope: str = "region"
    gvc: tuple[str, ...] = ()
    link: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    prov: tuple[str, ...] = ()
    year: tuple[int, int] | None = None
    #: two years compared (first < second): links existing at either are shown, marked added or ended
    compare: tuple[int, int] | None = None
    q: str = ""
    sel: str = ""
    areas: tuple[str, ...] = ()
    layout: str = "cluster"
    #: the ranking of network metrics shown beside the network ("" none; see RANKINGS)
    rank: str = ""
    #: the metric the network's node size follows ("" its drawn links; see SIZES)
    size: str = ""
    #: suggested partners of the selected element shown (URL ``suggest=1``)
    suggest: bool = False
    #: the map's camera (lat, lon, zoom); None: the scope's home view
    map: tuple[float, float, float] | None = None
    #: the network's viewport (zoom, pan x, pan y); None: fitted to the drawing
    net: tuple[float, float, float] | None = None
    _extra: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)

    def filters(self) -> tuple:
        """The part of the state that decides *what* is shown (the selection's cache key)."""
        # a comparison sets the year filter aside (it would hide the very links compared: core/compare.py)
        year = None if self.compare else self.year
        return (self.gvc, self.link, self.kind, self.prov, year, self.q.strip().lower(), self.compare)

    def with_(self, **changes: Any) -> ViewState:
        """A copy with ``changes`` applied (the state is immutable)."""
        return replace(self, **changes)


def parse_query(query: str, vocab: Vocabulary) -> tuple[ViewState, list[Notice]]:
    """Parse a query string (with or without ``?``) into a state and the notices to show."""
    notices: list[Notice] = []
    values: dict[str, object] = {}
    extra: list[tuple[str, str]] = []
    for raw_key, raw_value in parse_qsl(query.lstrip("?"), keep_blank_values=True):
        key = ALIASES.get(raw_key, raw_key)
        value = raw_value.strip()
        if key in PASSTHROUGH:
            extra.append((key, value))  # kept, so that a click in a presentation keeps its step
            continue
        if key not in PARAMS:
            notices.append(Notice("notice.unknown_param", name=raw_key))
            continue
        if key in values:
            notices.append(Notice("notice.twice", name=key))
            continue
        parsed, problem = _parse_value(key, value, vocab)
        if problem:
            notices.append(problem)
        if parsed is not None:
            values[key] = parsed
    # the ignore below: each value has its parameter's type (see _parse_value); the dict of them is object-typed
    return ViewState(**values, _extra=tuple(extra)), notices  # type: ignore[arg-type]


def _parse_value(key: str, value: str, vocab: Vocabulary) -> tuple[object, Notice | None]:
    choices = {"view": VIEWS, "scope": SCOPES, "layout": LAYOUTS, "rank": RANKINGS, "size": SIZES}
    if key in choices:
        if value in choices[key]:
            return value, None
        listed = ", ".join(c for c in choices[key] if c)
        return None, Notice("notice.bad_choice", name=key, value=value, allowed=listed)
    if key == "suggest":
        if value in ("1", "0"):
            return value == "1", None
        return None, Notice("notice.bad_choice", name=key, value=value[:40], allowed="1")
    if key == "compare":
        years = parse_compare(value)
        return (years, None) if years else (None, Notice("compare.notice_bad", value=value[:40]))
    if key == "year":
        match = YEAR_RE.match(value)
        if not match:
            return None, Notice("notice.bad_year", value=value)
        start, end = int(match.group(1)), int(match.group(2) or match.group(1))
        return (min(start, end), max(start, end)), None
    if key in CAMERAS:
        camera = parse_camera(key, value)
        if camera is None:
            form = ",".join(name for name, *_ in CAMERAS[key])
            return None, Notice("notice.bad_camera", name=key, form=form, value=value[:40])
        return camera, None
    if key == "q":
        return value[:MAX_Q], (Notice("notice.q_shortened") if len(value) > MAX_Q else None)
    if key == "sel":
        if not value:
            return None, None
        value = vocab.renamed.get(value, value)  # an id of an earlier version of the data
        return (value, None) if value in vocab.element_ids else (None, Notice("notice.sel_missing", value=value))
    items = [v.strip() for v in value.split(",") if v.strip()]
    allowed = {
        "gvc": set(vocab.gvcs) | set(vocab.gvc_groups),
        "link": set(vocab.link_types),
        "kind": set(vocab.kinds),
        "prov": set(vocab.provinces),
        "areas": set(vocab.area_layers),
    }[key]
    unknown = [i for i in items if i not in allowed]
    known = [i for i in items if i in allowed]
    if key == "gvc":
        expanded: list[str] = []
        for item in known:
            expanded.extend(vocab.gvc_groups.get(item, (item,)))
        known = expanded
    order = {
        "gvc": vocab.gvcs,
        "link": vocab.link_types,
        "kind": vocab.kinds,
        "prov": vocab.provinces,
        "areas": vocab.area_layers,
    }[key]
    canonical = tuple(i for i in order if i in set(known))
    problem = Notice("notice.unknown_values", name=key, values=", ".join(unknown)) if unknown else None
    return canonical, problem


def to_query(state: ViewState, vocab: Vocabulary) -> str:
    """The shortest query string that reproduces ``state`` (``""`` for the default view)."""
    default = ViewState()
    parts: list[tuple[str, str]] = []
    for key in PARAMS:
        value = getattr(state, key)
        if value == getattr(default, key):
            continue
        if key == "gvc":
            text = ",".join(compress_gvcs(value, vocab))
        elif key in LIST_PARAMS:
            text = ",".join(value)
        elif key == "compare":
            text = format_compare(*value)
        elif key == "suggest":
            text = "1"
        elif key == "year":
            text = str(value[0]) if value[0] == value[1] else f"{value[0]}-{value[1]}"
        elif key in CAMERAS:
            text = camera_text(key, value)
        else:
            text = str(value)
        parts.append((key, text))
    parts.extend(state._extra)
    return ("?" + "&".join(f"{k}={quote(v, safe=',-_.')}" for k, v in parts)) if parts else ""


def parse_camera(key: str, text: str) -> tuple[float, float, float] | None:
    """``"44.5,11.3,7.2"`` as the camera ``key`` (``map`` or ``net``), rounded as URLs keep it;
    None unless it is exactly three finite numbers within the parameter's ranges."""
    parts = text.split(",")
    if len(parts) != 3 or any(len(p) > 20 for p in parts):
        return None
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        return None
    out = []
    for number, (_name, low, high, decimals) in zip(numbers, CAMERAS[key], strict=True):
        if not low <= number <= high:  # also false for nan; inf is out of range
            return None
        out.append(round(number, decimals) + 0.0)  # + 0.0: no "-0" in URLs
    return (out[0], out[1], out[2])


def camera_text(key: str, camera: tuple[float, float, float]) -> str:
    """The URL form of a camera: its numbers with the decimals :data:`CAMERAS` keeps, no trailing zeros."""
    texts = []
    for number, (_name, _low, _high, decimals) in zip(camera, CAMERAS[key], strict=True):
        text = f"{round(number, decimals) + 0.0:.{decimals}f}"
        texts.append(text.rstrip("0").rstrip(".") if "." in text else text)
    return ",".join(texts)


def compress_gvcs(gvcs: tuple[str, ...], vocab: Vocabulary) -> list[str]:
    """Replace whole clusters or sectors by their id, largest groups first, to keep URLs short."""
    remaining = set(gvcs)
    out: list[str] = []
    for group, members in sorted(vocab.gvc_groups.items(), key=lambda kv: -len(kv[1])):
        if members and set(members) <= remaining:
            out.append(group)
            remaining -= set(members)
    out.extend(g for g in vocab.gvcs if g in remaining)
    return out


def state_to_dict(state: ViewState) -> dict:
    """JSON-ready form for a dcc.Store."""
    return {
        "view": state.view,
        "scope": state.scope,
        "gvc": list(state.gvc),
        "link": list(state.link),
        "kind": list(state.kind),
        "prov": list(state.prov),
        "year": list(state.year) if state.year else None,
        "compare": list(state.compare) if state.compare else None,
        "q": state.q,
        "sel": state.sel,
        "areas": list(state.areas),
        "layout": state.layout,
        "rank": state.rank,
        "size": state.size,
        "suggest": state.suggest,
        "map": list(state.map) if state.map else None,
        "net": list(state.net) if state.net else None,
    }


def state_from_dict(data: object) -> ViewState:
    """Inverse of :func:`state_to_dict`. Tolerates missing keys, and anything a tampered store or
    callback body may hold: a value of the wrong kind is the default, lists are bounded."""
    if not data or not isinstance(data, dict):
        return ViewState()
    return ViewState(
        view=_choice(data.get("view"), VIEWS),
        scope=_choice(data.get("scope"), SCOPES),
        gvc=_names(data.get("gvc")),
        link=_names(data.get("link")),
        kind=_names(data.get("kind")),
        prov=_names(data.get("prov")),
        year=_years(data.get("year")),
        compare=_compared(data.get("compare")),
        q=data["q"][:MAX_Q] if isinstance(data.get("q"), str) else "",
        sel=data["sel"][:MAX_ID] if isinstance(data.get("sel"), str) else "",
        areas=_names(data.get("areas")),
        layout=_choice(data.get("layout"), LAYOUTS),
        rank=_choice(data.get("rank"), RANKINGS),
        size=_choice(data.get("size"), SIZES),
        suggest=data.get("suggest") is True,
        map=_camera(data.get("map")),
        net=_camera(data.get("net")),
    )


def _choice(value: object, allowed: tuple[str, ...]) -> str:
    return value if isinstance(value, str) and value in allowed else allowed[0]


def _names(value: object) -> tuple[str, ...]:
    """A list of ids: its strings (no longer than an id can be), at most :data:`MAX_LIST` of them."""
    if not isinstance(value, list | tuple):
        return ()
    return tuple(v for v in value[:MAX_LIST] if isinstance(v, str) and len(v) <= MAX_ID)


def _compared(value: object) -> tuple[int, int] | None:
    years = _years(value)
    return years if years and years[0] < years[1] and years[0] >= MIN_YEAR else None


def parse_compare(text: str | None) -> tuple[int, int] | None:
    """The two years of a ``compare`` URL value (``"2015,2020"``), earlier first; None when ``text``
    is not two different four-digit years (1000-9999) separated by a comma.

    Order is normalised (``"2020,2015"`` reads as 2015, 2020): which year comes first in a URL
    carries no meaning an official would intend. Two equal years are rejected: a year compared with
    itself has no change to show, so such a link is more likely a typing slip than a question.
    """
    match = _COMPARE_RE.match(text or "")
    if not match:
        return None
    a, b = int(match.group(1)), int(match.group(2))
    if a == b or not (min(a, b) >= MIN_YEAR and max(a, b) <= MAX_YEAR):
        return None
    return (min(a, b), max(a, b))


def format_compare(first: int, second: int) -> str:
    """The ``compare`` URL value of two years (what :func:`parse_compare` reads back)."""
    return f"{min(first, second)},{max(first, second)}"


def _years(value: object) -> tuple[int, int] | None:
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) and abs(v) < 10_000 for v in value):
        return None
    return (int(value[0]), int(value[1]))


def _camera(value: object) -> tuple[float, float, float] | None:
    if not isinstance(value, list | tuple) or len(value) != 3:
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        return None
    camera = (float(value[0]), float(value[1]), float(value[2]))
    return camera if all(math.isfinite(v) for v in camera) else None


# --- slices: the state as the page holds it ------------------------------------------------------
#
# The page keeps the state in slices, one store each, so that each view listens only to what it
# draws: the filters (every view), the view switch, the map's options (scope, drawn areas, and how
# much room the map has) and the network's (layout, shown or not). A layout change then never
# touches the map, and an overlay switch never touches the network.

FILTER_KEYS = ("gvc", "link", "kind", "prov", "year", "q", "compare")
#: how the map is shown in each view: its own width decides the fitted zoom
MAP_ROOM = {
    "split": "half",
    "map": "wide",
    "network": "hidden",
    "table": "hidden",
    "strengths": "hidden",
    "sundial": "hidden",
}


def slices(state: ViewState) -> dict[str, object]:
    """The state as the page's stores: ``filters``, ``view``, ``map`` and ``network`` options, the map's
    ``camera``, the network's ``viewport``, the metrics' ``rank`` and the node ``size`` (the selection
    and the language have stores of their own)."""
    data = state_to_dict(state)
    return {
        "filters": {k: data[k] for k in FILTER_KEYS},
        "view": state.view,
        "map": {"scope": state.scope, "areas": list(state.areas), "room": MAP_ROOM[state.view]},
        "network": {"layout": state.layout, "shown": state.view in ("split", "network")},
        "camera": data["map"],
        "viewport": data["net"],
        # the metrics' ranking and the node size: each its own store, so a ranking shown never
        # restyles the network, and a size chosen never re-sends its elements
        "rank": state.rank,
        "size": state.size,
        "suggest": state.suggest,
    }


def state_from_slices(
    filters: dict | None = None,
    view: str | None = None,
    map_options: dict | None = None,
    network_options: dict | None = None,
) -> dict:
    """A view-state dict (:func:`state_to_dict` form, without ``sel``) from the slices a callback listens to.

    A slice not given leaves its defaults; a view not given is implied by the slices that are, so
    that the map callback, which does not listen to the view switch, still knows its room and
    whether it is hidden (and the network likewise)."""
    data: dict = dict(filters or {})
    if view is None:
        view = "split"
        if map_options is not None:
            view = {"wide": "map", "hidden": "network"}.get(map_options.get("room", "half"), "split")
        elif network_options is not None and not network_options.get("shown", True):
            view = "map"
    data["view"] = view
    if map_options:
        data["scope"], data["areas"] = map_options.get("scope") or "region", list(map_options.get("areas") or ())
    if network_options:
        data["layout"] = network_options.get("layout") or "cluster"
    return data
