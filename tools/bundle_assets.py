"""Bundle the site's JavaScript so that the book works with no network at all.

Run as a script (``make assets`` does), it fetches packages from the npm registry with
``npm pack`` and unpacks the files the site needs into ``book/_static/vendor/`` (git-ignored):

* MathJax 3 (``mathjax``), which renders the equations (without the input formats, output
  formats and speech languages the site never loads);
* RequireJS (``requirejs``), the module loader the widget manager needs;
* the Jupyter widget manager (``@jupyter-widgets/html-manager``), which draws every widget of
  an executed page from the widget state stored in the notebook (its icon fonts in WOFF2 only,
  the format every current browser reads first);
* Noto Sans SC and TC (``@fontsource/noto-sans-sc``, ``@fontsource/noto-sans-tc``), cut by
  their authors into files of a few hundred characters each: the files that hold a Chinese
  character of the book's sources are copied, with a stylesheet (``vendor/fonts/cjk.css``) that
  declares each file for its characters only (``unicode-range``), so a browser downloads just
  the files a page needs and Chinese terms never show as empty boxes, even on a machine with no
  Chinese font. ``make assets`` bundles them again when a source gains a character they lack.

``python tools/bundle_assets.py --axe`` fetches ``axe-core`` into ``node_modules/axe-core`` instead,
for the accessibility test (``make test`` runs it; the tests fetch it themselves when it is
missing). The site does not ship it, so ``make book`` does not fetch it.

Loaded as a Sphinx extension (``_config.yml`` lists it under ``sphinx.local_extensions``), it
points Sphinx and MyST-NB at those local copies (``mathjax_path`` and ``nb_ipywidgets_js``).
Where the bundle is missing (a machine without npm) it leaves the public CDN defaults in place
and says so in the build log. The same extension keeps the site's pages clean: one copy of each
script tag and a Colab button only where Colab can open the file. After the build it removes from
``_build/html/_static`` what no reader downloads: source maps, the theme's translation catalogues,
TrueType copies of fonts that are also there as WOFF2, and the theme's ``fontawesome.js``, which
``book/_templates/static/webpack-macros.html`` leaves out of the pages.

Usage: ``python tools/bundle_assets.py [--force]`` or ``python tools/bundle_assets.py --axe``
"""

from __future__ import annotations

import json
import re
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
    "@fontsource/noto-sans-sc": "5.3.0",
    "@fontsource/noto-sans-tc": "5.3.0",
}
# The accessibility test's engine (tests/test_accessibility.py); not part of the site.
AXE_PACKAGE = ("axe-core", "4.14.1")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# Paths inside _static (the form Sphinx's mathjax_path and add_js_file expect).
MATHJAX_JS = "vendor/mathjax/tex-chtml.js"
REQUIRE_JS = "vendor/require.js"
WIDGETS_JS = "vendor/html-manager/embed-amd.js"
# Committed, tiny: tells the widget manager where its font files are (see the file).
WIDGETS_PATH_JS = "nnbook-widgets.js"

CJK_CSS = "vendor/fonts/cjk.css"
# How cjk.css declares the font files; a bundle written another way is bundled again.
# 2: each file for the sources' characters it holds (1: for all of the characters it holds).
CJK_CSS_FORMAT = 2

REQUIRED_FILES = (MATHJAX_JS, REQUIRE_JS, WIDGETS_JS, CJK_CSS)

# What of MathJax the site never loads: it uses tex-chtml.js, whose TeX input is built in (the
# extensions in input/tex/extensions load on demand), and English speech for the accessibility
# menu.
MATHJAX_SKIP = ("tex-svg", "tex-mml", "mml-", "tex-chtml-full", "output/svg", "node-main",
                "input/asciimath", "input/mml", "input/tex-full", "input/tex.js", "input/tex-base",
                "sre/mathmaps/ca.", "sre/mathmaps/da.", "sre/mathmaps/de.", "sre/mathmaps/es.",
                "sre/mathmaps/fr.", "sre/mathmaps/hi.", "sre/mathmaps/it.", "sre/mathmaps/nb.",
                "sre/mathmaps/nn.", "sre/mathmaps/sv.")
# The widget manager's icon fonts come in five formats; browsers take the WOFF2 listed first.
MANAGER_FONT_SKIP = (".eot", ".svg", ".ttf", ".woff")

# The Chinese fonts: (npm package, CSS family). Traditional characters that the SC font lacks
# fall through to the TC font.
CJK_FONTS = (("@fontsource/noto-sans-sc", "Noto Sans SC"), ("@fontsource/noto-sans-tc", "Noto Sans TC"))
CJK_FAMILIES = ", ".join(f'"{family}"' for _, family in CJK_FONTS)
# Unicode blocks of Chinese text: CJK radicals, symbols and punctuation, ideographs (and their
# extensions), compatibility ideographs and forms, full-width forms. The bundled fonts are
# declared for these code points only, so Latin text keeps the page's own font.
CJK_BLOCKS = ((0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))
# The files whose text ends up on the site.
TEXT_SOURCES = ("book/**/*.md", "book/**/*.yml", "exercises/*.ipynb", "solutions/*.ipynb",
                "_toc.yml", "_config.yml", "src/nnbook/**/*.py")


def _log(message: str) -> None:
    print(f"bundle_assets: {message}", flush=True)


def _in_ranges(code: int, ranges) -> bool:
    return any(lo <= code <= hi for lo, hi in ranges)


def site_cjk_chars() -> set[str]:
    """Every Chinese (CJK) character in the site's sources."""
    chars: set[str] = set()
    for pattern in TEXT_SOURCES:
        for path in ROOT.glob(pattern):
            if "_build" in path.parts or ".ipynb_checkpoints" in path.parts:
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            chars.update(ch for ch in text if _in_ranges(ord(ch), CJK_BLOCKS))
    return chars


def missing_cjk_chars(manifest: dict | None = None) -> set[str]:
    """The sources' Chinese characters that the bundled font files do not cover."""
    if manifest is None:
        try:
            manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = {}
    covered = manifest.get("cjk_ranges", [])
    return {ch for ch in site_cjk_chars() if not _in_ranges(ord(ch), covered)}


def _manifest_if_present() -> dict | None:
    """The manifest, when the vendor directory holds every required file at the pinned versions."""
    if not MANIFEST.is_file():
        return None
    try:
        manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("packages") != PACKAGES or manifest.get("cjk_css") != CJK_CSS_FORMAT:
        return None
    if not all((STATIC / name).is_file() for name in REQUIRED_FILES):
        return None
    return manifest


def bundle_is_complete() -> bool:
    """True when the vendor directory holds every required file at the pinned versions, with
    a font file for every Chinese character of the sources."""
    manifest = _manifest_if_present()
    return manifest is not None and not missing_cjk_chars(manifest)


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


def _fontsource_subsets(css: str):
    """(file stem, [(lo, hi), ...]) for each numbered regular-weight file of a @fontsource 400.css."""
    for block in re.findall(r"@font-face\s*\{(.*?)\}", css, re.S):
        src = re.search(r"url\(\./files/([\w-]+-\d+-400-normal)\.woff2\)", block)
        ranges = re.search(r"unicode-range:\s*([^;]+);", block)
        if not (src and ranges):
            continue
        parsed = []
        for part in ranges.group(1).split(","):
            lo, _, hi = part.strip()[2:].partition("-")
            parsed.append((int(lo, 16), int(hi or lo, 16)))
        yield src.group(1), parsed


def _intersect(ranges, blocks):
    out = []
    for lo, hi in ranges:
        for b_lo, b_hi in blocks:
            if max(lo, b_lo) <= min(hi, b_hi):
                out.append((max(lo, b_lo), min(hi, b_hi)))
    return out


def _unicode_range(codes) -> str:
    """A CSS ``unicode-range`` for a set of code points: runs of consecutive points as ranges."""
    runs: list[list[int]] = []
    for code in sorted(codes):
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return ",".join(f"U+{lo:x}" if lo == hi else f"U+{lo:x}-{hi:x}" for lo, hi in runs)


def _bundle_cjk_fonts(unpacked: dict, staged: Path) -> list[list[int]]:
    """Copy the font files that hold the sources' Chinese characters and write their stylesheet;
    returns the code points they are declared for.

    Each file is declared for the sources' characters it holds, not for all of its few hundred:
    the stylesheet stays small (a few kB, where the full ranges took 120 kB on every page), and a
    page downloads a file only when it shows one of those characters; a page without Chinese
    downloads none. A character a source gains later is reported by :func:`missing_cjk_chars`.
    """
    chars = {ord(ch) for ch in site_cjk_chars()}
    fonts = staged / "fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    rules, covered = [], set()
    for package, family in CJK_FONTS:
        pkg = unpacked[package]
        for stem, ranges in _fontsource_subsets((pkg / "400.css").read_text(encoding="utf-8")):
            cjk = _intersect(ranges, CJK_BLOCKS)
            # Each character from the first file that has it (the SC font first, then the TC font).
            mine = {code for code in chars - covered if _in_ranges(code, cjk)}
            if not mine:
                continue
            shutil.copy2(pkg / "files" / f"{stem}.woff2", fonts / f"{stem}.woff2")
            rules.append(
                "@font-face {\n"
                f"  font-family: '{family}';\n  font-style: normal;\n  font-weight: 400;\n"
                "  font-display: swap;\n"
                f"  src: url(./{stem}.woff2) format('woff2');\n"
                f"  unicode-range: {_unicode_range(mine)};\n}}\n")
            covered |= mine
        lic = pkg / "LICENSE"
        if lic.is_file():
            shutil.copy2(lic, fonts / f"LICENSE-{family.replace(' ', '-')}")
    (fonts / "cjk.css").write_text(
        "/* Noto Sans SC and TC (SIL Open Font License), only the files that hold the Chinese\n"
        "   characters of the book, each declared for those characters; written by\n"
        "   tools/bundle_assets.py. */\n" + "\n".join(rules),
        encoding="utf-8")
    merged: list[list[int]] = []
    for code in sorted(covered):
        if merged and code == merged[-1][1] + 1:
            merged[-1][1] = code
        else:
            merged.append([code, code])
    return merged


def fetch_axe() -> Path | None:
    """``node_modules/axe-core/axe.min.js`` at the pinned version, fetched with npm when missing;
    None when it cannot be had (no npm, no network)."""
    name, version = AXE_PACKAGE
    stamp = AXE_JS.parent / ".nnbook-version"
    if AXE_JS.is_file() and stamp.is_file() and stamp.read_text().strip() == version:
        return AXE_JS
    if shutil.which("npm") is None:
        return None
    with tempfile.TemporaryDirectory(prefix="nnbook-axe-") as tmp:
        try:
            package = _unpack(_npm_pack(f"{name}@{version}", Path(tmp)), Path(tmp) / "x")
        except (RuntimeError, OSError, ValueError, subprocess.TimeoutExpired) as err:
            _log(f"could not fetch {name}@{version} ({err})")
            return None
        if AXE_JS.parent.exists():
            shutil.rmtree(AXE_JS.parent)
        AXE_JS.parent.mkdir(parents=True)
        for file in ("axe.min.js", "LICENSE", "package.json"):
            if (package / file).is_file():
                shutil.copy2(package / file, AXE_JS.parent / file)
        stamp.write_text(version + "\n")
    _log(f"fetched {name}@{version} into {AXE_JS.parent.relative_to(ROOT)}")
    return AXE_JS


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
            skip=lambda rel: rel.endswith((".map", ".LICENSE.txt") + MANAGER_FONT_SKIP)
            or rel in ("embed.js", "libembed-amd.js"),
        )
        n_mathjax = _copy_tree(
            unpacked["mathjax"] / "es5", staged / "mathjax",
            skip=lambda rel: rel.startswith(MATHJAX_SKIP),
        )
        shutil.copy2(unpacked["requirejs"] / "require.js", staged / "require.js")
        cjk_ranges = _bundle_cjk_fonts(unpacked, staged)
        # Licences travel with the code.
        for name, pkg in unpacked.items():
            lic = pkg / "LICENSE"
            if lic.is_file():
                shutil.copy2(lic, staged / f"LICENSE-{name.replace('@', '').replace('/', '-')}")
        (staged / "manifest.json").write_text(
            json.dumps({"packages": PACKAGES, "files": {"html-manager": n_manager, "mathjax": n_mathjax},
                        "cjk_ranges": cjk_ranges, "cjk_css": CJK_CSS_FORMAT}) + "\n",
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
    manifest = _manifest_if_present()
    if manifest is not None:
        missing = missing_cjk_chars(manifest)
        if missing:
            logger.warning(f"bundle_assets: the bundled fonts lack {len(missing)} Chinese characters of "
                           f"the sources ({''.join(sorted(missing)[:20])}); run `make assets`")
        config.mathjax_path = MATHJAX_JS
        config.nb_ipywidgets_js = {
            WIDGETS_PATH_JS: {},
            REQUIRE_JS: {},
            WIDGETS_JS: {},
        }
        # The Chinese fonts: for the page text (nnbook.css names the families) and for the
        # characters MathJax has no glyph for (Chinese inside \\text{...}).
        css_files = list(getattr(config, "html_css_files", None) or [])
        if CJK_CSS not in css_files:
            config.html_css_files = [CJK_CSS, *css_files]
        mathjax3 = dict(getattr(config, "mathjax3_config", None) or {})
        mathjax3["chtml"] = dict(mathjax3.get("chtml", {}), unknownFamily=f"{CJK_FAMILIES}, serif")
        config.mathjax3_config = mathjax3
        logger.info("bundle_assets: MathJax, RequireJS, the widget manager and the Chinese fonts "
                    "load from _static/vendor")
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


# The widget manager's bundle (3.6 MB) defines, besides what the book's widgets use, the modules
# of ipywidgets 7 (@jupyter-widgets/base7 and controls7, 0.8 MB), which only widgets saved by
# ipywidgets 7 would ask for, and carries a source map of each of its stylesheets (0.5 MB),
# which browsers never read. _slim_widget_manager moves the former to a file of their own,
# WIDGETS_7_JS (nnbook-widgets.js tells RequireJS where they are, so such a widget still draws),
# and drops the latter.
WIDGETS_7_JS = "vendor/html-manager/embed-amd-7.js"
_DEFINE = re.compile(r'define\("(@jupyter-widgets/[\w/-]+)"')


def _css_source_maps(text: str):
    """(start, end) of each inline source map object ``{version:3,sources:[...],...}`` in ``text``."""
    for match in re.finditer(r"\{version:3,sources:\[", text):
        depth, i, quote = 0, match.start(), None
        while i < len(text):
            c = text[i]
            if quote:
                if c == "\\":
                    i += 2
                    continue
                if c == quote:
                    quote = None
            elif c in "\"'`":
                quote = c
            elif c in "{[":
                depth += 1
            elif c in "}]":
                depth -= 1
                if depth == 0:
                    yield match.start(), i + 1
                    break
            i += 1


def slim_widget_manager(text: str) -> tuple[str, str]:
    """The widget manager's bundle split in two: (what every widget page loads, the ipywidgets 7
    modules), without the stylesheets' source maps. Raises ``ValueError`` if the bundle does not
    have the expected modules (another version of the manager)."""
    starts = {m.group(1): m.start() for m in _DEFINE.finditer(text)}
    wanted = ("@jupyter-widgets/base", "@jupyter-widgets/controls", "@jupyter-widgets/base7",
              "@jupyter-widgets/controls7", "@jupyter-widgets/html-manager")
    if not all(name in starts for name in wanted) or not (
            starts["@jupyter-widgets/controls"] < starts["@jupyter-widgets/base7"]
            < starts["@jupyter-widgets/controls7"] < starts["@jupyter-widgets/html-manager"]):
        raise ValueError(f"unexpected widget manager bundle: modules {sorted(starts)}")
    a, b = starts["@jupyter-widgets/base7"], starts["@jupyter-widgets/html-manager"]
    main, v7 = text[:a] + "\n" + text[b:], text[a:b]
    pieces, last = [], 0
    for start, end in _css_source_maps(main):
        pieces.append(main[last:start])
        pieces.append("0")  # css-loader reads a falsy map as "no source map"
        last = end
    pieces.append(main[last:])
    return "".join(pieces), v7


def _slim_widget_manager(static: Path) -> int:
    """Apply :func:`slim_widget_manager` to the built site's copy; returns the bytes saved."""
    js = static / WIDGETS_JS
    if not js.is_file():
        return 0
    text = js.read_text(encoding="utf-8")
    if 'define("@jupyter-widgets/base7"' not in text:
        return 0  # done already
    from sphinx.util import logging

    try:
        main, v7 = slim_widget_manager(text)
    except ValueError as err:
        logging.getLogger(__name__).warning(f"bundle_assets: left the widget manager whole: {err}")
        return 0
    (static / WIDGETS_7_JS).write_text(v7, encoding="utf-8")
    js.write_text(main, encoding="utf-8")
    return len(text.encode()) - len(main.encode())


def _trim_static(app, exception) -> None:
    """build-finished: remove from _build/html/_static what no reader ever downloads."""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    removed = 0
    unused = list(static.rglob("*.map")) + list((static / "vendor" / "fontawesome").rglob("*.ttf"))
    # book/_templates/static/webpack-macros.html leaves the theme's fontawesome.js out: its
    # stylesheet draws the icons from the web fonts.
    unused += list((static / "scripts").glob("fontawesome.js*"))
    for path in set(unused):
        removed += path.stat().st_size
        path.unlink()
    removed += _slim_widget_manager(static)
    locales = static / "locales"  # the theme's message catalogues, used when the page is written
    if locales.is_dir():
        removed += sum(p.stat().st_size for p in locales.rglob("*") if p.is_file())
        shutil.rmtree(locales)
    from sphinx.util import logging

    logging.getLogger(__name__).info(f"bundle_assets: removed {removed / 1e6:.1f} MB that no page loads from _static")


def setup(app):
    # Before MyST-NB reads its configuration (builder-inited) and Sphinx's mathjax (page context).
    app.connect("config-inited", _use_local_assets, priority=400)
    # After the theme has added its launch buttons (priority 501) and sphinx-thebe its scripts.
    app.connect("html-page-context", _colab_for_notebooks_only, priority=600)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("build-finished", _trim_static)
    # Site-wide fixes in the browser: accessible names for the sidebar toggles and widget
    # sliders, display equations fitted to the column (book/_static/nnbook.js).
    app.add_js_file("nnbook.js")
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str]) -> int:
    if "--axe" in argv:
        if fetch_axe() is None:
            _log("axe-core could not be fetched (npm missing or offline): the accessibility test will skip")
        return 0
    bundle(force="--force" in argv)
    # A missing npm is not an error: the site then falls back to the CDN (and says so above).
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
