"""The built site in a real browser: every page of every edition of ``_build/html`` (English,
简体中文 in ``zh-cn/``, 繁體中文 in ``zh-tw/``) opened in headless Chromium.

Each page is loaded once per session (the fixture ``page_visits``, ``tests/browser_support.py``);
on each the test checks:

* no JavaScript errors (uncaught exceptions, ``console.error``, browser log errors);
* no failed request, and no request to any host but localhost: the site is offline-complete;
* the math is rendered (no raw ``$$`` or ``\\(`` left in the text, a MathJax container in every
  math element);
* every image loaded (``naturalWidth > 0``);
* every page that holds a widget shows it, with at least one slider;

and, in the same visit, every control of every widget of every edition, operated with the keyboard
or the mouse, changes that widget's figure or readout. On pages opened for the purpose: a few
readouts equal the library's values; the search page finds "backpropagation"; pages opened from
disk work. No page's own weight (tools/page_weight.py) is over 3 MB. A screenshot of each page is
saved under ``_build/screenshots/``.
"""

from __future__ import annotations

import pytest

from book_support import toc_files, widget_pages
from browser_support import (CONTROLS_JS, EDITIONS, SCREENSHOTS, SEARCH_DONE_JS, click, control_named,
                             edition_of, edition_pages, finish_page, focus, open_settled, operate_every_control,
                             pages_in, problems_from_events, set_slider, shown_numbers, start_page)

BY_EDITION = pytest.mark.parametrize("edition", EDITIONS, ids=[e or "en" for e in EDITIONS])


@BY_EDITION
def test_every_page_in_the_browser(site, page_visits, edition):
    _, html_dir = site
    assert list(page_visits) == pages_in(html_dir)
    pages = edition_pages(edition)
    assert len(pages) >= 5, f"expected the book's pages in {html_dir / edition}, found {pages}"
    problems: dict[str, list[str]] = {}
    n_widget_pages = n_math_pages = 0
    for page in pages:
        seen = page_visits[page]
        report = seen.report
        issues = list(seen.js_errors) + list(seen.failed)
        if not report["settled"]:
            issues.append("the page did not settle (MathJax unfinished or images still loading)")
        if not report["title"].strip():
            issues.append("the page has no title")
        if report["rawDisplayMath"] or report["rawInlineMath"]:
            issues.append("raw TeX delimiters ($$ or \\( ) in the visible text: math not rendered")
        if report["mathUnrendered"]:
            issues.append(f"{report['mathUnrendered']} of {report['mathElements']} math elements have no MathJax container")
        for img in report["images"]:
            if not img["complete"] or img["width"] == 0:
                issues.append(f"image not loaded: {img['src'][:120]}")
        if report["widgetViews"]:
            n_widget_pages += 1
            if not report["widgetsShown"]:
                issues.append(f"{report['widgetViews']} widgets in the page, only "
                              f"{report['widgetAreas']} drawn")
            if report["sliders"] == 0:
                issues.append("the page holds widgets but shows no slider")
        if report["mathElements"]:
            n_math_pages += 1
        if issues:
            problems[page] = issues
    summary = "\n".join(f"{page}:\n  " + "\n  ".join(issues) for page, issues in problems.items())
    assert not problems, f"problems in {len(problems)} of {len(pages)} pages:\n{summary}"
    # Honest coverage: the checks above really ran on math (and widgets, once chapters have them).
    assert n_math_pages > 0, "no page with math was found: the MathJax check ran on nothing"
    print(f"{len(pages)} pages, {n_math_pages} with math, {n_widget_pages} with widgets; "
          f"screenshots in {SCREENSHOTS}")


def test_search_finds_backpropagation(site, browser):
    base, _ = site
    url = f"{base}/search.html?q=backpropagation"
    target, session = start_page(browser, url)
    report, js_errors, failed = finish_page(browser, url, target, session, SCREENSHOTS / "search-backpropagation.png",
                                        settle_js=SEARCH_DONE_JS)
    assert not js_errors and not failed, f"search page: {js_errors + failed}"
    assert report["settled"], "the search never finished"
    hits = report["searchHits"]
    assert hits, "searching for 'backpropagation' returned no result"
    # The chapter that is about it is among the hits.
    assert any("10-backpropagation" in href for href in hits), f"the hits are {hits}"


def test_pages_work_opened_from_disk(built_book, browser):
    """Opened as files (no server at all), a chapter with widgets still shows them and its math."""
    pages = [f"{doc}.html" for doc in toc_files()]
    with_widgets = [p for p in pages if "application/vnd.jupyter.widget-view+json" in (built_book / p).read_text(encoding="utf-8")]
    with_math = [p for p in pages if 'class="math' in (built_book / p).read_text(encoding="utf-8")]
    chosen = list(dict.fromkeys(with_widgets[:1] + with_math[:1]))
    assert chosen, "no page with widgets or math to open from disk"
    for page in chosen:
        url = (built_book / page).as_uri()
        target, session = start_page(browser, url)
        report, js_errors, failed = finish_page(browser, url, target, session, None)
        assert not js_errors and not failed, f"{page} from disk: {js_errors + failed}"
        assert report["settled"] and report["mathUnrendered"] == 0, f"{page} from disk: math not rendered"
        if report["widgetViews"]:
            assert report["widgetsShown"] and report["sliders"] > 0, f"{page} from disk: widgets not shown"


@BY_EDITION
def test_every_control_of_every_widget_changes_its_view(site, page_visits, edition):
    """On every page with widgets, each control, operated from the keyboard or the mouse,
    changes its widget's figure or readout (not only its own label), with no JavaScript error;
    every control has an accessible name and every picture a text alternative. Every edition
    shows the widgets on the same pages as the English one."""
    _, html_dir = site
    english = widget_pages(html_dir)
    assert english, "no page of the book holds a widget"
    worked = {page: seen.widgets for page, seen in page_visits.items()
              if edition_of(page) == edition and seen.widgets is not None}
    pages = list(worked)
    assert pages == [f"{edition}/{p}" if edition else p for p in english], \
        f"the pages whose widgets were worked are not the English widget pages {english}: {pages}"
    problems = {page: w.issues for page, w in worked.items() if w.issues}
    n_controls = sum(w.controls for w in worked.values())
    summary = "\n".join(f"{page}:\n  " + "\n  ".join(issues) for page, issues in problems.items())
    assert not problems, f"problems on {len(problems)} of {len(pages)} widget pages:\n{summary}"
    assert n_controls >= len(pages), f"only {n_controls} controls on {len(pages)} widget pages"
    print(f"{n_controls} controls operated on {len(pages)} widget pages")


def test_widgets_respond_opened_from_disk(built_book, browser):
    """Opened as a file (no server, no kernel), the first page with widgets still responds."""
    pages = widget_pages(built_book)
    assert pages, "no page of the book holds a widget"
    issues, n = operate_every_control(browser, (built_book / pages[0]).as_uri())
    assert n > 0 and not issues, f"{pages[0]} from disk ({n} controls): {issues}"


def test_widgets_show_the_library_values(site, browser):
    """Spot checks: set controls from the keyboard and the mouse, and compare the readout the
    page shows with the library's value for the same inputs."""
    import numpy as np

    import nnbook as nb

    base, _ = site
    # Chapter 1: the neuron with w₂ = 3, b = −8 (x = [2, 3], w₁ = 0), sigmoid, then step.
    target, session = open_settled(browser, f"{base}/book/01-neuron.html")
    try:
        controls = browser.evaluate(session, CONTROLS_JS)
        w2, b = control_named(controls, "slider", "weight w₂"), control_named(controls, "slider", "bias b")
        set_slider(browser, session, w2, "3")
        set_slider(browser, session, b, "-8")
        layer = nb.Linear.from_weights([[0.0, 3.0]], -8.0)
        z = float(layer.forward(np.array([2.0, 3.0]))[0])
        shown = shown_numbers(browser, session, w2["area"])
        np.testing.assert_allclose(shown, [z, float(nb.sigmoid(z))], atol=5e-5)
        step = control_named(controls, "toggle", "activation f: step")
        where = focus(browser, session, step["id"])
        click(browser, session, where["x"], where["y"])
        browser.pump(0.3)
        assert shown_numbers(browser, session, w2["area"]) == [z, 1.0]
        assert not sum(problems_from_events(browser.events, session), [])
    finally:
        browser.events = [ev for ev in browser.events if ev.get("sessionId") != session]
        browser.close_page(target)

    # Chapter 4: tanh at z = −1, its value and its derivative.
    target, session = open_settled(browser, f"{base}/book/04-activations.html")
    try:
        controls = browser.evaluate(session, CONTROLS_JS)
        tanh = control_named(controls, "toggle", "activation f: tanh")
        where = focus(browser, session, tanh["id"])
        click(browser, session, where["x"], where["y"])
        set_slider(browser, session, control_named(controls, "slider", "input z"), "-1")
        shown = shown_numbers(browser, session, tanh["area"])
        np.testing.assert_allclose(shown, [nb.tanh(-1.0), nb.tanh_prime(-1.0)], atol=5e-5)
        assert not sum(problems_from_events(browser.events, session), [])
    finally:
        browser.events = [ev for ev in browser.events if ev.get("sessionId") != session]
        browser.close_page(target)


def test_every_page_weighs_at_most_3_mb(built_book):
    """A page's own weight (its HTML with the widget states, and the files only it loads) fits the
    budget; the shared JavaScript and CSS are loaded once and counted apart."""
    import page_weight  # tools/, on the path through test_book

    own, shared, n_shared = page_weight.weigh(built_book)
    assert len(own) >= 5, f"expected the book's pages in {built_book}, found {sorted(own)}"
    heaviest = max(own, key=own.get)
    over = {name: round(size / page_weight.MB, 2) for name, size in own.items()
            if size > page_weight.BUDGET_MB * page_weight.MB}
    assert not over, f"pages over {page_weight.BUDGET_MB} MB (own weight, MB): {over}"
    print(f"heaviest page: {heaviest}, {own[heaviest] / page_weight.MB:.2f} MB; "
          f"shared: {n_shared} files, {shared / page_weight.MB:.2f} MB")


def test_a_missing_edition_is_named_with_its_folder(tmp_path):
    """A build without a Chinese edition fails the browser tests at once, naming the folder."""
    from browser_support import ENGLISH_PAGES

    for page in ENGLISH_PAGES:
        (tmp_path / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / page).write_text("<html></html>", encoding="utf-8")
    (tmp_path / "zh-tw").mkdir()
    (tmp_path / "zh-tw" / "index.html").write_text("<html></html>", encoding="utf-8")
    with pytest.raises(AssertionError, match=r"简体中文 \(.*zh-cn has no index\.html\)") as failure:
        pages_in(tmp_path)
    assert "zh-tw" not in str(failure.value)
