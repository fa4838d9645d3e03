// The HTML sanitizer of the book's widget manager (tools/widget_manager.js), in place of the
// sanitize-html package that @jupyter-widgets/base-manager imports: that package parses HTML
// with htmlparser2 and styles with PostCSS (0.25 MB of the bundle), where the browser's own
// parser does the same work. The manager calls it on a widget description written in HTML
// (description_allow_html) with its lists of allowed tags and attributes:
// sanitize(html, {allowedTags: [...], allowedAttributes: {"*": ["aria-*", "class", ...], a: ["href"]}}).
//
// As sanitize-html does with those options: a tag not allowed is dropped and its text kept,
// except script, style, textarea, option and noscript, which go with their content; an attribute
// not allowed is dropped ("aria-*" allows every name that starts with "aria-"); an href or src
// keeps only a relative URL or one of the schemes http, https, ftp, mailto and tel. The HTML is
// parsed by DOMParser into a document that runs no script and loads nothing, and the result is
// written out as text, so nothing of the parsed document reaches the page.

const DROPPED_WITH_CONTENT = new Set(["script", "style", "textarea", "option", "noscript", "template"]);
const VOID = new Set(["area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]);
const URL_ATTRIBUTES = new Set(["href", "src", "action", "formaction", "cite", "background", "poster"]);
const SCHEMES = new Set(["http", "https", "ftp", "mailto", "tel"]);

function escapeText(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function escapeAttribute(text) {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function nameMatches(patterns, name) {
  return (patterns || []).some((p) => (p.endsWith("*") ? name.startsWith(p.slice(0, -1)) : p === name));
}

function urlAllowed(value) {
  // Control characters and spaces are ignored by browsers inside a scheme ("java\tscript:").
  const compact = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact);
  return scheme === null || SCHEMES.has(scheme[1].toLowerCase());
}

export default function sanitize(html, options = {}) {
  const tags = new Set((options.allowedTags || []).map((t) => t.toLowerCase()));
  const attributes = options.allowedAttributes || {};
  const doc = new DOMParser().parseFromString(`<!DOCTYPE html><body>${String(html)}`, "text/html");

  function write(node) {
    let out = "";
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        out += escapeText(child.data);
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        const tag = child.localName;
        if (DROPPED_WITH_CONTENT.has(tag)) continue;
        const inner = write(child);
        if (!tags.has(tag)) {
          out += inner;
          continue;
        }
        let attrs = "";
        for (const { name, value } of Array.from(child.attributes)) {
          if (!nameMatches(attributes["*"], name) && !nameMatches(attributes[tag], name)) continue;
          if (URL_ATTRIBUTES.has(name) && !urlAllowed(value)) continue;
          attrs += ` ${name}="${escapeAttribute(value)}"`;
        }
        out += VOID.has(tag) ? `<${tag}${attrs} />` : `<${tag}${attrs}>${inner}</${tag}>`;
      }
      // comments, processing instructions: dropped
    }
    return out;
  }

  return write(doc.body);
}
