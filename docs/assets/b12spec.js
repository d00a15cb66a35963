/* b12spec reviewer site: draws the decision requirements diagram with the vendored mermaid
 * (never Material's CDN loader: our diagrams use the class b12-mermaid, not pre.mermaid), links
 * every diagram node to its table page, makes the evidence tables sortable with tablesort (never
 * the rules or the DMN grid: their order is the table's), and names Material's search dialog
 * for assistive technology. */
(function () {
  "use strict";

  // Where this script lives: the vendored mermaid sits beside it, loaded only where a diagram is.
  var here = document.currentScript ? document.currentScript.src : "";
  var mermaidSrc = here.replace(/b12spec\.js(\?.*)?$/, "vendor/mermaid/mermaid.min.js");

  function linkNodes(container) {
    var hrefs = {};
    document.querySelectorAll("a[data-decision]").forEach(function (a) {
      hrefs[a.getAttribute("data-decision")] = a.getAttribute("href");
    });
    container.querySelectorAll("g.node").forEach(function (node) {
      var match = /flowchart-(.+)-\d+$/.exec(node.id || "");
      var key = node.getAttribute("data-id") || (match && match[1]);
      var href = key && hrefs[key];
      if (!href || node.parentNode.nodeName.toLowerCase() === "a") return;
      var link = document.createElementNS("http://www.w3.org/2000/svg", "a");
      link.setAttribute("href", href);
      link.setAttribute("class", "b12-node-link");
      link.setAttributeNS("http://www.w3.org/1999/xlink", "xlink:href", href);
      node.parentNode.insertBefore(link, node);
      link.appendChild(node);
    });
  }

  function drawDiagrams() {
    var nodes = document.querySelectorAll(".b12-mermaid:not([data-processed])");
    if (!nodes.length) return;
    if (typeof window.mermaid === "undefined") {
      if (document.querySelector("script[data-b12-mermaid]")) return;
      var script = document.createElement("script");
      script.src = mermaidSrc;
      script.setAttribute("data-b12-mermaid", "");
      script.onload = drawDiagrams;
      document.head.appendChild(script);
      return;
    }
    var dark = document.body.getAttribute("data-md-color-scheme") === "slate";
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: dark ? "dark" : "default" });
    window.mermaid.run({ nodes: nodes }).then(function () {
      nodes.forEach(linkNodes);
    });
  }

  function sortTables() {
    if (typeof window.Tablesort === "undefined") return;
    document.querySelectorAll("article table:not([class])").forEach(function (table) {
      if (table.closest(".b12-grid, .b12-rules, .b12-signoff")) return;
      if (!table.hasAttribute("data-b12-sortable")) {
        table.setAttribute("data-b12-sortable", "");
        new window.Tablesort(table);
      }
    });
  }

  function nameSearch() {
    var dialog = document.querySelector(".md-search[role='dialog']");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search the site");
  }

  function init() {
    nameSearch();
    drawDiagrams();
    sortTables();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
