// Loaded on every page (tools/bundle_assets.py adds it). Small fixes that make the theme's
// controls and the widgets' controls readable by screen readers, and that fit wide display
// equations to the text column.
(function () {
  "use strict";

  // The page's edition (<html lang>: en, zh-Hans or zh-Hant) and the words this file writes into
  // the page, in each edition.
  var LANG = document.documentElement.lang || "en";
  var WORDS = {
    "zh-Hans": {
      "Toggle hidden content": "展开或收起隐藏的内容",
      "Show or hide the sections of ": "显示或隐藏以下各节：",
      "Show or hide the sections": "显示或隐藏各节",
      "Figure, scrolls sideways: ": "图（可左右滚动）：",
      "slider": "滑块"
    },
    "zh-Hant": {
      "Toggle hidden content": "展開或收起隱藏的內容",
      "Show or hide the sections of ": "顯示或隱藏以下各節：",
      "Show or hide the sections": "顯示或隱藏各節",
      "Figure, scrolls sideways: ": "圖（可左右捲動）：",
      "slider": "滑桿"
    }
  };
  function t(text) {
    return (WORDS[LANG] && WORDS[LANG][text]) || text;
  }

  // sphinx-copybutton (loaded before this file) picks its words by <html lang> and knows only
  // zh-CN: give it the two editions' words.
  /* global messages: true, locale: true */
  if (typeof messages === "object" && typeof locale === "string") {
    messages["zh-Hans"] = {copy: "复制", copy_to_clipboard: "复制到剪贴板", copy_success: "已复制！", copy_failure: "复制失败"};
    messages["zh-Hant"] = {copy: "複製", copy_to_clipboard: "複製到剪貼簿", copy_success: "已複製！", copy_failure: "複製失敗"};
    if (messages[LANG]) locale = LANG;
  }

  // The sidebar's expand/collapse toggles are <summary> elements holding only an icon: name
  // each after the chapter or part it opens.
  function nameSidebarToggles(root) {
    root.querySelectorAll(".bd-sidenav summary:not([aria-label])").forEach(function (summary) {
      var item = summary.closest("li");
      var link = item && item.querySelector(":scope > a");
      var caption = !link && summary.closest("details") && summary.closest("details").previousElementSibling;
      var title = (link || caption || summary).textContent.replace(/\s+/g, " ").trim();
      summary.setAttribute("aria-label", title ? t("Show or hide the sections of ") + title : t("Show or hide the sections"));
    });
  }

  // The theme's buttons: an accessible name that contains the button's visible text.
  function nameThemeButtons(root) {
    root.querySelectorAll(".search-button-field[aria-label]").forEach(function (button) {
      button.removeAttribute("aria-label"); // its text, "Search Ctrl+K", names it
    });
    root.querySelectorAll(".theme-switch-button").forEach(function (button) {
      button.querySelectorAll("i, svg").forEach(function (icon) {
        icon.setAttribute("aria-hidden", "true");
        icon.removeAttribute("title");
        var title = icon.querySelector && icon.querySelector("title");
        if (title) title.remove();
      });
    });
  }

  // The collapsed cells' toggles ("Show code cell source") are named by their visible text, not
  // by the generic label myst-nb gives them (in English, or as a Chinese edition translates it).
  function nameCellToggles(root) {
    var generic = ['summary[aria-label="Toggle hidden content"]',
                   'summary[aria-label="' + t("Toggle hidden content") + '"]'].join(", ");
    root.querySelectorAll(generic).forEach(function (summary) {
      if (summary.textContent.trim()) summary.removeAttribute("aria-label");
    });
  }

  // The button that sphinx-togglebutton adds to a folded note ("Going further") is named in
  // English: in the edition's language, unless the note is in an English part of the page.
  function nameNoteToggles(root) {
    if (LANG === "en") return;
    root.querySelectorAll('button.toggle-button[aria-label="Toggle hidden content"]').forEach(function (button) {
      var marked = button.closest("[lang]");
      if (marked && marked.getAttribute("lang") === LANG) {
        button.setAttribute("aria-label", t("Toggle hidden content"));
      }
    });
  }

  // Widget sliders (noUiSlider handles) get the name of the widget's label, e.g. "w1".
  function nameWidgetControls(root) {
    root.querySelectorAll('.widget-slider [role="slider"]:not([aria-label])').forEach(function (handle) {
      var widget = handle.closest(".widget-slider");
      var label = widget && widget.querySelector(".widget-label");
      var text = label ? label.textContent.replace(/\s+/g, " ").trim() : "";
      handle.setAttribute("aria-label", text || t("slider"));
    });
  }

  // A display equation wider than the column is scaled down to fit, to no less than 70 % of its
  // size; what is still wider scrolls inside its own box (nnbook.css), never the page.
  function fitEquations() {
    document.querySelectorAll('mjx-container[display="true"]').forEach(function (eq) {
      eq.style.fontSize = "";
      var box = eq.parentElement;
      var available = box ? box.clientWidth : 0;
      var needed = eq.scrollWidth;
      if (available > 0 && needed > available) {
        var scale = Math.max(0.7, (available - 2) / needed);
        eq.style.fontSize = Math.floor(scale * 100) + "%";
      }
    });
  }

  // A figure shown at its own size scrolls sideways in its output box: keyboard users reach the
  // box (Tab, then the arrow keys scroll it), and a screen reader hears what the figure is.
  function focusableScrollingFigures(root) {
    root.querySelectorAll("img.nnbook-natural-size").forEach(function (img) {
      var box = img.closest(".cell_output") || img.parentElement;
      if (!box || box.hasAttribute("tabindex")) return;
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", t("Figure, scrolls sideways: ") + (img.getAttribute("alt") || ""));
    });
  }

  // The language switcher (sbt-sidebar-nav.html) leads to the same page in another edition, and
  // to the same section: the one the URL's #fragment names while it is in view, otherwise the
  // section being read (the last whose heading is above the top of the window). Section ids are
  // made from the English titles, so they are the same in every edition. The fragment is added
  // whenever a link is about to be followed, opened in a new tab or copied.
  function sectionInView() {
    var hash = window.location.hash;
    var target = hash.length > 1 && document.getElementById(decodeURIComponent(hash.slice(1)));
    if (target) {
      var box = target.getBoundingClientRect();
      if (box.bottom > 0 && box.top < window.innerHeight) return hash;
    }
    var sections = document.querySelectorAll("article.bd-article section[id]");
    var reading = null;
    for (var i = 1; i < sections.length; i++) { // the first is the page's own (its title)
      if (sections[i].getBoundingClientRect().top <= 80) reading = sections[i];
    }
    return reading ? "#" + reading.id : "";
  }

  function editionLinks() {
    document.querySelectorAll(".nnbook-editions a[href]").forEach(function (link) {
      if (!link.dataset.page) link.dataset.page = link.getAttribute("href").split("#")[0];
      var update = function () { link.setAttribute("href", link.dataset.page + sectionInView()); };
      ["click", "auxclick", "contextmenu", "focus", "pointerenter"].forEach(function (type) {
        link.addEventListener(type, update);
      });
    });
  }

  // In a Chinese edition, the exercise and solution pages are English: their titles, wherever
  // they are linked (the sidebar, previous/next), and the contents of such a page are marked
  // English, so that a screen reader reads them in English.
  function markEnglishPages(root) {
    if (LANG === "en") return;
    root.querySelectorAll("a[href]:not([lang])").forEach(function (link) {
      if (link.closest(".nnbook-editions") || /[\u3400-\u9fff]/.test(link.textContent)) return;
      if (/\/(exercises|solutions)\/[^/]+\.html$/.test(link.pathname || "")) {
        link.setAttribute("lang", "en");
      }
    });
    if (document.querySelector(".nnbook-english-page")) {
      root.querySelectorAll("#pst-page-toc-nav > ul:not([lang])").forEach(function (list) {
        list.setAttribute("lang", "en");
      });
    }
  }

  function fixAll() {
    markEnglishPages(document);
    focusableScrollingFigures(document);
    nameSidebarToggles(document);
    nameThemeButtons(document);
    nameCellToggles(document);
    nameNoteToggles(document);
    nameWidgetControls(document);
  }

  document.addEventListener("DOMContentLoaded", function () {
    editionLinks();
    fixAll();
    // Icons (Font Awesome) and widgets are drawn after the page has loaded.
    new MutationObserver(function () { fixAll(); }).observe(document.body, {childList: true, subtree: true});
    var mj = window.MathJax;
    if (mj && mj.startup && mj.startup.promise) {
      mj.startup.promise.then(fitEquations);
    }
    var resizing;
    window.addEventListener("resize", function () {
      clearTimeout(resizing);
      resizing = setTimeout(fitEquations, 150);
    });
  });
})();
