"""Every figure looks as it did when a person last approved it.

Each figure is rendered from the shipped defaults at a fixed low DPI and compared with a
stored baseline PNG (`tests/baseline/figures/NAME-LANG.png`) by RMS pixel difference,
with a small tolerance for anti-aliasing differences between machines. All figures in
English, and the Chinese versions of those listed in `CHINESE`.

After a deliberate change, look at the new pictures, then regenerate the baselines:

    python tests/test_figure_images.py --update
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from explainer import figures

BASELINE = Path(__file__).parent / "baseline" / "figures"
DPI = 40
TOLERANCE = 3.0  # RMS over 0-255 pixel values
CHINESE = ["data", "lstm-cell", "gates", "distance", "forget-reset", "shapes", "windows", "multistep", "horizon",
           "learning", "gradient-flow"]
CASES = [(name, "en") for name in figures.names()] + [(name, "zh") for name in CHINESE]


def render(name: str, lang: str, path: Path) -> Path:
    return figures.save(figures.make(name, lang=lang), path, dpi=DPI)


@pytest.mark.parametrize("name,lang", CASES, ids=[f"{n}-{l}" for n, l in CASES])
def test_figure_matches_its_baseline(name, lang, tmp_path):
    from matplotlib.testing.compare import compare_images

    expected = BASELINE / f"{name}-{lang}.png"
    assert expected.exists(), f"no baseline for {name} ({lang}); run python tests/test_figure_images.py --update"
    actual = render(name, lang, tmp_path / f"{name}-{lang}.png")
    problem = compare_images(str(expected), str(actual), tol=TOLERANCE)
    assert problem is None, problem


def test_every_figure_has_a_baseline_and_no_baseline_is_stale():
    stored = {p.stem for p in BASELINE.glob("*.png")}
    assert stored == {f"{n}-{l}" for n, l in CASES}


if __name__ == "__main__" and "--update" in sys.argv:
    BASELINE.mkdir(parents=True, exist_ok=True)
    for old in BASELINE.glob("*.png"):
        old.unlink()
    for name, lang in CASES:
        print(render(name, lang, BASELINE / f"{name}-{lang}.png"))
