"""Saving a trained model to a file and loading it back (chapter 14).

The file is a NumPy ``.npz`` archive: every parameter array under its name, plus a JSON
description of the architecture, so ``load`` rebuilds the same network.
"""

from __future__ import annotations

import json
import os

import numpy as np

from . import activations
from .layers import Layer, Linear
from .network import MLP, Sequential

FORMAT = "nnbook-model"
VERSION = 1


def _describe(model: Layer) -> dict:
    if isinstance(model, MLP):
        return {"class": "MLP", "config": model.get_config()}
    layers = model.layers if isinstance(model, Sequential) else [model]
    out = []
    for layer in layers:
        name = type(layer).__name__
        if isinstance(layer, activations.Elementwise) or not hasattr(activations, name) and name != "Linear":
            raise TypeError(f"cannot save a {name} layer: only built-in layers can be rebuilt from a file")
        out.append({"class": name, "config": layer.get_config()})
    return {"class": "Sequential" if isinstance(model, Sequential) else "Layer", "layers": out}


def save(model: Layer, path) -> None:
    """Write ``model`` (an ``MLP``, a ``Sequential`` of built-in layers, or one layer) to ``path`` (``.npz``)."""
    if not isinstance(model, Layer):
        raise TypeError(f"expected an nnbook model, got {type(model).__name__}")
    meta = {"format": FORMAT, "version": VERSION, "model": _describe(model)}
    arrays = {name: p for name, p, _ in model.parameters()}
    with open(path, "wb") as fh:
        np.savez(fh, __nnbook__=np.array(json.dumps(meta)), **arrays)


def _build(desc: dict) -> Layer:
    if desc["class"] == "MLP":
        config = dict(desc["config"])
        init = config.pop("init", "xavier")
        model = MLP(**config, init="zeros")  # the weights come from the file
        model.init = init
        return model
    layers = []
    for spec in desc["layers"]:
        cls = Linear if spec["class"] == "Linear" else getattr(activations, spec["class"])
        config = dict(spec["config"])
        if cls is Linear:
            config["init"] = "zeros"
        layers.append(cls(**config))
    return Sequential(*layers) if desc["class"] == "Sequential" else layers[0]


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


def load_weights(model: Layer, path) -> Layer:
    """Copy the parameters stored in ``path`` into ``model``; the shapes and names must match exactly.

    Files saved with the older ``"0.W"``-style keys load too (mapped by the order of the layers).
    """
    _, arrays = _read(path)
    arrays = _renamed(arrays)
    params = {name: p for name, p, _ in model.parameters()}
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


def load(path) -> Layer:
    """Rebuild the model saved in ``path`` by ``save``, with its trained parameters."""
    meta, _ = _read(path)
    return load_weights(_build(meta["model"]), path)
