// Polls the payee's live figures every few seconds and updates the dashboard in place.
(function () {
  var root = document.querySelector("[data-live-url]");
  if (!root) return;
  var url = root.getAttribute("data-live-url");
  var seen = root.getAttribute("data-updated") || "";
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d) return;
        var updated = d.updated_at || "";
        // the server writes the figures (currency, cents): one way of showing money
        document.getElementById("this-period").textContent = d.this_period_text;
        document.getElementById("year-to-date").textContent = d.year_to_date_text;
        if (d.period) document.getElementById("period").textContent = d.period;
        if (updated !== seen) {
          seen = updated;
          var note = document.getElementById("live-note");
          if (note) note.textContent = "updated " + updated.replace("T", " ").slice(0, 19) + " UTC";
        }
      })
      .catch(function () {});
  }
  setInterval(poll, Number(root.getAttribute("data-interval") || 3000));
})();
