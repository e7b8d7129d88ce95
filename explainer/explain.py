"""The explanation inputs: what `explainer trace` records from a checkpoint.

* sine: a window of the data (by default the first test window, points 310..319, whose
  next point is the first test point), or any range of points, e.g. the whole test range;
* language: the source's two-subject passage (Alice… Bob…), or a lecturer's own text in
  English or Chinese, parsed with the lexicon.

The trace's metadata says what was recorded, so figures and animations can label it in
either language without the checkpoint: step labels (x values or words in both languages),
targets and predictions, and the units discovered in training.

    >>> from explainer.checkpoint import Checkpoint
    >>> trace = trace_checkpoint(Checkpoint.load("assets/language-lstm.safetensors"))  # doctest: +SKIP
    >>> trace.meta["words"]["zh"][:4]                                                     # doctest: +SKIP
    ['Alice', '是一名', '女', '教师']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import torch

from .checkpoint import Checkpoint
from .errors import ExplainerError
from .record import record
from .trace import Trace


def trace_checkpoint(ckpt: Checkpoint, *, start: int | None = None, steps: int | None = None,
                     windows: int = 1, text: str | None = None, lang: str = "en", passage: str = "source",
                     names: str | Iterable[str] | None = None, dtype: str = "float32") -> Trace:
    """Record a checkpoint's model on its task's explanation input.

    For sine, `windows` > 1 records that many consecutive windows as batch rows (row k
    starts at point start + k, each from a zero state), so a picture can slide the window.
    """
    if ckpt.task == "sine":
        if text is not None:
            raise ExplainerError("--text is for language checkpoints; a sine checkpoint takes --start and --steps")
        return _trace_sine(ckpt, start, steps, windows, names, dtype)
    if start is not None or steps is not None or windows != 1:
        raise ExplainerError("--start, --steps and --windows are for sine checkpoints; a language checkpoint takes --text")
    return _trace_language(ckpt, text, lang, passage, names, dtype)


def _common_meta(ckpt: Checkpoint) -> dict[str, Any]:
    train = ckpt.meta["train"]
    return {"task": train["task"], "seed": train["seed"], "preset": train.get("preset"),
            "units_found": ckpt.meta.get("units", {}), "metrics": ckpt.meta.get("metrics", {})}


def _trace_sine(ckpt: Checkpoint, start: int | None, steps: int | None, windows: int, names, dtype: str) -> Trace:
    from .tasks.sine import make_data

    train = ckpt.meta["train"]
    data = make_data(train["seed"], train["seq_len"], tuple(train.get("features", ())))
    start = data.train_points - data.seq_len if start is None else start
    steps = data.seq_len if steps is None else steps
    points = len(data.y)
    if not 0 <= start < points:
        raise ExplainerError(f"--start {start} is outside the data: points are 0..{points - 1} (the test range starts at {data.train_points})")
    if steps < 1 or start + steps > points:
        raise ExplainerError(f"--steps {steps} from --start {start} runs past the end: at most {points - start} steps fit")
    if windows < 1 or start + steps + windows - 1 > points:
        raise ExplainerError(f"--windows {windows} from --start {start} runs past the end: at most {points - start - steps + 1} fit")
    rows = [data.columns[start + k:start + k + steps] for k in range(windows)]  # each [steps, features]
    x = torch.from_numpy(np.stack(rows))  # [windows, steps, features]
    meta = _common_meta(ckpt)
    meta["eval"] = ckpt.meta.get("eval", {})
    meta["window_starts"] = [start + k for k in range(windows)]
    positions = list(range(start, start + steps))
    nxt = start + steps
    meta.update({
        "positions": positions,
        "x": [float(v) for v in data.x[start:start + steps]],
        "y": [float(v) for v in data.y[start:start + steps]],
        "next_x": float(data.x[nxt]) if nxt < points else None,
        "next_y": float(data.y[nxt]) if nxt < points else None,
        "train_points": data.train_points,
        "seq_len": data.seq_len,
    })
    labels = [f"{v:.2f}" for v in data.x[start:start + steps]]
    return record(ckpt.model, x, names=names, steps=labels, meta=meta, dtype=dtype)


def _trace_language(ckpt: Checkpoint, text: str | None, lang: str, passage: str, names, dtype: str) -> Trace:
    from .tasks.language import ANSWERS, Grammar

    if lang not in ("en", "zh"):
        raise ExplainerError(f"unknown language {lang!r}; valid: en, zh")
    grammar = Grammar(seed=0)
    lexicon = grammar.lexicon
    if text is not None:
        p = grammar.from_ids(lexicon.parse(text, lang))
    elif passage == "source":
        p = grammar.source_passage()
    elif passage == "long":
        p = grammar.long_passage()
    else:
        raise ExplainerError(f"unknown passage {passage!r}; valid: source, long")
    ids = torch.from_numpy(p.ids).unsqueeze(0)  # [1, time]
    meta = _common_meta(ckpt)
    answers = [lexicon.words[lexicon.id(k)] for k in ANSWERS]
    meta.update({
        "token_ids": [int(i) for i in p.ids],
        "words": {"en": lexicon.tokens(p.ids, "en"), "zh": lexicon.tokens(p.ids, "zh")},
        "answers": {"en": [w.en for w in answers], "zh": [w.zh for w in answers]},
        "targets": [int(t) for t in p.targets],
        "distances": [int(d) for d in p.distances],
        "gender": [int(g) for g in p.gender],
        "new_subject": [bool(b) for b in p.new_subject],
        "new_gender": [bool(b) for b in p.new_gender],
        "lang": lang,
    })
    return record(ckpt.model, ids, names=names, steps=lexicon.tokens(p.ids, lang), meta=meta, dtype=dtype)



def default_traces(name: str, ckpt: Checkpoint) -> dict[str, Trace]:
    """The traces shipped for a checkpoint, by file name: its explanation input and the extra
    inputs the pictures use (a long passage for language, consecutive windows for a seed sine)."""
    out = {name: trace_checkpoint(ckpt)}
    if ckpt.task == "language":
        out[f"{name}-long"] = trace_checkpoint(ckpt, passage="long")
    elif ckpt.meta["train"].get("preset") == "seed" and ckpt.meta["train"].get("strategy") == "sequential":
        out[f"{name}-windows"] = trace_checkpoint(ckpt, windows=4)
    return out
