// The theme's Font Awesome replaces every <i class="fa ..."> with an <svg>. The Play control
// of the widget manager switches its play/pause icon by setting the className of the <i> in
// its button, and throws when that <i> is gone (the error also stops the links that follow it).
// "nest" keeps the <i> and puts the <svg> inside it (nnbook.css hides that <svg> once the
// widget manager has set its own icon class). Read by fontawesome.js, which loads deferred.
window.FontAwesomeConfig = Object.assign({ autoReplaceSvg: "nest" }, window.FontAwesomeConfig || {});

// Loaded before RequireJS and the widget manager on pages that show widgets (see
// tools/bundle_assets.py): the bundled manager defines its modules itself and needs no paths.
(function () {
  // Thebe's code (fetched only when the reader clicks "Live Code") is a UMD bundle: with
  // RequireJS on the page it would register itself as an anonymous AMD module, which RequireJS
  // rejects, instead of defining window.thebelab. The widgets have rendered by then, so hide
  // the AMD flag from it.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".btn-launch-thebe, .thebe-launch-button");
    if (button && window.define && window.define.amd) {
      window.define.amd = undefined;
    }
  }, true);

  // ipywidgets typesets the math in widget labels with the MathJax 2 call
  // MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]); the book loads MathJax 3.
  document.addEventListener("DOMContentLoaded", function () {
    var mj = window.MathJax;
    if (mj && !mj.Hub) {
      mj.Hub = {
        Queue: function (job) {
          var element = Array.isArray(job) ? job[2] : undefined;
          var ready = mj.startup && mj.startup.promise ? mj.startup.promise : Promise.resolve();
          if (element) {
            ready.then(function () { return window.MathJax.typesetPromise([element]); })
                 .catch(function (err) { console.warn("MathJax:", err); });
          }
        },
      };
    }
  });
})();

// What a screen reader and a keyboard need from the widgets' controls, which the widget manager
// does not give: the slider handle (a noUiSlider, role="slider") named after its description and
// announcing the readout's text; the readout beside it read-only (the manager draws it as an
// editable box whose typed text moved nothing and became what the slider announced); each group
// of toggle buttons named, each button saying whether it is pressed; the Play control's buttons
// named after the icon they show now (play or pause); every result that changes announced
// (aria-live). Kept up to date as the manager redraws (a MutationObserver).
(function () {
  var PLAY_ICONS = { "fa-play": "play", "fa-pause": "pause", "fa-stop": "stop", "fa-retweet": "repeat" };
  function text(node) { return node ? node.textContent.replace(/\s+/g, " ").trim() : ""; }
  function set(el, name, value) { if (el.getAttribute(name) !== value) el.setAttribute(name, value); }
  function sliders() {
    document.querySelectorAll(".widget-slider, .widget-hslider, .widget-vslider").forEach(function (box) {
      var name = text(box.querySelector(".widget-label")) || box.getAttribute("title") || "";
      var readout = box.querySelector(".widget-readout");
      if (readout) {
        set(readout, "contenteditable", "false");
        set(readout, "aria-hidden", "true"); // the handle announces the same text
      }
      var valueText = text(readout);
      box.querySelectorAll(".noUi-handle").forEach(function (handle) {
        if (name) set(handle, "aria-label", name);
        if (valueText) set(handle, "aria-valuetext", valueText);
      });
    });
  }
  function toggles() {
    document.querySelectorAll(".widget-toggle-buttons").forEach(function (box) {
      var group = box.querySelector(".widget-toggle-button") ? box.querySelector(".widget-toggle-button").parentElement : null;
      var name = text(box.querySelector(".widget-label")) || box.getAttribute("title") || "";
      if (group) {
        set(group, "role", "group");
        if (name) set(group, "aria-label", name);
      }
      box.querySelectorAll("button").forEach(function (button) {
        set(button, "aria-pressed", button.classList.contains("mod-active") ? "true" : "false");
      });
    });
  }
  function players() {
    document.querySelectorAll(".widget-play").forEach(function (box) {
      box.querySelectorAll("button").forEach(function (button) {
        var icon = button.querySelector("i");
        if (!icon) return;
        for (var cls in PLAY_ICONS) {
          if (icon.classList.contains(cls)) {
            set(button, "aria-label", PLAY_ICONS[cls]);
            if (cls === "fa-retweet") set(button, "aria-pressed", button.classList.contains("mod-active") ? "true" : "false");
            return;
          }
        }
      });
    });
  }
  function results() {
    // The precomputed view (nnbook.widgets: the class nnbook-result) holds the figure and readout
    // of the state shown; a change of state is announced, politely.
    document.querySelectorAll(".nnbook-result").forEach(function (view) {
      if (view.parentElement && view.parentElement.closest(".nnbook-result")) return; // the outer one speaks
      set(view, "aria-live", "polite");
    });
  }
  function update() { sliders(); toggles(); players(); results(); }
  var pending = false;
  var observer = new MutationObserver(function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; update(); });
  });
  document.addEventListener("DOMContentLoaded", function () {
    observer.observe(document.body, {
      childList: true, subtree: true, characterData: true,
      attributes: true, attributeFilter: ["class", "contenteditable"],
    });
    update();
  });
})();
