"""Interactive figures of the book (ipywidgets), one module per chapter topic.

Each widget is a function returning an ipywidgets object, so a chapter shows it in one
line: ``nnbook.widgets.neuron_playground()``. Names are looked up lazily in the
submodules' ``__all__``, so importing ``nnbook`` does not import ipywidgets.
"""

from .._lazy import lazy_namespace

__getattr__, __dir__ = lazy_namespace(__name__, __path__)
