"""What a recurrent core is, read the same way from torch's modules and ours.

`CoreSpec.of(module)` reads the configuration of a `torch.nn.RNN/LSTM/GRU` or of one of
our instrumented cores (they share attribute and parameter names), `weights()` returns a
layer's parameters, and `Inputs` puts an input and its initial state into one time-major,
batched layout, remembering how to give results back in the caller's layout. Both the
explicit loops and the recorder go through here, so shapes are checked in one place.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from ..errors import ExplainerError
from ..kinds import KIND, MODES, CellKind
from ..names import check_kind
from .cells import LayerWeights
from .resolve import fused_kernel


@dataclass(frozen=True)
class CoreSpec:
    kind: str
    input_size: int
    hidden_size: int
    num_layers: int = 1
    bias: bool = True
    batch_first: bool = False
    bidirectional: bool = False
    proj_size: int = 0
    dropout: float = 0.0

    @staticmethod
    def of(module: nn.Module) -> CoreSpec:
        """Read the configuration of a torch recurrent module or one of ours."""
        mode = getattr(module, "mode", None)
        if mode not in MODES or not hasattr(module, "hidden_size"):
            raise ExplainerError(
                f"cannot read a recurrent core from {type(module).__name__}; expected "
                "torch.nn.RNN/LSTM/GRU, explainer.models.RNN/LSTM/GRU or a task model"
            )
        return CoreSpec(
            kind=check_kind(MODES[mode]),
            input_size=int(module.input_size),
            hidden_size=int(module.hidden_size),
            num_layers=int(module.num_layers),
            bias=bool(module.bias),
            batch_first=bool(module.batch_first),
            bidirectional=bool(module.bidirectional),
            proj_size=int(getattr(module, "proj_size", 0) or 0),
            dropout=float(getattr(module, "dropout", 0.0) or 0.0),
        )

    @property
    def row(self) -> CellKind:
        """This kind's row of the cell-kind table."""
        return KIND[self.kind]

    @property
    def mode(self) -> str:
        return self.row.mode

    @property
    def name(self) -> str:
        """How the kind is named to a person: RNN, LSTM, GRU."""
        return self.row.family.upper()

    @property
    def num_directions(self) -> int:
        return 2 if self.bidirectional else 1

    @property
    def out_size(self) -> int:
        """Size of h: proj_size for a projected LSTM, else hidden_size."""
        return self.proj_size or self.hidden_size

    @property
    def gate_count(self) -> int:
        return self.row.gate_count

    def module_kwargs(self) -> dict:
        """The constructor arguments of torch's module (and ours) for this configuration."""
        kwargs = dict(input_size=self.input_size, hidden_size=self.hidden_size, num_layers=self.num_layers,
                      bias=self.bias, batch_first=self.batch_first, dropout=self.dropout,
                      bidirectional=self.bidirectional)
        if self.row.projection:
            kwargs["proj_size"] = self.proj_size
        if self.row.nonlinearity:
            kwargs["nonlinearity"] = self.row.nonlinearity
        return kwargs

    def layer_input_size(self, layer: int) -> int:
        return self.input_size if layer == 0 else self.out_size * self.num_directions

    def param_names(self, layer: int, reverse: bool = False) -> list[str]:
        """torch's parameter names for one direction of one layer, in torch's order."""
        sfx = f"_l{layer}" + ("_reverse" if reverse else "")
        names = [f"weight_ih{sfx}", f"weight_hh{sfx}"]
        if self.bias:
            names += [f"bias_ih{sfx}", f"bias_hh{sfx}"]
        if self.proj_size:
            names.append(f"weight_hr{sfx}")
        return names

    def weights(self, module: nn.Module, layer: int, reverse: bool = False) -> LayerWeights:
        sfx = f"_l{layer}" + ("_reverse" if reverse else "")
        get = lambda n: getattr(module, n + sfx) if hasattr(module, n + sfx) else None  # noqa: E731
        return LayerWeights(get("weight_ih"), get("weight_hh"), get("bias_ih"), get("bias_hh"), get("weight_hr"))

    def flat_weights(self, module: nn.Module, layer: int) -> list[Tensor]:
        """One layer's parameters (both directions) in the order torch's fused kernels take."""
        return [
            getattr(module, n)
            for reverse in ([False, True] if self.bidirectional else [False])
            for n in self.param_names(layer, reverse)
        ]

    def describe(self) -> str:
        extra = f", proj_size={self.proj_size}" if self.proj_size else ""
        bi = ", bidirectional" if self.bidirectional else ""
        return f"{self.kind} (input_size={self.input_size}, hidden_size={self.hidden_size}{extra}, layers={self.num_layers}{bi})"


@dataclass
class Inputs:
    """An input and initial state, time-major and batched: x [time, batch, input]."""

    x: Tensor  # [time, batch, input]
    h0: Tensor  # [layers*directions, batch, out]
    c0: Tensor | None  # [layers*directions, batch, hidden], LSTM only
    batched: bool
    batch_first: bool

    @staticmethod
    def prepare(spec: CoreSpec, input: Tensor, hx: Tensor | tuple[Tensor, Tensor] | None = None) -> Inputs:
        """Check shapes as torch would, with messages that say what to pass instead."""
        if not isinstance(input, Tensor):
            raise ExplainerError(f"input must be a torch.Tensor, got {type(input).__name__}")
        if not (input.is_floating_point() or input.is_complex() or input.dtype == torch.bool):
            layout = "[batch, time, {}]" if spec.batch_first else "[time, batch, {}]"
            raise ExplainerError(
                f"this {spec.name} reads float vectors {layout.format(spec.input_size)}; token ids (an integer "
                "tensor) need an embedding first: record a model with an nn.Embedding, or embed the ids yourself"
            )
        if input.dim() not in (2, 3):
            raise ExplainerError(
                f"input has shape {tuple(input.shape)}; a {spec.kind} expects "
                f"[time, batch, {spec.input_size}], [batch, time, {spec.input_size}] with batch_first, "
                f"or [time, {spec.input_size}] unbatched"
            )
        if input.shape[-1] != spec.input_size:
            raise ExplainerError(
                f"input has {input.shape[-1]} features per step but the {spec.kind} has "
                f"input_size={spec.input_size}; reshape the input to [..., {spec.input_size}]"
            )
        if not input.is_floating_point():
            raise ExplainerError(f"input must be floating point, got {input.dtype}")
        batched = input.dim() == 3
        x = input if batched else input.unsqueeze(1)
        if batched and spec.batch_first:
            x = x.transpose(0, 1)
        time, batch = x.shape[0], x.shape[1]
        if time == 0 or batch == 0:
            raise ExplainerError(f"input has shape {tuple(input.shape)}: it needs at least one step and one row")
        states = spec.num_layers * spec.num_directions
        h_shape = (states, batch, spec.out_size)
        c_shape = (states, batch, spec.hidden_size)
        has_cell = spec.row.has_cell
        if hx is None:
            h0 = x.new_zeros(h_shape)
            c0 = x.new_zeros(c_shape) if has_cell else None
        else:
            if has_cell:
                if not (isinstance(hx, (tuple, list)) and len(hx) == 2):
                    raise ExplainerError(f"the {spec.name}'s initial state is a pair (h0, c0)")
                h0, c0 = hx
            else:
                if isinstance(hx, (tuple, list)):
                    raise ExplainerError(f"the {spec.name}'s initial state is one tensor h0, not a pair")
                h0, c0 = hx, None
            h0 = _state(h0, "h0", h_shape, batched)
            c0 = _state(c0, "c0", c_shape, batched) if c0 is not None else None
        return Inputs(x, h0.to(x.dtype), c0.to(x.dtype) if c0 is not None else None, batched, spec.batch_first)

    def output(self, out: Tensor) -> Tensor:
        """Time-major [time, batch, feat] back to the caller's layout."""
        if not self.batched:
            return out.squeeze(1)
        return out.transpose(0, 1) if self.batch_first else out

    def state(self, s: Tensor) -> Tensor:
        return s if self.batched else s.squeeze(1)


def _state(s: Tensor, name: str, shape: tuple[int, int, int], batched: bool) -> Tensor:
    s = s if batched else s.unsqueeze(1)
    if tuple(s.shape) != shape:
        want = shape if batched else (shape[0], shape[2])
        raise ExplainerError(f"{name} has shape {tuple(s.shape) if batched else tuple(s.squeeze(1).shape)}; expected {want}")
    return s


def fused(spec: CoreSpec, module: nn.Module, x: Tensor, h0: Tensor, c0: Tensor | None,
          layers: range | None = None, train: bool | None = None) -> tuple[Tensor, Tensor, Tensor | None]:
    """torch's fused kernel over `layers` of `module` (all by default), time-major.

    h0 and c0 hold the states of all layers; returns output [time, batch, directions*out]
    and h_n, c_n of the layers run. Dropout between layers applies when `train` (default:
    the module's mode). Only for kinds with a fused kernel (`has_fused`).
    """
    kernel = fused_kernel(spec.kind)
    if kernel is None:
        raise RuntimeError(f"torch has no fused kernel for {spec.kind}; run the explicit loop")
    layers = layers if layers is not None else range(spec.num_layers)
    train = module.training if train is None else train
    weights = [w for layer in layers for w in spec.flat_weights(module, layer)]
    d = spec.num_directions
    rows = slice(layers.start * d, layers.stop * d)
    args = (weights, spec.bias, len(layers), spec.dropout if train else 0.0, train, spec.bidirectional, False)
    if spec.row.has_cell:
        with warnings.catch_warnings():  # "LSTM with projections is not supported with oneDNN": fine
            warnings.simplefilter("ignore", UserWarning)
            out, h_n, c_n = kernel(x, (h0[rows], c0[rows]), *args)
        return out, h_n, c_n
    out, h_n = kernel(x, h0[rows], *args)
    return out, h_n, None


def has_fused(spec: CoreSpec) -> bool:
    """Whether torch has a fused kernel for this kind (else only the explicit loop runs it)."""
    return KIND[spec.kind].fused is not None
