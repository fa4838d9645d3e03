"""Text alternatives for the figures the plotting helpers draw.

A helper that draws into an Axes calls :func:`describe` with a sentence that says what the figure
shows (not its file name). When the figure is displayed in a notebook, the sentences of its Axes,
in order, become the ``alt`` of its PNG: IPython passes a formatter's metadata on with the output,
and MyST-NB, which builds the book, writes ``{"image/png": {"alt": ...}}`` into the page's
``<img alt>``. Outside IPython nothing is installed and the sentences are only kept on the figure.
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


def _install_formatter() -> None:
    """Wrap the notebook's PNG formatter of matplotlib figures so that it adds the figure's alt."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
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

    def png_with_alt(fig, _png=current):
        data = _png(fig)
        alt = alt_text(fig)
        if data is None or not alt:
            return data
        # The formatter below may add metadata of its own (the editions' pictures, _l10n.py).
        png, metadata = data if isinstance(data, tuple) else (data, {})
        return png, {**metadata, "alt": alt}

    png_with_alt._nnbook = True
    png_with_alt._nnbook_l10n = getattr(current, "_nnbook_l10n", False)
    formatter.for_type(Figure, png_with_alt)
