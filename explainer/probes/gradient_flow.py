"""How far back the gradient of a pronoun's loss reaches: ‖∂ℓ/∂h_{t−d}‖ for d = 0 … D.

The long-term dependency problem is a statement about gradients: the loss ℓ at a pronoun
(the cross-entropy of its answer at step t, as in training) sends a signal back through
the recurrence, and whether it still has any size d steps back decides whether a model
can learn a dependency of length d. This probe measures that signal on a model's own
weights, for the top layer:

- the top layer is unrolled step by step (the cell's own step function from
  `explainer/models/cells.py`, the layers below it run without gradients), and each step's
  h (and c for an LSTM) is kept with `retain_grad`;
- every pronoun answer at a step t ≥ D of the evaluation passages becomes one batch row
  (a passage with several such answers gives several rows), and the loss is the sum of
  each row's own ℓ, so one backward pass gives, in each row, ∂ℓ/∂h_s for that row's
  answer at every earlier step s; d = t − s;
- the norms ‖∂ℓ/∂h_{t−d}‖ (and ‖∂ℓ/∂c_{t−d}‖) are summarised over the answers by their
  arithmetic mean (the line the figure draws) and their median; the count of answers is
  kept.

∂ℓ/∂c is the total derivative at the cell state c_s (through h_s = o_s ⊙ tanh(c_s) and
through the belt c_{s+1} = f_{s+1} ⊙ c_s + …), what autograd gives at c_s. d = 0 is the
direct gradient ∂ℓ/∂h_t = W_readoutᵀ (softmax − onehot). The measurement runs on a float64
copy of the model (a plain RNN's gradient a hundred steps back is ~1e−50: a number in
float64, 0 or a slow denormal in float32), on one thread, so it is the same on every machine.

    >>> from explainer.checkpoint import Checkpoint
    >>> from explainer.training.language import evaluation_passages
    >>> ckpt = Checkpoint.load("assets/checkpoints/language-lstm.safetensors")    # doctest: +SKIP
    >>> flow = gradient_flow(ckpt.model, evaluation_passages(600))                 # doctest: +SKIP
    >>> flow.count, flow.states, flow.ratio(50) < flow.ratio(50, "c")               # doctest: +SKIP
    (1628, ('h', 'c'), True)

`for_checkpoint(path, at="initial")` measures the same model as training began
(`explainer.training.language.initial_model`); results are cached per file for the run.
"""

from __future__ import annotations

import copy
import functools
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ExplainerError

#: How many steps back the gradient is followed (the evaluation passages' longest dependency).
DEPTH = 100
#: The evaluation passages the figure and the scene measure on (of explainer.training.language's fixed set).
PASSAGES = 600
#: Batch rows per backward pass (memory: the graph of one chunk is kept at once).
CHUNK = 256
#: The distances a picture names the norm at.
SHOWN = (0, 10, 25, 50, 100)
#: What `for_checkpoint` can measure: the trained weights or those of update 0.
WHEN = ("trained", "initial")


@dataclass(frozen=True)
class GradientFlow:
    """‖∂ℓ/∂state_{t−d}‖ for d = 0 … depth, summarised over `count` pronoun answers.

    `mean[s]` and `median[s]` are arrays [depth + 1] for each state letter s ("h", and "c"
    for an LSTM); `loss` is the mean ℓ over the answers.
    """

    kind: str
    depth: int
    count: int
    loss: float
    mean: Mapping[str, np.ndarray]
    median: Mapping[str, np.ndarray]
    layer: int = 0
    passages: int = 0
    label: str = ""
    d: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "d", np.arange(self.depth + 1))

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(self.mean)

    def norm(self, d: int, state: str = "h", stat: str = "mean") -> float:
        """The summarised norm d steps back."""
        self._check(d, state)
        return float((self.mean if stat == "mean" else self.median)[state][d])

    def ratio(self, d: int = 50, state: str = "h", stat: str = "mean") -> float:
        """Norm at d over norm at 0: how much of the signal is left d steps back.

        >>> flow = GradientFlow("rnn_tanh", 2, 1, 0.7, {"h": np.array([1.0, 0.1, 0.01])}, {"h": np.ones(3)})
        >>> flow.ratio(2)
        0.01
        """
        return self.norm(d, state, stat) / self.norm(0, state, stat)

    def _check(self, d: int, state: str) -> None:
        if state not in self.mean:
            raise ExplainerError(f"the {self.kind} has no state {state!r} to follow the gradient through; "
                                 f"it has {', '.join(self.mean)}")
        if not 0 <= d <= self.depth:
            raise ExplainerError(f"d must be between 0 and {self.depth}, got {d}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (lists of floats)."""
        return {"kind": self.kind, "depth": self.depth, "count": self.count, "loss": self.loss, "layer": self.layer,
                "passages": self.passages, "label": self.label,
                "mean": {s: [float(v) for v in a] for s, a in self.mean.items()},
                "median": {s: [float(v) for v in a] for s, a in self.median.items()}}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> GradientFlow:
        return cls(d["kind"], int(d["depth"]), int(d["count"]), float(d["loss"]),
                   {s: np.asarray(v, dtype=float) for s, v in d["mean"].items()},
                   {s: np.asarray(v, dtype=float) for s, v in d["median"].items()},
                   int(d.get("layer", 0)), int(d.get("passages", 0)), str(d.get("label", "")))


def fading(flows: Sequence[GradientFlow], d: int = 50, state: str = "h") -> list[tuple[GradientFlow, float]]:
    """The flows with their ratio at d, from the one that keeps the least of its gradient d steps back.

    >>> a = GradientFlow("rnn_tanh", 2, 1, 0.7, {"h": np.array([1.0, 0.1, 0.01])}, {"h": np.ones(3)})
    >>> b = GradientFlow("lstm", 2, 1, 0.7, {"h": np.array([1.0, 0.5, 0.2])}, {"h": np.ones(3)})
    >>> [(f.kind, r) for f, r in fading([b, a], d=2)]
    [('rnn_tanh', 0.01), ('lstm', 0.2)]
    """
    return sorted(((f, f.ratio(d, state)) for f in flows), key=lambda fr: fr[1])


# -- the measurement -------------------------------------------------------------------------------
def answers(passages: Sequence, depth: int = DEPTH, classes: Sequence[int] | None = None) -> list[tuple[int, int, int]]:
    """(passage index, step t, answer class) of every pronoun answer at a step t ≥ depth."""
    from ..tasks.language import PRONOUN_CLASSES

    classes = tuple(PRONOUN_CLASSES if classes is None else classes)
    out = []
    for k, p in enumerate(passages):
        for t in np.flatnonzero(np.isin(p.targets, classes)):
            if t >= depth:
                out.append((k, int(t), int(p.targets[t])))
    return out


def unroll_top(model, ids, *, retain: bool = True):
    """The model's top layer unrolled step by step: (scores, hs, cs).

    ids [batch, time] int64. Layers below the top run without gradients (the probe follows
    the gradient along the top layer only). `hs[t]` is h after step t [batch, out] (and
    `cs[t]` c [batch, hidden] for an LSTM, else None), each a non-leaf tensor with
    `retain_grad()` when `retain`; scores [batch, time, answers].
    """
    import torch

    from ..models.resolve import step

    spec = model.core.spec
    if spec.bidirectional:
        raise ExplainerError("the gradient-flow probe follows a forward-running recurrence; "
                             "this model is bidirectional (its readout also reads the reverse direction)")
    cell = step(spec.kind)
    top = spec.num_layers - 1
    batch, time = ids.shape
    with torch.no_grad():
        x = model.embed(ids)  # [batch, time, embed]
        for layer in range(top):
            x = torch.stack(_run_layer(cell, spec, model.core, layer, x, retain=False)[0], dim=1)  # [batch, time, out]
    hs, cs = _run_layer(cell, spec, model.core, top, x, retain=retain)
    out = torch.stack(hs, dim=1)  # [batch, time, out]
    return model.readout(out), hs, cs


def _run_layer(cell, spec, core, layer: int, x, *, retain: bool):
    import torch

    w = spec.weights(core, layer, False)
    batch = x.shape[0]
    xw = x @ w.weight_ih.T  # [batch, time, gates*hidden]
    if w.bias_ih is not None:
        xw = xw + w.bias_ih
    h = x.new_zeros(batch, spec.out_size)  # [batch, out]
    c = x.new_zeros(batch, spec.hidden_size) if spec.row.has_cell else None  # [batch, hidden]
    hs, cs = [], []
    for xw_t in xw.unbind(1):  # [batch, gates*hidden] each; one unbind, not a slice per step (whose backward is O(time²))
        h, c = cell(xw_t, h, c, w)
        if retain and torch.is_grad_enabled():
            h.retain_grad()
            if c is not None:
                c.retain_grad()
        hs.append(h)
        cs.append(c)
    return hs, (cs if spec.row.has_cell else None)


def gradient_flow(model, passages: Sequence, *, depth: int = DEPTH, chunk: int = CHUNK,
                  label: str = "") -> GradientFlow:
    """‖∂ℓ/∂h_{t−d}‖ (and ‖∂ℓ/∂c_{t−d}‖), d = 0 … depth, over the pronoun answers of `passages` at t ≥ depth.

    `model`: a `TokenModel` (the toy language's), measured on a float64 copy in eval mode
    (it is left as it is); `passages`: `explainer.training.language.evaluation_passages(n)`
    or any list of `Passage`. Raises ExplainerError when no answer lies `depth` steps into
    a passage. The summary is the arithmetic mean over the answers (and their median).
    """
    found, norms, losses = answer_norms(model, passages, depth=depth, chunk=chunk)
    return GradientFlow(model.core.spec.kind, depth, len(found), float(losses.mean()),
                        {s: v.mean(0) for s, v in norms.items()}, {s: np.median(v, 0) for s, v in norms.items()},
                        model.core.spec.num_layers - 1, len(passages), label)


def answer_norms(model, passages: Sequence, *, depth: int = DEPTH, chunk: int = CHUNK
                 ) -> tuple[list[tuple[int, int, int]], dict[str, np.ndarray], np.ndarray]:
    """Per answer: (the answers as `answers()` lists them, {state: norms [answers, depth + 1]}, ℓ [answers])."""
    import torch

    from ..models.threads import pinned_threads
    from ..tasks.language import batch

    if not isinstance(depth, int) or isinstance(depth, bool) or depth < 0:
        raise ExplainerError(f"depth must be a whole number of steps >= 0, got {depth!r}")
    found = answers(passages, depth)
    if not found:
        longest = max((len(p) for p in passages), default=0)
        raise ExplainerError(f"no pronoun answer lies {depth} steps into these passages (the longest has {longest} "
                             f"steps); give longer passages or a smaller depth")
    order = sorted(range(len(found)), key=lambda k: found[k][1])  # a chunk's rows have similar lengths: little padding
    model = copy.deepcopy(model).double().eval()  # float64: a gradient of 1e-40 is a number, not 0 (or a slow denormal)
    has_cell = model.core.spec.row.has_cell
    per: dict[str, list[np.ndarray]] = {"h": []} | ({"c": []} if has_cell else {})
    losses: list[np.ndarray] = []
    with pinned_threads(1):  # small matrices: one thread is fastest, and the same on every machine
        for start in range(0, len(order), chunk):
            rows = [found[k] for k in order[start:start + chunk]]
            norms, loss = _chunk(model, batch([passages[k] for k, _, _ in rows]), rows, depth, has_cell, torch)
            for s in per:
                per[s].append(norms[s])
            losses.append(loss)
    back = np.argsort(order)  # the rows in the order of `found` again
    return found, {s: np.concatenate(v)[back] for s, v in per.items()}, np.concatenate(losses)[back]


def _chunk(model, padded, rows, depth: int, has_cell: bool, torch):
    ids = torch.from_numpy(padded[0][:, : rows[-1][1] + 1])  # [batch, time]: no step after the last answer matters
    t = torch.tensor([r[1] for r in rows])  # [batch]
    target = torch.tensor([r[2] for r in rows])  # [batch]
    with torch.enable_grad():
        scores, hs, cs = unroll_top(model, ids)
        here = scores[torch.arange(len(rows)), t]  # [batch, answers]: each row's own answer step
        loss = torch.nn.functional.cross_entropy(here, target, reduction="none")  # [batch]
        loss.sum().backward()  # rows are independent: row r's gradients are those of its own ℓ
    back = t[:, None] - torch.arange(depth + 1)[None, :]  # [batch, depth + 1]: the step t − d
    rows_ = torch.arange(len(rows))[:, None]
    norms = {}
    for s, states in (("h", hs), ("c", cs if has_cell else None)):
        if states is None:
            continue
        grads = [g.grad if g.grad is not None else torch.zeros_like(g) for g in states]
        grads = torch.stack(grads, 1)  # [batch, time, size]
        norms[s] = grads[rows_, back].norm(dim=-1).double().numpy()  # [batch, depth + 1]
    return norms, loss.detach().double().numpy()


# -- checkpoints ----------------------------------------------------------------------------------
def config_of(train: Mapping[str, Any]):
    """The `TrainConfig` a checkpoint's `meta["train"]` describes (fields it does not declare keep their defaults)."""
    import dataclasses

    from ..tasks import registry
    from ..training.config import TrainConfig

    task = registry.get(train["task"])
    fields = {f.name for f in dataclasses.fields(TrainConfig)} - {"options"}
    common = {k: v for k, v in train.items() if k in fields}
    options = {k: v for k, v in train.items() if k in task.option_names}
    return TrainConfig(options=options, **common)


def initial_of(model_meta: Mapping[str, Any], train: Mapping[str, Any], label: str = "the checkpoint"):
    """The model of a language checkpoint as it was at update 0 (same seed, same recipe)."""
    from ..training.language import initial_model

    if train.get("task") != "language":
        raise ExplainerError(f"the gradient-flow probe measures toy-language models; {label} is from the "
                             f"{train.get('task')} task")
    model = initial_model(config_of(train))
    if model.config() != dict(model_meta):
        raise ExplainerError(f"{label} was trained from a model this explainer cannot rebuild at update 0 "
                             f"(its config differs: {dict(model_meta)} vs {model.config()}); retrain it")
    return model


def for_checkpoint(source, *, at: str = "trained", passages: int = PASSAGES, depth: int = DEPTH) -> GradientFlow:
    """The gradient flow of a language checkpoint (a path or a loaded `Checkpoint`), trained or at update 0.

    Paths are measured once per file (and its modification time) for the run.
    """
    if at not in WHEN:
        raise ExplainerError(f"at must be one of {', '.join(WHEN)}, got {at!r}")
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            stat = path.stat()
        except OSError:
            raise ExplainerError(f"no checkpoint at '{path}'; the gradient-flow probe runs the model, so it needs "
                                 f"the checkpoint file") from None
        return _cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size, at, passages, depth)
    return _measure(source, str(getattr(source, "path", "the given checkpoint")), at, passages, depth)


@functools.lru_cache(maxsize=32)
def _cached(path: str, mtime: int, size: int, at: str, passages: int, depth: int) -> GradientFlow:
    from ..checkpoint import Checkpoint

    return _measure(Checkpoint.load(path), path, at, passages, depth)


def _measure(ckpt, label: str, at: str, passages: int, depth: int) -> GradientFlow:
    from ..training.language import evaluation_passages

    meta = ckpt.meta
    if meta["train"].get("task") != "language":
        raise ExplainerError(f"the gradient-flow probe measures toy-language models; '{label}' is from the "
                             f"{meta['train'].get('task')} task")
    model = ckpt.model if at == "trained" else initial_of(meta["model"], meta["train"], f"'{label}'")
    return gradient_flow(model, evaluation_passages(passages), depth=depth, label=f"{Path(label).stem}:{at}")


def checkpoint_of(trace_meta: Mapping[str, Any], label: str = "the trace", by: str = "the gradient-flow probe") -> Path:
    """The shipped checkpoint a language trace was recorded from (same task, kind, preset, and the same metrics).

    A trace holds no weights, and a gradient needs them; the shipped checkpoint of the
    trace's task, kind and preset is it when its measured metrics are the trace's.
    """
    from .. import assets
    from ..checkpoint import read_meta

    task, kind, preset = trace_meta.get("task"), trace_meta.get("kind"), trace_meta.get("preset")
    if task != "language" or not kind:
        raise ExplainerError(f"{by} measures toy-language models; '{label}' is "
                             f"{'from the ' + str(task) + ' task' if task else 'not a language trace'}")
    path = assets.checkpoint_path(task, kind, preset)
    if read_meta(path).get("metrics") != trace_meta.get("metrics"):
        raise ExplainerError(f"{by} runs the model a trace was recorded from, and '{label}' was not recorded from "
                             f"the shipped '{path}' (their metrics differ); record the trace from that checkpoint, "
                             f"or draw the `gradient-flow` figure of your checkpoint")
    return path
