/* The lookup widget (liaison/widgets.py LookupSelect): a search box over a hidden <select>.

   Keyboard, as in any combobox (WAI-ARIA 1.2 pattern): type to search (name, pinyin initials or
   phone); ↓ / ↑ move through the results; Enter picks the highlighted result and never submits the
   form; Esc closes the list; Backspace in an empty box removes the last chosen entry of a multiple
   picker. The typed text stays until a result is picked (a slow or failed search never clears it).
   Loaded on every page by base.html; boxes added later call window.liaisonLookup.setup(box). */
(function () {
  "use strict";
  var boxes = 0;

  function setup(box) {
    if (box.dataset.lookupReady === "1") { return; }
    box.dataset.lookupReady = "1";
    var select = box.querySelector("select");
    var input = box.querySelector(".lookup-search");
    var list = box.querySelector(".lookup-results");
    var chosen = box.querySelector(".lookup-chosen");
    var status = box.querySelector(".lookup-status");
    var multiple = box.dataset.multiple === "1";
    var url = box.dataset.lookupUrl;
    var items = [];
    var active = -1;
    var timer = null;
    var sequence = 0;
    var enterWaiting = false;
    var shownQuery = null;  // the text whose answer the list shows
    boxes += 1;
    if (!list.id) { list.id = "lookup-results-" + boxes; }

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    list.setAttribute("role", "listbox");

    function say(text) { if (status) { status.textContent = text; } }

    function chip(option) {
      var span = document.createElement("span");
      span.className = "badge rounded-pill text-bg-light border fs-6 fw-normal lookup-chip";
      span.textContent = option.textContent + " ";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn-close btn-close-sm ms-1 align-middle";
      remove.setAttribute("aria-label", "移除 " + option.textContent);
      remove.addEventListener("click", function () { unchoose(option); input.focus(); });
      span.appendChild(remove);
      return span;
    }

    function renderChosen() {
      chosen.textContent = "";
      Array.prototype.forEach.call(select.options, function (o) { chosen.appendChild(chip(o)); });
    }

    function unchoose(option) {
      var label = option.textContent;
      option.remove();
      select.dispatchEvent(new Event("change", { bubbles: true }));
      renderChosen();
      say("已移除：" + label);
    }

    function close() {
      shownQuery = null;
      list.textContent = "";
      list.hidden = true;
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      active = index;
      options.forEach(function (el, i) {
        var on = i === index;
        el.classList.toggle("active", on);
        el.setAttribute("aria-selected", on ? "true" : "false");
        if (on) {
          input.setAttribute("aria-activedescendant", el.id);
          if (el.scrollIntoView) { el.scrollIntoView({ block: "nearest" }); }
        }
      });
    }

    function note(text) {
      var query = shownQuery;
      close();
      shownQuery = query;
      var div = document.createElement("div");
      div.className = "list-group-item text-muted small";
      div.textContent = text;
      list.appendChild(div);
      list.hidden = false;
      say(text);
    }

    function show(results) {
      var query = shownQuery;
      close();
      shownQuery = query;
      if (!results.length) { note("没有找到（只能选择您管辖范围内的）。请换个写法：姓名、拼音首字母或电话。"); return; }
      items = results;
      results.forEach(function (item, i) {
        var option = document.createElement("div");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.className = "list-group-item list-group-item-action lookup-option";
        option.textContent = item.label;
        // Keep the focus in the box while the mouse is down, so the click picks and typing goes on.
        option.addEventListener("mousedown", function (e) { e.preventDefault(); });
        option.addEventListener("click", function () { pick(i); });
        list.appendChild(option);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(0);
      say("找到 " + results.length + " 项，上下键选择，回车确定");
    }

    function pick(index) {
      var item = items[index];
      if (!item) { return; }
      if (!multiple) { select.textContent = ""; }
      var exists = Array.prototype.some.call(select.options, function (o) { return o.value === String(item.id); });
      if (!exists) {
        var added = new Option(item.label, item.id, true, true);
        // Anything else a lookup returns (a receiver's 职务 …) rides on the option for the page's own script.
        Object.keys(item).forEach(function (key) {
          if (key !== "id" && key !== "label") { added.dataset[key] = item[key]; }
        });
        select.appendChild(added);
      }
      select.dispatchEvent(new Event("change", { bubbles: true }));
      renderChosen();
      close();
      input.value = "";
      input.focus();
      say("已选择：" + item.label);
    }

    function search(now) {
      var query = input.value.trim();
      clearTimeout(timer);
      if (!query) { sequence += 1; close(); return; }
      var run = function () {
        var mine = ++sequence;
        box.classList.add("lookup-busy");
        fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" }
        })
          .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
          .then(function (data) {
            // An answer to an older query (typing went on) is dropped: the list always matches the box.
            if (mine !== sequence || input.value.trim() !== query) { return; }
            shownQuery = query;
            show(data.results || []);
            if (enterWaiting && items.length === 1) { pick(0); }
            enterWaiting = false;
          })
          .catch(function () {
            if (mine === sequence) { enterWaiting = false; note("搜索暂时不可用，请稍后再试；已输入的文字仍保留。"); }
          })
          .then(function () { if (mine === sequence) { box.classList.remove("lookup-busy"); } });
      };
      if (now) { run(); } else { timer = setTimeout(run, 200); }
    }

    input.addEventListener("input", function () { enterWaiting = false; search(false); });
    input.addEventListener("keydown", function (e) {
      if (e.isComposing || e.keyCode === 229) { return; }  // an IME is still composing the characters
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (!items.length) { search(true); return; }
        var n = items.length;
        highlight(e.key === "ArrowDown" ? (active + 1) % n : (active - 1 + n) % n);
      } else if (e.key === "Enter") {
        e.preventDefault();  // Enter in a lookup box picks; it never submits the form
        if (items.length && active >= 0) { pick(active); }
        else if (input.value.trim() && input.value.trim() !== shownQuery) { enterWaiting = true; search(true); }
      } else if (e.key === "Escape") {
        // Close, and drop any answer still on its way: it must not reopen the list.
        clearTimeout(timer);
        sequence += 1;
        enterWaiting = false;
        box.classList.remove("lookup-busy");
        if (!list.hidden) { e.preventDefault(); }
        close();
      } else if (e.key === "Backspace" && multiple && !input.value && select.options.length) {
        unchoose(select.options[select.options.length - 1]);
      }
    });
    box.addEventListener("focusout", function (e) {
      if (!box.contains(e.relatedTarget)) { close(); }
    });
    input.addEventListener("focus", function () { if (input.value.trim() && list.hidden) { search(true); } });
    renderChosen();
  }

  window.liaisonLookup = { setup: setup };
  document.querySelectorAll(".lookup").forEach(setup);
})();
