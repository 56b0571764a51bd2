// Behaviour that CSP forbids inline: confirmations, select-all, the
// shipping toggle, the map tab, file uploads, document lines and drawn
// signatures.
(function () {
  "use strict";

  document.addEventListener("submit", function (e) {
    var form = e.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      e.preventDefault();
    }
  }, true);

  // "Add line" on document forms: a copy of the last line, emptied.
  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-add-line]");
    if (!button) { return; }
    var body = document.querySelector(button.getAttribute("data-add-line") + " tbody");
    var last = body && body.lastElementChild;
    if (!last) { return; }
    var copy = last.cloneNode(true);
    copy.querySelectorAll("input, textarea").forEach(function (field) {
      field.value = field.name === "item_quantity" ? "1" : "";
      field.classList.remove("is-invalid");
    });
    copy.querySelectorAll("select").forEach(function (field) { field.selectedIndex = 0; });
    copy.querySelectorAll(".invalid-feedback").forEach(function (note) { note.textContent = ""; });
    body.appendChild(copy);
    var first = copy.querySelector("input");
    if (first) { first.focus(); }
  });

  // Removing and moving lines of a document form; the form's totals
  // follow (the form asks the server again on "lines-changed").
  document.addEventListener("click", function (e) {
    var remove = e.target.closest("[data-remove-line]");
    var move = e.target.closest("[data-move-line]");
    var row = (remove || move) && (remove || move).closest("tr");
    if (!row) { return; }
    var body = row.parentElement;
    if (remove) {
      if (body.children.length > 1) {
        var next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        var focus = next && next.querySelector("input");
        if (focus) { focus.focus(); }
      } else {
        row.querySelectorAll("input, textarea").forEach(function (field) {
          field.value = field.name === "item_quantity" ? "1" : "";
        });
      }
    } else if (move.getAttribute("data-move-line") === "up" && row.previousElementSibling) {
      body.insertBefore(row, row.previousElementSibling);
      move.focus();
    } else if (move.getAttribute("data-move-line") === "down" && row.nextElementSibling) {
      body.insertBefore(row.nextElementSibling, row);
      move.focus();
    }
    var form = body.closest("form");
    if (form) { form.dispatchEvent(new Event("lines-changed")); }
  });

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

  // Drag-and-drop upload: each file is sent on its own request so it gets
  // its own progress bar and its own error; the page reloads when all are done.
  function initUpload() {
    var form = document.getElementById("upload-form");
    if (!form) { return; }
    var input = form.querySelector("input[type=file]");
    var list = document.getElementById("upload-progress");
    var max = parseInt(form.dataset.maxBytes, 10);

    function row(file) {
      var li = document.createElement("li");
      li.className = "upload-item small mb-1";
      var label = document.createElement("div");
      label.textContent = file.name;
      var bar = document.createElement("progress");
      bar.max = 100; bar.value = 0; bar.className = "w-100";
      var status = document.createElement("div");
      status.className = "upload-status";
      li.append(label, bar, status);
      list.appendChild(li);
      return { li: li, bar: bar, status: status };
    }

    function send(file, ui) {
      return new Promise(function (resolve) {
        if (file.size === 0) { ui.status.textContent = form.dataset.empty; ui.li.classList.add("text-danger"); return resolve(false); }
        if (file.size > max) { ui.status.textContent = form.dataset.tooLarge; ui.li.classList.add("text-danger"); return resolve(false); }
        var data = new FormData();
        var visible = form.querySelector("input[name=visible_to_customer]");
        if (visible && visible.checked) { data.append("visible_to_customer", "on"); }
        data.append("file", file, file.name);
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.getAttribute("action"));
        xhr.setRequestHeader("X-Upload", "1");
        xhr.setRequestHeader("X-CSRF-Token", form.querySelector("input[name=_csrf]").value);
        xhr.upload.addEventListener("progress", function (e) {
          if (e.lengthComputable) { ui.bar.value = Math.round(100 * e.loaded / e.total); }
        });
        xhr.addEventListener("load", function () {
          var ok = xhr.status >= 200 && xhr.status < 300;
          ui.bar.value = ok ? 100 : ui.bar.value;
          if (!ok) {
            var message = form.dataset.failed;
            try { message = JSON.parse(xhr.responseText).error.message || message; } catch (ignored) { /* not our error body */ }
            ui.status.textContent = message;
            ui.li.classList.add("text-danger");
          }
          resolve(ok);
        });
        xhr.addEventListener("error", function () { ui.status.textContent = form.dataset.failed; ui.li.classList.add("text-danger"); resolve(false); });
        xhr.send(data);
      });
    }

    function upload(files) {
      var jobs = Array.prototype.map.call(files, function (f) { return send(f, row(f)); });
      Promise.all(jobs).then(function (results) {
        if (results.every(Boolean)) { window.location.reload(); }
      });
    }

    form.addEventListener("submit", function (e) {
      if (!input.files.length) { return; }
      e.preventDefault();
      upload(input.files);
      input.value = "";
    });
    ["dragenter", "dragover"].forEach(function (type) {
      form.addEventListener(type, function (e) { e.preventDefault(); form.classList.add("dragging"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      form.addEventListener(type, function () { form.classList.remove("dragging"); });
    });
    form.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) { upload(e.dataTransfer.files); }
    });
  }

  // Print views offer a button; the page has no script of its own (CSP).
  function initPrint() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  // The colour mode: light, dark or the system's (theme.js applied it
  // before the first paint; here the menu changes and marks it).
  function storedTheme() {
    try { return localStorage.getItem("kontor-theme") || "auto"; } catch (e) { return "auto"; }
  }

  function applyTheme(choice) {
    var dark = choice === "dark" ||
      (choice === "auto" && window.matchMedia("(prefers-color-scheme: dark)").matches);
    var mode = dark ? "dark" : "light";
    // Unchanged (theme.js set it before the first paint), it is left alone
    // so the page's styles are not worked out again.
    if (document.documentElement.getAttribute("data-bs-theme") !== mode) {
      document.documentElement.setAttribute("data-bs-theme", mode);
    }
    document.querySelectorAll("[data-theme-value]").forEach(function (item) {
      var on = item.getAttribute("data-theme-value") === choice;
      item.classList.toggle("active", on);
      item.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  document.addEventListener("click", function (e) {
    var item = e.target.closest("[data-theme-value]");
    if (!item) { return; }
    var choice = item.getAttribute("data-theme-value");
    try { localStorage.setItem("kontor-theme", choice); } catch (err) { /* kept for this page only */ }
    applyTheme(choice);
  });

  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", function () {
    if (storedTheme() === "auto") { applyTheme("auto"); }
  });

  // The wide screen's menu folds to its icons and stays so.
  function initSidebar() {
    var toggle = document.getElementById("sidebar-toggle");
    if (!toggle) { return; }
    var root = document.documentElement;
    toggle.setAttribute("aria-expanded", root.classList.contains("sidebar-collapsed") ? "false" : "true");
    toggle.addEventListener("click", function () {
      var collapsed = root.classList.toggle("sidebar-collapsed");
      toggle.setAttribute("aria-expanded", collapsed ? "false" : "true");
      try { localStorage.setItem("kontor-sidebar", collapsed ? "collapsed" : "open"); } catch (err) { /* this page only */ }
    });
  }

  // A table wider than the phone scrolls inside its box; keyboard users
  // reach that box with Tab when nothing inside it takes the focus. Measured
  // in the frame before the first paint, which lays the page out anyway;
  // measured at DOMContentLoaded, it would force that layout early and
  // hold up the event.
  function initScrollBoxes() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var wide = box.scrollWidth > box.clientWidth;
      var focusable = box.querySelector("a[href], button, input, select, textarea, [tabindex]");
      if (wide && !focusable) { box.tabIndex = 0; }
    });
  }

  // Drawn signatures (accepting an estimate, a proposal or a contract):
  // the pad on the canvas, written into the form's hidden field as a PNG
  // data URL when the form is sent; left empty when nothing is drawn, so
  // the server refuses a blank signature with its message.
  var pads = [];

  function initSignatures() {
    pads = [];
    if (!window.SignaturePad) { return; }
    document.querySelectorAll("canvas[data-signature]").forEach(function (canvas) {
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      var pad = new window.SignaturePad(canvas);
      pads.push({ canvas: canvas, pad: pad });
      var clear = canvas.parentElement.querySelector("[data-signature-clear]");
      if (clear) { clear.addEventListener("click", function () { pad.clear(); }); }
    });
  }

  document.addEventListener("submit", function (e) {
    pads.forEach(function (p) {
      if (!e.target.contains(p.canvas)) { return; }
      var field = e.target.querySelector("input[name=" + p.canvas.dataset.signature + "]");
      if (field) { field.value = p.pad.isEmpty() ? "" : p.pad.toDataURL("image/png"); }
    });
  }, true);

  function initPage() {
    window.requestAnimationFrame(initScrollBoxes);
    initShipping();
    initMap();
    initUpload();
    initPrint();
    initSignatures();
  }

  // Post/Redirect/Get, with the flash kept: a form is sent in the
  // background and the page the server answers with is shown in place.
  // After a redirect (saved, or refused with a message for the page the
  // form came from) the address becomes the page redirected to; a page
  // answered directly (a form refused with its fields marked, an import
  // report) keeps the address of the page the form was on, so reloading
  // repeats no POST. Without JavaScript the browser posts as usual.
  var swapped = false;

  function show(html, url) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    if (url && url !== window.location.href) {
      window.history.pushState({ kontor: true }, "", url);
      swapped = true;
    }
    document.title = doc.title;
    document.documentElement.lang = doc.documentElement.lang;
    document.body.replaceWith(document.adoptNode(doc.body));
    applyTheme(storedTheme());
    initSidebar();
    initPage();
    if (window.htmx) { window.htmx.process(document.body); }
    var wrong = document.querySelector("#main .is-invalid, #main [role=alert]");
    var main = document.getElementById("main");
    if (wrong && wrong.matches("input, select, textarea")) {
      wrong.focus();
    } else if (wrong) {
      wrong.scrollIntoView({ block: "center" });
      if (main) { main.focus({ preventScroll: true }); }
    } else {
      window.scrollTo(0, 0);
      if (main) { main.focus({ preventScroll: true }); }
    }
  }

  // Pages shown in place are not in the browser's cache of pages: going
  // back or forward to one loads it.
  window.addEventListener("popstate", function () {
    if (swapped) { window.location.reload(); }
  });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    var method = (form.getAttribute("method") || "get").toLowerCase();
    if (e.defaultPrevented || method !== "post" || form.target || form.hasAttribute("data-native")) {
      return;
    }
    e.preventDefault();
    var data = new FormData(form, e.submitter);
    var multipart = form.enctype === "multipart/form-data";
    var buttons = form.querySelectorAll("button, input[type=submit]");
    buttons.forEach(function (b) { b.disabled = true; });
    fetch(form.action, {
      method: "POST",
      body: multipart ? data : new URLSearchParams(data),
      credentials: "same-origin",
    }).then(function (r) {
      if ((r.headers.get("content-type") || "").indexOf("text/html") === 0) {
        return r.text().then(function (html) { show(html, r.redirected ? r.url : null); });
      }
      // A download: the browser saves what it posts for natively.
      form.submit();
      return null;
    }).catch(function () {
      // Unreachable server: nothing changed; the user may send again.
    }).finally(function () {
      buttons.forEach(function (b) { b.disabled = false; });
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    applyTheme(storedTheme());
    initSidebar();
    initPage();
  });
})();
