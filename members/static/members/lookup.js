/* Search-as-you-type for members/widgets.py LookupSelect: results come from a scoped JSON view. */
(function () {
  "use strict";
  function chip(box, select, option) {
    var span = document.createElement("span");
    span.className = "badge rounded-pill text-bg-light border fs-6 fw-normal lookup-chip";
    span.textContent = option.textContent + " ";
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "btn-close btn-close-sm ms-1 align-middle";
    remove.setAttribute("aria-label", "移除 " + option.textContent);
    remove.addEventListener("click", function () { option.remove(); render(box, select); });
    span.appendChild(remove);
    return span;
  }
  function render(box, select) {
    var chosen = box.querySelector(".lookup-chosen");
    chosen.innerHTML = "";
    Array.prototype.forEach.call(select.options, function (o) { chosen.appendChild(chip(box, select, o)); });
  }
  function choose(box, select, item) {
    var multiple = box.dataset.multiple === "1";
    if (!multiple) { select.innerHTML = ""; }
    if (!select.querySelector('option[value="' + item.id + '"]')) {
      var option = new Option(item.label, item.id, true, true);
      select.appendChild(option);
    }
    select.dispatchEvent(new Event("change", { bubbles: true }));
    render(box, select);
  }
  document.querySelectorAll(".lookup").forEach(function (box) {
    var select = box.querySelector("select");
    var input = box.querySelector(".lookup-search");
    var results = box.querySelector(".lookup-results");
    var timer = null;
    var url = box.dataset.lookupUrl;
    render(box, select);
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q) { results.innerHTML = ""; return; }
      timer = setTimeout(function () {
        fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (data) {
            results.innerHTML = "";
            if (!data.results.length) {
              var none = document.createElement("div");
              none.className = "list-group-item text-muted small";
              none.textContent = "没有找到（只能选择您管辖范围内的）";
              results.appendChild(none);
            }
            data.results.forEach(function (item) {
              var b = document.createElement("button");
              b.type = "button";
              b.className = "list-group-item list-group-item-action";
              b.textContent = item.label;
              b.addEventListener("click", function () {
                choose(box, select, item);
                results.innerHTML = "";
                input.value = "";
                input.focus();
              });
              results.appendChild(b);
            });
          });
      }, 200);
    });
  });
})();
