// Live preview of a target's reading: on the "Essayer une cible" page and in the target
// revision form. Each form with data-target-preview (the preview URL) sends its text — and
// its unit, direction and sample when it has them — as the user types, and shows the reading
// the server answers in the form's .target-preview. Nothing is saved.
(function () {
  "use strict";
  var FIELDS = ["text", "unit", "direction", "sample", "reference"];

  function watch(form) {
    var box = form.parentNode.querySelector(".target-preview");
    if (!box) { return; }
    var timer = null;
    var asked = 0;

    function refresh() {
      var params = new URLSearchParams({ partial: "1" });
      FIELDS.forEach(function (name) {
        var field = form.elements[name];
        var value = field ? field.value : form.dataset[name];
        if (value) { params.set(name, value); }
      });
      var mine = ++asked;
      fetch(form.dataset.targetPreview + "?" + params.toString(), {
        credentials: "same-origin", headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        if (html === null || mine !== asked) { return; }  // an older answer arrived late
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector(".target-preview");
        if (fresh) { box.replaceWith(fresh); box = fresh; }
      });
    }

    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    });
    form.addEventListener("change", refresh);
  }

  document.querySelectorAll("form[data-target-preview]").forEach(watch);
})();
