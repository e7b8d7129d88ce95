"""A scene that renders in a tenth of a second, for tests of how outputs are written (not what they show).

Imported, it gives `Tiny` (a few moving shapes at 160 x 90) and `tiny_renders()`, which
makes every render, the CLI's included, draw `Tiny` at that size. Run as a script, it is
the `explainer` command with that substitution, for tests with real processes and signals:

    python tests/tiny_scene.py animate ForgetGate -o a.mp4

With RENDER_MARKER=path in the environment, `Tiny` writes that file once it is rendering
and then plays slowly (about 10 s), so a test can interrupt it mid-render. With
SWALLOW_CTRL_C=1, a Ctrl-C arrives while Manim joins the scene's pieces and is caught
there, as a library that carries on would (what explainer must not be fooled by).
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from pathlib import Path

from manim import BLUE, RED, WHITE, Circle, Create, FadeIn, Scene, Square

SIZE = (160, 90)


class Tiny(Scene):
    def construct(self) -> None:
        self.camera.background_color = WHITE
        square, circle = Square(color=BLUE), Circle(color=RED).shift([2, 0, 0])
        self.play(Create(square), run_time=0.5)
        marker = os.environ.get("RENDER_MARKER")
        if marker:
            Path(marker).write_text("rendering", encoding="utf-8")
            square.add_updater(lambda mobject, dt: time.sleep(0.02))
            self.play(square.animate.shift([1, 0, 0]), run_time=30)
            square.clear_updaters()
        self.play(square.animate.shift([2, 1, 0]).rotate(1), FadeIn(circle), run_time=1)
        self.play(square.animate.scale(0.5), circle.animate.shift([-3, -1, 0]), run_time=1)
        self.wait(0.5)


def tiny_renders(monkeypatch=None) -> None:
    """Every render_scene call draws `Tiny` at 160 x 90 (the command's checks and writing unchanged);
    with pytest's `monkeypatch`, only until the test ends."""
    render = importlib.import_module("animations.render")
    real = getattr(render.render_scene, "real", render.render_scene)

    def tiny(make, name, **kwargs):
        kwargs["resolution"] = SIZE
        return real(Tiny, name, **kwargs)

    tiny.real = real
    if monkeypatch is not None:
        monkeypatch.setattr(render, "render_scene", tiny)
    else:
        render.render_scene = tiny


def _swallow_ctrl_c_while_joining() -> None:
    import signal

    from manim.scene.scene_file_writer import SceneFileWriter

    combine = SceneFileWriter.combine_files

    def combine_files(self, *args, **kwargs):
        try:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C in the last second ...
            time.sleep(0.5)
        except KeyboardInterrupt:
            pass  # ... caught by code that carries on
        return combine(self, *args, **kwargs)

    SceneFileWriter.combine_files = combine_files


if __name__ == "__main__":
    tiny_renders()
    if os.environ.get("SWALLOW_CTRL_C"):
        _swallow_ctrl_c_while_joining()
    from explainer.cli.main import main

    sys.argv[0] = "explainer"
    main()
