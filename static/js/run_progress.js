/* Live progress of a monitoring run: polls the run's progress.json and updates the <progress>
   element and the status text until the run has finished or failed, then reloads the page so
   the server renders the result. Without JavaScript the page shows the state; reload to refresh. */
(function () {
  "use strict";

  var section = document.querySelector("[data-progress-url]");
  if (!section) {
    return;
  }
  var url = section.getAttribute("data-progress-url");
  var bar = section.querySelector("progress");
  var INTERVAL_MS = 1000;
  var MAX_FAILURES = 10;
  var failures = 0;

  function setField(name, value) {
    var element = section.querySelector('[data-field="' + name + '"]');
    if (element) {
      element.textContent = value;
    }
  }

  function render(data) {
    if (bar) {
      bar.max = Math.max(data.chunks_total, 1);
      bar.value = data.chunks_total ? data.chunks_done : (data.open ? 0 : 1);
      bar.textContent = data.chunks_done + " of " + data.chunks_total;
    }
    setField("state", data.state_label);
    setField("chunks_done", String(data.chunks_done));
    setField("chunks_total", String(data.chunks_total));
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        render(data);
        if (data.open) {
          window.setTimeout(poll, INTERVAL_MS);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        failures += 1;
        if (failures < MAX_FAILURES) {
          window.setTimeout(poll, INTERVAL_MS * failures);
        } else {
          setField("hint", "Progress could not be read; reload the page to see it.");
        }
      });
  }

  window.setTimeout(poll, INTERVAL_MS);
})();
