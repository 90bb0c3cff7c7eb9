/* Small behaviours shared by every page; no framework, no network. */
(function () {
  "use strict";
  // Submitting twice (a double tap on a slow phone) must not send two requests.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitted === "1") { event.preventDefault(); return; }
    form.dataset.submitted = "1";
    // A disabled button is left out of what the form sends: keep the one that was pressed
    // (“保存并登记下一条” has a name) as a hidden field before disabling them all.
    var submitter = event.submitter;
    if (submitter && submitter.name) {
      var kept = document.createElement("input");
      kept.type = "hidden";
      kept.name = submitter.name;
      kept.value = submitter.value;
      form.appendChild(kept);
    }
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  });
  // "添加一行" on inline formsets: clone the hidden empty form, renumber __prefix__.
  // The server refuses more rows than MAX_NUM_FORMS, so the button stops there.
  document.querySelectorAll("[data-formset-add]").forEach(function (button) {
    var prefix = button.dataset.formsetAdd;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    function atMax() { return max && parseInt(total.value, 10) >= parseInt(max.value, 10); }
    button.disabled = atMax();
    button.addEventListener("click", function () {
      if (atMax()) { return; }
      var template = document.getElementById(prefix + "-empty");
      var html = template.innerHTML.replace(/__prefix__/g, total.value);
      var holder = document.createElement("div");
      holder.innerHTML = html;
      document.getElementById(prefix + "-rows").appendChild(holder.firstElementChild);
      total.value = parseInt(total.value, 10) + 1;
      button.disabled = atMax();
    });
  });
  // <select data-autosubmit>: choosing a value submits its form (the CSP allows no inline onchange).
  document.addEventListener("change", function (e) {
    if (e.target.matches("select[data-autosubmit]") && e.target.form) { e.target.form.submit(); }
  });
  // Bars whose length comes from data (coverage): the CSP forbids style attributes, not the CSSOM.
  document.querySelectorAll("[data-bar-width]").forEach(function (el) {
    el.style.width = el.dataset.barWidth;
  });
  // Typing and clicking are activity: tell the server at most every 5 minutes, so the idle logout
  // (LIAISON_SESSION_IDLE_MINUTES) never lands on someone still filling in a long form.
  var keepalive = document.body.dataset.keepalive, lastPing = Date.now();
  if (keepalive) {
    ["keydown", "input", "click"].forEach(function (type) {
      document.addEventListener(type, function () {
        if (Date.now() - lastPing < 5 * 60 * 1000) { return; }
        lastPing = Date.now();
        fetch(keepalive, {credentials: "same-origin", cache: "no-store"});
      }, {passive: true});
    });
  }
  // 外出人员 fields show only when the box is ticked.
  function syncAway(box) {
    var row = box.closest("[data-resident]");
    if (row) { row.querySelectorAll("[data-away]").forEach(function (el) { el.hidden = !box.checked; }); }
  }
  document.addEventListener("change", function (e) {
    if (e.target.matches("input[name$='-is_away']")) { syncAway(e.target); }
  });
  document.querySelectorAll("input[name$='-is_away']").forEach(syncAway);
  // A machine without Chinese fonts draws Chinese from the shipped web font (static/css/app.css). Text
  // shaped before the font arrived can keep its empty boxes in Chromium's shaping cache; once the font
  // is loaded, a class changes the font description so every text run is shaped again.
  if (document.fonts && document.fonts.ready) {
    document.fonts.ready.then(function () {
      var loaded = false;
      document.fonts.forEach(function (f) { if (f.family.indexOf("Liaison CJK") >= 0 && f.status === "loaded") { loaded = true; } });
      if (loaded) { document.documentElement.classList.add("cjk-webfont"); }
    });
  }
  // The error summary (templates/includes/form_errors.html): read first, and each link puts the cursor
  // in its field (a fragment link alone only scrolls).
  var summary = document.querySelector("[data-form-errors]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (e) {
      var link = e.target.closest("a[data-focus]");
      var field = link && document.getElementById(link.dataset.focus);
      if (!field) { return; }
      e.preventDefault();
      var row = field.closest("[data-away]");
      if (row && row.hidden) { row.hidden = false; }
      field.scrollIntoView({ block: "center" });
      field.focus();
    });
  }
})();
