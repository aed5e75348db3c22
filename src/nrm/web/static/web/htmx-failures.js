// An htmx request that gets no answer at all (the server stopped, the network gone) shows
// that it failed, in the element it would have filled: a click never seems to do nothing.
// Answers with an error status are swapped in by the page's htmx-config (base.html).
"use strict";
document.addEventListener("htmx:sendError", function (event) {
  var target = event.detail.target || event.detail.elt;
  var message = document.body.getAttribute("data-htmx-failed") || "The request failed.";
  var panel = document.createElement("div");
  panel.className = "refusal htmx-failed";
  panel.setAttribute("role", "alert");
  panel.textContent = message;
  var old = target.querySelector(".htmx-failed");
  if (old) { old.remove(); }
  target.prepend(panel);
});
