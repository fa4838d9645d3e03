"""The backpropagation stepper of chapter 10: seed 002's 2-2-1 network, one local gradient at a time.

The network: h1 = σ(w1 x1 + w2 x2 + b1), h2 = σ(w3 x1 + w4 x2 + b2),
o1 = σ(w5 h1 + w6 h2 + b3), loss L = (y_true − o1)². The arithmetic is in
:func:`backprop_steps` (testable without widgets): a list of steps, each one local
gradient ∂(node)/∂(input) multiplied into the running product ∂L/∂(input). The widget
steps through that list with a slider and a Play button, highlighting the edge or neuron of the
current step, for a few chosen inputs (:data:`X_VALUES`); every state is computed ahead, so the
published page needs no kernel.
"""

from __future__ import annotations

import html


from ..activations import sigmoid
from ._common import choice, figure_html, new_figure, player, precomputed, readout, real_numbers

__all__ = ["backprop_stepper"]

# The original post's example: x = [−2, −1], every weight 1, every bias 0, y_true = 1.
DEFAULTS = {"x": (-2.0, -1.0), "y_true": 1.0, "w": (1.0,) * 6, "b": (0.0,) * 3}


def forward_221(x=DEFAULTS["x"], y_true=DEFAULTS["y_true"], w=DEFAULTS["w"], b=DEFAULTS["b"]) -> dict:
    """The forward pass: every intermediate value by name (z_h1, h1, z_h2, h2, z_o1, o1, L)."""
    x1, x2 = real_numbers(x, 2, "x")
    (y,) = real_numbers([y_true], 1, "y_true")
    w1, w2, w3, w4, w5, w6 = real_numbers(w, 6, "w (w1 … w6)")
    b1, b2, b3 = real_numbers(b, 3, "b (b1, b2, b3)")
    v = dict(x1=x1, x2=x2, y_true=y, w1=w1, w2=w2, w3=w3, w4=w4, w5=w5, w6=w6, b1=b1, b2=b2, b3=b3)
    v["z_h1"] = w1 * x1 + w2 * x2 + b1
    v["h1"] = float(sigmoid(v["z_h1"]))
    v["z_h2"] = w3 * x1 + w4 * x2 + b2
    v["h2"] = float(sigmoid(v["z_h2"]))
    v["z_o1"] = w5 * v["h1"] + w6 * v["h2"] + b3
    v["o1"] = float(sigmoid(v["z_o1"]))
    v["L"] = (y - v["o1"]) ** 2
    return v


def backprop_steps(x=DEFAULTS["x"], y_true=DEFAULTS["y_true"], w=DEFAULTS["w"], b=DEFAULTS["b"]) -> list[dict]:
    """The backward pass as a list of steps, from ∂L/∂L = 1 back to every weight and bias.

    Each step is a dict with ``target`` (the quantity whose gradient it finds, e.g. "w1"),
    ``source`` (the node the gradient comes from), ``local_name`` and ``local_formula``
    (the local gradient ∂source/∂target, in words), ``local`` (its value), ``upstream``
    (∂L/∂source), ``grad`` = ``upstream · local`` (∂L/∂target, the running product)
    and ``highlight`` (("edge", name), ("neuron", name) or ("bias", name)) for the picture.
    """
    v = forward_221(x, y_true, w, b)
    s_o1 = v["o1"] * (1 - v["o1"])
    s_h1 = v["h1"] * (1 - v["h1"])
    s_h2 = v["h2"] * (1 - v["h2"])
    grads = {"L": 1.0}
    steps = [dict(target="L", source="L", local_name="∂L/∂L", local_formula="1 (the start)", local=1.0,
                  upstream=1.0, grad=1.0, highlight=("neuron", "L"))]

    def step(target, source, local_formula, local, highlight):
        upstream = grads[source]
        grads[target] = upstream * local
        steps.append(dict(target=target, source=source, local_name=f"∂{source}/∂{target}",
                          local_formula=local_formula, local=local, upstream=upstream,
                          grad=grads[target], highlight=highlight))

    step("o1", "L", "−2(y_true − o1)", -2 * (v["y_true"] - v["o1"]), ("edge", "o1-L"))
    step("z_o1", "o1", "σ′(z_o1) = o1(1 − o1)", s_o1, ("neuron", "o1"))
    step("w5", "z_o1", "h1", v["h1"], ("edge", "w5"))
    step("w6", "z_o1", "h2", v["h2"], ("edge", "w6"))
    step("b3", "z_o1", "1", 1.0, ("bias", "b3"))
    for h, wout, s_h, (wa, wb, bias) in (("h1", "w5", s_h1, ("w1", "w2", "b1")),
                                          ("h2", "w6", s_h2, ("w3", "w4", "b2"))):
        step(h, "z_o1", wout, v[wout], ("edge", wout))
        step(f"z_{h}", h, f"σ′(z_{h}) = {h}(1 − {h})", s_h, ("neuron", h))
        step(wa, f"z_{h}", "x1", v["x1"], ("edge", wa))
        step(wb, f"z_{h}", "x2", v["x2"], ("edge", wb))
        step(bias, f"z_{h}", "1", 1.0, ("bias", bias))
    return steps


_POS = {"x1": (0.0, 1.1), "x2": (0.0, -1.1), "h1": (2.6, 1.1), "h2": (2.6, -1.1), "o1": (4.6, 0.0), "L": (6.2, 0.0)}
_EDGES = {"w1": ("x1", "h1"), "w2": ("x2", "h1"), "w3": ("x1", "h2"), "w4": ("x2", "h2"),
          "w5": ("h1", "o1"), "w6": ("h2", "o1"), "o1-L": ("o1", "L")}
_BIAS_OF = {"b1": "h1", "b2": "h2", "b3": "o1"}


def stepper_figure(steps: list[dict], k: int, values: dict):
    """The network with step ``k`` highlighted and the gradients found so far written in red."""
    if not 0 <= k < len(steps):
        raise ValueError(f"expected a step index in 0..{len(steps) - 1}, got {k}")
    current = steps[k]["highlight"]
    found = {s["target"]: s["grad"] for s in steps[: k + 1]}
    fig = new_figure((6.4, 3.9))
    ax = fig.add_subplot()
    hot = "tab:orange"
    for name, (a, c) in _EDGES.items():
        (xa, ya), (xc, yc) = _POS[a], _POS[c]
        on = current == ("edge", name)
        ax.plot([xa, xc], [ya, yc], color=hot if on else "0.6", lw=3.2 if on else 1.2, zorder=1)
        if name in found and name != "o1-L":
            t = {"w1": 0.32, "w4": 0.32, "w5": 0.55, "w6": 0.55}.get(name, 0.68)
            mx, my = xa + t * (xc - xa), ya + t * (yc - ya)
            ax.text(mx, my + 0.14, f"∂L/∂{name} = {found[name]:.4f}", color="tab:red", fontsize=7,
                    ha="center", va="bottom", zorder=4,
                    bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.85))
        elif name != "o1-L":
            t = {"w1": 0.32, "w4": 0.32, "w5": 0.55, "w6": 0.55}.get(name, 0.68)
            ax.text(xa + t * (xc - xa), ya + t * (yc - ya) + 0.12, name, fontsize=7, color="0.35",
                    ha="center", va="bottom", zorder=4)
    for name, (px, py) in _POS.items():
        on = current == ("neuron", name)
        ax.scatter([px], [py], s=900, c="#fde2c4" if on else "#eef4fb", edgecolors=hot if on else "0.3",
                   linewidths=2.5 if on else 1.0, zorder=2)
        ax.text(px, py, name, ha="center", va="center", fontsize=9, zorder=3)
        if name in ("x1", "x2"):
            lines = [f"{name} = {values[name]:g}"]
        else:
            lines = [f"z = {values[f'z_{name}']:.4f}"] if f"z_{name}" in values else []
            lines.append(f"{name} = {values[name]:.4f}")
        for key in (name, f"z_{name}"):
            if key in found and key != "L":
                lines.append(f"∂L/∂{key} = {found[key]:.4f}")
        # The free side of each neuron: above h1, below the others; the hidden neurons'
        # numbers sit right of centre, their bias boxes left of it.
        above = name == "h1"
        x_text, ha = (px + 0.05, "left") if name in ("h1", "h2") else (px, "center")
        ax.text(x_text, py + 0.33 if above else py - 0.33, "\n".join(lines), ha=ha,
                va="bottom" if above else "top", fontsize=6.5, zorder=3, color="0.15")
    for bias, neuron in _BIAS_OF.items():
        px, py = _POS[neuron]
        on = current == ("bias", bias)
        label = f"{bias} = {values[bias]:g}" + (f"\n∂L/∂{bias} = {found[bias]:.4f}" if bias in found else "")
        # h1: above and left of the node; h2: below and left; o1: above
        x_at, y_at, ha, va = {"h1": (px - 0.1, py + 0.36, "right", "bottom"),
                              "h2": (px - 0.1, py - 0.36, "right", "top"),
                              "o1": (px, py + 0.36, "center", "bottom")}[neuron]
        ax.text(x_at, y_at, label, ha=ha, va=va, fontsize=6.5, zorder=3,
                color="tab:red" if bias in found else "0.35",
                bbox=dict(boxstyle="round,pad=0.15", fc="#fde2c4" if on else "white",
                          ec=hot if on else "0.7"))
    ax.set_xlim(-0.7, 6.9)
    ax.set_ylim(-2.5, 2.35)
    ax.set_axis_off()
    ax.set_title(f"Step {k} of {len(steps) - 1}: ∂L/∂{steps[k]['target']}", fontsize=10)
    return fig


def stepper_alt(steps: list[dict], k: int, values: dict) -> str:
    """The text alternative of the picture: the network, the current step and what it found."""
    s = steps[k]
    found = ", ".join(f"∂L/∂{t['target']} = {t['grad']:.4f}" for t in steps[1: k + 1]
                      if t["target"][0] in "wb")
    return (f"The 2-2-1 network: inputs x1 = {values['x1']:g} and x2 = {values['x2']:g}, hidden neurons h1 "
            f"and h2, output o1 and loss L = {values['L']:.4f}. Step {k} of {len(steps) - 1} highlights "
            f"∂L/∂{s['target']} = {s['grad']:.4f}."
            + (f" Parameter gradients found so far: {found}." if found else ""))


def step_html(steps: list[dict], k: int) -> str:
    """The readout: the local gradient of step ``k`` and the running product it gives."""
    s = steps[k]
    if k == 0:
        body = "Start at the loss: ∂L/∂L = <b>1</b>. Each step multiplies in one local gradient."
    else:
        body = (
            f"local gradient {html.escape(s['local_name'])} = {html.escape(s['local_formula'])} = "
            f"<b>{s['local']:.4f}</b><br>"
            f"running product ∂L/∂{s['target']} = ∂L/∂{s['source']} · {html.escape(s['local_name'])} = "
            f"{s['upstream']:.4f} × {s['local']:.4f} = <b>{s['grad']:.4f}</b>"
        )
    return readout(f"Step {k} of {len(steps) - 1}", body)


# The inputs the widget offers: the original post's example first.
X_VALUES = ((-2.0, -1.0), (1.0, 2.0), (3.0, -1.0))


def backprop_state(x, k: int, y_true=DEFAULTS["y_true"], w=DEFAULTS["w"], b=DEFAULTS["b"]) -> str:
    """One state of the stepper as HTML: the readout and the picture of step ``k`` for input ``x``."""
    steps, values = backprop_steps(x, y_true, w, b), forward_221(x, y_true, w, b)
    return step_html(steps, k) + figure_html(stepper_figure(steps, k, values), stepper_alt(steps, k, values))


def backprop_stepper(x=DEFAULTS["x"], y_true=DEFAULTS["y_true"], w=DEFAULTS["w"], b=DEFAULTS["b"]):
    """Step backward through seed 002's 2-2-1 network (defaults: the original post's example).

    Controls: the input (x1, x2) among ``X_VALUES`` (``x`` is the first shown) and the step, a
    slider with a Play button (step 0 is the start). Every state is computed ahead.
    Returns an ``ipywidgets.VBox`` with ``controls`` (dict: "x", "step", "play"), ``view`` (the
    precomputed view; ``view.current()`` is the HTML shown) and ``steps(x)`` (the list from
    :func:`backprop_steps` for input ``x``).
    """
    import ipywidgets as widgets

    x = tuple(real_numbers(x, 2, "x"))
    forward_221(x, y_true, w, b)  # validates the rest
    if x not in X_VALUES:
        raise ValueError(f"expected x among the widget's inputs {X_VALUES}, got {x}")
    n_steps = len(backprop_steps(x, y_true, w, b))
    play, step = player("step", n_steps)
    inputs = choice("input (x1, x2)", X_VALUES, x, labels=[f"({a:g}, {c:g})" for a, c in X_VALUES],
                    kind="toggle")
    view = precomputed([inputs, step], lambda xs, k: backprop_state(xs, k, y_true, w, b))
    box = widgets.VBox([inputs, widgets.HBox([play, step]), view])
    box.controls, box.view = {"x": inputs, "step": step, "play": play}, view
    box.steps = lambda xs=x: backprop_steps(xs, y_true, w, b)
    return box
