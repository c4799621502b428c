// On a process page: pointing at or focusing an activity (its entry in the
// activity list, `article[data-steps]`) marks the steps that perform it in
// the workflow diagrams above (`figure.diagram[data-workflow]`), with the
// class `activity-hover` on their `g.node` groups. `data-steps` names them as
// `workflow-id/step-id`, separated by spaces. Self-written, no dependency:
// works from file:// and offline. Without script the steps that perform any
// activity of the process are still drawn with a thick border (the page's
// `realizes` class), so nothing is lost but the per-activity mark.
(function () {
  'use strict';
  var MARK = 'activity-hover';

  function ready(fn) {
    if (document.readyState !== 'loading') fn(); else document.addEventListener('DOMContentLoaded', fn);
  }

  /** The diagram node groups an activity's `data-steps` names. */
  function nodesOf(item, figures) {
    return item.getAttribute('data-steps').split(/\s+/).map(function (ref) {
      var at = ref.indexOf('/');
      var figure = at > 0 && figures[ref.slice(0, at)];
      return figure ? figure.querySelector('g.node[data-step="' + CSS.escape(ref.slice(at + 1)) + '"]') : null;
    }).filter(Boolean);
  }

  function bind(item, nodes) {
    var hovered = false;
    function show() {
      var on = hovered || item.contains(document.activeElement);
      item.classList.toggle('is-marking', on);
      nodes.forEach(function (node) { node.classList.toggle(MARK, on); });
    }
    item.addEventListener('mouseenter', function () { hovered = true; show(); });
    item.addEventListener('mouseleave', function () { hovered = false; show(); });
    item.addEventListener('focusin', show);
    // Focus has not moved on yet when focusout fires.
    item.addEventListener('focusout', function () { setTimeout(show, 0); });
  }

  ready(function () {
    var figures = {};
    document.querySelectorAll('figure.diagram[data-workflow]').forEach(function (figure) {
      figures[figure.getAttribute('data-workflow')] = figure;
    });
    document.querySelectorAll('[data-steps]').forEach(function (item) {
      var nodes = nodesOf(item, figures);
      if (nodes.length) bind(item, nodes);
    });
  });
})();
