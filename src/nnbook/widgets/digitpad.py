"""The digit pad of chapter 14: the reader draws a digit, the trained network reads it.

The 8×8 digits of scikit-learn were made from 32×32 black-and-white bitmaps, each digit scaled
to fill the box, then counted in 4×4 blocks: a pixel of the 8×8 image is the number of inked
bitmap pixels in its block, 0–16. The pad does the same with the reader's strokes
(:func:`rasterize`, then :func:`reduce_bitmap`), divides by 16 as ``nb.datasets.digits`` does,
and runs the trained network on the 64 numbers.

The pad can be drawn on from the keyboard too: with the pad focused, a pen cursor (a ring, not
part of the drawing) starts at the centre; the arrow keys move it by :data:`KEY_STEP` of the
side (with Shift, :data:`KEY_STEP_FINE`), staying at least :data:`KEY_STEP` from the pad's
edges, so that the cursor and the stroke stay in view; Space or Enter puts the pen
down, starting a stroke at the cursor, or lifts it; while it is down each move adds the cursor's
point to the stroke, as a pointer's move does. Delete or Backspace clears the pad.

This is the one figure of the book that computes in the browser: a drawing cannot be computed
ahead. The network's parameters are exported at build time (:func:`export_layers`) and the page
runs the forward pass, ``z = W x + b`` per layer and a softmax, in a few lines of JavaScript
(:data:`PAD_JS`) on float64 numbers, so it gives ``softmax(model.predict(x))`` up to rounding.
Python's :func:`rasterize` and :func:`reduce_bitmap` are the reference the browser test compares
the page with.
"""

from __future__ import annotations

import base64
import hashlib
import json
from html import escape

import numpy as np

from ..activations import Identity, ReLU
from ..layers import Layer, Linear

__all__ = ["digit_pad"]

SIZE = 32        # the bitmap's side, in pixels
BLOCK = 4        # a pixel of the 8×8 image counts a 4×4 block of the bitmap
PEN_RADIUS = 3.0  # bitmap pixels: strokes about 6 pixels wide, like the training digits
MIN_EXTENT = 0.1  # of the pad's side: a dot or a tiny scribble is not blown up to fill the box
KEY_STEP = 1 / 16       # of the pad's side: an arrow key moves the keyboard's pen this far
KEY_STEP_FINE = 1 / 64  # Shift and an arrow key: a finer step (both exact in binary)


def rasterize(strokes, size: int = SIZE, pen_radius: float = PEN_RADIUS) -> np.ndarray:
    """The reader's strokes as a ``(size, size)`` bitmap of 0s and 1s, the digit scaled to fill it.

    ``strokes`` is a list of strokes, each a sequence of ``(x, y)`` points in the pad's unit
    square (x to the right, y downwards). The strokes' bounding box is scaled (aspect kept) so
    that its longer side spans ``size - 2 * pen_radius`` pixels, and centred. A pixel is inked
    when its centre lies within ``pen_radius`` of a stroke.
    """
    segments = _segments(strokes)
    bitmap = np.zeros((size, size), dtype=np.uint8)
    if len(segments) == 0:
        return bitmap
    points = segments.reshape(-1, 2)
    lo, hi = points.min(axis=0), points.max(axis=0)
    scale = (size - 2 * pen_radius) / max(hi[0] - lo[0], hi[1] - lo[1], MIN_EXTENT)
    segments = (segments - (lo + hi) / 2) * scale + size / 2
    centres = np.stack(np.meshgrid(np.arange(size) + 0.5, np.arange(size) + 0.5), axis=-1).reshape(-1, 1, 2)
    a, b = segments[:, 0], segments[:, 1]                  # (n_segments, 2) each
    ab = b - a
    length2 = np.maximum((ab ** 2).sum(axis=1), 1e-12)
    t = np.clip(((centres - a) * ab).sum(axis=-1) / length2, 0.0, 1.0)
    nearest = a + t[..., None] * ab                         # (size², n_segments, 2)
    dist2 = ((centres - nearest) ** 2).sum(axis=-1).min(axis=1)
    bitmap.ravel()[:] = dist2 <= pen_radius ** 2
    return bitmap


def _segments(strokes) -> np.ndarray:
    """The strokes as an array of segments ``(n, 2, 2)``; a single point is a segment of length 0."""
    if isinstance(strokes, np.ndarray) or not isinstance(strokes, (list, tuple)):
        raise TypeError(f"expected strokes as a list of point lists [[(x, y), ...], ...], got {type(strokes).__name__}")
    segments = []
    for k, stroke in enumerate(strokes):
        pts = np.asarray(stroke, dtype=float)
        if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) == 0:
            raise ValueError(f"expected stroke {k} as a non-empty list of (x, y) points, got shape {pts.shape}")
        if not np.all(np.isfinite(pts)):
            raise ValueError(f"expected finite coordinates in stroke {k}, got {pts.tolist()}")
        if len(pts) == 1:
            pts = np.vstack([pts, pts])
        segments.append(np.stack([pts[:-1], pts[1:]], axis=1))
    return np.concatenate(segments) if segments else np.zeros((0, 2, 2))


def reduce_bitmap(bitmap, block: int = BLOCK) -> np.ndarray:
    """Count the inked pixels of each ``block × block`` block: a 32×32 bitmap gives 64 counts 0–16.

    Returns the counts row by row, shape ``(size // block) ** 2``, the layout of a row of
    ``nb.datasets.digits(scale=False)``.
    """
    bitmap = np.asarray(bitmap)
    if bitmap.ndim != 2 or bitmap.shape[0] != bitmap.shape[1] or bitmap.shape[0] % block:
        raise ValueError(f"expected a square bitmap whose side is a multiple of {block}, got shape {bitmap.shape}")
    if not np.isin(bitmap, (0, 1)).all():
        raise ValueError("expected a bitmap of 0s and 1s, got other values")
    n = bitmap.shape[0] // block
    return bitmap.reshape(n, block, n, block).sum(axis=(1, 3)).astype(np.float64).ravel()


def pad_features(strokes) -> np.ndarray:
    """The 64 inputs the network gets for a drawing: block counts scaled from 0..16 to [0, 1]."""
    return reduce_bitmap(rasterize(strokes)) / (BLOCK * BLOCK)


def export_layers(model) -> list[dict]:
    """The model's layers as the page's JavaScript runs them.

    Each ``Linear`` layer becomes ``{"type": "linear", "n_in", "n_out", "W", "b"}`` with ``W`` and
    ``b`` as base64 of their float64 bytes (little-endian, ``W`` row by row); a ``ReLU`` becomes
    ``{"type": "relu"}``; ``Identity`` layers are dropped. The model's output must be the
    logits of a ``Linear`` layer: the page applies the softmax itself.
    """
    layers = getattr(model, "layers", None)
    if not isinstance(model, Layer) or not isinstance(layers, list):
        raise TypeError(f"expected a trained nnbook Sequential or MLP, got {type(model).__name__}")
    out = []
    for layer in layers:
        if isinstance(layer, Linear):
            out.append({"type": "linear", "n_in": int(layer.W.shape[1]), "n_out": int(layer.W.shape[0]),
                        "W": _b64(layer.W), "b": _b64(layer.b)})
        elif isinstance(layer, ReLU):
            out.append({"type": "relu"})
        elif not isinstance(layer, Identity):
            raise ValueError(f"expected Linear, ReLU and Identity layers only (the pad's JavaScript runs "
                             f"those), got a {type(layer).__name__}")
    linears = [d for d in out if d["type"] == "linear"]
    if not linears or out[-1]["type"] != "linear":
        raise ValueError("expected a model whose output is the logits of a Linear layer "
                         "(output_activation='identity')")
    if linears[0]["n_in"] != SIZE // BLOCK * SIZE // BLOCK or linears[-1]["n_out"] != 10:
        raise ValueError(f"expected a model with 64 inputs and 10 outputs, got "
                         f"{linears[0]['n_in']} inputs and {linears[-1]['n_out']} outputs")
    return out


def _b64(a) -> str:
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f8").tobytes()).decode("ascii")


class DigitPad:
    """The pad as a notebook output: an HTML canvas and its script (``_repr_html_``).

    Attributes: ``layers`` (see :func:`export_layers`), ``element_id`` and ``html``.
    """

    def __init__(self, layers: list[dict]):
        self.layers = layers
        payload = json.dumps(layers, separators=(",", ":"))
        # Deterministic: the same network gives the same page.
        self.element_id = "nnbook-digitpad-" + hashlib.sha256(payload.encode()).hexdigest()[:12]
        config = json.dumps({"size": SIZE, "block": BLOCK, "penRadius": PEN_RADIUS, "minExtent": MIN_EXTENT,
                             "step": KEY_STEP, "fineStep": KEY_STEP_FINE})
        self.html = (PAD_HTML.replace("@ID@", escape(self.element_id))
                     .replace("@TEXT@", escape(json.dumps(PAD_TEXT, ensure_ascii=False, separators=(",", ":"))))
                     + "<script>" + PAD_JS.replace("@ID@", self.element_id).replace("@CONFIG@", config)
                     .replace("@LAYERS@", payload) + "</script>")

    def _repr_html_(self) -> str:
        return self.html


def digit_pad(model) -> DigitPad:
    """A drawing pad on which the reader writes a digit and ``model`` reads it as they draw.

    ``model``: a trained nnbook network with 64 inputs and 10 logits out, made of ``Linear``,
    ``ReLU`` and ``Identity`` layers (the capstone's ``MLP([64, 128, 10], activation="relu",
    output_activation="identity")``). Works offline in the static book and in Jupyter: the page
    holds the parameters and runs the forward pass itself.
    """
    return DigitPad(export_layers(model))


# What the pad's script writes as the reader draws: a Chinese edition of the book translates these
# (the page's ``data-nnbook-ui`` attribute) with the pad's other words (tools/ui_l10n.py); the
# script fills in {digit}, {p} and {inked}.
PAD_TEXT = {
    "empty": "Draw a digit in the box.",
    "emptyImage": "Your drawing reduced to 8 by 8 pixels: empty so far",
    "reads": "The network reads a {digit} (probability {p}).",
    "image": "Your drawing reduced to 8 by 8 pixels, {inked} of 64 inked",
    "penUp": "Pen up.",
    "penDown": "Pen down.",
}

PAD_HTML = """\
<div id="@ID@" class="nnbook-digitpad" data-nnbook-ui="@TEXT@" style="display:flex;flex-wrap:wrap;gap:1.2em;align-items:flex-start;margin:0.5em 0">
 <div>
  <canvas class="pad" width="256" height="256" role="application" tabindex="0"
   aria-label="Drawing pad: draw one digit here with the mouse, a finger, a pen or the keyboard"
   aria-describedby="@ID@-keys"
   style="display:block;width:256px;height:256px;border:1px solid #888;border-radius:4px;background:#fff;touch-action:none;cursor:crosshair"></canvas>
  <p id="@ID@-keys" class="keys" style="margin:0.3em 0 0 0;max-width:258px;font-size:0.85em">Keyboard: arrow keys move the pen
   (with Shift, finer), Space puts it down or lifts it, Delete clears.</p>
  <span class="pen" aria-live="polite" style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap"></span>
  <div><button type="button" class="clear" style="margin-top:0.4em">Clear the pad</button></div>
 </div>
 <div style="min-width:14em">
  <div style="display:flex;gap:0.8em;align-items:flex-end;margin-bottom:0.4em">
   <canvas class="seen" width="64" height="64" role="img"
    aria-label="Your drawing reduced to 8 by 8 pixels: empty so far"
    style="width:64px;height:64px;border:1px solid #888;image-rendering:pixelated"></canvas>
   <span style="font-size:0.85em">what the network sees: 8×8 pixels</span>
  </div>
  <p class="readout" aria-live="polite" style="margin:0 0 0.3em 0;font-weight:bold">Draw a digit in the box.</p>
  <table class="probs" style="border-collapse:collapse;margin:0;font-size:0.85em;font-family:monospace">
   <caption style="text-align:left;font-family:inherit;font-size:0.95em;padding:0;white-space:nowrap">The network's ten probabilities</caption>
  </table>
 </div>
</div>
"""

# The forward pass, the rasterization and the block counts, mirroring rasterize() and reduce_bitmap().
PAD_JS = r"""
(function () {
  const root = document.getElementById("@ID@");
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "1";
  const C = @CONFIG@;
  const T = JSON.parse(root.dataset.nnbookUi);  // the words the script writes, in the page's language
  const decode = (s) => { const raw = atob(s), bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return new Float64Array(bytes.buffer); };
  const layers = @LAYERS@.map((l) => l.type === "linear" ? {...l, W: decode(l.W), b: decode(l.b)} : l);

  // z = W x + b for each Linear layer, max(z, 0) for each ReLU, then the softmax of the logits.
  function predict(x) {
    let a = Float64Array.from(x);
    for (const l of layers) {
      if (l.type === "relu") { a = a.map((v) => Math.max(v, 0)); continue; }
      const z = new Float64Array(l.n_out);
      for (let i = 0; i < l.n_out; i++) {
        let s = 0;
        for (let j = 0; j < l.n_in; j++) s += l.W[i * l.n_in + j] * a[j];
        z[i] = s + l.b[i];
      }
      a = z;
    }
    const m = Math.max(...a), e = a.map((v) => Math.exp(v - m)), total = e.reduce((p, q) => p + q, 0);
    return Array.from(e, (v) => v / total);
  }

  let strokes = [];
  function bitmap() {
    const n = C.size, r = C.penRadius, out = new Uint8Array(n * n), segs = [];
    for (const s of strokes) {
      const pts = s.length === 1 ? [s[0], s[0]] : s;
      for (let k = 1; k < pts.length; k++) segs.push([pts[k - 1], pts[k]]);
    }
    if (!segs.length) return out;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const [p, q] of segs) for (const [x, y] of [p, q]) {
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
    const scale = (n - 2 * r) / Math.max(x1 - x0, y1 - y0, C.minExtent);
    const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    const S = segs.map(([p, q]) => [(p[0] - cx) * scale + n / 2, (p[1] - cy) * scale + n / 2,
                                    (q[0] - cx) * scale + n / 2, (q[1] - cy) * scale + n / 2]);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const px = j + 0.5, py = i + 0.5;
      for (const [ax, ay, bx, by] of S) {
        const dx = bx - ax, dy = by - ay, len2 = Math.max(dx * dx + dy * dy, 1e-12);
        const t = Math.min(Math.max(((px - ax) * dx + (py - ay) * dy) / len2, 0), 1);
        const ex = px - (ax + t * dx), ey = py - (ay + t * dy);
        if (ex * ex + ey * ey <= r * r) { out[i * n + j] = 1; break; }
      }
    }
    return out;
  }
  // A pixel of the 8×8 image counts the inked pixels of its 4×4 block (0-16); divided by 16.
  function features(bits) {
    const n = C.size, b = C.block, m = n / b, x = new Array(m * m).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++)
      x[Math.floor(i / b) * m + Math.floor(j / b)] += bits[i * n + j];
    return x.map((v) => v / (b * b));
  }

  const pad = root.querySelector("canvas.pad"), seen = root.querySelector("canvas.seen");
  const readout = root.querySelector(".readout"), table = root.querySelector("table.probs");
  const rows = [];
  for (let k = 0; k < 10; k++) {
    const tr = table.insertRow();
    tr.insertCell().textContent = String(k);
    const bar = tr.insertCell(), value = tr.insertCell();
    bar.innerHTML = '<div aria-hidden="true" style="width:8em;height:0.8em;background:#eee">' +
                    '<div style="height:100%;width:0;background:#888"></div></div>';
    bar.style.padding = value.style.padding = "0 0.4em";
    value.textContent = "-";
    rows.push({fill: bar.firstChild.firstChild, value});
  }

  // The keyboard's pen: a cursor in the pad's unit square, shown only while the pad has focus.
  let cursor = [0.5, 0.5], penDown = false;
  const focused = () => document.activeElement === pad;

  // The strokes as drawn, then the keyboard's cursor on top (a ring the pen's width, a dot when
  // the pen is down): drawn on the canvas only, never part of the strokes or the bitmap.
  function paint() {
    const ctx = pad.getContext("2d");
    ctx.clearRect(0, 0, pad.width, pad.height);
    ctx.lineCap = ctx.lineJoin = "round"; ctx.lineWidth = 18; ctx.strokeStyle = "#000";
    for (const s of strokes) {
      ctx.beginPath(); ctx.moveTo(s[0][0] * pad.width, s[0][1] * pad.height);
      for (const [x, y] of s) ctx.lineTo(x * pad.width, y * pad.height);
      ctx.stroke();
    }
    if (!focused()) return;
    const cx = cursor[0] * pad.width, cy = cursor[1] * pad.height;
    ctx.lineWidth = 2; ctx.strokeStyle = ctx.fillStyle = "#c00";
    ctx.beginPath(); ctx.arc(cx, cy, 11, 0, 2 * Math.PI); ctx.stroke();
    ctx.beginPath();
    if (penDown) { ctx.arc(cx, cy, 4, 0, 2 * Math.PI); ctx.fill(); }
    else { ctx.moveTo(cx - 4, cy); ctx.lineTo(cx + 4, cy); ctx.moveTo(cx, cy - 4); ctx.lineTo(cx, cy + 4); ctx.stroke(); }
  }
  const say = (el, text) => { if (el.textContent !== text) el.textContent = text; };

  function show() {
    paint();
    const x = features(bitmap()), g = seen.getContext("2d"), m = Math.sqrt(x.length), c = seen.width / m;
    for (let k = 0; k < x.length; k++) {
      const v = Math.round(255 * (1 - x[k]));
      g.fillStyle = `rgb(${v},${v},${v})`; g.fillRect((k % m) * c, Math.floor(k / m) * c, c, c);
    }
    if (!strokes.length) {
      say(readout, T.empty);
      seen.setAttribute("aria-label", T.emptyImage);
      rows.forEach((r) => { r.fill.style.width = "0"; r.value.textContent = "-"; });
      return;
    }
    const p = predict(x), best = p.indexOf(Math.max(...p));
    say(readout, T.reads.replace("{digit}", String(best)).replace("{p}", p[best].toFixed(3)));
    seen.setAttribute("aria-label", T.image.replace("{inked}", String(x.filter((v) => v > 0).length)));
    rows.forEach((r, k) => { r.fill.style.width = `${(100 * p[k]).toFixed(1)}%`;
      r.fill.style.background = k === best ? "#2a7" : "#888"; r.value.textContent = p[k].toFixed(3); });
  }

  let drawing = false, pending = false;
  const schedule = () => { if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; show(); }); } };
  const point = (ev) => { const box = pad.getBoundingClientRect();
    return [(ev.clientX - box.left) / box.width, (ev.clientY - box.top) / box.height]; };
  pad.addEventListener("pointerdown", (ev) => {
    lift(); drawing = true; pad.setPointerCapture(ev.pointerId); strokes.push([point(ev)]); schedule(); ev.preventDefault(); });
  pad.addEventListener("pointermove", (ev) => {
    if (!drawing) return;
    const s = strokes[strokes.length - 1], p = point(ev), q = s[s.length - 1];
    if (Math.hypot(p[0] - q[0], p[1] - q[1]) > 0.004) { s.push(p); schedule(); }
  });
  const stop = () => { drawing = false; };
  pad.addEventListener("pointerup", stop);
  pad.addEventListener("pointercancel", stop);
  const penStatus = root.querySelector(".pen");
  function lift() { if (penDown) { penDown = false; say(penStatus, T.penUp); } }
  const clear = () => { lift(); strokes = []; show(); };
  root.querySelector("button.clear").addEventListener("click", clear);

  // The keyboard: arrows move the cursor (Shift: the finer step), kept a step inside the pad; Space or
  // Enter puts the pen down (a new stroke at the cursor) or lifts it; Delete or Backspace clears.
  // The keys handled here do not scroll the page; all others (Tab among them) pass through.
  const arrows = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};
  const inside = (v) => Math.min(Math.max(v, C.step), 1 - C.step);  // the ring stays in view
  pad.addEventListener("keydown", (ev) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    if (ev.key in arrows) {
      const [dx, dy] = arrows[ev.key], step = ev.shiftKey ? C.fineStep : C.step;
      const p = [inside(cursor[0] + dx * step), inside(cursor[1] + dy * step)];
      if (p[0] !== cursor[0] || p[1] !== cursor[1]) {
        cursor = p;
        if (penDown) { strokes[strokes.length - 1].push(p.slice()); schedule(); } else paint();
      }
    } else if (ev.key === " " || ev.key === "Enter") {
      if (!ev.repeat) {
        if (penDown) lift();
        else { penDown = true; strokes.push([cursor.slice()]); say(penStatus, T.penDown); }
        schedule();
      }
    } else if (ev.key === "Delete" || ev.key === "Backspace") clear();
    else return;
    ev.preventDefault();
  });
  pad.addEventListener("focus", paint);
  pad.addEventListener("blur", () => { lift(); paint(); });
  show();

  (window.nnbookDigitPads = window.nnbookDigitPads || {})["@ID@"] = {
    predict, clear, features: () => features(bitmap()), bitmap: () => Array.from(bitmap()),
    strokes: () => strokes.map((s) => s.map((p) => p.slice())),
    read: () => ({text: readout.textContent, values: rows.map((r) => r.value.textContent)}),
  };
})();
"""
