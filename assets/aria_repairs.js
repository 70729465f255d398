// Repairs of what Dash's own components say to assistive technology (found by axe-core in
// tests/browser/test_accessibility.py), made in the page because the components offer no prop:
// - dcc.RadioItems and dcc.Checklist (dash 4.4) call their list a "listbox" of "options" wrapped
//   around native radio buttons and checkboxes: interactive controls nested in interactive roles,
//   a listbox without a name, and every option "not selected" whatever its input says. The native
//   inputs, named by their labels and grouped by the fieldset's legend, are what a screen reader
//   should meet: the roles go.
// - The table's page buttons are icons with no text: they get a name, in the page's language.
(function () {
    const PAGE_BUTTONS = ["first-page", "previous-page", "next-page", "last-page"];
    function names() {
        const holder = document.getElementById("atlas-network-key-texts");
        const lang = document.documentElement.lang || "en";
        try {
            const all = JSON.parse(holder.getAttribute("data-texts"));
            return ((all[lang] || all.en || {}).templates) || {};
        } catch (e) { return {}; }
    }
    function repair() {
        document.querySelectorAll(".dash-options-list[role='listbox']").forEach(list => list.removeAttribute("role"));
        // React sets aria-selected again when a value changes (not the role): both are looked for
        document.querySelectorAll(".dash-options-list-option[role], .dash-options-list-option[aria-selected]").forEach(option => {
            option.removeAttribute("role");
            option.removeAttribute("aria-selected");
        });
        const texts = names();
        PAGE_BUTTONS.forEach(name => {
            const wanted = texts["table." + name.replace("-", "_")];
            document.querySelectorAll("#atlas-table button." + name).forEach(button => {
                if (wanted && button.getAttribute("aria-label") !== wanted) { button.setAttribute("aria-label", wanted); }
            });
        });
    }
    new MutationObserver(repair).observe(document.documentElement, {
        childList: true, subtree: true, attributes: true, attributeFilter: ["role", "aria-selected", "lang"],
    });
})();
