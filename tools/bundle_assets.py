"""Bundle the site's JavaScript so that the book works with no network at all.

Run as a script (``make assets`` does), it fetches three packages from the npm registry with
``npm pack`` and unpacks the files the site needs into ``book/_static/vendor/`` (git-ignored):

* MathJax 3 (``mathjax``), which renders the equations;
* RequireJS (``requirejs``), the module loader the widget manager needs;
* the Jupyter widget manager (``@jupyter-widgets/html-manager``), which draws every widget of
  an executed page from the widget state stored in the notebook.

Loaded as a Sphinx extension (``_config.yml`` lists it under ``sphinx.local_extensions``), it
points Sphinx and MyST-NB at those local copies (``mathjax_path`` and ``nb_ipywidgets_js``).
Where the bundle is missing (a machine without npm) it leaves the public CDN defaults in place
and says so in the build log. The same extension keeps the site's pages clean: one copy of each
script tag and a Colab button only where Colab can open the file.

Usage: ``python tools/bundle_assets.py [--force]``
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "book" / "_static"
VENDOR = STATIC / "vendor"
MANIFEST = VENDOR / "manifest.json"

# Pinned versions: the widget manager 1.0.x renders the widget state written by ipywidgets 8.
PACKAGES = {
    "@jupyter-widgets/html-manager": "1.0.15",
    "mathjax": "3.2.2",
    "requirejs": "2.3.8",
}

# Paths inside _static (the form Sphinx's mathjax_path and add_js_file expect).
MATHJAX_JS = "vendor/mathjax/tex-chtml.js"
REQUIRE_JS = "vendor/require.js"
WIDGETS_JS = "vendor/html-manager/embed-amd.js"
# Committed, tiny: tells the widget manager where its font files are (see the file).
WIDGETS_PATH_JS = "nnbook-widgets.js"

REQUIRED_FILES = (MATHJAX_JS, REQUIRE_JS, WIDGETS_JS)

# MathJax's combined components the site does not load (it uses tex-chtml.js only).
MATHJAX_SKIP = ("tex-svg", "tex-mml", "mml-", "tex-chtml-full", "output/svg", "node-main")


def _log(message: str) -> None:
    print(f"bundle_assets: {message}", flush=True)


def bundle_is_complete() -> bool:
    """True when the vendor directory holds every required file at the pinned versions."""
    if not MANIFEST.is_file():
        return False
    try:
        manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if manifest.get("packages") != PACKAGES:
        return False
    return all((STATIC / name).is_file() for name in REQUIRED_FILES)


def _npm_pack(spec: str, dest: Path) -> Path:
    """Download one package tarball from the npm registry (``npm pack``) into ``dest``."""
    result = subprocess.run(
        ["npm", "pack", spec, "--json", "--pack-destination", str(dest)],
        cwd=dest, capture_output=True, text=True, timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"npm pack {spec} failed: {result.stderr.strip()[-500:]}")
    info = json.loads(result.stdout)
    return dest / info[0]["filename"]


def _unpack(tarball: Path, dest: Path) -> Path:
    """Unpack an npm tarball; returns its ``package/`` directory."""
    with tarfile.open(tarball) as tar:
        tar.extractall(dest, filter="data")
    return dest / "package"


def _copy_tree(src: Path, dst: Path, skip=lambda rel: False) -> int:
    count = 0
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src).as_posix()
        if path.is_dir() or skip(rel):
            continue
        target = dst / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        count += 1
    return count


def bundle(force: bool = False) -> bool:
    """Fetch and unpack the packages; True on success, False when npm is unavailable or fails."""
    if bundle_is_complete() and not force:
        _log(f"up to date in {VENDOR.relative_to(ROOT)} ({', '.join(f'{k}@{v}' for k, v in PACKAGES.items())})")
        return True
    if shutil.which("npm") is None:
        _log("npm was not found: the site will load MathJax, RequireJS and the widget manager "
             "from the public CDN, so it needs a network connection to show math and widgets.")
        return False
    with tempfile.TemporaryDirectory(prefix="nnbook-assets-") as tmp:
        tmp = Path(tmp)
        staged = tmp / "vendor"
        try:
            unpacked = {}
            for name, version in PACKAGES.items():
                spec = f"{name}@{version}"
                _log(f"npm pack {spec}")
                tarball = _npm_pack(spec, tmp)
                unpacked[name] = _unpack(tarball, tmp / tarball.stem)
        except (RuntimeError, OSError, ValueError, subprocess.TimeoutExpired) as err:
            _log(f"could not fetch the packages ({err}); the site will load MathJax, RequireJS and "
                 "the widget manager from the public CDN.")
            return False

        manager = unpacked["@jupyter-widgets/html-manager"] / "dist"
        n_manager = _copy_tree(
            manager, staged / "html-manager",
            skip=lambda rel: rel.endswith((".map", ".LICENSE.txt")) or rel in ("embed.js", "libembed-amd.js"),
        )
        n_mathjax = _copy_tree(
            unpacked["mathjax"] / "es5", staged / "mathjax",
            skip=lambda rel: rel.startswith(MATHJAX_SKIP),
        )
        shutil.copy2(unpacked["requirejs"] / "require.js", staged / "require.js")
        # Licences travel with the code.
        for name, pkg in unpacked.items():
            lic = pkg / "LICENSE"
            if lic.is_file():
                shutil.copy2(lic, staged / f"LICENSE-{name.replace('@', '').replace('/', '-')}")
        (staged / "manifest.json").write_text(
            json.dumps({"packages": PACKAGES, "files": {"html-manager": n_manager, "mathjax": n_mathjax}},
                       indent=2) + "\n",
            encoding="utf-8",
        )
        if VENDOR.exists():
            shutil.rmtree(VENDOR)
        VENDOR.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(staged, VENDOR)
    _log(f"bundled {', '.join(f'{k}@{v}' for k, v in PACKAGES.items())} into {VENDOR.relative_to(ROOT)}")
    return True


# --------------------------------------------------------------------------- Sphinx extension

def _use_local_assets(app, config) -> None:
    """config-inited: point MathJax and the widget manager at the bundled copies."""
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    if bundle_is_complete():
        config.mathjax_path = MATHJAX_JS
        config.nb_ipywidgets_js = {
            WIDGETS_PATH_JS: {},
            REQUIRE_JS: {},
            WIDGETS_JS: {},
        }
        logger.info("bundle_assets: MathJax, RequireJS and the widget manager load from _static/vendor")
    else:
        logger.info("bundle_assets: no bundle in book/_static/vendor (run `make assets`, which needs npm); "
                    "MathJax, RequireJS and the widget manager load from the public CDN")


def _dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    """html-page-context: drop repeated script tags.

    sphinx-thebe registers its inline configuration (``const THEBE_JS_URL = ...``) twice under
    Jupyter Book, and a repeated ``const`` is a SyntaxError in the browser.
    """
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen, unique = set(), []
    for js in scripts:
        attributes = getattr(js, "attributes", {}) or {}
        # An inline script may carry filename None or "" (extensions differ): the same tag.
        key = (getattr(js, "filename", str(js)) or "", tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    context["script_files"] = unique


def _colab_for_notebooks_only(app, pagename, templatename, context, doctree) -> None:
    """html-page-context: Colab opens notebooks, not MyST Markdown.

    On a chapter written in Markdown (``book/NN-topic.md``) the Colab button points at the
    chapter's exercise notebook (``exercises/NN-topic.ipynb``) when there is one, and is
    removed otherwise; the chapter itself runs on Binder, with Thebe, or downloaded as .ipynb.
    """
    source = context.get("page_source_suffix", "")
    if source == ".ipynb":
        return
    exercise = ROOT / "exercises" / f"{Path(pagename).name}.ipynb"
    for group in context.get("header_buttons", []):
        if group.get("label") != "launch-buttons":
            continue
        kept = []
        for button in group.get("buttons", []):
            if button.get("text") == "Colab":
                if not exercise.is_file():
                    continue
                # .../github/<org>/<repo>/blob/<branch>/<path of the page source>
                head, tail = button["url"].split("/blob/", 1)
                branch = tail.split("/", 1)[0]
                button = dict(button, text="Colab (exercises)",
                              tooltip="Open this chapter's exercises on Colab",
                              url=f"{head}/blob/{branch}/exercises/{exercise.name}")
            kept.append(button)
        group["buttons"] = kept


def setup(app):
    # Before MyST-NB reads its configuration (builder-inited) and Sphinx's mathjax (page context).
    app.connect("config-inited", _use_local_assets, priority=400)
    # After the theme has added its launch buttons (priority 501) and sphinx-thebe its scripts.
    app.connect("html-page-context", _colab_for_notebooks_only, priority=600)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str]) -> int:
    force = "--force" in argv
    bundle(force=force)
    # A missing npm is not an error: the site then falls back to the CDN (and says so above).
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
