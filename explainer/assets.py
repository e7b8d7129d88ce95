"""The shipped defaults in `assets/`: small pretrained checkpoints and their traces.

Rendering never waits for training: every figure and scene falls back to these. They
are made by `scripts/make_assets.py` (deterministic: the same bytes on every run).

    assets/checkpoints/<task>-<model>[-<preset>].safetensors   every shipped preset of every task
                                                (the preset is named when a task ships several):
    assets/checkpoints/sine-{rnn,lstm,gru}-{seed,tuned}.safetensors
    assets/checkpoints/language-{rnn,lstm,gru}.safetensors
    assets/checkpoints/sine-rnn-{sequential,epochs,random}.safetensors
        the FAQ's training strategies on the source's RNN (preset seed): one pass in order
        (310 updates), 5 passes in order (1550), 1550 random windows; no traces
    assets/traces/<checkpoint name>.safetensors             the default explanation input
                                                            (not for the strategy checkpoints)
    assets/traces/language-{rnn,lstm,gru}-long.safetensors  a long two-subject passage
    assets/traces/sine-{rnn,lstm,gru}-seed-windows.safetensors  four consecutive test windows (batch rows)

`EXPLAINER_ASSETS` points elsewhere (read when a path is asked for, not at import).
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import ExplainerError
from .kinds import KIND, MODELS
from .tasks import registry


def root() -> Path:
    return Path(os.environ.get("EXPLAINER_ASSETS") or Path(__file__).resolve().parent.parent / "assets")


def checkpoint_name(task: str, model: str, preset: str | None = None) -> str:
    """'sine-rnn-seed', 'language-lstm': the task, the model's family, and the preset where the task ships several.

    `model` is a kind or a family (`rnn_tanh` or `rnn`); preset None is the task's first shipped one.
    """
    spec = registry.get(task)
    if model not in MODELS:
        raise ExplainerError(f"unknown model {model!r}; valid: {', '.join(MODELS)}")
    kind = MODELS[model]
    shipped = spec.shipped_presets()
    preset = preset or shipped[0]
    family = KIND[kind].family
    name = f"{task}-{family if MODELS[family] == kind else kind}"
    return f"{name}-{preset}" if len(shipped) > 1 else name


def checkpoint_path(task: str, model: str, preset: str | None = None) -> Path:
    """A shipped checkpoint, e.g. `checkpoint_path("sine", "rnn", "seed")`."""
    return _existing(root() / "checkpoints" / f"{checkpoint_name(task, model, preset)}.safetensors")


def trace_path(name: str) -> Path:
    """A shipped trace by name, e.g. 'sine-rnn-seed' or 'language-lstm-long'."""
    return _existing(root() / "traces" / f"{name}.safetensors")


def _existing(path: Path) -> Path:
    if not path.exists():
        raise ExplainerError(
            f"the shipped default '{path}' is missing; run `python scripts/make_assets.py` to make it, "
            "or pass --trace/--checkpoint"
        )
    return path
