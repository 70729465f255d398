"""Putting the languages on the page.

Static text (headings, labels, buttons, option labels) is rendered in every language at once,
each in a ``<span class="i18n" lang="..">``; the page's class (``lang-it``, ``lang-de``..., none
for English) shows one with CSS. So switching language costs no request and no re-render, nothing static
can be left untranslated, and screen readers get the right ``lang`` for what they read out.
Text that callbacks build (counts, details, legend, notices) takes the language store as
an input and is built in that language on the server.

The language (``ids.LANG``) is decided in the browser: ``?lang=`` when the URL has it, else the
first of the browser's preferred languages the atlas has, else English.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from dash import Input, Output, State, dcc, html

from components import ids
from core.i18n import LANGUAGE_NAMES, LANGUAGES, number, record_name, t


def both(texts: Mapping[str, str]) -> list[html.Span]:
    """One span per language; identical texts collapse into one plain span shown in every language."""
    if len(set(texts.values())) == 1:
        return [html.Span(next(iter(texts.values())))]
    return [html.Span(texts[lang], lang=lang, className="i18n") for lang in LANGUAGES]


def T(key: str, /, **values: object) -> list[html.Span]:  # noqa: N802 - reads like the gettext "_" it replaces
    """The interface text ``key`` in every language (see the module docstring); whole numbers
    among ``values`` get each language's thousands separator."""
    return both(
        {
            lang: t(
                key,
                lang,
                **{
                    k: number(v, lang) if isinstance(v, int) and not isinstance(v, bool) else v
                    for k, v in values.items()
                },
            )
            for lang in LANGUAGES
        }
    )


def N(record: Mapping) -> list[html.Span]:  # noqa: N802
    """A data record's name in every language (``name_it``, ``name_de``... where the data has one)."""
    return both({lang: record_name(record, lang) for lang in LANGUAGES})


def option_label(*parts: object) -> html.Span:
    """An option's label for a checklist, radio or dropdown: one component. (Dash renders a label
    that is a list item by item, and fails on a bare string among components)."""
    children: list = []
    for part in parts:
        children.extend(part if isinstance(part, list) else [part])
    return html.Span(children)


def language_switch() -> html.Nav:
    """Links to the same view in each language (hrefs follow the URL, see :func:`register`), each
    named in its own language for the screen reader (``lang``, ``hreflang``)."""
    return html.Nav(
        [
            dcc.Link(
                # the link's text in its own language (dcc.Link takes no lang attribute itself)
                html.Span(code.upper() if code != "zh" else LANGUAGE_NAMES[code], lang=code),
                id=ids.LANG_LINK + code,
                href=f"?lang={code}",
                className="lang-link",
                title=LANGUAGE_NAMES[code],
            )
            for code in LANGUAGES
        ],
        className="lang-switch",
        **{"aria-label": " / ".join(dict.fromkeys(t("aria.language", code) for code in LANGUAGES))},
    )


# ?lang= wins; else the browser's languages in order of preference; else English. Side effects:
# <html lang>, the page title and the aria-labels follow, so screen readers and tabs say the right thing.
CHOOSE_LANGUAGE = """
function(search, texts, current) {
    const supported = SUPPORTED;
    let lang = new URLSearchParams(search || "").get("lang");
    lang = lang && lang.trim().toLowerCase().slice(0, 2);
    if (!supported.includes(lang)) {
        const wanted = (navigator.languages && navigator.languages.length) ? navigator.languages
                                                                            : [navigator.language || "en"];
        lang = wanted.map(l => (l || "").toLowerCase().slice(0, 2)).find(l => supported.includes(l)) || "en";
    }
    // Only a real change goes out: every callback worded in the language listens to this store.
    if (lang === current) { return window.dash_clientside.no_update; }
    const mine = (texts && texts[lang]) || {};
    document.documentElement.lang = lang;
    if (mine.title) { document.title = mine.title; }
    const search_box = document.getElementById("SEARCH_ID");
    const placeholder = mine["filters.search_placeholder"];
    if (search_box && placeholder) { search_box.placeholder = placeholder; }
    if (window.atlasApplyAttributeTexts) { window.atlasApplyAttributeTexts(texts, lang); }  // assets/i18n.js
    return lang;
}
""".replace("SEARCH_ID", ids.SEARCH).replace("SUPPORTED", json.dumps(list(LANGUAGES)))
# The links keep the path and every other parameter and change only ``lang``: every href, then
# every class (the current language's marked), in the order of LANGUAGES.
SWITCH_HREFS = """
function(search, pathname, lang) {
    const codes = SUPPORTED;
    const href = code => {
        const params = new URLSearchParams(search || "");
        params.set("lang", code);
        return (pathname || "/") + "?" + params.toString().replace(/%2C/g, ",");
    };
    const current = c => "lang-link" + (c === lang ? " current" : "");
    return codes.map(href).concat(codes.map(current));
}
""".replace("SUPPORTED", json.dumps(list(LANGUAGES)))


#: keys of the texts that live in attributes (aria-label, placeholder), set in the browser
ATTRIBUTE_KEYS = (
    "aria.filters",
    "aria.map",
    "aria.map_legend",
    "aria.network_legend",
    "aria.network",
    "aria.details",
    "aria.close_details",
    "aria.presentation",
    "aria.dismiss",
    "filters.search_placeholder",
    "share.iframe_title",
    "filters.year_from",
    "filters.year_to",
    "export.aria_button",
    "filters.drawer_open",
    "filters.drawer_close",
)


def aria(key: str) -> dict[str, str]:
    """Props for an element whose ``aria-label`` is the text ``key``: English in the HTML, then
    set by the language callback (attributes cannot hold two languages the way text can)."""
    return {"aria-label": t(key), "data-i18n-aria": key}


def titled(key: str) -> dict[str, str]:
    """Props for an element whose ``title`` (tooltip) is the text ``key``, like :func:`aria`."""
    return {"title": t(key), "data-i18n-title": key}


def stores(titles: Mapping[str, str]) -> list[dcc.Store]:
    """The language store and the attribute texts and page title per language (placed once)."""
    texts = {
        lang: {**{key: t(key, lang) for key in ATTRIBUTE_KEYS}, "title": titles.get(lang, "")} for lang in LANGUAGES
    }
    return [dcc.Store(id=ids.LANG), dcc.Store(id=ids.LANG_STRINGS, data=texts)]


def register(app) -> None:
    """The language store and the switch's links."""
    app.clientside_callback(
        CHOOSE_LANGUAGE,
        Output(ids.LANG, "data"),
        Input(ids.URL, "search"),
        Input(ids.LANG_STRINGS, "data"),
        State(ids.LANG, "data"),
    )
    app.clientside_callback(
        SWITCH_HREFS,
        *(Output(ids.LANG_LINK + code, "href") for code in LANGUAGES),
        *(Output(ids.LANG_LINK + code, "className") for code in LANGUAGES),
        Input(ids.URL, "search"),
        Input(ids.URL, "pathname"),
        Input(ids.LANG, "data"),
    )
