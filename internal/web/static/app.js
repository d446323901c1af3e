// pathproof web UI: the little behaviour the server-rendered pages need.
// No framework, no build step; served from the binary (CSP: script-src 'self').
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // A row of a clickable table opens its record or connection.
  document.querySelectorAll("table.clickable tbody tr[data-href]").forEach(function (tr) {
    tr.addEventListener("click", function (ev) {
      if (ev.target.closest("a")) return; // the link itself navigates
      window.location.href = tr.dataset.href;
    });
  });
  // A hop of the explanation shows or hides the records that prove it.
  document.querySelectorAll("tbody.hop").forEach(function (tb) {
    var row = tb.querySelector("tr.hop-row");
    row.addEventListener("click", function (ev) {
      if (ev.target.closest("a")) return;
      tb.classList.toggle("open");
    });
    row.setAttribute("tabindex", "0");
    row.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); tb.classList.toggle("open"); }
    });
  });
  // The hop that stopped the flow starts open and in view.
  var stop = document.querySelector("tbody.hop.stop");
  if (stop) stop.classList.add("open");
  // The upload form says what it is doing; a file over the limit is
  // refused before it is sent (the server refuses it too).
  var up = document.getElementById("upload-form");
  if (up) {
    up.addEventListener("submit", function (ev) {
      var f = document.getElementById("pcap-file");
      var max = parseInt(up.dataset.max || "0", 10);
      if (max > 0 && f.files.length && f.files[0].size > max) {
        ev.preventDefault();
        alert("This capture is larger than the server accepts (" + up.dataset.maxText + ").");
        return;
      }
      document.getElementById("upload-button").textContent = "Analysing…";
    });
  }
});
