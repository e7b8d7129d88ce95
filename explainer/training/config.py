"""What a training run is: one frozen configuration, and the presets that fill it.

Sine presets (for rnn, lstm and gru alike):

* `seed`: the source's setup exactly: hidden 12, SGD lr 0.01, MSE, one pass of
  per-window updates in order;
* `tuned`: what a careful practitioner does: hidden 64, full-batch Adam (lr 0.01,
  cosine decay) over 500 epochs.

Training strategies of the source's FAQ (sine): `sequential` (one pass in order),
`epochs` (N passes in order), `random` (N iterations, each on a random window).

The language task has one preset, `tuned`: embedding 16, hidden 32, Adam lr 0.005, 1000 updates,
fresh random batches of 32 passages, gradients clipped at norm 1.

    >>> c = preset_config("sine", "rnn", "seed")
    >>> (c.hidden_size, c.optimizer, c.lr, c.strategy, c.batch_size)
    (12, 'sgd', 0.01, 'sequential', 1)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ..errors import ExplainerError
from ..memory import format_bytes

TASKS = ("sine", "language")
MODELS = {"rnn": "rnn_tanh", "rnn_tanh": "rnn_tanh", "rnn_relu": "rnn_relu", "lstm": "lstm", "gru": "gru"}
STRATEGIES = ("sequential", "epochs", "random")
OPTIMIZERS = ("sgd", "adam")
SCHEDULES = ("constant", "cosine")

#: The largest model we agree to build: a parameter count far beyond these toy tasks.
MAX_PARAMETERS = 50_000_000


@dataclass(frozen=True)
class TrainConfig:
    task: str
    kind: str
    preset: str | None = None
    seed: int = 0
    hidden_size: int = 12
    optimizer: str = "sgd"
    lr: float = 0.01
    schedule: str = "constant"
    clip: float | None = None
    strategy: str = "sequential"
    epochs: int = 1
    iters: int = 1000
    batch_size: int = 1  # windows (sine) or passages (language) per update; 0 = all windows
    # sine
    seq_len: int = 10
    features: tuple[str, ...] = ()
    # language
    embed_size: int = 16
    max_filler: int = 96  # longest filler: dependency distances up to 100
    short: float = 0.0  # share of fillers drawn short (0..10) instead of uniform
    distractors: float = 0.15  # chance a filler position mentions another person ("met Bob")

    def to_dict(self) -> dict[str, Any]:
        """The fields that matter for this task, JSON-ready."""
        d = dataclasses.asdict(self)
        d["features"] = list(self.features)
        skip = _LANGUAGE_ONLY if self.task == "sine" else _SINE_ONLY
        return {k: v for k, v in d.items() if k not in skip}

    @staticmethod
    def from_dict(d: dict[str, Any]) -> TrainConfig:
        fields = {f.name for f in dataclasses.fields(TrainConfig)}
        d = {k: v for k, v in d.items() if k in fields}
        d["features"] = tuple(d.get("features", ()))
        return TrainConfig(**d)

    def check(self) -> TrainConfig:
        """Validate every field with a message that says what is allowed."""
        if self.task not in TASKS:
            raise ExplainerError(f"unknown task {self.task!r}; valid: {', '.join(TASKS)}")
        if self.kind not in MODELS.values():
            raise ExplainerError(f"unknown model {self.kind!r}; valid: rnn, lstm, gru")
        _positive("hidden size", self.hidden_size)
        _positive("epochs", self.epochs)
        _positive("iterations", self.iters)
        _positive("sequence length", self.seq_len)
        _positive("embedding size", self.embed_size)
        if self.batch_size < 0:
            raise ExplainerError(f"batch size must be 0 (all windows) or positive, got {self.batch_size}")
        if not (self.lr > 0 and self.lr < 100):
            raise ExplainerError(f"learning rate must be a positive number below 100, got {self.lr}")
        if self.clip is not None and not self.clip > 0:
            raise ExplainerError(f"gradient clipping norm must be positive, got {self.clip}")
        for name, value, valid in (("strategy", self.strategy, STRATEGIES), ("optimizer", self.optimizer, OPTIMIZERS),
                                   ("schedule", self.schedule, SCHEDULES)):
            if value not in valid:
                raise ExplainerError(f"unknown {name} {value!r}; valid: {', '.join(valid)}")
        params = 4 * self.hidden_size * (self.hidden_size + max(self.embed_size, 3) + 2)
        if params > MAX_PARAMETERS:
            raise ExplainerError(
                f"hidden size {self.hidden_size} would make a model of {params:.2g} parameters, about "
                f"{format_bytes(params * 16)} of memory to train; these tasks need at most a few hundred units"
            )
        for name, value in (("short", self.short), ("distractors", self.distractors)):
            if not 0.0 <= value <= 1.0:
                raise ExplainerError(f"{name} must be a fraction between 0 and 1, got {value}")
        if not 0 <= self.max_filler <= 1000:
            raise ExplainerError(f"max_filler must be between 0 and 1000, got {self.max_filler}")
        if self.seq_len > 200:
            raise ExplainerError(f"sequence length {self.seq_len} is longer than the 320 training points allow; use at most 200")
        return self


_SINE_ONLY = {"seq_len", "features", "strategy", "epochs"}
_LANGUAGE_ONLY = {"embed_size", "max_filler", "short", "distractors"}


def _positive(what: str, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ExplainerError(f"{what} must be a positive integer, got {value!r}")


PRESETS: dict[str, dict[str, dict[str, Any]]] = {
    "sine": {
        "seed": dict(hidden_size=12, optimizer="sgd", lr=0.01, schedule="constant", strategy="sequential",
                     epochs=1, batch_size=1),
        "tuned": dict(hidden_size=64, optimizer="adam", lr=0.01, schedule="cosine", strategy="epochs",
                      epochs=500, batch_size=0),
    },
    "language": {
        "tuned": dict(hidden_size=32, embed_size=16, optimizer="adam", lr=0.005, schedule="constant",
                      iters=1000, batch_size=32, clip=1.0),
    },
}


def preset_config(task: str, model: str, preset: str | None = None, **overrides: Any) -> TrainConfig:
    """A checked configuration: the preset's values, then any explicit overrides (None = keep)."""
    if task not in PRESETS:
        raise ExplainerError(f"unknown task {task!r}; valid: {', '.join(TASKS)}")
    if model not in MODELS:
        raise ExplainerError(f"unknown model {model!r}; valid: rnn, lstm, gru")
    presets = PRESETS[task]
    preset = preset or next(iter(presets))
    if preset not in presets:
        raise ExplainerError(f"unknown preset {preset!r} for the {task} task; valid: {', '.join(presets)}")
    values = dict(presets[preset])
    values.update({k: v for k, v in overrides.items() if v is not None})
    if "features" in values:
        values["features"] = tuple(values["features"])
    return TrainConfig(task=task, kind=MODELS[model], preset=preset, **values).check()
