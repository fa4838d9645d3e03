"""Lazy package namespaces: ``package.name`` finds ``name`` in the ``__all__`` of a submodule."""

from __future__ import annotations

import importlib
import pkgutil


def lazy_namespace(package: str, path):
    def _submodules():
        return [m.name for m in pkgutil.iter_modules(path) if not m.name.startswith("_")]

    def __getattr__(name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        for sub in _submodules():
            module = importlib.import_module(f"{package}.{sub}")
            if name in getattr(module, "__all__", ()):
                return getattr(module, name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        names = []
        for sub in _submodules():
            names.extend(getattr(importlib.import_module(f"{package}.{sub}"), "__all__", ()))
        return sorted(names)

    return __getattr__, __dir__
