// A form marked data-confirm (deleting a milestone, a draft, a funding line) asks first: the
// button is one click from a loss. Without JavaScript the form posts straight away.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
