(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  var claims = Array.prototype.slice.call(document.querySelectorAll("a.claim"));
  var hidden = {};
  var current = -1;

  function detailOf(claim) {
    return document.getElementById("d-" + claim.getAttribute("data-claim-id"));
  }
  function shown(claim) {
    return !hidden[claim.getAttribute("data-verdict")];
  }
  function close() {
    if (current < 0) { return; }
    var claim = claims[current];
    claim.classList.remove("selected");
    claim.setAttribute("aria-expanded", "false");
    var detail = detailOf(claim);
    if (detail) { detail.classList.remove("open"); }
    current = -1;
  }
  function open(index, focus) {
    close();
    var claim = claims[index];
    var detail = detailOf(claim);
    current = index;
    claim.classList.add("selected");
    claim.setAttribute("aria-expanded", "true");
    if (detail) { detail.classList.add("open"); }
    if (focus) { claim.focus(); }
    claim.scrollIntoView({block: "center"});
  }
  function step(direction) {
    var n = claims.length;
    var i = current;
    for (var tries = 0; tries < n; tries++) {
      i = i < 0 ? (direction > 0 ? 0 : n - 1) : (i + direction + n) % n;
      if (shown(claims[i])) { open(i, true); return; }
    }
  }
  claims.forEach(function (claim, index) {
    claim.setAttribute("aria-expanded", "false");
    claim.addEventListener("click", function (event) {
      event.preventDefault();
      if (current === index) { close(); } else { open(index, false); }
    });
  });

  function applyFilters() {
    claims.forEach(function (claim) {
      var out = !shown(claim);
      claim.classList.toggle("filtered-out", out);
      var detail = detailOf(claim);
      if (detail) { detail.classList.toggle("filtered-out", out); }
    });
    if (current >= 0 && !shown(claims[current])) { close(); }
  }
  Array.prototype.forEach.call(document.querySelectorAll("button[data-filter]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var verdict = button.getAttribute("data-filter");
      hidden[verdict] = !hidden[verdict];
      button.setAttribute("aria-pressed", hidden[verdict] ? "false" : "true");
      applyFilters();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("span.count[data-static]"), function (span) {
    span.hidden = true;
  });
  Array.prototype.forEach.call(document.querySelectorAll(".keys"), function (p) { p.hidden = false; });

  document.addEventListener("keydown", function (event) {
    var tag = (event.target && event.target.tagName) || "";
    if (event.altKey || event.ctrlKey || event.metaKey || tag === "INPUT" || tag === "TEXTAREA") { return; }
    if (event.key === "j") { step(1); event.preventDefault(); }
    else if (event.key === "k") { step(-1); event.preventDefault(); }
    else if (event.key === "Escape") { close(); }
  });
  var wanted = window.location.hash.replace(/^#d-/, "");
  claims.forEach(function (claim, index) {
    if (wanted && claim.getAttribute("data-claim-id") === wanted) { open(index, true); }
  });
})();
