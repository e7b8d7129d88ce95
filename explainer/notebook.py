"""How a trace and a checkpoint show themselves in a notebook (Jupyter's `_repr_html_`).

A `Trace` left at the end of a cell shows its names table (shape, dtype and the range of
each array's real values: a padded batch's steps past a row's end are left out) and a
small heatmap of the top layer's h, units × steps, for batch row 0; a `Checkpoint` shows
its task, model, size, metrics and the units discovery stored. Both are plain HTML with
the heatmap inlined as a PNG (no script, nothing fetched), so they show the same in
Jupyter, VS Code and an exported notebook. matplotlib draws without pyplot.

    >>> import numpy as np
    >>> from explainer.trace import Trace
    >>> t = Trace({"layers.0.h": np.linspace(-1, 1, 12, dtype=np.float32).reshape(1, 4, 3)})
    >>> html = trace_html(t)
    >>> "layers.0.h" in html and "[1, 4, 3]" in html and "−1.00 … 1.00" in html and "data:image/png;base64," in html
    True
"""

from __future__ import annotations

import base64
import io
from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np

from . import reading
from .reading.lengths import real_values, row_length

if TYPE_CHECKING:
    from .checkpoint import Checkpoint
    from .trace import Trace

#: The heatmap's size in the notebook (inches at 100 dpi) and the most step columns it draws (longer: binned).
HEATMAP_SIZE = (6.4, 1.9)
HEATMAP_COLUMNS = 400

_STYLE = ("<style>.explainer-table td, .explainer-table th {padding: 2px 10px; text-align: left; "
          "font-family: monospace;}</style>")


def value_range(trace: Trace, name: str) -> str:
    """'−0.93 … 0.99': the smallest and largest finite real value of one array ('no finite value' when none)."""
    values = real_values(trace, name)  # [real steps, size]
    finite = values[np.isfinite(values)]
    if not finite.size:
        return "no finite value"
    return f"{reading.number(float(finite.min()))} … {reading.number(float(finite.max()))}"


def trace_html(trace: Trace) -> str:
    """The trace as a notebook shows it: a title line, the names table, the top layer's h as a heatmap."""
    steps = f"{trace.num_steps:,} steps" + (" (padded rows)" if reading.lengths.is_padded(trace) else "")
    head = f"Trace · {escape(str(trace.kind or 'no cell kind'))} · batch {trace.batch_size} · {steps}"
    rows = "".join(f"<tr><td>{escape(n)}</td><td>{list(trace[n].shape)}</td><td>{trace[n].dtype}</td>"
                   f"<td>{escape(value_range(trace, n))}</td></tr>" for n in trace.names)
    table = (f'<table class="explainer-table"><tr><th>name</th><th>shape</th><th>dtype</th><th>range</th></tr>'
             f"{rows}</table>")
    return f"{_STYLE}<div><b>{head}</b>{table}{_heatmap(trace)}</div>"


def _heatmap(trace: Trace) -> str:
    """The top layer's h (batch row 0, its real steps) as an inlined PNG; '' when the trace has none."""
    name = reading.state(reading.top_layer(trace), "h")
    if name not in trace.names or trace.num_steps == 0:
        return ""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    values = np.asarray(trace[name][0, :row_length(trace, 0)], dtype=float)  # [time, units]
    per = reading.steps_per_column(len(values), HEATMAP_COLUMNS)
    shown = reading.bin_mean(values, per).T  # [units, columns]
    finite = np.abs(shown[np.isfinite(shown)])
    lim = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    fig = Figure(figsize=HEATMAP_SIZE, dpi=100, layout="constrained")
    ax = fig.subplots()
    image = ax.imshow(shown, aspect="auto", interpolation="nearest", cmap="RdBu_r", vmin=-lim, vmax=lim,
                      extent=(0, len(values), shown.shape[0] - 0.5, -0.5))  # x in steps, also when binned
    fig.colorbar(image, ax=ax, fraction=0.04, pad=0.01)
    binned = f", {per} steps a column" if per > 1 else ""
    ax.set_title(f"{name}, row 0: units × steps{binned}", fontsize=9)
    ax.set_xlabel("step", fontsize=8)
    ax.set_ylabel("unit", fontsize=8)
    ax.tick_params(labelsize=7)
    buffer = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{escape(name)} heatmap" src="data:image/png;base64,{data}">'


def checkpoint_summary(ckpt: Checkpoint) -> str:
    """One line: "Checkpoint · task sine · rnn_tanh · 1 layer of 12 · 193 parameters" (also its repr)."""
    model: dict[str, Any] = ckpt.meta["model"]
    train = ckpt.meta.get("train") or {}
    size = sum(int(p.numel()) for p in ckpt.model.parameters())
    layers = model.get("num_layers", 1)
    return (f"Checkpoint · task {train.get('task')} · {model.get('kind')} · "
            f"{layers} layer{'s' if layers != 1 else ''} of {model.get('hidden_size')} · {size:,} parameters")


def checkpoint_html(ckpt: Checkpoint) -> str:
    """The checkpoint as a notebook shows it: task and model, parameters, metrics, discovered units."""
    head = escape(checkpoint_summary(ckpt))
    metrics = "".join(f"<tr><td>{escape(str(k))}</td><td>{escape(_metric(v))}</td></tr>"
                      for k, v in (ckpt.meta.get("metrics") or {}).items())
    found = "".join(
        f"<tr><td>{escape(str(feature))}</td><td>layers.{u['layer']}.{u['state']}"
        f"[{', '.join(str(n) for n in u['units'])}]</td><td>"
        f"{escape(', '.join(reading.number(float(r)) for r in u.get('correlation') or []))}</td></tr>"
        for feature, u in (ckpt.meta.get("units") or {}).items() if isinstance(u, dict) and u.get("units"))
    parts = [f"<b>{head}</b>"]
    if metrics:
        parts.append(f'<table class="explainer-table"><tr><th>metric</th><th>value</th></tr>{metrics}</table>')
    if found:
        parts.append(f'<table class="explainer-table"><tr><th>feature</th><th>units found</th><th>r</th></tr>'
                     f"{found}</table>")
    return f"{_STYLE}<div>{''.join(parts)}</div>"


def _metric(value: Any) -> str:
    """A metric as one cell: a number formatted to fit, a mapping or list in short."""
    if isinstance(value, dict):
        text = ", ".join(f"{k}: {_metric(v)}" for k, v in value.items())
    elif isinstance(value, list):
        text = ", ".join(_metric(v) for v in value)
    elif isinstance(value, bool) or not isinstance(value, (int, float)):
        text = str(value)
    else:
        return reading.number(float(value))
    return text if len(text) <= 80 else text[:79] + "…"


def page(trace: Trace, *, height: int = 900, **options: Any):
    """The interactive trace page (`explainer.page`) shown inline: an object whose `_repr_html_` is an
    `<iframe sandbox="allow-scripts" srcdoc="...">` of the whole self-contained page.

    `options` as for `explainer.page.build`: `baseline`, `lang`, `module`, `row`, `start`, `steps`, `unit`,
    `feature`, `bits`.

        >>> from explainer.notebook import page                                        # doctest: +SKIP
        >>> page(Trace.load("assets/traces/text-lstm.safetensors"), feature="indent")  # doctest: +SKIP
    """
    from .page.inline import PageView

    return PageView.of(trace, height=height, **options)
