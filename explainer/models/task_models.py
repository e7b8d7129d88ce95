"""Task models: a recurrent core with a Linear readout, and an embedding for tokens.

`SequenceModel` reads real-valued sequences (the noisy sine: [batch, time, features]) and
predicts from every step's hidden state; `TokenModel` embeds token ids first (the toy
language). Both keep the core, the embedding and the readout as attributes named `core`,
`embedding` and `readout`, which is all the recorder needs to know. A model is rebuilt
from `config()` alone, so a checkpoint is weights plus that dictionary.

    >>> import torch
    >>> from explainer.models import SequenceModel
    >>> model = SequenceModel("lstm", input_size=1, hidden_size=12)
    >>> model(torch.randn(8, 10, 1)).shape           # [batch, time, features] -> [batch, out]
    torch.Size([8, 1])
"""

from __future__ import annotations

from typing import Any

from torch import Tensor, nn

from ..errors import ExplainerError
from ..names import check_kind
from .recurrent import Recurrent
from .spec import CoreSpec


class TaskModel(nn.Module):
    """Common part: a batch-first recurrent core and a readout of every step."""

    # Attributes set by subclasses: core (Recurrent), readout (Linear), embedding (Embedding or None).

    def _build_core(self, kind: str, input_size: int, hidden_size: int, num_layers: int,
                    bidirectional: bool, proj_size: int) -> None:
        spec = CoreSpec(kind=check_kind(kind), input_size=input_size, hidden_size=hidden_size,
                        num_layers=num_layers, batch_first=True, bidirectional=bidirectional,
                        proj_size=proj_size)
        self.core = Recurrent.from_spec(spec)

    @property
    def spec(self) -> CoreSpec:
        return self.core.spec

    def embed(self, x: Tensor) -> Tensor:
        """What layer 0 reads: x itself, or the embedding of token ids."""
        return x if self.embedding is None else self.embedding(x)

    def states(self, x: Tensor, hx=None, *, explicit: bool = False) -> tuple[Tensor, Any]:
        """Hidden states of the last layer at every step [batch, time, dirs*out], and the final state."""
        run = self.core.forward if explicit else self.core.fast
        return run(self.embed(x), hx)

    def forward_all(self, x: Tensor, hx=None, *, explicit: bool = False) -> Tensor:
        """The readout at every step: [batch, time, out]."""
        out, _ = self.states(x, hx, explicit=explicit)
        return self.readout(out)

    def config(self) -> dict[str, Any]:
        raise NotImplementedError


class SequenceModel(TaskModel):
    """Real-valued sequence in, a prediction from the last step out (the source's MyRNN)."""

    def __init__(self, kind: str, input_size: int = 1, hidden_size: int = 12, output_size: int = 1,
                 num_layers: int = 1, bidirectional: bool = False, proj_size: int = 0) -> None:
        super().__init__()
        self.embedding = None
        self._build_core(kind, input_size, hidden_size, num_layers, bidirectional, proj_size)
        self.readout = nn.Linear(self.spec.out_size * self.spec.num_directions, output_size)
        self.output_size = output_size

    def forward(self, x: Tensor, hx=None, *, explicit: bool = False) -> Tensor:
        """x [batch, time, input] -> prediction after the last step [batch, out]."""
        return self.forward_all(x, hx, explicit=explicit)[..., -1, :]

    def config(self) -> dict[str, Any]:
        s = self.spec
        return {"model": "sequence", "kind": s.kind, "input_size": s.input_size, "hidden_size": s.hidden_size,
                "output_size": self.output_size, "num_layers": s.num_layers, "bidirectional": s.bidirectional,
                "proj_size": s.proj_size}


class TokenModel(TaskModel):
    """Token ids in, class scores at every step out (embedding -> core -> readout)."""

    def __init__(self, kind: str, vocab_size: int, num_classes: int, embed_size: int = 16,
                 hidden_size: int = 32, num_layers: int = 1, bidirectional: bool = False,
                 proj_size: int = 0) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self._build_core(kind, embed_size, hidden_size, num_layers, bidirectional, proj_size)
        self.readout = nn.Linear(self.spec.out_size * self.spec.num_directions, num_classes)
        self.vocab_size, self.num_classes, self.embed_size = vocab_size, num_classes, embed_size

    def forward(self, tokens: Tensor, hx=None, *, explicit: bool = False) -> Tensor:
        """tokens [batch, time] (int64) -> scores [batch, time, classes]."""
        return self.forward_all(tokens, hx, explicit=explicit)

    def config(self) -> dict[str, Any]:
        s = self.spec
        return {"model": "token", "kind": s.kind, "vocab_size": self.vocab_size, "num_classes": self.num_classes,
                "embed_size": self.embed_size, "hidden_size": s.hidden_size, "num_layers": s.num_layers,
                "bidirectional": s.bidirectional, "proj_size": s.proj_size}


#: Sizes a config may ask for; beyond, it is refused before anything is allocated.
MAX_SIZE = 100_000
MAX_PARAMETERS = 50_000_000


def build_model(config: dict[str, Any]) -> TaskModel:
    """Rebuild a task model (freshly initialised) from its `config()`."""
    if not isinstance(config, dict):
        raise ExplainerError("model config is not a mapping")
    config = dict(config)
    sizes = {k: v for k, v in config.items() if k.endswith("_size") or k in ("num_layers", "num_classes")}
    for key, value in sizes.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_SIZE:
            raise ExplainerError(f"model config has an impossible {key} ({value!r}); the file is damaged")
    hidden = int(config.get("hidden_size", 1) or 1)
    width = max(int(config.get("input_size", 1) or 1), int(config.get("embed_size", 1) or 1))
    params = 4 * hidden * (hidden + width + 2) * int(config.get("num_layers", 1) or 1) * 2 + \
        int(config.get("vocab_size", 0) or 0) * int(config.get("embed_size", 0) or 0)
    if params > MAX_PARAMETERS:
        raise ExplainerError(f"model config asks for about {params:.2g} parameters, far beyond these tasks; the file is damaged")
    try:
        model = config.pop("model")
        if model == "sequence":
            return SequenceModel(**config)
        if model == "token":
            return TokenModel(**config)
    except TypeError as e:
        raise ExplainerError(f"model config is not understood ({e}); the file may come from another version") from None
    except KeyError:
        pass
    raise ExplainerError(f"unknown model type in config: {config!r}")

