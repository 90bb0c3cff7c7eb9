/* The unit-pairing form: show only the fields of the chosen kind (联线/结对/联姻/牵手). */
(function () {
  var kind = document.getElementById("id_kind");
  function sync() {
    document.querySelectorAll("#unit-form [data-kinds]").forEach(function (el) {
      el.hidden = el.dataset.kinds.split(" ").indexOf(kind.value) < 0;
    });
  }
  kind.addEventListener("change", sync);
  sync();
})();
