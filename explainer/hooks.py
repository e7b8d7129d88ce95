"""Record any model: find the recurrent submodules inside it and capture what each is called with.

A user's model is an ordinary `nn.Module` (an embedding, an `nn.LSTM`, a linear readout,
or an encoder and a decoder). The recorder does not need to know its forward: it runs it
once, in evaluation mode and without gradients, with a forward pre-hook on every
recurrent submodule that keeps the input and initial state that submodule receives, then
records each submodule on exactly that input (`explainer.recorder`). A TorchScript
submodule takes no Python hooks, so it is stood in for during that one forward by a small
module that keeps its arguments and calls it; the model is left as it was.

    >>> import torch
    >>> from torch import nn
    >>> class CharLSTM(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.embed, self.lstm, self.fc = nn.Embedding(10, 4), nn.LSTM(4, 6, batch_first=True), nn.Linear(6, 10)
    ...     def forward(self, ids):
    ...         return self.fc(self.lstm(self.embed(ids))[0])
    >>> model = CharLSTM()
    >>> list(recurrent_modules(model))
    ['lstm']
    >>> calls, out = capture(model, torch.zeros(2, 5, dtype=torch.long), recurrent_modules(model))
    >>> calls["lstm"].input.shape, out.shape         # [batch, time, embed], [batch, time, vocab]
    (torch.Size([2, 5, 4]), torch.Size([2, 5, 10]))
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from torch import nn

from .errors import ExplainerError
from .models.wrapped import is_compiled, is_recurrent, is_scripted


@dataclass
class Call:
    """What one recurrent submodule was called with during the model's forward."""

    path: str
    module: nn.Module  # as the model holds it (perhaps compiled or scripted)
    input: Any = None  # a tensor or a PackedSequence, in the submodule's layout
    hx: Any = None  # its initial state as it was passed (None: zeros)
    count: int = 0  # how many times the forward called it
    args: tuple = field(default=())  # the positional arguments, for checking a rebuilt scripted module


def recurrent_modules(model: nn.Module, modules: str | Iterable[str] | None = None) -> dict[str, nn.Module]:
    """{module path: recurrent submodule} in `named_modules()` order; `modules` picks some (paths or globs)."""
    found: dict[str, nn.Module] = {}
    for path, module in model.named_modules():
        if path and any(path.startswith(p + ".") for p in found):
            continue  # inside one already found (a compiled module's `_orig_mod`, a core's own parts)
        if path and is_recurrent(module):
            found[path] = module
    if not found:
        children = ", ".join(f"{n}: {type(m).__name__}" for n, m in model.named_children()) or "no submodules"
        raise ExplainerError(f"cannot record a {type(model).__name__}: it holds no recurrent module ({children}); "
                             "record a model with a torch.nn.RNN, LSTM or GRU inside")
    if modules is None:
        return found
    patterns = [modules] if isinstance(modules, str) else list(modules)
    picked: set[str] = set()
    for pattern in patterns:
        if not isinstance(pattern, str):
            raise ExplainerError(f"modules= takes module paths (text), e.g. 'encoder.lstm'; got {pattern!r}")
        hits = fnmatch.filter(list(found), pattern)
        if not hits:
            raise ExplainerError(f"{type(model).__name__} has no recurrent module {pattern!r}; "
                                 f"it has: {', '.join(found)}")
        picked.update(hits)
    return {p: m for p, m in found.items() if p in picked}


def capture(model: nn.Module, x: Any, found: dict[str, nn.Module]) -> tuple[dict[str, Call], Any]:
    """Run `model(x)` (or `model(*x)` for a tuple) once and keep each found submodule's first call."""
    calls = {path: Call(path, module) for path, module in found.items()}
    removers, swapped = [], []

    def keep(path: str):
        def pre_hook(module, args, kwargs):
            call = calls[path]
            call.count += 1
            if call.count == 1:
                call.args = tuple(args)
                call.input = args[0] if args else kwargs.get("input")
                call.hx = args[1] if len(args) > 1 else kwargs.get("hx")
        return pre_hook

    try:
        for path, module in found.items():
            if is_scripted(module):
                parent, name = _parent(model, path)
                parent._modules[name] = _StandIn(module, keep(path))
                swapped.append((parent, name, module))
            else:
                removers.append(module.register_forward_pre_hook(keep(path), with_kwargs=True))
        try:
            output = model(*x) if isinstance(x, tuple) else model(x)
        except ExplainerError:
            raise
        except Exception as e:
            said = str(e).splitlines()[0] if str(e) else "(no message)"
            raise ExplainerError(f"{type(model).__name__}'s forward raised {type(e).__name__}: {said}; "
                                 "pass the input it takes") from None
    finally:
        for remove in removers:
            remove.remove()
        for parent, name, module in swapped:
            parent._modules[name] = module
    for path, call in calls.items():
        if call.count == 0:
            raise ExplainerError(f"{type(model).__name__}'s forward never called '{path}'; "
                                 f"pick the modules it uses with modules=")
        if call.count > 1:
            raise ExplainerError(f"{type(model).__name__}'s forward called '{path}' {call.count} times; a trace "
                                 f"records one run of each module: record it directly, "
                                 f"explainer.record(model.{path}, its input)")
    return calls, output


class _StandIn(nn.Module):
    """Stands in for a TorchScript module during one forward: keeps its arguments, then calls it."""

    def __init__(self, script: nn.Module, hook) -> None:
        super().__init__()
        self.script, self.hook = script, hook

    def forward(self, *args, **kwargs):
        self.hook(self.script, args, kwargs)
        return self.script(*args, **kwargs)


def _parent(model: nn.Module, path: str) -> tuple[nn.Module, str]:
    head, _, name = path.rpartition(".")
    return (model.get_submodule(head) if head else model), name
