"""In a notebook, a trace and a checkpoint show themselves: what they hold, in numbers and a picture.

`Trace._repr_html_` is the names table (shape, dtype, the range of the real values) and a
heatmap of the top layer's h; `Checkpoint._repr_html_` its task, model, size, metrics and
discovered units. Both are plain HTML with the picture inlined: nothing is fetched.
"""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import torch
from PIL import Image

import explainer
from explainer import assets
from explainer.checkpoint import Checkpoint
from explainer.trace import Trace


def heatmap(html: str) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(re.search(r'base64,([^"]+)"', html).group(1))))


def test_a_trace_shows_every_name_with_its_shape_dtype_and_range_and_a_heatmap_of_the_top_h():
    trace = Trace.load(assets.trace_path("text-lstm"))
    html = trace._repr_html_()
    for name in trace.names:
        assert f"<td>{name}</td><td>{list(trace[name].shape)}</td><td>{trace[name].dtype}</td>" in html
    c = trace["layers.1.c"]
    assert explainer.reading.number(float(c.min())) in html and explainer.reading.number(float(c.max())) in html
    assert "layers.1.h heatmap" in html and heatmap(html).size == (640, 190)
    assert "<script" not in html and "http" not in html


def test_the_range_of_a_padded_batch_leaves_the_padding_out():
    x = torch.randn(2, 6, 3)
    x[1, 2:] = 0.0
    trace = explainer.record(torch.nn.RNN(3, 2, batch_first=True), x, lengths=[6, 2])
    real = np.concatenate([trace["input"][0], trace["input"][1, :2]])  # [8, 3]
    html = trace._repr_html_()
    assert f"{explainer.reading.number(float(real.min()))} … {explainer.reading.number(float(real.max()))}" in html
    assert "(padded rows)" in html


def test_a_checkpoint_shows_its_task_model_size_metrics_and_discovered_units():
    ckpt = Checkpoint.load(assets.checkpoint_path("language", "lstm"))
    html = ckpt._repr_html_()
    size = sum(p.numel() for p in ckpt.model.parameters())
    assert f"task language · lstm · 1 layer of 32 · {size:,} parameters" in html
    assert "<td>pronoun_accuracy</td><td>1.00</td>" in html and "1-10: 1.00" in html
    units = ckpt.meta["units"]["gender"]["units"]
    assert f"layers.0.c[{', '.join(map(str, units))}]" in html
    assert repr(ckpt) == f"<Checkpoint · task language · lstm · 1 layer of 32 · {size:,} parameters>"  # a REPL's line


def test_a_rendered_scene_is_its_path_and_shows_as_the_video_in_a_notebook(tmp_path):
    from pathlib import Path

    from animations import render

    video = render("ForgetGate", output=tmp_path / "forget.mp4", resolution=(160, 90), fps=5)
    assert isinstance(video, Path) and video == tmp_path / "forget.mp4"
    html = video._repr_html_()
    assert html.startswith('<video controls') and "data:video/mp4;base64," in html
    assert base64.b64decode(html.split("base64,")[1].split('"')[0]) == video.read_bytes()
    frame = render("ForgetGate", output=tmp_path / "last.png", resolution=(160, 90))
    assert frame._repr_html_().startswith("<img") and "data:image/png;base64," in frame._repr_html_()
