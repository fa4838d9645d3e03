"""Sphinx extension: a notebook figure's text alternative reaches the page's ``<img alt>``.

In the kernel, ``nnbook.plots`` puts what a figure shows into its output's metadata
(``{"image/png": {"alt": ...}}``, see ``src/nnbook/plots/_alt.py``). MyST-NB writes each output
image to ``_images/<sha256 of its bytes>.png`` but reads only its width and height from that
metadata, and gives the ``<img>`` the file's path as alt text. After the build this extension
reads the executed notebooks (MyST-NB's execution cache, ``_build/.jupyter_cache``, and
``_build/jupyter_execute``), maps each image's hash to its alt text, and writes it into the
pages. An image with no description keeps what MyST-NB wrote. The same walk over the figure
outputs (:func:`figure_outputs`) gives tools/ui_l10n.py each figure's pictures for the Chinese
editions (:func:`figure_variants`).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

_IMG_ALT = re.compile(r'(<img\b[^>]*?\balt=")([^"]*?_images/([0-9a-f]{64})\.png)(")')


def figure_outputs(executed: Path) -> Iterator[tuple[str, dict]]:
    """(sha256 of the PNG, its output's ``image/png`` metadata) for every PNG output of the
    executed notebooks under ``executed``: the one walk the alt texts and the editions' pictures
    are read from."""
    for path in sorted(Path(executed).rglob("*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for cell in nb.get("cells", []):
            for output in cell.get("outputs", []):
                png = output.get("data", {}).get("image/png")
                meta = output.get("metadata", {}).get("image/png", {})
                if isinstance(png, list):
                    png = "".join(png)
                if isinstance(png, str) and isinstance(meta, dict):
                    yield hashlib.sha256(base64.b64decode(png)).hexdigest(), meta


def alt_texts(executed: Path) -> dict[str, str]:
    """{sha256 of a PNG output: its alt text} over the executed notebooks under ``executed``."""
    return {sha: meta["alt"].strip() for sha, meta in figure_outputs(executed)
            if isinstance(meta.get("alt"), str) and meta["alt"].strip()}


def figure_variants(executed: Path) -> tuple[dict[str, dict[str, bytes]], dict[str, list[str]]]:
    """Over the executed notebooks under ``executed``: ({sha256 of a PNG output: {lang: the same
    figure drawn in that edition's language}}, {sha256: the figure's words the UI catalogues lack}),
    from the metadata the kernels' figure formatter wrote (``nnbook.plots._l10n``)."""
    from nnbook.plots._l10n import METADATA_KEY, MISSING_KEY

    variants: dict[str, dict[str, bytes]] = {}
    missing: dict[str, list[str]] = {}
    for sha, meta in figure_outputs(executed):
        if isinstance(meta.get(METADATA_KEY), dict):
            variants[sha] = {lang: base64.b64decode(data) for lang, data in meta[METADATA_KEY].items()}
        if meta.get(MISSING_KEY):
            missing[sha] = list(meta[MISSING_KEY])
    return variants, missing


def fill_alts(page: str, alts: dict[str, str]) -> tuple[str, int]:
    """``page`` with each output image's file-name alt replaced by its description; (page, count)."""
    count = 0

    def replace(match):
        nonlocal count
        alt = alts.get(match.group(3))
        if alt is None:
            return match.group(0)
        count += 1
        return match.group(1) + html.escape(alt, quote=True) + match.group(4)

    return _IMG_ALT.sub(replace, page), count


def _write_alts(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    cache = getattr(app.config, "nb_execution_cache_path", "") or outdir.parent / ".jupyter_cache"
    alts = {**alt_texts(Path(cache)), **alt_texts(outdir.parent / "jupyter_execute")}
    if not alts:
        return
    total = 0
    for page in outdir.rglob("*.html"):
        if "_static" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        new, count = fill_alts(text, alts)
        if count:
            page.write_text(new, encoding="utf-8")
            total += count
    from sphinx.util import logging

    logging.getLogger(__name__).info(f"figure_alt: {total} figures described in their pages")


def setup(app):
    app.connect("build-finished", _write_alts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
