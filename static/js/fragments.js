// Progressive enhancement: an element with data-fragment-url holds a plain link to a page; when
// scripts run, the page's fragment is fetched and shown in place. Without scripts (or if the
// fetch fails) the link stays, so nothing is lost.
(function () {
  "use strict";
  function load(container) {
    var url = container.getAttribute("data-fragment-url");
    container.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        container.innerHTML = html;
        container.setAttribute("data-fragment-loaded", "true");
      })
      .catch(function () {
        /* keep the link that is already there */
      })
      .finally(function () {
        container.setAttribute("aria-busy", "false");
      });
  }
  function start() {
    document.querySelectorAll("[data-fragment-url]").forEach(load);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
