// Every page: what keyboard and screen-reader users need beyond the server's markup.
// - After a refused save, focus goes to the error summary (its links focus their field).
// - A wide table scrolls inside its own labelled region, focusable by keyboard when it
//   overflows, so the page itself never scrolls sideways (320 px wide screens); so does a
//   chart's region (.chart-scroll, labelled on the server).
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) { return; }
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) { return; }
      event.preventDefault();
      // The label above the field stays in view, and the field takes the focus.
      var label = document.querySelector("label[for='" + field.id + "']") || field;
      label.scrollIntoView({block: "center"});
      field.focus({preventScroll: true});
    });
  }

  function labelOf(table) {
    if (table.caption && table.caption.textContent.trim()) {
      return table.caption.textContent.trim();
    }
    if (table.getAttribute("aria-label")) { return table.getAttribute("aria-label"); }
    var node = table;
    while (node && node !== document.body) {
      var previous = node.previousElementSibling;
      while (previous) {
        if (/^H[1-6]$/.test(previous.tagName)) { return previous.textContent.trim(); }
        var inner = previous.querySelectorAll("h1, h2, h3, h4, h5, h6");
        if (inner.length) { return inner[inner.length - 1].textContent.trim(); }
        previous = previous.previousElementSibling;
      }
      node = node.parentElement;
    }
    return document.title;
  }
  var regions = [];
  document.querySelectorAll("main table").forEach(function (table) {
    var region = table.parentElement;
    if (!region.classList.contains("table-scroll")) {
      region = document.createElement("div");
      region.className = "table-scroll";
      table.parentNode.insertBefore(region, table);
      region.appendChild(table);
    }
    if (!region.hasAttribute("role")) { region.setAttribute("role", "region"); }
    if (!region.hasAttribute("aria-label")) { region.setAttribute("aria-label", labelOf(table)); }
    regions.push(region);
  });
  document.querySelectorAll("main .chart-scroll").forEach(function (region) {
    regions.push(region);
  });
  function focusable() {
    regions.forEach(function (region) {
      if (region.scrollWidth > region.clientWidth + 1) {
        region.setAttribute("tabindex", "0");
      } else if (region.dataset.serverTabindex === undefined) {
        region.removeAttribute("tabindex");
      }
    });
  }
  regions.forEach(function (region) {
    if (region.hasAttribute("tabindex")) { region.dataset.serverTabindex = ""; }
  });
  focusable();
  window.addEventListener("resize", focusable);
})();
