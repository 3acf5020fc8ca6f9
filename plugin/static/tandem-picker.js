/* Tandem: a person picker. An <input list="…" data-search-url="…"> gets its <datalist> filled, as one types,
 * with the labels of the people the search URL (/mentoring/people-search/, the same one the programme page's
 * picker asks, through the same tandem-search.js) returns for ?q= (name, e-mail, team or employee id). */
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-search-url][list]");
  Array.prototype.forEach.call(inputs, function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    window.TandemSearch.attach(input, input.getAttribute("data-search-url"), {
      skip: function (query) { return query.indexOf(" — ") !== -1; },  // a label chosen from the list
      found: function (people) {
        list.textContent = "";
        people.forEach(function (person) {
          var option = document.createElement("option");
          option.value = person.label;
          list.appendChild(option);
        });
      }
    });
  });
})();
