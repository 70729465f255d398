// The legend of an exported image (assets/export.js): read from the view's HTML legend as it is on
// screen (components/map_panel.py, components/network_legend.py), so an image never explains
// something else than the page did, then laid out in columns under the view and drawn on a canvas
// (PNG) or as SVG elements. Only headings and their items are drawn; the legend's explanatory
// paragraphs stay on the page (the caption says what an image needs).
(function () {
    "use strict";
    const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    const INK = "#1a1a1a";
    const PAD = 12, SIZE = 12, HEADING = 12.5, LINE = 16, SWATCH = 24, GAP = 16, COLUMN = 210;
    const LEGENDS = {map: "atlas-map-legend", network: "atlas-network-legend"};
    const measure = document.createElement("canvas").getContext("2d");

    function px(value) { return parseFloat(value) || 0; }

    function esc(text) {
        return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
            .replace(/"/g, "&quot;");
    }

    // One swatch part: a CSS box (shape from its class or its border radius) or a line (a top border).
    function part(element) {
        const cs = getComputedStyle(element);
        const w = px(cs.width), h = px(cs.height), border = px(cs.borderTopWidth);
        const classes = element.classList;
        if (h === 0 && border > 0) {
            return {kind: "line", w: w, width: border, color: cs.borderTopColor, dash: cs.borderTopStyle};
        }
        const shape = classes.contains("swatch-diamond") ? "diamond"
            : classes.contains("swatch-hexagon") ? "hexagon"
            : (cs.borderTopLeftRadius.indexOf("%") > 0 || px(cs.borderTopLeftRadius) >= Math.min(w, h) / 2) ? "ellipse"
            : "rect";
        return {kind: shape, w: w + (cs.boxSizing === "border-box" ? 0 : 2 * border),
                h: h + (cs.boxSizing === "border-box" ? 0 : 2 * border), fill: cs.backgroundColor,
                opacity: px(cs.opacity === "" ? "1" : cs.opacity), stroke: border > 0 ? cs.borderTopColor : "",
                strokeWidth: border, dash: cs.borderTopStyle, radius: px(cs.borderTopLeftRadius)};
    }

    function item(li) {
        const swatch = li.querySelector(".legend-swatch");
        const badge = li.querySelector(".badge-synthetic");
        let text = "";
        li.childNodes.forEach(function (node) {
            if (node === swatch || node === badge) { return; }
            text += node.textContent;
        });
        const out = {text: text.trim().replace(/\s+/g, " "), parts: []};
        if (swatch) {
            Array.prototype.forEach.call(swatch.children, function (child) { out.parts.push(part(child)); });
        }
        if (badge) {
            const cs = getComputedStyle(badge);
            out.badge = {text: badge.textContent.trim(), fill: cs.backgroundColor, color: cs.color};
        }
        return out;
    }

    // [{heading, items: [{text, parts, badge}]}] of the view's legend as the page shows it.
    function model(view) {
        const holder = document.getElementById(LEGENDS[view]);
        const sections = [];
        let heading = "";
        if (!holder) { return sections; }
        (function walk(parent) {
            Array.prototype.forEach.call(parent.children, function (child) {
                const tag = child.tagName;
                if (tag === "H3") { heading = child.textContent.trim(); }
                else if (tag === "UL") {
                    const items = Array.prototype.map.call(child.querySelectorAll("li"), item)
                        .filter(function (entry) { return entry.text || entry.parts.length; });
                    if (items.length) { sections.push({heading: heading, items: items}); }
                    heading = "";
                } else if (tag === "DIV") { walk(child); }  // a section of its own (e.g. actors outside the region)
            });
        })(holder);
        return sections;
    }

    // the caption's word wrap (assets/export.js), with the same text metrics
    function wrap(text, font, width) { return window.atlasExport.wrap(text, font, width); }

    // Drawing operations (in image pixels, from ``top``) and the block's height; [] when no legend.
    function layout(view, width, title, top) {
        const sections = model(view);
        if (!sections.length) { return {ops: [], height: 0}; }
        const font = SIZE + "px " + FONT, bold = "bold " + HEADING + "px " + FONT;
        const inner = width - 2 * PAD;
        const columns = Math.max(1, Math.floor((inner + GAP) / (COLUMN + GAP)));
        const column = (inner - (columns - 1) * GAP) / columns;
        const ops = [];
        let y = top + PAD / 2;
        y += LINE;
        ops.push({op: "text", x: PAD, y: y - 4, text: title, font: "bold 13px " + FONT, size: 13, bold: true});
        sections.forEach(function (section) {
            if (section.heading) {
                y += LINE;
                ops.push({op: "text", x: PAD, y: y - 4, text: section.heading, font: bold, size: HEADING, bold: true});
            }
            for (let i = 0; i < section.items.length; i += columns) {
                let rowLines = 1;
                section.items.slice(i, i + columns).forEach(function (entry, c) {
                    const x = PAD + c * (column + GAP);
                    const mid = y + LINE / 2 + 1;
                    let textX = x + (entry.parts.length ? SWATCH + 6 : 0);
                    drawParts(entry.parts, x, mid, ops);
                    if (entry.badge) {
                        measure.font = "bold 10px " + FONT;
                        const bw = measure.measureText(entry.badge.text).width + 8;
                        ops.push({op: "rect", x: textX, y: mid - 7, w: bw, h: 14, fill: entry.badge.fill, rx: 3});
                        ops.push({op: "text", x: textX + 4, y: mid + 3.5, text: entry.badge.text,
                                  font: "bold 10px " + FONT, size: 10, bold: true, color: entry.badge.color});
                        textX += bw + 6;
                    }
                    const lines = wrap(entry.text, font, Math.max(40, x + column - textX));
                    lines.forEach(function (text, n) {
                        ops.push({op: "text", x: textX, y: y + (n + 1) * LINE - 4, text: text, font: font, size: SIZE});
                    });
                    rowLines = Math.max(rowLines, lines.length);
                });
                y += rowLines * LINE + 2;
            }
        });
        return {ops: ops, height: Math.ceil(y - top + PAD / 2)};
    }

    // A swatch's parts side by side, centred in its box, as drawing operations.
    function drawParts(parts, x, mid, ops) {
        if (!parts.length) { return; }
        const total = parts.reduce(function (sum, p) { return sum + p.w; }, 0) + 2 * (parts.length - 1);
        let left = x + (SWATCH - total) / 2;
        parts.forEach(function (p) {
            if (p.kind === "line") {
                ops.push({op: "line", x1: left, x2: left + p.w, y: mid, width: p.width, color: p.color, dash: p.dash});
            } else {
                ops.push({op: "shape", shape: p.kind, cx: left + p.w / 2, cy: mid, w: p.w, h: p.h, fill: p.fill,
                          opacity: p.opacity, stroke: p.stroke, strokeWidth: p.strokeWidth, dash: p.dash,
                          radius: p.radius});
            }
            left += p.w + 2;
        });
    }

    function dashArray(style, width) {
        if (style === "dashed") { return [3 * width, 2 * width]; }
        if (style === "dotted") { return [width, width]; }
        return [];
    }

    function points(op) {
        const hw = op.w / 2, hh = op.h / 2;
        const list = op.shape === "diamond"
            ? [[0, -1.41], [1.41, 0], [0, 1.41], [-1.41, 0]]  // a square turned 45°: its diagonal
            : [[-1, 0], [-0.5, -1], [0.5, -1], [1, 0], [0.5, 1], [-0.5, 1]];
        return list.map(function (p) { return [op.cx + p[0] * hw, op.cy + p[1] * hh]; });
    }

    function toCanvas(ops, ctx) {
        ops.forEach(function (op) {
            ctx.save();
            if (op.op === "text") {
                ctx.font = op.font; ctx.fillStyle = op.color || INK; ctx.fillText(op.text, op.x, op.y);
            } else if (op.op === "rect") {
                ctx.fillStyle = op.fill; ctx.beginPath();
                if (ctx.roundRect) { ctx.roundRect(op.x, op.y, op.w, op.h, op.rx); } else { ctx.rect(op.x, op.y, op.w, op.h); }
                ctx.fill();
            } else if (op.op === "line") {
                ctx.strokeStyle = op.color; ctx.lineWidth = op.width; ctx.setLineDash(dashArray(op.dash, op.width));
                ctx.beginPath(); ctx.moveTo(op.x1, op.y); ctx.lineTo(op.x2, op.y); ctx.stroke();
            } else {
                ctx.globalAlpha = op.opacity; ctx.beginPath();
                if (op.shape === "ellipse") { ctx.ellipse(op.cx, op.cy, op.w / 2, op.h / 2, 0, 0, 2 * Math.PI); }
                else if (op.shape === "rect") { ctx.rect(op.cx - op.w / 2, op.cy - op.h / 2, op.w, op.h); }
                else { points(op).forEach(function (p, i) { if (i) { ctx.lineTo(p[0], p[1]); } else { ctx.moveTo(p[0], p[1]); } }); ctx.closePath(); }
                ctx.fillStyle = op.fill; ctx.fill();
                if (op.stroke && op.strokeWidth > 0) {
                    const width = op.dash === "double" ? op.strokeWidth / 3 : op.strokeWidth;
                    ctx.strokeStyle = op.stroke; ctx.lineWidth = width;
                    ctx.setLineDash(dashArray(op.dash, width)); ctx.stroke();
                }
            }
            ctx.restore();
        });
    }

    function toSvg(ops) {
        return '<g class="legend" font-family="' + esc(FONT) + '">' + ops.map(function (op) {
            if (op.op === "text") {
                return '<text x="' + op.x.toFixed(1) + '" y="' + op.y.toFixed(1) + '" font-size="' + op.size + '"' +
                    (op.bold ? ' font-weight="bold"' : "") + ' fill="' + (op.color || INK) + '">' + esc(op.text) + "</text>";
            }
            if (op.op === "rect") {
                return '<rect x="' + op.x.toFixed(1) + '" y="' + op.y.toFixed(1) + '" width="' + op.w.toFixed(1) +
                    '" height="' + op.h + '" rx="' + op.rx + '" fill="' + op.fill + '"/>';
            }
            if (op.op === "line") {
                const dash = dashArray(op.dash, op.width);
                return '<line x1="' + op.x1.toFixed(1) + '" y1="' + op.y.toFixed(1) + '" x2="' + op.x2.toFixed(1) +
                    '" y2="' + op.y.toFixed(1) + '" stroke="' + op.color + '" stroke-width="' + op.width + '"' +
                    (dash.length ? ' stroke-dasharray="' + dash.join(" ") + '"' : "") + "/>";
            }
            const width = op.dash === "double" ? op.strokeWidth / 3 : op.strokeWidth;
            const dash = dashArray(op.dash, width);
            const attrs = ' fill="' + op.fill + '" opacity="' + op.opacity + '"' +
                (op.stroke && op.strokeWidth > 0 ? ' stroke="' + op.stroke + '" stroke-width="' + width.toFixed(2) + '"' +
                 (dash.length ? ' stroke-dasharray="' + dash.join(" ") + '"' : "") : "");
            if (op.shape === "ellipse") {
                return '<ellipse cx="' + op.cx.toFixed(1) + '" cy="' + op.cy.toFixed(1) + '" rx="' + (op.w / 2).toFixed(1) +
                    '" ry="' + (op.h / 2).toFixed(1) + '"' + attrs + "/>";
            }
            if (op.shape === "rect") {
                return '<rect x="' + (op.cx - op.w / 2).toFixed(1) + '" y="' + (op.cy - op.h / 2).toFixed(1) + '" width="' +
                    op.w.toFixed(1) + '" height="' + op.h.toFixed(1) + '" rx="' + Math.min(op.radius, op.h / 2) + '"' + attrs + "/>";
            }
            return '<polygon points="' + points(op).map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); })
                .join(" ") + '"' + attrs + "/>";
        }).join("\n") + "</g>";
    }

    window.atlasExportLegend = {model: model, layout: layout, toCanvas: toCanvas, toSvg: toSvg};
})();
