"""The output gate on the gender units: open when a pronoun is due, or all the time?

colah's output-gate example: after "he", the LSTM lets out of its cell state what the next
word (a verb) needs. Our toy model predicts only pronouns and languages, so the measurable
question is whether its output gate opens the gender units at the steps where an answer
is due (the step just before a pronoun) more than elsewhere. Measured over the evaluation
passages, on the units discovery found (checkpoint meta["units"]["gender"]).

    >>> from explainer.assets import checkpoint_path
    >>> from explainer.checkpoint import Checkpoint
    >>> o = output_gate_at_answers(Checkpoint.load(checkpoint_path("language", "lstm")))
    >>> 0 <= o.at_answers <= 1 and 0 <= o.elsewhere <= 1
    True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ExplainerError

PASSAGES = 200


@dataclass(frozen=True)
class OutputGate:
    units: list[int]
    at_answers: float  # mean o on the gender units at the steps just before a pronoun
    elsewhere: float  # ... at every other step
    others_at_answers: float  # mean o on the other units at those steps
    steps: int  # the answer steps measured


def output_gate_at_answers(checkpoint, passages: int = PASSAGES) -> OutputGate:
    import torch

    from ..names import gate
    from ..recorder import record
    from ..tasks.language import PRONOUN_CLASSES, batch
    from ..training.language import evaluation_passages

    model, meta = checkpoint.model, checkpoint.meta
    found = (meta.get("units") or {}).get("gender")
    if "o" not in model.core.spec.row.gates or not found:
        raise ExplainerError("the output gate is measured on an LSTM language checkpoint with discovered gender units")
    layer = found.get("layer", model.core.spec.num_layers - 1)
    ids, targets = batch(evaluation_passages(passages))  # [batch, time]
    name = gate(layer, "o")
    with torch.no_grad():
        o = record(model, torch.from_numpy(ids), names=[name])[name]  # [batch, time, hidden]
    valid = ids > 0
    due = np.isin(targets, PRONOUN_CLASSES) & valid
    units = list(found["units"])
    others = [u for u in range(o.shape[-1]) if u not in units]
    return OutputGate(units, float(o[due][:, units].mean()), float(o[valid & ~due][:, units].mean()),
                      float(o[due][:, others].mean()), int(due.sum()))
