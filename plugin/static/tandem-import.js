/* Tandem: the directory import's progress bar. Polls the status URL in data-status-url and reloads the page
 * (which then shows the outcome) when the import is done or failed. */
(function () {
  "use strict";
  var box = document.getElementById("tandem-import-progress");
  if (!box) { return; }
  var bar = document.getElementById("tandem-import-bar");
  var words = document.getElementById("tandem-import-words");
  function poll() {
    fetch(box.getAttribute("data-status-url"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.status === "done" || state.status === "failed") {
          window.location.reload();
          return;
        }
        if (state.status === "queued") {
          bar.removeAttribute("value");
          words.textContent = "Waiting for a worker…";
        } else {
          bar.max = state.rows || 1;
          bar.value = state.read;
          words.textContent = state.read >= state.rows
            ? "All " + state.rows + " rows read; writing them…"
            : state.read + " of " + state.rows + " rows read";
        }
        window.setTimeout(poll, 500);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  poll();
})();
