/* The dashboard's heavier sections (liaison/views/general.py): each placeholder with data-fragment is
   filled with the HTML its URL answers, after the page has shown. 204 (nothing to show) removes the
   placeholder; a failure leaves a link to the page with everything in it (?full=1). No framework, no
   network beyond this site. */
(function () {
  "use strict";
  function fail(box) {
    box.innerHTML = "";
    var p = document.createElement("p"), a = document.createElement("a");
    p.className = "small text-muted";
    p.textContent = "这一部分未能加载。";
    a.href = "?full=1";
    a.textContent = "在本页显示全部内容";
    p.appendChild(a);
    box.appendChild(p);
  }
  function load(box) {
    fetch(box.getAttribute("data-fragment"), {credentials: "same-origin", headers: {"X-Requested-With": "fetch"}})
      .then(function (response) {
        if (response.status === 204) { box.remove(); return null; }
        if (!response.ok || response.redirected) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) {
        if (html !== null) { box.innerHTML = html; box.removeAttribute("data-fragment"); }
      })
      .catch(function () { fail(box); });
  }
  document.querySelectorAll("[data-fragment]").forEach(load);
}());
