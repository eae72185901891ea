// Names each table cell after its column (data-label), so that on a narrow screen the stylesheet
// can show every row as a card of "column: value" lines instead of a table wider than the phone.
(function () {
  function label(table) {
    var rows = table.rows;
    var head = null;
    for (var i = 0; i < rows.length; i++) {
      var cells = rows[i].cells;
      var allHead = cells.length > 0;
      for (var j = 0; j < cells.length; j++) if (cells[j].tagName !== "TH") allHead = false;
      if (allHead) { head = rows[i]; break; }
    }
    if (!head) return;
    var names = [];
    for (var k = 0; k < head.cells.length; k++) {
      var span = head.cells[k].colSpan || 1;
      for (var s = 0; s < span; s++) names.push(head.cells[k].textContent.trim());
    }
    table.classList.add("labelled");
    for (var r = 0; r < rows.length; r++) {
      if (rows[r] === head) { rows[r].classList.add("head"); continue; }
      var col = 0;
      for (var c = 0; c < rows[r].cells.length; c++) {
        var cell = rows[r].cells[c];
        if (!cell.hasAttribute("data-label") && (cell.colSpan || 1) < names.length && names[col]) {
          cell.setAttribute("data-label", names[col]);
        }
        col += cell.colSpan || 1;
      }
    }
  }
  var tables = document.querySelectorAll("main table");
  for (var t = 0; t < tables.length; t++) label(tables[t]);
})();
