"""The task targets of the tasks issue, measured: sine over seeds 0-4, language per model, text per model.

    python benchmarks/task_targets.py sine               # about 30 s
    python benchmarks/task_targets.py language --seeds 0 1 2   # about 8 minutes
    python benchmarks/task_targets.py text               # about 17 minutes: lstm, gru, rnn, one run each

Sine prints, per preset and model, single-step MSE / noise floor, multi-step MSE (mean ±
sd over seeds) and the training time; language prints accuracy by distance bucket, the
discovered gender units and the forget gate on them, and the training time; text prints,
per model, the training time and the bits per character on the held-out text (target for the
default model, the LSTM: at most 2.0 after at most 5 minutes on 2 cores), and the units found.
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


#: The language targets of the lecture-truth issue: (model, buckets, test, bound).
LANGUAGE_TARGETS = [
    ("rnn", ["1-10"], ">=", 0.90),
    ("rnn", ["51-60", "61-70", "71-80", "81-90", "91-100"], "<=", 0.70),
    ("lstm", None, ">=", 0.95),
]


def language(seeds: list[int]) -> None:
    print("pronoun accuracy by distance bucket (1-10 … 91-100), language (country clause) accuracy, training time")
    misses = []
    for seed in seeds:
        for model in ("rnn", "lstm", "gru"):
            start = time.perf_counter()
            meta = train(preset_config("language", model, seed=seed)).meta
            seconds = time.perf_counter() - start
            m = meta["metrics"]
            acc = m["accuracy_by_distance"]
            g = meta["units"]["gender"]
            forget = (f" f@name {g['forget_at_new_subject']:.2f} f@gender-word {g['forget_at_new_gender_word']:.2f}"
                      f" f elsewhere {g['forget_elsewhere']:.2f}") if "forget_elsewhere" in g else ""
            print(f"seed {seed} {model:<4} {seconds:5.1f}s  " + " ".join(f"{v:.2f}" for v in acc.values())
                  + f"  language {m['language_accuracy']:.2f}  units {g['units']}{forget}", flush=True)
            for who, buckets, test, bound in LANGUAGE_TARGETS:
                for b in buckets or list(acc):
                    if who == model and not (acc[b] >= bound if test == ">=" else acc[b] <= bound):
                        misses.append(f"seed {seed} {model} {b}: {acc[b]:.2f} (target {test} {bound})")
    print("buckets: " + " ".join(acc))
    print("targets (rnn >= 0.90 at 1-10 and <= 0.70 from 51-60 on; lstm >= 0.95 everywhere): "
          + ("all met" if not misses else "MISSED " + "; ".join(misses)))


#: The text target of the any-model issue: the default model's held-out bits per character, and its training time.
TEXT_TARGET_BPC = 2.0
TEXT_TARGET_SECONDS = 300


def text(seeds: list[int]) -> None:
    print("bits per character on the held-out text and training time (2 threads), default preset")
    misses = []
    for seed in seeds:
        for model in ("lstm", "gru", "rnn"):
            start = time.perf_counter()
            meta = train(preset_config("text", model, seed=seed)).meta
            seconds = time.perf_counter() - start
            bpc = meta["metrics"]["bpc"]
            units = "; ".join(f"{f} {u['layer']}.{u['state']}.{u['units'][0]} r={u['correlation'][0]:+.2f}"
                              for f, u in (meta["units"] or {}).items() if u.get("units") and u.get("correlation"))
            print(f"seed {seed} {model:<4} {seconds:6.1f}s  bpc {bpc:.3f}  updates {len(meta['history']['loss'])}"
                  f"  units: {units or 'none found'}", flush=True)
            if model == "lstm" and not (bpc <= TEXT_TARGET_BPC and seconds <= TEXT_TARGET_SECONDS):
                misses.append(f"seed {seed} lstm: {bpc:.3f} bpc in {seconds:.0f} s")
    print(f"target (lstm <= {TEXT_TARGET_BPC} bpc in <= {TEXT_TARGET_SECONDS} s): "
          + ("met" if not misses else "MISSED " + "; ".join(misses)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("task", choices=["sine", "language", "text"])
    parser.add_argument("--seeds", type=int, nargs="+", default=None)
    args = parser.parse_args()
    torch.set_num_threads(2)
    if args.task == "sine":
        sine(args.seeds or list(range(5)))
    elif args.task == "text":
        text(args.seeds or [0])
    else:
        language(args.seeds or [0, 1, 2])


if __name__ == "__main__":
    main()
