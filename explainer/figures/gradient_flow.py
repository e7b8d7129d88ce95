"""Figure `gradient-flow`: how far back the gradient of a pronoun's loss reaches, RNN against LSTM against GRU.

The mechanism behind the long-term dependency problem, measured: ‖∂ℓ/∂h_{t−d}‖ (and the
LSTM's ‖∂ℓ/∂C_{t−d}‖, dashed) against d = 0 … 100, on a log scale, averaged over the
pronoun answers of the evaluation passages (`explainer.probes.gradient_flow`, which runs
each model: this figure reads checkpoint files, not only their metadata). Two panels:
the same models at initialisation (their weights at update 0, rebuilt from the seed) and
after training. Each panel's legend gives what is left of each line at d = 50 as a
fraction of its d = 0, and the title names the model that keeps the least, as measured.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import ExplainerError
from ..kinds import KIND
from ..reading import number
from ..style import COLORS, word
from .draw import count_nonfinite, plain, slide, warn_nonfinite
from .registry import figure

#: The distance whose ratio is named (the task's "beyond 50").
AT = 50
#: How each family is drawn (colour from COLORS; the LSTM's C dashed in the same colour).
LOOK = {"rnn": dict(ls="-", lw=3.0), "lstm": dict(ls="-", lw=2.6), "gru": dict(ls=(0, (1.2, 1.6)), lw=3.2)}


def family(kind: str) -> str:
    return KIND[kind].family if kind in KIND else kind


def measure(meta: dict, at: str):
    """The probe's measurement of the checkpoint file `meta` was read from, trained or at update 0 (cached)."""
    path = meta.get("path")
    if not path or not Path(path).is_file():
        raise ExplainerError(f"figure gradient-flow runs each model, so it needs checkpoint files, not metadata "
                             f"({path or 'no path'}); give the .safetensors paths")
    from ..probes.gradient_flow import for_checkpoint  # runs torch: imported only when the figure is drawn

    return for_checkpoint(path, at=at)


@figure("gradient-flow", "How far back a pronoun's gradient reaches: ‖∂ℓ/∂h_{t−d}‖ against d, RNN vs LSTM vs "
        "GRU, at initialisation and after training.",
        source="checkpoints", default=("language-rnn", "language-lstm", "language-gru"), rank=10.4,
        tasks=("language",))
def draw(metas: list[dict], *, lang: str = "en"):
    from ..probes.gradient_flow import fading

    flows = {at: [measure(m, at) for m in metas] for at in ("initial", "trained")}
    names = [word(f"model.{m['model']['kind']}", lang) for m in metas]
    if len(set(names)) < len(names):  # two checkpoints of one kind: tell them apart by file
        names = [f"{n} ({plain(Path(str(m.get('path', '?'))).stem)})" for n, m in zip(names, metas)]
    depth = flows["trained"][0].depth
    at = min(AT, depth)
    least = {when: fading(fs, at)[0][0] for when, fs in flows.items()}
    name_of = {id(f): names[k] for fs in flows.values() for k, f in enumerate(fs)}
    iters = {m["train"]["iters"] for m in metas}
    with slide(lang) as fig:
        axes = fig.subplots(1, 2, sharey=True)
        bad = 0
        lows = []
        for ax, when in zip(axes, ("initial", "trained")):
            for k, f in enumerate(flows[when]):
                look, color = LOOK.get(family(f.kind), LOOK["rnn"]), COLORS.get(family(f.kind), COLORS["rnn"])
                for state in f.states:
                    y = np.asarray(f.mean[state], dtype=float)  # [depth + 1]
                    bad += count_nonfinite(y)
                    lows.append(np.nanmin(np.where(y > 0, y, np.nan)))
                    ax.plot(f.d, np.where(y > 0, y, np.nan), color=color, lw=look["lw"] if state == "h" else 2.2,
                            ls=look["ls"] if state == "h" else (0, (5, 3)), zorder=3 + k,
                            label=word(f"mechanism.flow.line.{state}", lang, model=names[k], r=number(f.ratio(at, state))))
                    ax.plot([at], [y[at]], "o", color=color, ms=7, zorder=6 + k)
            ax.axvline(at, color="#999999", lw=1.2, ls=":", zorder=1)
            ax.set_yscale("log")
            ax.set_xlim(0, depth)
            ax.set_xlabel(word("mechanism.flow.axis.x", lang))
            panel = word("mechanism.flow.panel.initial", lang) if when == "initial" else (
                word("mechanism.flow.panel.trained", lang, iters=next(iter(iters))) if len(iters) == 1
                else word("mechanism.flow.panel.trained_each", lang))
            ax.set_title(panel, fontsize=16)
            ax.grid(True, which="major", axis="y", color="#EEEEEE", zorder=0)
            ax.legend(loc="lower left", fontsize=13, handlelength=2.6, title=word("mechanism.flow.kept", lang, d=at),
                      title_fontsize=13, alignment="left")
        axes[0].set_ylabel(word("mechanism.flow.axis.y", lang))
        low = float(np.nanmin(lows)) if lows else 1e-30
        top = max(float(np.nanmax(f.mean[s])) for fs in flows.values() for f in fs for s in f.states)
        axes[0].set_ylim(low / 10, top * 30)
        if least["initial"] is least["trained"] or name_of[id(least["initial"])] == name_of[id(least["trained"])]:
            title = word("mechanism.flow.title.same", lang, d=at, model=name_of[id(least["trained"])])
        else:
            title = word("mechanism.flow.title.differ", lang, d=at, a=name_of[id(least["initial"])],
                         b=name_of[id(least["trained"])])
        fig.suptitle(title, fontsize=19)
        first = flows["trained"][0]
        fig.text(0.5, 0.005, word("mechanism.flow.note", lang, n=first.count, D=depth, p=first.passages), ha="center",
                 va="bottom", fontsize=12, color="#555555")
        fig.get_layout_engine().set(rect=(0, 0.035, 1, 0.965))
        warn_nonfinite(fig, bad, lang)
    fig.gradient_flows = flows  # what was drawn, for tests and callers
    return fig
