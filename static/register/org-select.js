// The register's organisation multi-selects, searchable, with the choices shown as chips
// (Tom Select, vendored): <select multiple data-searchable> followed by its live region
// <div id="<select id>-live" aria-live="polite" data-added data-removed data-one data-many>.
// Typing filters (accents and case ignored), Enter adds the active option, arrow keys move
// in the list without touching what is chosen, Backspace removes the last chip; each change
// is announced. Without JavaScript the native multi-select works as it is.
(function () {
  "use strict";
  if (typeof TomSelect === "undefined") { return; }
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }
  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }
  document.querySelectorAll("select[multiple][data-searchable]").forEach(function (select) {
    var live = document.getElementById(select.id + "-live");
    var describedBy = select.getAttribute("aria-describedby");
    var control = new TomSelect(select, {
      plugins: {remove_button: {title: live ? live.dataset.remove : ""}},
      maxOptions: null,
      // Results follow each key at once: Enter right after typing picks what was typed for.
      refreshThrottle: 0,
      hideSelected: true,
      closeAfterSelect: false,
      clearAfterSelect: true,  // the search starts afresh for the next organisation
      render: {
        no_results: function () {
          return '<div class="no-results">' + escapeHtml(live ? live.dataset.none : "") + "</div>";
        }
      }
    });
    // The label now names the search box; the hidden native select keeps a name of its own.
    var label = document.querySelector("label[for='" + control.control_input.id + "']");
    if (label) { select.setAttribute("aria-label", label.textContent.trim()); }
    if (describedBy) { control.control_input.setAttribute("aria-describedby", describedBy); }
    if (select.getAttribute("aria-invalid")) { control.control_input.setAttribute("aria-invalid", "true"); }
    if (!live) { return; }
    function announce(template, value) {
      var count = control.items.length;
      var option = control.options[value];
      var name = option ? option.text : value;
      var chosen = control.items.map(function (v) { return control.options[v].text; }).join(" ; ");
      live.textContent = fill(template, {name: name}) + " " +
        fill(count === 0 ? live.dataset.zero : count === 1 ? live.dataset.one : live.dataset.many,
             {n: count, names: chosen});
    }
    control.on("item_add", function (value) { announce(live.dataset.added, value); });
    control.on("item_remove", function (value) { announce(live.dataset.removed, value); });
  });
})();
