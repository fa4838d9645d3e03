"""Headless Chromium for the tests of the built site, and what they read from its pages.

Not a test module: the fixtures of ``tests/conftest.py`` (``site``, ``browser``, ``page_visits``)
and the browser, accessibility, layout and widget tests use these helpers.

The site is served on 127.0.0.1 by a thread running ``http.server``; Chromium is driven through
the Chrome DevTools Protocol over ``--remote-debugging-pipe`` (JSON messages on two pipes), so
no WebSocket client or browser-automation package is needed. Chromium is Debian's ``chromium``
package: :func:`launch_chromium` installs it with apt-get where it is missing and it can (as root),
and skips the test with the reason where it cannot.

Every page of every edition (English, 简体中文, 繁體中文: :data:`EDITIONS`) is loaded once per
session (:func:`visit_pages`): the report of what it shows, a screenshot, its layout at 1280 px and
at 390 px, axe-core's audit, its tab stops, the fonts of its Chinese text and, on a page with
widgets, every control at work are all read in that one visit (:class:`Visit`).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import http.server
import json
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from base64 import b64decode
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from book_support import EDITIONS as BOOK_EDITIONS
from book_support import SCREENSHOTS, bundle_assets, phase, session_build, toc_files, widget_pages
from apt import apt_install  # tools/, on the path through book_support

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
    "--window-size=1280,900",
    # Tabs loading behind the one being inspected run their timers (MathJax, the widgets) at full speed.
    "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
    # Any host but the local server fails at once instead of waiting on a closed network;
    # the request is still seen (and counted as a failure) by the test.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    "--remote-debugging-pipe",
]
PAGE_TIMEOUT = 30.0


# ----------------------------------------------------------------------------- Chromium

def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def install_chromium() -> tuple[str | None, str]:
    """Install Debian's chromium with apt-get where possible; (path or None, reason)."""
    why = apt_install("chromium", lambda: find_chromium() is not None)
    return find_chromium(), why


class CDPError(RuntimeError):
    pass


class Chromium:
    """Headless Chromium driven by the DevTools Protocol over ``--remote-debugging-pipe``.

    Chromium reads NUL-terminated JSON messages on file descriptor 3 and writes its answers and
    events on descriptor 4. Calls are synchronous: :meth:`call` sends one command and reads
    until its answer arrives, keeping the events that arrive meanwhile in :attr:`events`.
    """

    def __init__(self, executable: str):
        self.executable = executable
        self.profile = tempfile.mkdtemp(prefix="nnbook-chromium-")
        self._log = open(Path(self.profile) / "chromium-stderr.log", "wb")
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        # Move the child's ends above 3 and 4 so that the redirections cannot overwrite them.
        to_chrome_r, from_chrome_w = (self._high_fd(fd) for fd in (to_chrome_r, from_chrome_w))
        # bash (dash reads one-digit descriptors only) puts the pipe ends on descriptors 3 and 4,
        # then becomes Chromium.
        script = f'exec "$0" "$@" 3<&{to_chrome_r} 4>&{from_chrome_w}'
        self.proc = subprocess.Popen(
            [shutil.which("bash") or "/bin/bash", "-c", script, executable, *CHROMIUM_FLAGS,
             f"--user-data-dir={self.profile}", "about:blank"],
            pass_fds=(to_chrome_r, from_chrome_w),
            # A file, not a pipe: Chromium logs freely, and a full pipe would stall it.
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._log,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        self.call("Browser.getVersion", timeout=60)

    @staticmethod
    def _high_fd(fd: int) -> int:
        import fcntl

        high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(fd)
        return high

    # -- transport
    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no message from Chromium in time")
            ready, _, _ = select.select([self._from_chrome], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                self._log.flush()
                err = (Path(self.profile) / "chromium-stderr.log").read_bytes().decode(errors="replace")[-2000:]
                raise CDPError(f"Chromium closed the DevTools pipe; its stderr ends: {err}")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = PAGE_TIMEOUT) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._to_chrome, data):]
        deadline = time.monotonic() + timeout
        while True:
            msg = self._read_message(deadline)
            if msg.get("id") == self._next_id:
                if "error" in msg:
                    raise CDPError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def pump(self, seconds: float) -> None:
        """Read events for ``seconds`` (the page keeps working meanwhile)."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                msg = self._read_message(deadline)
            except TimeoutError:
                return
            if "method" in msg:
                self.events.append(msg)

    def wait_for_event(self, method: str, session: str, timeout: float) -> dict | None:
        deadline = time.monotonic() + timeout
        while True:
            for ev in self.events:
                if ev["method"] == method and ev.get("sessionId") == session:
                    return ev
            try:
                msg = self._read_message(deadline)
            except TimeoutError:
                return None
            if "method" in msg:
                self.events.append(msg)

    # -- pages
    def open_page(self) -> tuple[str, str]:
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable", session=session)
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=session)
        return target, session

    def close_page(self, target: str) -> None:
        self.call("Target.closeTarget", {"targetId": target})

    def evaluate(self, session: str, expression: str, timeout: float = PAGE_TIMEOUT):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, session=session, timeout=timeout)
        if "exceptionDetails" in result:
            raise CDPError(f"evaluating {expression[:80]!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_until(self, session: str, expression: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(session, expression):
                return True
            self.pump(0.05)
        return False

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=10)
        except (CDPError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()
        for fd in (self._to_chrome, self._from_chrome):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)


# ----------------------------------------------------------------------------- the server, the browser

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002  (the base class's name)
        pass


@contextlib.contextmanager
def serve(html_dir: Path):
    """Serve ``html_dir`` on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def launch_chromium() -> Chromium:
    """Headless Chromium, installed with apt-get where missing; skips the test where it cannot."""
    if not bundle_assets.bundle_is_complete():
        pytest.skip("the site was built without the JavaScript bundle (npm was unavailable), so it "
                    "loads MathJax and the widget manager from the public CDN; run `make assets` "
                    "to bundle them and check the site offline")
    path = find_chromium()
    if path is None:
        path, reason = install_chromium()
        if path is None:
            pytest.skip(f"no Chromium to run the browser test ({reason}); "
                        "install Debian's `chromium` package to run it")
    return Chromium(path)


# The site's editions (book_support.EDITIONS): English at the root of _build/html, 简体中文 and
# 繁體中文 in their folders (tools/i18n.py builds them, each page at the same relative path as in
# English), as folder names relative to the root. Every test of the pages in the browser takes its
# editions from here.
EDITIONS = tuple("" if folder == BOOK_EDITIONS["en"] else folder.relative_to(BOOK_EDITIONS["en"]).as_posix()
                 for folder in BOOK_EDITIONS.values())
EDITION_NAMES = {"": "English", "zh-cn": "简体中文", "zh-tw": "繁體中文"}

# Every page of the English edition: the TOC's, in order, and the index and search pages.
ENGLISH_PAGES = [f"{doc}.html" for doc in toc_files()] + ["genindex.html", "search.html"]
# The exercise and solution notebooks' pages, English in every edition.
NOTEBOOK_FOLDERS = ("exercises/", "solutions/")


def edition_pages(edition: str) -> list[str]:
    """The pages of ``edition`` ("" for English) that the tests visit, as paths under _build/html:
    every page of the English edition; in a Chinese edition, every page it translates (the intro,
    the chapters, how-to-use, notation, glossary, errata, performance, bibliography) and its index
    and search pages, and of its exercise and solution pages, which show the English notebooks
    under the edition's header, the first of each."""
    if not edition:
        return list(ENGLISH_PAGES)
    firsts = {next(p for p in ENGLISH_PAGES if p.startswith(kind)) for kind in NOTEBOOK_FOLDERS}
    return [f"{edition}/{page}" for page in ENGLISH_PAGES if not page.startswith(NOTEBOOK_FOLDERS) or page in firsts]


def edition_of(page: str) -> str:
    """The edition ("", "zh-cn", "zh-tw") a page path belongs to."""
    first = page.split("/", 1)[0]
    return first if first in EDITIONS[1:] else ""


# Every page of every edition, English first.
PAGES = [page for edition in EDITIONS for page in edition_pages(edition)]


def pages_in(html_dir: Path) -> list[str]:
    """:data:`PAGES`, each checked to be in the build; a missing edition is named with its folder."""
    missing_editions = [f"{EDITION_NAMES[e]} ({html_dir / e} has no index.html)" for e in EDITIONS
                        if e and not (html_dir / e / "index.html").is_file()]
    assert not missing_editions, (f"editions missing from the build: {'; '.join(missing_editions)}. "
                                  "The Chinese editions are built from the English one by `tools/i18n.py build`")
    missing = [page for page in PAGES if not (html_dir / page).is_file()]
    assert not missing, f"pages missing from the build: {missing}"
    return PAGES


# ----------------------------------------------------------------------------- page checks

# Runs in the page: everything the test reads after the page has settled.
PAGE_REPORT_JS = r"""
(() => {
  const clone = document.body.cloneNode(true);
  for (const el of clone.querySelectorAll('pre, code, script, style, mjx-container, textarea, .highlight'))
    el.remove();
  const text = clone.textContent;
  const maths = Array.from(document.querySelectorAll('.math'));
  const images = Array.from(document.images).map(img => ({
      src: img.currentSrc || img.src, complete: img.complete, width: img.naturalWidth}));
  return {
    title: document.title,
    rawDisplayMath: text.includes('$$'),
    rawInlineMath: text.includes('\\(') || text.includes('\\['),
    mathElements: maths.length,
    mathUnrendered: maths.filter(m => !m.querySelector('mjx-container')).length,
    images: images,
    widgetViews: document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length,
    widgetAreas: document.querySelectorAll('.widget-subarea').length,
    renderedWidgets: document.querySelectorAll('.widget-subarea .jupyter-widgets, .widget-subarea .lm-Widget').length,
    sliders: document.querySelectorAll('input[type=range], .widget-slider, .noUi-target').length,
    searchHits: Array.from(document.querySelectorAll('#search-results ul.search li a')).map(a => a.getAttribute('href')),
  };
})()
"""

# Settled: MathJax (where the page has math) has typeset, every image has finished loading.
SETTLED_JS = r"""
(async () => {
  if (document.readyState !== 'complete') return false;
  if (document.querySelector('.math')) {
    if (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) return false;
    await MathJax.startup.promise;
  }
  return Array.from(document.images).every(img => img.complete);
})()
"""

WIDGETS_SHOWN_JS = r"""
(() => {
  const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length;
  const areas = Array.from(document.querySelectorAll('.widget-subarea')).filter(a => a.querySelector('.jupyter-widgets')).length;
  return views === 0 || areas >= views;
})()
"""


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome", "devtools", "file"):
        return True
    return parts.hostname in ("127.0.0.1", "localhost")


def problems_from_events(events: list[dict], session: str) -> tuple[list[str], list[str]]:
    """(JavaScript errors, failed requests) among the events of one page."""
    js_errors, failed = [], []
    urls = {}
    for ev in events:
        if ev.get("sessionId") != session:
            continue
        method, params = ev["method"], ev.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            desc = details.get("exception", {}).get("description") or details.get("text")
            js_errors.append(f"uncaught: {desc}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            js_errors.append(f"console.error: {args}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            entry = params["entry"]
            js_errors.append(f"log ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}".strip())
        elif method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            urls[params["requestId"]] = url
            if not is_local(url):
                failed.append(f"request to a remote host: {url}")
        elif method == "Network.responseReceived":
            status = params["response"]["status"]
            if status >= 400:
                failed.append(f"HTTP {status}: {params['response']['url']}")
        elif method == "Network.loadingFailed":
            url = urls.get(params["requestId"], params["requestId"])
            if is_local(url) and not params.get("canceled"):
                failed.append(f"failed ({params.get('errorText')}): {url}")
    return js_errors, failed


def start_page(browser: Chromium, url: str, empty_cache: bool = False) -> tuple[str, str]:
    """Open ``url`` in a fresh tab; returns (target, session) at once, the page loading meanwhile.
    With ``empty_cache``, the tab loads everything from the server, as a first visit does."""
    target, session = browser.open_page()
    if empty_cache:
        browser.call("Network.setCacheDisabled", {"cacheDisabled": True}, session=session)
    browser.call("Page.navigate", {"url": url}, session=session)
    return target, session


def transferred_bytes(events: list[dict], session: str) -> int:
    """The bytes of every response one tab has received in full so far, as Chromium counts them
    (``encodedDataLength``, headers included), as benchmarks/page_weight.py counts them."""
    return sum(ev["params"]["encodedDataLength"] for ev in events
               if ev.get("sessionId") == session and ev["method"] == "Network.loadingFinished")


def settle(browser: Chromium, url: str, session: str, settle_js: str = SETTLED_JS) -> tuple[bool, bool]:
    """Wait until the tab has loaded and settled: (settled, widgets drawn)."""
    if browser.wait_for_event("Page.loadEventFired", session, PAGE_TIMEOUT) is None:
        raise AssertionError(f"{url}: the page did not finish loading in {PAGE_TIMEOUT:.0f} s")
    settled = browser.wait_until(session, settle_js, PAGE_TIMEOUT)
    widgets_shown = browser.wait_until(session, WIDGETS_SHOWN_JS, PAGE_TIMEOUT)
    return settled, widgets_shown


def take_screenshot(browser: Chromium, session: str, path: Path) -> None:
    browser.call("Page.bringToFront", session=session)  # headless Chromium paints only the tab in front
    shot = browser.call("Page.captureScreenshot", {"format": "png"}, session=session)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b64decode(shot["data"]))


def finish_page(browser: Chromium, url: str, target: str, session: str, screenshot: Path | None,
            settle_js: str = SETTLED_JS):
    """Wait until the tab has settled; (report, JS errors, failed requests). Closes the tab."""
    try:
        settled, widgets_shown = settle(browser, url, session, settle_js)
        browser.pump(0.3)  # late console messages and requests
        report = browser.evaluate(session, PAGE_REPORT_JS)
        report["settled"], report["widgetsShown"] = settled, widgets_shown
        if screenshot is not None:
            take_screenshot(browser, session, screenshot)
        js_errors, failed = problems_from_events(browser.events, session)
        return report, js_errors, failed
    finally:
        browser.events = [ev for ev in browser.events if ev.get("sessionId") != session]
        browser.close_page(target)


# ----------------------------------------------------------------------------- keyboard, focus, Chinese fonts

# Runs in the page: the tab stops, and the formulas among them (MathJax's menu would make each one).
TAB_STOPS_JS = r"""
(() => {
  const candidates = document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable]:not([contenteditable=false])');
  const stops = Array.from(candidates).filter(el => el.tabIndex >= 0 && !el.disabled &&
    !el.closest('[inert], [hidden]') && (el.offsetParent !== null || el.getClientRects().length > 0));
  return {stops: stops.length, formulas: stops.filter(el => el.closest('mjx-container')).length,
          formulasShown: document.querySelectorAll('mjx-container').length};
})()
"""

# Runs in the page: the wide pictures of a widget shown in a box that scrolls sideways (chapter 9's
# computation graph): their scale, and where the box, the column and the page end.
GRAPH_SCALE_JS = r"""
(() => Array.from(document.querySelectorAll('.widget-subarea .nnbook-scroll img'))
  .filter(img => img.offsetParent !== null)
  .map(img => ({scale: img.getBoundingClientRect().width / img.naturalWidth,
                box: img.closest('.nnbook-scroll').getBoundingClientRect().right,
                column: document.querySelector('.bd-article').getBoundingClientRect().right,
                page: document.documentElement.scrollWidth, window: window.innerWidth})))()
"""

# Chinese code points, as the bundler counts them (the blocks its font files are cut to), as a
# JavaScript regular expression.
CJK_PATTERN = "[" + "".join(f"\\u{{{lo:X}}}-\\u{{{hi:X}}}" for lo, hi in bundle_assets.CJK_BLOCKS) + "]"

# Runs in the page: every Chinese character of the visible elements that match the selector, appended
# in a span (data-cjk-probe) to the first of them, where it takes that element's fonts; the start of
# that element's text and the characters, or null when none has Chinese.
PROBE_CJK_JS = r"""
((selector, pattern) => {
  const cjk = new RegExp(pattern, 'gu');
  const chars = new Set();
  let first = null;
  for (const el of document.querySelectorAll(selector)) {
    if (el.getBoundingClientRect().width === 0) continue;
    const found = el.textContent.match(cjk);
    if (!found) continue;
    found.forEach(c => chars.add(c));
    first = first || el;
  }
  if (!first) return null;
  const text = first.textContent.trim().slice(0, 40);
  const span = document.createElement('span');
  span.setAttribute('data-cjk-probe', '1');
  span.textContent = Array.from(chars).join('');
  first.appendChild(span);
  return {text: text, chars: span.textContent};
})
"""

# Where Chinese text is looked for on every page: headings, body text, table cells (the glossary),
# math (\text{…} inside an equation), inline code (the errata's quotations): each takes its own fonts.
CJK_PROBES = ("h1, h2, h3", "article p, article li", "article table td", "mjx-container mjx-utext", "code.literal")


def chinese_fonts(browser: Chromium, session: str, selectors=CJK_PROBES) -> list[dict]:
    """For each selector, every Chinese character the page shows in the elements it matches, drawn
    in the first of them, and the fonts Chromium drew them with (CSS.getPlatformFontsForNode):
    [{selector, text (the element's), chars, fonts: [[family, is a web font], ...]}], the selectors
    that match no Chinese text left out."""
    found = []
    browser.evaluate(session, "document.fonts.ready.then(() => true)")
    enabled = False
    try:
        for selector in selectors:
            probe = browser.evaluate(session, f"{PROBE_CJK_JS}({json.dumps(selector)}, {json.dumps(CJK_PATTERN)})")
            if not probe:
                continue
            try:
                # The characters the first element lacked load their font file now (unicode-range).
                browser.evaluate(session, "document.fonts.ready.then(() => true)")
                if not enabled:
                    for domain in ("DOM", "CSS"):
                        browser.call(f"{domain}.enable", session=session)
                    enabled = True
                root = browser.call("DOM.getDocument", {"depth": 0}, session=session)["root"]["nodeId"]
                node = browser.call("DOM.querySelector", {"nodeId": root, "selector": "[data-cjk-probe]"},
                                    session=session)["nodeId"]
                fonts = browser.call("CSS.getPlatformFontsForNode", {"nodeId": node}, session=session)["fonts"]
            finally:
                browser.evaluate(session, "document.querySelector('[data-cjk-probe]').remove(), true")
            used = sorted({(f["familyName"], bool(f.get("isCustomFont"))) for f in fonts if f.get("glyphCount", 0) > 0})
            found.append({"selector": selector, **probe, "fonts": [list(u) for u in used]})
    finally:
        if enabled:
            for domain in ("CSS", "DOM"):
                browser.call(f"{domain}.disable", session=session)
    return found


# ----------------------------------------------------------------------------- widgets: what a keyboard and a screen reader need

# Runs in the page: every group of toggle buttons has a named group role, and each button exposes
# its state (aria-pressed, or aria-checked for a radio).
TOGGLES_JS = r"""
(() => {
  const problems = [];
  let n = 0;
  document.querySelectorAll('.widget-subarea .widget-toggle-buttons').forEach(box => {
    const buttons = Array.from(box.querySelectorAll('button'));
    const group = buttons.length ? buttons[0].parentElement : null;
    const role = group && group.getAttribute('role');
    if (!group || !['group', 'radiogroup'].includes(role) || !(group.getAttribute('aria-label') || '').trim())
      problems.push(`toggle group "${box.textContent.trim()}" has no group role with a name`);
    buttons.forEach(b => {
      n += 1;
      const on = b.classList.contains('mod-active');
      const pressed = b.getAttribute('aria-pressed');
      const radio = b.getAttribute('role') === 'radio' ? b.getAttribute('aria-checked') : null;
      const state = pressed !== null ? pressed : radio;
      if (state !== String(on)) problems.push(`toggle "${b.textContent.trim()}" (${on ? 'on' : 'off'}) exposes ${state}`);
    });
  });
  return {n, problems};
})()
"""

CLICK_FIRST_OFF_TOGGLE_JS = r"""
(() => {
  const b = Array.from(document.querySelectorAll('.widget-subarea .widget-toggle-buttons button'))
    .find(b => !b.classList.contains('mod-active'));
  if (!b) return null;
  b.click();
  return b.textContent.trim();
})()
"""

# Marks the HTML each widget shows now (data-nnbook-seen holds its content) ...
MARK_RESULTS_JS = r"""
(() => {
  const shown = Array.from(document.querySelectorAll('.widget-subarea .widget-html-content'))
    .filter(r => r.offsetParent !== null);
  shown.forEach(r => r.setAttribute('data-nnbook-seen', String(r.innerHTML.length) + ':' + r.textContent.slice(0, 200)));
  return shown.length;
})()
"""

# ... and, after a control has moved, lists what changed or appeared: each must be in a live region.
LIVE_RESULTS_JS = r"""
(() => {
  const changed = Array.from(document.querySelectorAll('.widget-subarea .widget-html-content'))
    .filter(r => r.offsetParent !== null &&
      r.getAttribute('data-nnbook-seen') !== String(r.innerHTML.length) + ':' + r.textContent.slice(0, 200));
  const problems = [];
  changed.forEach(r => {
    const live = r.closest('[aria-live]');
    if (!live || !['polite', 'assertive'].includes(live.getAttribute('aria-live')))
      problems.push(`a result ("${r.textContent.trim().slice(0, 60)}") changed outside any aria-live region`);
  });
  return {n: changed.length, problems};
})()
"""

# Runs in the page: every control of a widget shows a focus ring of at least 2 px at 3:1 contrast.
FOCUS_JS = r"""
(() => {
  const rgb = s => (s.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = c => { const v = c.map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
                     return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const contrast = (a, b) => { const [h, l] = [lum(a), lum(b)].sort((x, y) => y - x); return (h + 0.05) / (l + 0.05); };
  const background = el => {
    for (let e = el.parentElement; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c && !c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') return rgb(c);
    }
    return [255, 255, 255];
  };
  const controls = Array.from(document.querySelectorAll(
    '.widget-subarea .widget-toggle-buttons button, .widget-subarea .widget-dropdown select, ' +
    '.widget-subarea .widget-play button, .widget-subarea .noUi-handle'))
    .filter(el => el.offsetParent !== null);
  const problems = [];
  controls.forEach(el => {
    el.focus({focusVisible: true});
    const s = getComputedStyle(el);
    const width = parseFloat(s.outlineWidth) || 0;
    const ratio = contrast(rgb(s.outlineColor), background(el));
    const name = (el.getAttribute('aria-label') || el.textContent || el.tagName).trim();
    if (document.activeElement !== el) problems.push(`${name}: takes no focus`);
    else if (s.outlineStyle === 'none' || width < 2) problems.push(`${name}: focus outline ${s.outlineStyle} ${width}px`);
    else if (ratio < 3) problems.push(`${name}: focus outline contrast ${ratio.toFixed(2)}:1`);
  });
  if (document.activeElement) document.activeElement.blur();
  return {n: controls.length, problems};
})()
"""

# Runs in the page: the first Play control's accessible name, and what its icon shows.
PLAY_NAME_JS = r"""
(() => {
  const box = document.querySelector('.widget-subarea .widget-play');
  const b = box && box.querySelector('button');
  if (!b) return null;
  const icon = b.querySelector('i');
  return {name: b.getAttribute('aria-label'), shows: icon && icon.classList.contains('fa-pause') ? 'pause' : 'play'};
})()
"""

CLICK_PLAY_JS = "document.querySelector('.widget-subarea .widget-play button').click()"


@dataclass
class WidgetVisit:
    """What a page's widgets did when a reader's keyboard and mouse worked them (:func:`work_widgets`)."""

    toggles: dict  # TOGGLES_JS as the page loaded: {n, problems}
    clicked: str | None  # the toggle clicked to see its state follow (None: a slider was stepped instead)
    toggles_after: list[str]  # TOGGLES_JS's problems after that click
    live: dict  # LIVE_RESULTS_JS after that click or step: {n (results changed), problems}
    focus: dict  # FOCUS_JS: {n (controls focused), problems}
    play: list[dict] | None  # PLAY_NAME_JS as loaded, playing, paused again (None: no Play control)
    controls: int  # controls operated (operate_controls)
    issues: list[str]  # operate_controls' problems, and JS errors and failed requests while working


# How soon a widget must show the effect of a click or a key: its state, its result, its Play button.
REACTION = 0.5


def work_widgets(browser: Chromium, session: str) -> WidgetVisit:
    """Work the widgets of a settled page in front, as a reader would: the toggles' states, a click
    (or a slider's step) and the live regions that announce its result, the focus rings, the Play
    button's name, then every control (:func:`operate_controls`)."""
    # The problems the page had before (the JS errors and failed requests of its loading) come first.
    js_before, failed_before = (len(found) for found in problems_from_events(browser.events, session))
    toggles = browser.evaluate(session, TOGGLES_JS)
    focus_rings = browser.evaluate(session, FOCUS_JS)
    browser.evaluate(session, MARK_RESULTS_JS)
    clicked = browser.evaluate(session, CLICK_FIRST_OFF_TOGGLE_JS)
    # Each state is read once it is as it should be, or after REACTION (whichever comes first).
    if clicked is not None:  # the state follows a click
        browser.wait_until(session, f"({TOGGLES_JS}).problems.length === 0 && ({LIVE_RESULTS_JS}).n > 0", REACTION)
        toggles_after = browser.evaluate(session, TOGGLES_JS)["problems"]
    else:  # no toggle: step the first slider from the keyboard
        toggles_after = []
        browser.evaluate(session, "(() => { const h = document.querySelector('.widget-subarea .noUi-handle');"
                                  " if (h) h.focus(); })()")
        press(browser, session, "ArrowRight")
        browser.wait_until(session, f"({LIVE_RESULTS_JS}).n > 0", REACTION)
    browser.evaluate(session, NEXT_FRAME_JS)  # what changes with the same update
    live = browser.evaluate(session, LIVE_RESULTS_JS)
    play = None
    if browser.evaluate(session, PLAY_NAME_JS) is not None:
        play = [browser.evaluate(session, PLAY_NAME_JS)]
        for shows in ("pause", "play"):  # play, then pause
            browser.evaluate(session, CLICK_PLAY_JS)
            browser.wait_until(session, f"(p => p.shows === '{shows}' && p.name === '{shows}')({PLAY_NAME_JS})",
                               REACTION)
            play.append(browser.evaluate(session, PLAY_NAME_JS))
    issues, n = operate_controls(browser, session)
    js_errors, failed = problems_from_events(browser.events, session)
    return WidgetVisit(toggles, clicked, toggles_after, live, focus_rings, play, n,
                       issues + js_errors[js_before:] + failed[failed_before:])


# ----------------------------------------------------------------------------- one visit per page

DESKTOP, PHONE = 1280, 390

# Runs in the page: what scrolls sideways (tests/test_layout.py reads it).
MEASURE_JS = r"""
(() => {
  const main = document.querySelector('main, .bd-main') || document.body;
  const firstLine = t => (t.split('\n').find(l => l.trim()) || '').trim().slice(0, 100);
  const longestLine = t => t.split('\n').reduce((a, b) => b.length > a.length ? b : a, '').trim().slice(0, 100);
  const blocks = [];
  for (const pre of main.querySelectorAll('pre')) {
    if (pre.closest('.widget-subarea, .jupyter-widgets')) continue;  // drawn by a widget
    const over = pre.scrollWidth - pre.clientWidth;
    if (over > 1 && pre.offsetParent !== null) {
      const kind = pre.closest('.cell_output, .output') ? 'output' : 'code';
      blocks.push({kind, overflow: over, first: firstLine(pre.textContent), longest: longestLine(pre.textContent)});
    }
  }
  const items = (window.MathJax && MathJax.startup && MathJax.startup.document)
    ? Array.from(MathJax.startup.document.math) : [];
  const equations = [];
  for (const eq of main.querySelectorAll('mjx-container[display="true"]')) {
    const over = eq.scrollWidth - eq.clientWidth;
    if (over > 1) {
      const item = items.find(m => m.typesetRoot === eq);
      equations.push({overflow: over, tex: (item ? item.math : eq.textContent).trim().replace(/\s+/g, ' ').slice(0, 100)});
    }
  }
  const pageOverflow = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  const wide = [];
  if (pageOverflow > 1) {
    const limit = document.documentElement.clientWidth + 1;
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right <= limit || r.width === 0) continue;
      let clipped = false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const o = getComputedStyle(a).overflowX;
        if (o !== 'visible' || getComputedStyle(a).position === 'fixed') { clipped = true; break; }
      }
      if (clipped || getComputedStyle(el).position === 'fixed') continue;
      const parentWide = el.parentElement && el.parentElement.getBoundingClientRect().right > limit;
      if (!parentWide || el.parentElement === document.body) {
        wide.push(`${el.tagName.toLowerCase()}.${[...el.classList].slice(0, 2).join('.')} ` +
                  `(${Math.round(r.right)} px): ${firstLine(el.textContent)}`);
      }
    }
  }
  return {blocks, equations, pageOverflow, wide: wide.slice(0, 8)};
})()
"""

# Runs in the page once axe-core is injected: its WCAG 2 A/AA violations (tests/test_accessibility.py).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

AXE_RUN_JS = """
(async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: %s},
    resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                              summary: (n.failureSummary || '').split('\\n').slice(1, 2).join('')})),
  }));
})()
""" % json.dumps(WCAG_TAGS)


@dataclass
class Visit:
    """What the tests read from one page, loaded once."""

    report: dict  # PAGE_REPORT_JS, with "settled" and "widgetsShown"
    js_errors: list[str]  # while the page loaded and was measured (not while its widgets were worked)
    failed: list[str]  # failed requests, and requests to other hosts, meanwhile
    desktop: dict  # MEASURE_JS at 1280 px
    phone: dict  # MEASURE_JS once the same page is narrowed to 390 px
    axe: list[dict] | None  # axe-core's violations at 1280 px; None when axe-core was not given
    keyboard: dict  # TAB_STOPS_JS: the tab stops, and the formulas among them
    graphs: dict  # GRAPH_SCALE_JS at 1280 and at 390 px: {1280: [...], 390: [...]}
    fonts: list[dict]  # chinese_fonts: what the page's Chinese text is drawn with
    widgets: WidgetVisit | None  # work_widgets, on a page that shows widgets; None elsewhere
    # Bytes transferred by a first visit (loaded with an empty cache) until 1 s after the page had
    # settled (transferred_bytes); None for a page loaded with the browser's cache.
    first_visit_bytes: int | None = None


def set_width(browser: Chromium, session: str, width: int) -> None:
    browser.call("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": 900 if width == DESKTOP else 844, "deviceScaleFactor": 1,
                  "mobile": width != DESKTOP}, session=session)


# The reflow after a change of width, and nnbook.js refitting the equations 150 ms after a resize:
# waited for in the page (the tab is in front, so its timers run on time), then a frame drawn.
REFLOWED_JS = "new Promise(r => setTimeout(() => requestAnimationFrame(() => r(true)), 250))"
NEXT_FRAME_JS = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


def inspect_page(browser: Chromium, url: str, target: str, session: str, screenshot: Path | None,
                 axe_source: str | None, empty_cache: bool = False) -> Visit:
    """Read everything from a loading tab: the report, a screenshot, the layout at 1280 px, axe-core's
    audit, the tab stops, the Chinese text's fonts, the layout at 390 px; then, back at 1280 px, its
    widgets at work (:func:`work_widgets`). A tab loaded with an empty cache is weighed first: the
    bytes it has transferred 1 s after it settled. Closes the tab."""
    try:
        settled, widgets_shown = settle(browser, url, session)
        # In front: timers run at full speed there (nnbook.js refits equations on a timer), and the
        # widgets' labels (nnbook-widgets.js) are set on the next frame.
        browser.call("Page.bringToFront", session=session)
        browser.evaluate(session, NEXT_FRAME_JS)
        browser.pump(0.25)  # late console messages and requests
        first_visit = None
        if empty_cache:  # weighed as benchmarks/page_weight.py weighs it: what loads within 1 s of ready
            browser.pump(0.75)
            first_visit = transferred_bytes(browser.events, session)
        report = browser.evaluate(session, PAGE_REPORT_JS)
        report["settled"], report["widgetsShown"] = settled, widgets_shown
        if screenshot is not None:
            take_screenshot(browser, session, screenshot)
        desktop = browser.evaluate(session, MEASURE_JS)
        graphs = {DESKTOP: browser.evaluate(session, GRAPH_SCALE_JS)}
        axe = None
        if axe_source is not None:
            browser.evaluate(session, axe_source + "\n;true")
            axe = browser.evaluate(session, AXE_RUN_JS, timeout=120)
        keyboard = browser.evaluate(session, TAB_STOPS_JS)
        fonts = chinese_fonts(browser, session)
        set_width(browser, session, PHONE)
        browser.evaluate(session, REFLOWED_JS)
        phone = browser.evaluate(session, MEASURE_JS)
        graphs[PHONE] = browser.evaluate(session, GRAPH_SCALE_JS)
        js_errors, failed = problems_from_events(browser.events, session)
        widgets = None
        if report["widgetViews"]:
            set_width(browser, session, DESKTOP)
            browser.evaluate(session, REFLOWED_JS)
            widgets = work_widgets(browser, session)
        return Visit(report, js_errors, failed, desktop, phone, axe, keyboard, graphs, fonts, widgets, first_visit)
    finally:
        browser.events = [ev for ev in browser.events if ev.get("sessionId") != session]
        browser.close_page(target)


def visit(browser: Chromium, url: str, axe_source: str | None = None, screenshot: Path | None = None) -> Visit:
    """One page, inspected as :func:`visit_pages` inspects every page."""
    return inspect_page(browser, url, *start_page(browser, url), screenshot, axe_source)


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _visit_in_order(browser: Chromium, base: str, take, axe_source: str | None, tabs: int,
                    first_visits: frozenset = frozenset()) -> dict[str, Visit]:
    """{page: Visit} for the pages ``take(tabs)`` hands this browser, ``tabs`` at a time: the next
    ones load while the first is inspected; those in ``first_visits`` with an empty cache."""
    visits = {}
    while pages := take(tabs):
        opened = [(page, *start_page(browser, f"{base}/{page}", page in first_visits)) for page in pages]
        for page, target, session in opened:
            shot = SCREENSHOTS / (page[: -len(".html")].replace("/", "__") + ".png")
            visits[page] = inspect_page(browser, f"{base}/{page}", target, session, shot, axe_source,
                                        page in first_visits)
    return visits


def visit_pages(browser: Chromium, base: str, html_dir: Path, axe_source: str | None = None,
                tabs: int = 2, browsers: int | None = None, editions_built=None) -> dict[str, Visit]:
    """{page: Visit} for every page of every edition (:func:`pages_in`), in that order, shared among
    one browser per core (:func:`share_among_browsers`); a screenshot of each page at 1280 px goes
    to ``_build/screenshots``. The English pages with widgets are loaded with an empty cache, as
    a reader's first visit, and weighed (``Visit.first_visit_bytes``).

    With ``editions_built`` (a function that returns once the Chinese editions are built, or
    raises), the English pages are visited first, while the Chinese editions build, then theirs."""
    first_visits = frozenset(widget_pages(html_dir))
    if editions_built is None:
        batches = [lambda: pages_in(html_dir)]
    else:
        def chinese():
            editions_built()
            return [page for page in pages_in(html_dir) if edition_of(page)]

        batches = [lambda: english_pages_in(html_dir), chinese]
    # One browser per core, each with two tabs (the next page loads while one is inspected). A
    # third browser took no less time and 9% more CPU (36 pages on a quiet 2-core machine, three
    # runs each: 64-69 s and 121-131 CPU-s, against 63-67 s and 110-117 CPU-s), and in the suite
    # the cores are never idle: the other tests fill them.
    return share_among_browsers(browser, batches, lambda chrome, take: _visit_in_order(chrome, base, take, axe_source,
                                                                                       tabs, first_visits),
                                browsers or cores())


def english_pages_in(html_dir: Path) -> list[str]:
    """The English edition's pages of :data:`PAGES`, each checked to be in the build."""
    pages = [page for page in PAGES if not edition_of(page)]
    missing = [page for page in pages if not (html_dir / page).is_file()]
    assert not missing, f"pages missing from the build: {missing}"
    return pages


_session_visits: concurrent.futures.Future | None = None


def start_visits(axe_script) -> None:
    """Start the session's visit of every page (the fixture ``page_visits``) in a background thread,
    once (tests/conftest.py does it when the tests are collected): as soon as the session's build
    has written the English edition, its pages are served and visited, then, once they are built,
    the Chinese editions' (:func:`visit_pages`, with the axe-core script that ``axe_script()``
    gives, or None), in browsers of their own, while the tests of the built book that read no visit
    run in the session's other browser."""
    from book_support import session_english_build

    global _session_visits
    if _session_visits is not None:
        return
    _session_visits = future = concurrent.futures.Future()

    def run():
        try:
            html = session_english_build().html
            if not (html / "index.html").is_file():
                raise AssertionError(f"the book build produced no {html / 'index.html'}: no page to visit")
            axe_source = axe_script()
            chrome = launch_chromium()
            try:
                with serve(html) as base, phase(f"visiting the {len(PAGES)} pages"):
                    future.set_result(visit_pages(chrome, base, html, axe_source=axe_source,
                                                  editions_built=session_build))
            finally:
                chrome.close()
        except BaseException as err:  # noqa: BLE001  (handed to whoever waits for the visits, a skip too)
            future.set_exception(err)

    threading.Thread(target=run, name="page-visits", daemon=True).start()


def session_visits(axe_script) -> dict[str, Visit]:
    """The session's visit of every page: started if need be, then waited for."""
    start_visits(axe_script)
    return _session_visits.result()


def visits_finished() -> None:
    """Return once the session's visit of every page, if one was started, has ended (whether or
    not it succeeded: the tests that read it report that)."""
    if _session_visits is not None:
        concurrent.futures.wait([_session_visits])


def share_among_browsers(browser: Chromium, batches: list, work, browsers: int | None = None) -> dict:
    """``work(chrome, take)`` (a dict keyed by the items it took) in ``browsers`` Chromium instances
    (one per core by default: ``browser`` and fresh ones, closed afterwards), each driven from its
    own thread; the results merged in the order of the items. ``batches`` are functions that give
    the items, called one after the other when the items before are all taken (a call may wait:
    for a build, say). Each browser takes the next items from one queue (``take(k)``: up to ``k``
    of them, none when all are taken), so that a browser whose pages were light takes more.

    A page's work (axe-core's audit, a widget redrawn) runs in one renderer process: one browser
    keeps one core busy, so the pages go to as many browsers as there are cores."""
    pending, queue, order = list(batches), [], []
    lock = threading.Lock()

    def take(k: int) -> list:
        with lock:
            while not queue and pending:
                batch = pending.pop(0)()
                order.extend(batch)
                queue.extend(reversed(batch))
            return [queue.pop() for _ in range(min(k, len(queue)))]

    n = max(1, browsers or cores())
    extra = [Chromium(browser.executable) for _ in range(n - 1)]
    try:
        with concurrent.futures.ThreadPoolExecutor(n) as pool:
            parts = list(pool.map(work, [browser, *extra], [take] * n))
    finally:
        for chrome in extra:
            chrome.close()
    found = {item: result for part in parts for item, result in part.items()}
    return {item: found[item] for item in order}


SEARCH_DONE_JS = r"""
(() => {
  const results = document.querySelectorAll('#search-results ul.search li');
  const status = document.querySelector('#search-results p.search-summary, #search-results .search-summary');
  return results.length > 0 || (status !== null && status.textContent.trim().length > 0);
})()
"""



# ----------------------------------------------------------------------------- widgets at work

# Runs in the page: tags every control of every widget with data-nnbook-control="k" and returns
# them. A control belongs to the widget output (.widget-subarea) that holds it; the "view" of
# that widget is everything in it that is not a control (the precomputed figure and readout).
CONTROLS_JS = r"""
(() => {
  const out = [];
  document.querySelectorAll('.widget-subarea').forEach((area, a) => {
    const add = (el, kind, name) => {
      el.setAttribute('data-nnbook-control', String(out.length));
      el.setAttribute('data-nnbook-area', String(a));
      out.push({id: out.length, area: a, kind: kind, name: name});
    };
    const nameOf = (box) => {
      const label = box && box.querySelector('.widget-label');
      return label ? label.textContent.trim() : '';
    };
    area.querySelectorAll('.noUi-handle').forEach(h => add(h, 'slider', h.getAttribute('aria-label') || ''));
    // The button already chosen last: by its turn another one is chosen, so clicking it changes the view.
    area.querySelectorAll('.widget-toggle-buttons').forEach(box => {
      const buttons = Array.from(box.querySelectorAll('button'));
      buttons.filter(b => !b.classList.contains('mod-active')).concat(buttons.filter(b => b.classList.contains('mod-active')))
        .forEach(b => add(b, 'toggle', nameOf(box) + ': ' + b.textContent.trim()));
    });
    area.querySelectorAll('.widget-dropdown select').forEach(s => add(s, 'dropdown', nameOf(s.closest('.widget-dropdown'))));
    area.querySelectorAll('.widget-play').forEach(box => {
      const play = Array.from(box.querySelectorAll('button')).find(b => b.querySelector('.fa-play'));
      if (play) add(play, 'play', box.getAttribute('title') || 'play');
    });
    area.querySelectorAll('button.widget-button, .widget-button button').forEach(b => {
      if (!b.closest('.widget-toggle-buttons, .widget-play')) add(b, 'button', b.textContent.trim());
    });
  });
  return out;
})()
"""

# The view of widget area k: its text and pictures outside the controls.
VIEW_JS = r"""
((k) => {
  const area = document.querySelectorAll('.widget-subarea')[k];
  const controls = '.widget-slider, .widget-hslider, .widget-vslider, .widget-toggle-buttons, ' +
                   '.widget-dropdown, .widget-play, .widget-button';
  const parts = [];
  area.querySelectorAll('.widget-html-content, img, canvas, svg').forEach(el => {
    if (el.closest(controls)) return;
    if (el.offsetParent === null && el.tagName !== 'svg') return;  // a hidden Stack child
    if (el.tagName === 'IMG') parts.push('img:' + el.currentSrc.length + ':' + el.currentSrc.slice(-64) + ':' + el.alt);
    else if (el.tagName === 'CANVAS') parts.push('canvas:' + el.toDataURL().length);
    else parts.push(el.textContent.trim().replace(/\s+/g, ' '));
  });
  return parts.join(' | ');
})
"""

CENTER_JS = r"""
((id) => {
  const el = document.querySelector('[data-nnbook-control="' + id + '"]');
  el.scrollIntoView({block: 'center', inline: 'center'});
  const r = el.getBoundingClientRect();
  return {x: r.left + r.width / 2, y: r.top + r.height / 2,
          now: el.getAttribute('aria-valuenow'), max: el.getAttribute('aria-valuemax'),
          min: el.getAttribute('aria-valuemin'), active: el.classList.contains('mod-active'),
          options: el.tagName === 'SELECT' ? el.options.length : 0,
          selected: el.tagName === 'SELECT' ? el.selectedIndex : -1};
})
"""

KEYS = {"ArrowRight": 39, "ArrowLeft": 37, "ArrowDown": 40, "ArrowUp": 38, "Home": 36, "End": 35}


def press(browser: Chromium, session: str, key: str) -> None:
    code = KEYS[key]
    for kind in ("rawKeyDown", "keyUp"):
        browser.call("Input.dispatchKeyEvent", {"type": kind, "key": key, "code": key,
                                                "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code},
                     session=session)


def click(browser: Chromium, session: str, x: float, y: float) -> None:
    for kind in ("mousePressed", "mouseReleased"):
        browser.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left",
                                                  "clickCount": 1}, session=session)


def focus(browser: Chromium, session: str, control_id: int) -> dict:
    where = browser.evaluate(session, f"({CENTER_JS})({control_id})")
    browser.evaluate(session, f"document.querySelector('[data-nnbook-control=\"{control_id}\"]').focus()")
    return where


def operate(browser: Chromium, session: str, control: dict) -> str:
    """Operate one control as a reader would; returns what was done."""
    where = focus(browser, session, control["id"])
    kind = control["kind"]
    if kind == "slider":
        # An arrow key on the focused handle: one step up, or down from the top.
        key = "ArrowLeft" if where["now"] is not None and float(where["now"]) >= float(where["max"]) else "ArrowRight"
        press(browser, session, key)
        return f"pressed {key}"
    if kind == "dropdown":
        key = "ArrowUp" if where["selected"] == where["options"] - 1 else "ArrowDown"
        press(browser, session, key)
        return f"pressed {key}"
    click(browser, session, where["x"], where["y"])
    return "clicked"


def wait_for_change(browser: Chromium, session: str, area: int, before: str, timeout: float = 5.0) -> str:
    deadline = time.monotonic() + timeout
    now = before
    while time.monotonic() < deadline:
        now = browser.evaluate(session, f"({VIEW_JS})({area})")
        if now != before:
            return now
        browser.pump(0.1)
    return now


def open_settled(browser: Chromium, url: str) -> tuple[str, str]:
    target, session = start_page(browser, url)
    settled, widgets_shown = settle(browser, url, session)
    assert settled, f"{url}: the page did not settle"
    assert widgets_shown, f"{url}: the widgets were not drawn"
    browser.call("Page.bringToFront", session=session)
    browser.pump(0.5)
    return target, session


# The widgets' own accessibility: every control has an accessible name and takes the keyboard,
# every picture has a text alternative. (A site-wide axe-core audit is a separate test.)
WIDGET_A11Y_JS = r"""
(() => {
  const problems = [];
  const name = (el) => (el.getAttribute('aria-label') || el.getAttribute('title') || el.textContent || '').trim() ||
                       (el.labels && Array.from(el.labels).map(l => l.textContent).join('').trim()) || '';
  document.querySelectorAll('.widget-subarea').forEach((area, a) => {
    area.querySelectorAll('[role=slider]').forEach(el => {
      if (!el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) problems.push(`widget ${a}: a slider handle has no accessible name`);
      if (el.tabIndex < 0) problems.push(`widget ${a}: slider ${name(el)} cannot take the keyboard focus`);
    });
    area.querySelectorAll('button, select, input:not([type=hidden])').forEach(el => {
      if (el.offsetParent !== null && !name(el)) problems.push(`widget ${a}: a ${el.tagName.toLowerCase()} has no accessible name`);
      if (el.offsetParent !== null && el.tabIndex < 0) problems.push(`widget ${a}: ${el.tagName.toLowerCase()} ${name(el)} cannot take the keyboard focus`);
    });
    area.querySelectorAll('img').forEach(img => {
      if (!(img.getAttribute('alt') || '').trim()) problems.push(`widget ${a}: an image has no alt text`);
    });
  });
  return problems;
})()
"""


def operate_controls(browser: Chromium, session: str) -> tuple[list[str], int]:
    """Operate every control of the widgets of a settled page in front; (problems found, controls
    operated). A problem: a control or a picture with no name, a widget output with no control, a
    control whose widget's view did not change."""
    issues = list(browser.evaluate(session, WIDGET_A11Y_JS))
    controls = browser.evaluate(session, CONTROLS_JS)
    areas = browser.evaluate(session, "document.querySelectorAll('.widget-subarea').length")
    without = sorted(set(range(areas)) - {c["area"] for c in controls})
    if without:
        issues.append(f"widget outputs {without} have no control")
    for control in controls:
        if not control["name"].strip(" :"):
            issues.append(f"a {control['kind']} control has no name")
        before = browser.evaluate(session, f"({VIEW_JS})({control['area']})")
        done = operate(browser, session, control)
        after = wait_for_change(browser, session, control["area"], before)
        if control["kind"] == "play":  # stop the sequence where it is
            browser.evaluate(session, "(() => { const b = document.querySelector("
                             "'[data-nnbook-control=\"%d\"]').closest('.widget-play')"
                             ".querySelector('.fa-pause'); if (b) b.closest('button').click(); })()"
                             % control["id"])
        if after == before:
            issues.append(f"{control['kind']} {control['name']!r} ({done}): the view did not change")
    browser.pump(0.3)
    return issues, len(controls)


def operate_every_control(browser: Chromium, url: str) -> tuple[list[str], int]:
    """Open ``url`` and operate every control of its widgets (:func:`operate_controls`); (problems
    found, JS errors and failed requests among them, controls operated)."""
    target, session = open_settled(browser, url)
    try:
        issues, n = operate_controls(browser, session)
        js_errors, failed = problems_from_events(browser.events, session)
        return issues + js_errors + failed, n
    finally:
        browser.events = [ev for ev in browser.events if ev.get("sessionId") != session]
        browser.close_page(target)


# ----------------------------------------------------------------------------- what the page shows

SLIDER_READOUT_JS = r"""
((id) => {
  const box = document.querySelector('[data-nnbook-control="' + id + '"]').closest('.widget-slider, .widget-hslider');
  return box.querySelector('.widget-readout').textContent.trim();
})
"""

BOLD_NUMBERS_JS = r"""
((k) => {
  const area = document.querySelectorAll('.widget-subarea')[k];
  return Array.from(area.querySelectorAll('.widget-html-content b'))
    .filter(b => b.offsetParent !== null).map(b => b.textContent.trim());
})
"""


def control_named(controls: list[dict], kind: str, name: str) -> dict:
    found = [c for c in controls if c["kind"] == kind and c["name"] == name]
    assert found, f"no {kind} named {name!r} among {[(c['kind'], c['name']) for c in controls]}"
    return found[0]


def set_slider(browser: Chromium, session: str, control: dict, label: str, max_steps: int = 20) -> None:
    """Move a slider with the keyboard (Home, then →) until its readout shows ``label``."""
    focus(browser, session, control["id"])
    press(browser, session, "Home")
    for _ in range(max_steps):
        browser.pump(0.05)
        if browser.evaluate(session, f"({SLIDER_READOUT_JS})({control['id']})") == label:
            return
        press(browser, session, "ArrowRight")
    raise AssertionError(f"slider {control['name']!r} never showed {label!r}")


def shown_numbers(browser: Chromium, session: str, area: int) -> list[float]:
    browser.pump(0.2)
    return [float(v.replace("−", "-")) for v in browser.evaluate(session, f"({BOLD_NUMBERS_JS})({area})")]
