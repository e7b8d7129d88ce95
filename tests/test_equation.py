"""Formula parts (`animations.mobjects.equation`): drawn from the shared mathtext cache, safely in parallel."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
from manim import SVGMobject

from animations.mobjects.equation import Part, render_part


def test_a_part_loads_while_another_process_holds_the_name_manim_writes_beside_the_cached_file(tmp_path):
    path = Path(render_part(r"\sigma(W_f\cdot[h_{t-1}, x_t] + b_f)", 30.0)[0])
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    busy = copy.with_name(f"{copy.stem}_{copy.suffix}")  # what Manim's own loader writes, then deletes
    busy.mkdir()  # another worker's file of that name, in its way
    part = Part(str(copy), use_svg_cache=False, stroke_width=0)
    assert busy.is_dir() and copy.exists(), "nothing beside the cached file was touched"
    shutil.rmtree(busy)
    manims = SVGMobject(str(copy), use_svg_cache=False, stroke_width=0)
    assert len(part.family_members_with_points()) == len(manims.family_members_with_points()) > 3
    assert np.allclose(part.get_all_points(), manims.get_all_points()), "the same shapes as Manim's own loader"
