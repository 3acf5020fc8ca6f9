/* Tandem: person pickers that search as one types. A <select class="tandem-person-picker" data-search-url="…">
 * holds only its current choice; Select2 asks the search URL (/mentoring/people-search/?q=, scoped like the
 * People list) for the rest, so no page carries the whole directory. A picker added later (FAB adds a search
 * filter's field when it is clicked) is set up when first touched. */
(function ($) {
  "use strict";
  if (!$ || !$.fn.select2) { return; }

  function setUp(select) {
    var $select = $(select);
    if ($select.hasClass("select2-hidden-accessible")) { return false; }
    var blank = $select.find('option[value="__None"]');
    $select.select2({
      theme: "bootstrap",
      width: "100%",
      allowClear: blank.length > 0,
      placeholder: {id: "__None", text: blank.text() || ""},
      minimumInputLength: 1,
      ajax: {
        url: $select.data("search-url"),
        dataType: "json",
        delay: 200,
        data: function (params) { return {q: params.term || ""}; },
        processResults: function (data) {
          return {results: (data.people || []).map(function (person) {
            return {id: String(person.id), text: person.label};
          })};
        }
      }
    });
    return true;
  }

  $(function () {
    $("select.tandem-person-picker").each(function () { setUp(this); });
    $(document).on("mousedown focusin", "select.tandem-person-picker", function (event) {
      if (setUp(this)) {
        event.preventDefault();
        $(this).select2("open");
      }
    });
  });
})(window.jQuery);
