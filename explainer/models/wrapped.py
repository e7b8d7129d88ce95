"""Recurrent modules behind a wrapper: `torch.compile`d, `torch.jit.script`ed or `trace`d.

The recorder reads a recurrent module's configuration and parameters by name
(`CoreSpec.of`, `weight_ih_l0`, ...). A compiled module keeps the original as
`_orig_mod`; a scripted one keeps the configuration as attributes; a traced one keeps only
its parameters and `original_name`. `unwrap` gives back a plain `torch.nn.RNN/LSTM/GRU`
(or ours) that computes the same thing: the original, or a new torch module with the
wrapper's state dict loaded. For a scripted or traced module, the rebuilt module is run on
the input the wrapper saw and must give the wrapper's own output (that is also how a
traced module's `batch_first` and an RNN's nonlinearity, which it does not keep, are
found); otherwise the module is refused in one line.

    >>> import torch
    >>> lstm = torch.nn.LSTM(3, 5, batch_first=True)
    >>> scripted = torch.jit.script(lstm)
    >>> plain = unwrap(scripted, "lstm", (torch.randn(2, 4, 3),))
    >>> type(plain).__name__, plain.batch_first, torch.equal(plain.weight_hh_l0, lstm.weight_hh_l0)
    ('LSTM', True, True)
"""

from __future__ import annotations

import re
from typing import Any

import torch
from torch import Tensor, nn

from ..errors import ExplainerError
from .recurrent import Recurrent

#: What a wrapper's `original_name` says about the torch class it came from.
_CLASSES = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}


def is_compiled(module: nn.Module) -> bool:
    """A `torch.compile` wrapper (it keeps the original module as `_orig_mod`)."""
    return isinstance(getattr(module, "_orig_mod", None), nn.Module)


def is_scripted(module: Any) -> bool:
    """A TorchScript module (scripted or traced)."""
    return isinstance(module, torch.jit.ScriptModule)


def is_recurrent(module: Any) -> bool:
    """Whether `module` is a recurrent module the recorder reads, directly or behind a wrapper."""
    if isinstance(module, (nn.RNNBase, Recurrent)):
        return True
    if is_compiled(module):
        return is_recurrent(module._orig_mod)
    return is_scripted(module) and getattr(module, "original_name", None) in _CLASSES


def unwrap(module: nn.Module, path: str, args: tuple | None = None) -> nn.Module:
    """The plain recurrent module that computes what `module` computes (`args`: an input it was called with)."""
    if isinstance(module, (nn.RNNBase, Recurrent)):
        return module
    if is_compiled(module):
        return unwrap(module._orig_mod, path, args)
    if is_scripted(module):
        return _rebuilt(module, path, args)
    raise ExplainerError(f"'{path}' is a {type(module).__name__}, not a recurrent module; "
                         "record a torch.nn.RNN/LSTM/GRU")


def _rebuilt(script: torch.jit.ScriptModule, path: str, args: tuple | None) -> nn.Module:
    """A torch.nn module with the script's parameters that gives the script's output on `args`."""
    name = getattr(script, "original_name", type(script).__name__)
    cls = _CLASSES.get(name)
    what = "scripted" if isinstance(script, torch.jit.RecursiveScriptModule) and not _is_traced(script) else "traced"
    if cls is None:
        raise ExplainerError(f"'{path}' is a {what} {name}, not a recognisable torch.nn.RNN/LSTM/GRU; "
                             "record the module before torch.jit.script/trace")
    state = {k: v.detach() for k, v in script.state_dict().items()}
    try:
        config = _config_from_state(state, name)
    except ValueError as e:
        raise ExplainerError(f"'{path}' is a {what} {name} whose parameters are not an {name}'s ({e})") from None
    kept = lambda key, kind, default: [getattr(script, key)] if isinstance(getattr(script, key, None), kind) else default  # noqa: E731
    layouts = kept("batch_first", bool, [False, True])  # a scripted module keeps these; a traced one does not
    nonlinearities = kept("nonlinearity", str, ["tanh", "relu"]) if cls is nn.RNN else [None]
    device = next(iter(state.values())).device
    candidates = []
    for batch_first in layouts:
        for nonlinearity in nonlinearities:
            extra = {"nonlinearity": nonlinearity} if nonlinearity else {}
            module = cls(**config, batch_first=batch_first, **extra)
            try:
                module.load_state_dict(state)
            except RuntimeError as e:
                first = str(e).splitlines()[-1].strip()
                raise ExplainerError(f"'{path}' is a {what} {name} whose parameters are not an {name}'s ({first})") from None
            candidates.append(module.to(device).eval())
    if args is None:
        if len(candidates) > 1:
            raise ExplainerError(f"'{path}' is a {what} {name}: record it inside the model that calls it "
                                 "(its layout is known only from a call), or record the module before tracing")
        return candidates[0]
    with torch.no_grad():
        try:
            theirs = _first_tensor(script(*args))
        except (AttributeError, RuntimeError):  # a scripted torch.nn.LSTM has only its overloads, forward__0/1
            if len(candidates) == 1:
                return candidates[0]  # its configuration is its own attributes: nothing to find out
            raise ExplainerError(f"'{path}' is a {what} {name} that cannot be called on its input; "
                                 "record the module before torch.jit.script/trace") from None
        for module in candidates:
            try:
                ours = _first_tensor(module(*args))
            except (RuntimeError, ValueError):
                continue
            if ours.shape == theirs.shape and torch.allclose(ours, theirs, atol=1e-5, rtol=1e-4):
                return module
    raise ExplainerError(f"'{path}' is a {what} {name} that does not compute what a torch.nn.{name} with its "
                         "parameters computes; record the module before torch.jit.script/trace")


def _is_traced(script: torch.jit.ScriptModule) -> bool:
    return isinstance(script, torch.jit.TopLevelTracedModule) or type(script).__name__.endswith("TracedModule")


def _config_from_state(state: dict[str, Tensor], name: str) -> dict[str, Any]:
    """input_size, hidden_size, num_layers, bias, bidirectional, proj_size read from the parameter shapes."""
    layers = {int(m.group(1)) for k in state if (m := re.match(r"weight_ih_l(\d+)$", k))}
    if not layers or layers != set(range(max(layers) + 1)):
        raise ValueError("no weight_ih_l0 ... weight_ih_lN")
    gates = {"RNN": 1, "LSTM": 4, "GRU": 3}[name]
    w_ih, w_hh = state["weight_ih_l0"], state.get("weight_hh_l0")
    if w_hh is None or w_ih.dim() != 2 or w_ih.shape[0] % gates:
        raise ValueError(f"weight_ih_l0 has shape {list(w_ih.shape)}")
    hidden = w_ih.shape[0] // gates
    config = {"input_size": int(w_ih.shape[1]), "hidden_size": int(hidden), "num_layers": len(layers),
              "bias": "bias_ih_l0" in state, "bidirectional": "weight_ih_l0_reverse" in state}
    if "weight_hr_l0" in state:
        config["proj_size"] = int(state["weight_hr_l0"].shape[0])
    return config


def _first_tensor(value: Any) -> Tensor:
    """A recurrent module's output tensor (of `(output, state)`); the padded data of a PackedSequence."""
    if isinstance(value, (tuple, list)):
        value = value[0]
    if isinstance(value, nn.utils.rnn.PackedSequence):
        return value.data
    return value
