"""What a training run is: one frozen configuration, filled from a task's preset.

The fields every task shares (model, sizes, optimizer, schedule, updates, batch, seed)
are `TrainConfig`'s own; a task's own options (the sine's window length, the language's
embedding size, ...) are declared by the task (`explainer/tasks/registry.py`) and kept in
`options`, read as attributes: `config.seq_len`. The presets, too, belong to each task
(see `explainer/tasks/sine.py` and `language.py`).

    >>> c = preset_config("sine", "rnn", "seed")
    >>> (c.hidden_size, c.optimizer, c.lr, c.strategy, c.batch_size)
    (12, 'sgd', 0.01, 'sequential', 1)
    >>> preset_config("language", "lstm", seq_len=5)
    Traceback (most recent call last):
    ...
    explainer.errors.ExplainerError: the language task does not take seq_len; it takes seed, hidden_size, ...
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ExplainerError
from ..kinds import FAMILIES, MODELS
from ..memory import format_bytes
from ..tasks import registry
from ..tasks.registry import Option

OPTIMIZERS = ("sgd", "adam")
SCHEDULES = ("constant", "cosine")

#: The largest model we agree to build: a parameter count far beyond these toy tasks.
MAX_PARAMETERS = 50_000_000
#: The most updates a run makes (the shipped presets make at most a few thousand).
MAX_UPDATES = 1_000_000
#: The most windows or passages in one update.
MAX_BATCH = 10_000
#: Seeds are what numpy and torch both take: 0 to 2**32 - 1.
MAX_SEED = 2**32 - 1

#: The training options every task takes (TrainConfig's own fields), as the command line offers them,
#: with their ranges (checked by `TrainConfig.check`, so the CLI and `preset_config` refuse the same values).
COMMON: tuple[Option, ...] = (
    Option("hidden_size", "Hidden size (overrides the preset).", flag="--hidden", low=1, what="hidden size"),
    Option("batch_size", f"Windows or passages per update (0 = all windows; at most {MAX_BATCH}).", low=0,
           high=MAX_BATCH, what="batch size"),
    Option("iters", f"Updates (sine: for --strategy random only; at most {MAX_UPDATES:,}).", low=1, high=MAX_UPDATES,
           what="iterations"),
    Option("lr", "Learning rate.", float, low=0, above=True, high=100, what="learning rate"),
    Option("optimizer", "Optimizer (overrides the preset).", str, OPTIMIZERS),
    Option("clip", "Clip the gradient norm to this value (a positive number).", float, low=0, above=True,
           what="gradient clipping norm"),
    Option("seed", f"Seed of the data, the initial weights and the sampling, 0 to {MAX_SEED}. [default: 0]", low=0,
           high=MAX_SEED),
)


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
    iters: int = 1000
    batch_size: int = 1  # windows (sine) or passages (language) per update; 0 = all windows
    options: Mapping[str, Any] = field(default_factory=dict)  # the task's own options, e.g. seq_len

    def __getattr__(self, name: str) -> Any:
        """A task option as an attribute: `config.seq_len`."""
        options = self.__dict__.get("options") or {}
        if name in options:
            return options[name]
        raise AttributeError(f"{type(self).__name__} of the {self.__dict__.get('task')} task has no {name!r}")

    def to_dict(self) -> dict[str, Any]:
        """The common fields and the task's options in one JSON-ready mapping (tuples as lists)."""
        d = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "options"}
        d.update(self.options)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}

    def check(self) -> TrainConfig:
        """Validate every field with a message that says what is allowed."""
        task = registry.get(self.task)
        if self.kind not in MODELS.values():
            raise ExplainerError(f"unknown model {self.kind!r}; valid: {', '.join(FAMILIES)}")
        for option in COMMON:  # the declared ranges
            if not (option.name == "clip" and self.clip is None):
                option.check(getattr(self, option.name))
        if self.schedule not in SCHEDULES:
            raise ExplainerError(f"unknown schedule {self.schedule!r}; valid: {', '.join(SCHEDULES)}")
        params = 4 * self.hidden_size * (self.hidden_size + 5)  # at least: 4 gate blocks, a few inputs
        if params > MAX_PARAMETERS:
            raise ExplainerError(
                f"hidden size {self.hidden_size} would make a model of {params:.2g} parameters, about "
                f"{format_bytes(params * 16)} of memory to train; these tasks need at most a few hundred units"
            )
        refused = set(self.options) - set(task.option_names)
        if refused:
            registry.refuse(task, sorted(refused), task.option_names)
        for option in task.options:  # the task's declared ranges, then its own checks across options
            if option.name in self.options:
                option.check(self.options[option.name])
        task.check(self.options)
        return self


#: TrainConfig's own fields that a caller may set (every task takes them).
FIELDS = tuple(f.name for f in dataclasses.fields(TrainConfig) if f.name not in ("task", "kind", "preset", "options"))


def takes(task: str) -> tuple[str, ...]:
    """Every training keyword `task` takes: the common fields, then its own options."""
    return FIELDS + registry.get(task).option_names


def check_options(task: str, given: Iterable[str]) -> None:
    """Refuse, in one line, keywords the task does not take."""
    registry.refuse(registry.get(task), list(given), takes(task))


def preset_config(task: str, model: str, preset: str | None = None, **overrides: Any) -> TrainConfig:
    """A checked configuration: the task's defaults, its preset's values, then explicit overrides (None = keep).

    An override the task does not take (`seq_len` for the language) is refused.
    """
    spec = registry.get(task)
    if model not in MODELS:
        raise ExplainerError(f"unknown model {model!r}; valid: {', '.join(FAMILIES)}")
    given = {k: v for k, v in overrides.items() if v is not None}
    check_options(task, given)
    preset = preset or next(iter(spec.presets))
    if preset not in spec.presets:
        raise ExplainerError(f"unknown preset {preset!r} for the {task} task; valid: {', '.join(spec.presets)}")
    values = {**spec.defaults, **spec.presets[preset], **given}
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    options = {k: v for k, v in values.items() if k not in FIELDS}
    return TrainConfig(task=task, kind=MODELS[model], preset=preset, options=options,
                       **{k: v for k, v in values.items() if k in FIELDS}).check()
