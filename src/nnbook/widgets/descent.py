"""Gradient descent, one step at a time (chapter 8): w ← w − η ∇ℒ(w).

``gradient_descent_stepper()`` runs gradient descent on a 2-D elongated bowl or a 1-D curve and
shows the path and the current loss. The arithmetic lives in plain functions, testable without
widgets; the widget computes every step of every run ahead (no kernel is needed). On the bowl
the learning rate moves over :data:`LR_VALUES`, which straddle the threshold 2/κ = 0.2 (too
small, right, divergent); on the curve, which has two valleys, the start point moves over
:data:`START_VALUES`. A step slider with a Play button walks through :data:`MAX_STEPS` steps;
step 0 is the start (the old "reset").
"""

from __future__ import annotations

import html

import numpy as np

from ._common import choice, figure_html, new_figure, player, precomputed, readout

__all__ = ["gradient_descent_stepper"]


class Problem:
    """A loss with its gradient: ``f(w)`` and ``grad(w)`` for ``w`` of shape ``(dim,)``."""

    def __init__(self, name, dim, f, grad, start, box, lr_stable):
        self.name, self.dim, self.f, self.grad = name, dim, f, grad
        self.start, self.box, self.lr_stable = start, box, lr_stable


# 2-D bowl f(w) = ½ (w₁² + κ w₂²): its steeper curvature is κ, so a learning rate η < 2/κ is stable.
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
            f"|∇f(w)| = {gnorm:.4g}, learning rate η = {lr:.4g}")
    if p.lr_stable is not None:
        verdict = "converges" if lr < p.lr_stable else "diverges"
        text += (f"; this bowl's steeper curvature is {BOWL_KAPPA:g}, so η &lt; 2/{BOWL_KAPPA:g} = "
                 f"{p.lr_stable:.3g} converges and this η {verdict}")
    if not np.isfinite(loss):
        text += " (the iterates overflowed)"
    return readout(html.escape(p.name), text)


def path_figure(problem: str, path):
    """The loss (contours on the bowl, the curve in 1-D) with the iterates so far, the last in blue."""
    p = _check_problem(problem)
    path = np.asarray(path, dtype=float)
    fig = new_figure((5, 3.2))
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
    return fig


def path_alt(problem: str, path) -> str:
    """The text alternative of the path figure: where the iterates are and where they went."""
    p = _check_problem(problem)
    path = np.asarray(path, dtype=float)
    where = ", ".join(f"{v:.3g}" for v in path[-1])
    start = ", ".join(f"{v:.3g}" for v in path[0])
    if p.dim == 1:
        text = f"The curve {p.name.split(': ')[1]} with the iterates of gradient descent from w = {start}"
    else:
        text = f"Contours of the bowl {p.name.split(': ')[1]} with the path of gradient descent from ({start})"
    if not np.all(np.isfinite(path[-1])):
        return text + f"; after {len(path) - 1} steps the iterates have overflowed."
    return text + f"; after {len(path) - 1} steps the current point (blue) is at ({where})."


# The values the widget moves over: η straddles the bowl's threshold 2/κ = 0.2.
LR_VALUES = (0.05, 0.1, 0.15, 0.19, 0.21, 0.25)
START_VALUES = (-2.2, -1.0, 0.2, 1.0, 2.2)
CURVE_LR = 0.1
MAX_STEPS = 10
# On the curve the steps shown reach 30, where every start has settled in its valley (from
# w₀ = 0.2, just left of the hump, the iterates creep for ten steps, then slide to w ≈ −1.53).
CURVE_STEPS = (0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30)


def descent_state(problem: str, start, lr: float, steps: int) -> str:
    """One state of the stepper as HTML: the readout and the path after ``steps`` steps."""
    path = descent_path(problem, start, lr, steps)
    return readout_html(problem, path, lr) + figure_html(path_figure(problem, path), path_alt(problem, path))


def gradient_descent_stepper(problem: str = "2-D bowl", lr: float = 0.15, steps: int = 0, start: float = 2.2):
    """A widget: step gradient descent and watch the path and the loss (computed ahead, no kernel).

    On the "2-D bowl" (start (−2.5, 1)) the controls are the learning rate η (``LR_VALUES``; ``lr``
    is the first shown) and the step; on the "1-D curve" (η = ``CURVE_LR``) they are the start
    point w₀ (``START_VALUES``; ``start`` is the first shown) and the step. The step moves over
    0 … ``MAX_STEPS`` on the bowl and over ``CURVE_STEPS`` on the curve, with a slider and a Play
    button (``steps`` is the first shown).

    Returns a ``VBox`` with ``controls`` (dict: "lr" or "start", "step", "play") and ``view``
    (the precomputed view; ``view.current()`` is the HTML shown).
    """
    import ipywidgets as w

    p = _check_problem(problem)
    descent_path(problem, p.start, lr, steps)  # validates lr and steps
    shown = tuple(range(MAX_STEPS + 1)) if p.dim == 2 else CURVE_STEPS
    if steps not in shown:
        raise ValueError(f"expected steps among {shown} (the steps the widget computes), got {steps}")
    play, step = player("step", shown)
    step.index = play.value = shown.index(int(steps))
    if p.dim == 2:
        if lr not in LR_VALUES:
            raise ValueError(f"expected lr among the widget's values {LR_VALUES}, got {lr!r}")
        first = choice("learning rate η", LR_VALUES, lr)
        controls = {"lr": first}
        view = precomputed([first, step], lambda a, k: descent_state(problem, p.start, a, k))
    else:
        if start not in START_VALUES:
            raise ValueError(f"expected start among the widget's values {START_VALUES}, got {start!r}")
        first = choice("start point w₀", START_VALUES, start)
        controls = {"start": first}
        view = precomputed([first, step], lambda w0, k: descent_state(problem, (w0,), CURVE_LR, k))
    controls.update(step=step, play=play)
    box = w.VBox([first, w.HBox([play, step]), view])
    box.controls, box.view = controls, view
    return box
