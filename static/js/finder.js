// Optional enhancement for the finder: apply a filter as soon as it is ticked or the sort
// order changes. Without JavaScript the "Apply filters" and "Sort" buttons do the same.
(function () {
  var form = document.querySelector("form.finder");
  if (!form) return;
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.type === "checkbox" || target.name === "sort") {
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });
  // After a search or filter, move focus to the result count so screen readers announce it.
  if (window.location.search) {
    var heading = document.getElementById("results-heading");
    if (heading) heading.focus({ preventScroll: true });
  }
})();
