/* Tandem: HR's programme page. Shows each 0-10 weight beside its slider, and runs the person pickers:
 * a search box that asks /mentoring/people-search/ (through tandem-search.js, shared with the workflow editor's
 * picker) and lists people with their e-mail and team, so two namesakes can be told apart. Handwritten, no
 * library, no CDN. */
(function () {
  "use strict";

  document.querySelectorAll("input.tandem-weight").forEach(function (slider) {
    var output = document.getElementById(slider.id + "-value");
    slider.addEventListener("input", function () {
      if (output) { output.textContent = slider.value; }
    });
  });

  function picker(box) {
    var input = box.querySelector("input[type=search]");
    var value = box.querySelector("input.tandem-person-value");
    var list = box.querySelector(".tandem-person-results");
    var url = box.getAttribute("data-search");

    function choose(person) {
      value.value = person.id;
      input.value = person.label;
      list.textContent = "";
    }

    function show(people, query) {
      list.textContent = "";
      if (!people.length) {
        var none = document.createElement("li");
        none.textContent = "Nobody found for \u201c" + query + "\u201d.";
        list.appendChild(none);
        return;
      }
      people.forEach(function (person) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-link tandem-person-choice";
        button.textContent = person.label;
        button.addEventListener("click", function () { choose(person); });
        item.appendChild(button);
        list.appendChild(item);
      });
    }

    input.addEventListener("input", function () { value.value = ""; });
    window.TandemSearch.attach(input, url, {
      short: function () { list.textContent = ""; },
      found: show,
      failed: function () { list.textContent = ""; }
    });
  }

  document.querySelectorAll(".tandem-person-picker").forEach(picker);
})();
