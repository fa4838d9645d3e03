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


def alt_text(fig, fallback: bool = False) -> str | None:
    """The text alternative of ``fig``: the descriptions of its Axes, in order (None if none).

    With ``fallback``, a figure no helper described is described from what it says itself:
    its titles, axis labels and legend entries (:func:`outline`).
    """
    parts = [getattr(ax, _ATTR) for ax in fig.get_axes() if getattr(ax, _ATTR, None)]
    if parts:
        return " ".join(parts)
    return outline(fig) if fallback else None


def outline(fig) -> str | None:
    """A description of a figure from its own words: the title, and per plot its title, axes and
    legend entries (None when it has none)."""
    sentences = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text().strip():
        sentences.append(suptitle.get_text().strip() + ".")
    plots = [ax for ax in fig.get_axes() if ax.get_label() != "<colorbar>"]
    for ax in plots:
        words = []
        title = ax.get_title() or ax.get_title("left") or ax.get_title("right")
        x, y = ax.get_xlabel(), ax.get_ylabel()
        if x or y:
            words.append("a plot of " + (f"{y} against {x}" if x and y else (y or x)))
        legend = ax.get_legend()
        if legend is not None:
            entries = [t.get_text() for t in legend.get_texts() if t.get_text()]
            if entries:
                words.append("showing " + ", ".join(entries))
        if title or words:
            sentence = (f"{title}: " if title else "") + "; ".join(words)
            sentences.append(sentence.rstrip(": ") + ".")
    if not sentences:
        return None
    head = "A figure of {} plots. ".format(len(plots)) if len(plots) > 1 else ""
    text = head + " ".join(s[0].upper() + s[1:] for s in sentences)
    return text.replace("$", "")


def install() -> None:
    """In a notebook: give every matplotlib figure shown from now on a text alternative, a
    helper's description or else :func:`outline` (run in the kernel at start-up; checked again
    before each cell, since the inline backend may register its own formatter later)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "events"):
        return
    global _FALLBACK
    _FALLBACK = True
    if not getattr(shell, "_nnbook_alt_hook", False):
        shell.events.register("pre_run_cell", lambda *args: _install_formatter())
        shell._nnbook_alt_hook = True
        _follow_figure_formats()
    _install_formatter()


def _follow_figure_formats() -> None:
    """Wrap the inline backend's formatter as soon as it is set (the cell that first imports pyplot
    may show a figure before the next cell starts)."""
    import sys

    from IPython.core import pylabtools

    def follow(select):
        def select_figure_formats(*args, **kwargs):
            select(*args, **kwargs)
            _install_formatter()
        select_figure_formats._nnbook = True
        return select_figure_formats

    if not getattr(pylabtools.select_figure_formats, "_nnbook", False):
        pylabtools.select_figure_formats = follow(pylabtools.select_figure_formats)
    inline = sys.modules.get("matplotlib_inline.backend_inline")
    if inline is not None and not getattr(inline.select_figure_formats, "_nnbook", False):
        inline.select_figure_formats = follow(inline.select_figure_formats)


_FALLBACK = False


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
        alt = alt_text(fig, fallback=_FALLBACK)
        return (data, {"alt": alt}) if data is not None and alt else data

    png_with_alt._nnbook = True
    formatter.for_type(Figure, png_with_alt)
