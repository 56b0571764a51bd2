// Runs before the first paint, so a dark page never flashes light: the
// colour mode the user chose (or the system's) and the collapsed menu.
(function () {
  "use strict";
  var root = document.documentElement;
  var stored = null;
  try { stored = localStorage.getItem("kontor-theme"); } catch (e) { stored = null; }
  var dark = stored === "dark" ||
    (stored !== "light" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  root.setAttribute("data-bs-theme", dark ? "dark" : "light");
  try {
    if (localStorage.getItem("kontor-sidebar") === "collapsed") { root.classList.add("sidebar-collapsed"); }
  } catch (e) { /* storage off: the menu stays open */ }
})();
