// Loaded on every page (tools/bundle_assets.py adds it). Small fixes that make the theme's
// controls and the widgets' controls readable by screen readers, and that fit wide display
// equations to the text column.
(function () {
  "use strict";

  // The sidebar's expand/collapse toggles are <summary> elements holding only an icon: name
  // each after the chapter or part it opens.
  function nameSidebarToggles(root) {
    root.querySelectorAll(".bd-sidenav summary:not([aria-label])").forEach(function (summary) {
      var item = summary.closest("li");
      var link = item && item.querySelector(":scope > a");
      var caption = !link && summary.closest("details") && summary.closest("details").previousElementSibling;
      var title = (link || caption || summary).textContent.replace(/\s+/g, " ").trim();
      summary.setAttribute("aria-label", title ? "Show or hide the sections of " + title : "Show or hide the sections");
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
  // by the generic label sphinx-togglebutton gives them.
  function nameCellToggles(root) {
    root.querySelectorAll('summary[aria-label="Toggle hidden content"]').forEach(function (summary) {
      if (summary.textContent.trim()) summary.removeAttribute("aria-label");
    });
  }

  // Widget sliders (noUiSlider handles) get the name of the widget's label, e.g. "w1".
  function nameWidgetControls(root) {
    root.querySelectorAll('.widget-slider [role="slider"]:not([aria-label])').forEach(function (handle) {
      var widget = handle.closest(".widget-slider");
      var label = widget && widget.querySelector(".widget-label");
      var text = label ? label.textContent.replace(/\s+/g, " ").trim() : "";
      handle.setAttribute("aria-label", text || "slider");
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
      box.setAttribute("aria-label", "Figure, scrolls sideways: " + (img.getAttribute("alt") || ""));
    });
  }

  function fixAll() {
    focusableScrollingFigures(document);
    nameSidebarToggles(document);
    nameThemeButtons(document);
    nameCellToggles(document);
    nameWidgetControls(document);
  }

  document.addEventListener("DOMContentLoaded", function () {
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
