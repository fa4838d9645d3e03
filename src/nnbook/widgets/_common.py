"""Pieces shared by the widgets: small figures, labelled controls and precomputed views.

A published page has no kernel, so a widget cannot compute anything when the reader moves a
control. Every widget therefore computes its states ahead, with nnbook, over a few chosen
values of each control, and the browser only chooses which state to show:

* :func:`choice` makes a control (a ``SelectionSlider``, ``ToggleButtons`` or ``Dropdown``)
  over chosen values, with an accessible name; :func:`player` makes a ``Play`` control with a
  slider for a sequence of steps.
* :func:`precomputed` calls a state function for every combination of the controls' values and
  puts the results in nested ``Stack`` widgets; ``jsdlink`` ties each control's ``index`` to the
  ``selected_index`` of the Stacks at its depth, so the static HTML page responds with no
  kernel (and Jupyter, Colab and Binder draw the same links).
* A state is HTML: a figure (:func:`image_html`, a palette PNG with alt text) and a readout.

Figures are made with ``matplotlib.figure.Figure`` (not pyplot), so a widget never touches the
notebook's plotting backend.
"""

from __future__ import annotations

import base64
import contextlib
import html
import io
import itertools
import numbers
from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.figure import Figure

# Figures are drawn small: every state of every widget is stored in its page.
DPI = 80


def new_figure(figsize=(5, 3.2), layout: str | None = "constrained") -> Figure:
    """A figure that belongs to no pyplot backend (laid out by ``layout``, matplotlib's engine)."""
    return Figure(figsize=figsize, layout=layout)


def figure_to_png(fig: Figure, dpi: int = DPI, colors: int = 32) -> bytes:
    """Render a figure to PNG bytes with a palette of at most ``colors`` colours (small files).

    The widgets' figures are lines, dots and a few fills: 32 colours draw them without visible
    banding, in files a quarter smaller than with 128 (every state of a widget is in its page).
    The figure is drawn on an Agg canvas of its own, and its raw RGBA pixels read: not a PNG that
    would be decoded again, nor ``savefig``, whose bookkeeping took a sixth of the time; the same
    pixels, the same file.
    """
    with _agg_canvas(fig, dpi) as canvas:
        canvas.draw()
        raw = bytes(canvas.buffer_rgba())
    # Agg's canvas is the figure's size at this dpi, each side rounded down.
    width, height = int(fig.get_figwidth() * dpi), int(fig.get_figheight() * dpi)
    if len(raw) != width * height * 4:
        raise RuntimeError(f"expected {width}×{height} RGBA pixels from matplotlib, got {len(raw)} bytes")
    return _palette_png(raw, width, height, colors)


def _palette_png(rgba, width: int, height: int, colors: int = 32) -> bytes:
    from PIL import Image

    image = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1).convert("RGB")
    palette = image.quantize(colors=colors, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="png", optimize=True)
    return out.getvalue()


@contextlib.contextmanager
def _agg_canvas(fig: Figure, dpi: float):
    """``fig`` on an Agg canvas of its own at ``dpi``; given back with its own canvas and dpi after."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas_before, dpi_before = fig.canvas, fig.dpi
    try:
        fig.dpi = dpi
        yield FigureCanvasAgg(fig)
    finally:
        fig.dpi = dpi_before
        fig.set_canvas(canvas_before)


def _tick_labels(fig: Figure) -> set[int]:
    """The ids of the tick labels ``fig`` has now (a figure sets their words, and makes more of
    them, as it is drawn)."""
    return {id(label) for ax in fig.get_axes() for axis in ax._axis_map.values()
            for tick in (*axis.majorTicks, *axis.minorTicks) for label in (tick.label1, tick.label2)}


def translated_figures(fig: Figure, locales: Sequence[str], dpi: int = DPI, colors: int = 32) -> dict[str, bytes]:
    """``{"en": PNG, lang: PNG, …}``: ``fig`` drawn in English and with its words in each edition's
    language, cheaply.

    The figure is drawn once as usual but with its words transparent (so laid out, and every text
    placed, exactly as for its English words), and each language's words, English first, are then
    drawn on a copy of those pixels, so that a language costs a few texts, not a figure: the
    English picture is the one :func:`figure_to_png` draws, byte for byte. A legend with words is
    drawn whole over the picture. A figure whose tick labels hold words is drawn in full for each
    edition (``nnbook.plots._l10n.render_translated``). A glyph missing from the fonts is an error,
    as there.
    """
    import matplotlib

    from ..plots import _l10n

    ticks = _tick_labels(fig)
    texts = [t for t in _l10n.worded_texts(fig) if id(t) not in ticks]
    legends = [lg for lg in [*fig.legends, *(ax.get_legend() for ax in fig.get_axes())] if lg is not None]
    owner = {id(t): lg for lg in legends for t in (*lg.get_texts(), lg.get_title())}
    # What is drawn over the words-free picture: each legend with words, whole, and each other text.
    overlays = list({id(a): a for a in (owner.get(id(t), t) for t in texts)}.values())
    # Each overlay and its parts (a legend's frame and keys, an annotation's arrow) with its alpha.
    parts = [(part, part.get_alpha()) for artist in overlays
             for part in [*artist.findobj(), *filter(None, [getattr(artist, "arrow_patch", None)])]]
    engine = fig.get_layout_engine()
    state = [(t, t.get_text(), t.get_fontfamily()) for t in texts]
    pictures = {}
    with _agg_canvas(fig, dpi) as canvas:
        try:
            for part, _ in parts:
                part.set_alpha(0)
            canvas.draw()  # laid out and placed with every word, none of them painted
            for part, alpha in parts:
                part.set_alpha(alpha)
            renderer = canvas.get_renderer()
            width, height = int(renderer.width), int(renderer.height)
            drawn = _tick_labels(fig)
            tick_words = any(id(t) in drawn for t in _l10n.worded_texts(fig))
            if engine is not None:
                fig.set_layout_engine("none")  # the English layout, for the words of every language
            background = canvas.copy_from_bbox(fig.bbox)
            # English, then each edition's words over the same pixels (none without words; drawn
            # in full below when the tick labels hold words).
            editions = [] if tick_words or not texts else list(locales)
            family = _l10n.cjk_font() if editions else None
            words = {"en": None, **{_l10n.EDITIONS[locale]: [(t, _l10n.catalogue(locale).translate(t.get_text()))
                                                             for t in texts] for locale in editions}}
            fallback = [*matplotlib.rcParams["font.sans-serif"], family]
            for lang, new_words in words.items():
                canvas.restore_region(background)
                for text, new in new_words or ():
                    text.set_text(new)
                    text.set_fontfamily(list(dict.fromkeys([*text.get_fontfamily(), family])))
                with (matplotlib.rc_context({"font.sans-serif": fallback}) if new_words else contextlib.nullcontext()), \
                        _l10n.no_missing_glyph():
                    for artist in overlays:
                        artist.draw(renderer)
                pictures[lang] = _palette_png(bytes(canvas.buffer_rgba()), width, height, colors)
        finally:
            for text, before, family_before in state:
                text.set_text(before)
                text.set_fontfamily(family_before)
            for part, alpha in parts:
                part.set_alpha(alpha)
            if engine is not None:
                fig.set_layout_engine(engine)
    if tick_words:
        draw = lambda f: figure_to_png(f, dpi, colors)  # noqa: E731
        pictures.update({_l10n.EDITIONS[locale]: _l10n.render_translated(fig, locale, draw) for locale in locales})
    return pictures


def _is_png(png) -> bool:
    return isinstance(png, (bytes, bytearray)) and bytes(png[:8]) == b"\x89PNG\r\n\x1a\n"


def image_html(png: bytes, alt: str, *, natural_size: bool = False, variants: dict[str, bytes] | None = None) -> str:
    """An ``<img>`` of PNG bytes, inline, with the text alternative ``alt`` (required).

    By default the image shrinks to the column's width. With ``natural_size`` it keeps its pixel
    size, its text as legible on a phone as on a desktop, inside a box that scrolls sideways
    when the column is narrower (the box takes the keyboard focus, so it scrolls with the arrow
    keys too).

    ``variants`` ({"zh-Hans": PNG bytes, ...}) are the same picture with its words in another
    edition's language: each becomes an ``<img data-nnbook-lang="…">`` beside the English one
    (marked ``data-nnbook-lang="en"``), and the book's build keeps only the page's language
    (tools/ui_l10n.py). Without variants the HTML is the plain ``<img>``.
    """
    if not _is_png(png):
        raise TypeError(f"expected png as PNG bytes, got {type(png).__name__}")
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(f"expected alt as a non-empty description of the image, got {alt!r}")
    variants = dict(variants or {})
    for lang, other in variants.items():
        if not _is_png(other):
            raise TypeError(f"expected the {lang} variant as PNG bytes, got {type(other).__name__}")
    alt = html.escape(alt, quote=True)
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")  # the IHDR chunk

    def img(data: bytes, lang: str | None) -> str:
        src = base64.b64encode(bytes(data)).decode("ascii")
        mark = f'data-nnbook-lang="{lang}" ' if lang else ""
        if not natural_size:
            return f'<img {mark}src="data:image/png;base64,{src}" alt="{alt}" style="max-width:100%;height:auto">'
        return (f'<img {mark}src="data:image/png;base64,{src}" alt="{alt}" width="{width}" height="{height}" '
                'style="max-width:none;width:auto;height:auto">')

    images = img(png, "en" if variants else None) + "".join(img(v, lang) for lang, v in variants.items())
    if not natural_size:
        return images
    return ('<div class="nnbook-scroll" tabindex="0" role="group" aria-label="figure, scrolls sideways" '
            f'style="overflow-x:auto;max-width:100%">{images}</div>')


def figure_html(fig: Figure, alt: str, dpi: int = DPI, *, natural_size: bool = False) -> str:
    """A figure as inline HTML (palette PNG at ``dpi``) with its text alternative (see :func:`image_html`).

    When the book's notebooks are executed for the book (``NNBOOK_EDITIONS`` set, see
    ``nnbook.plots._l10n``), a figure with words is drawn again with its words in each edition's
    language, as the image's variants; in Jupyter only the English figure is drawn.
    """
    from ..plots import _l10n

    locales = _l10n.editions()
    variants = translated_figures(fig, locales, dpi=dpi) if locales else {"en": figure_to_png(fig, dpi=dpi)}
    return image_html(variants.pop("en"), alt, natural_size=natural_size, variants=variants)


def _label(value) -> str:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return f"{float(value):g}"
    return str(value)


def choice(description: str, values: Sequence, value=None, *, labels: Sequence[str] | None = None,
           kind: str = "slider"):
    """A control over chosen ``values`` named ``description`` (its accessible name).

    ``kind`` is ``"slider"`` (``SelectionSlider``), ``"toggle"`` (``ToggleButtons``) or
    ``"dropdown"`` (``Dropdown``). ``labels`` are what the reader sees for each value (default:
    the values, numbers written short). ``value`` is the starting value (default: the first).
    """
    import ipywidgets as w

    if not isinstance(description, str) or not description.strip():
        raise ValueError(f"expected description as a non-empty name for the control, got {description!r}")
    values = list(values)
    if not values:
        raise ValueError(f"expected at least one value for control {description!r}, got none")
    labels = [_label(v) for v in values] if labels is None else [str(s) for s in labels]
    if len(labels) != len(values):
        raise ValueError(f"expected one label per value for control {description!r}, "
                         f"got {len(labels)} labels for {len(values)} values")
    if len(set(labels)) != len(labels):
        raise ValueError(f"expected distinct labels for control {description!r}, got {labels}")
    index = 0
    if value is not None:
        matches = [i for i, v in enumerate(values) if v == value]
        if not matches:
            raise ValueError(f"expected the start value of control {description!r} among {labels}, got {value!r}")
        index = matches[0]
    options = list(zip(labels, values))
    common = dict(options=options, index=index, description=description, tooltip=description,
                  style={"description_width": "initial"})
    if kind == "slider":
        # Wide enough that the track keeps its length beside a long description (phones: the column).
        return w.SelectionSlider(continuous_update=True, readout=True,
                                 layout=w.Layout(width="460px", max_width="100%"), **common)
    if kind == "toggle":
        return w.ToggleButtons(**common)
    if kind == "dropdown":
        return w.Dropdown(**common)
    raise ValueError(f"unknown kind {kind!r}; expected one of slider, toggle, dropdown")


def player(description: str, steps, interval: int = 700):
    """A ``Play`` control and a slider linked to it (both labelled), over a sequence of steps.

    ``steps`` is a count (the steps ``0 … steps−1``) or the increasing step numbers themselves
    (e.g. ``(0, 1, 2, 5, 10, 30)``: a long run shown at a few of its steps). Returns
    ``(play, slider)``; the slider is the control :func:`precomputed` links to views.
    """
    import ipywidgets as w

    if isinstance(steps, numbers.Integral) and not isinstance(steps, bool):
        if steps < 1:
            raise ValueError(f"expected steps as a positive integer, got {steps!r}")
        values = list(range(int(steps)))
    else:
        values = list(steps) if isinstance(steps, (list, tuple, range)) else None
        if (not values or any(isinstance(v, bool) or not isinstance(v, numbers.Integral) for v in values)
                or values != sorted(set(values))):
            raise ValueError(f"expected steps as a positive integer or increasing integers, got {steps!r}")
        values = [int(v) for v in values]
    step_slider = choice(description, values)
    play = w.Play(value=0, min=0, max=len(values) - 1, step=1, interval=interval,
                  description=f"play {description}", tooltip=f"play {description}")
    play.link = w.jslink((play, "value"), (step_slider, "index"))
    return play, step_slider


def _values(control) -> list:
    return [v for _, v in control.options]


def precomputed(controls: Sequence, state: Callable[..., str]):
    """A view that shows ``state(v1, v2, …)`` for the values the controls select, with no kernel.

    ``controls`` are selection widgets (from :func:`choice`), one, two or three of them;
    ``state`` returns the HTML of one state (use :func:`figure_html` for pictures). The states
    sit in nested ``Stack`` widgets: control *k* is linked (``jsdlink``, in the browser) to the
    ``selected_index`` of every Stack at depth *k*. The same link is mirrored in Python, so a
    live kernel and the tests see the view follow the controls too.

    Returns the outer ``Stack``, with ``controls``, ``states`` (a dict from value tuples to
    HTML), ``links`` (the ``jsdlink`` objects) and ``current()`` (the HTML shown now).
    """
    import ipywidgets as w

    controls = list(controls)
    if not 1 <= len(controls) <= 3:
        raise ValueError(f"expected one to three controls, got {len(controls)}")
    for c in controls:
        if not hasattr(c, "options") or not hasattr(c, "index"):
            raise TypeError(f"expected selection controls (from choice), got {type(c).__name__}")
    value_lists = [_values(c) for c in controls]
    states: dict[tuple, str] = {}
    for combo in itertools.product(*value_lists):
        text = state(*combo)
        if not isinstance(text, str):
            raise TypeError(f"expected the state function to return HTML as str, got {type(text).__name__}")
        states[combo] = text

    layers: list[list] = [[] for _ in controls]  # the Stacks at each depth
    first = [True]

    def build(depth: int, prefix: tuple):
        if depth == len(controls):
            # The first state carries the style that keeps the sliders' readouts from taking typing
            # where the book's own script does not run (a live kernel in JupyterLab, Colab, Binder):
            # the widget manager draws them as editable boxes whose text moves nothing.
            style, first[0] = (READOUT_STYLE if first[0] else ""), False
            return w.HTML(value=style + states[prefix])
        children = [build(depth + 1, prefix + (v,)) for v in value_lists[depth]]
        stack = w.Stack(children=children, selected_index=controls[depth].index)
        layers[depth].append(stack)
        return stack

    view = build(0, ())
    # The page's script (nnbook-widgets.js) makes the view a polite live region: a screen reader
    # reads the new state when a control changes it.
    view.add_class("nnbook-result")
    links = []
    for control, stacks in zip(controls, layers):
        for stack in stacks:
            links.append(w.jsdlink((control, "index"), (stack, "selected_index")))

        def follow(change, stacks=stacks):
            for s in stacks:
                s.selected_index = change["new"]
        control.observe(follow, names="index")

    def current() -> str:
        node = view
        while isinstance(node, w.Stack):
            node = node.children[node.selected_index]
        return node.value.removeprefix(READOUT_STYLE)

    view.controls, view.states, view.links, view.current = controls, states, links, current
    return view


READOUT_STYLE = ("<style>.widget-slider .widget-readout{-webkit-user-modify:read-only;"
                 "user-modify:read-only;pointer-events:none}</style>")


def readout(*lines: str) -> str:
    """A readout block: lines of already-escaped HTML in a monospace box."""
    return "<div class='nnbook-readout' style='font-family: monospace'>" + "<br>".join(lines) + "</div>"


def real_number(value, name: str) -> float:
    """A finite real number as ``float``; the one check of the widgets' numeric inputs.

    Raises ``TypeError`` when ``value`` is not a real number (``bool`` and strings included) and
    ``ValueError`` when it is infinite or NaN, both naming ``name`` and what came.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"expected {name} as a finite real number, got {value!r} of type {type(value).__name__}")
    if not np.isfinite(value):
        raise ValueError(f"expected {name} as a finite real number, got {value}")
    return float(value)


def real_numbers(values, n: int, name: str) -> list[float]:
    """``n`` finite real numbers (:func:`real_number` each), or a ``ValueError`` for another count."""
    values = [values] if isinstance(values, numbers.Real) else list(values)
    if len(values) != n:
        raise ValueError(f"expected {n} numbers for {name}, got {len(values)}")
    return [real_number(v, f"{name}[{i}]" if n > 1 else name) for i, v in enumerate(values)]
