"""Checks for the system parts explainer needs, run when a command starts.

Each failure is one line with the exact command that installs or fixes the missing part,
instead of a traceback deep inside Manim or matplotlib.
"""

from __future__ import annotations

from .errors import ExplainerError

APT = "sudo apt-get install -y libcairo2-dev libpango1.0-dev pkg-config"


def check_cairo() -> None:
    """Manim draws with Cairo and Pango (through pycairo and manimpango)."""
    try:
        import cairo  # noqa: F401
        import manimpango  # noqa: F401
    except ImportError as e:
        raise ExplainerError(
            f"animations need Cairo and Pango, which are missing ({e.name or e}); install them with: {APT} "
            "&& pip install --force-reinstall --no-binary :all: pycairo manimpango (or run `make setup`)"
        ) from None


def check_cjk_font(lang: str) -> None:
    """Chinese labels need the Noto Sans CJK font (for matplotlib and for Pango)."""
    if lang == "zh":
        from .style import cjk_font_path

        cjk_font_path()
