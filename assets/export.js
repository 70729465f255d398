// Image exports (components/export.py): the map or the network as on screen, PNG or SVG, with the
// legend of the view (assets/export_legend.js) and the caption under it. Everything is drawn here from
// the page's own graphs and legends: no request leaves the page.
// - map: plotly's own Plotly.toImage (its SVG holds the MapLibre canvas as an embedded PNG);
// - network PNG: cytoscape's cy.png of the viewport;
// - network SVG: drawn here from cytoscape's rendered positions and computed styles, because the
//   cytoscape-svg extension ships only in dash-cytoscape's "extra" bundle (+270 KB on every first load).
(function () {
    "use strict";
    const SCALE = 2;  // PNGs at twice the screen size, sharp enough to print
    const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    const INK = "#1a1a1a", LINE = "#c9ced4";
    const PAD = 12, SIZE = 13, TITLE_SIZE = 16, LEAD = 1.4;
    const measure = document.createElement("canvas").getContext("2d");

    function esc(text) {
        return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
            .replace(/"/g, "&quot;");
    }

    function captionData() {
        const holder = document.getElementById("atlas-export-caption");
        try { return JSON.parse((holder && holder.textContent) || "{}"); } catch (e) { return {}; }
    }

    window.atlasExport = {wrap: wrap};  // shared with the legend's layout (assets/export_legend.js)

    function status(text) {
        const line = document.getElementById("atlas-export-status");
        if (line) { line.textContent = text; }
    }

    function message(caption, key, name) {
        return ((caption.messages || {})[key] || key).replace("{name}", name);
    }

    // Greedy word wrap with the canvas's text metrics (the same fonts draw the PNG and render the SVG).
    function wrap(text, font, width) {
        measure.font = font;
        const lines = [];
        let line = "";
        String(text).split(/\s+/).forEach(function (word) {
            const candidate = line ? line + " " + word : word;
            if (line && measure.measureText(candidate).width > width) { lines.push(line); line = word; }
            else { line = candidate; }
        });
        if (line) { lines.push(line); }
        return lines;
    }

    // The caption's lines wrapped to the image width, each with its baseline below the view.
    function captionLines(caption, view, width) {
        const out = [];
        const titleFont = "bold " + TITLE_SIZE + "px " + FONT, font = SIZE + "px " + FONT;
        const title = (caption.title || "") + " — " + ((caption.views || {})[view] || view);
        wrap(title, titleFont, width - 2 * PAD).forEach(function (text) {
            out.push({text: text, font: titleFont, size: TITLE_SIZE, bold: true});
        });
        (caption.lines || []).forEach(function (paragraph) {
            wrap(paragraph, font, width - 2 * PAD).forEach(function (text) {
                out.push({text: text, font: font, size: SIZE, bold: false});
            });
        });
        let y = PAD / 2;
        out.forEach(function (line) { y += line.size * LEAD; line.y = y - line.size * 0.35; });
        return {lines: out, height: Math.ceil(y + PAD)};
    }

    function loadImage(url) {
        return new Promise(function (resolve, reject) {
            const image = new Image();
            image.onload = function () { resolve(image); };
            image.onerror = function () { reject(new Error("the view could not be drawn")); };
            image.src = url;
        });
    }

    function legendBlock(caption, view, width, top) {
        const legend = window.atlasExportLegend;
        return legend ? legend.layout(view, width, caption.legend || "Legend", top) : {ops: [], height: 0};
    }

    async function composePng(viewUrl, width, height, caption, view) {
        const image = await loadImage(viewUrl);
        const legend = legendBlock(caption, view, width, height);
        const text = captionLines(caption, view, width);
        const top = height + legend.height;  // the caption's top
        const canvas = document.createElement("canvas");
        canvas.width = Math.round(width * SCALE);
        canvas.height = Math.round((top + text.height) * SCALE);
        const ctx = canvas.getContext("2d");
        ctx.scale(SCALE, SCALE);
        ctx.fillStyle = "#ffffff";
        ctx.fillRect(0, 0, width, top + text.height);
        ctx.drawImage(image, 0, 0, width, height);
        ctx.strokeStyle = LINE;
        ctx.beginPath(); ctx.moveTo(0, height + 0.5); ctx.lineTo(width, height + 0.5); ctx.stroke();
        if (legend.ops.length) { window.atlasExportLegend.toCanvas(legend.ops, ctx); }
        ctx.fillStyle = INK;
        text.lines.forEach(function (line) { ctx.font = line.font; ctx.fillText(line.text, PAD, top + line.y); });
        return new Promise(function (resolve) { canvas.toBlob(resolve, "image/png"); });
    }

    function composeSvg(viewSvg, width, height, caption, view) {
        const legend = legendBlock(caption, view, width, height);
        const text = captionLines(caption, view, width);
        const top = height + legend.height;
        const total = top + text.height;
        const inner = new DOMParser().parseFromString(viewSvg, "image/svg+xml").documentElement;
        inner.setAttribute("x", "0"); inner.setAttribute("y", "0");
        inner.setAttribute("width", String(width)); inner.setAttribute("height", String(height));
        const lines = text.lines.map(function (line) {
            return '<text x="' + PAD + '" y="' + (top + line.y).toFixed(1) + '" font-size="' + line.size + '"' +
                (line.bold ? ' font-weight="bold"' : "") + ">" + esc(line.text) + "</text>";
        }).join("\n");
        const svg = '<?xml version="1.0" encoding="UTF-8"?>\n' +
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="' + width +
            '" height="' + total + '" viewBox="0 0 ' + width + " " + total + '">\n' +
            "<title>" + esc((caption.title || "") + " — " + ((caption.views || {})[view] || view)) + "</title>\n" +
            '<rect width="' + width + '" height="' + total + '" fill="#ffffff"/>\n' +
            new XMLSerializer().serializeToString(inner) + "\n" +
            '<line x1="0" y1="' + (height + 0.5) + '" x2="' + width + '" y2="' + (height + 0.5) + '" stroke="' +
            LINE + '"/>\n' + (legend.ops.length ? window.atlasExportLegend.toSvg(legend.ops) + "\n" : "") +
            '<g class="caption" font-family="' + esc(FONT) + '" fill="' + INK + '">\n' + lines +
            "\n</g>\n</svg>\n";
        return new Blob([svg], {type: "image/svg+xml"});
    }

    // --- the map ---------------------------------------------------------------------------------------
    async function mapView(format) {
        const gd = document.querySelector("#atlas-map .js-plotly-plot");
        if (!gd || !gd._fullLayout || !window.Plotly) { throw new Error("the map is not drawn"); }
        // whole pixels: plotly's layout size can be fractional (a grid column)
        const width = Math.round(gd._fullLayout.width), height = Math.round(gd._fullLayout.height);
        // the selection's halos are a layer of the page's own (assets/map_highlight.js): drawn as a trace here
        const halos = window.atlasHighlight && window.atlasHighlight.trace();
        const source = halos ? {data: gd.data.concat([halos]), layout: gd.layout, config: gd._context} : gd;
        const url = await window.Plotly.toImage(source, {format: format, width: width, height: height,
                                                         scale: format === "png" ? SCALE : 1});
        if (format === "svg") {
            const comma = url.indexOf(",");
            const head = url.slice(0, comma);
            const body = url.slice(comma + 1);
            return {svg: head.indexOf(";base64") >= 0 ? atob(body) : decodeURIComponent(body), width, height};
        }
        return {url: url, width: width, height: height};
    }

    // --- the network -----------------------------------------------------------------------------------
    function px(value) { return parseFloat(value) || 0; }

    function shapeSvg(shape, x, y, w, h, attrs) {
        const hw = w / 2, hh = h / 2;
        const points = function (list) {
            return '<polygon points="' + list.map(function (p) {
                return (x + p[0] * hw).toFixed(1) + "," + (y + p[1] * hh).toFixed(1);
            }).join(" ") + '"' + attrs + "/>";
        };
        if (shape === "diamond") { return points([[0, -1], [1, 0], [0, 1], [-1, 0]]); }
        // cytoscape's hexagon: flat top and bottom, points left and right
        if (shape === "hexagon") { return points([[-1, 0], [-0.5, -1], [0.5, -1], [1, 0], [0.5, 1], [-0.5, 1]]); }
        if (shape === "rectangle" || shape === "round-rectangle" || shape === "roundrectangle") {
            const r = shape === "rectangle" ? 0 : Math.min(w, h) / 4;
            return '<rect x="' + (x - hw).toFixed(1) + '" y="' + (y - hh).toFixed(1) + '" width="' + w.toFixed(1) +
                '" height="' + h.toFixed(1) + '" rx="' + r.toFixed(1) + '"' + attrs + "/>";
        }
        return '<ellipse cx="' + x.toFixed(1) + '" cy="' + y.toFixed(1) + '" rx="' + hw.toFixed(1) + '" ry="' +
            hh.toFixed(1) + '"' + attrs + "/>";
    }

    function dashes(style, width, zoom) {
        if (style === "dotted") { return ' stroke-dasharray="' + Math.max(width, 1).toFixed(1) + " " +
                                         (2 * Math.max(width, 1)).toFixed(1) + '"'; }
        if (style === "dashed") { return ' stroke-dasharray="' + (6 * zoom).toFixed(1) + " " + (4 * zoom).toFixed(1) + '"'; }
        return "";
    }

    // A label as cytoscape draws it: hidden below its min-zoomed-font-size (compared, as cytoscape does, at
    // the zoom rounded up to its texture level, a power of two), cut with an ellipsis at its max width.
    function labelSvg(ele, x, y, zoom) {
        const text = ele.style("label");
        const size = px(ele.style("font-size")) * zoom;
        const level = Math.pow(2, Math.ceil(Math.log2(zoom * (window.devicePixelRatio || 1))));
        if (!text || size <= 0 || px(ele.style("font-size")) * level < px(ele.style("min-zoomed-font-size"))) {
            return "";
        }
        const weight = ele.style("font-weight") === "bold" ? "bold" : "normal";
        const font = weight + " " + size + "px " + FONT;
        measure.font = font;
        let shown = String(text);
        const max = px(ele.style("text-max-width")) * zoom;
        if (ele.style("text-wrap") === "ellipsis" && max > 0 && measure.measureText(shown).width > max) {
            while (shown.length > 1 && measure.measureText(shown + "…").width > max) { shown = shown.slice(0, -1); }
            shown += "…";
        }
        const outline = px(ele.style("text-outline-width")) * zoom;
        return '<text x="' + x.toFixed(1) + '" y="' + y.toFixed(1) + '" font-size="' + size.toFixed(1) +
            '" font-weight="' + weight + '" text-anchor="middle" fill="' + ele.style("color") + '"' +
            (outline > 0 ? ' stroke="' + ele.style("text-outline-color") + '" stroke-width="' + (2 * outline).toFixed(1) +
                           '" paint-order="stroke" stroke-linejoin="round"' : "") + ">" + esc(shown) + "</text>";
    }

    function networkSvg(cy) {
        const container = cy.container();
        const width = container.clientWidth, height = container.clientHeight, zoom = cy.zoom();
        const edges = [], nodes = [], labels = [];
        cy.edges().forEach(function (edge) {
            if (!edge.visible()) { return; }
            const a = edge.source().renderedPosition(), b = edge.target().renderedPosition();
            const w = px(edge.style("width")) * zoom;
            edges.push('<line x1="' + a.x.toFixed(1) + '" y1="' + a.y.toFixed(1) + '" x2="' + b.x.toFixed(1) +
                '" y2="' + b.y.toFixed(1) + '" stroke="' + edge.style("line-color") + '" stroke-width="' +
                w.toFixed(2) + '" opacity="' + edge.effectiveOpacity().toFixed(3) + '"' +
                dashes(edge.style("line-style"), w, zoom) + "/>");
            labels.push(labelSvg(edge, (a.x + b.x) / 2, (a.y + b.y) / 2, zoom));
        });
        cy.nodes().forEach(function (node) {
            if (!node.visible()) { return; }
            const p = node.renderedPosition(), w = node.renderedWidth(), h = node.renderedHeight();
            if (p.x + w < 0 || p.y + h < 0 || p.x - w > width || p.y - h > height) { return; }
            const border = px(node.style("border-width")) * zoom, borderStyle = node.style("border-style");
            const fill = ' fill="' + node.style("background-color") + '" fill-opacity="' +
                px(node.style("background-opacity")) + '"';
            const stroke = function (sw) {
                return border > 0 ? ' stroke="' + node.style("border-color") + '" stroke-width="' + sw.toFixed(2) + '"' +
                    dashes(borderStyle, sw, zoom) : "";
            };
            const shape = node.style("shape");
            let drawn = shapeSvg(shape, p.x, p.y, w, h, fill + (borderStyle === "double" ? stroke(border / 3)
                                                                                        : stroke(border)));
            if (borderStyle === "double" && border > 0) {  // the inner ring of a double border
                drawn += shapeSvg(shape, p.x, p.y, w - 4 * border / 3, h - 4 * border / 3,
                                  ' fill="none"' + stroke(border / 3));
            }
            nodes.push('<g opacity="' + node.effectiveOpacity().toFixed(3) + '">' + drawn + "</g>");
            const size = px(node.style("font-size")) * zoom, margin = px(node.style("text-margin-y")) * zoom;
            const valign = node.style("text-valign");
            const y = valign === "bottom" ? p.y + h / 2 + border / 2 + margin + size * 0.85
                : valign === "top" ? p.y - h / 2 - border / 2 + margin - size * 0.25 : p.y + size * 0.35;
            labels.push(labelSvg(node, p.x, y, zoom));
        });
        const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + width + '" height="' + height +
            '" viewBox="0 0 ' + width + " " + height + '" overflow="hidden">' +
            '<rect width="' + width + '" height="' + height + '" fill="#ffffff"/>' +
            '<g class="edges" stroke-linecap="round">' + edges.join("") + "</g>" +
            '<g class="nodes">' + nodes.join("") + "</g>" +
            '<g class="labels" font-family="' + esc(FONT) + '">' + labels.join("") + "</g></svg>";
        return {svg: svg, width: width, height: height};
    }

    function networkView(format) {
        const cy = window.cy;
        if (!cy || !cy.container()) { throw new Error("the network is not drawn"); }
        if (format === "svg") { return networkSvg(cy); }
        const container = cy.container();
        return {url: cy.png({output: "base64uri", full: false, bg: "#ffffff", scale: SCALE}),
                width: container.clientWidth, height: container.clientHeight};
    }

    // --- the menu --------------------------------------------------------------------------------------
    function save(blob, name) {
        const url = URL.createObjectURL(blob);
        const link = document.createElement("a");
        link.href = url;
        link.download = name;
        link.style.display = "none";
        document.body.appendChild(link);
        link.click();
        setTimeout(function () { URL.revokeObjectURL(url); link.remove(); }, 30000);
    }

    // The caption is computed when the dialog opens (components/export.py): wait for it briefly.
    async function currentCaption() {
        for (let i = 0; i < 50; i++) {
            const caption = captionData();
            if (caption.lines) { return caption; }
            await new Promise(function (resolve) { setTimeout(resolve, 100); });
        }
        return captionData();
    }

    async function run(view, format) {
        const caption = await currentCaption();
        const date = caption.date || new Date().toISOString().slice(0, 10);
        const name = "atlas-" + view + "-" + date + "." + format;
        status(message(caption, "working", name));
        try {
            const drawn = view === "map" ? await mapView(format) : networkView(format);
            const blob = format === "svg" ? composeSvg(drawn.svg, drawn.width, drawn.height, caption, view)
                : await composePng(drawn.url, drawn.width, drawn.height, caption, view);
            save(blob, name);
            status(message(caption, "done", name));
        } catch (error) {
            status(message(caption, "failed", name).replace("{error}", (error && error.message) || String(error)));
        }
    }

    document.addEventListener("click", function (event) {
        const item = event.target && event.target.closest && event.target.closest("[data-atlas-export]");
        if (!item || item.disabled) { return; }
        event.preventDefault();
        const parts = item.getAttribute("data-atlas-export").split("-");
        run(parts[0], parts[1]);
    });
})();
