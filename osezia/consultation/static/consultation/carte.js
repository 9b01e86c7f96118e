// After a voting card is replaced, keyboard and screen-reader users continue from its title.
document.body.addEventListener("htmx:afterSwap", function (event) {
  if (event.target && event.target.id === "carte") {
    var title = document.getElementById("carte-titre");
    if (title) { title.focus(); }
  }
});
