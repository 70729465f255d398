// A scene of a presentation: the atlas's /embed page with stage=1, in a frame of the stage
// (assets/stage.js). It tells the stage once the scene is drawn, passes the clicker's keys up
// (a click into a view gives the frame the focus), and when shown again after the presenter moved
// a view, puts back the camera the scene's URL gives.
(function () {
    const params = new URLSearchParams(window.location.search);
    if (params.get("stage") !== "1" || window.parent === window) { return; }
    const scene = Number(params.get("scene") || "0");
    const origin = window.location.origin;
    const tell = message => window.parent.postMessage(Object.assign({scene: scene}, message), origin);
    const KEYS = ["ArrowRight", "ArrowDown", "PageDown", " ", "Spacebar", "ArrowLeft", "ArrowUp", "PageUp", "Home", "End"];
    document.addEventListener("keydown", event => {
        const tag = (event.target && event.target.tagName) || "";
        if (["INPUT", "TEXTAREA", "SELECT"].includes(tag) || !KEYS.includes(event.key)) { return; }
        event.preventDefault();
        tell({atlas: "key", key: event.key});
    });

    // Drawn: each panel shown has its picture (the map its traces, the network its nodes), no
    // callback is in flight, and it stayed so for a moment.
    const shown = id => { const el = document.getElementById(id); return !!el && el.offsetParent !== null; };
    function drawn() {
        if (!document.getElementById("atlas-map-panel")) { return false; }
        if (document.querySelector('[data-dash-is-loading="true"]')) { return false; }
        if (shown("atlas-map-panel")) {
            const gd = document.querySelector("#atlas-map .js-plotly-plot");
            const map = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
            if (!gd || !gd._fullData || !gd._fullData.length || !map || !map.map || !map.map.loaded()) { return false; }
        }
        if (shown("atlas-network-panel")) {
            if (!window.cy || !window.cy.nodes().length) { return false; }
        }
        return true;
    }
    let since = 0, told = false;
    const poll = setInterval(() => {
        if (told) { clearInterval(poll); return; }
        if (!drawn()) { since = 0; return; }
        since = since || performance.now();
        if (performance.now() - since >= 600) { told = true; tell({atlas: "scene-ready"}); }
    }, 150);

    // the presenter moved a view: when the scene is shown again, its own camera comes back
    let moved = false;
    ["wheel", "mousedown", "touchstart"].forEach(type => document.addEventListener(type, () => { moved = true; }, true));
    window.addEventListener("message", event => {
        if (event.origin !== origin || !event.data || event.data.atlas !== "show" || !moved) { return; }
        moved = false;
        const camera = window.atlasCamera;
        if (!camera) { return; }
        camera.applyMap(event.data.map || null);
        if (event.data.net) { camera.applyNetwork(event.data.net); }
        else { camera.fitNetwork(); if (params.get("sel")) { camera.revealSelection(); } }
    });
})();
