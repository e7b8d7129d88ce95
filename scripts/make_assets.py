"""Make the shipped defaults in assets/: pretrained checkpoints and their traces.

    python scripts/make_assets.py            # everything (about seven minutes on 2 cores)
    python scripts/make_assets.py --only sine
    python scripts/make_assets.py --only strategies   # the FAQ's training strategies (seconds)

Every registered task is trained with each of its shipped presets for each model family
(rnn, lstm, gru; the text task: its LSTM only, five minutes of training), and recorded on its
explanation inputs.

Deterministic: the same code gives the same bytes, so a re-run changes nothing in git.
"""

from __future__ import annotations

import argparse
import sys
import time

import torch

from explainer.assets import checkpoint_name, root
from explainer.explain import default_traces
from explainer.kinds import FAMILIES
from explainer.tasks.registry import tasks
from explainer.training import preset_config, train
#: The FAQ's training strategies on the source's RNN; epochs and random make the same 5 x 310 updates.
STRATEGIES = ["sequential", "epochs", "random"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=[*tasks(), "strategies"], default=None)
    args = parser.parse_args()
    torch.set_num_threads(2)  # fixed, so the bytes do not depend on the machine's core count
    out = root()
    (out / "checkpoints").mkdir(parents=True, exist_ok=True)
    (out / "traces").mkdir(parents=True, exist_ok=True)
    jobs = [(name, kind, preset) for name, task in tasks().items() if args.only in (None, name)
            for kind in (task.shipped_models or FAMILIES) for preset in task.shipped_presets()]
    for task, kind, preset in jobs:
        name = checkpoint_name(task, kind, preset)
        start = time.perf_counter()
        ckpt = train(preset_config(task, kind, preset, seed=0))
        seconds = time.perf_counter() - start
        ckpt.save(out / "checkpoints" / f"{name}.safetensors")
        for trace_name, trace in default_traces(name, ckpt).items():
            trace.save(out / "traces" / f"{trace_name}.safetensors")
        print(f"{name:<20} {seconds:6.1f} s  {_headline(ckpt.meta)}", file=sys.stderr)
    if args.only in (None, "strategies"):
        # The FAQ's training strategies on the source's RNN; epochs and random make the same 5 x 310 updates.
        for strategy in STRATEGIES:  # checkpoints only: the strategies figure reads their loss and metrics
            name = f"sine-rnn-{strategy}"
            start = time.perf_counter()
            ckpt = train(preset_config("sine", "rnn", "seed", strategy=strategy, epochs=5, iters=1550, seed=0))
            seconds = time.perf_counter() - start
            ckpt.save(out / "checkpoints" / f"{name}.safetensors")
            print(f"{name:<20} {seconds:6.1f} s  {_headline(ckpt.meta)}", file=sys.stderr)


def _headline(meta: dict) -> str:
    """The task's first summary line (sine: the single-step MSE; language: accuracy by distance)."""
    return tasks()[meta["train"]["task"]].summary(meta)[0]


if __name__ == "__main__":
    main()
