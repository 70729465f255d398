"""Every component id of the page, in one place, so callbacks and tests agree on them."""

PAGE = "atlas-page"
URL = "atlas-url"

# Stores written by the URL/state callback (components/url.py); everything else reads them.
# The view state in slices (core.state.slices), each changed only when its value changes:
#: the filters {gvc, link, kind, prov, year, q}: what every view shows
FILTER_STATE = "atlas-filter-state"
#: the view switch: "split", "map", "network" or "table"
VIEW_MODE = "atlas-view-mode"
#: what only the map draws: {scope, areas, room: "half" | "wide" | "hidden"}
MAP_OPTIONS = "atlas-map-options"
#: what only the network draws: {layout, shown}
NETWORK_OPTIONS = "atlas-network-options"
#: the map's camera [lat, lon, zoom], or null for the scope's home view (URL ``map``)
MAP_CAMERA = "atlas-map-camera"
#: the network's viewport [zoom, pan x, pan y], or null when fitted (URL ``net``)
NETWORK_VIEWPORT = "atlas-network-viewport"
#: the ranking of network metrics shown ("", "hubs", "brokers", "abroad"; URL ``rank``)
RANKING = "atlas-ranking"
#: the metric the network's node size follows ("" its drawn links; URL ``size``)
NODE_SIZE = "atlas-node-size"
#: the selected element id ("" for none)
SELECTION = "atlas-selection"
#: the interface language (a code of core.i18n.LANGUAGES): from ``?lang=``, else the browser's language
LANG = "atlas-lang"
LANG_STRINGS = "atlas-lang-strings"  # attribute texts and the page title, per language
#: the language switch's link to language ``code``: ``LANG_LINK + code``
LANG_LINK = "atlas-lang-"
NOTICE = "atlas-notice"
NOTICE_TEXT = "atlas-notice-text"
NOTICE_DATA = "atlas-notice-data"  # the link's problems as [key, values] (worded per language)
NOTICE_CLOSE = "atlas-notice-close"

# Dataset summary (components/summary.py)
SUMMARY = "atlas-summary"
GVC_NOTE = "atlas-gvc-note"
DATA_PROBLEMS = "atlas-data-problems"

# Filters (components/filters.py)
FILTERS = "atlas-filters"
VIEW = "filter-view"
SCOPE = "filter-scope"
GVC_LIST = "filter-gvc"  # pattern-matching: {"type": GVC_LIST, "cluster": <cluster id>}
GVC_GROUP_BUTTON = "filter-gvc-group"  # {"type": ..., "group": <cluster or sector id>}
LINK = "filter-link"
KIND = "filter-kind"
PROV = "filter-prov"
YEAR = "filter-year"
SEARCH = "filter-search"
AREAS = "filter-areas"
RESET = "filter-reset"
COMPARE_ON = "filter-compare-on"  # "compare two dates" ticked (URL ``compare``)
COMPARE_YEARS = "filter-compare"  # the two years compared
COMPARE_COUNTS = "filter-compare-counts"  # "+12 links since 2015, 3 ended"
COUNTS = "filter-counts"

# Map (components/map_panel.py)
MAP = "atlas-map"
MAP_PANEL = "atlas-map-panel"
MAP_LEGEND = "atlas-map-legend"
MAP_HIGHLIGHT = "atlas-map-highlight"  # the selection's halos, drawn by assets/map_highlight.js
MAP_HIGHLIGHT_REQUEST = "atlas-map-highlight-request"  # [selected, filters, map options], or null
MAP_OUTSIDE = "atlas-map-outside"  # the list of actors beyond the region, in the map legend

# Network (components/network_panel.py)
NETWORK = "atlas-network"
NETWORK_PANEL = "atlas-network-panel"
NETWORK_LAYOUT = "network-layout"
NETWORK_NOTICE = "atlas-network-notice"
NETWORK_LEGEND = "atlas-network-legend"
NETWORK_EXPANDED = "atlas-network-expanded"

# The value-chain strengths view (components/strengths_panel.py)
STRENGTHS_PANEL = "atlas-strengths-panel"
STRENGTHS_GRAPH = "atlas-strengths"  # value chains by province
ABROAD_GRAPH = "atlas-abroad"  # value chains by partners abroad
STRENGTHS_REQUEST = "atlas-strengths-request"  # [filters, language] while the view is open

# The sundial view (components/sundial_panel.py)
SUNDIAL_PANEL = "atlas-sundial-panel"
SUNDIAL_GRAPH = "atlas-sundial"  # the programmes and policies by the sundial's four dimensions
SUNDIAL_COHERENCE = "atlas-sundial-coherence"  # value chains served by all four dimensions, or not
SUNDIAL_REQUEST = "atlas-sundial-request"  # [filters, language] while the view is open

# Details and table
DETAILS = "atlas-details"
DETAILS_PANEL = "atlas-details-panel"
DETAILS_CLOSE = "atlas-details-close"
TABLE = "atlas-table"
TABLE_PANEL = "atlas-table-panel"
TABLE_TAB = "atlas-table-tab"
TABLE_FOCUS = "atlas-table-focus"
EMPTY = "atlas-empty"
EMPTY_RESET = "atlas-empty-reset"

# Embeds and sharing (components/embed.py, components/share.py)
EMBED_OPEN = "atlas-embed-open"
SHARE_BUTTON = "atlas-share-button"
SHARE_PANEL = "atlas-share-panel"
SHARE_CLOSE = "atlas-share-close"
SHARE_LINK = "atlas-share-link"
SHARE_SNIPPET = "atlas-share-snippet"
SHARE_WIDTH = "atlas-share-width"
SHARE_HEIGHT = "atlas-share-height"
SHARE_VIEW = "atlas-share-view"
#: the current view as a step of a story file (JSON), for a presentation
SHARE_SCENE = "atlas-share-scene"

# Exports (components/export.py)
EXPORT_BUTTON = "atlas-export-button"
EXPORT_EMBED_BUTTON = "atlas-export-embed-button"  # the embed's own button (shown with ?export=1)
EXPORT_PANEL = "atlas-export-panel"
EXPORT_CLOSE = "atlas-export-close"
EXPORT_MAP_PNG = "atlas-export-map-png"
EXPORT_MAP_SVG = "atlas-export-map-svg"
EXPORT_NETWORK_PNG = "atlas-export-network-png"
EXPORT_NETWORK_SVG = "atlas-export-network-svg"
EXPORT_CSV = "atlas-export-csv"
EXPORT_GEOJSON = "atlas-export-geojson"
EXPORT_LINKS_CSV = "atlas-export-links-csv"
EXPORT_LINKS_GEOJSON = "atlas-export-links-geojson"
#: the caption of exported images, as JSON text (read by assets/export.js)
EXPORT_CAPTION = "atlas-export-caption"
EXPORT_STATUS = "atlas-export-status"
#: [view state, language] while the Export dialog is open, else null: the caption is computed only then
EXPORT_REQUEST = "atlas-export-request"
NETWORK_KEYS = "atlas-network-keys"  # the keyboard help (folded) above the network
NETWORK_LIVE = "atlas-network-live"  # the screen reader's live region for the keyboard's focus
NETWORK_KEY_TEXTS = "atlas-network-key-texts"  # texts the keyboard script words its announcements with
FILTERS_TOGGLE = "atlas-filters-toggle"  # on a phone or tablet: opens the filters' drawer
FILTERS_CLOSE = "atlas-filters-close"  # closes the drawer (so does Escape)

# Network metrics (components/metrics_panel.py): the ranking beside the network, the node size
METRICS_PANEL = "atlas-metrics-panel"
METRICS_RANK = "metrics-rank"  # the ranking chooser (radio)
METRICS_SIZE = "metrics-size"  # the node-size chooser (radio)
METRICS_RANKING = "atlas-metrics-ranking"  # the ranking table
SUGGEST = "atlas-suggest"  # store: suggested partners shown (URL ``suggest=1``)
SUGGEST_ON = "metrics-suggest"  # its tick box
#: the element whose suggested partners the network draws: the selection while suggest is on, else ""
SUGGEST_FOR = "atlas-suggest-for"
#: [filters, ranking] while a ranking is chosen, else "": the ranking is built only then
RANKING_REQUEST = "atlas-ranking-request"
#: [selected id, filters] while something is selected, else "": the details' metrics follow both
DETAILS_REQUEST = "atlas-details-request"
