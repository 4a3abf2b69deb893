// The entry page: a gesture that locks the year (submitting) asks for confirmation in a
// <dialog> first. Without JavaScript the button posts anyway and the server shows the same
// confirmation as a page, so the step is never skipped. The dialog opens on « Annuler ».
(function () {
  "use strict";
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    var dialog = document.getElementById(button.dataset.confirm);
    if (!dialog || typeof dialog.showModal !== "function") { return; }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      dialog.showModal();
      // Focus on the safe choice: Enter or Space right after opening cancels, never locks.
      var cancel = dialog.querySelector("[data-close-dialog]");
      if (cancel) { cancel.focus(); }
    });
  });
  document.querySelectorAll("dialog [data-close-dialog]").forEach(function (button) {
    button.addEventListener("click", function () {
      button.closest("dialog").close();
    });
  });
})();
