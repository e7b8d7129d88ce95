"""The training loop every task shares: updates, history, clipping, divergence.

Each update's loss is kept (the `loss` figure draws them all). A loss that becomes NaN or
Inf stops the run with a message instead of training on garbage.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import torch
from torch import Tensor, nn

from ..errors import ExplainerError
from .config import TrainConfig

#: progress(done, total, loss) is called after every update.
Progress = Callable[[int, int, float], None]


def make_optimizer(model: nn.Module, config: TrainConfig, total: int):
    params = list(model.parameters())
    opt = torch.optim.SGD(params, lr=config.lr) if config.optimizer == "sgd" else torch.optim.Adam(params, lr=config.lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, total) if config.schedule == "cosine" else None
    return opt, sched


def fit(model: nn.Module, batches: Iterable[tuple[Tensor, Tensor]], loss_fn: Callable[[nn.Module, Tensor, Tensor], Tensor],
        config: TrainConfig, total: int, progress: Progress | None = None) -> list[float]:
    """Run `total` updates over `batches`; return the loss of every update."""
    opt, sched = make_optimizer(model, config, total)
    model.train()
    history: list[float] = []
    for step, (inputs, targets) in enumerate(batches):
        loss = loss_fn(model, inputs, targets)
        value = float(loss.detach())
        if not math.isfinite(value):
            raise ExplainerError(
                f"training diverged at update {step + 1} of {total} (loss = {value}); "
                "lower the learning rate (--lr) or clip gradients (--clip 1.0)"
            )
        opt.zero_grad()
        loss.backward()
        if config.clip:
            nn.utils.clip_grad_norm_(model.parameters(), config.clip)
        opt.step()
        if sched is not None:
            sched.step()
        history.append(value)
        if progress is not None:
            progress(step + 1, total, value)
    model.eval()
    return history
