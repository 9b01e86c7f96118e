// Progressive enhancement of the diagnostic's steps: on a question that accepts at most N
// answers (a fieldset with data-max-choix="N"), once N boxes are ticked the others are
// disabled until one is unticked. The server refuses more than N anyway (French message
// next to the question), so the page works without this script.
(function () {
  "use strict";
  function limit(fieldset) {
    var max = parseInt(fieldset.getAttribute("data-max-choix"), 10);
    if (!max) {
      return;
    }
    var boxes = fieldset.querySelectorAll('input[type="checkbox"]');
    function update() {
      var ticked = 0;
      boxes.forEach(function (box) {
        if (box.checked) {
          ticked += 1;
        }
      });
      boxes.forEach(function (box) {
        box.disabled = !box.checked && ticked >= max;
      });
    }
    boxes.forEach(function (box) {
      box.addEventListener("change", update);
    });
    update();
  }
  function start() {
    document.querySelectorAll("fieldset[data-max-choix]").forEach(limit);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
