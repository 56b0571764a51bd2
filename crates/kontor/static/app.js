// Behaviour that CSP forbids inline: confirmations, select-all, the
// shipping toggle and the map tab.
(function () {
  "use strict";

  document.addEventListener("submit", function (e) {
    var form = e.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      e.preventDefault();
    }
  }, true);

  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t.matches("[data-select-all]")) {
      document.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = t.checked; });
    }
    if (t.matches("#shipping_same_as_billing")) {
      var block = document.getElementById("shipping-fields");
      if (block) { block.hidden = t.checked; }
    }
  });

  function initShipping() {
    var box = document.getElementById("shipping_same_as_billing");
    var block = document.getElementById("shipping-fields");
    if (box && block) { block.hidden = box.checked; }
  }

  function initMap() {
    var el = document.getElementById("map");
    if (!el || typeof L === "undefined") { return; }
    var lat = parseFloat(el.dataset.lat), lng = parseFloat(el.dataset.lng);
    var has = !isNaN(lat) && !isNaN(lng);
    var map = L.map(el).setView(has ? [lat, lng] : [51.1657, 10.4515], has ? 15 : 5);
    L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
    var marker = null;
    if (has) {
      marker = L.marker([lat, lng]).addTo(map);
      var popup = document.createElement("div");
      popup.textContent = el.dataset.popup || "";
      marker.bindPopup(popup).openPopup();
    }
    if (el.dataset.editable === "true") {
      map.on("click", function (ev) {
        var latIn = document.getElementById("latitude"), lngIn = document.getElementById("longitude");
        if (!latIn || !lngIn) { return; }
        latIn.value = ev.latlng.lat.toFixed(6);
        lngIn.value = ev.latlng.lng.toFixed(6);
        if (marker) { marker.setLatLng(ev.latlng); } else { marker = L.marker(ev.latlng).addTo(map); }
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    initShipping();
    initMap();
  });
})();
