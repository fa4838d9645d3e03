"""The chapters follow the notation page (book/notation.md): one symbol, one meaning.

Each rule below is a use that the notation page rules out, found with a regular expression in
what a reader sees of a chapter's source: the Markdown text and math, and the code of the cells
that are shown (cells tagged ``remove-cell`` or ``remove-input`` are skipped). A collapsed note
whose title names the sources ("About the sources") may quote a source's own notation and is
skipped too. The test runs once per chapter and lists every offending line.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from myst_lines import Block, myst_lines  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
CHAPTERS = sorted(p.stem for p in BOOK.glob("[01][0-9]-*.md"))


# (name, pattern, where, what the notation page says instead). ``where`` is "prose" (text and
# math only) or "all" (code shown on the page too).
RULES = [
    ("alpha-or-gamma", r"α|\\alpha\b|γ|\\gamma\b", "all",
     "α or γ: the learning rate is η (α is only the leaky ReLU's slope)"),
    ("machine-epsilon",
     r"(?:ε|\\epsilon\b|\\varepsilon\b)\s*/\s*h\b|√ε|∛ε|\\sqrt(?:\[3\])?\{?\\(?:var)?epsilon|"
     r"(?:ε|\\epsilon\b|\\varepsilon\b).*(?:machine|floating-point)|"
     r"(?:machine|floating-point).*(?:ε|\\epsilon\b|\\varepsilon\b)", "prose",
     "ε for the spacing of floating-point numbers: ε is only the difference step; write "
     "machine epsilon out in words"),
    ("L-not-the-loss",
     r"\bL\$? layers|\bL-layer|\[L\]|(?:\\dots|\\ldots|…|\.\.\.),\s*L\b|\b2/L\b|"
     r"(?:curvature|Lipschitz constant|Lipschitz)\s+\$?L\b|\bL\s*=\s*10\b",
     "prose", "L for the number of layers or a curvature: L is only the loss"),
    ("plain-L-loss", r"\\partial\s*L\b|∂L\b|\\nabla\s*L\b|(?<!\\mathcal )(?<!\\mathcal)\bL\s*\(\s*(?:\\hat|ŷ|w\b)", "prose",
     "L for the loss: the loss is ℒ ($\\mathcal L$)"),
    ("index-keys", r"""["'`]\d+\.[Wb]["'`]""", "all",
     '"0.W"-style parameter keys: the keys are "W1", "b1", "W2", …'),
    ("label-t", r"\by\s*[−-]\s*t\b|\blabels? \$?t\b|\bone-hot \$?t\b|\bt_k\b", "prose",
     "t for a label: the label is y (and the prediction ŷ)"),
    ("seed-output-names", r"\by_\{?(?:\\text\{|\\mathrm\{)?(?:pred|m|t)\b|\\nabla_\{?y_", "prose",
     "y_pred, y_m, y_t: the prediction is ŷ, the label y"),
    ("neuron-output-y", r"(?<!\\hat )(?<!\\hat)(?<![\w^\\{])y\s*=\s*(?:f|σ|g|\\sigma)\s*\(\s*(?:z|x|w|W|\\mathbf|\\sum)",
     "prose",
     "y = f(z) for a neuron's output: an output is a (or ŷ for the network's); y is the label"),
    ("layer-index-ell", r"\\ell\b|ℓ", "prose",
     "x_ℓ, W_ℓ: a layer's quantities are W^[l], b^[l], z^[l], a^[l], with l from 1"),
    ("layer-zero-weights", r"[Wb]\^\{?\[0\]|\bW_0\b|\bW_\{0\}", "prose",
     "W^[0] or W_0: layers are numbered from 1 (a^[0] = x is the input)"),
    ("layer-subscript", r"(?<![\w\\])W_\{?[1-9]\}?(?![\w{])|(?<![\w\\])W[₁-₉]", "prose",
     "W_1, W₂: a layer's weights are W^[1], W^[2], …"),
    ("cost-J", r"(?<![\w\\])J\s*(?:=|\(|\\left|\\bigl)|\bcost\s+\$?J\b", "prose",
     "J for the cost: the cost is L, the mean of the examples' losses L^(i)"),
    ("loss-both-sides", r"\\mathcal\s*L\s*=\s*\\frac\s*\{?1\}?\s*\{?m\}?\s*\\sum[^$]*\\mathcal\s*L\s*(?:\\bigl|\\left)?\(|"
     r"ℒ\s*=\s*\(?1/m\)?\s*Σ[^.]*ℒ\s*\(", "prose",
     "L = (1/m) Σ L(…): one example's loss is L^(i); the cost L is their mean"),
    ("natural-log-ln", r"\\ln\b|(?<![\w])ln\s*(?:x\b|a\b|\d|\()", "all",
     "ln: the natural logarithm is written log, as np.log"),
    ("activation-f", r"(?<![\w\\])a\s*=\s*f\s*(?:\(|\\left)|activation(?: function)?\s*(?:\([^)]*\)\s*)?\$f\$|"
     r"applies \$f\$|identity \$f\(z\)", "prose",
     "f for an activation: the activation is g, a = g(z)"),
    ("output-y-threshold", r"(?<!\\hat )(?<!\\hat)(?<![\w^\\{])y\s*>\s*0\.5", "prose",
     "y > 0.5 for a neuron's output: the output is a (ŷ for the network's), y is the label"),
    ("example-subscript", r"ŷ[ᵢⱼₖ]|\\hat\s*\{?y\}?_\{?i\b|\bdz_i\b.*example", "prose",
     "ŷᵢ, ŷ_i for example i: the example's index is a superscript, ŷ^(i)"),
    ("kappa-curvature", r"2\s*/\s*(?:κ|\\kappa)\b|(?:κ|\\kappa)[^.,;]{0,20}\bis\b[^.,;]{0,30}\bcurvature", "prose",
     "κ is the condition number (largest over smallest curvature), not a curvature"),
    ("smallest-positive-float", r"smallest positive float", "prose",
     "the floor np.finfo(float).tiny is the smallest normal positive float, not the smallest positive one"),
]



def _shown_code(block: Block) -> bool:
    return block.directive == "{code-cell}" or (block.fence.startswith("`") and block.directive in ("", "{code}", "{code-block}"))


def _skipped(block: Block) -> bool:
    """A code cell the page hides, or a note about the sources (which may quote their notation)."""
    if block.directive == "{code-cell}":
        return any(re.search(r"remove-(cell|input)", o) for o in block.options)
    return not block.code and re.search(r"source", block.title, re.IGNORECASE) is not None


def visible_lines(text: str):
    """(line number, line, kind) for what a reader sees; kind is "prose" or "code"."""
    for line in myst_lines(text, _shown_code):
        if line.role in ("code", "math", "text") and not any(_skipped(b) for b in line.blocks):
            yield line.number, line.text, "code" if line.role == "code" else "prose"


def violations(text: str) -> list[str]:
    found = []
    for lineno, line, kind in visible_lines(text):
        for name, pattern, where, message in RULES:
            if where == "prose" and kind != "prose":
                continue
            if name == "alpha-or-gamma" and re.search(r"leaky", line, re.IGNORECASE):
                continue
            if re.search(pattern, line):
                found.append(f"line {lineno} [{name}] {message}: {line.strip()[:110]}")
    return found


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_follows_the_notation_page(chapter):
    found = violations((BOOK / f"{chapter}.md").read_text(encoding="utf-8"))
    assert not found, f"{chapter}: {len(found)} uses the notation page rules out:\n" + "\n".join(found)


def test_the_chapters_are_found():
    assert len(CHAPTERS) >= 10, CHAPTERS


# --- the rules themselves: each catches what it is meant to catch and lets the right use pass

RULE_CASES = [
    ("alpha-or-gamma", "From w₀ = −1 with α = 0.1:", "From w₀ = −1 with η = 0.1:"),
    ("alpha-or-gamma", r"$w \leftarrow w - \alpha\,\nabla \mathcal L(w)$", r"$w \leftarrow w - \eta\,\nabla \mathcal L(w)$"),
    ("machine-epsilon", "grows like ε/h, where ε is the spacing of floating-point numbers",
     "grows like u/h, where u is the spacing of floating-point numbers"),
    ("machine-epsilon", "the rule of thumb h ≈ √ε", r"$f'(z) \approx (f(z + \varepsilon) - f(z - \varepsilon))/(2\varepsilon)$"),
    ("L-not-the-loss", "A network with $L$ layers of weights", "A network with three layers of weights"),
    ("L-not-the-loss", r"for $l = 1, \dots, L$", r"for $l = 1, 2, 3$"),
    ("L-not-the-loss", "for a quadratic with largest curvature L", "for a quadratic with largest curvature λ"),
    ("plain-L-loss", r"the slope $\partial L/\partial w$", r"the slope $\partial\mathcal L/\partial w$"),
    ("index-keys", 'the gradient `grads["0.W"]`', 'the gradient `grads["W1"]`'),
    ("label-t", "its gradient is y − t", "its gradient is ŷ − y"),
    ("seed-output-names", r"$\nabla_{y_m} f = y_m - y_t$", r"$\partial\mathcal L/\partial \hat y = \hat y - y$"),
    ("neuron-output-y", "the neuron computes y = g(z)", "the neuron computes a = g(z)"),
    ("neuron-output-y", r"its output is $y = \sigma(z)$", r"its prediction is $\hat y = \sigma(z)$"),
    ("layer-index-ell", r"$\mathbf x_\ell = \sigma(\mathbf z_\ell)$", r"$\mathbf a^{[l]} = \sigma(\mathbf z^{[l]})$"),
    ("layer-zero-weights", "$W^{[0]}$ is the first matrix", "$W^{[1]}$ is the first matrix"),
    ("layer-subscript", r"two layers $\mathbf z_1 = W_1\mathbf x + \mathbf b_1$", r"two layers $\mathbf z^{[1]} = W^{[1]}\mathbf x + \mathbf b^{[1]}$"),
    ("layer-subscript", "the product W₂W₁", r"the product $W_{\text{output}}W^{[1]}$"),
    ("cost-J", r"the cost $J = \frac1m\sum_i \mathcal L^{(i)}$", r"the cost $\mathcal L = \frac1m\sum_i \mathcal L^{(i)}$ (some texts call it $J$)"),
    ("loss-both-sides", r"$\mathcal L = \frac1m\sum_{i=1}^{m} \mathcal L\bigl(\hat y^{(i)}, y^{(i)}\bigr)$",
     r"$\mathcal L = \frac1m\sum_{i=1}^{m} \mathcal L^{(i)}$"),
    ("natural-log-ln", r"$(a^x)' = a^x \ln a$", r"$(a^x)' = a^x \log a$"),
    ("natural-log-ln", "(ln x)′ = 1/x", "(log x)′ = 1/x, and the kiln is hot"),
    ("activation-f", r"$a = f(z)$, the activation function $f$", r"$a = g(z)$, the activation function $g$"),
    ("output-y-threshold", "switches the neuron on ($z > 0$, so $y > 0.5$)", r"switches the neuron on ($z > 0$, so $a > 0.5$, or $\hat y > 0.5$)"),
    ("example-subscript", "ℒ = (1/m) Σᵢ (ŷᵢ − yᵢ)²", "ℒ = (1/m) Σᵢ (ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)²"),
    ("example-subscript", r"$dz_i = \hat y_i - y_i$", r"$dz^{(i)} = \hat y^{(i)} - y^{(i)}$, outputs $\hat y_1, \hat y_2$"),
    ("kappa-curvature", "above 2/κ = 0.2 (κ = 10 is the bowl's steeper curvature)", "above $2/10 = 0.2$, set by the steeper curvature 10; κ is the condition number"),
    ("smallest-positive-float", "floors the argument at the smallest positive float", "floors it at the smallest normal positive float"),
]


@pytest.mark.parametrize("rule, wrong, right", RULE_CASES, ids=[f"{c[0]}-{k}" for k, c in enumerate(RULE_CASES)])
def test_each_rule_catches_its_case(rule, wrong, right):
    assert any(f"[{rule}]" in v for v in violations(wrong + "\n")), f"{rule} missed: {wrong}"
    assert not violations(right + "\n"), f"flagged a right use: {right}: {violations(right)}"


def test_every_rule_has_a_case():
    assert {r[0] for r in RULES} == {c[0] for c in RULE_CASES}


def test_hidden_cells_and_source_notes_are_skipped_and_shown_code_is_read():
    text = "\n".join([
        "```{code-cell} ipython3", ":tags: [remove-cell]", "lr_alpha = 'α'", "```",
        ":::{dropdown} About the sources", "Seed 001 writes α for the learning rate.", ":::",
        "```{code-cell} ipython3", "print(grads['0.W'])", "```",
        ":::{admonition} Answer", ":class: dropdown", "with α = 0.1", ":::",
    ]) + "\n"
    found = violations(text)
    assert len(found) == 2, found
    assert "[index-keys]" in found[0] and "[alpha-or-gamma]" in found[1]


def test_the_notation_page_lists_each_symbol_once():
    text = (BOOK / "notation.md").read_text(encoding="utf-8")
    section = text.split("(notation-book)=", 1)[1].split("\n(", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| $")]
    assert len(rows) >= 10, "the notation table was not found"
    symbols = [row.split("|")[1].strip() for row in rows]
    assert len(symbols) == len(set(symbols)), f"a symbol is listed twice: {symbols}"
    table = "\n".join(rows)
    for wanted in (r"\eta", r"\hat y", r"\varepsilon", "W^{[l]}", "L"):
        assert wanted in table, f"the notation table does not list {wanted}"
    assert r"\alpha" not in table.split(r"\eta", 1)[1].split("\n", 1)[0], "η is the one learning rate"
