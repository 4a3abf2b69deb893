// A gesture that locks the year (submitting, approving) asks for confirmation in a <dialog>
// that says what the year still lacks and what the gesture locks. The dialog opens on its
// safe choice (« Annuler », autofocus). Without JavaScript the button posts anyway and the
// server shows the same confirmation as a page, so the step is never skipped.
(function () {
  "use strict";
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    var dialog = document.getElementById(button.dataset.confirm);
    if (!dialog || typeof dialog.showModal !== "function") { return; }
    button.addEventListener("click", function (event) {
      var form = button.form;
      // A comment the gesture requires is checked before the dialog opens.
      if (form && !form.reportValidity()) { return; }
      event.preventDefault();
      // A dialog with a form of its own (the entry page's) posts the comment typed beside
      // the buttons (the dialog is modal: it cannot change while the dialog is open).
      var comment = form && form.elements.namedItem("comment");
      dialog.querySelectorAll("input[data-comment-copy]").forEach(function (copy) {
        copy.value = comment ? comment.value : "";
      });
      dialog.showModal();
      var safe = dialog.querySelector("[autofocus]");
      if (safe) { safe.focus(); }
    });
  });
  document.querySelectorAll("dialog [data-close-dialog]").forEach(function (button) {
    button.addEventListener("click", function () {
      button.closest("dialog").close();
    });
  });
})();
