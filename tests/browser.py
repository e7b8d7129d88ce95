"""Headless Chromium for the browser tests: Debian's `chromium`, driven by selenium through
Debian's `chromium-driver` (scripts/setup.sh installs both).

The driver is the system one, named explicitly, so selenium never looks for (or downloads)
another. Use the `browser` fixture (one browser per test module) and `open_page`:

    def test_page_loads(browser, tmp_path):
        open_page(browser, tmp_path / "trace.html")
        assert browser.title
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
DRIVER = ("chromedriver", "chromium-driver")


def _found(names: tuple[str, ...]) -> str | None:
    return next((p for p in map(shutil.which, names) if p), None)


def chromium(width: int = 1280, height: int = 800):
    """A headless Chromium (selenium WebDriver) at this window size; videos may play unmuted."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver = _found(CHROMIUM), _found(DRIVER)
    if binary is None or driver is None:  # setup.sh installs them: their absence is a broken set-up, not a skip
        raise RuntimeError("Chromium or its driver is missing: run scripts/setup.sh "
                           "(apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--autoplay-policy=no-user-gesture-required", "--allow-file-access-from-files",
                f"--window-size={width},{height}"):
        options.add_argument(arg)
    return webdriver.Chrome(options=options, service=Service(driver))


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the whole test module."""
    driver = chromium()
    try:
        yield driver
    finally:
        driver.quit()


def open_page(driver, path: Path, ready: str = "document.readyState === 'complete'", timeout: float = 30.0):
    """Open a local file and wait until the JavaScript expression `ready` is true."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(Path(path).resolve().as_uri())
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script(f"return Boolean({ready});"))
    return driver
