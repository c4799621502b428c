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
    // Where the query's words occur in `text`, as [start, end) ranges of the
    // text itself, merged. Matching is on the normalised text (lower case,
    // accents off), which can differ in length: each character is normalised
    // alone and mapped back.
    function matches(text, words) {
      var folded = "";
      var origin = [];
      for (var i = 0; i < text.length; i++) {
        var part = normalise(text.charAt(i));
        for (var j = 0; j < part.length; j++) origin.push(i);
        folded += part;
      }
      origin.push(text.length);
      var ranges = [];
      words.forEach(function (w) {
        if (!w) return;
        for (var at = folded.indexOf(w); at >= 0; at = folded.indexOf(w, at + w.length)) {
          ranges.push([origin[at], origin[at + w.length - 1] + 1]);
        }
      });
      ranges.sort(function (a, b) { return a[0] - b[0]; });
      var merged = [];
      ranges.forEach(function (r) {
        var last = merged[merged.length - 1];
        if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]); else merged.push(r.slice());
      });
      return merged;
    }
    // `text` into `parent` with the matched words in <mark>. The text only
    // ever goes in as text nodes (escaped by the DOM), never as markup.
    function appendMarked(parent, text, words) {
      var at = 0;
      matches(text, words).forEach(function (r) {
        if (r[0] > at) parent.appendChild(document.createTextNode(text.slice(at, r[0])));
        var mark = document.createElement("mark");
        mark.textContent = text.slice(r[0], r[1]);
        parent.appendChild(mark);
        at = r[1];
      });
      if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
    }
    var KIND_RANK = { process: 0, workflow: 1, role: 2, activity: 3, step: 4, kpi: 5 };
    function score(e, words) {
      var inTitle = words.every(function (w) { return e.title.indexOf(w) >= 0; }) ? 0 : 10;
      return inTitle + (KIND_RANK[e.k] || 6);
    }
    var status = document.getElementById("search-status");
    // The results as an ARIA listbox the box controls: the arrow keys move
    // `aria-activedescendant` through the options (the result links).
    var active = -1;
    function options() { return list.querySelectorAll("a[role=option]"); }
    function setOpen(open) {
      box.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) { list.textContent = ""; activate(-1); }
    }
    function activate(index) {
      var all = options();
      active = index;
      for (var i = 0; i < all.length; i++) all[i].setAttribute("aria-selected", i === index ? "true" : "false");
      if (index >= 0 && all[index]) {
        box.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      } else {
        box.removeAttribute("aria-activedescendant");
      }
    }
    function say(text) { if (status) status.textContent = text; }
    function search() {
      var query = normalise(box.value.trim());
      setOpen(false);
      if (query.length < 2) { say(""); return; }
      var words = query.split(/\s+/);
      var hits = entries.filter(function (e) {
        return words.every(function (w) { return e.hay.indexOf(w) >= 0; });
      });
      hits.sort(function (a, b) { return score(a, words) - score(b, words); });
      hits.slice(0, 20).forEach(function (e, i) {
        var item = document.createElement("li");
        item.setAttribute("role", "none");
        var link = document.createElement("a");
        link.href = root + e.u;
        link.id = "search-option-" + i;
        link.setAttribute("role", "option");
        link.setAttribute("aria-selected", "false");
        link.tabIndex = -1;
        var title = document.createElement("span");
        title.className = "result-title";
        appendMarked(title, e.t, words);
        link.appendChild(title);
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = " " + e.k;
        link.appendChild(kind);
        var text = snippet(e.x, words[0]);
        if (text) {
          var p = document.createElement("span");
          p.className = "snippet";
          appendMarked(p, text, words);
          link.appendChild(p);
        }
        item.appendChild(link);
        list.appendChild(item);
      });
      if (!hits.length) {
        var none = document.createElement("li");
        none.setAttribute("role", "option");
        none.setAttribute("aria-disabled", "true");
        none.setAttribute("aria-selected", "false");
        none.textContent = "No results";
        list.appendChild(none);
      }
      box.setAttribute("aria-expanded", "true");
      var shown = Math.min(hits.length, 20);
      say(hits.length ? shown + (shown === 1 ? " result" : " results") + (hits.length > shown ? " of " + hits.length : "") : "No results");
    }
    box.addEventListener("input", search);
    box.addEventListener("keydown", function (event) {
      var count = options().length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!count) return;
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        activate(active < 0 ? (step > 0 ? 0 : count - 1) : (active + step + count) % count);
      } else if (event.key === "Enter") {
        // The active result, else the first.
        var chosen = options()[active >= 0 ? active : 0];
        if (chosen) { event.preventDefault(); window.location.href = chosen.href; }
      } else if (event.key === "Escape") {
        // The first Escape closes the list, the next clears the box.
        if (box.getAttribute("aria-expanded") === "true") setOpen(false); else box.value = "";
        say("");
      }
    });
    // Clicks outside close the list (a click on a result follows its link).
    document.addEventListener("click", function (event) {
      if (!event.target.closest || !event.target.closest("form.search")) setOpen(false);
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
