"""Bundle the site's JavaScript so that the book works with no network at all.

Run as a script (``make assets`` does), it fetches packages from the npm registry with
``npm pack`` and unpacks the files the site needs into ``book/_static/vendor/`` (git-ignored):

* MathJax 3 (``mathjax``), which renders the equations: the pages load its components, not the
  combined ``tex-chtml.js``, so that they do not load its menu (0.4 MB, which also made every
  formula a tab stop); the TeX input with its autoloaded extensions, the CommonHTML output and
  the hidden MathML that screen readers read (``a11y/assistive-mml``), as ``tex-chtml.js`` has
  them (without the input formats, output formats and speech languages the site never loads);
* RequireJS (``requirejs``), through which the widget manager looks up a widget module it does
  not have;
* the widget manager, which draws every widget of an executed page from the widget state stored
  in the notebook: ``tools/widget_manager.js`` bundled with esbuild, minified, from the npm
  packages that ``package.json`` names (``@jupyter-widgets/base``, ``controls``,
  ``base-manager`` and Lumino), which ``npm ci`` installs at the versions of
  ``package-lock.json`` in a temporary folder. It draws the book's widgets as
  ``@jupyter-widgets/html-manager`` does, in 0.62 MB where that bundle takes 2.3 MB without its
  ipywidgets 7 modules: without JupyterLab's output area and React, a JSON-schema validator, a
  second Font Awesome, and with ``tools/widget_sanitize.js`` in place of sanitize-html (see the
  files);
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
(``tex-chtml.js`` with its menu, kept out of the tab order by ``_config.yml``, and the upstream
widget manager) and says so in the build log. The same extension keeps the site's pages clean:
one copy of each script tag and a Colab button only where Colab can open the file. After the
build it removes from ``_build/html/_static`` what no reader downloads: source maps, the theme's
translation catalogues, TrueType copies of fonts that are also there as WOFF2, the theme's
``fontawesome.js``, which ``book/_templates/static/webpack-macros.html`` leaves out of the pages,
and the icons of Font Awesome the site does not use (:func:`trim_icons`).

``python benchmarks/page_weight.py`` measures in Chromium what a page transfers and when it is
ready.

Usage: ``python tools/bundle_assets.py [--force]`` or ``python tools/bundle_assets.py --axe``
"""

from __future__ import annotations

import hashlib
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

# Pinned versions of the packages unpacked as they are published (``npm pack``).
PACKAGES = {
    "mathjax": "3.2.2",
    "requirejs": "2.3.8",
    "@fontsource/noto-sans-sc": "5.3.0",
    "@fontsource/noto-sans-tc": "5.3.0",
}
# The accessibility test's engine (tests/test_accessibility.py); not part of the site.
AXE_PACKAGE = ("axe-core", "4.14.1")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# The widget manager: tools/widget_manager.js bundled from the packages of package.json, at the
# versions of package-lock.json (esbuild is one of them).
WIDGET_MANAGER_SOURCES = (ROOT / "tools" / "widget_manager.js", ROOT / "tools" / "widget_sanitize.js",
                          ROOT / "package.json", ROOT / "package-lock.json")
# How the widget manager is built; a bundle built another way is built again.
WIDGET_MANAGER_FORMAT = 1
# Its stylesheets, bundled with their @imports before the script takes them in as text: Lumino's
# and the controls', and JupyterLab's variables, which the manager adds only where the page does
# not define them (the upstream manager's; not @jupyter-widgets/base's, which marks every widget
# of a page without a kernel as disconnected).
WIDGET_CSS = {
    "widgets.css": ("@lumino/widgets/style/index.css", "@jupyter-widgets/controls/css/widgets-base.css"),
    "labvariables.css": ("@jupyter-widgets/controls/css/labvariables.css",),
}

# Paths inside _static (the form Sphinx's mathjax_path and add_js_file expect).
MATHJAX_JS = "vendor/mathjax/startup.js"
# The MathJax components the pages load (startup.js loads them, and each loads what it needs:
# the core, the TeX fonts of the output): tex-chtml.js without its menu.
MATHJAX_LOAD = ["input/tex", "output/chtml", "a11y/assistive-mml"]
REQUIRE_JS = "vendor/require.js"
WIDGETS_JS = "vendor/html-manager/embed-amd.js"
# Committed, tiny: tells RequireJS and the widget manager where the bundle is (see the file).
WIDGETS_PATH_JS = "nnbook-widgets.js"

CJK_CSS = "vendor/fonts/cjk.css"
# How cjk.css declares the font files; a bundle written another way is bundled again.
# 3: the TC font for the 繁體 edition's characters too; 2: each file for the sources' characters it
# holds (1: for all of the characters it holds).
CJK_CSS_FORMAT = 3

REQUIRED_FILES = (MATHJAX_JS, REQUIRE_JS, WIDGETS_JS, CJK_CSS)

# What of MathJax the site never loads: the combined files (the pages load the components), the
# input and output formats other than TeX and CommonHTML, the speech languages other than English
# (the a11y extensions load on demand).
MATHJAX_SKIP = ("tex-", "mml-", "node-main", "output/svg", "input/asciimath", "input/mml",
                "input/tex-full", "input/tex-base",
                "sre/mathmaps/ca.", "sre/mathmaps/da.", "sre/mathmaps/de.", "sre/mathmaps/es.",
                "sre/mathmaps/fr.", "sre/mathmaps/hi.", "sre/mathmaps/it.", "sre/mathmaps/nb.",
                "sre/mathmaps/nn.", "sre/mathmaps/sv.")

# The Chinese fonts: (npm package, CSS family). The SC font holds every character it has; the
# TC font holds the 繁體 edition's characters (nnbook.css puts it first on 繁體 pages, so they are
# drawn with Traditional glyph shapes) and those the SC font lacks.
CJK_FONTS = (("@fontsource/noto-sans-sc", "Noto Sans SC"), ("@fontsource/noto-sans-tc", "Noto Sans TC"))
# The sources of the 繁體 edition's text.
TRADITIONAL_SOURCES = ("locales/zh_TW/**/*.po",)
CJK_FAMILIES = ", ".join(f'"{family}"' for _, family in CJK_FONTS)
# Unicode blocks of Chinese text: CJK radicals, symbols and punctuation, ideographs (and their
# extensions), compatibility ideographs and forms, full-width forms. The bundled fonts are
# declared for these code points only, so Latin text keeps the page's own font.
CJK_BLOCKS = ((0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))
# The files whose text ends up on the site.
TEXT_SOURCES = ("book/**/*.md", "book/**/*.yml", "exercises/*.ipynb", "solutions/*.ipynb",
                "_toc.yml", "_config.yml", "src/nnbook/**/*.py", "locales/**/*.po")


def _log(message: str) -> None:
    print(f"bundle_assets: {message}", flush=True)


def _in_ranges(code: int, ranges) -> bool:
    return any(lo <= code <= hi for lo, hi in ranges)


# A character of CJK_BLOCKS (the sources hold millions of characters: one pattern, not a test each).
_CJK_CHAR = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in CJK_BLOCKS) + "]")


def site_cjk_chars(sources=TEXT_SOURCES) -> set[str]:
    """Every Chinese (CJK) character in the site's sources (the files of ``sources``)."""
    chars: set[str] = set()
    for pattern in sources:
        for path in ROOT.glob(pattern):
            if "_build" in path.parts or ".ipynb_checkpoints" in path.parts:
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            chars.update(_CJK_CHAR.findall(text))
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
    if (manifest.get("packages") != PACKAGES or manifest.get("cjk_css") != CJK_CSS_FORMAT
            or manifest.get("widget_manager") != widget_manager_key()):
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
    traditional = {ord(ch) for ch in site_cjk_chars(TRADITIONAL_SOURCES)}
    fonts = staged / "fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    rules, covered = [], set()
    for package, family in CJK_FONTS:
        pkg = unpacked[package]
        # The SC font: every character it has. The TC font: the 繁體 edition's characters, and
        # those no file before it had. Each from the first of the font's files that has it.
        wanted = chars - covered if family == CJK_FONTS[0][1] else (traditional | (chars - covered))
        for stem, ranges in _fontsource_subsets((pkg / "400.css").read_text(encoding="utf-8")):
            cjk = _intersect(ranges, CJK_BLOCKS)
            mine = {code for code in wanted if _in_ranges(code, cjk)}
            wanted -= mine
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


def widget_manager_key() -> str:
    """What the widget manager is built from: its format and a digest of its sources (the entry
    script, the sanitizer, package.json, package-lock.json and the stylesheets it takes in); a
    bundle with another key is built again."""
    digest = hashlib.sha256(json.dumps(WIDGET_CSS).encode())
    for path in WIDGET_MANAGER_SOURCES:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"(missing)")
    return f"{WIDGET_MANAGER_FORMAT}:{digest.hexdigest()[:16]}"


def _run(cmd: list[str], cwd: Path, timeout: int = 600) -> None:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])} failed: {(result.stderr or result.stdout).strip()[-800:]}")


def _package_dir(source: str) -> str | None:
    """``node_modules/<package>`` of a path in an esbuild metafile (None for our own files).
    A module that a package's ``browser`` field disables is listed as ``(disabled):<path>``."""
    parts = source.removeprefix("(disabled):").split("node_modules/")
    if len(parts) < 2:
        return None
    names = parts[-1].split("/")
    name = "/".join(names[:2]) if names[0].startswith("@") else names[0]
    return "node_modules/".join(parts[:-1]) + "node_modules/" + name


def _third_party_licences(build: Path, metafile: dict) -> str:
    """The licence of every package the bundle took code from, for THIRD-PARTY-LICENSES.txt."""
    packages = sorted({d for source in metafile["inputs"] if (d := _package_dir(source))})
    texts = []
    for rel in packages:
        pkg = build / rel
        info = json.loads((pkg / "package.json").read_text(encoding="utf-8"))
        licence = next((p for p in sorted(pkg.iterdir()) if p.name.upper().startswith(("LICENSE", "LICENCE", "COPYING"))), None)
        body = licence.read_text(encoding="utf-8", errors="replace").strip() if licence else f"(licence: {info.get('license')})"
        texts.append(f"{info['name']}@{info['version']} ({info.get('license')})\n\n{body}\n")
    return ("The widget manager (embed-amd.js) bundles code of these packages, under these licences.\n\n"
            + "\n" + ("=" * 72 + "\n").join(texts))


def build_widget_manager(dest: Path) -> int:
    """Build the widget manager into ``dest`` (``embed-amd.js`` and the licences of what it
    bundles): ``npm ci`` of package.json in a temporary folder, then esbuild, twice: the
    stylesheets with their @imports, then tools/widget_manager.js with the stylesheets as text.
    Returns the size of embed-amd.js. Raises ``RuntimeError`` when npm or esbuild fails."""
    with tempfile.TemporaryDirectory(prefix="nnbook-widgets-") as tmp:
        build = Path(tmp)
        for path in WIDGET_MANAGER_SOURCES:
            shutil.copy2(path, build / path.name)
        _log("npm ci (the widget manager's packages, package-lock.json)")
        _run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], build)
        esbuild = build / "node_modules" / ".bin" / "esbuild"
        css = build / "css"
        css.mkdir()
        for name, imports in WIDGET_CSS.items():
            (css / name).write_text("".join(f'@import "{i}";\n' for i in imports), encoding="utf-8")
        _run([str(esbuild), *(f"css/{name}" for name in WIDGET_CSS), "--bundle", "--minify",
              "--outdir=built-css", "--log-level=warning"], build)
        _run([str(esbuild), "widget_manager.js", "--bundle", "--minify", "--format=iife", "--target=es2019",
              # The stylesheets as text, and UMD modules (jQuery, Backbone) taken as CommonJS, not
              # registered with the page's RequireJS.
              # sanitize-html (with htmlparser2 and PostCSS) gives way to tools/widget_sanitize.js.
              "--loader:.css=text", "--alias:nnbook-css=./built-css", "--define:define=undefined",
              "--alias:sanitize-html=./widget_sanitize.js",
              "--legal-comments=none", "--metafile=meta.json", "--outfile=embed-amd.js", "--log-level=warning"],
             build)
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copy2(build / "embed-amd.js", dest / "embed-amd.js")
        metafile = json.loads((build / "meta.json").read_text(encoding="utf-8"))
        (dest / "THIRD-PARTY-LICENSES.txt").write_text(_third_party_licences(build, metafile), encoding="utf-8")
        return (dest / "embed-amd.js").stat().st_size


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

        try:
            manager_size = build_widget_manager(staged / "html-manager")
        except (RuntimeError, OSError, ValueError, subprocess.TimeoutExpired) as err:
            _log(f"could not build the widget manager ({err}); the site will load MathJax, RequireJS and "
                 "the widget manager from the public CDN.")
            return False
        _log(f"built the widget manager: {manager_size / 1e6:.2f} MB")
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
            json.dumps({"packages": PACKAGES, "widget_manager": widget_manager_key(),
                        "files": {"html-manager/embed-amd.js": manager_size, "mathjax": n_mathjax},
                        "cjk_ranges": cjk_ranges, "cjk_css": CJK_CSS_FORMAT}) + "\n",
            encoding="utf-8",
        )
        if VENDOR.exists():
            shutil.rmtree(VENDOR)
        VENDOR.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(staged, VENDOR)
    _log(f"bundled {', '.join(f'{k}@{v}' for k, v in PACKAGES.items())} and the widget manager into "
         f"{VENDOR.relative_to(ROOT)}")
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
        # startup.js and the components of tex-chtml.js but its menu. Without the menu no formula
        # is a tab stop, and its options (menuOptions, which _config.yml sets for the CDN's
        # tex-chtml.js) would be invalid.
        loader = dict(mathjax3.get("loader", {}))
        loader["load"] = [*MATHJAX_LOAD, *(c for c in loader.get("load", []) if c not in MATHJAX_LOAD)]
        mathjax3["loader"] = loader
        options = {k: v for k, v in dict(mathjax3.get("options", {})).items() if k != "menuOptions"}
        if options:
            mathjax3["options"] = options
        else:
            mathjax3.pop("options", None)
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


# The theme's Font Awesome 6 draws a few dozen icons (the buttons of the page's header and
# sidebar, the admonitions' signs, the Play control of the widgets), but its web fonts and its
# stylesheet hold every icon: 0.28 MB of fonts and 0.09 MB of CSS rules that every page loads.
# After the build both are cut down to the icons the site uses: each icon class (``fa-play``)
# named in a page or a script of the site, each icon a stylesheet draws by its code point (the
# admonitions' signs), and each icon a widget names in its state. Writing WOFF2 needs the
# ``brotli`` module; without it the fonts stay whole (and the build log says so).
FA_WEBFONTS = "vendor/fontawesome/webfonts"
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_ICON_SELECTOR = re.compile(r"^\.(fa-[a-z0-9-]+)(?::before)?$")
_CSS_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ICON_NAME = re.compile(r"\bfa-[a-z0-9]+(?:-[a-z0-9]+)*")
# A widget's icon, in its stored state: ToggleButtons' "icons": ["check", ...], Button's "icon": "check".
_WIDGET_ICONS = re.compile(r'"icons?":\s*(\[[^\]]*\]|"[^"]*")')


def _css_chars(value: str) -> set[int]:
    """The characters of the CSS strings in ``value`` (escapes such as ``\\f04b`` decoded)."""
    codes: set[int] = set()
    for string in _CSS_STRING.findall(value):
        i = 0
        while i < len(string):
            if string[i] == "\\":
                m = re.match(r"[0-9a-fA-F]{1,6}\s?", string[i + 1:])
                if m:
                    codes.add(int(m.group(0).strip(), 16))
                    i += 1 + len(m.group(0))
                    continue
                i += 1
            codes.add(ord(string[i]) if i < len(string) else 0)
            i += 1
    codes.discard(0)
    return codes


def icon_code_points(css_texts, used_texts) -> tuple[dict[str, set[int]], set[int]]:
    """({icon class: its code points} from the stylesheets' ``.fa-NAME:before{content:"…"}`` rules,
    the code points that the stylesheets draw outside those rules, in the Private Use Area where
    Font Awesome keeps its icons), and the icon classes named in ``used_texts``."""
    icons: dict[str, set[int]] = {}
    drawn: set[int] = set()
    for css in css_texts:
        for selectors, body in _CSS_RULE.findall(css):
            names = [m.group(1) for sel in selectors.split(",") if (m := _ICON_SELECTOR.match(sel.strip()))]
            codes = _css_chars(body)
            if names and len(names) == len(selectors.split(",")):
                for name in names:
                    icons.setdefault(name, set()).update(codes)
            else:
                drawn |= {c for c in codes if 0xE000 <= c <= 0xF8FF}
    return icons, drawn


def used_icon_names(texts) -> set[str]:
    """The icon classes (``fa-NAME``) that pages and scripts name, and the icons widgets name."""
    names: set[str] = set()
    for text in texts:
        names.update(_ICON_NAME.findall(text))
        for value in _WIDGET_ICONS.findall(text):
            try:
                found = json.loads(value)
            except ValueError:
                continue
            names.update(f"fa-{icon}" for icon in ([found] if isinstance(found, str) else found)
                         if isinstance(icon, str) and icon)
    return names


_ICON_RULE_BODY = re.compile(r'\s*(?:content|--fa)\s*:\s*"[^"]*"\s*;?\s*')


def drop_unused_icon_rules(css: str, names: set[str]) -> str:
    """``css`` without the rules of icon classes that no page or script names
    (``.fa-NAME:before{content:"…"}``, 1,900 of them in the theme's stylesheet)."""
    def keep(match: re.Match) -> str:
        selectors = [sel.strip() for sel in match.group(1).split(",")]
        icon_names = [m.group(1) for sel in selectors if (m := _ICON_SELECTOR.match(sel))]
        if (len(icon_names) == len(selectors) and _ICON_RULE_BODY.fullmatch(match.group(2))
                and not set(icon_names) & names):
            return ""
        return match.group(0)

    return _CSS_RULE.sub(keep, css)


def subset_icon_fonts(static: Path, wanted: set[int]) -> int:
    """Cut the theme's Font Awesome web fonts down to the code points ``wanted``; returns the
    bytes saved (0 where fontTools or brotli is missing)."""
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    fonts = sorted((static / FA_WEBFONTS).glob("*.woff2"))
    if not fonts:
        return 0
    try:
        import brotli  # noqa: F401  (fontTools writes WOFF2 with it)
        from fontTools import subset
        from fontTools.ttLib import TTFont
    except ImportError as err:
        logger.info(f"bundle_assets: Font Awesome's fonts left whole ({err.name} is not installed)")
        return 0
    saved = 0
    for path in fonts:
        font = TTFont(path)
        codes = set(font.getBestCmap()) & wanted
        before = path.stat().st_size
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        options.notdef_outline = True
        options.name_IDs = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(codes))
        subsetter.subset(font)
        font.flavor = "woff2"
        font.save(path)
        saved += before - path.stat().st_size
    logger.info(f"bundle_assets: Font Awesome's fonts cut to the {len(wanted)} icons the site uses")
    return saved


def trim_icons(static: Path, pages) -> int:
    """Keep of Font Awesome what the site uses: the stylesheets without the rules of icon classes
    no page or script names, the web fonts (where brotli is installed) with only the icons the
    site draws. Returns the bytes saved."""
    css = {path: path.read_text(encoding="utf-8", errors="replace") for path in sorted(static.rglob("*.css"))}
    icons, drawn = icon_code_points(css.values(), [])
    names = used_icon_names(p.read_text(encoding="utf-8", errors="replace") for p in [*pages, *static.rglob("*.js")])
    saved = 0
    for path, text in css.items():
        kept = drop_unused_icon_rules(text, names)
        if kept != text:
            path.write_text(kept, encoding="utf-8")
            saved += len(text.encode()) - len(kept.encode())
    wanted = set(drawn)
    for name in names:
        wanted |= icons.get(name, set())
    return saved + subset_icon_fonts(static, wanted)


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
    outdir = Path(app.outdir)
    pages = [p for p in outdir.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts]
    removed += trim_icons(static, pages)
    locales = static / "locales"  # the theme's message catalogues, used when the page is written
    if locales.is_dir():
        removed += sum(p.stat().st_size for p in locales.rglob("*") if p.is_file())
        shutil.rmtree(locales)
    from sphinx.util import logging

    logging.getLogger(__name__).info(f"bundle_assets: removed {removed / 1e6:.1f} MB that no page loads from _static")


def static_digest(folders) -> str:
    """A digest of the files under ``folders`` (their paths, sizes and times): what the site
    copies into its _static."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path.relative_to(folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _static_changed(app, env, added, changed, removed) -> list[str]:
    """The root page, when the static files (nnbook.css, the bundle) changed since the last build.

    Sphinx copies the static files once it has written the pages it found out of date, and not at
    all when it found none: a change to the style sheet or a new bundle alone (``make assets``)
    would not reach the site. One page written is enough for the copy."""
    folders = [Path(app.confdir) / folder for folder in app.config.html_static_path]
    digest = static_digest(folder for folder in folders if folder.is_dir())
    if getattr(env, "nnbook_static_digest", None) == digest:
        return []
    env.nnbook_static_digest = digest
    return [app.config.root_doc] if app.config.root_doc in env.found_docs else []


def setup(app):
    # Before MyST-NB reads its configuration (builder-inited) and Sphinx's mathjax (page context).
    app.connect("config-inited", _use_local_assets, priority=400)
    app.connect("env-get-outdated", _static_changed)
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
