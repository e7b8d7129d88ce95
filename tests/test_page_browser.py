"""The trace page in headless Chromium: it loads offline, its controls recolour, hovering shows the trace's values,
and LSTMVis's tools find what numpy finds (`explainer.reading.lstmvis`, on the values the page holds)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest
from browser import browser, open_page  # noqa: F401
from matplotlib.colors import Normalize, to_rgb
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from explainer import page
from explainer.page.payload import decoded, payload
from explainer.reading import lstmvis
from explainer.reading.one_unit import unit_limits
from explainer.trace import Trace

TEXT = "assets/traces/text-lstm.safetensors"
LANGUAGE = "assets/traces/language-lstm.safetensors"
READY = "window.explainerReady === true"


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    return {"language": page.save(LANGUAGE, folder / "language.html"), "text": page.save(TEXT, folder / "text.html")}


@lru_cache(maxsize=None)
def held(path: str):
    """The trace and the page's data for it (what the page holds), once per module."""
    return Trace.load(path), payload(Trace.load(path))


def spans(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#steps span.s")


def backgrounds(driver) -> list[tuple[int, int, int]]:
    got = driver.execute_script("return [...document.querySelectorAll('#steps span.s')].map(s => s.style.background)")
    return [tuple(int(x) for x in b.removeprefix("rgb(").removesuffix(")").split(",")) for b in got]


def expected_backgrounds(values: np.ndarray, letter: str, palette: list[str]) -> list[tuple[int, int, int]]:
    """The text figure's colouring rule (`text_html`): the unit's own limits, the colour map's entry by entry."""
    limits = unit_limits(values, letter)
    x = np.asarray(Normalize(*limits, clip=True)(values), dtype=float)
    index = np.clip((x * len(palette)).astype(int), 0, len(palette) - 1)
    return [tuple(round(c * 255) for c in to_rgb(palette[k])) for k in index]


def number(text: str) -> float:
    return float(text.replace("\u2212", "-"))


def test_the_page_loads_offline_with_no_request_and_no_error(browser, pages):
    open_page(browser, pages["language"], ready=READY)
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    assert len(spans(browser)) == 16 and spans(browser)[2].text == "female"


def test_choosing_a_unit_recolours_the_steps_by_it(browser, pages):
    open_page(browser, pages["language"], ready=READY)
    p = held(LANGUAGE)[1]
    before = backgrounds(browser)
    Select(browser.find_element(By.ID, "unit")).select_by_visible_text("3")
    after = backgrounds(browser)
    values = decoded(p, 0, 0, "c")[:, 3]  # [steps]
    assert after != before
    assert after == expected_backgrounds(values, "c", p.meta["palettes"]["c"]["fill"])
    browser.find_element(By.CSS_SELECTOR, '#quantities button[data-letter="f"]').click()
    assert backgrounds(browser) == expected_backgrounds(decoded(p, 0, 0, "f")[:, 3], "f", p.meta["palettes"]["f"]["fill"])


def test_hovering_a_step_shows_every_vector_with_the_traces_values(browser, pages):
    open_page(browser, pages["language"], ready=READY)
    trace, p = held(LANGUAGE)
    ActionChains(browser).move_to_element(spans(browser)[8]).perform()  # "Bob"
    assert "Bob" in browser.find_element(By.ID, "hover-head").text
    for q in p.meta["layers"][0]["quantities"]:
        shown = browser.execute_script(
            f"return [...document.querySelectorAll('#strips .strip[data-letter=\"{q['letter']}\"] div')]"
            ".map(c => c.dataset.value)")
        want = trace[q["name"]][0, 8].astype(float)  # [units]
        bound = np.array(q["step"]) / 2 + 0.5e-4  # the stored precision, plus the 4 decimals shown
        assert len(shown) == 32 and (np.abs(np.array([number(s) for s in shown]) - want) <= bound).all(), q["letter"]


def _pick(values: np.ndarray, threshold: float) -> tuple[int, int, list[int]]:
    """A range of 2 to 5 steps whose units-on include at least two units that are on together elsewhere too."""
    for length in (3, 4, 2, 5):
        for a in range(20, len(values) - length):
            units = lstmvis.units_on(values, a, a + length, threshold)
            if len(units) >= 2 and lstmvis.matches(values, units, threshold, exclude=(a, a + length)):
                return a, a + length, units
    raise AssertionError("no range to test with")


def test_range_select_and_match_search_find_what_numpy_finds(browser, pages):
    open_page(browser, pages["text"], ready=READY)
    p = held(TEXT)[1]
    assert browser.execute_script("const s = window.explainer.state; return [s.layer, s.letter]") == [1, "c"]
    values = decoded(p, 0, 1, "c")  # [steps, units]: what the page holds
    threshold = 0.5
    box = browser.find_element(By.ID, "threshold")
    box.clear()
    box.send_keys(str(threshold), Keys.TAB)
    a, b, units = _pick(values, threshold)
    first, last = spans(browser)[a], spans(browser)[b - 1]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", first)
    ActionChains(browser).click_and_hold(first).move_to_element(last).release().perform()
    chips = browser.execute_script("return [...document.querySelectorAll('#units-on button')].map(b => +b.dataset.unit)")
    assert chips == units == lstmvis.units_on(values, a, b, threshold)
    browser.find_element(By.ID, "search").click()
    found = browser.execute_script("return [...document.querySelectorAll('#matches button')]"
                                   ".map(b => [+b.dataset.start, +b.dataset.end, +b.dataset.on])")
    want = lstmvis.matches(values, units, threshold, exclude=(a, b))
    assert found == [[m.start, m.end, m.on] for m in want] and found


def test_clicking_a_heatmap_row_chooses_that_unit(browser, pages):
    open_page(browser, pages["language"], ready=READY)
    canvas = browser.find_element(By.ID, "heatmap")
    height = canvas.size["height"]
    ActionChains(browser).move_to_element_with_offset(canvas, 0, int((10.5 / 32 - 0.5) * height)).click().perform()
    assert Select(browser.find_element(By.ID, "unit")).first_selected_option.text == "10"


def heatmap_pixels(driver) -> np.ndarray:
    """[units, columns, 3]: the heatmap canvas as drawn."""
    width, height, data = driver.execute_script(
        "const c = document.getElementById('heatmap'); "
        "return [c.width, c.height, Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data)]")
    return np.asarray(data, dtype=int).reshape(height, width, 4)[..., :3]


def test_the_heatmap_puts_every_unit_on_its_own_scale_when_asked(browser, pages):
    open_page(browser, pages["language"], ready=READY)  # layer 0, c: 16 steps, a column each
    p = held(LANGUAGE)[1]
    c = decoded(p, 0, 0, "c")  # [steps, units]
    fill = p.meta["palettes"]["c"]["fill"]
    shared = heatmap_pixels(browser)
    browser.find_element(By.ID, "own-scale").click()
    own = heatmap_pixels(browser)
    for u in range(c.shape[1]):
        assert [tuple(px) for px in own[u]] == expected_backgrounds(c[:, u], "c", fill)  # the text's rule, row by row
    assert (own != shared).any() and "own scale" in browser.find_element(By.ID, "heat-head").text
    browser.find_element(By.CSS_SELECTOR, '#quantities button[data-letter="f"]').click()
    assert not browser.find_element(By.ID, "own-box").is_displayed()  # a gate runs from 0 to 1 for every unit


def test_a_text_trace_lists_its_feature_units_and_one_click_colours_by_one(browser, pages):
    open_page(browser, pages["text"], ready=READY)
    p = held(TEXT)[1]
    button = browser.find_element(By.CSS_SELECTOR, '#found button[data-feature="indent"][data-unit="16"]')
    assert "layers.1.c[16] r = +0.66" in button.text
    before = backgrounds(browser)
    button.click()
    assert Select(browser.find_element(By.ID, "unit")).first_selected_option.text == "16"
    after = backgrounds(browser)
    assert after != before and after == expected_backgrounds(decoded(p, 0, 1, "c")[:, 16], "c", p.meta["palettes"]["c"]["fill"])


def test_the_difference_page_is_zero_where_the_traces_agree(browser, tmp_path):
    import torch

    import explainer

    torch.manual_seed(0)
    model, x = torch.nn.LSTM(3, 4, num_layers=2), torch.randn(12, 3)
    base = explainer.record(model, x)
    moved = explainer.record(model, x, intervene={"layers.1.gates.f": 1.0})  # layer 0 is untouched
    path = page.save(moved, tmp_path / "diff.html", baseline=base)
    open_page(browser, path, ready=READY)
    assert "intervened − baseline" in browser.find_element(By.ID, "notes").text
    browser.execute_script("window.explainer.chooseUnit(0, 'h', 0)")
    ActionChains(browser).move_to_element(spans(browser)[5]).perform()
    zero = browser.execute_script("return [...document.querySelectorAll('#strips .strip div')].map(c => c.dataset.value)")
    assert set(zero) == {"0.0000"}
    browser.execute_script("window.explainer.chooseUnit(1, 'f', 0)")
    ActionChains(browser).move_to_element(spans(browser)[6]).perform()
    moved_f = browser.execute_script("return [...document.querySelectorAll('#strips .strip[data-letter=\"f\"] div')]"
                                     ".map(c => +c.dataset.value.replace('\u2212', '-'))")
    want = moved["layers.1.gates.f"][0, 6] - base["layers.1.gates.f"][0, 6]  # [units]
    np.testing.assert_allclose(moved_f, want, atol=1e-3)
    assert max(abs(v) for v in moved_f) > 0.01


def test_the_notebook_iframe_runs_the_page(browser, tmp_path):
    from explainer.notebook import page as inline

    path = tmp_path / "notebook.html"
    path.write_text(f"<!DOCTYPE html><html><body>{inline(Trace.load(LANGUAGE), height=600)._repr_html_()}</body></html>",
                    encoding="utf-8")
    open_page(browser, path)
    browser.switch_to.frame(browser.find_element(By.TAG_NAME, "iframe"))
    try:
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(browser, 20).until(lambda d: d.execute_script(f"return Boolean({READY})"))
        assert len(spans(browser)) == 16
    finally:
        browser.switch_to.default_content()
