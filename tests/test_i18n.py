"""The Chinese editions: their catalogues (locales/), and the three editions as built.

The catalogues' tests are fast (no book is built): syntax, terms, the 繁體 derived from 简体, and
the words around the pages (Sphinx's, the theme's, the templates'). The tests of the built site
read the session's build of the three editions (``tests/book_support.py``, as ``make book`` builds
them, with -W; ``python tools/i18n.py build`` itself compares every glued value of each Chinese
page with the English page's): every page's language, its links to the other two editions, the
language switcher (parsed from the HTML, and followed in Chromium), the exercise pages' line,
the theme's words in each edition's language.
"""

import functools
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import glossary  # noqa: E402
import i18n  # noqa: E402

LOCALES = ("zh_CN", "zh_TW")
CATALOGUES = [(locale, path) for locale in LOCALES
              for path in i18n.catalogue_paths(locale) + i18n.ui_catalogue_paths(locale)]
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
    # The header's first line names the catalogue's own script.
    script = {"zh_CN": "简体中文", "zh_TW": "繁體中文"}[locale]
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert script in first, f"{path}: expected a header naming {script}, got {first!r}"


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


def test_a_message_with_nothing_to_translate_is_its_own_translation(tmp_path, monkeypatch):
    """A measured table's numbers and file names ask for no translation after a benchmark run, nor
    does a formula whose only words are notation labels; a word does (in a formula's \\text{} too),
    and a translation already written (Chinese punctuation between code) stays."""
    assert not i18n.has_words("4.76") and not i18n.has_words("`book/08-gradient-descent.html`")
    assert not i18n.has_words("{doc}`06-losses`, {doc}`13-softmax`") and not i18n.has_words("$w_1$")
    assert i18n.has_words("page") and i18n.has_words("1.05 s") and i18n.has_words("`x` and `y`")
    # The words of a formula's \text{} are words; a notation label, or a formula without words, is none.
    assert i18n.has_words(r"$x \text{ for every unit}$") and i18n.has_words(r"$\sum_{\text{rows}} dZ$")
    assert i18n.has_words("\nb_i = 0.2 \\text{ for every unit}.\n") and i18n.has_words(r"$\text{row } i$")
    assert not i18n.has_words(r"$n_\text{in}$") and not i18n.has_words(r"$\mathrm{ReLU}(z) + W^{[\text{last}]}$")
    assert not i18n.has_words("\nz = \\mathbf{w}\\cdot\\mathbf{x} + b, \\qquad a = g(z).\n")
    assert not i18n.has_words(r"$w^{[1]\mathrm{T}}_1 x$")  # one letter is a symbol
    from babel.messages.catalog import Catalog

    folder = tmp_path / "zh_CN" / "LC_MESSAGES" / "book"
    folder.mkdir(parents=True)
    catalog = Catalog(locale="zh_CN")
    catalog.add("4.76")
    catalog.add("`a`, `b`", "`a`、`b`")
    catalog.add("page")
    catalog.add("\nn_\\text{in} = 64\n")
    catalog.add("\nb_i = 0.2 \\text{ for every unit}.\n")
    i18n.write_po(folder / "performance.po", catalog)
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    monkeypatch.setattr(i18n, "POT_DIR", tmp_path / "pot")
    monkeypatch.setattr(i18n.subprocess, "run", lambda *args, **kwargs: None)  # no sphinx-intl
    (tmp_path / "pot").mkdir()
    i18n.update(extract_first=False)
    strings = {m.id: (m.string, m.fuzzy) for m in i18n.read_po(folder / "performance.po") if m.id}
    assert strings == {"4.76": ("4.76", False), "`a`, `b`": ("`a`、`b`", False), "page": ("", False),
                       "\nn_\\text{in} = 64\n": ("\nn_\\text{in} = 64\n", False),
                       "\nb_i = 0.2 \\text{ for every unit}.\n": ("", False)}


def _benchmark(name):
    """benchmarks/<name>.py as a module (benchmarks/ is no package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up
    spec.loader.exec_module(module)
    return module


def _markdown_messages(text):
    """What Sphinx's gettext builder makes of results.md, closely enough: each heading, each
    paragraph and each table cell is a message (comments and table rules are none)."""
    messages, paragraph = [], []
    for line in [*text.splitlines(), ""]:
        line = line.strip()
        if line.startswith("|") or not line or line.startswith(("<!--", "#")):
            if paragraph:
                messages.append(" ".join(paragraph))
                paragraph = []
            if line.startswith("|") and not re.fullmatch(r"\|[-|: ]+\|", line):
                messages += [cell.strip() for cell in line.strip("|").split("|")]
            elif line.startswith("#"):
                messages.append(line.lstrip("#").strip())
        else:
            paragraph.append(line)
    return messages


def _benchmark_sections(figures):
    """The three sections of benchmarks/results.md, as the benchmarks write them, for one set of
    measured ``figures`` (a machine, a load, versions, times)."""
    run, page_weight, grading = _benchmark("run"), _benchmark("page_weight"), _benchmark("grading")
    f = figures
    setup = [(label, f["text"]) for label, _ in run.machine(1)]
    setup[1:3] = [("cores", f["cores"]), (setup[2][0], f["load"])]
    lines = [f"| digits 64→128→10 | nnbook | {f['time']} | 1.00× | {f['time']} |"]
    section = run.section(setup, lines, [("digits 64→128→10", f["time"], 1.0, 2.0, 0.0)],
                          (f["time"], f["time"], f["time"], f["cores"]))
    weight = page_weight.section([("book/intro.html", {"bytes": 1e6 * f["time"], "requests": f["cores"],
                                                       "widgets": None, "math": 500.0, "ready": 700.0})],
                                 f["cores"], [("browser", f["text"]), ("machine", f["text"]),
                                              ("cores", f["cores"]), ("load average over 1 minute, when the run started",
                                                                       f["load"])])
    graded = grading.section(f"python benchmarks/grading.py --n {f['cores']} -j 2 --chapter 03",
                             [("machine", f["text"]), ("load average over 1 minute, when the run started", f["load"])],
                             "| class | jobs |\n|---|---:|\n| 300 × `03-matrices.ipynb` | 2 |")
    return section + weight + graded


def test_a_benchmark_run_asks_for_no_new_translation():
    """The performance page shows benchmarks/results.md: a new run's figures (the load average,
    the CPU, versions, times) change no message that has words, so `make translations` finds
    nothing new to translate; the figures are in the page all the same."""
    one = {"text": "Intel(R) Xeon(R) Processor 3.11.7", "cores": 2, "load": "6.8, 7.6, 10.4", "time": 0.102}
    other = {"text": "AMD EPYC 7B13 (bookworm) 3.12.1", "cores": 64, "load": "0.1, 0.0, 0.0", "time": 21.693}
    texts = [_benchmark_sections(figures) for figures in (one, other)]
    for figures, text in zip((one, other), texts):
        assert f"`{figures['text']}`" in text and figures["load"] in text and str(figures["time"]) in text
    worded = [{m for m in _markdown_messages(text) if i18n.has_words(m)} for text in texts]
    assert worded[0] == worded[1], f"messages a new run would ask to translate: {sorted(worded[1] - worded[0])}"
    # The committed results are written in this form, and the page's catalogue translates them.
    results = (ROOT / "benchmarks" / "results.md").read_text(encoding="utf-8")
    assert results.count("| measured on | value |") == 3 and "Measured on:" not in results
    translated = {m.id for m in _messages(i18n.LOCALES / "zh_CN" / "LC_MESSAGES" / "book" / "performance.po") if m.string}
    missing = [m for m in worded[0] if m not in translated and m in _markdown_messages(results)]
    assert not missing, f"performance.po does not translate {missing}"


@pytest.mark.parametrize("locale,path", CATALOGUES, ids=IDS)
def test_no_translation_starts_as_a_numbered_list(locale, path):
    """A translation that starts "1. " is read as a numbered list, not as the paragraph it
    replaces (a table cell "1. input"), and Sphinx then silently keeps the English: "1\\. 输入"."""
    listed = [m.id for m in _messages(path) if re.match(r"\d+\. ", m.string or "")]
    assert not listed, f"escape the full stop (1\\. …) in the translations of {listed}"


def test_the_verbatim_check_catches_a_changed_glue_role_code_or_math():
    msgid = "After {glue:text}`ch08_w1:.2f` steps, `nb.SGD(lr)` gives $w = 3$ ([see](errata.md))."
    good = "经过 {glue:text}`ch08_w1:.2f` 步，`nb.SGD(lr)` 给出 $w = 3$（[见](errata.md)）。"
    assert i18n.broken_parts(msgid, good) == []
    assert i18n.broken_parts(msgid, good.replace(":.2f", ":.3f")) == ["{glue:text}`ch08_w1:.2f`"]
    assert i18n.broken_parts(msgid, good.replace("`nb.SGD(lr)`", "nb.SGD(lr)")) == ["`nb.SGD(lr)`"]
    assert i18n.broken_parts(msgid, good.replace("$w = 3$", "$w = 4$")) == ["$w = 3$"]
    assert i18n.broken_parts(msgid, good.replace("errata.md", "glossary.md")) == ["](errata.md)"]
    # Words in math may be translated, symbols may not.
    math = r"read by columns: $x_1\,(\text{column } 1)$"
    assert i18n.broken_parts(math, r"按列读：$x_1\,(\text{第 } 1 \text{ 列})$") == []
    assert i18n.broken_parts(math, r"按列读：$x_2\,(\text{第 } 1 \text{ 列})$") == [r"$x_1\,(\text{column } 1)$"]
    # A notation label is a symbol: it stays, in every edition.
    label = r"the fan-in $n_\text{in}$ of $\mathrm{ReLU}$"
    assert i18n.broken_parts(label, r"$\mathrm{ReLU}$ 的扇入 $n_\text{in}$") == []
    assert i18n.broken_parts(label, r"$\mathrm{ReLU}$ 的扇入 $n_\text{输入}$") == [r"$n_\text{in}$"]
    # A role's title may be translated, its target may not.
    titled = "a slip ({ref}`errata <errata-003-dot-product>`)"
    assert i18n.broken_parts(titled, "笔误（{ref}`勘误 <errata-003-dot-product>`）") == []
    assert i18n.broken_parts(titled, "笔误（{ref}`勘误 <errata-003>`）") == ["{ref}`…<errata-003-dot-product>`"]


def test_the_verbatim_check_holds_a_display_formula_to_its_symbols():
    """A display formula's message is the formula alone (no $): its words may be translated, its
    spacing may change, and its symbols may move around the words; nothing else may change."""
    msgid = "\nW = \\begin{bmatrix} 1 & 2 \\end{bmatrix}, \\qquad\nb_i = 0.2 \\text{ for every unit}.\n"
    good = "\nW = \\begin{bmatrix} 1 & 2 \\end{bmatrix}, \\qquad\nb_i = 0.2\\ \\text{（每个单元都相同）}.\n"
    assert i18n.broken_parts(msgid, good) == []
    assert i18n.broken_parts(msgid, good.replace("0.2", "0.3")) == [msgid.strip().replace("\n", " ")]
    assert i18n.broken_parts(msgid, good.replace("1 & 2", "2 & 1")) == [msgid.strip().replace("\n", " ")]
    # Row i of Z: the Chinese names Z first; the terms themselves may not change.
    row = "\nZ = XW^\\top, \\qquad \\text{row } i \\text{ of } Z = (W\\mathbf{x}_i)^\\top .\n"
    assert i18n.broken_parts(row, "\nZ = XW^\\top, \\qquad Z \\text{ 的第 } i \\text{ 行} = (W\\mathbf{x}_i)^\\top .\n") == []
    assert i18n.broken_parts(row, "\nZ = XW^\\top, \\qquad Z \\text{ 的第 } i \\text{ 行} = W\\mathbf{x}_i .\n") != []
    assert i18n.broken_parts(row, "\nZ = XW^\\top, \\qquad Z \\text{ 的第 } i \\text{ 行} = (\\mathbf{x}_iW)^\\top .\n") != []
    # A formula without words is compared symbol by symbol, in order.
    plain = "\nz = w x + b,\n"
    assert i18n.broken_parts(plain, "\nz = wx+b ,\n") == []
    assert i18n.broken_parts(plain, "\nz = x w + b,\n") == ["z = w x + b,"]
    # A label stays a label.
    hidden = "\nW_{\\text{hidden}} = 0.2\n"
    assert i18n.broken_parts(hidden, "\nW_{\\text{隐藏}} = 0.2\n") == [r"W_{\text{hidden}} = 0.2"]


def _first_line(message):
    return next((line for line in message.splitlines() if line.strip()), "")


@pytest.mark.parametrize("path", i18n.catalogue_paths("zh_CN"), ids=lambda path: path.stem)
def test_no_english_words_in_the_formulas_of_a_translation(path):
    """Inside a formula's \\text{} (\\mathrm{}, \\operatorname{}, ...) a translation keeps English
    only for a notation label (i18n.NOTATION_LABELS), a symbol in every edition; every other word
    is prose a reader of the Chinese edition must be able to read."""
    english = [f"'{_first_line(m.id)[:70]}': {', '.join(i18n.formula_words(m.string))}"
               for m in _messages(path) if m.string and i18n.formula_words(m.string)]
    assert not english, (f"{path.relative_to(ROOT)}: English words in the formulas of {len(english)} "
                         "translations (translate them):\n" + "\n".join(english))


def test_every_notation_label_is_a_symbol_of_the_book():
    """Each label of i18n.NOTATION_LABELS stands alone in some formula's group of an English page
    (a label no formula uses is removed), and the check finds a word that is not one."""
    used = set()
    for path in i18n.catalogue_paths("zh_CN"):
        for message in _messages(path):
            for formula in i18n.formulas(message.id):
                used |= {content for content in i18n._TEXT.findall(formula)}
    unused = sorted(i18n.NOTATION_LABELS - used)
    assert not unused, f"NOTATION_LABELS: labels no formula of the book uses: {unused}"
    assert i18n.formula_words(r"$g_{\text{backprop}}$ and $du^{\text{via } s}$, $n_\text{in}$") == ["backprop", "via"]
    assert i18n.formula_words("\n\\text{row } i \\text{ of } Z\n") == ["row", "of"]
    assert i18n.formula_words(r"$\text{第 } 1 \text{ 列}$, $\text{（S 型函数）}$, `$\text{code}$`") == []


# ---------------------------------------------------------------- 繁體 = OpenCC(简体) + overrides
def test_zh_tw_is_regenerated_from_zh_cn():
    overrides = i18n.load_overrides()
    stale = []
    for source in i18n.converted_catalogue_paths():
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


# ---------------------------------------------------------------- rows and columns in 繁體
def test_taiwan_rows_swap_rows_and_columns_at_once_and_keep_lines_of_code():
    assert i18n.taiwan_rows("按行还是按列") == "按列还是按行"  # a swap is not swapped back
    assert i18n.taiwan_rows("第 $i$ 行与第 {k} 列，第 3 行") == "第 $i$ 列与第 {k} 行，第 3 列"
    assert i18n.taiwan_rows(r"x_1\,(\text{第 } 1 \text{ 列})") == r"x_1\,(\text{第 } 1 \text{ 行})"
    for line_of_code in ("补救办法只需一行", "最大的差别在第四行", "飞桨逐行对照", "用 $XW$ 行吗？"):
        assert i18n.taiwan_rows(line_of_code) == line_of_code
    assert i18n.to_traditional("行向量与列向量") == "列向量與行向量"
    assert i18n.to_traditional("列") == "欄"  # a whole message: a table's column


def test_every_row_phrase_is_used_and_swaps_only_rows_and_columns():
    phrases, messages = i18n.load_rows()
    texts = [m.string for locale_path in i18n.catalogue_paths("zh_CN") + [i18n.LOCALES / "zh_CN" / "LC_MESSAGES" /
             f"{i18n.LIBRARY_CATALOGUE}.po"] for m in _messages(locale_path) if m.string]
    unused = [p for p in phrases if not any(p in t for t in texts)] + [m for m in messages if m not in texts]
    assert not unused, f"tools/zh_tw_rows.tsv: phrases no 简体 translation holds (remove them): {unused}"
    for phrase, taiwan in [*phrases.items(), *messages.items()]:
        assert len(phrase) == len(taiwan) and all(a == b or {a, b} <= set("行列栏") for a, b in zip(phrase, taiwan)), \
            f"tools/zh_tw_rows.tsv: {phrase!r} -> {taiwan!r} changes more than 行, 列 and 栏"


def test_a_malformed_row_line_is_named(tmp_path):
    path = tmp_path / "rows.tsv"
    path.write_text("# comment\n按行\t按列\n只有一行\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 3: expected 'phrase<TAB>as Taiwan reads it"):
        i18n.load_rows(path)


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


def test_taiwan_quotes_turn_mainland_quotation_marks_into_corner_brackets():
    assert i18n.taiwan_quotes("他说“这是‘里面的’引用”。") == "他说「这是『里面的』引用」。"
    # Not in code, math, a role's target or name, a link target or a URL; in a role's own title, yes.
    kept = "`“a”` ``“b”`` $x“y”$ {glue:text}`k“` [链接](https://e.org/“q”) https://e.org/“r”"
    assert i18n.taiwan_quotes(kept) == kept
    assert i18n.taiwan_quotes("见{ref}`写成“反转”的转置 <errata-003-x>`") == "见{ref}`写成「反转」的转置 <errata-003-x>`"
    # A ’ that closes no ‘ is an apostrophe.
    assert i18n.taiwan_quotes("Xavier’s 初始化") == "Xavier’s 初始化"
    assert i18n.traditional_message("“a” b", "“甲”乙") == "「甲」乙"
    # On a quoting page a source quotation keeps its script; the marks around it are the edition's.
    assert i18n.traditional_message("headed “从输入层” here", "标题为“从输入层”", quoting=True) == "標題為「从输入层」"


@pytest.mark.parametrize("locale, marks", [("zh_TW", "“”‘’"), ("zh_CN", "「」『』")])
def test_each_edition_writes_its_own_quotation_marks(locale, marks):
    """繁體: 「…」 and 『…』 (Taiwan's standard); 简体: “…” and ‘…’ (the mainland's). Code, math and
    links aside, and a translation that is its English message (a source quotation) as it is."""
    base = i18n.LOCALES / locale / "LC_MESSAGES"
    wrong = []
    for path in i18n.catalogue_paths(locale) + i18n.ui_catalogue_paths(locale):
        for message in _messages(path):
            if not message.string or message.string == message.id:
                continue
            text = i18n._QUOTES_KEPT.sub(" ", message.string)
            if any(mark in text for mark in marks):
                wrong.append(f"{path.relative_to(base)}: {message.string[:80]}")
    assert not wrong, f"{locale}: quotation marks of the other script:\n" + "\n".join(wrong[:20])


# ---------------------------------------------------------------- the words around the pages
def _ui_strings(locale, name):
    return {m.id: m.string for m in _messages(i18n.LOCALES / locale / "LC_MESSAGES" / f"{name}.po")}


@pytest.mark.parametrize("locale", LOCALES)
def test_every_word_around_the_pages_is_translated(locale):
    for name in i18n.UI_CATALOGUES:
        strings = _ui_strings(locale, name)
        assert strings, f"{locale}: no {name}.po"
        untranslated = [msgid for msgid, msgstr in strings.items() if not msgstr]
        assert not untranslated, f"{locale}/{name}.po: untranslated {untranslated}"


def test_every_word_of_the_templates_is_in_the_catalogue():
    """Each _("…") of book/_templates has a translation in the sphinx catalogue."""
    words = set()
    for template in sorted((ROOT / "book" / "_templates").glob("*.html")):
        words |= set(re.findall(r"""\b_\(\s*(['"])(.+?)\1\s*\)""", template.read_text(encoding="utf-8")))
    words = {word for _, word in words}
    assert {"Language", "The exercises on this page are in English for now."} <= words
    for locale in LOCALES:
        missing = sorted(words - set(_ui_strings(locale, "sphinx")))
        assert not missing, f"{locale}/sphinx.po lacks the templates' {missing}"


def test_settings_a_reader_sees_are_translated():
    title = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    assert i18n.CONFIG_MESSAGES["html_title"] == title, "the book's title changed: update CONFIG_MESSAGES and sphinx.po"
    zh_cn, zh_tw = i18n.config_translations("zh_CN"), i18n.config_translations("zh_TW")
    assert zh_cn["html_title"] == _ui_strings("zh_CN", "sphinx")[title] != title
    assert zh_tw["html_title"] == i18n.to_traditional(zh_cn["html_title"])
    assert zh_cn["html_theme_options"]["search_bar_text"] == "搜索本书……"
    assert zh_cn["html_theme_options"]["logo"]["alt_text"] == f"{zh_cn['html_title']} - 首页"
    assert set(zh_cn) == {"html_title", "author", "html_theme_options", "togglebutton_hint",
                          "togglebutton_hint_hide", "nb_code_prompt_show", "nb_code_prompt_hide"}


def test_a_setting_without_a_translation_is_named(tmp_path, monkeypatch):
    folder = tmp_path / "zh_CN" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(i18n.LOCALES / "zh_CN" / "LC_MESSAGES" / "sphinx.po", folder / "sphinx.po")
    catalog = i18n.read_po(folder / "sphinx.po")
    del catalog["Click to hide"]
    i18n.write_po(folder / "sphinx.po", catalog)
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    monkeypatch.setattr(i18n, "ROOT", tmp_path)
    with pytest.raises(ValueError, match="no translation of 'Click to hide' \\(the setting togglebutton_hint_hide\\)"):
        i18n.config_translations("zh_CN")


def test_the_chinese_builds_are_held_to_w(monkeypatch, tmp_path):
    """Each edition's Sphinx build runs with -W --keep-going (every warning reported, then a
    failure), as the English build does."""
    import jupyter_book.sphinx

    seen = {}

    def fake_build_sphinx(*args, **kwargs):
        seen.update(kwargs)
        return 0

    monkeypatch.setattr(jupyter_book.sphinx, "build_sphinx", fake_build_sphinx)
    assert i18n._build_sphinx(ROOT / "_build" / "unused", "html", {}, ROOT / "_build" / "unused-doctrees",
                              warningiserror=True) == 0
    assert seen["warningiserror"] is True and seen["keep_going"] is True
    # build_edition asks for it.
    calls = []
    monkeypatch.setattr(i18n, "_build_sphinx", lambda *args, **kwargs: calls.append(kwargs) or 1)
    monkeypatch.setattr(i18n, "compile_catalogues", lambda locale, target: target)
    # In a build folder of its own (an empty execution cache): the book's _build may be building.
    monkeypatch.setattr(i18n, "BUILD", tmp_path)
    (tmp_path / ".jupyter_cache").mkdir()
    with pytest.raises(RuntimeError, match="the zh_CN build failed"):
        i18n.build_edition("zh_CN")
    assert calls == [{"warningiserror": True}]


def test_a_translated_display_formula_is_shown(tmp_path, monkeypatch):
    """Sphinx translates a $$ block as reStructuredText would ("::" and a literal block); in a MyST
    page the formula became "::". The Chinese builds give it its translation as it is, and
    check_edition's unshown_display_math finds a page that does not show it."""
    import sphinx.locale
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from sphinx.application import Sphinx
    from sphinx.transforms import i18n as sphinx_i18n

    monkeypatch.setattr(sphinx_i18n.Locale, "apply", sphinx_i18n.Locale.apply)  # restored afterwards
    monkeypatch.setattr(sphinx.locale, "translators", {})  # Sphinx keeps a process's catalogues there
    i18n.translate_display_math()
    source = tmp_path / "src"
    (source / "locales" / "zh_CN" / "LC_MESSAGES").mkdir(parents=True)
    (source / "conf.py").write_text('extensions = ["myst_parser"]\nmyst_enable_extensions = ["dollarmath"]\n'
                                    'locale_dirs = ["locales"]\n', encoding="utf-8")
    formula = "\nb_i = 0.2 \\text{ for every unit}.\n"
    translation = "\nb_i = 0.2\\ \\text{（每个单元都相同）}.\n"
    (source / "index.md").write_text(f"# Bias\n\nThe bias is\n\n$${formula}$$\n", encoding="utf-8")
    catalog = Catalog(locale="zh_CN")
    catalog.add("Bias", "偏置")
    catalog.add(formula, translation)
    with open(source / "locales" / "zh_CN" / "LC_MESSAGES" / "index.mo", "wb") as handle:
        write_mo(handle, catalog)
    app = Sphinx(str(source), str(source), str(tmp_path / "html"), str(tmp_path / "doctrees"), "html",
                 confoverrides={"language": "zh_CN"}, status=None, warning=None, warningiserror=True)
    app.build()
    page = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert "<h1>偏置" in page and r"\[::\]" not in page
    assert "b_i = 0.2\\ \\text{（每个单元都相同）}." in page and "for every unit" not in page
    # The check a built edition passes: each translated display formula is in its page.
    folder = tmp_path / "locales" / "zh_CN" / "LC_MESSAGES" / "book"
    folder.mkdir(parents=True)
    catalog = Catalog(locale="zh_CN")
    catalog.add(formula, translation)
    i18n.write_po(folder / "03-matrices.po", catalog)
    monkeypatch.setattr(i18n, "LOCALES", tmp_path / "locales")
    (tmp_path / "site" / "book").mkdir(parents=True)
    (tmp_path / "site" / "book" / "03-matrices.html").write_text(page, encoding="utf-8")
    assert i18n.unshown_display_math("zh_CN", tmp_path / "site") == []
    (tmp_path / "site" / "book" / "03-matrices.html").write_text(page.replace("每个单元", "每个"), encoding="utf-8")
    assert i18n.unshown_display_math("zh_CN", tmp_path / "site") == [
        "book/03-matrices: the display formula 'b_i = 0.2 \\\\text{ for every unit}.' is not shown as translated"]


# ---------------------------------------------------------------- the three editions, as built
from book_support import EDITIONS, site_pages, toc, toc_files  # noqa: E402

HTML_ROOT = EDITIONS["en"]

EDITION_OF_LOCALE = {"zh_CN": "zh-Hans", "zh_TW": "zh-Hant"}
SWITCHER_LABELS = {"en": "English", "zh-Hans": "简体", "zh-Hant": "繁體"}
SWITCHER_NAMES = {"en": "Language", "zh-Hans": "语言", "zh-Hant": "語言"}


class EditionParser(HTMLParser):
    """What a page says about its edition: <html lang>, the <link rel="alternate"> elements, the
    language switcher (nav.nnbook-editions), the section ids, the exercise line, and the text
    and names shown outside the article (the theme's words), with the lang each is in."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                      "wbr"})
    NAMES = ("title", "aria-label", "placeholder", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.html_lang = None
        self.alternates = []  # (hreflang, href)
        self.canonicals = []  # href
        self.switchers = []  # {"name":, "links": [{attrs, text}]}
        self.sections = []
        self.english_line = []  # texts of p.nnbook-english-page
        self.english_body = False  # a <div lang="en"> holds the article
        self.chrome = []  # (text or name, lang in force) outside the article, scripts and print-only parts
        self._stack = []  # (tag, lang, skipped, role)
        self._link = None

    def _lang(self):
        return self._stack[-1][1] if self._stack else self.html_lang

    def _skipped(self):
        return bool(self._stack) and self._stack[-1][2]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        lang = attrs.get("lang") or self._lang()
        if tag == "html":
            self.html_lang = attrs.get("lang")
            lang = self.html_lang
        if tag == "link" and attrs.get("rel") == "alternate" and attrs.get("hreflang"):
            self.alternates.append((attrs["hreflang"], attrs.get("href")))
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonicals.append(attrs.get("href"))
        if tag == "section" and attrs.get("id"):
            self.sections.append(attrs["id"])
        if tag == "div" and attrs.get("lang") == "en":
            self.english_body = True
        role = None
        if tag == "nav" and "nnbook-editions" in classes:
            self.switchers.append({"name": attrs.get("aria-label"), "links": []})
            role = "switcher"
        elif tag == "p" and "nnbook-english-page" in classes:
            self.english_line.append("")
            role = "english-line"
        in_switcher = any(entry[3] == "switcher" for entry in self._stack)
        if tag == "a" and in_switcher:
            self._link = {"attrs": attrs, "text": ""}
            self.switchers[-1]["links"].append(self._link)
        # Not the theme's words: the article, scripts, the print-only parts, and the pages' and
        # sections' titles in the navigation (the pages' translations, English for the exercise
        # pages; the part captions are checked on their own).
        skipped = (self._skipped() or tag in ("script", "style", "head") or "onlyprint" in classes
                   or {"bd-article", "bd-sidenav", "prev-next-title"} & set(classes)
                   or attrs.get("id") == "pst-page-toc-nav")
        if not skipped:
            for name in self.NAMES:
                if attrs.get(name):
                    self.chrome.append((attrs[name], lang))
        if tag not in self.VOID:
            self._stack.append((tag, lang, skipped, role))

    def handle_endtag(self, tag):
        if tag == "a":
            self._link = None
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                return

    def handle_data(self, data):
        if self._link is not None:
            self._link["text"] += data
        if any(entry[3] == "english-line" for entry in self._stack):
            self.english_line[-1] += data
        text = " ".join(data.split())
        if text and not self._skipped():
            self.chrome.append((text, self._lang()))


@functools.cache
def edition_page(path):
    parser = EditionParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _pages(html):
    """The pages of one edition: not those of the editions in its folders, nor its index.html
    (a redirect to the first page, written by Jupyter Book)."""
    nested = tuple(f"{folder.relative_to(html).as_posix()}/" for folder in EDITIONS.values()
                   if folder != html and folder.is_relative_to(html))
    return [page for page in site_pages(html)
            if not page.relative_to(html).as_posix().startswith(nested) and page != html / "index.html"]


@pytest.fixture(scope="session")
def editions(built_book):
    """{lang: html folder} of the session's build, every edition built."""
    for lang, html in EDITIONS.items():
        if not (html / "book" / "intro.html").is_file():
            pytest.fail(f"the {lang} edition was not built into {html}")
    return EDITIONS


def test_the_three_editions_have_the_same_pages(editions):
    paths = {lang: sorted(page.relative_to(html).as_posix() for page in _pages(html)) for lang, html in editions.items()}
    assert len(paths["en"]) >= len(toc_files()) + 2, paths["en"]  # the TOC's, search and the index
    for lang in ("zh-Hans", "zh-Hant"):
        assert paths[lang] == paths["en"], f"{lang}: pages differ from the English edition's"


def test_every_page_declares_its_editions_language(editions):
    wrong = []
    for lang, html in editions.items():
        for page in _pages(html):
            declared = edition_page(page).html_lang
            if declared != lang:
                wrong.append(f"{page.relative_to(HTML_ROOT)}: <html lang={declared!r}>, expected {lang!r}")
    assert not wrong, "\n".join(wrong[:40])


def _target(page, href):
    from urllib.parse import unquote, urlsplit

    return (page.parent / unquote(urlsplit(href).path)).resolve()


def _published(editions, lang, relative):
    """The address of a page (``relative`` to its edition's folder) in edition ``lang`` on the
    published book."""
    from nnbook._links import BOOK_URL

    folder = editions[lang].relative_to(editions["en"]).as_posix()
    return BOOK_URL + ("" if folder == "." else f"{folder}/") + relative.as_posix()


def test_the_published_address_is_the_librarys():
    """_config.yml's html.baseurl, from which the pages' absolute links are made, is the address
    that the exercise feedback links to."""
    from nnbook._links import BOOK_URL

    assert i18n.site_url() == BOOK_URL


def test_every_page_links_its_translations_with_hreflang(editions):
    """<link rel="alternate" hreflang> to the same page in each edition (itself included), and
    x-default to the English one, each by its absolute address on the published book; and the
    page is there in the build."""
    problems = []
    for html in editions.values():
        for page in _pages(html):
            relative = page.relative_to(html)
            alternates = edition_page(page).alternates
            langs = [hreflang for hreflang, _ in alternates]
            if sorted(langs) != sorted([*editions, "x-default"]):
                problems.append(f"{page.relative_to(HTML_ROOT)}: hreflang {langs}")
                continue
            for hreflang, href in alternates:
                lang = "en" if hreflang == "x-default" else hreflang
                if href != _published(editions, lang, relative) or not (editions[lang] / relative).is_file():
                    problems.append(f"{page.relative_to(HTML_ROOT)}: hreflang={hreflang} leads to {href}")
    assert not problems, "\n".join(problems[:40])


def test_every_page_is_canonical_in_its_own_edition(editions):
    """One <link rel="canonical"> per page: its own address in its own edition (a Chinese page
    is not a copy of the English one)."""
    problems = []
    for lang, html in editions.items():
        for page in _pages(html):
            canonicals = edition_page(page).canonicals
            if canonicals != [_published(editions, lang, page.relative_to(html))]:
                problems.append(f"{page.relative_to(HTML_ROOT)}: canonical {canonicals}")
    assert not problems, "\n".join(problems[:40])


def test_the_chinese_pages_name_nothing_in_english(editions):
    """The names a screen reader reads (aria-label, title, alt, placeholder) of every translated
    page of a Chinese edition, the print-only parts included, are in the edition's language: none
    is all English words (a product name such as "PyTorch" aside). The exercise and solution
    pages' own content is English, and marked so."""
    names = re.compile(r'\s(aria-label|title|alt|placeholder)="([^"]*)"')
    allowed = {"nnbook", "PyTorch", "GitHub", "Colab", "Binder", "JupyterLab", "MathJax"}
    problems = []
    for lang in ("zh-Hans", "zh-Hant"):
        for page in [editions[lang] / f"{name}.html" for name in i18n.PAGES]:
            text = page.read_text(encoding="utf-8")
            text = re.sub(r"<head>.*?</head>|<script.*?</script>|<svg.*?</svg>", "", text, flags=re.S)
            for attribute, value in names.findall(text):
                words = re.findall(r"[A-Za-z]{3,}", value)
                if words and not re.search(r"[\u3400-\u9fff]", value) and not set(words) <= allowed:
                    problems.append(f"{page.relative_to(HTML_ROOT)}: {attribute}={value!r}")
    assert not problems, "\n".join(sorted(set(problems))[:40])


def test_every_page_has_the_language_switcher(editions):
    """One nav landmark named in the page's language, three links (English | 简体 | 繁體) to the
    same page in each edition, each in its own language (lang, hreflang), the page's own edition
    marked aria-current="page"."""
    problems = []
    for lang, html in editions.items():
        for page in _pages(html):
            name = page.relative_to(HTML_ROOT)
            switchers = edition_page(page).switchers
            if len(switchers) != 1:
                problems.append(f"{name}: {len(switchers)} language switchers")
                continue
            switcher = switchers[0]
            if switcher["name"] != SWITCHER_NAMES[lang]:
                problems.append(f"{name}: the switcher is named {switcher['name']!r}, expected {SWITCHER_NAMES[lang]!r}")
            links = switcher["links"]
            shown = [link["text"].strip() for link in links]
            if shown != list(SWITCHER_LABELS.values()):
                problems.append(f"{name}: the switcher shows {shown}")
                continue
            for link, (edition, label) in zip(links, SWITCHER_LABELS.items()):
                attrs = link["attrs"]
                if attrs.get("lang") != edition or attrs.get("hreflang") != edition:
                    problems.append(f"{name}: {label} has lang={attrs.get('lang')!r} hreflang={attrs.get('hreflang')!r}")
                expected = (editions[edition] / page.relative_to(html)).resolve()
                if _target(page, attrs["href"]) != expected:
                    problems.append(f"{name}: {label} leads to {attrs['href']}")
                current = attrs.get("aria-current")
                if (edition == lang) != (current == "page"):
                    problems.append(f"{name}: {label} has aria-current={current!r}")
    assert not problems, "\n".join(problems[:40])


def test_section_ids_are_the_same_in_every_edition(editions):
    """The switcher keeps the URL's #fragment: Sphinx makes the section ids from the English
    titles, before the translation, so each section has the same id in every edition."""
    different = []
    for doc in toc_files():
        ids = {lang: edition_page(html / f"{doc}.html").sections for lang, html in editions.items()}
        for lang in ("zh-Hans", "zh-Hant"):
            if ids[lang] != ids["en"]:
                different.append(f"{doc} ({lang}): {sorted(set(ids[lang]) ^ set(ids['en']))[:6]}")
    assert sum(len(edition_page(editions['en'] / f"{doc}.html").sections) for doc in toc_files()) > 100
    assert not different, "section ids that differ between editions:\n" + "\n".join(different)


def test_exercise_and_solution_pages_say_they_are_english(editions):
    ui = {lang: _ui_strings(locale, "sphinx") for locale, lang in EDITION_OF_LOCALE.items()}
    problems = []
    for doc in toc_files():
        kind = doc.split("/")[0]
        for lang, html in editions.items():
            parsed = edition_page(html / f"{doc}.html")
            if lang == "en" or kind == "book":
                if parsed.english_line or parsed.english_body:
                    problems.append(f"{lang} {doc}: says it is English")
                continue
            english = ("The exercises on this page are in English for now." if kind == "exercises"
                       else "The solutions on this page are in English for now.")
            if [line.strip() for line in parsed.english_line] != [ui[lang][english]]:
                problems.append(f"{lang} {doc}: the line is {parsed.english_line}, expected {ui[lang][english]!r}")
            if not parsed.english_body:
                problems.append(f"{lang} {doc}: the article is not marked lang=\"en\"")
    assert not problems, "\n".join(problems[:40])
    assert ui["zh-Hans"]["The exercises on this page are in English for now."] == "本页练习暂为英文。"


# Latin words a Chinese page may show around its text: names, file types, keys (the switcher's
# "English" is marked lang="en").
ALLOWED_LATIN = {"nnbook", "Binder", "Colab", "Thebe", "PDF", "JavaScript", "Ctrl", ".ipynb", ".md", ".pdf"}


def test_the_theme_speaks_the_editions_language(editions):
    """Outside the article, every text and accessible name of a Chinese page is Chinese (or a
    name, marked in its own language): the theme's, Sphinx's and the templates' words, the part
    captions of the table of contents, the book's title."""
    problems = []
    for locale, lang in EDITION_OF_LOCALE.items():
        intro = {m.id: m.string for m in _messages(i18n.LOCALES / locale / "LC_MESSAGES" / "book" / "intro.po")}
        html = editions[lang]
        for page in _pages(html):
            for text, in_lang in edition_page(page).chrome:
                if in_lang != lang:
                    continue
                words = [w for w in re.findall(r"[.A-Za-z][A-Za-z]{2,}", text) if w not in ALLOWED_LATIN]
                if words:
                    problems.append(f"{page.relative_to(HTML_ROOT)}: {text!r}")
        captions = re.findall(r'<span class="caption-text">([^<]+)</span>', (html / "book" / "intro.html").read_text(encoding="utf-8"))
        english = [part["caption"] for part in toc()["parts"]]
        expected = [intro[caption] for caption in english]
        assert captions == expected, f"{lang}: the sidebar's parts are {captions}, expected {expected}"
    assert not problems, f"{len(set(problems))} English words around Chinese pages:\n" + "\n".join(sorted(set(problems))[:60])


def _press_tab(browser, session):
    for kind in ("rawKeyDown", "keyUp"):
        browser.call("Input.dispatchKeyEvent", {"type": kind, "key": "Tab", "code": "Tab",
                                                "windowsVirtualKeyCode": 9, "nativeVirtualKeyCode": 9}, session=session)


SWITCHER_LINK_JS = "document.querySelector('.nnbook-editions a[hreflang=\"{lang}\"]')"


def test_the_switcher_leads_to_the_same_section_and_takes_the_keyboard(site, browser, editions):
    """In Chromium: the switcher's links carry the URL's #fragment, or else the section being
    read; following one lands on that section of the other edition; Tab reaches the three links,
    each with a visible focus ring."""
    from browser_support import settle, start_page

    base, _ = site
    doc = "book/01-neuron"
    sections = edition_page(editions["en"] / f"{doc}.html").sections
    assert len(sections) >= 4, sections
    named, read = sections[3], sections[-1]
    target, session = start_page(browser, f"{base}/{doc}.html#{named}")
    try:
        settle(browser, doc, session)
        # The URL's fragment, while its section is in view.
        link = SWITCHER_LINK_JS.format(lang="zh-Hans")
        href = browser.evaluate(session, f"(() => {{ const a = {link}; a.focus(); return a.href; }})()")
        assert href == f"{base}/zh-cn/{doc}.html#{named}"
        # No fragment: the section being read.
        browser.evaluate(session, f"history.replaceState(null, '', location.pathname); "
                                  f"document.getElementById('{read}').scrollIntoView(); true")
        browser.pump(0.3)
        link = SWITCHER_LINK_JS.format(lang="zh-Hant")
        href = browser.evaluate(session, f"(() => {{ const a = {link}; a.focus(); return a.href; }})()")
        assert href == f"{base}/zh-tw/{doc}.html#{read}"
        # Back at the top of the page: the page itself.
        browser.evaluate(session, "window.scrollTo(0, 0); document.activeElement.blur(); true")
        browser.pump(0.3)
        link = SWITCHER_LINK_JS.format(lang="en")
        href = browser.evaluate(session, f"(() => {{ const a = {link}; a.focus(); return a.href; }})()")
        assert href == f"{base}/{doc}.html"
        # Followed: the other edition's page, at the section.
        browser.evaluate(session, f"document.getElementById('{read}').scrollIntoView(); true")
        browser.pump(0.3)
        browser.evaluate(session, f"{SWITCHER_LINK_JS.format(lang='zh-Hant')}.click(); true")
        assert browser.wait_until(session, "location.pathname.includes('/zh-tw/') && document.readyState === 'complete'", 30)
        landed = browser.evaluate(session, f"[location.href, document.documentElement.lang, "
                                           f"!!document.getElementById('{read}')]")
        assert landed == [f"{base}/zh-tw/{doc}.html#{read}", "zh-Hant", True]
        # There, the English pages' titles in the sidebar are marked English (nnbook.js), and the
        # code blocks' copy buttons speak the edition's language.
        assert browser.wait_until(session, "!!document.querySelector('.copybtn')", 30)
        marks = browser.evaluate(session, r"""(() => {
          const english = Array.from(document.querySelectorAll('.bd-sidenav a'))
            .filter(a => /\/(exercises|solutions)\//.test(a.pathname));
          return [english.length, english.filter(a => a.lang !== 'en').length,
                  document.querySelector('.copybtn').dataset.tooltip];
        })()""")
        assert marks[0] >= 30 and marks[1:] == [0, "複製"], marks
        # The keyboard: from the top of the page (loaded without a fragment, where Tab would
        # start), Tab reaches the three links in order.
        browser.call("Page.navigate", {"url": f"{base}/zh-tw/{doc}.html"}, session=session)
        assert browser.wait_until(session, "!location.hash && document.readyState === 'complete' && "
                                           "!!document.querySelector('.nnbook-editions')", 30)
        browser.call("Page.bringToFront", session=session)  # only the tab in front takes keys
        reached, path = [], []
        for _ in range(20):
            _press_tab(browser, session)
            focused = browser.evaluate(session, """(() => {
              const a = document.activeElement;
              if (!a.closest('.nnbook-editions')) return a.tagName + '.' + a.className;
              const style = getComputedStyle(a);
              return [a.getAttribute('hreflang'), style.outlineStyle, parseFloat(style.outlineWidth)];
            })()""")
            path.append(focused)
            if isinstance(focused, list):
                reached.append(focused)
                if len(reached) == 3:
                    break
            elif reached:
                break
        assert [lang for lang, _, _ in reached] == list(SWITCHER_LABELS), path
        assert all(style != "none" and width >= 2 for _, style, width in reached), reached
    finally:
        browser.close_page(target)
