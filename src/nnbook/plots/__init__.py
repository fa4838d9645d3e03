"""Matplotlib figures of the book, one module per topic (loaded lazily, like ``nnbook.widgets``)."""

from .._lazy import lazy_namespace

__getattr__, __dir__ = lazy_namespace(__name__, __path__)
