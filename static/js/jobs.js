/* Background jobs (liaison/jobs/): keep each job's progress bar current by polling its small JSON
   status, without reloading the page; stop when the job has finished. No framework, no network
   beyond this site. */
(function () {
  "use strict";
  var FIRST = 800, MAX = 5000;

  function field(box, name) { return box.querySelector("[data-job-field=" + name + "]"); }
  function show(el, visible) { if (el) { el.hidden = !visible; } }
  function text(el, value) { if (el) { el.textContent = value || ""; show(el, !!value); } }

  function apply(box, s) {
    var bar = field(box, "bar"), percent = field(box, "percent"), status = field(box, "status");
    if (bar) { bar.value = s.progress; bar.textContent = s.progress + "%"; show(bar, !s.finished); }
    if (percent) { percent.textContent = s.progress + "%"; show(percent, !s.finished); }
    if (status) {
      status.textContent = s.status_display;
      status.className = "badge " + ({done: "text-bg-success", failed: "text-bg-danger", expired: "text-bg-secondary"}[s.status] || "text-bg-primary");
    }
    text(field(box, "stage"), s.finished ? "" : s.stage);
    show(field(box, "stalled"), !!s.stalled);
    text(field(box, "error"), s.error);
    text(field(box, "message"), s.message);
    var download = field(box, "download");
    if (download) {
      if (s.download) { download.href = s.download; }
      text(field(box, "file_name"), s.file_name);
      show(download, !!s.download);
    }
    var link = field(box, "link");
    if (link) {
      if (s.link) { link.href = s.link; link.textContent = s.link_text || "查看结果"; }
      show(link, !!s.link);
    }
    box.dataset.jobFinished = s.finished ? "1" : "0";
  }

  function watch(box) {
    var delay = FIRST;
    function poll() {
      var request = new XMLHttpRequest();
      request.open("GET", box.dataset.jobStatus);
      request.setRequestHeader("Accept", "application/json");
      request.onload = function () {
        if (request.status === 200) {
          var s = JSON.parse(request.responseText);
          apply(box, s);
          if (s.finished) {
            if (box.dataset.jobFollow === "1" && s.status === "done" && s.link) { window.location.assign(s.link); }
            return;
          }
        } else if (request.status === 404 || request.status === 403) {
          return;  // no longer ours (logged out, moved): stop asking
        }
        delay = Math.min(delay * 1.5, MAX);
        window.setTimeout(poll, delay);
      };
      request.onerror = function () { delay = MAX; window.setTimeout(poll, delay); };
      request.send();
    }
    window.setTimeout(poll, delay);
  }

  document.querySelectorAll("[data-job-status]").forEach(function (box) {
    if (box.dataset.jobFinished !== "1") { watch(box); }
  });
})();
