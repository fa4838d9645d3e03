"""Gradient descent, one step at a time (chapter 8): w ← w − α ∇L(w).

``gradient_descent_stepper()`` runs gradient descent on a 1-D curve or a 2-D elongated bowl
and shows the path and the current loss; a learning-rate slider shows the three regimes (too
small, right, divergent). The arithmetic lives in plain functions, testable without widgets.
"""

from __future__ import annotations

import html

import numpy as np

from ._common import figure_to_png, new_figure

__all__ = ["gradient_descent_stepper"]


class Problem:
    """A loss with its gradient: ``f(w)`` and ``grad(w)`` for ``w`` of shape ``(dim,)``."""

    def __init__(self, name, dim, f, grad, start, box, lr_stable):
        self.name, self.dim, self.f, self.grad = name, dim, f, grad
        self.start, self.box, self.lr_stable = start, box, lr_stable


# 2-D bowl f(w) = ½ (w₁² + κ w₂²): the gradient's Lipschitz constant is L = κ, so α < 2/κ is stable.
BOWL_KAPPA = 10.0
PROBLEMS = {
    "1-D curve": Problem(
        "1-D curve: f(w) = w⁴/4 − w² + w/2", 1,
        lambda w: float(w[0] ** 4 / 4 - w[0] ** 2 + w[0] / 2),
        lambda w: np.array([w[0] ** 3 - 2 * w[0] + 0.5]),
        (2.0,), ((-2.5, 2.5),), None,
    ),
    "2-D bowl": Problem(
        "2-D bowl: f(w) = ½(w₁² + 10 w₂²)", 2,
        lambda w: float(0.5 * (w[0] ** 2 + BOWL_KAPPA * w[1] ** 2)),
        lambda w: np.array([w[0], BOWL_KAPPA * w[1]]),
        (-2.5, 1.0), ((-3.0, 3.0), (-1.5, 1.5)), 2 / BOWL_KAPPA,
    ),
}


def _check_problem(name):
    if name not in PROBLEMS:
        raise ValueError(f"expected a problem among {list(PROBLEMS)}, got {name!r}")
    return PROBLEMS[name]


def descent_path(problem: str, start, lr: float, steps: int) -> np.ndarray:
    """The iterates w₀, w₁, …, w_steps of w ← w − lr ∇f(w); shape ``(steps + 1, dim)``.

    Iterates that overflow are kept as ``inf``/``nan`` (a divergent run), not raised.
    """
    p = _check_problem(problem)
    w = np.asarray(start, dtype=float).reshape(-1)
    if w.shape != (p.dim,):
        raise ValueError(f"expected a start point of {p.dim} coordinates for {problem!r}, got shape {w.shape}")
    if isinstance(lr, bool) or not isinstance(lr, (int, float, np.floating)) or not lr > 0:
        raise ValueError(f"expected a learning rate lr > 0, got {lr!r}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"expected steps as an integer ≥ 0, got {steps!r}")
    path = [w.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(int(steps)):
            w = w - lr * p.grad(w)
            path.append(w.copy())
    return np.array(path)


def path_losses(problem: str, path) -> np.ndarray:
    p = _check_problem(problem)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.array([p.f(w) for w in np.asarray(path, dtype=float)])


def readout_html(problem: str, path, lr: float) -> str:
    p = _check_problem(problem)
    path = np.asarray(path, dtype=float)
    w = path[-1]
    loss = path_losses(problem, path[-1:])[0]
    with np.errstate(over="ignore", invalid="ignore"):
        gnorm = float(np.linalg.norm(p.grad(w)))
    coords = ", ".join(f"{v:.4g}" for v in w)
    text = (f"step {len(path) - 1}: w = ({coords}), loss = {loss:.6g}, "
            f"|∇f(w)| = {gnorm:.4g}, learning rate α = {lr:.4g}")
    if p.lr_stable is not None:
        verdict = "converges" if lr < p.lr_stable else "diverges"
        text += f"; on this bowl α &lt; 2/L = {p.lr_stable:.3g} converges, so this α {verdict}"
    if not np.isfinite(loss):
        text += " (the iterates overflowed)"
    return html.escape(p.name) + "<br>" + text


def draw_path(problem: str, path) -> bytes:
    p = _check_problem(problem)
    path = np.asarray(path, dtype=float)
    fig = new_figure((5, 3.4))
    ax = fig.add_subplot()
    finite = path[np.all(np.isfinite(path), axis=1)]
    if p.dim == 1:
        (lo, hi), = p.box
        grid = np.linspace(lo, hi, 400)
        ax.plot(grid, [p.f(np.array([g])) for g in grid], color="black", lw=1.5)
        shown = finite[(finite[:, 0] >= lo) & (finite[:, 0] <= hi)]
        ys = [p.f(w) for w in shown]
        ax.plot(shown[:, 0], ys, "o-", color="tab:red", ms=4, lw=1)
        if len(shown):
            ax.plot(shown[-1, 0], ys[-1], "o", color="tab:blue", ms=8)
        ax.set_xlim(lo, hi)
        ax.set_xlabel("w")
        ax.set_ylabel("f(w)")
    else:
        (x0, x1), (y0, y1) = p.box
        gx, gy = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
        gz = 0.5 * (gx ** 2 + BOWL_KAPPA * gy ** 2)
        ax.contour(gx, gy, gz, levels=np.geomspace(0.02, 20, 12), colors="0.6", linewidths=0.8)
        ax.plot(finite[:, 0], finite[:, 1], "o-", color="tab:red", ms=4, lw=1)
        ax.plot(finite[-1, 0], finite[-1, 1], "o", color="tab:blue", ms=8)
        ax.plot(0, 0, "k+", ms=10)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_xlabel("w₁")
        ax.set_ylabel("w₂")
    ax.set_title(f"{p.name}: {len(path) - 1} steps", fontsize=9)
    return figure_to_png(fig)


def gradient_descent_stepper(problem: str = "2-D bowl", lr: float = 0.1, steps: int = 0):
    """A widget: step gradient descent by hand and watch the path and the loss.

    Controls: the problem, the learning rate α, the number of steps (a slider, and a "step" button
    that adds one), and the start point. Returns a ``VBox`` with ``.sliders`` (``"lr"``,
    ``"steps"``, ``"w1"``, ``"w2"``), ``.problem`` (dropdown), ``.step_button``, ``.reset_button``,
    ``.readout`` (HTML), ``.image`` (PNG) and ``.path()`` (the current iterates).
    """
    import ipywidgets as w

    p = _check_problem(problem)
    descent_path(problem, p.start, lr, steps)  # validates lr and steps
    dropdown = w.Dropdown(options=list(PROBLEMS), value=problem, description="problem")
    lr_slider = w.FloatSlider(value=lr, min=0.005, max=1.0, step=0.005, description="learning rate α",
                              continuous_update=False, readout_format=".3f", style={"description_width": "initial"})
    steps_slider = w.IntSlider(value=steps, min=0, max=100, description="steps", continuous_update=False)
    w1 = w.FloatSlider(value=p.start[0], min=-2.5, max=2.5, step=0.1, description="start w₁", continuous_update=False)
    w2 = w.FloatSlider(value=p.start[1] if p.dim == 2 else 0.0, min=-1.5, max=1.5, step=0.1,
                       description="start w₂", continuous_update=False, disabled=p.dim == 1)
    step_button = w.Button(description="step")
    reset_button = w.Button(description="reset")
    readout = w.HTML()
    image = w.Image(format="png")

    def current_path():
        name = dropdown.value
        start = [w1.value] if PROBLEMS[name].dim == 1 else [w1.value, w2.value]
        return descent_path(name, start, lr_slider.value, steps_slider.value)

    def redraw(*_):
        path = current_path()
        readout.value = readout_html(dropdown.value, path, lr_slider.value)
        image.value = draw_path(dropdown.value, path)

    def on_problem(change):
        q = PROBLEMS[change["new"]]
        w2.disabled = q.dim == 1
        if steps_slider.value != 0:
            steps_slider.value = 0  # triggers redraw
        else:
            redraw()

    def on_step(_):
        if steps_slider.value < steps_slider.max:
            steps_slider.value += 1  # triggers redraw

    def on_reset(_):
        if steps_slider.value == 0:
            redraw()
        steps_slider.value = 0

    for control in (lr_slider, steps_slider, w1, w2):
        control.observe(redraw, names="value")
    dropdown.observe(on_problem, names="value")
    step_button.on_click(on_step)
    reset_button.on_click(on_reset)
    box = w.VBox([dropdown, lr_slider, w.HBox([steps_slider, step_button, reset_button]), w1, w2, readout, image])
    redraw()
    box.sliders = {"lr": lr_slider, "steps": steps_slider, "w1": w1, "w2": w2}
    box.problem = dropdown
    box.step_button = step_button
    box.reset_button = reset_button
    box.readout = readout
    box.image = image
    box.path = current_path
    return box

