// The process map page: a click on an arrow (or a row of the busiest transitions) lists the
// cases behind that transition, read from the API with the page's own filter.
(function () {
  "use strict";
  var map = document.getElementById("map");
  var section = document.getElementById("cases");
  if (!map || !section) return;
  var log = map.getAttribute("data-log");
  var query = map.getAttribute("data-query");
  var body = section.querySelector("tbody");
  var title = document.getElementById("cases-title");

  function cell(row, text, numeric) {
    var td = document.createElement("td");
    td.textContent = text;
    if (numeric) td.className = "num";
    row.appendChild(td);
  }

  function show(source, target) {
    var url = "/api/v1/process/" + encodeURIComponent(log) + "/transitions/" +
      encodeURIComponent(source) + "/" + encodeURIComponent(target) + "/cases" +
      (query ? "?" + query : "");
    title.textContent = source + " → " + target + ": loading…";
    section.hidden = false;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        body.textContent = "";
        data.items.forEach(function (c) {
          var row = document.createElement("tr");
          row.className = "case-row";
          cell(row, c.case_id);
          cell(row, c.waited, true);
          cell(row, c.source_at);
          cell(row, c.target_at);
          cell(row, c.amount_shown, true);
          cell(row, c.owner || "–");
          body.appendChild(row);
        });
        title.textContent = source + " → " + target + ": " + data.items.length +
          (data.items.length >= data.limit ? "+ " : " ") +
          map.getAttribute("data-case-label") + "s, slowest first";
        section.scrollIntoView({ block: "nearest" });
      })
      .catch(function (status) {
        title.textContent = source + " → " + target + ": could not be listed (" + status + ")";
      });
  }

  document.querySelectorAll("a.transition, tr.transition-row").forEach(function (el) {
    el.addEventListener("click", function (event) {
      event.preventDefault();
      show(el.getAttribute("data-source"), el.getAttribute("data-target"));
    });
  });
})();
