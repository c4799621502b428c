// Live preview for `procflow serve` (never part of a built site): reloads this
// page when its file or the theme changes, keeping the scroll position, and
// shows the model's errors over the page until they are fixed.
(function () {
  "use strict";
  var here = decodeURIComponent(location.pathname.replace(/^\//, ""));
  if (here === "" || here.slice(-1) === "/") here += "index.html";
  var scrollKey = "procflow-scroll:" + here;
  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    var restore = function () { window.scrollTo(0, Number(saved)); };
    if (document.readyState === "complete") restore(); else window.addEventListener("load", restore);
  }

  function concerns(path) {
    return path === here || (path.indexOf("assets/") === 0 && path !== "assets/search-index.js");
  }

  var overlay = null;
  function hide() {
    if (overlay) overlay.remove();
    overlay = null;
  }
  function show(report) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "procflow-problems";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText =
      "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#fff8f7;color:#1a1a1a;border-top:4px solid #b3261e;padding:1rem 1.5rem;" +
      "font:14px/1.5 Inter,system-ui,sans-serif;box-shadow:0 -4px 16px rgba(0,0,0,.25)";
    var title = document.createElement("strong");
    var count = report.diagnostics.length;
    title.textContent = "The models have " + count + " error" + (count === 1 ? "" : "s") +
      " — showing the last good version of this page.";
    overlay.appendChild(title);
    var list = document.createElement("ul");
    list.style.cssText = "margin:.5rem 0 0;padding-left:1.2rem;font-family:ui-monospace,monospace";
    report.diagnostics.forEach(function (d) {
      var item = document.createElement("li");
      var where = d.file ? d.file + ":" + d.line + ":" + d.column + ": " : "";
      item.textContent = where + d.message + (d.help ? " (help: " + d.help + ")" : "");
      list.appendChild(item);
    });
    overlay.appendChild(list);
    document.body.appendChild(overlay);
  }

  var events = new EventSource("/__procflow/events");
  events.addEventListener("reload", function (e) {
    var changed = JSON.parse(e.data).changed;
    if (changed.some(concerns)) {
      sessionStorage.setItem(scrollKey, String(window.scrollY));
      location.reload();
    }
  });
  events.addEventListener("problems", function (e) { show(JSON.parse(e.data)); });
  events.addEventListener("clear", hide);
})();
