// Progressive enhancement for the search page: filters and sort apply as soon as they change.
// The "Apply filters" button does the same without it.
(function () {
  var form = document.getElementById("search-form");
  if (!form) return;
  // On a phone the filters come before the results: fold them all; the chips above the
  // results show which are in use.
  if (window.matchMedia("(max-width: 50rem)").matches) {
    form.querySelectorAll("details.facet").forEach(function (d) { d.open = false; });
  }
  form.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t.type === "checkbox" || t.tagName === "SELECT") {
      var page = form.querySelector("input[name=page]");
      if (page) page.remove();
      form.submit();
    }
  });
})();
