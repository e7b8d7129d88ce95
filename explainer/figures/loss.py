"""Figure `loss`: the training loss of every update, and per epoch where there are epochs."""

from __future__ import annotations

import numpy as np

from ..style import COLORS, word
from ..words.sine import preset_key
from .draw import slide
from .read import OPTIMIZERS
from .registry import figure


@figure("loss", "The training loss of every update (and per epoch where there are epochs).",
        source="checkpoint", default="sine-rnn-seed", rank=3)
def draw(meta: dict, *, lang: str = "en"):
    history = meta["history"]
    loss = np.asarray(history["loss"], dtype=float)
    updates = np.arange(1, len(loss) + 1)
    train = meta["train"]
    with slide(lang) as fig:
        ax = fig.add_subplot()
        per = history.get("updates_per_epoch")
        full_batch = per == 1  # one update per epoch: the loss itself is the smooth curve
        ax.plot(updates, loss, color=COLORS["single"] if full_batch else COLORS["data"], lw=2.2 if full_batch else 0.8,
                label=word("train.label.update_loss", lang))
        window = max(5, len(loss) // 40)
        smooth = loss
        if len(loss) > 2 * window and not full_batch:
            smooth = np.convolve(loss, np.ones(window) / window, mode="valid")
            ax.plot(updates[window - 1:], smooth, color=COLORS["single"], lw=2.2,
                    label=word("train.label.moving", lang, n=window))
        epochs = history.get("epoch_loss") or []
        if per and per > 1 and len(epochs) > 1:
            ax.plot(np.arange(1, len(epochs) + 1) * per, epochs, "o-", color=COLORS["multi"], lw=2, ms=4,
                    label=word("train.label.epoch_loss", lang))
        finite = smooth[np.isfinite(smooth) & (smooth > 0)]
        if finite.size and finite.max() / finite.min() > 30:  # the smoothed loss spans decades: show them
            ax.set_yscale("log")
            ax.set_ylim(bottom=0.3 * finite.min())
        else:
            ax.set_ylim(bottom=0)
        ax.set_xlabel(word("train.axis.update", lang))
        ax.set_ylabel(word("train.axis.loss", lang))
        fig.suptitle(word("train.title.loss", lang))
        ax.set_title(word("train.subtitle", lang, model=word(f"model.{meta['model']['kind']}", lang),
                          preset=word(preset_key(train.get("preset")), lang, preset=train.get("preset") or "—"), optimizer=OPTIMIZERS[train["optimizer"]], lr=train["lr"],
                          updates=len(loss)), fontsize=14, fontweight="normal", color="#555555")
        ax.set_xlim(0, len(loss) + 1)
        ax.legend(loc="upper right")
    return fig
