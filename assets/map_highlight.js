// The selection's halos on the map (components/map_panel.py, layers/highlight.py): a native MapLibre
// circle layer added to the map plotly draws, above its traces. A new selection only sets the layer's
// data: plotly re-plots every trace when one of its traces changes (0.3-0.5 s), this redraws nothing
// else. Re-added after plotly redraws the figure (a filter change) or its style. Circles use no
// fonts or sprites: nothing is downloaded.
(function () {
    "use strict";
    const ID = "atlas-highlight";
    const SUGGESTED = "atlas-suggested";
    let wanted = {};

    function graph() { return document.querySelector("#atlas-map .js-plotly-plot"); }
    function mapOf() {
        const gd = graph();
        const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
        return sub && sub.map;
    }

    function features(data) {
        const lon = data.lon || [], lat = data.lat || [], ids = data.customdata || [], size = data.size || [];
        return {type: "FeatureCollection", features: lon.map((x, i) => ({
            type: "Feature", geometry: {type: "Point", coordinates: [x, lat[i]]},
            properties: {id: ids[i], r: (size[i] || 0) / 2},
        }))};
    }

    // Only what differs is changed: a style change fires "styledata", which calls apply again; setting
    // the same data or colour each time kept the map re-loading its source without end (and its
    // picture never "loaded", which a presentation's scene waits for).
    function apply() {
        const map = mapOf();
        if (!map || !map.isStyleLoaded || !map.isStyleLoaded()) { return false; }
        const source = map.getSource(ID);
        if (!source) { map.addSource(ID, {type: "geojson", data: features(wanted || {})}); }
        else if (map.__atlasHighlightData !== wanted) { source.setData(features(wanted || {})); }
        map.__atlasHighlightData = wanted;
        if (!map.getLayer(ID)) {
            map.addLayer({id: ID, type: "circle", source: ID, paint: {
                "circle-radius": ["get", "r"], "circle-color": wanted.colour || "#E69F00",
                "circle-opacity": typeof wanted.opacity === "number" ? wanted.opacity : 0.45,
            }});
        } else {
            if (wanted.colour && map.getPaintProperty(ID, "circle-color") !== wanted.colour) {
                map.setPaintProperty(ID, "circle-color", wanted.colour);
            }
            const layers = map.getStyle().layers;
            if (layers.length && layers[layers.length - 1].id !== ID) { map.moveLayer(ID); }  // plotly added above it
        }
        applySuggested(map);
        return true;
    }

    // Suggested partners (components/map_panel.py): dashed lines, a layer of their own below the halos.
    function segments(data) {
        return {type: "FeatureCollection", features: (data.suggested || []).map(s => ({
            type: "Feature", geometry: {type: "LineString", coordinates: [[s[0], s[1]], [s[2], s[3]]]},
            properties: {},
        }))};
    }

    function applySuggested(map) {
        const source = map.getSource(SUGGESTED);
        if (!source) { map.addSource(SUGGESTED, {type: "geojson", data: segments(wanted || {})}); }
        else if (map.__atlasSuggestedData !== wanted) { source.setData(segments(wanted || {})); }
        map.__atlasSuggestedData = wanted;
        if (!map.getLayer(SUGGESTED)) {
            map.addLayer({id: SUGGESTED, type: "line", source: SUGGESTED, paint: {
                "line-color": wanted.suggested_colour || "#8E4585", "line-width": 3,
                "line-dasharray": [3, 2],
            }}, ID);
        }
    }

    function bind() {
        const gd = graph(), map = mapOf();
        if (gd && gd.on && !gd.__atlasHighlight) {
            gd.__atlasHighlight = true;
            gd.on("plotly_afterplot", apply);
        }
        if (map && !map.__atlasHighlight) {
            map.__atlasHighlight = true;
            map.on("styledata", apply);
            apply();
        }
    }
    setInterval(bind, 300);

    window.atlasHighlight = {
        show: function (data) { wanted = data || {}; if (!apply()) { setTimeout(apply, 200); } },
        // the ids the map's halo layer holds now (what is drawn), for the export and the tests
        drawn: function () {
            const map = mapOf(), source = map && map.getSource(ID);
            if (!source || !map.getLayer(ID)) { return []; }
            const data = source.serialize().data;
            return ((data && data.features) || []).map(f => f.properties.id);
        },
        // the suggested partners' segments drawn now, for the tests
        suggested: function () {
            const map = mapOf(), source = map && map.getSource(SUGGESTED);
            if (!source || !map.getLayer(SUGGESTED)) { return []; }
            const data = source.serialize().data;
            return (data && data.features) || [];
        },
        // the halos as a plotly trace, for an image of the map (assets/export.js)
        trace: function () {
            if (!(wanted.customdata || []).length) { return null; }
            return {type: "scattermap", mode: "markers", lon: wanted.lon, lat: wanted.lat, hoverinfo: "skip",
                    showlegend: false, marker: {size: wanted.size, color: wanted.colour, opacity: wanted.opacity}};
        },
    };
})();
