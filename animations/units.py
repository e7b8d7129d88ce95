"""The units a language scene follows along a passage: the discovered gender units, or `--units`.

The reading layer finds them (`reading.found_units`: by column in this trace, named by their
numbers in the model, with the sign of each one's correlation with gender); this module
only gathers what a scene draws of them: their layer and state, their values over the
passage (batch row 0, the passage), and what a positive value means where that is known.

    >>> from explainer.trace import Trace
    >>> t = Trace.load("assets/traces/language-lstm.safetensors").select(units=range(8, 32))
    >>> u = followed(t, "PronounMemory")
    >>> u.numbers, u.columns, u.state, u.values.shape
    ([22], [14], 'c', (16, 1))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explainer import reading
from explainer.reading import FoundUnits
from explainer.trace import Trace
from explainer.words.glossary import join

ROW = 0  # a language trace holds its passage in batch row 0


@dataclass(frozen=True)
class Followed:
    """Units of one state of one layer, as a scene follows them through the passage."""

    layer: int
    state: str  # "c" or "h"
    columns: list[int]  # where they are in this trace's arrays
    numbers: list[int]  # their numbers in the model (the labels)
    values: np.ndarray  # [time, units] their state over the passage
    found: FoundUnits | None  # the discovered gender units of this layer (None: none were stored)
    chosen: bool  # given with --units, rather than the discovered ones

    @property
    def label(self) -> str:
        return ", ".join(str(u) for u in self.numbers)

    def listed(self, lang: str) -> str:
        """Their numbers as a list in `lang`: '7, 5, 22', '7、5、22' (the glossary's separator)."""
        return join(self.numbers, lang)

    @property
    def name(self) -> str:
        return reading.state(self.layer, self.state)

    @property
    def correlation(self) -> list[float] | None:
        """Each unit's correlation with gender (+1 female), when all of them were discovered."""
        if self.found is None or not set(self.numbers) <= set(self.found.numbers):
            return None
        by_number = dict(zip(self.found.numbers, self.found.correlation))
        return [by_number[u] for u in self.numbers]

    def sign_meaning(self) -> int:
        """+1 when a larger value means "she" in every unit, -1 when it means "he", 0 when mixed or unknown."""
        corr = self.correlation
        signs = {1 if c > 0 else -1 if c < 0 else 0 for c in corr} if corr else {0}
        return signs.pop() if len(signs) == 1 else 0

    @property
    def measured(self) -> dict:
        """The measured numbers stored with the discovered units (forget gate at new subjects, ...)."""
        return dict(self.found.measured) if self.found is not None else {}


def followed(trace: Trace, scene: str, *, layer: int | None = None, units=None,
             remedy: str = "give --units") -> Followed:
    """The units `scene` follows: `units` (numbers in the model) of `layer`, else the discovered gender units
    (`remedy`: what to do when there are none)."""
    if units is not None:
        at = reading.check_layer(trace, layer)
        which = "c" if reading.state(at, "c") in trace.names else "h"
        name = reading.state(at, which)
        trace.require(name, why=f"(scene {scene} follows the units' state)")
        columns = reading.check_units(trace, units, trace[name].shape[2])
        found = reading.found_units(trace, layer=at)
        chosen = True
    else:
        at = None if layer is None else reading.check_layer(trace, layer)
        found = reading.require_found(trace, f"scene {scene}", layer=at, remedy=remedy)
        at, which, name, columns, chosen = found.layer, found.state, found.name, found.columns, False
        trace.require(name, why=f"(the gender units are in {name})")
    reading.needs(trace, name, by=f"scene {scene}", why=f"(scene {scene} follows the units' state)")
    numbers = reading.unit_numbers(trace, trace[name].shape[2])
    values = np.asarray(trace[name][ROW][:, columns], dtype=float)  # [time, units]
    return Followed(at, which, list(columns), [numbers[k] for k in columns], values, found, chosen)
