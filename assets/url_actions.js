// Buttons that change the view through the URL, with no callback of their own: a selection
// (`data-atlas-select="<id>"`, e.g. the map's list of actors outside the region), a map scope
// (`data-atlas-scope="world"`), or a filter cleared (`data-atlas-clear="gvc"`, the counts' hints). The URL is the one place state comes from (components/url.py):
// the address gets a new history entry (Back undoes it) and the page's Location learns it, so the
// state callback reads it exactly as it reads a shared link (the writer is shared with the cameras).
(function () {
    "use strict";
    const ACTIONS = {"data-atlas-select": "sel", "data-atlas-scope": "scope"};
    document.addEventListener("click", function (event) {
        const button = event.target && event.target.closest &&
            event.target.closest("[data-atlas-select], [data-atlas-scope], [data-atlas-clear]");
        if (!button) { return; }
        const params = new URLSearchParams(window.location.search);
        Object.keys(ACTIONS).forEach(function (attribute) {
            const value = button.getAttribute(attribute);
            if (value !== null) { params.set(ACTIONS[attribute], value); }
        });
        (button.getAttribute("data-atlas-clear") || "").split(",").filter(Boolean).forEach(function (name) {
            params.delete(name);
        });
        event.preventDefault();
        window.atlasWriteQuery(params, true);  // assets/camera.js: a history entry, read by the state callback
    });
})();
