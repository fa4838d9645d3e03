"""What a reader's browser transfers for a page of the built site, and how soon the page is ready.

Each page is opened in headless Chromium (Debian's ``chromium``, driven as the browser tests drive
it: ``tests/browser_support.py``) with an empty cache, from a local static server
(``http.server``, which sends files as they are, uncompressed). For each page it reports:

* bytes transferred: every response of the page's first visit (HTML, scripts, stylesheets, fonts,
  images, what scripts fetch later), as Chromium counts them (``encodedDataLength``, headers
  included), until the page has settled;
* requests: how many;
* ready: milliseconds from the start of navigation until the page is interactive: loaded, every
  formula typeset by MathJax, every widget drawn by the widget manager (the last of the three,
  read in the page by a timer that polls every 10 ms from the document's start);
* widgets: milliseconds until the widgets were drawn (a page without widgets has none).

Timings depend on the machine and its load: each page is opened ``--runs`` times (3) in fresh
tabs with the cache disabled, and the median is reported. ``tools/page_weight.py`` gives the
lower bound that the HTML alone tells, without a browser.

    python benchmarks/page_weight.py                       # the heaviest widget page and two plain pages
    python benchmarks/page_weight.py book/11-training.html  # given pages
    python benchmarks/page_weight.py --widget-pages         # every chapter with widgets
    python benchmarks/page_weight.py --write                # also (re)write its section of results.md
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import Chromium, find_chromium, serve  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measured import measured_on  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results.md"
MARK = "<!-- page weight: written by benchmarks/page_weight.py -->"
END = "<!-- end of the page weight section -->"
DEFAULT_PAGES = ["book/08-gradient-descent.html", "book/01-neuron.html", "book/intro.html",
                 "book/notation.html"]
MB = 1e6  # the figures are given in decimal megabytes, as browsers' DevTools give them

# Runs in the page before its own scripts: records when the page became ready.
PROBE_JS = r"""
(() => {
  const t0 = performance.now();
  window.__nnbookReady = {};
  const mark = (name) => { if (!(name in window.__nnbookReady)) window.__nnbookReady[name] = performance.now(); };
  const poll = () => {
    if (document.readyState === 'complete') mark('load');
    const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length;
    const drawn = Array.from(document.querySelectorAll('.widget-subarea')).filter(a => a.children.length > 0).length;
    if (document.readyState !== 'loading' && views > 0 && drawn >= views) mark('widgets');
    const mj = window.MathJax;
    if (!('math' in window.__nnbookReady) && document.readyState !== 'loading') {
      if (!document.querySelector('.math')) mark('math');
      else if (mj && mj.startup && mj.startup.promise && !window.__nnbookWaiting) {
        window.__nnbookWaiting = true;
        mj.startup.promise.then(() => mark('math'));
      }
    }
    const r = window.__nnbookReady;
    if ('load' in r && 'math' in r && ('widgets' in r || (document.readyState === 'complete' && views === 0))) {
      mark('ready');
      return;
    }
    setTimeout(poll, 10);
  };
  poll();
})();
"""


def measure(browser: Chromium, url: str, timeout: float = 60.0) -> dict:
    """One first visit of ``url``: bytes, requests, and the times the probe recorded."""
    target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    try:
        for domain in ("Page", "Runtime", "Network"):
            browser.call(f"{domain}.enable", session=session)
        browser.call("Network.setCacheDisabled", {"cacheDisabled": True}, session=session)
        browser.call("Emulation.setDeviceMetricsOverride",
                     {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=session)
        browser.call("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE_JS}, session=session)
        browser.call("Page.bringToFront", session=session)
        browser.call("Page.navigate", {"url": url}, session=session)
        if not browser.wait_until(session, "!!(window.__nnbookReady && window.__nnbookReady.ready)", timeout):
            raise TimeoutError(f"{url}: not ready in {timeout:.0f} s")
        browser.pump(1.0)  # what loads after (fonts that scripts ask for late)
        times = browser.evaluate(session, "window.__nnbookReady")
        sizes, kinds, urls = {}, {}, {}
        for ev in browser.events:
            if ev.get("sessionId") != session:
                continue
            params = ev.get("params", {})
            if ev["method"] == "Network.responseReceived":
                urls[params["requestId"]] = params["response"]["url"]
                kinds[params["requestId"]] = params.get("type", "Other")
            elif ev["method"] == "Network.loadingFinished":
                sizes[params["requestId"]] = params["encodedDataLength"]
        by_kind = Counter()
        for rid, size in sizes.items():
            by_kind[kinds.get(rid, "Other")] += size
        files = sorted(((size, urls.get(rid, rid)) for rid, size in sizes.items()), reverse=True)
        return {"bytes": sum(sizes.values()), "requests": len(sizes), "by_kind": dict(by_kind),
                "files": files, **{k: float(v) for k, v in times.items()}}
    finally:
        browser.events = [ev for ev in browser.events if ev.get("sessionId") != session]
        browser.close_page(target)


def widget_pages(html: Path) -> list[str]:
    return sorted(str(p.relative_to(html)) for p in (html / "book").glob("*.html")
                  if "application/vnd.jupyter.widget-view+json" in p.read_text(encoding="utf-8"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help=f"pages relative to the site (default: {' '.join(DEFAULT_PAGES)})")
    parser.add_argument("--html", default=str(ROOT / "_build" / "html"), help="the built site")
    parser.add_argument("--runs", type=int, default=3, help="visits per page (the median is reported)")
    parser.add_argument("--widget-pages", action="store_true", help="every chapter that shows widgets")
    parser.add_argument("--files", type=int, default=0, help="list the N largest files of each page")
    parser.add_argument("--write", action="store_true", help=f"write the table into {RESULTS.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    html = Path(args.html)
    pages = args.pages or (widget_pages(html) if args.widget_pages else DEFAULT_PAGES)
    executable = find_chromium()
    if executable is None:
        print("no Chromium found (install Debian's `chromium` package)", file=sys.stderr)
        return 2
    rows = []
    load_before = os.getloadavg()[0]
    browser = Chromium(executable)
    try:
        with serve(html) as base:
            print(f"{'page':42s} {'MB':>6s} {'req':>4s} {'load ms':>8s} {'math ms':>8s} {'widgets ms':>10s} {'ready ms':>9s}")
            for page in pages:
                runs = [measure(browser, f"{base}/{page}") for _ in range(args.runs)]
                med = {k: statistics.median(r[k] for r in runs) if all(k in r for r in runs) else None
                       for k in ("bytes", "requests", "load", "math", "widgets", "ready")}
                rows.append((page, med))
                fmt = lambda v: "-" if v is None else f"{v:.0f}"  # noqa: E731
                print(f"{page:42s} {med['bytes'] / MB:6.2f} {med['requests']:4.0f} {fmt(med['load']):>8s} "
                      f"{fmt(med['math']):>8s} {fmt(med['widgets']):>10s} {fmt(med['ready']):>9s}", flush=True)
                if args.files:
                    kinds = ", ".join(f"{k} {v / MB:.2f}" for k, v in sorted(runs[0]["by_kind"].items(), key=lambda kv: -kv[1]))
                    print(f"    by type (MB): {kinds}")
                    for size, url in runs[0]["files"][: args.files]:
                        print(f"    {size / MB:6.3f}  {url.replace(base + '/', '')}")
    finally:
        browser.close()
    print(f"load {os.getloadavg()[0]:.1f} at the end; {args.runs} first visits per page, medians")
    if args.write:
        version = browser_version(executable)
        _write(section(rows, args.runs, [("browser", version), ("machine", platform.machine()),
                                         ("cores", os.cpu_count()),
                                         ("load average over 1 minute, when the run started", f"{load_before:.1f}")]))
        print(f"written to {RESULTS}")
    return 0


def browser_version(executable: str) -> str:
    import subprocess

    try:
        return subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "Chromium"


def section(rows, runs: int, setup) -> str:
    """The page weight section of results.md: one row per page; ``setup``, the rows of the
    "measured on" table (benchmarks/_measured.py), which also gives ``runs``."""
    fmt = lambda v: "—" if v is None else f"{v / 1000:.2f}"  # noqa: E731
    lines = [MARK, "## Page weight", "",
             "`python benchmarks/page_weight.py --write`: each page opened in headless Chromium with an empty "
             "cache from a local static server (files sent uncompressed), several times, medians. Transferred: "
             "every response until the page is ready, headers included. Ready: loaded, every formula typeset "
             "and every widget drawn, from the start of navigation.", "",
             measured_on([*setup, ("first visits per page", runs)]), "",
             "| page | transferred (MB) | requests | widgets drawn (s) | formulas typeset (s) | ready (s) |",
             "|---|---:|---:|---:|---:|---:|"]
    for page, med in rows:
        lines.append(f"| `{page}` | {med['bytes'] / MB:.2f} | {med['requests']:.0f} | {fmt(med['widgets'])} | "
                     f"{fmt(med['math'])} | {fmt(med['ready'])} |")
    return "\n".join(lines) + "\n\n" + END + "\n"


def _write(text: str) -> None:
    """Put ``text`` in place of the section in results.md, or before the grading section, or at the end."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else ""
    if MARK in old and END in old:
        before, _, rest = old.partition(MARK)
        after = rest.partition(END + "\n")[2]
    elif "<!-- grading:" in old:
        before, _, after = old.partition("<!-- grading:")
        after = "<!-- grading:" + after
    else:
        before, after = old.rstrip("\n") + "\n\n", ""
    RESULTS.write_text(before + text + ("\n" + after if after else ""), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
