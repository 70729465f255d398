"""The languages as a reader meets them: switch, browser default, nothing left in English; Italian
in depth, German, French, Polish and Chinese page by page."""

from __future__ import annotations

import re
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from core.i18n import LANGUAGE_NAMES, LANGUAGES, strings
from data import load_dataset
from tests.browser.conftest import new_driver
from tests.browser.helpers import TIMEOUT, open_atlas, query, wait_idle

pytestmark = pytest.mark.browser

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _english_only_patterns(lang: str = "it") -> list[tuple[str, re.Pattern, bool]]:
    """(key, pattern, whole_line) for every interface text whose English differs from ``lang``'s.

    Short texts must not be a whole visible line (a data name may contain "Network"); longer
    ones must not appear anywhere. Placeholders match anything."""
    english, italian = strings("en"), strings(lang)
    italian_texts = set(italian.values())  # "Province" is English singular and Italian plural
    out = []
    for key, text in english.items():
        if text in italian_texts:
            continue
        literal = PLACEHOLDER.sub("", text).strip(" .,:;()—-")
        if len(literal) < 4:
            continue
        parts = [re.escape(p) for p in PLACEHOLDER.split(text.strip())]
        pattern = re.compile(r".+?".join(parts))
        out.append((key, pattern, len(literal) < 25))
    return out


def _visible_text(driver) -> list[str]:
    """Every visible line of text, plus the texts people meet in attributes (placeholders, labels)."""
    lines = [line.strip() for line in driver.execute_script("return document.body.innerText").splitlines()]
    attributes = driver.execute_script(
        "return Array.from(document.querySelectorAll('[placeholder], [aria-label], [title]'))"
        ".filter(e => e.offsetParent !== null || e === document.body)"
        ".flatMap(e => ['placeholder', 'aria-label', 'title'].map(a => e.getAttribute(a)).filter(Boolean));"
    )
    return [line for line in lines + [a.strip() for a in attributes] if line]


def _untranslated(driver, lang: str = "it") -> list[str]:
    found = []
    patterns = _english_only_patterns(lang)
    for line in _visible_text(driver):
        for key, pattern, whole_line in patterns:
            if pattern.fullmatch(line) if whole_line else pattern.search(line):
                found.append(f"{key}: {line!r}")
    return found


def _data_texts() -> set[str]:
    """Every text the data holds (names, places, sources...): the same in both languages by nature."""
    dataset = load_dataset()
    texts = {str(dataset.meta.get(k, "")) for k in ("title", "title_it", "region_name")}
    for frame in (dataset.actors, dataset.groupings, dataset.areas, dataset.links, dataset.gvcs, dataset.sectors):
        for column in frame.columns.drop("geometry", errors="ignore"):
            texts.update(v for v in frame[column].dropna().tolist() if isinstance(v, str))
    return texts


#: the language switch names every language in itself on purpose
BILINGUAL = (
    {code.upper() for code in LANGUAGES}
    | set(LANGUAGE_NAMES.values())
    | {" / ".join(dict.fromkeys(strings(code)["aria.language"] for code in LANGUAGES))}
)
NUMBERS = re.compile(r"^[\d.,\s/–-]+$")


def _same_in_both_languages(english: list[str], italian: list[str]) -> list[str]:
    """Visible texts that stay the same when the page turns Italian, less data, numbers and the
    Italian texts of the string files (some words are the same in both languages)."""
    data = _data_texts()
    allowed = data | BILINGUAL | set(strings("it").values())  # "Province": English singular, Italian plural
    data_blob = "\n".join(data)  # a source with several parts shows each on its own line
    return sorted(
        line
        for line in set(english) & set(italian)
        if line not in allowed and not NUMBERS.match(line) and not (len(line) > 8 and line in data_blob)
    )


def _italian_shown(driver) -> bool:
    return driver.find_element(By.ID, "atlas-page").get_attribute("class").endswith("lang-it")


@pytest.mark.parametrize(
    "path",
    [
        "/?lang=it&sel=tecnopolo-bologna-dama&areas=eusair&colour=red",  # details, a bad-link notice, programme areas
        "/?lang=it&view=table&prov=IT-BO",
        "/?lang=it&scope=world&link=partner_agreement",
        "/?lang=it&q=zzzz-nothing-matches",  # the empty-result notice
    ],
)
def test_italian_pages_have_no_english_label(app_url: str, browser, path: str) -> None:
    shown = {}
    for lang in ("en", "it"):
        _open(browser, app_url + path.replace("lang=it", f"lang={lang}"), path)
        shown[lang] = _visible_text(browser)
    # what stays the same when the language changes is data, numbers, or a gap in the translation
    same = _same_in_both_languages(shown["en"], shown["it"])
    assert not same, same
    assert _italian_shown(browser)
    assert browser.execute_script("return document.documentElement.lang") == "it"
    if "sel=" in path:
        assert "Fonte" in browser.find_element(By.ID, "atlas-details").text
        assert "parametro sconosciuto 'colour'" in browser.find_element(By.ID, "atlas-notice").text
    if "view=table" in path:
        assert "Tipologia" in browser.find_element(By.ID, "atlas-table").text
    assert _untranslated(browser) == []


def _open(driver, url: str, path: str) -> None:
    if "zzzz" in path:
        driver.get(url)
        WebDriverWait(driver, TIMEOUT).until(lambda d: d.find_element(By.ID, "atlas-empty").is_displayed())
        wait_idle(driver)
    else:
        open_atlas(driver, url)
    if "sel=" in path:
        WebDriverWait(driver, TIMEOUT).until(lambda d: d.find_element(By.ID, "atlas-details").text.strip())
        driver.find_element(By.ID, "atlas-share-button").click()  # the Share dialog too
        WebDriverWait(driver, TIMEOUT).until(lambda d: d.find_element(By.ID, "atlas-share-panel").is_displayed())
        # and the Export dialog (the Share dialog covers its button: the text of both is read at once)
        driver.execute_script("arguments[0].click()", driver.find_element(By.ID, "atlas-export-button"))
        WebDriverWait(driver, TIMEOUT).until(lambda d: d.find_element(By.ID, "atlas-export-panel").is_displayed())
    if "view=table" in path:
        WebDriverWait(driver, TIMEOUT).until(lambda d: d.find_element(By.CSS_SELECTOR, "#atlas-table td"))
    time.sleep(0.6)  # the aria-labels of drawn elements follow the language after drawing


def test_map_hover_text_is_italian(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/?lang=it&view=map")
    hovers = browser.execute_script(
        "const gd = document.querySelector('#atlas-map .js-plotly-plot');"
        "return gd.data.flatMap(t => Array.isArray(t.hovertext) ? t.hovertext : []);"
    )
    text = " ".join(hovers)
    assert "Università" in text and "start-up" in text
    assert "University" not in text and "municipality" not in text.lower()


def test_switching_language_keeps_the_view(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/?prov=IT-BO&view=map")
    assert not _italian_shown(browser)
    assert "Reset all filters" in browser.find_element(By.ID, "atlas-filters").text
    browser.find_element(By.ID, "atlas-lang-it").click()
    WebDriverWait(browser, TIMEOUT).until(_italian_shown)
    wait_idle(browser)
    assert query(browser) == {"prov": ["IT-BO"], "view": ["map"], "lang": ["it"]}
    assert "Azzera tutti i filtri" in browser.find_element(By.ID, "atlas-filters").text
    assert "Reset all filters" not in browser.find_element(By.ID, "atlas-filters").text
    assert "attori" in browser.find_element(By.ID, "filter-counts").text
    assert browser.find_element(By.CSS_SELECTOR, "#filter-prov input[value='IT-BO']").is_selected()
    assert _untranslated(browser) == []
    browser.find_element(By.ID, "atlas-lang-en").click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: not _italian_shown(d))
    wait_idle(browser)
    assert "actors" in browser.find_element(By.ID, "filter-counts").text
    browser.back()  # the language is part of the history like any other view change
    WebDriverWait(browser, TIMEOUT).until(_italian_shown)


def test_network_names_follow_the_language(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/?lang=it&view=network")
    shown = browser.execute_script("return window.cy.nodes().map(n => n.style('label'));")
    assert "Assia" in shown or any("Tecnopolo" in label for label in shown)


def test_browser_language_is_the_default() -> None:
    from tests.browser.conftest import start_app, stop

    proc, url = start_app()
    driver = new_driver("it-IT")
    try:
        open_atlas(driver, url + "/")
        assert _italian_shown(driver)
        assert "lang" not in query(driver)  # the URL stays short; the link opens in the reader's language
        assert driver.title == "Reti dell'innovazione dell'Emilia-Romagna"
        driver.get(url + "/?lang=en")  # an explicit ?lang wins over the browser
        WebDriverWait(driver, TIMEOUT).until(lambda d: not _italian_shown(d))
        # a reader whose first language the atlas lacks gets the first of theirs it has
        polish = new_driver("es-ES,pl")
        try:
            open_atlas(polish, url + "/")
            assert polish.execute_script("return document.documentElement.lang") == "pl"
            assert polish.title == "Sieci innowacji Emilii-Romanii"
        finally:
            polish.quit()
    finally:
        driver.quit()
        stop(proc)


def test_presentation_in_italian(app_url: str, browser) -> None:
    from core.stories import load_stories

    story = load_stories(load_dataset())[0]["abroad"]
    browser.get(app_url + "/present/abroad?lang=it")
    WebDriverWait(browser, TIMEOUT).until(
        lambda d: d.find_element(By.ID, "present-title").text == story.steps[0].title["it"]
    )
    wait_idle(browser)
    assert browser.find_element(By.ID, "present-story").text == story.title["it"]
    assert browser.find_element(By.ID, "present-next").text == "Avanti →"
    browser.find_element(By.ID, "present-next").click()
    WebDriverWait(browser, TIMEOUT).until(
        lambda d: d.find_element(By.ID, "present-title").text == story.steps[1].title["it"]
    )
    assert query(browser)["lang"] == ["it"] and query(browser)["step"] == ["2"]
    browser.find_element(By.ID, "atlas-lang-en").click()  # the switch stays in a corner while presenting
    WebDriverWait(browser, TIMEOUT).until(
        lambda d: d.find_element(By.ID, "present-title").text == story.steps[1].title["en"]
    )
    assert query(browser)["lang"] == ["en"] and query(browser)["step"] == ["2"]
    assert not browser.find_elements(By.ID, "atlas-filters")  # the stage shows views, not controls


@pytest.mark.parametrize(
    ("lang", "path", "reset", "name"),
    [
        ("de", "/?sel=US-CA&scope=world", "Alle Filter zurücksetzen", "Kalifornien"),
        ("fr", "/?sel=DE-HE&scope=world", "Réinitialiser tous les filtres", "Hesse"),
        ("pl", "/?sel=PL-WP&scope=world", "Wyczyść wszystkie filtry", "Wielkopolska"),
        ("zh", "/?sel=CN-GD&scope=world", "重置所有筛选", "广东省"),
    ],
)
def test_each_partner_language_page(app_url: str, browser, lang: str, path: str, reset: str, name: str) -> None:
    """The page in the language of a partner region: its texts, its number format, the region's name
    as that language writes it, the language marked for screen readers, nothing left in English."""
    open_atlas(browser, f"{app_url}{path}&lang={lang}")
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.find_element(By.ID, "atlas-details").text.strip())
    time.sleep(0.6)
    assert browser.execute_script("return document.documentElement.lang") == lang
    assert browser.find_element(By.ID, "atlas-page").get_attribute("class").endswith(f"lang-{lang}")
    assert reset in browser.find_element(By.ID, "atlas-filters").text
    assert browser.find_element(By.CSS_SELECTOR, "#atlas-details h2").text == name
    switch = browser.find_element(By.ID, f"atlas-lang-{lang}")
    assert "current" in switch.get_attribute("class")
    assert switch.find_element(By.CSS_SELECTOR, "span").get_attribute("lang") == lang
    assert _untranslated(browser, lang) == []
    counts = browser.find_element(By.ID, "filter-counts").text
    assert (
        strings(lang)["counts.links"].split()[0] in counts
        or any(k in counts for k, v in strings(lang).items() if k.startswith("counts.links"))
        or any(v in counts for k, v in strings(lang).items() if k.startswith("counts.links"))
    )
