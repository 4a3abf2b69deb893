// A background register import: poll the job's progress, move the bar, reload when done
// (the page then shows the outcome). Without JavaScript, the page's « Actualiser » link does.
(function () {
  "use strict";
  var section = document.querySelector("[data-status-url]");
  if (!section) { return; }
  var bar = document.getElementById("import-bar");
  var text = document.getElementById("import-bar-text");
  var state = document.getElementById("import-state");
  var url = section.getAttribute("data-status-url");
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (job.finished) { window.location.reload(); return; }
        bar.value = job.percent;
        bar.textContent = job.text;
        text.textContent = job.text;
        state.textContent = job.state_label;
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
