// The presentation stage (/present/<story>, built by core/stage.py). Every scene is an /embed frame
// rendered ahead and stacked in #stage-views; a key shows another one. The frames load one at a
// time, the current scene first, then the next ones, then the ones before: each tells the stage
// when it is drawn (assets/stage_frame.js). Also loaded by the atlas's own pages (Dash serves
// every file of assets/): there it finds no story and does nothing.
(function () {
    const source = document.getElementById("stage-data");
    if (!source) { return; }
    const data = JSON.parse(source.textContent);
    const scenes = data.scenes;
    const count = scenes.length;
    const views = document.getElementById("stage-views");
    const $ = id => document.getElementById(id);
    // a frame that has not said it is drawn after this long is taken as failed (the notice says so)
    const LOAD_TIMEOUT_MS = 45000;
    const frames = {}, state = {};  // by scene number: the iframe; "loading" | "ready" | "failed"
    let current = data.step, queue = [];
    window.atlasStage = {
        current: () => current,
        state: n => state[n] || "",
        frame: n => frames[n] || null,
        ready: () => scenes.every(s => state[s.number] === "ready"),
        shownAt: 0, keyAt: 0, paintedAt: 0, paintedScene: 0, paintedReady: false,
    };

    function say(key, values) {
        let text = data.strings[key] || key;
        Object.entries(values || {}).forEach(([k, v]) => { text = text.replace("{" + k + "}", v); });
        return text;
    }

    function load(number) {
        if (frames[number]) { return; }
        const scene = scenes[number - 1];
        const frame = document.createElement("iframe");
        frame.className = "stage-frame";
        frame.dataset.scene = String(number);
        frame.title = say("stage.scene", {number: number, title: scene.title});
        frame.src = scene.frame;
        frame.setAttribute("inert", "");
        frame.setAttribute("aria-hidden", "true");
        frames[number] = frame;
        state[number] = "loading";
        frame.addEventListener("load", () => {
            // an error page (the connection dropped) is no document of ours
            let ours = false;
            try { ours = !!(frame.contentWindow && frame.contentWindow.location.href.indexOf("/embed") >= 0); }
            catch (e) { ours = false; }
            if (!ours) { fail(number); }
        });
        setTimeout(() => { if (state[number] === "loading") { fail(number); } }, LOAD_TIMEOUT_MS);
        views.appendChild(frame);
        if (number === current) { show(number); }
    }

    function fail(number) {
        if (state[number] === "ready") { return; }
        state[number] = "failed";
        if (number === current) { notice(); }
        next();
    }

    // the load order: the current scene, then forward, then back (what the presenter is likeliest to show)
    function plan() {
        queue = [];
        for (let n = current; n <= count; n++) { queue.push(n); }
        for (let n = current - 1; n >= 1; n--) { queue.push(n); }
    }
    function next() {
        while (queue.length) {
            const n = queue.shift();
            if (!frames[n]) { load(n); return; }
        }
    }

    window.addEventListener("message", event => {
        if (event.origin !== window.location.origin || !event.data || typeof event.data !== "object") { return; }
        const message = event.data;
        if (message.atlas === "scene-ready") {
            const number = Number(message.scene);
            if (!frames[number] || state[number] === "ready") { return; }
            state[number] = "ready";
            if (number === current) { notice(); }
            next();
        } else if (message.atlas === "key") {
            handleKey(message.key);
        }
    });

    function notice() {
        const box = $("stage-notice");
        const s = state[current];
        let text = "";
        if (s === "failed") { text = say(navigator.onLine === false ? "stage.offline" : "stage.failed", {number: current}); }
        else if (s === "loading") { text = say(navigator.onLine === false ? "stage.offline" : "stage.loading", {number: current}); }
        box.textContent = text;
        box.hidden = !text;
        document.body.classList.toggle("stage-waiting", s !== "ready");
    }
    window.addEventListener("offline", notice);
    window.addEventListener("online", () => {
        // back online: scenes not drawn yet (failed, or stuck while the connection was down) load again
        Object.keys(state).forEach(n => {
            if (state[n] !== "ready") {
                const frame = frames[n];
                delete frames[n];
                if (frame) { frame.remove(); }
                queue.unshift(Number(n));
            }
        });
        notice();
        next();
    });

    function caption(scene) {
        $("present-title").textContent = scene.title;
        $("present-text").textContent = scene.text;
        $("stage-selected").textContent = scene.selected ? say("stage.selected", {name: scene.selected}) : "";
    }
    // The band is as tall as the tallest scene's caption, so the views keep one size through the
    // story: no scene resizes (and redraws) the map and the network, and nothing jumps on a key.
    function fitBand() {
        const band = $("present-panel");
        band.style.minHeight = "";
        let tallest = 0;
        scenes.forEach(scene => { caption(scene); tallest = Math.max(tallest, band.getBoundingClientRect().height); });
        band.style.minHeight = Math.ceil(tallest) + "px";
        caption(scenes[current - 1]);
    }
    let resizeTimer = null;
    window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(fitBand, 100); });

    function show(number) {
        const scene = scenes[number - 1];
        Object.entries(frames).forEach(([n, frame]) => {
            const on = Number(n) === number;
            frame.classList.toggle("is-current", on);
            if (on) { frame.removeAttribute("inert"); frame.removeAttribute("aria-hidden"); }
            else { frame.setAttribute("inert", ""); frame.setAttribute("aria-hidden", "true"); }
        });
        const frame = frames[number];
        if (frame && frame.contentWindow && state[number] === "ready") {
            frame.contentWindow.postMessage({atlas: "show", map: scene.map, net: scene.net}, window.location.origin);
        }
        caption(scene);
        $("present-counter").textContent = number + " / " + count;
        $("present-prev").disabled = number <= 1;
        $("present-next").disabled = number >= count;
        const params = new URLSearchParams(scene.query);
        if (data.lang !== "en" || data.keepLang) { params.set("lang", data.lang); }
        const search = "?" + params.toString().replace(/%2C/g, ",");
        if (search !== window.location.search) {
            window.history.replaceState(null, "", window.location.pathname + search);
        }
        document.querySelectorAll(".stage-lang").forEach(link => {
            const other = new URLSearchParams(link.getAttribute("href").replace(/^\?/, ""));
            other.set("step", String(number));
            link.setAttribute("href", "?" + other.toString());
        });
        notice();
        // when the switch reaches the screen (two frames later): what the benchmark times from the key
        const stage = window.atlasStage;
        stage.shownAt = performance.now();
        stage.paintedAt = 0;
        requestAnimationFrame(() => requestAnimationFrame(() => {
            stage.paintedAt = performance.now();
            stage.paintedScene = number;
            stage.paintedReady = state[number] === "ready";
        }));
    }

    function go(number) {
        number = Math.min(Math.max(number, 1), count);
        if (number === current && frames[number]) { return; }
        current = number;
        if (!frames[number]) { queue.unshift(number); next(); }
        show(number);
    }

    function handleKey(key) {
        if (["ArrowRight", "ArrowDown", "PageDown", " ", "Spacebar", "Enter"].includes(key)) { go(current + 1); return true; }
        if (["ArrowLeft", "ArrowUp", "PageUp", "Backspace"].includes(key)) { go(current - 1); return true; }
        if (key === "Home") { go(1); return true; }
        if (key === "End") { go(count); return true; }
        return false;
    }
    document.addEventListener("keydown", event => {
        const tag = (event.target && event.target.tagName) || "";
        if (["INPUT", "TEXTAREA", "SELECT"].includes(tag)) { return; }
        if (event.target && event.target.closest && event.target.closest("button, a") && event.key === "Enter") { return; }
        window.atlasStage.keyAt = performance.now();
        if (handleKey(event.key)) { event.preventDefault(); }
    });
    $("present-prev").addEventListener("click", () => go(current - 1));
    $("present-next").addEventListener("click", () => go(current + 1));

    fitBand();
    plan();
    next();
    show(current);
})();
