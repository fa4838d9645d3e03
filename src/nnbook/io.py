"""Saving a trained model to a file and loading it back (chapter 14).

The file is a NumPy ``.npz`` archive: every parameter array under its name, plus a JSON
description of the architecture, so ``load`` rebuilds the same network.
"""

from __future__ import annotations

import json
import os

import numpy as np

from . import activations
from .layers import Linear, check_layer
from .network import MLP, Sequential

FORMAT = "nnbook-model"
VERSION = 1
BUILT_IN = ("Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Identity")  # the activations a file can name


def _describe(model) -> dict:
    if isinstance(model, MLP):
        return {"class": "MLP", "config": model.get_config()}
    if isinstance(model, Sequential):
        return {"class": "Sequential", "layers": [_describe(layer) for layer in model.layers]}
    name = type(model).__name__
    if type(model) is Linear or getattr(activations, name, None) is type(model) and name in BUILT_IN:
        return {"class": name, "config": model.get_config()}
    raise TypeError(f"cannot save a {name} layer: only nnbook's own layers can be rebuilt from a file "
                    f"(save its arrays with np.savez(path, **model.params) instead)")


def save(model, path) -> None:
    """Write ``model`` (an ``MLP``, a ``Sequential`` of nnbook's layers, nested ones too, or one
    layer) to ``path`` (``.npz``): every array of ``model.params`` under its name."""
    check_layer(model, " as the model")
    meta = {"format": FORMAT, "version": VERSION, "model": _describe(model)}
    with open(path, "wb") as fh:
        np.savez(fh, __nnbook__=np.array(json.dumps(meta)), **model.params)


def _build(desc: dict):
    if desc["class"] == "MLP":
        config = dict(desc["config"])
        init = config.pop("init", "xavier")
        model = MLP(**config, init="zeros")  # the weights come from the file
        model.init = init
        return model
    if desc["class"] == "Sequential":
        return Sequential(*[_build(spec) for spec in desc["layers"]])
    if desc["class"] == "Layer":  # one layer, as files from before nested models wrote it
        return _build(desc["layers"][0])
    if desc["class"] == "Linear":
        return Linear(**{**desc["config"], "init": "zeros"})
    if desc["class"] not in BUILT_IN:
        raise ValueError(f"expected a layer of nnbook's in the file, got {desc['class']!r}")
    return getattr(activations, desc["class"])(**desc["config"])


def _read(path):
    if not os.path.exists(path):
        raise FileNotFoundError(f"no model file at {os.fspath(path)!r}")
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except Exception as exc:
        raise ValueError(f"expected an nnbook model file (.npz) at {os.fspath(path)!r}, could not read it: {exc}") from None
    if "__nnbook__" not in arrays:
        raise ValueError(f"expected an nnbook model file at {os.fspath(path)!r}, got an .npz without nnbook metadata")
    meta = json.loads(str(arrays.pop("__nnbook__")))
    if meta.get("format") != FORMAT or meta.get("version") != VERSION:
        raise ValueError(f"expected {FORMAT} version {VERSION}, got {meta.get('format')} version {meta.get('version')}")
    return meta, arrays


def _renamed(arrays: dict) -> dict:
    """Files written before the book's names keyed a layer's ``W`` as ``"<layer index>.W"``;
    the layers with parameters, in order, are W1, W2, ... (``"0.W"`` → ``"W1"``, ``"2.W"`` → ``"W2"``)."""
    old = [k.partition(".") for k in arrays]
    if not arrays or not all(i.isdigit() and dot for i, dot, _ in old):
        return arrays
    number = {i: l for l, i in enumerate(sorted({int(i) for i, _, _ in old}), start=1)}
    return {f"{name}{number[int(i)]}": arrays[f"{i}.{name}"] for i, _, name in old}


def load_weights(model, path):
    """Copy the parameters stored in ``path`` into ``model``; the shapes and names must match exactly.

    Files saved with the older ``"0.W"``-style keys load too (mapped by the order of the layers).
    """
    _, arrays = _read(path)
    arrays = _renamed(arrays)
    params = model.params
    if set(params) != set(arrays):
        raise ValueError(
            f"the file's parameters {sorted(arrays)} do not match the model's {sorted(params)}"
        )
    for name, p in params.items():
        if arrays[name].shape != p.shape:
            raise ValueError(f"parameter {name!r}: the model expects shape {p.shape}, the file has {arrays[name].shape}")
    for name, p in params.items():
        p[...] = arrays[name]
    return model


def load(path):
    """Rebuild the model saved in ``path`` by ``save``, with its trained parameters."""
    meta, _ = _read(path)
    return load_weights(_build(meta["model"]), path)
