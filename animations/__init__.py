"""Manim animations driven by traces: mobjects, scenes, and rendering by name.

Scenes read traces (numpy arrays and JSON metadata, through `explainer.reading`) and never
import torch. Every scene is a module in this folder, declares the options it reads
(`step`, `layer`, `units`, `row`), and also renders with the plain `manim` command; only
there does it take its inputs from the environment (else the shipped default):

    manim -ql animations/unrolled_rnn.py UnrolledRNN
    EXPLAINER_TRACE=my.safetensors EXPLAINER_LANG=zh EXPLAINER_STEP=5 manim -qm animations/lstm_gates.py ForgetGate

From Python (what `explainer animate` calls; the environment is not read):

    >>> from animations import render, scene_names
    >>> scene_names()[:2]                                           # doctest: +SKIP
    ['UnrolledRNN', 'ForgetGate']
    >>> render("ForgetGate", lang="zh", quality="l", output="forget.mp4", step=5, units=[7, 5])   # doctest: +SKIP
"""

from .registry import describe, scene_names
from .render import render

__all__ = ["render", "scene_names", "describe"]
