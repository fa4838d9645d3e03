"""The Chinese editions' catalogues (locales/): syntax, terms, and the 繁體 derived from 简体.

Fast: no book is built. The builds themselves are checked by ``python tools/i18n.py build``,
which compares every glued value of each Chinese page with the English page's.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import glossary  # noqa: E402
import i18n  # noqa: E402

LOCALES = ("zh_CN", "zh_TW")
CATALOGUES = [(locale, path) for locale in LOCALES for path in i18n.catalogue_paths(locale)]
IDS = [f"{locale}/{path.stem}" for locale, path in CATALOGUES]


def _messages(path):
    return [message for message in i18n.read_po(path) if message.id]


def test_every_page_has_a_catalogue_in_both_scripts():
    for locale in LOCALES:
        base = i18n.LOCALES / locale / "LC_MESSAGES"
        missing = [page for page in i18n.PAGES if not (base / f"{page}.po").exists()]
        assert not missing, f"{locale}: no catalogue for {missing}"


@pytest.mark.parametrize("locale, path", CATALOGUES, ids=IDS)
def test_catalogue_parses_and_has_no_fuzzy_entry(locale, path):
    messages = _messages(path)  # babel raises on a syntax error (abort_invalid)
    assert messages, f"{path}: no messages"
    fuzzy = [m.id[:60] for m in messages if m.fuzzy]
    assert not fuzzy, f"{path}: fuzzy entries (translate or clear them): {fuzzy}"
    headers = dict(i18n.read_po(path).mime_headers)
    assert headers["Language"] == locale


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("locale, path", CATALOGUES, ids=IDS)
def test_msgfmt_accepts_the_catalogue(locale, path, tmp_path):
    result = subprocess.run(["msgfmt", "--check-format", "--check-domain", "-o", str(tmp_path / "out.mo"), str(path)],
                            capture_output=True, text=True, errors="replace")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("locale, path", CATALOGUES, ids=IDS)
def test_translations_keep_roles_code_math_and_links_verbatim(locale, path):
    broken = []
    for message in _messages(path):
        if message.string:
            lost = i18n.broken_parts(message.id, message.string)
            if lost:
                broken.append(f"{message.id[:50]!r} lost {lost}")
    assert not broken, f"{path}:\n" + "\n".join(broken)


def test_the_verbatim_check_catches_a_changed_glue_role_code_or_math():
    msgid = "After {glue:text}`ch08_w1:.2f` steps, `nb.SGD(lr)` gives $w = 3$ ([see](errata.md))."
    good = "经过 {glue:text}`ch08_w1:.2f` 步，`nb.SGD(lr)` 给出 $w = 3$（[见](errata.md)）。"
    assert i18n.broken_parts(msgid, good) == []
    assert i18n.broken_parts(msgid, good.replace(":.2f", ":.3f")) == ["{glue:text}`ch08_w1:.2f`"]
    assert i18n.broken_parts(msgid, good.replace("`nb.SGD(lr)`", "nb.SGD(lr)")) == ["`nb.SGD(lr)`"]
    assert i18n.broken_parts(msgid, good.replace("$w = 3$", "$w = 4$")) == ["$w=3$"]
    assert i18n.broken_parts(msgid, good.replace("errata.md", "glossary.md")) == ["](errata.md)"]
    # Words in math may be translated, symbols may not.
    math = r"read by columns: $x_1\,(\text{column } 1)$"
    assert i18n.broken_parts(math, r"按列读：$x_1\,(\text{第 } 1 \text{ 列})$") == []
    assert i18n.broken_parts(math, r"按列读：$x_2\,(\text{第 } 1 \text{ 列})$") == [r"$x_1\,(1)$"]
    # A role's title may be translated, its target may not.
    titled = "a slip ({ref}`errata <errata-003-dot-product>`)"
    assert i18n.broken_parts(titled, "笔误（{ref}`勘误 <errata-003-dot-product>`）") == []
    assert i18n.broken_parts(titled, "笔误（{ref}`勘误 <errata-003>`）") == ["{ref}`…<errata-003-dot-product>`"]


# ---------------------------------------------------------------- 繁體 = OpenCC(简体) + overrides
def test_zh_tw_is_regenerated_from_zh_cn():
    overrides = i18n.load_overrides()
    stale = []
    for source in i18n.catalogue_paths("zh_CN"):
        target = i18n.LOCALES / "zh_TW" / "LC_MESSAGES" / source.relative_to(i18n.LOCALES / "zh_CN" / "LC_MESSAGES")
        assert target.exists(), f"{target} is missing: run python tools/i18n.py convert"
        page = source.relative_to(i18n.LOCALES / "zh_CN" / "LC_MESSAGES").with_suffix("").as_posix()
        quoting = page in i18n.QUOTING_PAGES
        expected = {(m.id, m.context): i18n.traditional_message(m.id, m.string, overrides, quoting) if m.string else ""
                    for m in _messages(source)}
        committed = {(m.id, m.context): m.string for m in _messages(target)}
        if committed != expected:
            stale.append(target.name)
    assert not stale, f"zh_TW differs from OpenCC(zh_CN) + overrides in {stale}: run python tools/i18n.py convert"


def _first_form(term):
    return term.split("/")[0].split("（")[0].strip()


def test_glossary_terms_convert_to_the_glossarys_traditional_spelling():
    wrong = []
    for entry in glossary.load_glossary(i18n.GLOSSARY_DIR):
        hans, hant = _first_form(entry["zh_hans"]), _first_form(entry["zh_hant"])
        if i18n.to_traditional(hans) != hant:
            wrong.append(f"{entry['en']}: {hans} -> {i18n.to_traditional(hans)}, glossary {hant}")
    assert not wrong, "add these to tools/zh_overrides.tsv:\n" + "\n".join(wrong)


def test_every_override_replaces_something_opencc_really_writes():
    import opencc

    plain = opencc.OpenCC("s2twp")
    for wrong, right, _ in i18n.load_overrides():
        assert wrong != right
        # The text replaced is a conversion OpenCC really makes (of the 简体 spelling of the term).
        assert plain.convert(opencc.OpenCC("t2s").convert(wrong)) == wrong, wrong


def test_a_malformed_override_line_is_named(tmp_path):
    path = tmp_path / "overrides.tsv"
    path.write_text("# comment\n啟用函式\t激勵函數\tok\n只有一列\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 3: expected 'OpenCC output<TAB>glossary term"):
        i18n.load_overrides(path)


# ---------------------------------------------------------------- terms in the 简体 text
def _chapter_terms():
    """{chapter page: [(English term, 简体 term)]} for the terms each chapter introduces."""
    terms = {}
    for entry in glossary.load_glossary(i18n.GLOSSARY_DIR):
        terms.setdefault(f"book/{entry['chapter']}", []).append((entry["en"], _first_form(entry["zh_hans"])))
    return terms


def _english_forms(term):
    """'rectified linear unit (ReLU)' -> the term, 'rectified linear unit' and 'ReLU'."""
    forms = {term}
    inner = re.findall(r"\(([^)]*)\)", term)
    forms |= set(inner)
    forms.add(re.sub(r"\s*\([^)]*\)", "", term).strip())
    return {form for form in forms if form}


def _is_heading(message):
    """A title or a table cell: short, without a sentence's punctuation or a parenthesis. The English name is
    given where the term is first used in the text, not in a heading."""
    return len(message) <= 40 and not re.search(r"[。，；？！（）,;?!()]", message)


def _all_hans_terms():
    return {_first_form(entry["zh_hans"]) for entry in glossary.load_glossary(i18n.GLOSSARY_DIR)}


def _first_use(text, term, longer):
    """Where ``term`` is first used on its own: not as part of a longer glossary term
    (感知器 inside 多层感知器, 层 inside 隐藏层)."""
    covered = set()
    for other in longer:
        for match in re.finditer(re.escape(other), text):
            covered.update(range(match.start(), match.end()))
    for match in re.finditer(re.escape(term), text):
        if match.start() not in covered:
            return match.start()
    return -1


def term_problems(messages, terms, vocabulary=()):
    """For each (English, 简体) term: the 简体 term must appear, and its first use in the text
    (headings aside) must be followed by the English term in parentheses."""
    # Display math (a message that starts on a new line) is not running text either.
    text = "\n".join(message for message in messages if not _is_heading(message) and not message.startswith("\n"))
    problems = []
    for english, hans in terms:
        longer = [other for other in vocabulary if hans in other and other != hans]
        at = _first_use(text, hans, longer)
        if at < 0:
            problems.append(f"{english}: the glossary's 简体 term {hans} is not used")
            continue
        after = text[at + len(hans): at + len(hans) + 12 + len(english)]
        match = re.match(r"\*{0,2}\s*[（(]\s*\**([^）)，,;；*]*)", after)
        given = match.group(1).replace("*", "").strip().lower() if match else ""
        # The English name, or its head (collapse for "collapse of linear layers").
        if not any(given.startswith(form.lower()) or (len(given) >= 4 and form.lower().startswith(given))
                   for form in _english_forms(english)):
            problems.append(f"{english}: the first {hans} is not followed by ({english})")
    return problems


def test_term_check_catches_a_missing_term_and_a_missing_english_name():
    terms = [("neuron", "神经元"), ("bias", "偏置"), ("perceptron", "感知器")]
    vocabulary = {"神经元", "偏置", "感知器", "多层感知器"}
    good = ["神经元", "**神经元**（neuron）有偏置（bias）。", "多层感知器（multilayer perceptron），感知器（perceptron）。"]
    assert term_problems(good, terms, vocabulary) == []
    assert term_problems(good[:2] + ["感知器（perceptron），多层感知器。"], terms, vocabulary) == []
    assert term_problems(good, terms) == ["perceptron: the first 感知器 is not followed by (perceptron)"]
    assert term_problems(["神经元（neuron），偏置。"] + good[2:], terms, vocabulary) == [
        "bias: the first 偏置 is not followed by (bias)"]
    assert term_problems(["神经元（neuron）。"] + good[2:], terms, vocabulary) == [
        "bias: the glossary's 简体 term 偏置 is not used"]


def _translation(page):
    path = i18n.LOCALES / "zh_CN" / "LC_MESSAGES" / f"{page}.po"
    return _messages(path)


def complete_chapters():
    pages = []
    for page, terms in sorted(_chapter_terms().items()):
        if all(m.string for m in _translation(page)):
            pages.append(page)
    return pages


@pytest.mark.parametrize("page", complete_chapters() or [pytest.param(None, marks=pytest.mark.skip(
    reason="no chapter is completely translated yet"))])
def test_translated_chapter_uses_the_glossary_terms(page):
    messages = [m.string for m in _translation(page)]
    problems = term_problems(messages, _chapter_terms()[page], _all_hans_terms())
    assert not problems, f"{page}:\n" + "\n".join(problems)


# ---------------------------------------------------------------- the built pages
def test_lang_attribute_is_the_editions_tag(tmp_path):
    page = tmp_path / "book" / "intro.html"
    page.parent.mkdir()
    page.write_text('<!DOCTYPE html>\n<html data-content_root="../" lang="zh_CN" >\n<body></body></html>')
    assert i18n.set_lang_attribute(tmp_path, "zh-Hans") == 1
    assert '<html data-content_root="../" lang="zh-Hans" >' in page.read_text()


def test_compare_editions_finds_a_changed_glued_number(tmp_path):
    for site, value in (("en", "2.9539"), ("zh", "2.9539")):
        for page in i18n.PAGES:
            path = tmp_path / site / f"{page}.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f'<p>w = <span class="pasted-text">{value}</span></p>')
    assert i18n.compare_editions(tmp_path / "en", tmp_path / "zh") == []
    (tmp_path / "zh" / "book" / "08-gradient-descent.html").write_text('<p><span class="pasted-text">2.95</span></p>')
    assert i18n.compare_editions(tmp_path / "en", tmp_path / "zh") == [
        "book/08-gradient-descent: glued values differ (1 in English, 1 translated)"]


# ---------------------------------------------------------------- source quotes
# On these pages the Chinese in an English message is a quotation from a source; every
# translation, in either script, keeps it in the script the source wrote it in.
QUOTING_PAGES = i18n.QUOTING_PAGES
_CJK_RUN = i18n._CJK_RUN


@pytest.mark.parametrize("locale", LOCALES)
def test_source_quotes_stay_in_the_sources_script(locale):
    lost = []
    for page in QUOTING_PAGES:
        path = i18n.LOCALES / locale / "LC_MESSAGES" / f"{page}.po"
        for message in _messages(path):
            if not message.string:
                continue
            for quote in _CJK_RUN.findall(message.id):
                if len(quote) >= 2 and quote not in message.string:
                    lost.append(f"{page}: {quote}")
    assert not lost, "source quotes changed (add an override to tools/zh_overrides.tsv):\n" + "\n".join(lost)


def test_a_built_page_must_show_its_own_editions_title(tmp_path):
    page = tmp_path / "book" / "intro.html"
    page.parent.mkdir()
    title = {m.id: m.string for m in _translation("book/intro")}["Neural Networks from First Principles"]
    page.write_text(f"<html><h1>{title}<a class=\"headerlink\"></a></h1></html>", encoding="utf-8")
    assert [p for p in i18n.untranslated_titles("zh_CN", tmp_path) if p.startswith("book/intro")] == []
    # The 简体 page where the 繁體 edition should be: the check names it.
    assert [p for p in i18n.untranslated_titles("zh_TW", tmp_path) if p.startswith("book/intro")] == [
        f"book/intro: the title {title!r} is not a zh_TW translation"]


def test_traditional_message_keeps_quotations_only_on_quoting_pages():
    msgid = "The seed writes `隐藏层到输出层:` and 全剧 for 全局."
    msgstr = "原文写作 `隐藏层到输出层:`，并把 全局 误写为 全剧。"
    quoted = i18n.traditional_message(msgid, msgstr, quoting=True)
    assert "`隐藏层到输出层:`" in quoted and "全剧" in quoted and "全局" in quoted
    assert quoted.startswith("原文寫作")  # the translation's own words are converted
    assert "`隱藏層到輸出層:`" in i18n.traditional_message(msgid, msgstr, quoting=False)
