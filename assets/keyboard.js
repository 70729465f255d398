// The network and the table by keyboard and screen reader (WCAG 2.1.1, 4.1.2).
//
// The network: the drawing is one tab stop
// (role "application", so a screen reader hands the arrow keys to it) named for what it is; once it
// has the focus:
//   arrow keys   the nearest drawn node in that direction (from the focused one: its on-screen
//                position, so "right" is right as the reader sees it, whatever the layout)
//   L, Shift+L   the focused node's links, one by one, forward and back
//   Enter        select the focused node or link, as a click does (a group: expand or collapse it)
//   Escape       clear the selection
//   Home         back to the selected node (or the most connected one)
// The focus is a ring drawn by the stylesheet (class kbd-focus, layers/network_style.py); a live
// region reads out the focused node's name, kind and number of drawn links, a link's type and
// ends, and what Enter or Escape did, in the page's language (texts: #atlas-network-key-texts).
(function () {
    const NET = "atlas-network", LIVE = "atlas-network-live", TEXTS = "atlas-network-key-texts";
    const ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    let focusedNode = null, focusedEdge = null, edgeIndex = -1;

    const lang = () => document.documentElement.lang || "en";
    function texts() {
        const holder = document.getElementById(TEXTS);
        if (!holder) { return {}; }
        if (!holder._parsed) { holder._parsed = JSON.parse(holder.getAttribute("data-texts") || "{}"); }
        return holder._parsed[lang()] || holder._parsed.en || {};
    }
    function say(key, values) {
        const own = texts(), templates = own.templates || {};
        let template = templates[key] || key;
        if (values && typeof values.count === "number") {
            const form = new Intl.PluralRules(lang()).select(values.count);
            template = templates[key + "#" + form] || template;
        }
        return template.replace(/\{(\w+)\}/g, (_, name) => (values && name in values ? String(values[name]) : ""));
    }
    const label = (prefix, value) => ((texts().labels || {})[prefix + "." + value] || value || "");
    function announce(text) {
        const live = document.getElementById(LIVE);
        if (!live) { return; }
        // the same words twice in a row are read again only if the region changes in between
        live.textContent = live.textContent === text ? text + "\u00a0" : text;
    }
    function nodeName(node) {
        const code = lang(), own = node.data("label_" + code);
        return String(own || node.data("label") || node.id()).replace(/\s+/g, " ");
    }
    function describe(node) {
        const links = node.connectedEdges().filter(e => e.visible()).length;
        return say("keys.announce_node", { name: nodeName(node), kind: label("kind", node.data("kind")), count: links });
    }
    function describeEdge(edge) {
        return say("keys.announce_link", {
            type: label("link", edge.data("link_type") || edge.data("type")),
            source: nodeName(edge.source()),
            target: nodeName(edge.target()),
        });
    }

    function clearRing(cy) { cy.elements(".kbd-focus").removeClass("kbd-focus"); }
    function keepInView(cy, element) {
        const box = element.renderedBoundingBox(), width = cy.width(), height = cy.height(), margin = 30;
        let dx = 0, dy = 0;
        if (box.x1 < margin) { dx = margin - box.x1; } else if (box.x2 > width - margin) { dx = width - margin - box.x2; }
        if (box.y1 < margin) { dy = margin - box.y1; } else if (box.y2 > height - margin) { dy = height - margin - box.y2; }
        if (dx || dy) { cy.panBy({ x: dx, y: dy }); }
    }
    function focusNode(cy, node) {
        if (!node || !node.length) { return; }
        clearRing(cy);
        focusedNode = node; focusedEdge = null; edgeIndex = -1;
        node.addClass("kbd-focus");
        keepInView(cy, node);
        announce(describe(node));
    }
    function focusEdge(cy, edge) {
        clearRing(cy);
        focusedEdge = edge;
        edge.addClass("kbd-focus");
        keepInView(cy, edge);
        announce(describeEdge(edge));
    }
    const drawn = cy => cy.nodes().filter(n => n.visible() && !n.isParent());

    // The first focus: the selected node, else the most connected one (a hub is a good start).
    function start(cy) {
        const sel = new URLSearchParams(window.location.search).get("sel");
        const selected = sel ? cy.getElementById(sel) : null;
        if (selected && selected.length && selected.isNode() && selected.visible()) { return selected; }
        let best = null, degree = -1;
        drawn(cy).forEach(n => { const d = n.degree(); if (d > degree) { best = n; degree = d; } });
        return best;
    }
    // The nearest drawn node in the arrow's direction: within 60 degrees of it, the distance weighed
    // up the further off the axis it lies.
    function nearest(cy, from, direction) {
        const p = from.renderedPosition();
        let best = null, score = Infinity;
        drawn(cy).forEach(n => {
            if (n.same(from)) { return; }
            const q = n.renderedPosition(), vx = q.x - p.x, vy = q.y - p.y, d = Math.hypot(vx, vy);
            if (d < 1e-6) { return; }
            const cos = (vx * direction[0] + vy * direction[1]) / d;
            if (cos < 0.5) { return; }
            const s = d * (1 + 2 * (1 - cos));
            if (s < score) { score = s; best = n; }
        });
        return best;
    }
    function select(element) {
        const data = Object.assign({}, element.data(), { kbd: Date.now() });  // a new value: selecting again counts
        const prop = element.isNode() ? "tapNodeData" : "tapEdgeData";
        window.dash_clientside.set_props(NET, { [prop]: data });
        announce(say("keys.announce_selected", { name: element.isNode() ? nodeName(element) : describeEdge(element) }));
    }
    function clearSelection() {
        const close = document.getElementById("atlas-details-close");
        if (close) { close.click(); }
        announce(say("keys.announce_cleared"));
    }

    function onKey(event) {
        const cy = window.cy, box = document.getElementById(NET);
        if (!cy || !box || event.target !== box || event.altKey || event.ctrlKey || event.metaKey) { return; }
        if (!drawn(cy).length) { announce(say("keys.announce_empty")); return; }
        if (focusedNode && (focusedNode.removed() || !focusedNode.visible())) { focusedNode = null; }
        const key = event.key;
        if (ARROWS[key]) {
            event.preventDefault();
            if (!focusedNode) { focusNode(cy, start(cy)); return; }
            const next = nearest(cy, focusedNode, ARROWS[key]);
            if (next) { focusNode(cy, next); } else { announce(describe(focusedNode)); }
        } else if (key === "l" || key === "L") {
            event.preventDefault();
            if (!focusedNode) { focusNode(cy, start(cy)); return; }
            const edges = focusedNode.connectedEdges().filter(e => e.visible());
            if (!edges.length) { announce(describe(focusedNode)); return; }
            edgeIndex = (edgeIndex + (event.shiftKey ? -1 : 1) + edges.length) % edges.length;
            focusEdge(cy, edges[edgeIndex]);
        } else if (key === "Enter" || key === " ") {
            event.preventDefault();
            if (focusedEdge && !focusedEdge.removed()) { select(focusedEdge); }
            else if (focusedNode) { select(focusedNode); }
            else { focusNode(cy, start(cy)); }
        } else if (key === "Escape") {
            event.preventDefault();
            clearSelection();
        } else if (key === "Home") {
            event.preventDefault();
            focusNode(cy, start(cy));
        }
    }

    // The container becomes a named tab stop as soon as it is on the page (and again after Dash
    // re-renders it); its name follows the language.
    function prepare() {
        const box = document.getElementById(NET);
        if (!box) { return; }
        if (box.getAttribute("tabindex") !== "0") {
            box.setAttribute("tabindex", "0");
            box.setAttribute("role", "application");
            box.setAttribute("aria-roledescription", "network");
            box.setAttribute("aria-describedby", "atlas-network-keys");
        }
        const name = say("aria.network_graph");
        if (box.getAttribute("aria-label") !== name) { box.setAttribute("aria-label", name); }
    }
    // The table: one tab stop too. Dash's table moves its active cell with the arrow keys, and an
    // active cell selects its row (the URL's sel, both views, details); it only lacks a way in:
    // Enter or an arrow key on the table starts at its first row.
    const TABLE = "atlas-table";
    function prepareTable() {
        const grid = document.querySelector("#" + TABLE + " table.cell-table");
        if (grid && grid.getAttribute("tabindex") !== "0") {
            grid.setAttribute("tabindex", "0");
            grid.setAttribute("aria-describedby", "atlas-network-keys");
        }
    }
    function onTableKey(event) {
        const grid = document.querySelector("#" + TABLE + " table.cell-table");
        if (!grid || event.target !== grid || !["Enter", "ArrowDown", "ArrowUp", " "].includes(event.key)) { return; }
        const first = grid.querySelector("td.dash-cell[data-dash-row='0']");
        if (first) { event.preventDefault(); first.click(); }
    }
    document.addEventListener("keydown", onTableKey, true);
    document.addEventListener("keydown", onKey, true);
    document.addEventListener("focusin", event => {
        const box = document.getElementById(NET);
        if (box && event.target === box && window.cy && !focusedNode) {
            const first = start(window.cy);
            if (first) { focusNode(window.cy, first); }
        }
    });
    document.addEventListener("focusout", event => {
        const box = document.getElementById(NET);
        if (box && event.target === box && window.cy) { clearRing(window.cy); focusedNode = null; focusedEdge = null; }
    });
    new MutationObserver(() => { prepare(); prepareTable(); }).observe(document.documentElement, { childList: true, subtree: true, attributes: true,
                                                                      attributeFilter: ["lang"] });
    window.atlasNetworkKeys = { prepare: prepare };
})();
