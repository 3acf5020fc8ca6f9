/* Tandem: the people search both person pickers share. TandemSearch.attach(input, url, handlers) asks
 * url?q=… (/mentoring/people-search/, same origin, the signed-in session) 200 ms after the typing stops,
 * for two characters or more, and hands only the answer to the latest question to handlers.found(people, query).
 * Optional: handlers.short(query) when the text is too short to ask, handlers.failed() when the request fails,
 * handlers.skip(query) returning true to ask nothing (say, a label already chosen). Handwritten, no library. */
(function () {
  "use strict";
  var DELAY_MS = 200;
  var MIN_LENGTH = 2;

  function attach(input, url, handlers) {
    var timer = null;
    var asked = 0;
    input.addEventListener("input", function () {
      var query = input.value.trim();
      window.clearTimeout(timer);
      asked += 1;  // an answer still on its way is for an older question now
      if (query.length < MIN_LENGTH) {
        if (handlers.short) { handlers.short(query); }
        return;
      }
      if (handlers.skip && handlers.skip(query)) { return; }
      var mine = asked;
      timer = window.setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(query), {credentials: "same-origin", headers: {Accept: "application/json"}})
          .then(function (response) { return response.ok ? response.json() : {people: []}; })
          .then(function (data) { if (mine === asked) { handlers.found(data.people || [], query); } })
          .catch(function () { if (mine === asked && handlers.failed) { handlers.failed(); } });
      }, DELAY_MS);
    });
  }

  window.TandemSearch = {attach: attach};
})();
