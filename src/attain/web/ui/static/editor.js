// Line numbers beside the plan editor, kept in step with the text.
(function () {
  var area = document.getElementById("plan-text");
  var gutter = document.getElementById("gutter");
  if (!area || !gutter) return;
  var bad = (gutter.getAttribute("data-bad") || "").split(",").filter(Boolean).map(Number);
  function draw() {
    var n = area.value.split("\n").length;
    var html = [];
    for (var i = 1; i <= n; i++) {
      html.push(bad.indexOf(i) >= 0 ? '<span class="bad" id="line-' + i + '">' + i + "</span>" : '<span id="line-' + i + '">' + i + "</span>");
    }
    gutter.innerHTML = html.join("");  // one block per line: no <br> (a bad line would take two)
  }
  area.addEventListener("input", draw);
  area.addEventListener("scroll", function () { gutter.scrollTop = area.scrollTop; });
  draw();
})();
