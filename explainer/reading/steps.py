"""The steps of a trace as a person reads them: labels, the default step, `--step` and `--row`.

A step's label is the word the model read there, in the lecture's language where the trace
carries words per language (`meta["words"][lang]`), else the trace's own labels
(`meta["steps"]`: what `record(..., steps=[...])` stored, or the x value). Every figure and
scene caption takes its labels from here.

    >>> import torch, explainer
    >>> t = explainer.record(torch.nn.RNN(1, 2), torch.randn(3, 1), steps=["a", "b", "c"])
    >>> step_labels(t, "en"), step_label(t, 2, "zh"), check_step(t, None)
    (['a', 'b', 'c'], 'c', 2)
"""

from __future__ import annotations

from ..errors import ExplainerError
from ..trace import Trace


def step_labels(trace: Trace, lang: str) -> list[str]:
    """One label per step: the words in `lang` where the trace has them, else meta["steps"]."""
    words = (trace.meta.get("words") or {}).get(lang)
    if isinstance(words, list) and len(words) == trace.num_steps:
        return [str(w) for w in words]
    return trace.steps


def step_label(trace: Trace, t: int, lang: str) -> str:
    """The label of step `t`."""
    return step_labels(trace, lang)[t]


def has_words(trace: Trace, lang: str) -> bool:
    """Whether the steps are words (a language trace) rather than values."""
    words = (trace.meta.get("words") or {}).get(lang)
    return isinstance(words, list) and len(words) == trace.num_steps


def default_step(trace: Trace) -> int:
    """The step a picture of one step explains when none is asked for.

    In a language passage: the explained step of the forget gate's measurement (the new
    subject's name or its gender word, whichever moves the model's evidence more:
    `reading.forget.explained_step`); without that measurement the new subject's gender word,
    else the new subject; otherwise the last step.
    """
    from .forget import explained_step
    from .passage import events

    if trace.num_steps == 0:
        return 0
    measured = explained_step(trace)
    if measured is not None:
        return measured
    ev = events(trace)
    for steps in (ev.new_gender_words, ev.new_subjects):
        if steps:
            return steps[0]
    return trace.num_steps - 1


def check_step(trace: Trace, step: int | None) -> int:
    """`--step` as a valid index (0-based, like the arrays); the default step when not given."""
    n = _check_count(trace.num_steps, "step", "an input of at least one step")
    return default_step(trace) if step is None else _check_index(step, n, "step", "step")


def check_row(trace: Trace, row: int | None) -> int:
    """`--row` (a batch row) as a valid index; row 0 when not given."""
    n = _check_count(trace.batch_size, "batch row", "an input of at least one row")
    return 0 if row is None else _check_index(row, n, "row", "batch row")


def _check_count(n: int, what: str, remedy: str) -> int:
    if n == 0:
        raise ExplainerError(f"this trace has no {what}s; record it on {remedy}")
    return n


def _check_index(value: int, n: int, option: str, what: str) -> int:
    """`value` as an index into `n` things, or a one-line error that says what to choose."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ExplainerError(f"--{option} must be an integer, got {value!r}")
    if not 0 <= value < n:
        choose = f"the only {option} is 0" if n == 1 else f"choose 0 to {n - 1}"
        raise ExplainerError(f"--{option} {value} is out of range: this trace has {n} {what}{'s' if n != 1 else ''}; {choose}")
    return int(value)
