"""One declared schema for the metadata of traces and checkpoints, checked when they are saved and when they are loaded.

Every reader (figures, scenes, the lecture, `inspect`) may rely on what is declared here,
and on nothing else. Two steps, both here:

1. `plain`: the metadata is JSON data and nothing more — numpy scalars become Python
   numbers, tuples lists; every number finite, every string at most `MAX_TEXT` characters
   and free of lone surrogates, every key text, nesting at most `MAX_DEPTH` levels (checked
   without recursing further). Whatever a caller adds of their own must pass this.
2. pydantic models: the fields explainer writes have their types, and agree with the
   arrays: one entry per step in `steps`, `words[lang]`, `targets`, `gender`, `token_ids`, ...;
   one per batch row in `window_starts`; discovered units within the layers' width; step
   labels at most `MAX_LABEL` characters. A checkpoint has the sections and fields its
   figures read, and the metrics and sections its task declares (`Task.metrics`,
   `Task.sections` in `explainer/tasks/registry.py`).

Arrays: a trace holds float32 or float16 arrays `[batch, time, size]` under trace names;
a checkpoint float32 or float16 weights.

A problem is a `MetaError` in one line naming the field, e.g. `metadata field steps[3]
should be text, not an integer (3)`; the caller says which file.

    >>> check_trace({"steps": ["a", "b"], "seed": np.int64(3)}, {"layers.0.h": ("float32", (1, 2, 4))})["seed"]
    3
    >>> check_trace({"steps": ["a", 5]}, {"layers.0.h": ("float32", (1, 2, 4))})
    Traceback (most recent call last):
    ...
    explainer.schema.MetaError: trace metadata field steps[1] should be text, not an integer (5)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError, ValidationInfo, \
    create_model, model_validator
from pydantic_core import PydanticCustomError

from .errors import ExplainerError
from .names import KINDS, NAME_PATTERN, split

#: The longest step label, word or answer (characters).
MAX_LABEL = 1_000
#: The longest string anywhere else in the metadata.
MAX_TEXT = 10_000
#: How deeply the metadata may nest: the meta mapping is level 1.
MAX_DEPTH = 32
#: The array dtypes of both kinds of file.
FLOAT_DTYPES = ("float32", "float16")

#: Trace fields with one entry per step, per step in each language, per batch row (`Trace.select` cuts them too).
PER_STEP = ("steps", "targets", "distances", "gender", "new_subject", "new_gender", "token_ids", "positions", "x", "y")
PER_STEP_BY_LANG = ("words",)
PER_ROW = ("window_starts", "lengths", "rows", "texts")


class MetaError(ExplainerError):
    """Metadata or arrays that do not fit the schema (the message does not name the file)."""


# -- 1. plain JSON data --------------------------------------------------------------------------
def plain(value: Any, what: str = "metadata", finite: bool = True) -> Any:
    """`value` as plain JSON data, or a `MetaError` naming the first field that is not.

    `finite=False` lets NaN and Inf through: metadata drawn in Python but never saved (JSON has no NaN).

    >>> plain({"seed": np.int64(3), "xs": (np.float32(0.5), 1)})
    {'seed': 3, 'xs': [0.5, 1]}
    """
    return _plain(value, (), 1, what, finite)


def _plain(value: Any, loc: tuple, level: int, what: str, finite: bool = True) -> Any:
    if value is None or type(value) in (bool, int):
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if finite and not math.isfinite(number):
            raise MetaError(f"{_field(what, loc)} should be a finite number, not {number}")
        return number
    if isinstance(value, str):
        return _text(str(value), loc, what)
    if isinstance(value, np.ndarray):
        return _plain(value.tolist(), loc, level, what, finite)
    if isinstance(value, (Mapping, list, tuple)) and level > MAX_DEPTH:
        raise MetaError(f"{_field(what, loc)} nests more than {MAX_DEPTH} levels deep")
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise MetaError(f"{_field(what, loc)} has a key {key!r} that is not text")
            key = _text(str(key), loc + (key,), what)
            out[key] = _plain(item, loc + (key,), level + 1, what, finite)
        return out
    if isinstance(value, (list, tuple)):
        simple = _simple(value, finite)
        if simple is not None:
            return simple
        return [_plain(item, loc + (i,), level + 1, what, finite) for i, item in enumerate(value)]
    raise MetaError(f"{_field(what, loc)} should be JSON data (text, a number, a list or a mapping), "
                    f"not {type(value).__name__}")


def _simple(values: list | tuple, finite: bool) -> list | None:
    """A list of plain numbers or of short clean text, copied at C speed (None: check item by item)."""
    kinds = set(map(type, values))
    if kinds <= {int, bool, type(None)}:
        return list(values)
    if kinds <= {float, int} and (not finite or all(map(math.isfinite, values))):
        return list(values)
    if kinds == {str} and max(map(len, values)) <= MAX_TEXT:
        joined = "".join(values)
        if joined.isascii() or _encodes(joined):
            return list(values)
    return None


def _encodes(s: str) -> bool:
    try:
        s.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _text(s: str, loc: tuple, what: str) -> str:
    if len(s) > MAX_TEXT:
        raise MetaError(f"{_field(what, loc)} holds {len(s):,} characters of text; at most {MAX_TEXT:,} are allowed")
    if not s.isascii():
        try:
            s.encode("utf-8")
        except UnicodeEncodeError as e:
            raise MetaError(f"{_field(what, loc)} holds a lone surrogate ({s[e.start]!r} at character {e.start}), "
                            "which is not text") from None
    return s


def _field(what: str, loc: tuple) -> str:
    """'metadata field steps[3]', 'metadata field units_found.gender.units'."""
    if not loc:
        return what
    out = ""
    for part in loc if len(loc) <= 6 else loc[:5]:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return f"{what} field {out}{'…' if len(loc) > 6 else ''}"


# -- 2. the declared fields -------------------------------------------------------------------------
_STRICT = ConfigDict(strict=True, extra="allow")  # extra fields are the caller's own; `plain` checked them

Text = str
Label = Annotated[str, StringConstraints(max_length=MAX_LABEL)]
Count = Annotated[int, Field(ge=0)]
Positive = Annotated[int, Field(ge=1)]
Fraction = Annotated[float, Field(ge=0, le=1)]
Kind = Literal[KINDS]


def _custom(message: str) -> PydanticCustomError:
    return PydanticCustomError("explainer", message)  # no context given: braces in the message stay as they are


def _along(axis: str) -> AfterValidator:
    """A list with one entry per step (`axis` 'step') or per batch row ('row'), when the trace's size is known."""

    def check(value: list, info: ValidationInfo) -> list:
        n = (info.context or {}).get(axis)
        if n is not None and len(value) != n:
            one = "batch row" if axis == "row" else "step"
            entries = "step label" if info.field_name in ("steps", "words") else "entry"
            raise _custom(f"should have one entry per {one}: the trace has {_count(n, one)} but "
                          f"{_count(len(value), entries)}")
        return value

    return AfterValidator(check)


def _units_within(value: list[int], info: ValidationInfo) -> list[int]:
    bound = (info.context or {}).get("unit_bound")
    beyond = [u for u in value if bound is not None and u >= bound]
    if beyond:
        raise _custom(f"names unit {beyond[0]}, but the layers have {bound} units (0 to {bound - 1})"
                      if bound else f"names unit {beyond[0]}, but the layers have no units")
    return value


def _layer_within(value: int, info: ValidationInfo) -> int:
    layers = (info.context or {}).get("layers")
    if layers is not None and value >= layers:
        raise _custom(f"names layer {value}, but there {'is' if layers == 1 else 'are'} {layers} layer{'s' * (layers != 1)}")
    return value


def _count(n: int, thing: str) -> str:
    """'1 step', '3 steps', '2 entries'."""
    return f"{n} {thing}" if n == 1 else f"{n} {thing[:-1] + 'ies' if thing.endswith('y') else thing + 's'}"


def _within_steps(value: int, info: ValidationInfo) -> int:
    steps = (info.context or {}).get("step")
    if steps is not None and value > steps:
        raise _custom(f"is {value}, longer than the trace's {_count(steps, 'step')}")
    return value


def _text_within_steps(value: str, info: ValidationInfo) -> str:
    steps = (info.context or {}).get("step")
    if steps is not None and len(value) > steps:
        raise _custom(f"holds a text of {_count(len(value), 'character')}, longer than the trace's "
                      f"{_count(steps, 'step')}")
    return value


def _covers_columns(value: list[int], info: ValidationInfo) -> list[int]:
    columns = (info.context or {}).get("columns")
    if columns is not None and len(value) < columns:
        raise _custom(f"has {_count(len(value), 'unit number')} for {_count(columns, 'unit column')}")
    return value


def _distinct(value: list) -> list:
    if len(set(value)) != len(value):
        raise _custom("names a unit twice")
    return value


def _known_optimizer(value: str) -> str:
    from .training.config import OPTIMIZERS  # lazily: training imports the checkpoint, which imports this

    if value not in OPTIMIZERS:
        raise _custom(f"should be one of {', '.join(OPTIMIZERS)}, not {value!r}")
    return value


def _known_schedule(value: str) -> str:
    from .training.config import SCHEDULES

    if value not in SCHEDULES:
        raise _custom(f"should be one of {', '.join(SCHEDULES)}, not {value!r}")
    return value


PerStep = Annotated[list, _along("step")]
UnitNumbers = Annotated[list[Count], AfterValidator(_units_within)]
Series = list[float | None]  # None where a prediction was not a finite number


Place = Literal["before", "name", "gender_word", "elsewhere"]


class ReadoutDirection(BaseModel):
    """The readout's he−she direction on the top layer's h: W_he − W_she (one weight per unit) and b_he − b_she."""

    model_config = _STRICT
    direction: list[float]
    bias: float


class ForgetMeans(BaseModel):
    """The mean forget gate at a new subject's places, on the explained units and on the others, and over how many steps."""

    model_config = _STRICT
    units: dict[Place, float | None]
    others: dict[Place, float | None]
    steps: dict[Place, Count]


class ForgetChange(BaseModel):
    """Where the evidence flips at a new subject of the other gender, and the reset's share of the change of C."""

    model_config = _STRICT
    explained_step: Literal["name", "gender_word"]
    toward_new: dict[Literal["before", "name", "gender_word"], float | None]
    reset_share: dict[Literal["before", "name", "gender_word"], float | None]
    switches: Count


class RankedUnit(BaseModel):
    """One unit of a feature's ranking over every layer and state (explainer/probes/text_units.py)."""

    model_config = _STRICT
    layer: Annotated[Count, AfterValidator(_layer_within)]
    state: Literal["h", "c"]
    unit: Annotated[Count, AfterValidator(lambda unit, info: _units_within([unit], info)[0])]  # as `units` is checked
    correlation: Annotated[float, Field(ge=-1, le=1)]


class FoundUnits(BaseModel):
    """Units discovery found for one feature (trace `units_found[feature]`, checkpoint `units[feature]`)."""

    model_config = _STRICT
    units: Annotated[UnitNumbers, AfterValidator(_distinct)]
    layer: Annotated[Count, AfterValidator(_layer_within)] = 0
    state: Literal["h", "c"] = "h"
    correlation: list[float] = None
    all_correlations: list[float] = None
    ranking: list[RankedUnit] = None  # text discovery: the best units over every layer and state, best first
    # the forget gate, measured (explainer/probes/forget.py; read back by explainer/reading/forget.py)
    criterion: Literal["evidence", "correlation"] = None
    evidence_share: list[float] = None
    readout: ReadoutDirection = None
    forget: ForgetMeans = None
    change: ForgetChange = None

    @model_validator(mode="after")
    def _one_correlation_per_unit(self) -> FoundUnits:
        if self.correlation is not None and len(self.correlation) != len(self.units):
            raise _custom(f"has {len(self.units)} units but {len(self.correlation)} correlations")
        return self


class EvalFields(BaseModel):
    """A sine model's evaluation on the test range; a trace carries its checkpoint's (any of these fields)."""

    model_config = _STRICT
    data_seed: Count = None
    seq_len: Positive = None
    train_points: Positive = None
    features: list[Text] = None
    x: list[float] = None
    truth: Series = None
    single: Series = None
    multi: Series = None
    untrained_single: Series = None
    untrained_multi: Series = None
    untrained_metrics: dict[Text, float] = None

    @model_validator(mode="after")
    def _one_value_per_x(self) -> EvalFields:
        if self.x is not None:
            for name in ("truth", "single", "multi", "untrained_single", "untrained_multi"):
                values = getattr(self, name)
                if values is not None and len(values) != len(self.x):
                    raise _custom(f"has {len(self.x)} x values but {len(values)} {name} values")
        return self


class UntrainedMetrics(BaseModel):
    model_config = _STRICT
    mse_single: float
    mse_multi: float


class Eval(EvalFields):
    """What a sine checkpoint's figures draw (predict, multistep, shapes, ...)."""

    x: list[float]
    truth: Series
    single: Series
    multi: Series
    untrained_single: Series
    train_points: Positive
    untrained_metrics: UntrainedMetrics


class TraceMeta(BaseModel):
    """A trace's metadata (`Trace.meta`): what `record` and `explainer trace` write."""

    model_config = _STRICT
    kind: Kind | None = None
    input_size: Count | None = None
    hidden_size: Count | None = None
    proj_size: Count | None = None
    output_size: Count | None = None
    num_layers: Count | None = None
    num_directions: Literal[1, 2] | None = None
    model: Text | None = None
    task: Text | None = None
    preset: Text | None = None
    seed: Count | None = None
    lang: Text | None = None
    dtype: Literal[FLOAT_DTYPES] | None = None
    names: list[Text] | None = None
    steps: Annotated[list[Label], _along("step")] | None = None
    words: dict[Text, Annotated[list[Label], _along("step")]] | None = None
    answers: dict[Text, list[Label]] | list[Label] | None = None
    targets: Annotated[list[Annotated[int, Field(ge=-1)]], _along("step")] | None = None
    distances: Annotated[list[Annotated[int, Field(ge=-1)]], _along("step")] | None = None
    gender: Annotated[list[Annotated[int, Field(ge=-1, le=1)]], _along("step")] | None = None
    new_subject: Annotated[list[bool], _along("step")] | None = None
    new_gender: Annotated[list[bool], _along("step")] | None = None
    token_ids: Annotated[list[Count], _along("step")] | None = None
    positions: Annotated[list[Count], _along("step")] | None = None
    x: Annotated[list[float], _along("step")] | None = None
    y: Annotated[list[float], _along("step")] | None = None
    next_x: float | None = None
    next_y: float | None = None
    train_points: Count | None = None
    seq_len: Count | None = None
    window_starts: Annotated[list[Count], _along("row")] | None = None
    lengths: Annotated[list[Annotated[Positive, AfterValidator(_within_steps)]], _along("row")] | None = None
    texts: Annotated[list[Annotated[str, AfterValidator(_text_within_steps)]], _along("row")] | None = None
    rows: Annotated[list[Count], _along("row")] | None = None  # a trace cut by `select(batch=...)`: original rows
    rows_of: Positive | None = None  # ... and how many rows the trace it was cut from had
    units: Annotated[list[Count], AfterValidator(_distinct), AfterValidator(_covers_columns)] | None = None
    units_found: dict[Text, FoundUnits] | None = None
    intervened: dict[Text, Text] | None = None
    nonfinite: dict[Text, Count] | None = None
    metrics: dict[Text, Any] | None = None
    eval: EvalFields | None = None


# checkpoints ----------------------------------------------------------------------------
class ModelConfig(BaseModel):
    """The architecture (`TaskModel.config()`); `build_model` checks the rest when it rebuilds it."""

    model_config = _STRICT
    model: Text
    kind: Kind
    hidden_size: Positive
    num_layers: Positive = None
    input_size: Positive = None
    output_size: Positive = None
    embed_size: Positive = None
    vocab_size: Positive = None
    num_classes: Positive = None
    bidirectional: bool = None
    proj_size: Count = None


#: The task options (training options beyond the common ones) explainer knows the type of.
OPTION_TYPES: dict[str, Any] = {
    "seq_len": Positive, "features": list[Text], "strategy": Text, "epochs": Positive,
    "embed_size": Positive, "max_filler": Count, "min_filler": Count, "short": Fraction, "distractors": Fraction,
    "forget_bias": Annotated[float, Field(ge=-10, le=10, allow_inf_nan=False)],
    "corpus": Text | None, "layers": Positive, "bptt": Positive,
}

Train = create_model(
    "Train", __config__=_STRICT, __doc__="The training configuration (`TrainConfig.to_dict()`).",
    task=(Text, ...), seed=(Count, ...), hidden_size=(Positive, ...),
    optimizer=(Annotated[str, AfterValidator(_known_optimizer)], ...), lr=(Annotated[float, Field(gt=0)], ...),
    iters=(Count, ...), batch_size=(Count, ...), preset=(Text | None, None), kind=(Kind, None),
    schedule=(Annotated[str, AfterValidator(_known_schedule)], None), clip=(Annotated[float, Field(gt=0)] | None, None),
    **{name: (kind, None) for name, kind in OPTION_TYPES.items()},
)


class Learning(BaseModel):
    """Accuracy by distance bucket measured while training: accuracy[k][b] after updates[k] updates."""

    model_config = _STRICT
    updates: list[Count]
    buckets: list[Label]
    accuracy: list[list[float]]  # NaN where a bucket is empty
    passages: Positive

    @model_validator(mode="after")
    def _rectangular(self) -> "Learning":
        if len(self.accuracy) != len(self.updates) or any(len(row) != len(self.buckets) for row in self.accuracy):
            raise _custom("accuracy must hold one value per bucket for every update")
        return self


class History(BaseModel):
    model_config = _STRICT
    loss: list[float]
    epoch_loss: list[float] = None
    updates_per_epoch: Positive = None
    accuracy_by_distance: Learning = None


Metric = float | dict[Text, float]


class TextCorpus(BaseModel):
    """What a text checkpoint was trained and scored on (`explainer/tasks/text.py`), and the snippet it is traced on."""

    model_config = _STRICT
    name: Text
    files: Count
    train_files: Count
    heldout_files: Count
    skipped: Count
    split: Text
    train_chars: Positive
    heldout_chars: Positive
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    snippet: Annotated[str, StringConstraints(min_length=1)]


#: The sections a task may declare it writes (`Task.sections`), and their shape.
SECTIONS: dict[str, Any] = {"eval": Eval, "units": dict[Text, FoundUnits], "corpus": TextCorpus}

#: A character model's vocabulary: one distinct character per token id, in id order.
Vocab = list[Annotated[str, StringConstraints(min_length=1, max_length=1)]]


class CheckpointMeta(BaseModel):
    """A checkpoint's metadata, whatever its task."""

    model_config = _STRICT
    model: ModelConfig
    train: Train  # type: ignore[valid-type]
    history: History
    metrics: dict[Text, Metric]
    eval: EvalFields = None
    units: dict[Text, FoundUnits] = None
    answers: list[Label] = None
    vocab: Vocab = None  # a character model's (the text task's)

    @model_validator(mode="after")
    def _one_character_per_id(self) -> CheckpointMeta:
        size = self.model.vocab_size
        if self.vocab is not None and (size is None or len(self.vocab) != size or len(set(self.vocab)) != size):
            raise _custom(f"has a vocabulary of {len(self.vocab)} characters for a model of "
                          f"{size} token ids (one distinct character per id)")
        return self


class ImportedTrain(BaseModel):
    """Where a model trained elsewhere came from (`explainer import`), in place of a training configuration."""

    model_config = _STRICT
    task: Text
    factory: Text
    weights: Text
    weights_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    module: Text
    seed: Count | None = None


class ImportedCheckpoint(CheckpointMeta):
    """A model trained elsewhere: no training history (a character model's vocabulary as any checkpoint's)."""

    train: ImportedTrain
    history: History = None


@functools.cache
def checkpoint_model(task_name: str) -> type[BaseModel]:
    """The checkpoint schema of one task: its metrics, sections and options required."""
    from .tasks.registry import tasks

    task = tasks()[task_name]
    title = task_name.title().replace("_", "")
    if not task.trainable:
        return ImportedCheckpoint
    metrics = create_model(f"{title}Metrics", __config__=_STRICT, **{k: (Metric, ...) for k in task.metrics})
    train = create_model(f"{title}Train", __base__=Train,
                         **{o: (OPTION_TYPES.get(o, Any), ...) for o in task.option_names})
    sections = {s: (SECTIONS.get(s, dict[Text, Any]), ...) for s in task.sections}
    return create_model(f"{title}Checkpoint", __base__=CheckpointMeta, metrics=(metrics, ...), train=(train, ...),
                        **sections)


# -- checks ---------------------------------------------------------------------------------------
def check_trace_arrays(arrays: Mapping[str, tuple[str, tuple[int, ...]]], stored: bool = False) -> None:
    """Each array `(dtype name, shape)` is float32/float16 `[batch, time, size]`, sharing batch and time.

    `stored`: also under a trace name (what a file may hold).
    """
    if stored:
        if not arrays:
            raise MetaError("trace holds no arrays; a trace file holds at least one")
        bad = [n for n in arrays if not NAME_PATTERN.match(n)]
        if bad:
            raise MetaError(f"trace holds arrays that are not trace names ({', '.join(map(repr, bad[:3]))})")
    cover: tuple[int, ...] | None = None
    for name, (dtype, shape) in arrays.items():
        if len(shape) != 3:
            raise MetaError(f"trace array {name!r} has shape {list(shape)}; every array is [batch, time, size]")
        if dtype not in FLOAT_DTYPES:
            raise MetaError(f"trace array {name!r} holds {dtype} values; a trace holds float32 or float16 arrays")
        if cover is not None and tuple(shape[:2]) != cover:
            raise MetaError(f"trace array {name!r} covers [batch, time] = {list(shape[:2])} "
                            f"but the others cover {list(cover)}")
        cover = tuple(shape[:2])


def check_trace(meta: Mapping[str, Any], arrays: Mapping[str, tuple[str, tuple[int, ...]]],
                stored: bool = False) -> dict[str, Any]:
    """A trace's metadata as plain JSON, checked against the schema and its arrays `{name: (dtype, shape)}`."""
    check_trace_arrays(arrays, stored)
    if not isinstance(meta, Mapping):
        raise MetaError(f"trace metadata should be a mapping, not {_describe(meta)}")
    meta = plain(meta, "trace metadata")
    shapes = [shape for _, shape in arrays.values()]
    layer_widths = [shape[2] for name, (_, shape) in arrays.items() if split(name) is not None]
    columns = max(layer_widths) if layer_widths else None
    known = [w for w in (columns, meta.get("hidden_size")) if isinstance(w, int) and not isinstance(w, bool)]
    units = meta.get("units")
    if isinstance(units, list) and units and all(isinstance(u, int) for u in units):
        known.append(max(units) + 1)
    layers = [split(n)[0] + 1 for n in arrays if split(n) is not None]
    if isinstance(meta.get("num_layers"), int) and not isinstance(meta["num_layers"], bool):
        layers.append(meta["num_layers"])
    context = {
        "step": shapes[0][1] if shapes else None,
        "row": shapes[0][0] if shapes else None,
        "columns": columns,
        "unit_bound": max(known) if known else None,
        "layers": max(layers) if layers else None,
    }
    _validate(TraceMeta, meta, context, "trace metadata")
    return meta


def check_checkpoint_arrays(arrays: Mapping[str, tuple[str, tuple[int, ...]]]) -> None:
    """Every weight is float32 or float16."""
    for name, (dtype, _) in arrays.items():
        if dtype not in FLOAT_DTYPES:
            raise MetaError(f"weight {name!r} holds {dtype} values; a checkpoint holds float32 or float16 weights")


def check_checkpoint(meta: Mapping[str, Any], arrays: Mapping[str, tuple[str, tuple[int, ...]]] | None = None,
                     finite: bool = True) -> dict[str, Any]:
    """A checkpoint's metadata as plain JSON, checked against its task's schema (`finite`: see `plain`)."""
    from .tasks.registry import tasks

    if arrays is not None:
        check_checkpoint_arrays(arrays)
    if not isinstance(meta, Mapping):
        raise MetaError(f"metadata should be a mapping, not {_describe(meta)}")
    meta = plain(meta, finite=finite)
    for key in ("model", "train", "metrics"):
        if not isinstance(meta.get(key), dict):
            raise MetaError(f"its metadata has no {key!r} section")
    task = meta["train"].get("task")
    if not isinstance(task, str) or task not in tasks():
        raise MetaError(f"the task cannot be read (train.task is {_describe(task)}; "
                        f"this explainer knows {', '.join(tasks())})")
    model = meta["model"]
    hidden, layers = model.get("hidden_size"), model.get("num_layers", 1)
    context = {"unit_bound": hidden if isinstance(hidden, int) else None,
               "layers": layers if isinstance(layers, int) else None}
    try:
        checkpoint_model(task).model_validate(meta, context=context)
    except ValidationError as e:
        errors = e.errors(include_url=False)
        metrics = [err["loc"][1] for err in errors if err["type"] == "missing" and err["loc"][:1] == ("metrics",)
                   and len(err["loc"]) == 2]
        sections = [err["loc"][0] for err in errors if err["type"] == "missing" and len(err["loc"]) == 1]
        if metrics or sections:
            parts = ([f"the {task} metrics ({', '.join(map(str, metrics))})"] if metrics else []) + \
                    [f"the {s} section" for s in sections]
            several = len(parts) > 1 or len(metrics) > 1
            raise MetaError(f"{', '.join(parts)} {'are' if several else 'is'} missing") from None
        raise MetaError(_message(_deepest(errors, meta), meta, "metadata")) from None
    return meta


def _validate(model: type[BaseModel], meta: dict, context: dict, what: str) -> None:
    try:
        model.model_validate(meta, context=context)
    except ValidationError as e:
        raise MetaError(_message(_deepest(e.errors(include_url=False), meta), meta, what)) from None


def _deepest(errors: list[dict], data: Any) -> dict:
    """The error that reaches furthest into the data (of a union's, the member the value was meant to be)."""
    return max(errors, key=lambda error: len(_real_loc(error["loc"], data)))


# -- one line per problem ---------------------------------------------------------------------------
_WANTS = {
    "string_type": "should be text", "int_type": "should be an integer", "float_type": "should be a number",
    "bool_type": "should be true or false", "list_type": "should be a list", "dict_type": "should be a mapping",
    "model_type": "should be a mapping", "model_attributes_type": "should be a mapping",
    "none_required": "should be null", "finite_number": "should be a finite number",
}


def _message(error: dict, data: Any, what: str) -> str:
    """A pydantic error as one line: 'metadata field steps[3] should be text, not an integer (3)'."""
    kind, ctx, given = error["type"], error.get("ctx") or {}, error.get("input")
    field = _field(what, _real_loc(error["loc"], data))
    if kind == "missing":
        return f"{field} is missing"
    if kind == "explainer":
        return f"{field} {error['msg']}"
    if kind == "string_too_long":
        return f"{field} is {len(given):,} characters long; at most {ctx['max_length']:,} are allowed"
    if kind == "literal_error":
        want = f"should be {ctx['expected']}" if " or " not in ctx["expected"] else f"should be one of {ctx['expected']}"
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()))
        want = {"greater_than_equal": "at least", "greater_than": "more than", "less_than_equal": "at most",
                "less_than": "less than"}[kind]
        want = f"should be {want} {bound}"
    else:
        msg = error["msg"].removeprefix("Input ")
        want = _WANTS.get(kind, msg[:1].lower() + msg[1:])
    return f"{field} {want}, not {_describe(given)}"


def _real_loc(loc: tuple, data: Any) -> tuple:
    """The error's location in the data (pydantic adds the names of union members and validators)."""
    out: list = []
    for i, part in enumerate(loc):
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        elif i == len(loc) - 1 and isinstance(data, dict) and isinstance(part, str) and not _is_tag(part):
            pass  # a missing key
        else:
            continue
        out.append(part)
    return tuple(out)


def _is_tag(part: str) -> bool:
    return "[" in part or part in ("str", "int", "float", "bool", "list", "dict", "none")


def _describe(value: Any) -> str:
    """How a JSON value is named in a message: 'null', 'an integer (3)', 'text ('abc')', 'a list'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'}"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a number ({value:g})"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:30] + "…"
        return f"text ({shown!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
