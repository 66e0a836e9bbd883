/* 备课 page: filter the session kits by role play, length and industry (same group: any; groups: all). */
(function () {
  "use strict";
  var form = document.querySelector("[data-cb-prep-filters]");
  if (!form) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll(".cb-prep .cb-card"));
  var count = form.querySelector(".cb-prep-count");
  function chosen(name) {
    return Array.prototype.slice.call(form.querySelectorAll("input[name=" + name + "]:checked"))
      .map(function (box) { return box.value; });
  }
  function update() {
    var wanted = { role: chosen("role"), length: chosen("length"), industry: chosen("industry") };
    var shown = 0;
    rows.forEach(function (row) {
      // A card has a length for each of its plans (the main one and the variants): any may match.
      var ok = Object.keys(wanted).every(function (name) {
        var values = (row.getAttribute("data-" + name) || "").split(" ");
        return !wanted[name].length || values.some(function (value) { return wanted[name].indexOf(value) >= 0; });
      });
      row.hidden = !ok;
      if (ok) shown += 1;
      // Within a card, only the plans of the lengths asked for.
      row.querySelectorAll(".cb-prep-plans li").forEach(function (plan) {
        plan.hidden = wanted.length.length > 0 && wanted.length.indexOf(plan.getAttribute("data-length")) < 0;
      });
    });
    count.textContent = "显示 " + shown + " / " + rows.length + " 个课堂方案";
  }
  form.hidden = false;  // without JavaScript the whole table shows and the filters stay hidden
  form.addEventListener("change", update);
  update();
})();
