// The cameras of the two views, in the URL: the map's centre and zoom (`map=lat,lon,zoom`) and the
// network's zoom and pan (`net=zoom,x,y`). Recorded when the user stops moving (debounced) and
// written into the URL with replaceState (a pan is no new history entry); the state callback then
// reads it from there into its stores (atlas-map-camera, atlas-network-viewport). A camera arriving
// from the URL (opening a link, back/forward, a presentation step) is applied with no request.
(function () {
    const QUIET_MS = 400;
    const MAP_ID = "atlas-map";
    const round = (x, d) => { const f = Math.pow(10, d); return Math.round(x * f) / f + 0; };
    const text = values => values.map(v => String(v)).join(",");
    let applyingMap = false;
    let wantedNetwork = null;
    // The network's home view: every node (not the labels) in the panel, as layers/network_labels.py
    // plans it (FIT_PADDING, FIT_MAX_ZOOM): the server placed the labels readable at this zoom.
    const FIT_PADDING = 30, FIT_MAX_ZOOM = 1.5;

    // Level of detail: a node's label (its size `fs` placed by the server, layers/network_labels.py)
    // is shown only while it is drawn at READABLE_PX or more. cytoscape's own min-zoomed-font-size
    // rounds the zoom up to a power of two, which let 8 px labels through: the class is exact.
    const READABLE_PX = 11.5;
    // A scene of a presentation (/embed?stage=1) is read from the back of a room: every label it
    // draws is at least STAGE_PX on screen (those that would then overlap a more important one are
    // hidden), the selection's larger still.
    const STAGE_PX = 18, STAGE_SELECTED_PX = 24, STAGE_NEIGHBOUR_PX = 20;
    const onStage = () => { const page = document.getElementById("atlas-page"); return !!page && page.classList.contains("stage"); };
    function showReadable(cy) {
        const zoom = cy.zoom(), stage = onStage();
        cy.batch(() => cy.nodes().forEach(n => {
            const fs = n.data("fs");
            n.toggleClass("lod-hidden", !stage && typeof fs === "number" && fs * zoom < READABLE_PX - 1e-6);
        }));
        declutter(cy);
    }

    // A selection's labels: the selected element (a link: its ends) and its neighbours are labelled
    // at a fixed size on screen (a style bypass, which outranks the stylesheet), so that zooming in on
    // a crowded neighbourhood spreads the nodes while their names stay legible. Then, among all labels
    // drawn, those that would overlap a more important one are hidden: the selected element first,
    // its neighbours, then the rest, the most connected first within each.
    const SELECTED_PX = 15, NEIGHBOUR_PX = 13;
    function focus(cy) {
        const sel = new URLSearchParams(window.location.search).get("sel") || "";
        const target = sel ? cy.$id(sel) : cy.collection();
        const ends = target.length && target.isEdge() ? target.connectedNodes() : target.nodes();
        const hood = target.length && target.isNode() ? target.closedNeighborhood("node") : ends;
        return {target: target, ends: ends, hood: hood};
    }
    // sides tried for a neighbourhood's label after the server's own (valign, halign)
    const SIDES = [["bottom", "center"], ["top", "center"], ["center", "right"], ["center", "left"],
                   ["bottom", "right"], ["bottom", "left"], ["top", "right"], ["top", "left"]];
    const overlaps = (box, placed) => placed.some(p => box.x1 < p.x2 && p.x1 < box.x2 && box.y1 < p.y2 && p.y1 < box.y2);
    const labelBox = n => n.boundingBox({includeNodes: false, includeEdges: false, includeLabels: true});
    function declutter(cy) {
        const nodes = cy.nodes(), zoom = cy.zoom(), stage = onStage();
        const {target, ends, hood} = focus(cy);
        const bypassed = ["text-opacity", "font-size", "text-valign", "text-halign", "text-margin-x", "text-margin-y"];
        const selectedPx = stage ? STAGE_SELECTED_PX : SELECTED_PX, neighbourPx = stage ? STAGE_NEIGHBOUR_PX : NEIGHBOUR_PX;
        cy.batch(() => nodes.forEach(n => {
            if (n.__atlasBypass) { n.removeStyle(bypassed.join(" ")); n.__atlasBypass = false; }
            if (hood.contains(n)) {
                n.style("font-size", (ends.contains(n) ? selectedPx : neighbourPx) / zoom);
                n.__atlasBypass = true;
            } else if (stage && n.pstyle("font-size").pfValue * zoom < STAGE_PX) {
                n.style("font-size", STAGE_PX / zoom);
                n.__atlasBypass = true;
            }
        }));
        const rank = n => ends.contains(n) ? 0 : hood.contains(n) ? 1 : 2;
        const drawn = nodes.filter(n => n.pstyle("label").strValue !== "" && n.pstyle("text-opacity").value > 0
                                        && n.pstyle("opacity").value > 0);
        const order = drawn.toArray().map(n => ({n: n, rank: rank(n), degree: n.data("degree") || 0}))
            .sort((a, b) => a.rank - b.rank || b.degree - a.degree);
        // node bodies of the neighbourhood: a label may not cover them either
        const placed = hood.toArray().map(n => n.boundingBox({includeLabels: false, includeOverlays: false}));
        const hide = [];
        // a neighbourhood's label stays inside the panel (else it tries another side)
        const view = cy.extent(), inset = 4 / zoom;
        const inside = box => box.x1 >= view.x1 + inset && box.x2 <= view.x2 - inset && box.y1 >= view.y1 + inset
            && box.y2 <= view.y2 - inset;
        // (on a stage every label: a cut name cannot be read from the room)
        const free = (n, box) => ((!stage && !hood.contains(n)) || inside(box))
            && !overlaps(box, placed.filter((p, i) => hood[i] !== n));
        order.forEach(item => {
            const n = item.n;
            // while something is selected, only its neighbourhood is labelled: the rest is faded context
            if (target.length && item.rank === 2) { hide.push(n); return; }
            let box = labelBox(n);
            if (!free(n, box) && item.rank < 2) {
                const gap = 4 / zoom;
                const side = ([valign, halign]) => {
                    n.style({"text-valign": valign, "text-halign": halign,
                             "text-margin-y": valign === "top" ? -gap : valign === "bottom" ? gap : 0,
                             "text-margin-x": halign === "right" ? gap : halign === "left" ? -gap : 0});
                    n.__atlasBypass = true;
                    return labelBox(n);
                };
                let best = null;
                for (const candidate of SIDES) {
                    box = side(candidate);
                    if (free(n, box)) { best = null; break; }
                    // the selected element keeps a label whatever: the side inside the panel covering least
                    // covering a neighbour's node is worse than covering a label
                    const bodies = placed.slice(0, hood.length).filter((p, i) => hood[i] !== n && overlaps(box, [p]));
                    const labels = placed.slice(hood.length).filter(p => overlaps(box, [p]));
                    const cost = (inside(box) ? 0 : 1000) + 10 * bodies.length + labels.length;
                    if (!best || cost < best.cost) { best = {cost: cost, candidate: candidate}; }
                }
                if (best && item.rank === 0) { box = side(best.candidate); placed.push(box); return; }
            }
            if (free(n, box) || item.rank === 0) { placed.push(box); } else { hide.push(n); }
        });
        cy.batch(() => hide.forEach(n => { n.style("text-opacity", 0); n.__atlasBypass = true; }));
    }
    let lodTimer = null;
    function scheduleReadable(cy) {
        if (lodTimer) { return; }
        lodTimer = setTimeout(() => { lodTimer = null; showReadable(cy); }, 60);
    }

    // The selected node (or link) and its neighbours brought into the panel: zoomed in on when they
    // are crowded (their labels keep their size on screen, so the names spread apart), never zoomed
    // out; else moved by the smallest pan (a hub whose neighbours cannot all fit is centred). Not
    // when the URL sets a camera: that view is the user's.
    const FOCUS_PAD_X = 70, FOCUS_PAD_Y = 30, FOCUS_MAX_NODE_PX = 64;
    function reveal(cy) {
        if (wantedNetwork) { return; }
        const {target, hood} = focus(cy);
        if (!target.length) { return; }
        const w = cy.width(), h = cy.height(), m = 12;
        const bb = hood.boundingBox({includeLabels: false, includeOverlays: false});
        const biggest = Math.max(1, ...hood.map(n => n.width()));
        const centreOn = zoom => cy.viewport({zoom: zoom, pan: {x: w / 2 - zoom * (bb.x1 + bb.x2) / 2,
                                                                 y: h / 2 - zoom * (bb.y1 + bb.y2) / 2}});
        const start = cy.zoom();
        let zoom = Math.min((w - 2 * FOCUS_PAD_X) / Math.max(bb.w, 1e-9), (h - 2 * FOCUS_PAD_Y) / Math.max(bb.h, 1e-9),
                            FOCUS_MAX_NODE_PX / biggest, cy.maxZoom());
        // labels keep their size on screen: zoomed in, the names spread apart (declutter keeps them inside)
        if (zoom > start * 1.05) {
            centreOn(zoom);
            showReadable(cy);
            return;
        }
        const box = hood.renderedBoundingBox({includeLabels: true, includeEdges: false});
        const shift = (lo, hi, size) => (hi - lo > size - 2 * m) ? null : lo < m ? m - lo : hi > size - m ? size - m - hi : 0;
        // names and all do not fit: keep at least every node of the neighbourhood in view (a label
        // that cannot be placed is hidden), and only when not even they fit, centre on the target
        const bodies = hood.renderedBoundingBox({includeLabels: false, includeEdges: false});
        let dx = shift(box.x1, box.x2, w), dy = shift(box.y1, box.y2, h);
        if (dx === null) { dx = shift(bodies.x1, bodies.x2, w); }
        if (dy === null) { dy = shift(bodies.y1, bodies.y2, h); }
        const centre = target.isEdge() ? target.connectedNodes().renderedBoundingBox() : target.renderedBoundingBox();
        if (dx === null) { dx = w / 2 - (centre.x1 + centre.x2) / 2; }
        if (dy === null) { dy = h / 2 - (centre.y1 + centre.y2) / 2; }
        if (Math.abs(dx) > 0.5 || Math.abs(dy) > 0.5) { cy.panBy({x: dx, y: dy}); }
        showReadable(cy);
    }

    function fitNodes(cy) {
        const nodes = cy.nodes();
        if (!nodes.length) { return; }
        const bb = nodes.boundingBox({includeLabels: false, includeOverlays: false});
        const w = cy.width(), h = cy.height();
        let zoom = Math.min((w - 2 * FIT_PADDING) / Math.max(bb.w, 1e-9), (h - 2 * FIT_PADDING) / Math.max(bb.h, 1e-9));
        zoom = Math.max(cy.minZoom(), Math.min(FIT_MAX_ZOOM, zoom));
        cy.viewport({zoom: zoom, pan: {x: w / 2 - zoom * (bb.x1 + bb.x2) / 2, y: h / 2 - zoom * (bb.y1 + bb.y2) / 2}});
        showReadable(cy);
        reveal(cy);
    }

    function graph() { return document.querySelector("#" + MAP_ID + " .js-plotly-plot"); }

    function home() {
        const gd = graph();
        const meta = gd && gd.layout && gd.layout.meta;
        return meta && meta.home ? [meta.home.center.lat, meta.home.center.lon, meta.home.zoom] : null;
    }

    function close(a, b) {
        return !!a && !!b && Math.abs(a[0] - b[0]) < 1e-3 && Math.abs(a[1] - b[1]) < 1e-3 && Math.abs(a[2] - b[2]) < 0.01;
    }

    // The page's one way to change its address from the browser (also assets/url_actions.js): a new
    // history entry (``push``) or not (a pan is none). Then the page's Location learns the new
    // address (else it would put its older one back on its next update); as its props now equal
    // the address bar it pushes nothing, and the state callback reads the state from it.
    function writeQuery(params, push) {
        const query = params.toString().replace(/%2C/g, ",");
        const search = query ? "?" + query : "";
        if (search === window.location.search) { return; }
        const address = window.location.pathname + search + window.location.hash;
        if (push) { window.history.pushState(window.history.state, "", address); }
        else { window.history.replaceState(window.history.state, "", address); }
        if (window.dash_clientside && window.dash_clientside.set_props) {
            window.dash_clientside.set_props("atlas-url", {search: search, href: window.location.href});
        }
    }
    window.atlasWriteQuery = writeQuery;

    function writeUrl(key, value) {
        const params = new URLSearchParams(window.location.search);
        if (value) { params.set(key, text(value)); } else { params.delete(key); }
        writeQuery(params, false);
    }

    function debounce(fn) {
        let timer = null;
        return function () { clearTimeout(timer); timer = setTimeout(fn, QUIET_MS); };
    }

    // A scene of a presentation keeps its own camera: what the presenter does to it is not written
    // into the frame's address (a late write came back through the page's state after the scene's
    // camera had been put back, and moved the map again).
    const recordMap = debounce(function () {
        if (onStage()) { return; }
        const gd = graph();
        const view = gd && gd._fullLayout && gd._fullLayout.map;
        if (!view || !view.center) { return; }
        let camera = [round(view.center.lat, 4), round(view.center.lon, 4), round(view.zoom, 2)];
        if (close(camera, home())) { camera = null; }  // the home view is no camera: the URL stays short
        writeUrl("map", camera);
    });

    const recordNetwork = debounce(function () {
        if (onStage()) { return; }
        const cy = window.cy;
        if (!cy) { return; }
        const pan = cy.pan();
        const viewport = [round(cy.zoom(), 3), Math.round(pan.x) + 0, Math.round(pan.y) + 0];
        writeUrl("net", viewport);
    });

    function bind() {
        const gd = graph();
        if (gd && gd.on && !gd.__atlasCamera) {
            gd.__atlasCamera = true;
            gd.on("plotly_relayout", event => {
                if (applyingMap || !event) { return; }
                if (Object.keys(event).some(k => k.startsWith("map.center") || k.startsWith("map.zoom"))) { recordMap(); }
            });
        }
        const cy = window.cy;
        if (cy && !cy.__atlasCamera) {
            cy.__atlasCamera = true;
            // user gestures only: a fit after new elements is no camera of the user's
            cy.on("scrollzoom pinchzoom dragpan", recordNetwork);
            cy.on("zoom", () => scheduleReadable(cy));
            cy.on("add", () => scheduleReadable(cy));
            showReadable(cy);
            // The panel narrows when the detail panel docks beside it: keep every node in view
            // (or the camera the URL asked for) rather than leave the selection off-screen.
            if (window.ResizeObserver) {
                let last = [cy.width(), cy.height()];
                new ResizeObserver(() => {
                    const box = cy.container().getBoundingClientRect();
                    if (Math.abs(box.width - last[0]) < 2 && Math.abs(box.height - last[1]) < 2) { return; }
                    last = [box.width, box.height];
                    cy.resize();
                    if (wantedNetwork) { showReadable(cy); } else { fitNodes(cy); }
                }).observe(cy.container());
            }
        }
    }
    setInterval(bind, 500);

    window.atlasCamera = {
        applyMap: function (camera) {
            const gd = graph();
            if (!gd || !gd._fullLayout || !gd._fullLayout.map || !window.Plotly) { return; }
            const target = camera || home();
            const view = gd._fullLayout.map;
            const now = [view.center.lat, view.center.lon, view.zoom];
            if (!target || close(now, target)) { return; }
            applyingMap = true;
            window.Plotly.relayout(gd, {"map.center": {lat: target[0], lon: target[1]}, "map.zoom": target[2]})
                .finally(() => { applyingMap = false; });
        },
        applyNetwork: function (viewport) {
            const cy = window.cy;
            if (!cy) { return; }
            wantedNetwork = viewport || null;
            const apply = () => {
                if (wantedNetwork) {
                    cy.viewport({zoom: wantedNetwork[0], pan: {x: wantedNetwork[1], y: wantedNetwork[2]}});
                    showReadable(cy);
                } else {
                    fitNodes(cy);
                }
            };
            // after new elements, cytoscape lays them out (preset) a moment later: apply after that
            cy.one("layoutstop", apply);
            setTimeout(apply, 300);
        },
        fitNetwork: function () { if (window.cy) { fitNodes(window.cy); } },
        // a new selection: once its stylesheet is drawn, bring it into view
        revealSelection: function () { if (window.cy) { setTimeout(() => reveal(window.cy), 350); } },
        // after the component has applied a new stylesheet (it does so on its next render)
        declutter: function () { setTimeout(() => { if (window.cy) { declutter(window.cy); } }, 80); },
    };
})();
