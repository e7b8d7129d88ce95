"""The text a character trace read: one character per step, as a person reads it.

A character model's trace (the `text` task, an imported model recorded on `--text-file`,
or `record(model, ids, steps=list(text))` from Python) holds one character per step in
`meta["steps"]` (a batch of several texts: each row's in `meta["texts"]`), and says so with `meta["tokenizer"] == "chars"` when we made it. Every
reader of text (the features discovery correlates with, the `text` figure, the CellText
scene, the trace page) takes the characters from here, and only a row's real steps (a
padded batch's steps past a row's end are not text).

    >>> import numpy as np
    >>> from explainer.trace import Trace
    >>> t = Trace({"layers.0.h": np.zeros((1, 4, 2), np.float32)}, {"steps": list("a(b\\n"), "tokenizer": "chars"})
    >>> is_text(t), text_of(t)
    (True, 'a(b\\n')
    >>> is_text(Trace({"layers.0.h": np.zeros((1, 2, 2), np.float32)}, {"steps": ["0.00", "0.31"]}))
    False
"""

from __future__ import annotations

from ..errors import ExplainerError
from ..trace import Trace
from .lengths import row_length


#: How a label shows a character that would be blank: a line break, a space, a tab.
VISIBLE = {"\n": "↵", " ": "␣", "\t": "⇥", "\r": "␍"}


def visible(char: str) -> str:
    """A character as a step label shows it: blank ones as a visible mark (`↵` for a line break, `␣` a space)."""
    return VISIBLE.get(char, char)


def is_text(trace: Trace) -> bool:
    """Whether the trace's steps are characters of a text (one character per step)."""
    if trace.meta.get("tokenizer") == "chars" or isinstance(trace.meta.get("texts"), list):
        return True
    steps = trace.meta.get("steps")
    return isinstance(steps, list) and bool(steps) and all(isinstance(s, str) and len(s) == 1 for s in steps)


def text_of(trace: Trace, row: int = 0) -> str:
    """The characters batch row `row` read, up to its real end; one line if the trace is not of a text.

    A trace has one label per step, so a batch of several texts says each row's in `meta["texts"]`
    (`record(model, ids, lengths=..., meta={"texts": [...]})`); otherwise only row 0 has a text.

    >>> import numpy as np
    >>> t = Trace({"layers.0.h": np.zeros((2, 3, 1), np.float32)}, {"texts": ["abc", "de"], "lengths": [3, 2]})
    >>> text_of(t, 1), is_text(t)
    ('de', True)
    """
    if not is_text(trace):
        raise ExplainerError("this trace's steps are not characters of a text; record a character model on a text "
                             "(explainer trace CHECKPOINT --text-file FILE, or record(model, ids, steps=list(text)))")
    length = row_length(trace, row)
    texts = trace.meta.get("texts")
    if isinstance(texts, list) and len(texts) == trace.batch_size:  # a batch of texts, one per row
        if len(texts[row]) < length:
            raise ExplainerError(f"row {row}'s text (meta texts) has {len(texts[row])} characters for its {length} "
                                 "steps; give each row's whole text")
        return texts[row][:length]
    if trace.batch_size > 1 and row != 0:  # one label per step: the rows of a batch cannot each have their own
        raise ExplainerError(f"this character trace has {trace.batch_size} rows but one text (its step labels); "
                             "give each row's text with record(..., meta={'texts': [...]}), or read row 0")
    return "".join(trace.meta["steps"][:length])


def require_text(trace: Trace, by: str) -> str:
    """`text_of(trace)`, or one line naming the picture (`by`) that needs a text."""
    if not is_text(trace):
        raise ExplainerError(f"{by} colours the characters of a text, and this trace's steps are not characters; "
                             "record a character model on a text (explainer trace CHECKPOINT --text-file FILE)")
    return text_of(trace)
