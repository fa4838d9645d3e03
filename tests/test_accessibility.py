"""Every page of the built site, in every edition (English, 简体中文, 繁體中文), passes axe-core's
WCAG 2 A and AA rules in headless Chromium.

axe-core (the npm package, fetched by ``tools/bundle_assets.py`` into ``node_modules/axe-core``;
the site does not ship it) is injected into each page once the page has settled (MathJax typeset,
widgets drawn), and run with the rules tagged ``wcag2a``, ``wcag2aa``, ``wcag21a``, ``wcag21aa``
and ``wcag22aa``. The test fails on any violation and lists them per page: the rule, its impact
and the first elements it names. The audit is part of the session's one visit of every page
(``page_visits`` in ``tests/conftest.py``, :func:`browser_support.visit_pages`).
"""

from __future__ import annotations

import pytest

from browser_support import PAGES, visit

def describe(page: str, violations: list[dict]) -> str:
    lines = [f"{page}:"]
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}, {len(v['nodes'])} elements): {v['help']}")
        for node in v["nodes"][:3]:
            lines.append(f"    {node['target']}  {node['html'][:100]}  {node['summary'][:100]}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def violations(page_visits, axe_source):
    """{page: axe-core's violations} for every page."""
    assert list(page_visits) == PAGES, "the pages of the build are not the table of contents'"
    return {page: seen.axe for page, seen in page_visits.items()}


@pytest.mark.parametrize("page", PAGES, ids=[p[: -len(".html")] for p in PAGES])
def test_no_wcag_violation(violations, page):
    found = violations[page]
    assert found is not None, f"{page}: axe-core did not run"
    assert not found, describe(page, found)


def test_axe_finds_a_violation_when_there_is_one(site, browser, axe_source):
    """The check can fail: a page with an unlabelled summary and grey-on-white text is caught."""
    base, html_dir = site
    bad = html_dir / "_axe_selftest.html"
    bad.write_text('<!doctype html><html lang="en"><head><title>t</title></head><body><main>'
                   '<details><summary><i class="x"></i></summary><p>more</p></details>'
                   '<p style="color:#bbb;background:#fff">faint text</p></main></body></html>',
                   encoding="utf-8")
    try:
        ids = {v["id"] for v in visit(browser, f"{base}/_axe_selftest.html", axe_source).axe}
    finally:
        bad.unlink()
    assert {"summary-name", "color-contrast"} <= ids, ids
