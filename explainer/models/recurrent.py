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
kernel and the same parameters; training uses it.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from ..errors import ExplainerError
from .cells import Tap, gru_step, lstm_step, rnn_step
from .spec import CoreSpec, Inputs, fused

class Recurrent(nn.Module):
    """Base of the instrumented cores; use `RNN`, `LSTM` or `GRU`."""

    _torch_class: type[nn.RNNBase]

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, proj_size: int = 0) -> None:
        super().__init__()
        for name, value, low in (("input_size", input_size, 1), ("hidden_size", hidden_size, 1),
                                 ("num_layers", num_layers, 1), ("proj_size", proj_size, 0)):
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise ExplainerError(f"{name} must be an integer >= {low}, got {value!r}")
        if proj_size and mode != "LSTM":
            raise ExplainerError("proj_size is only available for LSTM")
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
                    step_tap: Tap | None = None
                    if tap is not None:
                        step_tap = lambda name, v, _l=layer, _r=reverse, _t=t: tap(_l, _r, _t, name, v)  # noqa: E731
                    h, c = _step(spec.kind, xw[t], h, c, w, step_tap)
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
        """What `forward` returns, computed by torch's fused kernel with these parameters."""
        inputs = Inputs.prepare(self.spec, input, hx)
        out, h_n, c_n = fused(self.spec, self, inputs.x, inputs.h0, inputs.c0)
        state = (inputs.state(h_n), inputs.state(c_n)) if c_n is not None else inputs.state(h_n)
        return inputs.output(out), state

    # -- conversion ---------------------------------------------------------------------
    @classmethod
    def from_torch(cls, module: nn.RNNBase) -> Recurrent:
        """An instrumented copy of a `torch.nn.RNN/LSTM/GRU` (weights copied)."""
        spec = CoreSpec.of(module)
        target = {"lstm": LSTM, "gru": GRU}.get(spec.kind, RNN)
        if cls is not Recurrent and cls is not target:
            raise ExplainerError(f"cannot load a torch {spec.kind} into {cls.__name__}; use {target.__name__}.from_torch")
        ours = target._from_spec(spec)
        ours.load_state_dict(module.state_dict())
        return ours.to(next(module.parameters()).dtype).train(module.training)

    def to_torch(self) -> nn.RNNBase:
        """A `torch.nn.RNN/LSTM/GRU` with these weights."""
        spec = self.spec
        kwargs = dict(input_size=spec.input_size, hidden_size=spec.hidden_size, num_layers=spec.num_layers,
                      bias=spec.bias, batch_first=spec.batch_first, dropout=spec.dropout,
                      bidirectional=spec.bidirectional)
        if spec.kind == "lstm":
            module = nn.LSTM(proj_size=spec.proj_size, **kwargs)
        elif spec.kind == "gru":
            module = nn.GRU(**kwargs)
        else:
            module = nn.RNN(nonlinearity=spec.kind.split("_")[1], **kwargs)
        module.load_state_dict(self.state_dict())
        return module.to(next(self.parameters()).dtype).train(self.training)

    @staticmethod
    def from_spec(spec: CoreSpec) -> Recurrent:
        """A freshly initialised core of the given configuration."""
        target = {"lstm": LSTM, "gru": GRU}.get(spec.kind, RNN)
        return target._from_spec(spec)


def _step(kind: str, xw: Tensor, h: Tensor, c: Tensor | None, w, tap: Tap | None) -> tuple[Tensor, Tensor | None]:
    kw = {} if tap is None else {"tap": tap}
    if kind == "lstm":
        return lstm_step(xw, h, c, w, **kw)
    if kind == "gru":
        return gru_step(xw, h, w, **kw), None
    return rnn_step(xw, h, w, "tanh" if kind == "rnn_tanh" else "relu", **kw), None


class RNN(Recurrent):
    """Elman RNN, as `torch.nn.RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', ...)`."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, nonlinearity: str = "tanh",
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ExplainerError(f"unknown nonlinearity {nonlinearity!r}; valid: tanh, relu")
        super().__init__(f"RNN_{nonlinearity.upper()}", input_size, hidden_size, num_layers, bias,
                         batch_first, dropout, bidirectional)
        self.nonlinearity = nonlinearity

    @classmethod
    def _from_spec(cls, s: CoreSpec) -> RNN:
        return cls(s.input_size, s.hidden_size, s.num_layers, s.kind.split("_")[1], s.bias, s.batch_first,
                   s.dropout, s.bidirectional)


class LSTM(Recurrent):
    """LSTM, as `torch.nn.LSTM(input_size, hidden_size, num_layers=1, ..., proj_size=0)`."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 proj_size: int = 0) -> None:
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, proj_size)

    @classmethod
    def _from_spec(cls, s: CoreSpec) -> LSTM:
        return cls(s.input_size, s.hidden_size, s.num_layers, s.bias, s.batch_first, s.dropout,
                   s.bidirectional, s.proj_size)


class GRU(Recurrent):
    """GRU, as `torch.nn.GRU(input_size, hidden_size, num_layers=1, ...)`."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False) -> None:
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)

    @classmethod
    def _from_spec(cls, s: CoreSpec) -> GRU:
        return cls(s.input_size, s.hidden_size, s.num_layers, s.bias, s.batch_first, s.dropout, s.bidirectional)


def from_torch(module: nn.RNNBase) -> Recurrent:
    """Module-level shortcut for `Recurrent.from_torch`."""
    return Recurrent.from_torch(module)
