"""Every page of the built site passes axe-core's WCAG 2 A and AA rules in headless Chromium.

axe-core (the npm package, fetched by ``tools/bundle_assets.py`` into ``node_modules/axe-core``;
the site does not ship it) is injected into each page once the page has settled (MathJax typeset,
widgets drawn), and run with the rules tagged ``wcag2a``, ``wcag2aa``, ``wcag21a``, ``wcag21aa``
and ``wcag22aa``. The test fails on any violation and lists them per page: the rule, its impact
and the first elements it names. Chromium and the local server are those of
``tests/test_browser.py``.
"""

from __future__ import annotations

import json

import pytest

from test_book import _toc_files, bundle_assets
from test_browser import (  # noqa: F401  (fixtures: the one build, the server, the browser)
    SETTLED_JS, WIDGETS_SHOWN_JS, PAGE_TIMEOUT, Chromium, _pages, browser, book_build, built_book, site,
)

PAGES = [f"{doc}.html" for doc in _toc_files()] + ["genindex.html", "search.html"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

RUN_AXE_JS = """
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


@pytest.fixture(scope="module")
def axe_source() -> str:
    path = bundle_assets.fetch_axe()
    if path is None:
        pytest.skip("axe-core is not available (npm missing or offline): run `make assets` with npm")
    return path.read_text(encoding="utf-8")


def page_violations(browser: Chromium, url: str, axe_source: str) -> list[dict]:
    """axe-core's WCAG 2 A/AA violations on the page at ``url``, once it has settled."""
    target, session = browser.open_page()
    try:
        browser.call("Page.navigate", {"url": url}, session=session)
        if browser.wait_for_event("Page.loadEventFired", session, PAGE_TIMEOUT) is None:
            raise AssertionError(f"{url}: the page did not load in {PAGE_TIMEOUT:.0f} s")
        browser.wait_until(session, SETTLED_JS, PAGE_TIMEOUT)
        browser.wait_until(session, WIDGETS_SHOWN_JS, PAGE_TIMEOUT)
        browser.pump(0.3)
        browser.evaluate(session, axe_source + "\n;true")
        return browser.evaluate(session, RUN_AXE_JS, timeout=120)
    finally:
        browser.events = [ev for ev in browser.events if ev.get("sessionId") != session]
        browser.close_page(target)


def describe(page: str, violations: list[dict]) -> str:
    lines = [f"{page}:"]
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}, {len(v['nodes'])} elements): {v['help']}")
        for node in v["nodes"][:3]:
            lines.append(f"    {node['target']}  {node['html'][:100]}  {node['summary'][:100]}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def violations(site, browser, axe_source):  # noqa: F811
    """{page: axe-core's violations} for every page, each page visited once."""
    base, html_dir = site
    assert _pages(html_dir) == PAGES, "the pages of the build are not the table of contents'"
    return {page: page_violations(browser, f"{base}/{page}", axe_source) for page in PAGES}


@pytest.mark.parametrize("page", PAGES, ids=[p[: -len(".html")] for p in PAGES])
def test_no_wcag_violation(violations, page):
    found = violations[page]
    assert not found, describe(page, found)


def test_axe_finds_a_violation_when_there_is_one(site, browser, axe_source, tmp_path):  # noqa: F811
    """The check can fail: a page with an unlabelled summary and grey-on-white text is caught."""
    base, html_dir = site
    bad = html_dir / "_axe_selftest.html"
    bad.write_text('<!doctype html><html lang="en"><head><title>t</title></head><body><main>'
                   '<details><summary><i class="x"></i></summary><p>more</p></details>'
                   '<p style="color:#bbb;background:#fff">faint text</p></main></body></html>',
                   encoding="utf-8")
    try:
        ids = {v["id"] for v in page_violations(browser, f"{base}/_axe_selftest.html", axe_source)}
    finally:
        bad.unlink()
    assert {"summary-name", "color-contrast"} <= ids, ids
