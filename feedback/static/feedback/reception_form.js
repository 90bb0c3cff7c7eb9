/* The reception form (附件1): a returning visitor's earlier receptions and opinions, the receiver's 职务
   filled from the picker, and the opinion part shown only for 限期办理 / 转有关部门办理. No inline script
   (the Content-Security-Policy forbids it); everything is built with textContent, never innerHTML. */
(function () {
  "use strict";
  var form = document.getElementById("reception-form");
  if (!form) { return; }
  var body = document.getElementById("visitor-history-body");
  var name = document.getElementById("id_visitor_name");
  var phone = document.getElementById("id_visitor_phone");
  var part = document.getElementById("opinion-part");
  var title = document.getElementById("id_receiver_title");
  var timer = null;
  var last = "";

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  function row(item) {
    var li = el("li", "", "mb-2");
    var link = el("a", item.date + " " + item.title);
    link.href = item.url;
    link.target = "_blank";
    li.appendChild(link);
    li.appendChild(el("div", [item.name, item.phone, item.address, item.where].filter(Boolean).join(" · "), "text-muted"));
    li.appendChild(el("div", item.state, "text-muted"));
    return li;
  }

  function fillButton(item) {
    var button = el("button", "用此人的信息填写", "btn btn-sm btn-outline-primary mb-2");
    button.type = "button";
    button.addEventListener("click", function () {
      var set = function (id, value) { var f = document.getElementById(id); if (f && value !== undefined && value !== null && !f.value) { f.value = value; } };
      set("id_visitor_address", item.address);
      set("id_visitor_age", item.age);
      if (item.phone_full) { set("id_visitor_phone", item.phone); }
      if (item.gender) {
        var radio = form.querySelector("input[name=visitor_gender][value=" + item.gender + "]");
        if (radio) { radio.checked = true; }
      }
      var next = document.getElementById("id_account");
      if (next) { next.focus(); }
    });
    return button;
  }

  function show(data) {
    body.textContent = "";
    var total = data.receptions.length + data.opinions.length;
    if (!total) { body.appendChild(el("span", "没有找到此人以前的接待记录或群众意见。", "text-muted")); return; }
    if (data.receptions.length) {
      body.appendChild(fillButton(data.receptions[0]));
      body.appendChild(el("div", "接待记录（" + data.receptions.length + "）", "fw-bold"));
      var list = el("ul", "", "list-unstyled mb-2");
      data.receptions.forEach(function (item) { list.appendChild(row(item)); });
      body.appendChild(list);
    }
    if (data.opinions.length) {
      body.appendChild(el("div", "群众意见（" + data.opinions.length + "）", "fw-bold"));
      var opinions = el("ul", "", "list-unstyled mb-0");
      data.opinions.forEach(function (item) { opinions.appendChild(row(item)); });
      body.appendChild(opinions);
    }
  }

  function lookup(text) {
    text = (text || "").trim();
    if (!text || text === last) { return; }
    last = text;
    var url = form.dataset.visitorUrl + "?q=" + encodeURIComponent(text);
    if (form.dataset.exclude) { url += "&exclude=" + form.dataset.exclude; }
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { show(data); } });
  }

  function later(field) {
    return function () {
      clearTimeout(timer);
      timer = setTimeout(function () { lookup(field.value); }, 350);
    };
  }
  if (name) { name.addEventListener("input", later(name)); name.addEventListener("change", function () { lookup(name.value); }); }
  if (phone) { phone.addEventListener("change", function () { if (/^\d{11}$|^0\d{2,3}-?\d{7,8}$/.test(phone.value.trim())) { lookup(phone.value); } }); }

  function toggle() {
    var checked = form.querySelector("input[name=handling]:checked");
    var open = checked && (checked.value === "deadline" || checked.value === "refer");
    if (part) { part.hidden = !open; }
  }
  form.addEventListener("change", function (e) {
    if (e.target.name === "handling") { toggle(); }
    if (e.target.name === "receiver" && title) {
      var option = e.target.selectedOptions && e.target.selectedOptions[0];
      // the 职务 follows the receiver unless the clerk typed another one
      if (option && option.dataset.title && (!title.value || title.value === title.dataset.auto)) {
        title.value = option.dataset.title;
        title.dataset.auto = option.dataset.title;
      }
    }
  });
  toggle();
  if (name && name.value) { lookup(name.value); }
})();
