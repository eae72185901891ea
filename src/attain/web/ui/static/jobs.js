// Follows a background job: moves its progress bar, and shows the page's outcome when it ends.
// The start form submits once: a second click while it is sent does nothing.
(function () {
  var form = document.getElementById("start-run");
  if (form) {
    form.addEventListener("submit", function (e) {
      if (form.dataset.sent) { e.preventDefault(); return; }
      form.dataset.sent = "1";
      var b = document.getElementById("start-run-button");
      if (b) { b.textContent = "Starting…"; b.setAttribute("aria-disabled", "true"); }
    });
  }
  var job = document.getElementById("job");
  if (!job) return;
  var url = job.getAttribute("data-job-url");
  var done = job.getAttribute("data-done-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d) return;
        document.getElementById("job-progress").value = d.percent;
        document.getElementById("job-step").textContent = d.step;
        document.getElementById("job-seconds").textContent = Math.round(d.seconds);
        if (d.state !== "running") { window.location.assign(done); return; }
        setTimeout(poll, 700);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 300);
})();
