"""What recording a user's own model through hooks costs, next to recording its LSTM directly.

A user's char model (embedding, 2-layer batch-first LSTM of 128 units, linear readout to
the vocabulary) on a batch of 32 rows x 256 characters. Prints, from one run on 1 torch
thread (medians of interleaved repeats):

- `record(model, ids)`: the model's forward with hooks, then its LSTM recorded on the input
  the hook kept, and the model's output kept;
- `record(model.lstm, embed(ids))` plus `model(ids)`: the same work done by hand;
- their ratio (target: <= 1, within the noise).

    python benchmarks/record_model.py
"""

from __future__ import annotations

import statistics
import time
import warnings

import torch
from torch import nn

import explainer
from explainer.recorder import RecordingSize

THREADS = 1


class CharLSTM(nn.Module):
    def __init__(self, vocab: int = 96, embed: int = 32, hidden: int = 128) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, embed)
        self.lstm = nn.LSTM(embed, hidden, num_layers=2, batch_first=True)
        self.fc = nn.Linear(hidden, vocab)

    def forward(self, ids):
        return self.fc(self.lstm(self.embed(ids))[0])


def median_times(fns, repeats: int) -> list[float]:
    for fn in fns:
        fn()  # warm up
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for fn, ts in zip(fns, times):
            start = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - start)
    return [statistics.median(ts) for ts in times]


def main() -> None:
    warnings.simplefilter("ignore", RecordingSize)  # it states its 73 MiB each time
    torch.set_num_threads(THREADS)
    torch.manual_seed(0)
    model = CharLSTM().eval()
    ids = torch.randint(0, 96, (32, 256))

    def through_hooks():
        explainer.record(model, ids)

    def by_hand():
        with torch.no_grad():
            explainer.record(model.lstm, model.embed(ids))
            model(ids)

    hooks, hand = median_times([through_hooks, by_hand], repeats=7)
    print(f"torch threads: {THREADS}; batch 32 x 256 steps, 2-layer LSTM of 128 units")
    print(f"record(model, ids) through hooks:              {hooks * 1000:7.1f} ms")
    print(f"record(model.lstm, embed(ids)) + model(ids):   {hand * 1000:7.1f} ms")
    print(f"ratio hooks / by hand: {hooks / hand:.2f} (target <= 1.0, within noise)")


if __name__ == "__main__":
    main()
