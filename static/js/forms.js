// After a form comes back with errors, move keyboard focus to the summary of what is wrong
// (or to the first field in error), so keyboard and screen-reader users land on it.
(function () {
  "use strict";
  function focusFirstProblem() {
    var target =
      document.querySelector("[data-focus-on-load]") ||
      document.querySelector(".error-summary") ||
      document.querySelector(".field-error input, .field-error select, .field-error textarea");
    if (!target) return;
    if (!target.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(target.tagName)) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusFirstProblem);
  } else {
    focusFirstProblem();
  }
})();
