"""How tasks are declared and found: one `Task` per module, registered where it is defined.

A task is a module under `explainer/tasks/` holding its data and evaluation (numpy only)
that ends with one `register(Task(...))`: its name and one line for `--help`, its
presets, the training options it takes beyond the common ones (with their defaults and
checks), its training recipe under `explainer/training/` (named as "module:function", so
this table stays torch-free), the explanation inputs `explainer trace` can record, the
checkpoint metadata it writes and every reader may rely on, and the lines `explainer
train` prints. Modules are discovered, not listed: everything that needs the list of
tasks (the CLI's choices and options, the checkpoint checks, the shipped assets) reads it
here.

    >>> [t.name for t in tasks().values()]
    ['sine', 'language', 'text', 'imported']
    >>> get("sine").presets["seed"]["hidden_size"], [o.flag for o in get("sine").trace_options]
    (12, ['--start', '--steps', '--windows'])
"""

from __future__ import annotations

import importlib
import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ExplainerError
from ..registry import Registry


@dataclass(frozen=True)
class Option:
    """An option a task takes: its keyword, its command-line flag, how the flag's text is read, its range.

    A number's range is declared here, once: `check` enforces it for the command line and
    for `preset_config` alike, before any work starts.

        >>> Option("seed", "Seed.", low=0, high=2**32 - 1).check(-1)
        Traceback (most recent call last):
        ...
        explainer.errors.ExplainerError: seed must be an integer from 0 to 4294967295, got -1
        >>> Option("clip", "Clip.", float, low=0, above=True, what="gradient clipping norm").check(float("inf"))
        Traceback (most recent call last):
        ...
        explainer.errors.ExplainerError: gradient clipping norm must be a positive number, got inf (not a finite number)
    """

    name: str  # the keyword: a training option (TrainConfig) or a trace option (trace_checkpoint)
    help: str  # one line for --help
    type: Any = int  # int, float or str: what click converts the flag's text to
    choices: tuple[str, ...] | None = None
    parse: Callable[[str], Any] | None = None  # the flag's text -> value, e.g. "cos,diff" -> ("cos", "diff")
    flag: str = ""  # the command-line spelling; default: `seq_len` -> `--seq-len`
    low: float | None = None  # the smallest value allowed (numbers)
    high: float | None = None  # the largest value allowed
    above: bool = False  # the value must be greater than `low`, not equal to it
    what: str = ""  # how a message names it; default: `seq_len` -> "seq len"

    def __post_init__(self) -> None:
        if not self.flag:
            object.__setattr__(self, "flag", "--" + self.name.replace("_", "-"))
        if not self.what:
            object.__setattr__(self, "what", self.name.replace("_", " "))

    @property
    def allowed(self) -> str:
        """The range in words: 'an integer from 0 to 4294967295', 'a positive number up to 100'."""
        noun = "integer" if self.type is int else "number"
        positive = self.low is not None and (self.low == 0 and self.above or self.type is int and self.low == 1)
        if positive:
            text = f"a positive {noun}"
        elif self.low is not None and self.high is not None and not self.above:
            return f"{'an' if noun == 'integer' else 'a'} {noun} from {_plain(self.low)} to {_plain(self.high)}"
        elif self.low is not None:
            text = f"{'an' if noun == 'integer' else 'a'} {noun} {'above' if self.above else 'of at least'} {_plain(self.low)}"
        else:
            text = f"{'an' if noun == 'integer' else 'a'} {noun}"
        return text + (f" up to {_plain(self.high)}" if self.high is not None else "")

    def check(self, value: Any) -> Any:
        """`value` if it is of the option's type and in its range, else a one-line `ExplainerError`."""
        if self.type is str or self.parse is not None:
            if self.choices and value not in self.choices:
                raise ExplainerError(f"unknown {self.what} {value!r}; valid: {', '.join(self.choices)}")
            return value
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or (
                self.type is int and not isinstance(value, numbers.Integral)):
            raise ExplainerError(f"{self.what} must be {self.allowed}, got {value!r}")
        if not math.isfinite(value):
            raise ExplainerError(f"{self.what} must be {self.allowed}, got {value!r} (not a finite number)")
        if (self.low is not None and (value <= self.low if self.above else value < self.low)) or (
                self.high is not None and value > self.high):
            raise ExplainerError(f"{self.what} must be {self.allowed}, got {value!r}")
        return value


def _plain(v: float) -> str:
    """A bound as people write it: 4294967295, 0.5, 100."""
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


@dataclass(frozen=True)
class Explanation:
    """What `explainer trace` records for a task: the model's input, step labels, trace metadata."""

    x: np.ndarray  # the model's input: floats [batch, time, features] or token ids [batch, time]
    steps: list[str]  # one label per step
    meta: dict[str, Any]  # what the trace says about its input (positions, words, targets, ...)


@dataclass(frozen=True)
class Task:
    name: str
    description: str  # one line, English (for --help)
    rank: int  # position in lists
    presets: Mapping[str, Mapping[str, Any]]  # name -> values (common fields and options); the first is the default
    recipe: str  # "module:function" under explainer.training: (TrainConfig, progress) -> Checkpoint
    explain: Callable[..., Explanation]  # (train meta, **trace options) -> Explanation
    summary: Callable[[Mapping[str, Any]], list[str]]  # a checkpoint's meta -> lines for the terminal
    options: tuple[Option, ...] = ()  # training options beyond the common ones
    defaults: Mapping[str, Any] = field(default_factory=dict)  # every option's value unless a preset or caller says
    check: Callable[[Mapping[str, Any]], None] = lambda options: None  # one-line ExplainerError for a bad value
    trace_options: tuple[Option, ...] = ()  # what `explainer trace` takes for this task's checkpoints
    extra_traces: Callable[[Mapping[str, Any]], dict[str, dict[str, Any]]] = lambda train: {}  # {suffix: trace options}
    shipped: tuple[str, ...] = ()  # presets trained for assets/ (default: every preset)
    metrics: tuple[str, ...] = ()  # keys of meta["metrics"] every checkpoint of the task has
    sections: tuple[str, ...] = ()  # other meta sections it has (mappings): "eval", "units"
    trainable: bool = True  # False: its checkpoints come from elsewhere (`explainer import`), never `explainer train`
    default_model: str = "rnn"  # the cell `explainer train TASK` trains when no --model is given
    shipped_models: tuple[str, ...] = ()  # model families trained for assets/ (default: rnn, lstm and gru)
    shipped_dtype: str = "float32"  # how assets/ store its traces (float16 halves a large one)

    @property
    def option_names(self) -> tuple[str, ...]:
        return tuple(o.name for o in self.options)

    def shipped_presets(self) -> tuple[str, ...]:
        if not self.trainable:
            return ()
        return self.shipped or tuple(self.presets)

    def train_function(self) -> Callable:
        """The recipe, imported (it needs torch)."""
        module, _, function = self.recipe.partition(":")
        return getattr(importlib.import_module(module), function)


TASKS: Registry[Task] = Registry("task", "explainer.tasks", {"registry", "lexicon"})


def register(task: Task) -> Task:
    """Declare a task (at the end of its module)."""
    if not task.presets:
        raise ValueError(f"task {task.name!r} declares no preset")
    missing = set(task.option_names) - set(task.defaults)
    if missing:
        raise ValueError(f"task {task.name!r}: options without a default {sorted(missing)}")
    TASKS.add(task.name, task)
    return task


def tasks() -> dict[str, Task]:
    """Every task, in rank order (modules imported on first call)."""
    return TASKS.all()


def trainable() -> dict[str, Task]:
    """The tasks `explainer train` trains (every one but those whose models come from elsewhere)."""
    return {name: task for name, task in tasks().items() if task.trainable}


def get(name: str) -> Task:
    """A task by name; an unknown one is a one-line error listing the tasks."""
    return TASKS.get(name)


def refuse(task: Task, given: Iterable[str], takes: Iterable[str], spell: Callable[[str], str] = str) -> None:
    """Raise a one-line error naming the options `task` does not take, and those it takes.

    `given` and `takes` are option names; `spell` writes one as the caller knows it (a flag).
    """
    takes = list(takes)
    refused = [spell(name) for name in given if name not in takes]
    if refused:
        raise ExplainerError(
            f"the {task.name} task does not take {', '.join(refused)}; it takes {', '.join(spell(n) for n in takes)}"
        )
