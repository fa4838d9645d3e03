// The widget manager of the book's pages: what draws each widget from the widget state stored in
// an executed page. tools/bundle_assets.py bundles this file with esbuild, minified, into
// book/_static/vendor/html-manager/embed-amd.js.
//
// It does what @jupyter-widgets/html-manager's embed-amd.js does for widgets of ipywidgets 8
// (@jupyter-widgets/base 2.x and @jupyter-widgets/controls 2.x, the only modules the book's
// widgets use), without what that bundle carries for other cases: JupyterLab's output area and
// its MIME renderers with React (for the Output widget), a JSON-schema validator for the
// stored state, Font Awesome 5 (the theme's Font Awesome 6 draws the widgets' icons) and the
// modules of ipywidgets 7. A widget from another module is looked up through RequireJS, as the
// upstream manager does; one that cannot be had (a widget saved by ipywidgets 7, whose
// base and controls are 1.x) shows the error in its place. The HTML of descriptions is cleaned
// by tools/widget_sanitize.js (the browser's parser) instead of sanitize-html.
//
// The stylesheets come as text (tools/bundle_assets.py bundles them first, with their @imports)
// and go into <style> elements at the end of <head>, where the upstream bundle puts them.

import * as base from "@jupyter-widgets/base";
import * as controls from "@jupyter-widgets/controls";
import { ManagerBase } from "@jupyter-widgets/base-manager";
import { MessageLoop } from "@lumino/messaging";
import { Widget } from "@lumino/widgets";
import sanitize from "sanitize-html";  // tools/widget_sanitize.js (an esbuild alias)
import WIDGETS_CSS from "nnbook-css/widgets.css";
import LAB_VARIABLES_CSS from "nnbook-css/labvariables.css";

const STATE_TYPE = "application/vnd.jupyter.widget-state+json";
const VIEW_TYPE = "application/vnd.jupyter.widget-view+json";

function addStyle(css, name) {
  const style = document.createElement("style");
  style.setAttribute("data-nnbook-widgets", name);
  style.textContent = css;
  document.head.appendChild(style);
}

addStyle(WIDGETS_CSS, "widgets");

let labVariablesAdded = false;
function addLabVariables() {
  // JupyterLab's colour and size variables, unless the page defines them already.
  if (labVariablesAdded) return;
  labVariablesAdded = true;
  if (getComputedStyle(document.documentElement).getPropertyValue("--jp-layout-color0") === "") {
    addStyle(LAB_VARIABLES_CSS, "labvariables");
  }
}

function requirePromise(names) {
  return new Promise((resolve, reject) => {
    const requirejs = window.requirejs;
    if (requirejs === undefined) {
      reject(new Error(`RequireJS is not on the page, so ${names.join(", ")} cannot be loaded`));
    } else {
      requirejs(names, resolve, reject);
    }
  });
}

// The widget module versions this bundle has: ipywidgets 8's base and controls 2.x.
function isVersion2(range) {
  const match = /^[\^~=v]*\s*(\d+)/.exec(String(range || ""));
  return match !== null && match[1] === "2";
}

export class HTMLManager extends ManagerBase {
  constructor(options) {
    super();
    this.loader = options && options.loader;
    this._viewList = new Set();
    window.addEventListener("resize", () => {
      this._viewList.forEach((view) => {
        MessageLoop.postMessage(view.luminoWidget || view.pWidget, Widget.ResizeMessage.UnknownSize);
      });
    });
  }

  async display_view(view, el) {
    let v;
    try {
      v = await view;
    } catch (error) {
      const msg = `Could not create a view for ${view}`;
      console.error(msg, error);
      const ModelCls = base.createErrorWidgetModel(error, msg);
      v = new base.ErrorWidgetView({ model: new ModelCls() });
      v.render();
    }
    Widget.attach(v.luminoWidget || v.pWidget, el);
    this._viewList.add(v);
    v.once("remove", () => this._viewList.delete(v));
  }

  _get_comm_info() {
    return Promise.resolve({});
  }

  _create_comm() {
    return Promise.resolve({ on_close: () => {}, on_msg: () => {}, close: () => {} });
  }

  async loadClass(className, moduleName, moduleVersion) {
    let module;
    if (moduleName === "@jupyter-widgets/base" && isVersion2(moduleVersion)) {
      module = base;
    } else if (moduleName === "@jupyter-widgets/controls" && isVersion2(moduleVersion)) {
      addLabVariables();
      module = controls;
    } else if (moduleName === "@jupyter-widgets/base" || moduleName === "@jupyter-widgets/controls") {
      throw new Error(`Could not load module ${moduleName}@${moduleVersion}: the book's widget manager has ` +
                      "version 2.x of it (ipywidgets 8); run the notebook again with ipywidgets 8");
    } else if (this.loader !== undefined) {
      module = await this.loader(moduleName, moduleVersion);
    } else {
      throw new Error(`Could not load module ${moduleName}@${moduleVersion}: no loader for modules ` +
                      "other than @jupyter-widgets/base and @jupyter-widgets/controls");
    }
    if (module && module[className]) return module[className];
    throw new Error(`Class ${className} not found in module ${moduleName}@${moduleVersion}`);
  }
}

// A widget module this bundle does not have, from RequireJS (a page may define it, or configure
// where it is).
export function requireLoader(moduleName, moduleVersion) {
  return requirePromise([moduleName]).catch((err) => {
    throw new Error(`Could not load module ${moduleName}@${moduleVersion}: ${err && err.message ? err.message : err}`);
  });
}

function parse(tag, what) {
  try {
    return JSON.parse(tag.textContent);
  } catch (err) {
    throw new Error(`the page's ${what} is not valid JSON: ${err.message}`);
  }
}

async function renderManager(element, widgetState, managerFactory) {
  if (!widgetState || typeof widgetState.state !== "object" || widgetState.version_major !== 2) {
    throw new Error("expected a widget state of version 2 ({\"version_major\": 2, \"state\": {...}}), " +
                    `found version ${widgetState && widgetState.version_major}`);
  }
  const manager = managerFactory();
  const models = await manager.set_state(widgetState);
  const tags = element.querySelectorAll(`script[type="${VIEW_TYPE}"]`);
  await Promise.all(Array.from(tags).map(async (viewtag) => {
    const view = parse(viewtag, "widget view");
    const model = models.find((item) => item.model_id === view.model_id);
    if (model !== undefined && viewtag.parentElement !== null) {
      const prev = viewtag.previousElementSibling;
      if (prev && prev.tagName === "IMG" && prev.classList.contains("jupyter-widget")) {
        viewtag.parentElement.removeChild(prev);
      }
      const widgetTag = document.createElement("div");
      widgetTag.className = "widget-subarea";
      viewtag.parentElement.insertBefore(widgetTag, viewtag);
      await manager.display_view(manager.create_view(model), widgetTag);
    }
  }));
}

// Every widget of ``element`` drawn from the widget state in its page.
export async function renderWidgets(element = document.documentElement, loader = requireLoader) {
  const tags = element.querySelectorAll(`script[type="${STATE_TYPE}"]`);
  await Promise.all(Array.from(tags).map((tag) =>
    renderManager(element, parse(tag, "widget state"), () => new HTMLManager({ loader }))));
}

// The module names the upstream bundle defines, for widget modules written against them.
const htmlManager = { HTMLManager, requireLoader, version: "nnbook" };
if (typeof window.define === "function" && window.define.amd) {
  window.define("@jupyter-widgets/base", [], () => base);
  window.define("@jupyter-widgets/controls", [], () => controls);
  window.define("@jupyter-widgets/html-manager", [], () => htmlManager);
  window.define("@jupyter-widgets/html-manager/dist/libembed-amd", [], () => ({ renderWidgets, requireLoader }));
}
window.nnbookWidgets = { renderWidgets, HTMLManager, sanitize };

function start() {
  renderWidgets().catch((err) => console.error("The widgets could not be drawn:", err));
}
// As soon as the document is parsed: the widget state and the places of the views are in it.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
