"""Instrumented RNN, LSTM and GRU: torch's modules, written as explicit time loops.

`RNN`, `LSTM` and `GRU` take the same constructor arguments as `torch.nn.RNN/LSTM/GRU`,
hold parameters with the same names, shapes and gate order (`weight_ih_l{k}`,
`weight_hh_l{k}`, `bias_*`, `weight_hr_l{k}`, `_reverse`), accept the same input layouts
and return the same outputs. So any trained torch module can be loaded into them and
back:

    >>> import torch
    >>> from explainer.models import LSTM
    >>> theirs = torch.nn.LSTM(3, 5, num_layers=2, bidirectional=True)
    >>> ours = LSTM.from_torch(theirs)
    >>> x = torch.randn(7, 4, 3)                     # [time, batch, input]
    >>> torch.allclose(ours(x)[0], theirs(x)[0], atol=1e-5)
    True
    >>> back = ours.to_torch()                       # a torch.nn.LSTM again

`forward` is the readable reference: a loop over layers, directions and steps calling
the cell formulas in `cells.py`. `fast` computes the same thing with torch's fused
kernel and the same parameters; training uses it. Which formulas, which torch class and
which kernel belong to a kind is read from the cell-kind table (`explainer/kinds.py`).
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from ..errors import ExplainerError
from ..kinds import KIND, KINDS_TABLE, MODES
from .cells import Tap, no_tap
from .resolve import step, torch_class
from .spec import CoreSpec, Inputs, fused, has_fused


class Recurrent(nn.Module):
    """Base of the instrumented cores; use `RNN`, `LSTM` or `GRU` (or this, given torch's mode)."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, proj_size: int = 0) -> None:
        super().__init__()
        if mode not in MODES:
            raise ExplainerError(f"unknown recurrent mode {mode!r}; valid: {', '.join(MODES)}")
        for name, value, low in (("input_size", input_size, 1), ("hidden_size", hidden_size, 1),
                                 ("num_layers", num_layers, 1), ("proj_size", proj_size, 0)):
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise ExplainerError(f"{name} must be an integer >= {low}, got {value!r}")
        if proj_size and not KIND[MODES[mode]].projection:
            takes = sorted({k.family.upper() for k in KINDS_TABLE if k.projection})
            raise ExplainerError(f"proj_size is only available for {' and '.join(takes)}")
        if proj_size >= hidden_size and proj_size:
            raise ExplainerError(f"proj_size ({proj_size}) must be smaller than hidden_size ({hidden_size})")
        if not 0.0 <= float(dropout) <= 1.0:
            raise ExplainerError(f"dropout must be between 0 and 1, got {dropout}")
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        spec = self.spec
        for layer in range(num_layers):
            for reverse in ([False, True] if bidirectional else [False]):
                gates = spec.gate_count * hidden_size
                shapes = {
                    "weight_ih": (gates, spec.layer_input_size(layer)),
                    "weight_hh": (gates, spec.out_size),
                    "bias_ih": (gates,),
                    "bias_hh": (gates,),
                    "weight_hr": (proj_size, hidden_size),
                }
                for pname in spec.param_names(layer, reverse):
                    base = pname.split("_l")[0]
                    self.register_parameter(pname, nn.Parameter(torch.empty(shapes[base])))
        self.reset_parameters()

    @property
    def spec(self) -> CoreSpec:
        return CoreSpec.of(self)

    def reset_parameters(self) -> None:
        """torch's initialisation: every parameter uniform in ±1/sqrt(hidden_size)."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            nn.init.uniform_(p, -bound, bound)

    def extra_repr(self) -> str:
        return self.spec.describe()

    # -- the reference: an explicit loop --------------------------------------------
    def forward(self, input: Tensor, hx: Tensor | tuple[Tensor, Tensor] | None = None):
        """Same inputs and outputs as the torch module, computed step by step."""
        inputs = Inputs.prepare(self.spec, input, hx)
        out, h_n, c_n = self.run(inputs.x, inputs.h0, inputs.c0)
        state = (inputs.state(h_n), inputs.state(c_n)) if c_n is not None else inputs.state(h_n)
        return inputs.output(out), state

    def run(self, x: Tensor, h0: Tensor, c0: Tensor | None = None, tap=None) -> tuple[Tensor, Tensor, Tensor | None]:
        """The loop, time-major: x [time, batch, input] -> output [time, batch, dirs*out], h_n, c_n.

        `tap(layer, reverse, t, name, value)`, when given, sees (and may replace) every
        intermediate value: gates, c and h of each step.
        """
        spec = self.spec
        cell = step(spec.kind)
        time = x.shape[0]
        layer_input = x  # [time, batch, input]
        h_n, c_n = [], []
        for layer in range(spec.num_layers):
            outputs = []
            for reverse in ([False, True] if spec.bidirectional else [False]):
                k = layer * spec.num_directions + int(reverse)
                w = spec.weights(self, layer, reverse)
                xw = layer_input @ w.weight_ih.T  # [time, batch, gates*hidden]
                if w.bias_ih is not None:
                    xw = xw + w.bias_ih
                h, c = h0[k], (c0[k] if c0 is not None else None)
                steps: list[Tensor] = [x.new_empty(0)] * time
                for t in (reversed(range(time)) if reverse else range(time)):
                    step_tap: Tap = no_tap
                    if tap is not None:
                        step_tap = lambda name, v, _l=layer, _r=reverse, _t=t: tap(_l, _r, _t, name, v)  # noqa: E731
                    h, c = cell(xw[t], h, c, w, step_tap)
                    steps[t] = h
                outputs.append(torch.stack(steps))  # [time, batch, out]
                h_n.append(h)
                if c is not None:
                    c_n.append(c)
            layer_input = torch.cat(outputs, dim=-1)  # [time, batch, dirs*out]
            if self.training and spec.dropout and layer < spec.num_layers - 1:
                layer_input = nn.functional.dropout(layer_input, spec.dropout, training=True)
        return layer_input, torch.stack(h_n), (torch.stack(c_n) if c_n else None)

    # -- the same computation through torch's fused kernel -----------------------------
    def fast(self, input: Tensor, hx: Tensor | tuple[Tensor, Tensor] | None = None):
        """What `forward` returns, computed by torch's fused kernel with these parameters.

        A kind torch has no kernel for runs the explicit loop.
        """
        if not has_fused(self.spec):
            return self.forward(input, hx)
        inputs = Inputs.prepare(self.spec, input, hx)
        out, h_n, c_n = fused(self.spec, self, inputs.x, inputs.h0, inputs.c0)
        state = (inputs.state(h_n), inputs.state(c_n)) if c_n is not None else inputs.state(h_n)
        return inputs.output(out), state

    # -- conversion ---------------------------------------------------------------------
    @classmethod
    def from_torch(cls, module: nn.RNNBase) -> Recurrent:
        """An instrumented copy of a `torch.nn.RNN/LSTM/GRU` (weights copied)."""
        spec = CoreSpec.of(module)
        target = _class_of(spec.kind)
        if cls is not Recurrent and cls is not target:
            raise ExplainerError(f"cannot load a torch {spec.kind} into {cls.__name__}; use {target.__name__}.from_torch")
        ours = Recurrent.from_spec(spec)
        ours.load_state_dict(module.state_dict())
        return ours.to(next(module.parameters()).dtype).train(module.training)

    def to_torch(self) -> nn.RNNBase:
        """A `torch.nn.RNN/LSTM/GRU` with these weights."""
        spec = self.spec
        theirs = torch_class(spec.kind)
        if theirs is None:
            raise ExplainerError(f"torch has no module for the {spec.kind} cell; keep the explainer core")
        module = theirs(**spec.module_kwargs())
        module.load_state_dict(self.state_dict())
        return module.to(next(self.parameters()).dtype).train(self.training)

    @staticmethod
    def from_spec(spec: CoreSpec) -> Recurrent:
        """A freshly initialised core of the given configuration."""
        target = _class_of(spec.kind)
        kwargs = spec.module_kwargs()
        if target is Recurrent:
            kwargs.pop("nonlinearity", None)
            return Recurrent(spec.mode, **kwargs)
        return target(**kwargs)


class RNN(Recurrent):
    """Elman RNN, as `torch.nn.RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', ...)`."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, nonlinearity: str = "tanh",
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False) -> None:
        rows = {k.nonlinearity: k for k in KINDS_TABLE if k.family == "rnn"}
        if nonlinearity not in rows:
            raise ExplainerError(f"unknown nonlinearity {nonlinearity!r}; valid: {', '.join(rows)}")
        super().__init__(rows[nonlinearity].mode, input_size, hidden_size, num_layers, bias,
                         batch_first, dropout, bidirectional)
        self.nonlinearity = nonlinearity


class LSTM(Recurrent):
    """LSTM, as `torch.nn.LSTM(input_size, hidden_size, num_layers=1, ..., proj_size=0)`."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 proj_size: int = 0) -> None:
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, proj_size)


class GRU(Recurrent):
    """GRU, as `torch.nn.GRU(input_size, hidden_size, num_layers=1, ...)`."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False) -> None:
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)


def _class_of(kind: str) -> type[Recurrent]:
    """Our module for a kind: the class named as torch's (RNN, LSTM, GRU), else the generic core."""
    name = KIND[kind].torch_class
    ours = globals().get(name) if name else None
    return ours if isinstance(ours, type) and issubclass(ours, Recurrent) else Recurrent


def from_torch(module: nn.RNNBase) -> Recurrent:
    """Module-level shortcut for `Recurrent.from_torch`."""
    return Recurrent.from_torch(module)
