// Site search over window.PROCFLOW_INDEX (assets/search-index.js), built at
// build time. Works offline and from file://. No framework, no network.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  function normalise(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  ready(function () {
    var box = document.getElementById("search-box");
    var list = document.getElementById("search-results");
    if (!box || !list) return;
    var root = document.body.getAttribute("data-root") || "";
    var entries = (window.PROCFLOW_INDEX || []).map(function (e) {
      return { t: e.t, k: e.k, u: e.u, hay: normalise(e.t + " " + e.x), title: normalise(e.t), x: e.x };
    });
    function snippet(text, word) {
      var at = normalise(text).indexOf(word);
      if (at < 0) return "";
      var start = Math.max(0, at - 40);
      // Start and end on word boundaries.
      if (start > 0) { var space = text.indexOf(" ", start); start = space >= 0 && space < at ? space + 1 : start; }
      var end = Math.min(text.length, at + word.length + 60);
      if (end < text.length) { var cut = text.lastIndexOf(" ", end); end = cut > at ? cut : end; }
      return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
    }
    var KIND_RANK = { process: 0, workflow: 1, role: 2, activity: 3, step: 4, kpi: 5 };
    function score(e, words) {
      var inTitle = words.every(function (w) { return e.title.indexOf(w) >= 0; }) ? 0 : 10;
      return inTitle + (KIND_RANK[e.k] || 6);
    }
    function search() {
      var query = normalise(box.value.trim());
      list.textContent = "";
      if (query.length < 2) return;
      var words = query.split(/\s+/);
      var hits = entries.filter(function (e) {
        return words.every(function (w) { return e.hay.indexOf(w) >= 0; });
      });
      hits.sort(function (a, b) { return score(a, words) - score(b, words); });
      hits.slice(0, 20).forEach(function (e) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = root + e.u;
        link.textContent = e.t;
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = " " + e.k;
        link.appendChild(kind);
        item.appendChild(link);
        var text = snippet(e.x, words[0]);
        if (text) {
          var p = document.createElement("p");
          p.textContent = text;
          item.appendChild(p);
        }
        list.appendChild(item);
      });
      if (!hits.length) {
        var none = document.createElement("li");
        none.textContent = "No results";
        list.appendChild(none);
      }
    }
    box.addEventListener("input", search);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        var first = list.querySelector("a");
        if (first) window.location.href = first.href;
      } else if (event.key === "Escape") {
        box.value = "";
        list.textContent = "";
      }
    });
    // Bring a step into view and focus when its anchor is followed.
    // Beside a diagram viewer the step opens in its details panel (viewer.js).
    var stepDetails = document.querySelector(".step-details") !== null;
    function focusTarget() {
      if (stepDetails) return;
      var id = decodeURIComponent(window.location.hash.slice(1));
      var target = id && document.getElementById(id);
      if (target && target.classList.contains("step")) target.focus({ preventScroll: true });
    }
    window.addEventListener("hashchange", focusTarget);
    focusTarget();
  });
})();
