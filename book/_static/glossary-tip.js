// Glossary term tooltips (markup from tools/glossary.py, style in glossary-tip.css).
// The CSS shows a tooltip while its term is hovered or focused; this script keeps it inside the
// window (a term near the right edge of a phone's screen) and lets Escape hide it until the
// pointer or the focus leaves the term (WCAG 1.4.13: dismissible without moving either).
(function () {
  "use strict";
  var MARGIN = 8;

  function place(term) {
    var tip = term.querySelector(".nnbook-term-tip");
    if (!tip) return;
    tip.style.left = "0px";
    var box = tip.getBoundingClientRect();
    if (!box.width) return; // hidden
    var width = document.documentElement.clientWidth;
    var shift = 0;
    if (box.right > width - MARGIN) shift = width - MARGIN - box.right;
    if (box.left + shift < MARGIN) shift = MARGIN - box.left;
    tip.style.left = shift + "px";
  }

  function show(event) {
    var term = event.currentTarget;
    term.classList.remove("nnbook-tip-dismissed");
    place(term);
  }

  function leave(event) {
    var term = event.currentTarget;
    if (event.type === "focusout" && term.contains(event.relatedTarget)) return;
    if (event.type === "mouseleave" && term.contains(document.activeElement)) return;
    term.classList.remove("nnbook-tip-dismissed");
  }

  function init() {
    var terms = document.querySelectorAll(".nnbook-term");
    terms.forEach(function (term) {
      term.addEventListener("mouseenter", show);
      term.addEventListener("focusin", show);
      term.addEventListener("mouseleave", leave);
      term.addEventListener("focusout", leave);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" && event.key !== "Esc") return;
      terms.forEach(function (term) {
        if (term.matches(":hover") || term.contains(document.activeElement)) {
          term.classList.add("nnbook-tip-dismissed");
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
