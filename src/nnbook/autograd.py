"""A scalar automatic-differentiation engine: ``Value`` (chapter 9) and ``draw`` of its graph.

Every operation on a ``Value`` builds one node of a **computation graph** and records its
*local gradients*: for ``out = f(a, b)`` the numbers ∂out/∂a and ∂out/∂b at the current data.
``backward()`` then applies the chain rule from the output back to the inputs: each node's
gradient is the upstream gradient times the local gradient, summed over every path
(seed 001's path rule)::

    a.grad += (∂out/∂a) · out.grad

Example
-------
>>> from nnbook.autograd import Value
>>> w, x, b = Value(2.0, "w"), Value(3.0, "x"), Value(1.0, "b")
>>> L = (w * x + b).sigmoid()
>>> L.backward()
>>> round(w.grad, 6)   # ∂L/∂w = x·σ(z)(1 − σ(z)) at z = 7
0.002731
"""

from __future__ import annotations

import math
import numbers

__all__ = ["Value", "draw", "graph_figsize", "topological_order"]


def _as_number(x, what: str) -> float:
    """``x`` as a finite float; ``TypeError`` for anything that is not a real number."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"expected a real number for {what}, got {type(x).__name__} {x!r}")
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"expected a finite number for {what}, got {x}")
    return x


class Value:
    """A scalar that remembers how it was computed, so ``backward()`` can differentiate it.

    Parameters
    ----------
    data : float
        The number (an int or float; ``bool`` and non-numbers raise ``TypeError``).
    label : str, optional
        A name shown by ``draw`` ("w1", "z", "L").

    Attributes
    ----------
    data : float
        The value computed by the forward pass.
    grad : float
        ∂L/∂(this value) after ``L.backward()``; 0 before.
    op : str
        The operation that produced it ("+", "×", "exp", …), "" for an input.
    children : tuple of Value
        The operands, in order.
    local_grads : tuple of float
        ∂(this)/∂(each child) at the current data: what the chain rule multiplies by.
    """

    __slots__ = ("data", "grad", "label", "op", "children", "local_grads")

    def __init__(self, data, label: str = ""):
        self.data = _as_number(data, "Value data")
        if not isinstance(label, str):
            raise TypeError(f"expected label as a str, got {type(label).__name__}")
        self.label = label
        self.grad = 0.0
        self.op = ""
        self.children: tuple[Value, ...] = ()
        self.local_grads: tuple[float, ...] = ()

    @classmethod
    def _node(cls, data: float, op: str, children, local_grads) -> "Value":
        if not math.isfinite(data):
            raise ValueError(f"the result of {op} is not a finite number ({data})")
        out = cls(data)
        out.op = op
        out.children = tuple(children)
        out.local_grads = tuple(float(g) for g in local_grads)
        return out

    @staticmethod
    def _lift(other, op: str) -> "Value":
        if isinstance(other, Value):
            return other
        return Value(_as_number(other, f"the other operand of {op}"))

    # ---- arithmetic: each op returns a node with its local gradients -------------------------
    def __add__(self, other):
        """out = a + b; ∂out/∂a = 1, ∂out/∂b = 1 (addition passes the gradient on unchanged)."""
        other = self._lift(other, "+")
        return Value._node(self.data + other.data, "+", (self, other), (1.0, 1.0))

    def __mul__(self, other):
        """out = a·b; ∂out/∂a = b, ∂out/∂b = a (multiplication swaps its inputs)."""
        other = self._lift(other, "×")
        return Value._node(self.data * other.data, "×", (self, other), (other.data, self.data))

    def __neg__(self):
        """out = −a; ∂out/∂a = −1."""
        return Value._node(-self.data, "neg", (self,), (-1.0,))

    def __sub__(self, other):
        """out = a − b; ∂out/∂a = 1, ∂out/∂b = −1."""
        other = self._lift(other, "−")
        return Value._node(self.data - other.data, "−", (self, other), (1.0, -1.0))

    def __truediv__(self, other):
        """out = a / b; ∂out/∂a = 1/b, ∂out/∂b = −a/b². ``ValueError`` when b = 0."""
        other = self._lift(other, "/")
        if other.data == 0.0:
            raise ValueError(f"division by zero: the divisor {other!r} is 0")
        b = other.data
        return Value._node(self.data / b, "/", (self, other), (1.0 / b, -self.data / (b * b)))

    def __radd__(self, other):
        return self._lift(other, "+") + self

    def __rmul__(self, other):
        return self._lift(other, "×") * self

    def __rsub__(self, other):
        return self._lift(other, "−") - self

    def __rtruediv__(self, other):
        return self._lift(other, "/") / self

    def __pow__(self, k):
        """out = aᵏ for a constant number k; ∂out/∂a = k·aᵏ⁻¹.

        ``TypeError`` when k is not a number; ``ValueError`` when k is a ``Value`` (only
        constant exponents are differentiated: write ``(k * a.log()).exp()`` instead), for
        0 raised to a negative power, and for a negative base with a non-integer exponent.
        """
        if isinstance(k, Value):
            raise ValueError(
                "expected a constant number as the exponent, got a Value; "
                "for a^k with k a Value write (k * a.log()).exp()"
            )
        k = _as_number(k, "the exponent")
        a = self.data
        if a == 0.0 and k < 0:
            raise ValueError(f"division by zero: 0 raised to the negative power {k}")
        if a < 0 and not k.is_integer():
            raise ValueError(f"expected an integer exponent for the negative base {a}, got {k}")
        local = 0.0 if k == 0 else k * a ** (k - 1)
        return Value._node(a ** k, f"^{k:g}", (self,), (local,))

    # ---- elementary functions -----------------------------------------------------------------
    def exp(self):
        """out = eᵃ; ∂out/∂a = eᵃ (the function is its own derivative)."""
        if self.data > 709.0:
            raise ValueError(f"exp({self.data}) overflows a float (expected a ≤ 709)")
        e = math.exp(self.data)
        return Value._node(e, "exp", (self,), (e,))

    def log(self):
        """out = ln a; ∂out/∂a = 1/a. ``ValueError`` for a ≤ 0."""
        if self.data <= 0.0:
            raise ValueError(f"expected a positive number for log, got {self.data}")
        return Value._node(math.log(self.data), "log", (self,), (1.0 / self.data,))

    def tanh(self):
        """out = tanh a; ∂out/∂a = 1 − tanh² a."""
        t = math.tanh(self.data)
        return Value._node(t, "tanh", (self,), (1.0 - t * t,))

    def sigmoid(self):
        """out = σ(a) = 1 / (1 + e⁻ᵃ); ∂out/∂a = σ(a)(1 − σ(a))."""
        a = self.data
        if a >= 0:
            s = 1.0 / (1.0 + math.exp(-a))
        else:  # e^a / (1 + e^a): no overflow for very negative a
            e = math.exp(a)
            s = e / (1.0 + e)
        return Value._node(s, "σ", (self,), (s * (1.0 - s),))

    def relu(self):
        """out = max(0, a); ∂out/∂a = 1 for a > 0, else 0 (0 at the kink, as ``nb.relu_prime``)."""
        a = self.data
        return Value._node(max(a, 0.0), "ReLU", (self,), (1.0 if a > 0 else 0.0,))

    # ---- the backward pass --------------------------------------------------------------------
    def backward(self) -> None:
        """Fill ``.grad`` of every node of the graph with ∂(self)/∂(node).

        The gradients of the whole graph are first reset to 0, so calling ``backward()``
        twice gives the same gradients (not doubled ones). Then ``self.grad = 1`` and, in
        reverse topological order (every node after all nodes that use it),
        ``child.grad += local_grad · node.grad``: the chain rule, summed over paths.
        """
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for child, local in zip(node.children, node.local_grads):
                child.grad += local * node.grad

    def __repr__(self) -> str:
        name = f"{self.label}, " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"


def topological_order(root: Value) -> list[Value]:
    """All nodes of ``root``'s graph, each after its children (inputs first, ``root`` last).

    An iterative depth-first search, so a chain of 10⁵ nodes does not hit Python's
    recursion limit.
    """
    if not isinstance(root, Value):
        raise TypeError(f"expected a Value, got {type(root).__name__}")
    order: list[Value] = []
    visited: set[int] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        for child in reversed(node.children):
            if id(child) not in visited:
                stack.append((child, False))
    return order


def _layout(root: Value):
    """Positions: a value of depth d at x = 2.6d, its op circle at x = 2.6d − 1.2; rows centred.

    The depth of a computed value is the longest path from an input; an input (a leaf)
    sits one step before its earliest user, so constants appear next to where they are used.
    """
    order = topological_order(root)
    depth: dict[int, int] = {}
    for node in order:
        if node.children:
            depth[id(node)] = 1 + max(depth.get(id(c), 0) for c in node.children)
    users: dict[int, int] = {}
    for node in order:
        for c in node.children:
            if not c.children:
                users[id(c)] = min(users.get(id(c), depth[id(node)]), depth[id(node)])
    for node in order:
        if not node.children:
            depth[id(node)] = users.get(id(node), 1) - 1
    columns: dict[tuple[int, str], list[Value]] = {}
    for node in order:
        columns.setdefault((depth[id(node)], "value"), []).append(node)
        if node.op:
            columns.setdefault((depth[id(node)], "op"), []).append(node)
    pos = {}
    for (d, kind), nodes in columns.items():
        n = len(nodes)
        for i, node in enumerate(nodes):
            pos[(kind, id(node))] = (2.6 * d - (1.2 if kind == "op" else 0.0), 1.2 * ((n - 1) / 2.0 - i))
    return order, pos, max(depth.values()), max(len(v) for v in columns.values())


def _extent(max_depth: int, n_rows: int):
    return (-0.85, 2.6 * max_depth + 0.85), (-0.6 * n_rows - 0.05, 0.6 * n_rows + 0.05)


def graph_figsize(value: Value, inches_per_unit: float = 0.5, max_width: float = 14.0) -> tuple[float, float]:
    """A figure size (width, height) in inches that fits ``draw(value)`` with little empty space."""
    _, _, max_depth, n_rows = _layout(value)
    (x0, x1), (y0, y1) = _extent(max_depth, n_rows)
    scale = min(inches_per_unit, max_width / (x1 - x0))
    return (x1 - x0) * scale, (y1 - y0) * scale + 0.3


def draw(value: Value, ax=None, *, max_nodes: int = 200, fmt: str = ".4f"):
    """Draw the computation graph of ``value`` with matplotlib: inputs on the left, output on the right.

    Each value is a box showing its label, ``data`` and ``grad``; each operation is a circle
    with its symbol (+, ×, exp, σ, …) between its operands and its result.

    Parameters
    ----------
    value : Value
        The output node (usually the loss L).
    ax : matplotlib Axes, optional
        Where to draw; a new figure sized to the graph when omitted.
    max_nodes : int, default 200
        Larger graphs raise ``ValueError`` (a picture of them would be unreadable).
    fmt : str, default ".4f"
        Number format for data and grad.

    Returns
    -------
    matplotlib Axes
        The boxes are ``FancyBboxPatch`` patches with gid ``"value"``, the op circles
        ``Circle`` patches with gid ``"op"``.
    """
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

    if not isinstance(value, Value):
        raise TypeError(f"expected a Value to draw, got {type(value).__name__}")
    order, pos, max_depth, n_rows = _layout(value)
    if len(order) > max_nodes:
        raise ValueError(f"expected a graph of at most max_nodes={max_nodes} values to draw, got {len(order)}")
    box_w, box_h, r = 1.5, 0.78, 0.27
    x_range, y_range = _extent(max_depth, n_rows)
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=graph_figsize(value), layout="constrained")
    ax.set_xlim(*x_range)
    ax.set_ylim(*y_range)
    ax.set_aspect("equal")
    ax.set_axis_off()
    # Font size from the space a box gets: inches per data unit, with the equal aspect.
    bbox = ax.get_position()
    fig_w, fig_h = ax.figure.get_size_inches()
    per_unit = min(bbox.width * fig_w / (x_range[1] - x_range[0]), bbox.height * fig_h / (y_range[1] - y_range[0]))
    size = float(min(8.0, max(3.5, 16.0 * per_unit)))

    def arrow(p, q):
        ax.add_patch(FancyArrowPatch(p, q, arrowstyle="-|>", mutation_scale=9, color="0.45", lw=0.8,
                                     shrinkA=0, shrinkB=0, zorder=1))

    for node in order:
        x, y = pos[("value", id(node))]
        ax.add_patch(FancyBboxPatch((x - box_w / 2, y - box_h / 2), box_w, box_h,
                                    boxstyle="round,pad=0.02,rounding_size=0.08", gid="value",
                                    facecolor="#eef4fb" if node.op else "#fdf3e1", edgecolor="0.3", lw=0.8,
                                    zorder=2))
        lines = [node.label or " ", f"data {node.data:{fmt}}", f"grad {node.grad:{fmt}}"]
        ax.text(x, y, "\n".join(lines), ha="center", va="center", fontsize=size, zorder=3)
        if node.op:
            ox, oy = pos[("op", id(node))]
            ax.add_patch(Circle((ox, oy), r, gid="op", facecolor="white", edgecolor="0.3", lw=0.8, zorder=2))
            ax.text(ox, oy, node.op, ha="center", va="center", fontsize=size if len(node.op) < 4 else 0.8 * size, zorder=3)
            arrow((ox + r, oy), (x - box_w / 2, y))
            for child in node.children:
                cx, cy = pos[("value", id(child))]
                arrow((cx + box_w / 2, cy), (ox - r, oy))
    return ax
