/* The opinion form: due dates of the four categories, refreshed when the received date changes. */
(function () {
  "use strict";
  var form = document.getElementById("opinion-form");
  var box = document.getElementById("due-preview");
  var received = document.getElementById("id_received_on");
  var previews = JSON.parse(document.getElementById("due-previews").textContent || "{}");
  function label(p) { return p.text + (p.provisional ? "（暂定：" + p.missing.join("、") + "年节假日安排未录入）" : ""); }
  function show() {
    document.querySelectorAll("[data-preview]").forEach(function (el) {
      var p = previews[el.dataset.preview];
      el.textContent = p ? "→ " + label(p) : "";
    });
    var checked = form.querySelector("input[name=category]:checked");
    var p = checked && previews[checked.value];
    if (p) {
      box.textContent = "办理时限：" + label(p);
      box.className = "alert mt-3 mb-0 py-2 " + (p.provisional ? "alert-warning" : "alert-info");
    }
  }
  function refresh() {
    if (!received.value) { return; }
    fetch(form.dataset.dueUrl + "?received_on=" + encodeURIComponent(received.value), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { previews = data.categories; show(); } });
  }
  form.addEventListener("change", function (e) {
    if (e.target === received) { refresh(); } else if (e.target.name === "category") { show(); }
  });
  show();
})();
