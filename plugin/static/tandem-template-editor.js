/* Tandem: the message template editor. Switches between plain text and text-and-HTML, shows a live preview
 * rendered by the server in its sandbox (POST to data-preview-url with the form), and puts a chosen variable
 * into the field being written. No inline script: the Content-Security-Policy allows files only. */
(function () {
  "use strict";
  var form = document.getElementById("tandem-template-form");
  if (!form) { return; }
  var subject = document.getElementById("tandem-preview-subject");
  var text = document.getElementById("tandem-preview-text");
  var frame = document.getElementById("tandem-preview-html");
  var problems = document.getElementById("tandem-preview-problems");
  var lastField = document.getElementById("message");
  var timer = null;
  var asked = 0;

  function mode() {
    var chosen = form.querySelector("input[name=mode]:checked");
    return chosen ? chosen.value : "full";
  }

  function showMode() {
    Array.prototype.forEach.call(form.querySelectorAll("[data-mode]"), function (section) {
      section.hidden = section.getAttribute("data-mode") !== mode();
    });
    lastField = document.getElementById(mode() === "plain" ? "message" : "text");
  }

  function preview() {
    var ask = ++asked;
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST", body: new FormData(form), credentials: "same-origin", headers: {"Accept": "application/json"}
    })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (ask !== asked) { return; }
        if (answer.problems) {
          problems.textContent = Object.keys(answer.problems).map(function (part) {
            return part + ": " + answer.problems[part];
          }).join("; ");
          problems.hidden = false;
          return;
        }
        problems.hidden = true;
        subject.textContent = answer.subject;
        text.textContent = answer.text;
        frame.srcdoc = answer.html;
        form.setAttribute("data-previewed", String(ask));
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(preview, 300);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", function (event) {
    if (event.target.name === "mode") { showMode(); later(); }
  });
  form.addEventListener("focusin", function (event) {
    if (event.target.tagName === "TEXTAREA") { lastField = event.target; }
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-insert]"), function (button) {
    button.addEventListener("click", function () {
      var field = lastField || document.getElementById("message");
      var at = field.selectionStart || field.value.length;
      var snippet = button.getAttribute("data-insert");
      field.value = field.value.slice(0, at) + snippet + field.value.slice(field.selectionEnd || at);
      field.focus();
      field.selectionStart = field.selectionEnd = at + snippet.length;
      later();
    });
  });
  showMode();
  preview();
})();
