// Loaded before RequireJS and the widget manager on pages that show widgets (see
// tools/bundle_assets.py). Everything it points at lives in _static/vendor, so the widgets
// draw with no network, from any static host or from disk.
(function () {
  var vendor = new URL("vendor/", document.currentScript.src).href;

  // The widget manager's modules (@jupyter-widgets/html-manager, .../base, .../controls and
  // .../html-manager/dist/libembed-amd, all defined in embed-amd.js) find their icon fonts next
  // to the URL that RequireJS derives from their names: map those names onto the bundled copy.
  // (RequireJS reads a global `require` object as its configuration when it loads.)
  window.require = {
    paths: {
      "@jupyter-widgets": vendor + "html-manager",
      "@jupyter-widgets/html-manager/dist": vendor + "html-manager",
    },
  };
  window.__jupyter_widgets_assets_path__ = vendor + "html-manager/";

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
