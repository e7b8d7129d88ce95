"""The trace as the page's data: what the browser needs, and nothing it would compute from scratch.

`payload(trace, ...)` makes two things:

- `meta`, a JSON document: the step labels of each sequence shown (the characters of a text
  trace, the words of a language trace, the x values of a sine trace), the layers and the
  quantities each holds (h, c, each gate of the cell kind) with the original unit numbers,
  every unit's scale (`quantize`), the colours (the same 256-entry colour maps as the `text`
  figure and its HTML form), the discovered feature units with their r, the unit to start
  with, which steps of how many are shown, and the page's words in one language;
- `data`, the values as one byte string: for each sequence shown, each layer, each quantity
  a block of `[units, steps]` codes (8 or 16 bits), deflated (zlib, which the browser's
  `DecompressionStream("deflate")` inflates).

Long traces are windowed: `start` and `steps` (default the first `MOST_STEPS` steps); a
padded batch's rows hold their real steps only (`reading.lengths`). A trace given with its
`baseline` becomes their difference (`reading.difference`), coloured as signed values.

    >>> from explainer.trace import Trace
    >>> p = payload(Trace.load("assets/traces/language-lstm.safetensors"), lang="zh")
    >>> p.meta["rows"][0]["labels"][:3], [q["letter"] for q in p.meta["layers"][0]["quantities"]]
    (['Alice', '是一名', '女'], ['h', 'c', 'i', 'f', 'g', 'o'])
    >>> p.meta["bits"], p.meta["start"]["letter"], p.meta["window"]
    (16, 'c', {'start': 0, 'end': 16, 'total': 16})
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.colors import to_hex

from .. import reading
from ..errors import ExplainerError
from ..names import GATES, STATES, is_sigmoid, name_of, split
from ..reading.lengths import row_lengths
from ..reading.one_unit import choose_unit, feature_name, unit_spec
from ..reading.shown import original_row
from ..reading.text import is_text, text_of
from ..reading.units import found_units, unit_numbers
from ..style import GATE_COLORS, check_lang, value_cmap, word
from ..trace import Trace
from ..words import WORDS
from .quantize import Quantized, quantize

#: The most steps a page shows by default (longer traces are windowed).
MOST_STEPS = 10_000
#: Traces of at most this many values are stored in 16 bits unless told; larger ones in 8.
FINE_VALUES = 1_000_000


@dataclass(frozen=True)
class Payload:
    meta: dict[str, Any]
    data: bytes  # deflated codes
    raw_size: int  # bytes before deflating


def groups(trace: Trace) -> list[tuple[int, bool, list[str]]]:
    """(layer, backward?, the quantity letters it holds in order: h, c, then the gates in torch's order)."""
    held: dict[tuple[int, bool], set[str]] = {}
    for n in trace.names:
        parts = split(n)
        if parts is not None:
            held.setdefault((parts[0], parts[1]), set()).add(parts[2].removeprefix("gates."))
    order = list(STATES) + [g for kind in GATES.values() for g in kind]
    return [(layer, rev, sorted(letters, key=order.index)) for (layer, rev), letters in sorted(held.items())]


def window(trace: Trace, start: int | None, steps: int | None) -> tuple[int, int]:
    """The steps shown, [start, end): `steps` from `start` (default the first MOST_STEPS), within the trace."""
    total = trace.num_steps
    start = 0 if start is None else start
    steps = MOST_STEPS if steps is None else steps
    if isinstance(start, bool) or not isinstance(start, int) or not 0 <= start < max(total, 1):
        raise ExplainerError(f"--start {start!r} is out of range: this trace has {total} steps; choose 0 to {total - 1}")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ExplainerError(f"--steps must be a positive number of steps, got {steps!r}")
    return start, min(total, start + steps)


def one_module(trace: Trace, module: str | None) -> Trace:
    """The part of `trace` the page shows: all of it, or `module`'s part of a trace of several recurrent modules.

    >>> two = Trace({"enc.layers.0.h": np.zeros((1, 5, 4), np.float32), "dec.layers.0.h": np.zeros((1, 5, 2), np.float32)}, {})
    >>> two.modules, one_module(two, "dec").names
    (['enc', 'dec'], ['layers.0.h'])
    """
    if module is None:
        if trace.modules:
            raise ExplainerError(f"this trace records {len(trace.modules)} recurrent modules ({', '.join(trace.modules)}); "
                                 f"a page shows one: choose it with --module {trace.modules[0]} (module= in Python)")
        return trace
    if not trace.modules:
        raise ExplainerError(f"--module {module}: this trace records one recurrent module; leave --module out")
    if module not in trace.modules:
        raise ExplainerError(f"--module {module}: this trace has no such module; it has: {', '.join(trace.modules)}")
    return trace.module(module)


def payload(trace: Trace, *, lang: str = "en", baseline: Trace | None = None, name: str | None = None,
            module: str | None = None, row: int | None = None,
            start: int | None = None, steps: int | None = None, unit: str | None = None, feature: str | None = None,
            bits: int | None = None) -> Payload:
    """The page's data for `trace` (or its difference from `baseline`); see the module."""
    check_lang(lang)
    trace = one_module(trace, module)
    if module is not None:
        name = f"{name} · {module}" if name else module
    baseline = None if baseline is None else one_module(baseline, module)
    reading.needs(trace, by="the trace page")
    diff = baseline is not None
    if diff:
        from ..reading.difference import difference

        trace = difference(trace, baseline)
    held = groups(trace)
    if not held:
        raise ExplainerError("this trace holds no layer arrays (h, c or gates) to show; record it with them "
                             "(explainer trace CHECKPOINT -o TRACE)")
    rows = [reading.check_row(trace, row)] if row is not None else list(range(trace.batch_size))
    lo_step, hi_step = window(trace, start, steps)
    lengths = row_lengths(trace)
    spans = [(r, lo_step, max(lo_step, min(hi_step, lengths[r]))) for r in rows]
    spans = [s for s in spans if s[2] > s[1]]
    if not spans:
        raise ExplainerError(f"no sequence of this trace has real steps from step {lo_step} on; choose a smaller --start")
    shown = choose_unit(trace, unit, feature, by="the trace page")
    total_values = sum(e - s for _, s, e in spans) * sum(trace[name_of(layer, q, rev)].shape[2]
                                                         for layer, rev, letters in held for q in letters)
    bits = (16 if total_values <= FINE_VALUES else 8) if bits is None else bits
    if bits not in (8, 16):
        raise ExplainerError(f"--bits must be 8 or 16, got {bits!r}")
    blocks: list[bytes] = []
    offset = 0
    layers = []
    for layer, rev, letters in held:
        quantities = []
        for letter in letters:
            array_name = name_of(layer, letter, rev)
            array = trace[array_name]  # [batch, time, units]
            series = np.concatenate([array[r, s:e].T for r, s, e in spans], axis=1)  # [units, steps of every row]
            q = quantize(series, signed=diff or not is_sigmoid(letter), bits=bits)
            offsets, at = [], 0
            for r, s, e in spans:
                block = np.ascontiguousarray(q.codes[:, at:at + e - s]).astype("<u1" if bits == 8 else "<u2")
                offsets.append(offset)
                blocks.append(block.tobytes())
                offset += block.nbytes
                at += e - s
            quantities.append(_quantity(trace, array_name, letter, q, offsets, diff, lang, _limit(series, letter, diff)))
        layers.append({"layer": layer, "reverse": rev, "label": _layer_label(layer, rev, lang),
                       "quantities": quantities})
    raw = b"".join(blocks)
    meta = {
        "lang": lang, "bits": bits, "diff": diff, "deflated": True,
        "words": {k.removeprefix("page."): v[lang] for k, v in WORDS.items() if k.startswith("page.")},
        "header": _header(trace, lang, diff, name),
        "kind": trace.kind, "text": is_text(trace),
        "rows": [_row(trace, r, s, e, lang) for r, s, e in spans],
        "window": {"start": lo_step, "end": hi_step, "total": trace.num_steps},
        "layers": layers,
        "found": _found(trace, held, lang),
        "start": {"layer": next(k for k, (lay, rev, _) in enumerate(held) if (lay, rev) == (shown.layer, shown.reverse)),
                  "letter": shown.letter, "unit": shown.column, "spec": unit_spec(shown)},
        "palettes": _palettes({q for _, _, letters in held for q in letters}, diff),
        "colors": {q: GATE_COLORS.get(q, "#555555") for _, _, letters in held for q in letters},
    }
    return Payload(meta, zlib.compress(raw, 6), len(raw))


def _quantity(trace: Trace, name: str, letter: str, q: Quantized, offsets: list[int], diff: bool,
              lang: str, limit: tuple[float, bool]) -> dict[str, Any]:
    return {"letter": letter, "name": name, "label": word(f"page.q.{letter}", lang),
            "units": unit_numbers(trace, trace[name].shape[2]), "signed": diff or not is_sigmoid(letter),
            "limit": limit[0], "clipped": limit[1],
            "lo": q.lo.tolist(), "step": q.step.tolist(), "offsets": offsets}


def _limit(values: np.ndarray, letter: str, diff: bool) -> tuple[float, bool]:
    """The heatmap's and the strips' colour limit of one quantity (all its units): 1 for a gate (0 to 1); the
    cell state's 95th percentile |c| rounded up (`reading.cell_limit`: a few huge values would wash out the
    rest; True: values beyond it are drawn at the end colours); else the largest |value|."""
    if not diff and is_sigmoid(letter):
        return 1.0, False
    if letter == "c":
        limit = reading.cell_limit(values)
        finite = np.abs(values[np.isfinite(values)])
        return limit, bool(finite.size and finite.max() > limit)
    limit = reading.signed_limit(values, floor=0.0)
    return (limit if limit > 0 else 1.0), False


def _layer_label(layer: int, reverse: bool, lang: str) -> str:
    return word("page.layer.reverse", lang, layer=layer) if reverse else str(layer)


def _header(trace: Trace, lang: str, diff: bool, name: str | None) -> list[str]:
    task = trace.meta.get("task")
    key = "page.title.diff" if diff else "page.title"
    title = word(key, lang, model=reading.model_name(trace, lang), task=task or word("page.task.none", lang))
    title += f" · {name}" if name else ""
    lines = [title]
    mark = reading.intervened(trace, lang)
    if mark:
        lines.append(mark)
    return lines


def _row(trace: Trace, r: int, s: int, e: int, lang: str) -> dict[str, Any]:
    if is_text(trace):
        labels = list(text_of(trace, r)[s:e])
    else:
        labels = [str(x) for x in reading.step_labels(trace, lang, r)[s:e]]
    number, total = original_row(trace, r)
    return {"row": r, "label": word("read.row", lang, row=number, rows=total), "start": s, "labels": labels}


def _found(trace: Trace, held: list[tuple[int, bool, list[str]]], lang: str) -> list[dict[str, Any]]:
    """Each discovered feature with its units (those the page holds), best first."""
    out = []
    stored = trace.meta.get("units_found") or {}
    for feature in (sorted(stored) if isinstance(stored, dict) else []):
        found = found_units(trace, feature)
        if found is None or (found.layer, False) not in [(lay, rev) for lay, rev, _ in held]:
            continue
        k = [(lay, rev) for lay, rev, _ in held].index((found.layer, False))
        if found.state not in held[k][2]:
            continue
        out.append({"feature": feature, "label": feature_name(feature, lang), "layer": k, "letter": found.state,
                    "units": [{"number": n, "column": c, "r": r}
                              for n, c, r in zip(found.numbers, found.columns, found.correlation)]})
    out.sort(key=lambda f: -abs(f["units"][0]["r"]))
    return out


def _palettes(letters: set[str], diff: bool) -> dict[str, dict[str, list[str]]]:
    """Each quantity's 256 colours (the text figure's colour map, entry by entry) and the ink that reads on each."""
    out = {}
    for letter in sorted(letters):
        cmap = value_cmap("h" if diff else letter)
        entries = [cmap(k) for k in range(cmap.N)]
        out[letter] = {"fill": [to_hex(c) for c in entries], "ink": [ink(c) for c in entries]}
    return out


def ink(rgba) -> str:
    """The text colour that reads on a background: white on dark, near-black on light (the rule of the figures'
    `draw.text_color`, which the page does not import: figures and the page are siblings)."""
    r, g, b = rgba[:3]
    return "#FFFFFF" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "#111111"


def decoded(p: Payload, row: int, layer: int, letter: str) -> np.ndarray:
    """[steps, units] float64: the values the page holds for one shown sequence (its index in `meta["rows"]`), layer
    (its index in `meta["layers"]`) and quantity, read back as the page's script reads them.

    >>> from explainer.trace import Trace
    >>> t = Trace.load("assets/traces/language-lstm.safetensors")
    >>> v = decoded(payload(t), 0, 0, "f")
    >>> v.shape, bool(np.abs(v - t["layers.0.gates.f"][0]).max() < 1e-4)
    ((16, 32), True)
    """
    from .quantize import dequantize

    q = next(q for q in p.meta["layers"][layer]["quantities"] if q["letter"] == letter)
    n, units = len(p.meta["rows"][row]["labels"]), len(q["units"])
    dtype = np.dtype("<u1" if p.meta["bits"] == 8 else "<u2")
    raw = zlib.decompress(p.data)
    codes = np.frombuffer(raw, dtype=dtype, count=n * units, offset=q["offsets"][row]).reshape(units, n)
    return dequantize(codes, np.array(q["lo"]), np.array(q["step"]), p.meta["bits"]).T  # [steps, units]
