"""Manim animations driven by traces: mobjects, scenes, and rendering by name.

Scenes read traces (numpy arrays and JSON metadata) and never import torch. Every scene
is a module in this folder and also renders with the plain `manim` command, taking its
trace from the environment or the shipped default:

    manim -ql animations/unrolled_rnn.py UnrolledRNN
    EXPLAINER_TRACE=my.safetensors EXPLAINER_LANG=zh manim -qm animations/lstm_gates.py ForgetGate

From Python (what `explainer animate` calls):

    >>> from animations import render, scene_names
    >>> scene_names()[:2]                                           # doctest: +SKIP
    ['UnrolledRNN', 'ForgetGate']
    >>> render("ForgetGate", lang="zh", quality="l", output="forget.mp4")   # doctest: +SKIP
"""

from .registry import describe, scene_names
from .render import render

__all__ = ["render", "scene_names", "describe"]
