/* The visit entry screen (visits/templates/visits/visit_form.html).

   - Picking a household loads its 八清楚 (pre-filled, correctable) into the form.
   - The 登记为群众意见 box shows only for 限期办理 / 转有关部门办理.
   - A draft of everything typed is kept in this browser (localStorage) and offered back when the page is
     opened again: a dropped connection or a closed tab loses nothing. The draft keeps the form's one-time
     token, so a save that failed is sent again with it: if the first one did reach the server, the
     second lands on the same record instead of making another.
   A static file: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  var KEY = "liaison.visit-draft";
  var form = document.getElementById("visit-form");
  if (!form) {
    // A visit's page right after it was saved: the draft it was typed from is done with.
    var saved = document.querySelector("[data-saved-token]");
    var token = saved && saved.dataset.savedToken;
    if (token) {
      try {
        var kept = JSON.parse(window.localStorage.getItem(KEY) || "null");
        var mine = kept && kept.fields.filter(function (f) { return f.name === "submission"; })[0];
        if (mine && mine.value === token) { window.localStorage.removeItem(KEY); }
      } catch (e) { /* storage off */ }
    }
    return;
  }
  var offer = document.getElementById("visit-draft-offer");
  var sectionUrl = form.dataset.sectionUrl;
  var createsOpinion = (form.dataset.createsOpinion || "").split(",");
  var timer = null;
  var restoring = false;

  function read() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }
  function write(draft) {
    try { window.localStorage.setItem(KEY, JSON.stringify(draft)); } catch (e) { /* storage full or off */ }
  }
  function clear() {
    try { window.localStorage.removeItem(KEY); } catch (e) { /* ignore */ }
  }

  function snapshot(submitted) {
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || /__search$/.test(el.name)) { return; }
      if (el.type === "submit" || el.type === "button") { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        fields.push({ name: el.name, value: el.value, checked: el.checked, kind: el.type });
      } else if (el.tagName === "SELECT" && el.hidden) {  // a lookup: keep the label of the choice
        var option = el.options[0];
        fields.push({ name: el.name, value: option ? option.value : "", label: option ? option.textContent : "", kind: "lookup" });
      } else {
        fields.push({ name: el.name, value: el.value, kind: "value" });
      }
    });
    var household = form.querySelector("select[name=household]");
    return {
      savedAt: new Date().toISOString(),
      submitted: !!submitted,
      household: household && household.value ? household.value : "",
      fields: fields
    };
  }

  function typedSomething(draft) {
    return draft && draft.fields.some(function (f) {
      return (f.kind === "value" && f.value && !/(submission|record_state|TOTAL_FORMS|INITIAL_FORMS|MIN_NUM_FORMS|MAX_NUM_FORMS|-id|-household|visited_on|signed_on|opinion_responsible)$/.test(f.name))
        || (f.kind === "lookup" && f.value);
    });
  }

  function save() {
    if (restoring) { return; }
    clearTimeout(timer);
    timer = setTimeout(function () { write(snapshot(false)); }, 300);
  }

  function toggleOpinion() {
    var box = document.getElementById("visit-opinion");
    if (!box) { return; }
    var chosen = form.querySelector("input[name=handling]:checked");
    box.hidden = !(chosen && createsOpinion.indexOf(chosen.value) >= 0);
  }

  function loadSection(id, then) {
    var holder = document.getElementById("visit-household");
    if (!id) { if (then) { then(); } return; }
    if (holder && holder.dataset.household === String(id)) { if (then) { then(); } return; }
    fetch(sectionUrl.replace(/0\/$/, id + "/"), { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.text(); })
      .then(function (html) {
        var box = document.createElement("div");
        box.innerHTML = html;
        var fresh = box.querySelector("#visit-household");
        if (fresh && holder) { holder.replaceWith(fresh); }
        syncAway();
        if (then) { then(); }
      })
      .catch(function () {
        if (holder) { holder.innerHTML = '<div class="alert alert-warning py-1">户情暂时无法载入（网络中断？）。可以继续填写，保存时按该户现有户情记录。</div>'; }
        if (then) { then(); }
      });
  }

  // A member at home has no second 八清楚: its boxes show only when 外出人员 is ticked (as app.js does).
  function syncAway() {
    form.querySelectorAll("input[name$='-is_away']").forEach(function (box) {
      var row = box.closest("[data-resident]");
      if (row) { row.querySelectorAll("[data-away]").forEach(function (el) { el.hidden = !box.checked; }); }
    });
  }

  function apply(draft) {
    var byName = {};
    draft.fields.forEach(function (f) { (byName[f.name] = byName[f.name] || []).push(f); });
    Object.keys(byName).forEach(function (name) {
      var els = form.querySelectorAll('[name="' + name.replace(/"/g, "") + '"]');
      byName[name].forEach(function (f) {
        Array.prototype.forEach.call(els, function (el) {
          if (f.kind === "checkbox" || f.kind === "radio") {
            if (el.value === f.value) { el.checked = f.checked; }
          } else if (f.kind === "lookup" && el.tagName === "SELECT") {
            el.textContent = "";
            if (f.value) { el.appendChild(new Option(f.label, f.value, true, true)); }
            var box = el.closest(".lookup");
            if (box) {
              var chosen = box.querySelector(".lookup-chosen");
              if (chosen) {
                chosen.textContent = "";
                if (f.value) {
                  var chip = document.createElement("span");
                  chip.className = "badge rounded-pill text-bg-light border fs-6 fw-normal lookup-chip";
                  chip.textContent = f.label;
                  chosen.appendChild(chip);
                }
              }
            }
          } else if (f.kind === "value" && el.type !== "checkbox" && el.type !== "radio") {
            el.value = f.value;
          }
        });
      });
    });
  }

  function restore(draft) {
    restoring = true;
    apply(draft);  // the visit's own fields, the visitor and the household first
    loadSection(draft.household, function () {
      apply(draft);  // then the 八清楚 rows the household section brought
      syncAway();
      restoring = false;
      toggleOpinion();
      save();
    });
  }

  // The draft of a visit that was just saved is done with.
  var draft = read();
  if (draft && form.dataset.savedToken) {
    var token = (draft.fields.filter(function (f) { return f.name === "submission"; })[0] || {}).value;
    if (token && token === form.dataset.savedToken) { clear(); draft = null; }
  }
  var shownAgain = form.querySelector(".is-invalid, .alert-danger") !== null;
  if (draft && !shownAgain && typedSomething(draft) && offer) {
    var when = new Date(draft.savedAt);
    var text = offer.querySelector("[data-draft-text]");
    text.textContent = (draft.submitted
      ? "上次提交可能没有成功（网络中断？）。恢复后核对再保存：如果上次其实已保存，不会重复登记。"
      : "本机有一份未保存的走访记录草稿。") + "（" + when.toLocaleString("zh-CN") + "）";
    offer.hidden = false;
    offer.querySelector("[data-draft-restore]").addEventListener("click", function () {
      offer.hidden = true;
      restore(draft);
    });
    offer.querySelector("[data-draft-discard]").addEventListener("click", function () {
      offer.hidden = true;
      clear();
    });
  }

  form.addEventListener("input", save);
  form.addEventListener("change", function (e) {
    if (e.target.name === "household" && e.target.tagName === "SELECT") {
      loadSection(e.target.value, save);
    }
    if (e.target.name === "handling") { toggleOpinion(); }
    save();
  });
  form.addEventListener("submit", function () {
    clearTimeout(timer);
    write(snapshot(true));
  });
  form.addEventListener("click", function (e) {
    var button = e.target.closest("[data-visit-add-resident]");
    if (!button) { return; }
    var total = document.getElementById("id_residents-TOTAL_FORMS");
    var template = document.getElementById("residents-empty");
    if (!total || !template) { return; }
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, total.value);
    document.getElementById("residents-rows").appendChild(holder.firstElementChild);
    total.value = parseInt(total.value, 10) + 1;
  });
  toggleOpinion();
})();
