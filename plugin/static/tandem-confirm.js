/* Tandem: ask before a form with data-confirm="question" is sent (instead of an inline onsubmit handler,
 * which the Content-Security-Policy does not run). */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
