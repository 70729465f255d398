// On a phone or a tablet (assets/atlas.css, max-width 900px) the filters are a drawer over the views:
// the header's Filters button opens it, its × button, Escape or the button again close it. The state
// is a class of <body> (outside what Dash renders, so a re-render never undoes it); the button says it
// with aria-expanded, and the focus moves into the drawer and back.
(function () {
    const TOGGLE = "atlas-filters-toggle", CLOSE = "atlas-filters-close", FILTERS = "atlas-filters";
    function set(open) {
        document.body.classList.toggle("filters-open", open);
        const toggle = document.getElementById(TOGGLE);
        if (toggle) { toggle.setAttribute("aria-expanded", open ? "true" : "false"); }
        if (open) {
            const close = document.getElementById(CLOSE);
            if (close) { close.focus(); }
        } else if (toggle && document.getElementById(FILTERS).contains(document.activeElement)) {
            toggle.focus();
        }
    }
    document.addEventListener("click", event => {
        const target = event.target.closest ? event.target.closest("#" + TOGGLE + ", #" + CLOSE) : null;
        if (!target) { return; }
        set(target.id === TOGGLE ? !document.body.classList.contains("filters-open") : false);
    });
    document.addEventListener("keydown", event => {
        if (event.key === "Escape" && document.body.classList.contains("filters-open")) { set(false); }
    });
})();
