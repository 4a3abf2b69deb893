// A search box that narrows a multi-select's options while keeping every selection:
// <input data-filter-for="select id">. Accents and case are ignored.
(function () {
  "use strict";
  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll("input[data-filter-for]").forEach(function (box) {
    var select = document.getElementById(box.dataset.filterFor);
    if (!select) { return; }
    box.addEventListener("input", function () {
      var words = plain(box.value).split(/[\s-]+/).filter(Boolean);
      Array.prototype.forEach.call(select.options, function (option) {
        var label = plain(option.text);
        var shown = option.selected || words.every(function (w) { return label.indexOf(w) !== -1; });
        option.hidden = !shown;
      });
    });
    box.addEventListener("keydown", function (event) {
      // Enter picks the first visible option instead of submitting the form.
      if (event.key !== "Enter") { return; }
      event.preventDefault();
      var first = Array.prototype.find.call(select.options, function (o) { return !o.hidden && !o.selected; });
      if (first) { first.selected = true; box.value = ""; box.dispatchEvent(new Event("input")); }
    });
  });
})();
