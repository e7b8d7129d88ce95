"""The task targets of the tasks issue, measured: sine over seeds 0-4, language per model.

    python benchmarks/task_targets.py sine               # about 30 s
    python benchmarks/task_targets.py language --seeds 0 1 2

Sine prints, per preset and model, single-step MSE / noise floor, multi-step MSE (mean ±
sd over seeds) and the training time; language prints accuracy by distance bucket, the
discovered gender units and the forget gate on them, and the training time.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch

from explainer.training import preset_config, train


def sine(seeds: list[int]) -> None:
    print(f"{'preset':<6} {'model':<5} {'single MSE':>18} {'single/floor':>14} {'multi MSE':>18} {'train s':>8}")
    for preset in ("seed", "tuned"):
        for model in ("rnn", "lstm", "gru"):
            rows = []
            for seed in seeds:
                start = time.perf_counter()
                m = train(preset_config("sine", model, preset, seed=seed)).meta["metrics"]
                rows.append((m["mse_single"], m["mse_single"] / m["noise_floor"], m["mse_multi"], time.perf_counter() - start))
            r = np.array(rows)
            print(f"{preset:<6} {model:<5} {r[:, 0].mean():>9.4f} ± {r[:, 0].std():.4f} {r[:, 1].mean():>7.2f} ± {r[:, 1].std():.2f}"
                  f" {r[:, 2].mean():>9.4f} ± {r[:, 2].std():.4f} {r[:, 3].max():>8.1f}")


def language(seeds: list[int]) -> None:
    for seed in seeds:
        for model in ("lstm", "rnn", "gru"):
            start = time.perf_counter()
            meta = train(preset_config("language", model, seed=seed)).meta
            seconds = time.perf_counter() - start
            acc = meta["metrics"]["accuracy_by_distance"]
            g = meta["units"]["gender"]
            forget = (f" f@name {g['forget_at_new_subject']:.2f} f@gender-word {g['forget_at_new_gender_word']:.2f}"
                      f" f elsewhere {g['forget_elsewhere']:.2f}") if "forget_elsewhere" in g else ""
            print(f"seed {seed} {model:<4} {seconds:5.1f}s  " + " ".join(f"{v:.2f}" for v in acc.values())
                  + f"  units {g['units']} r={[round(c, 2) for c in g['correlation']]}{forget}", flush=True)
    print("buckets: " + " ".join(acc))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("task", choices=["sine", "language"])
    parser.add_argument("--seeds", type=int, nargs="+", default=None)
    args = parser.parse_args()
    torch.set_num_threads(2)
    if args.task == "sine":
        sine(args.seeds or list(range(5)))
    else:
        language(args.seeds or [0])


if __name__ == "__main__":
    main()
