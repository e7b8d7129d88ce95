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


def step_labels(trace: Trace, lang: str, row: int = 0) -> list[str]:
    """One label per step of batch row `row`: the words in `lang` where the trace has them, else meta["steps"];
    a row of a sine trace of sliding windows whose window is not the labelled one gets its own x values."""
    words = (trace.meta.get("words") or {}).get(lang)
    if isinstance(words, list) and len(words) == trace.num_steps:
        return [str(w) for w in words]
    if window_shift(trace, row):
        return [f"{v:.2f}" for v in window_x(trace, row)]  # as the sine task writes its x labels
    return trace.steps


def step_label(trace: Trace, t: int, lang: str, row: int = 0) -> str:
    """The label of step `t` (of batch row `row`)."""
    return step_labels(trace, lang, row)[t]


def window_x(trace: Trace, row: int) -> list[float] | None:
    """The x values of batch row `row` of a sine trace whose rows are sliding windows; None for other traces.

    Such a trace holds the x values of one window (`meta["x"]`, evenly spaced: the recording's batch row 0)
    and where each row's window starts (`meta["window_starts"]`); a row's x values are those moved by the
    points its window starts later (also in a trace cut to some rows or steps).

    >>> from explainer import assets
    >>> from explainer.checkpoint import Checkpoint
    >>> from explainer.explain import trace_checkpoint
    >>> t = trace_checkpoint(Checkpoint.load(assets.checkpoint_path("sine", "rnn", "seed")), windows=4)
    >>> step_labels(t, "en", row=0)[:3], step_labels(t, "en", row=2)[:3]
    (['27.97', '28.06', '28.15'], ['28.15', '28.24', '28.33'])
    >>> step_labels(t.select(batch=[3]), "en")[:3]     # the row kept is still the window at point 313
    ['28.24', '28.33', '28.42']
    """
    shift = window_shift(trace, row)
    if shift is None:
        return None
    x0 = [float(v) for v in trace.meta["x"]]
    dx = (x0[-1] - x0[0]) / (len(x0) - 1)
    return [v + shift * dx for v in x0]


def window_shift(trace: Trace, row: int) -> int | None:
    """How many points later than the labelled window (meta x, the recording's batch row 0) row `row`'s window
    starts; None if this is no trace of sliding windows. The sine task's row k starts k points after row 0
    (`tasks.sine.explain`), so a trace cut to some rows (`meta["rows"]`, their numbers as recorded) still
    knows where row 0's window started."""
    meta = trace.meta
    x0, starts = meta.get("x"), meta.get("window_starts")
    if not (isinstance(x0, list) and len(x0) == trace.num_steps >= 2 and isinstance(starts, list)
            and len(starts) == trace.batch_size and isinstance(row, int) and 0 <= row < len(starts)):
        return None
    rows = meta.get("rows") if isinstance(meta.get("rows"), list) and len(meta["rows"]) == len(starts) else None
    first = int(starts[0]) - (int(rows[0]) if rows else 0)  # where the recording's row 0 starts
    return int(starts[row]) - first


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
