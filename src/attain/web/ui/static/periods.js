// A tick in a table's header selects every period of that table the viewer can act on.
(function () {
  var boxes = document.querySelectorAll("input.select-all");
  for (var i = 0; i < boxes.length; i++) {
    boxes[i].addEventListener("change", function (e) {
      var all = e.target.closest("table").querySelectorAll("input[name=selected]");
      for (var j = 0; j < all.length; j++) all[j].checked = e.target.checked;
    });
  }
})();
