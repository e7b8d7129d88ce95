"""The reading layer: every question a renderer asks of a trace, answered once (numpy only).

Figures, scenes, the lecture and the page import their facts from here and compute none
themselves, so two pictures of the same trace always agree on which layer, which units,
which step and what it means.

    >>> from explainer import reading
    >>> from explainer.trace import Trace
    >>> t = Trace.load("assets/traces/language-lstm.safetensors")
    >>> reading.top_layer(t), reading.default_step(t), reading.step_label(t, 8, "zh")
    (0, 8, 'Bob')
    >>> found = reading.found_units(t)
    >>> found.name, found.numbers, found.signs
    ('layers.0.c', [28, 10, 26], [-1, -1, -1])
    >>> reading.forget_verdict(t[reading.gate(0, "f")][0, 8, found.columns])
    'partly'
    >>> reading.number(-0.7), reading.events(t).gender_words, reading.events(t).new_subjects
    ('−0.70', [2, 10], [8])

Modules: `needs` (whether a trace holds what a picture draws: names, rows, steps, units; the
model's name), `bins` (a long time axis binned into columns), `layers` (layers present, top layer, `--layer`), `units` (original numbers,
discovered units, `--units`), `steps` (labels, default step, `--step`, `--row`), `passage`
(a language passage's events and the model's answers), `verdicts` (what a value means),
`numbers` (formatting, colour limits), `text_features` (the per-character features of a text
that unit discovery correlates with: `FEATURES`, `features`, `trace_features`), `shown` (which layer and row, interventions), `forget`
(the forget gate's measurement read back: the explained units, step and signs, the model's gender
evidence, selectivity, forgets or overwrites; `from explainer.reading import forget`).
The name builders (`gate`, `state`, `name_of`, the sigmoid gates) come from `explainer.names`.
"""

from ..names import SIGMOID_GATES, gate, is_sigmoid, letter_of, letters, name_of, state
from .bins import MAX_COLUMNS, bin_mean, first_steps, steps_per_column
from .layers import check_layer, layers, num_layers, top_layer
from .needs import kind_of, model_name, needs
from .numbers import cell_limit, mse, nice_limit, number, numbers, signed_limit
from .passage import Events, Passage, Question, Slot, events
from .shown import intervened, shown
from .steps import check_row, check_step, default_step, has_words, step_label, step_labels, window_shift, window_x
from .text_features import FEATURES, features, trace_features
from .units import (
    FoundUnits,
    check_units,
    columns_of,
    found_units,
    largest_units,
    require_found,
    unit_numbers,
    width,
)
from .verdicts import DROPPED, FORGETS, KEPT, OVERWRITES, change_verdict, forget_verdict

__all__ = [
    "SIGMOID_GATES", "gate", "is_sigmoid", "letter_of", "letters", "name_of", "state",
    "MAX_COLUMNS", "bin_mean", "first_steps", "steps_per_column",
    "check_layer", "layers", "num_layers", "top_layer",
    "kind_of", "model_name", "needs",
    "cell_limit", "mse", "nice_limit", "number", "numbers", "signed_limit",
    "Events", "Passage", "Question", "Slot", "events",
    "intervened", "shown",
    "check_row", "check_step", "default_step", "has_words", "step_label", "step_labels",
    "window_shift", "window_x",
    "FEATURES", "features", "trace_features",
    "FoundUnits", "check_units", "columns_of", "found_units", "largest_units", "require_found", "unit_numbers",
    "width",
    "DROPPED", "KEPT", "forget_verdict", "FORGETS", "OVERWRITES", "change_verdict",
]
