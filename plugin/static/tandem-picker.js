/* Tandem: a person picker. An <input list="…" data-search-url="…"> gets its <datalist> filled, as one types,
 * with the labels of the people the search URL (/mentoring/people-search/, the same one the programme page's
 * picker asks) returns for ?q= (name, e-mail, team or employee id). */
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-search-url][list]");
  Array.prototype.forEach.call(inputs, function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var query = input.value.trim();
        if (query.length < 2 || query.indexOf(" — ") !== -1) { return; }
        var url = input.getAttribute("data-search-url") + "?q=" + encodeURIComponent(query);
        fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (response) { return response.ok ? response.json() : {people: []}; })
          .then(function (data) {
            list.textContent = "";
            (data.people || []).forEach(function (person) {
              var option = document.createElement("option");
              option.value = person.label;
              list.appendChild(option);
            });
          });
      }, 200);
    });
  });
})();
