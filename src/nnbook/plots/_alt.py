"""Text alternatives for the figures the plotting helpers draw.

A helper that draws into an Axes calls :func:`describe` with a sentence that says what the figure
shows (not its file name). When the figure is displayed in a notebook, the sentences of its Axes,
in order, become the ``alt`` of its PNG: IPython passes a formatter's metadata on with the output,
and MyST-NB, which builds the book, writes ``{"image/png": {"alt": ...}}`` into the page's
``<img alt>``. Outside IPython nothing is installed and the sentences are only kept on the figure.
The same wrapper of the PNG formatter adds, when the notebooks are executed for the book, the
figure drawn in each Chinese edition's language (``nnbook.plots._l10n``).
"""

from __future__ import annotations

_ATTR = "_nnbook_alt"


def describe(ax, text: str, title: str | None = None):
    """Record ``text`` as what ``ax`` shows, after its ``title`` if any; returns ``ax``.

    A second call on the same Axes (two loss curves on one plot) adds its sentence to the first.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"expected text as a non-empty description of the figure, got {text!r}")
    text = text.strip()
    text = f"{title}: {text}" if title else text[0].upper() + text[1:]
    before = getattr(ax, _ATTR, None)
    setattr(ax, _ATTR, f"{before} {text}" if before else text)
    _install_formatter()
    return ax


def alt_text(fig) -> str | None:
    """The text alternative of ``fig``: the descriptions of its Axes, in order (None if none)."""
    parts = [getattr(ax, _ATTR) for ax in fig.get_axes() if getattr(ax, _ATTR, None)]
    return " ".join(parts) if parts else None


def _install_formatter(shell=None) -> None:
    """Wrap the notebook's PNG formatter of matplotlib figures (once) so that a figure's output
    carries what the book needs beside its pixels: its alt text, and, when the notebooks are
    executed for the book (``NNBOOK_EDITIONS``), the same figure drawn in each Chinese edition's
    language (``nnbook.plots._l10n.translated_pngs``). One wrapper serves both."""
    import sys

    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return
        shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    if "matplotlib.figure" not in sys.modules:
        return  # no figure yet, and no inline backend: a later call wraps it
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None and hasattr(pyplot, "_get_backend_mod"):
        # Matplotlib loads pyplot's backend, and the inline backend registers its formatter, only
        # when the first figure is made: a cell that makes one and shows it (plt.show()) would
        # display it before the formatter could be wrapped. Load it now.
        pyplot._get_backend_mod()
    from matplotlib.figure import Figure

    formatter = shell.display_formatter.formatters.get("image/png")
    if formatter is None:
        return
    try:
        current = formatter.lookup_by_type(Figure)
    except KeyError:
        return  # no inline backend yet (it registers when pyplot is imported): the next call wraps it
    if getattr(current, "_nnbook", False):
        return

    def png_for_the_book(fig, _png=current):
        from . import _l10n

        data = _png(fig)
        if data is None:
            return None
        png, metadata = data if isinstance(data, tuple) else (data, {})
        extra = {}
        alt = alt_text(fig)
        if alt:
            extra["alt"] = alt
        extra.update(_l10n.translated_pngs(fig, lambda f: _png_bytes(_png(f))))
        return (png, {**metadata, **extra}) if extra else data

    png_for_the_book._nnbook = True
    formatter.for_type(Figure, png_for_the_book)


def _png_bytes(data) -> bytes:
    """The PNG bytes of what a PNG formatter returned (bytes or base64, maybe with metadata)."""
    import base64

    png = data[0] if isinstance(data, tuple) else data
    return png if isinstance(png, bytes) else base64.b64decode(png)
