// Texts in attributes of elements the atlas does not render itself (the year slider's handles,
// MapLibre's canvas): set in the page's language whenever the language or the map changes.
// The texts come from the server's string files through the language store (components/translate.py).
window.atlasApplyAttributeTexts = function (texts, lang) {
    const mine = (texts && texts[lang]) || {};
    const set = (selector, key) => {
        if (!mine[key]) { return; }
        document.querySelectorAll(selector).forEach(el => el.setAttribute("aria-label", mine[key]));
    };
    for (const attribute of ["aria-label", "title"]) {
        const marker = attribute === "title" ? "data-i18n-title" : "data-i18n-aria";
        document.querySelectorAll("[" + marker + "]").forEach(el => {
            const text = mine[el.getAttribute(marker)];
            if (text) { el.setAttribute(attribute, text); }
        });
    }
    set(".dash-slider-thumb-1", "filters.year_from");
    set(".dash-slider-thumb-2", "filters.year_to");
    set(".maplibregl-canvas", "aria.map");
};
