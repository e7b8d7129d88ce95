"""From a user's own weights to a model explainer's commands read: `explainer import`.

The user names a factory (`mypackage.models:CharLSTM`, a class or a function that builds
the module with no arguments) and a safetensors state dict (never a pickle: `torch.load`
of a file runs code). The module is built, the weights loaded (every key must match), and
its parts found by what they are: the one recurrent submodule (or the one `--module`
names), the `nn.Embedding` whose width is the recurrent module's input, and the
`nn.Linear` that reads its output. Those become one of our task models (`TokenModel`,
`SequenceModel`) with the same weights, and the conversion is accepted only if our model
computes what the user's does: the same output at every step on a probe input, to 1e-5.
A model that does something else between the parts (a layer norm, a residual) is refused
in one line; `explainer.record(model, x)` records it from Python as it is.

    >>> model = build("tests.user_models:CharLSTM")                          # doctest: +SKIP
    >>> load_weights(model, "char.safetensors")                              # doctest: +SKIP
    >>> ours = convert(model)                                                # doctest: +SKIP
    >>> ours.config()["model"], ours.config()["num_layers"]                  # doctest: +SKIP
    ('token', 2)
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Any

import torch
from torch import nn

from .errors import ExplainerError
from .hooks import recurrent_modules
from .models.spec import CoreSpec
from .models.task_models import SequenceModel, TaskModel, TokenModel
from .models.wrapped import unwrap

#: The first bytes of the files a pickle-based torch.save writes (a zip archive, or a bare pickle).
_PICKLE_MAGIC = (b"PK\x03\x04", b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05")


def build(factory: str) -> nn.Module:
    """`MODULE:NAME` -> the module `NAME()` builds (a class or a function, imported from the current directory too)."""
    module_name, sep, attribute = factory.partition(":")
    if not sep or not module_name or not attribute:
        raise ExplainerError(f"give the factory as MODULE:NAME, e.g. mymodels:CharLSTM; got {factory!r}")
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise ExplainerError(f"cannot import {module_name!r} ({e}); run from the directory that holds it, "
                             "or install it") from None
    except Exception as e:
        raise ExplainerError(f"importing {module_name!r} raised {type(e).__name__}: {e}") from None
    make = module
    for part in attribute.split("."):
        make = getattr(make, part, None)
        if make is None:
            raise ExplainerError(f"{module_name!r} has no {attribute!r}; name a class or function defined in it")
    if not callable(make):
        raise ExplainerError(f"{factory} is a {type(make).__name__}, not a class or function that builds a model")
    try:
        model = make()
    except Exception as e:
        raise ExplainerError(f"{factory}() raised {type(e).__name__}: {e}; the factory must build the model "
                             "with no arguments (write a small function that does)") from None
    if not isinstance(model, nn.Module):
        raise ExplainerError(f"{factory}() returned a {type(model).__name__}, not a torch nn.Module")
    return model


def load_weights(model: nn.Module, path: str | os.PathLike) -> None:
    """Load a safetensors state dict into `model`; every key must match (the first missing and unexpected named)."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except FileNotFoundError:
        raise ExplainerError(f"no weights file '{path}'") from None
    except OSError as e:
        raise ExplainerError(f"cannot read '{path}': {e.strerror}") from None
    if head.startswith(_PICKLE_MAGIC):
        raise ExplainerError(f"'{path}' is a pickle (torch.save), which runs code when read; save the weights "
                             "with safetensors.torch.save_file(model.state_dict(), 'weights.safetensors')")
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    try:
        state = load_file(str(path))
    except (SafetensorError, OSError, ValueError, RuntimeError) as e:
        raise ExplainerError(f"'{path}' is not a safetensors file ({str(e).splitlines()[0]})") from None
    expected = model.state_dict()
    missing = sorted(k for k in expected if k not in state)
    unexpected = sorted(k for k in state if k not in expected)
    if missing or unexpected:
        said = "; ".join(f"{what} {keys[0]!r}" + (f" and {len(keys) - 1} more" if len(keys) > 1 else "")
                         for what, keys in (("missing", missing), ("unexpected", unexpected)) if keys)
        raise ExplainerError(f"the weights in '{path}' do not match {type(model).__name__}'s state dict ({said}); "
                             "build the model they were saved from")
    for key, value in state.items():
        if tuple(value.shape) != tuple(expected[key].shape):
            raise ExplainerError(f"'{path}': {key} has shape {list(value.shape)} but {type(model).__name__} needs "
                                 f"{list(expected[key].shape)}; build the model they were saved from")
        if value.is_floating_point() and not torch.isfinite(value).all():
            raise ExplainerError(f"'{path}': {key} holds NaN or Inf values")
    model.load_state_dict(state)


def convert(model: nn.Module, module: str | None = None, probe_steps: int = 16) -> TaskModel:
    """Our task model with `model`'s weights, checked to compute the same output at every step."""
    found = recurrent_modules(model, module)
    if len(found) > 1:
        raise ExplainerError(f"{type(model).__name__} has {len(found)} recurrent modules ({', '.join(found)}); "
                             "pick one with --module")
    path, held = next(iter(found.items()))
    core = unwrap(held, path)
    spec = CoreSpec.of(core)
    embedding = _one(model, nn.Embedding, lambda m: m.embedding_dim == spec.input_size, "nn.Embedding",
                     f"{spec.input_size} wide")
    readout = _one(model, nn.Linear, lambda m: m.in_features == spec.out_size * spec.num_directions, "nn.Linear",
                   f"reading {spec.out_size * spec.num_directions} features", last=True)
    if readout is None:
        raise ExplainerError(f"{type(model).__name__} has no nn.Linear reading its {path}'s "
                             f"{spec.out_size * spec.num_directions} features; explainer's models end in one "
                             "(record the model from Python with explainer.record(model, x))")
    kwargs = dict(hidden_size=spec.hidden_size, num_layers=spec.num_layers, bidirectional=spec.bidirectional,
                  proj_size=spec.proj_size)
    if embedding is not None:
        ours: TaskModel = TokenModel(spec.kind, vocab_size=embedding.num_embeddings, num_classes=readout.out_features,
                                     embed_size=embedding.embedding_dim, **kwargs)
        ours.embedding.weight.data.copy_(embedding.weight.data)
    else:
        ours = SequenceModel(spec.kind, input_size=spec.input_size, output_size=readout.out_features, **kwargs)
    own_core = {k: v for k, v in core.state_dict().items()}
    ours.core.load_state_dict(own_core)
    ours.readout.weight.data.copy_(readout.weight.data)
    ours.readout.bias.data.copy_(readout.bias.data if readout.bias is not None else torch.zeros(readout.out_features))
    ours = ours.to(next(model.parameters()).device).eval()
    _check_same(model, ours, embedding, spec, probe_steps)
    return ours


def _one(model: nn.Module, cls: type, fits, what: str, detail: str, last: bool = False) -> Any:
    """The submodule of class `cls` that `fits` (the last such, with `last`); None if there is none."""
    hits = [m for _, m in model.named_modules() if isinstance(m, cls) and fits(m)]
    if not hits:
        return None
    if len(hits) > 1 and not last:
        raise ExplainerError(f"{type(model).__name__} has {len(hits)} {what} modules {detail}; explainer's models "
                             "have one (record the model from Python with explainer.record(model, x))")
    return hits[-1]


def _check_same(model: nn.Module, ours: TaskModel, embedding: nn.Module | None, spec: CoreSpec, steps: int) -> None:
    """Our model's output at every step equals the user's, on a probe batch, or a one-line refusal."""
    from .recorder import record

    generator = torch.Generator().manual_seed(0)
    device = next(model.parameters()).device
    if embedding is not None:
        rows = torch.randint(0, embedding.num_embeddings, (2, steps), generator=generator)  # [batch, time]
    else:
        rows = torch.randn(2, steps, spec.input_size, generator=generator)  # [batch, time, input]
    rows = rows.to(device)
    probe = rows if spec.batch_first else rows.transpose(0, 1)  # the layout the user's model reads
    try:
        theirs = record(model, probe, names="output")
    except ExplainerError as e:
        raise ExplainerError(f"cannot run {type(model).__name__} on a probe input to check the import: {e}") from None
    if "output" not in theirs:
        raise ExplainerError(f"{type(model).__name__}'s output is not one value per step, so the import cannot be "
                             "checked; record the model from Python with explainer.record(model, x)")
    mine = record(ours, rows, names="output")  # ours reads [batch, time, ...]
    gap = float(abs(theirs["output"] - mine["output"]).max()) if theirs["output"].shape == mine["output"].shape else None
    if gap is None or gap > 1e-5:
        said = f"by up to {gap:.3g}" if gap is not None else "in shape"
        raise ExplainerError(f"{type(model).__name__} computes something besides embedding -> recurrent module -> "
                             f"linear readout (its output differs from that {said}); record it from Python with "
                             "explainer.record(model, x)")


def read_vocab(path: str | os.PathLike) -> list[str]:
    """The characters of a vocabulary file in id order: a UTF-8 text file, or a JSON list of characters."""
    import json

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ExplainerError(f"no vocabulary file '{path}'") from None
    except UnicodeDecodeError:
        raise ExplainerError(f"'{path}' is not UTF-8 text; give the characters in id order, or a JSON list") from None
    except OSError as e:
        raise ExplainerError(f"cannot read '{path}': {e.strerror}") from None
    chars: Any = list(text)
    if path.suffix.lower() == ".json":
        try:
            chars = json.loads(text)
        except ValueError as e:
            raise ExplainerError(f"'{path}' is not valid JSON ({e}); give a JSON list of characters") from None
    if not isinstance(chars, list) or not chars or not all(isinstance(c, str) and len(c) == 1 for c in chars):
        raise ExplainerError(f"'{path}' is not a list of single characters; give one character per token id")
    repeated = next((c for k, c in enumerate(chars) if c in chars[:k]), None)
    if repeated is not None:
        raise ExplainerError(f"'{path}' lists {repeated!r} twice; each character is one token id")
    return chars


def import_checkpoint(factory: str, weights: str | os.PathLike, *, vocab: str | os.PathLike | None = None,
                      module: str | None = None):
    """A `Checkpoint` of task `imported`: the user's model as one of ours, where it came from, its vocabulary."""
    import hashlib

    from .checkpoint import Checkpoint

    chars = read_vocab(vocab) if vocab is not None else None
    model = build(factory)
    load_weights(model, weights)
    model.eval()
    found = recurrent_modules(model, module)
    ours = convert(model, module)
    if chars is not None:
        size = ours.config().get("vocab_size")
        if size is None:
            raise ExplainerError(f"{factory} reads real-valued inputs, not characters; leave out --vocab")
        if len(chars) != size:
            raise ExplainerError(f"the vocabulary '{vocab}' has {len(chars)} characters but the model's embedding "
                                 f"has {size} token ids; give one character per id")
    digest = hashlib.sha256(Path(weights).read_bytes()).hexdigest()
    meta = {"train": {"task": "imported", "factory": factory, "weights": Path(weights).name,
                      "weights_sha256": digest, "module": next(iter(found))},
            "metrics": {}}
    if chars is not None:
        meta["vocab"] = chars
    return Checkpoint(ours.cpu(), meta)
