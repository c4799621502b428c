// Diagram viewer for every `figure.diagram` on a page: the diagram fits the
// box's width on load; zoom (buttons, + and −, Ctrl/⌘ + wheel, pinch), pan
// (drag, arrow keys, the box's own scroll bars), reset to the fitted view and
// full screen (the Fullscreen API, else a box over the whole window; with the
// step details beside the diagram when the page has them). On a
// workflow page a step clicked in the diagram, or named by a `#step-<id>`
// URL, opens its details beside the diagram (below it on a narrow screen),
// copied from the step's entry in the step list, which stays on the page for
// print and screen readers.
//
// Self-written rather than a library: it needs no dependency, nothing to
// vendor or license, is a few hundred lines, and runs from file:// and
// offline. Zoom sets the SVG's CSS size and pan is the box's scroll position,
// so focus, Tab order, links and text selection inside the diagram keep
// working as the browser does them. A zoomed view survives a reload (the
// live preview's). Without script the box simply scrolls.
(function () {
  'use strict';
  var MIN_SCALE = 0.05;
  var MAX_SCALE = 4;
  var ZOOM_STEP = 1.25;
  var PAN_STEP = 60;
  // A press that moves further than this is a drag, not a click.
  var DRAG_SLOP = 4;
  // Where a zoomed view is kept over a reload (`procflow serve` reloads the
  // page on every save), per page and diagram.
  var STATE_KEY = 'procflow-view:';
  // Keys in the diagram box: a command, or how far to pan.
  var KEYS = {
    '+': ['in'], '=': ['in'], '-': ['out'], '_': ['out'], '0': ['fit'], '1': ['actual'], f: ['full'], F: ['full'],
    ArrowLeft: [-PAN_STEP, 0], ArrowRight: [PAN_STEP, 0], ArrowUp: [0, -PAN_STEP], ArrowDown: [0, PAN_STEP],
  };

  function Viewer(figure, index) {
    this.figure = figure;
    this.key = STATE_KEY + window.location.pathname + ':' + index;
    this.viewport = figure.querySelector('.viewer-viewport');
    this.svg = this.viewport.querySelector('svg');
    this.bar = figure.querySelector('.viewer-bar');
    this.zoomText = figure.querySelector('.viewer-zoom');
    this.fullButton = this.bar.querySelector('[data-view="full"]');
    // What goes full screen: the diagram with its step details, if any.
    this.full = figure.closest('.diagram-layout') || figure;
    this.width = this.svg.width.baseVal.value || this.svg.viewBox.baseVal.width;
    this.height = this.svg.height.baseVal.value || this.svg.viewBox.baseVal.height;
    this.scale = 1;
    this.fitted = true;
    this.dragged = false;
    this.bar.hidden = false;
    figure.classList.add('viewer-on');
    this.bind();
    this.fit();
    this.restore();
  }

  /** Keeps a zoomed view for the reload that may follow (not a fitted one: that is the default). */
  Viewer.prototype.save = function () {
    var box = this.viewport;
    try {
      if (this.fitted) sessionStorage.removeItem(this.key);
      else sessionStorage.setItem(this.key, JSON.stringify([this.scale, box.scrollLeft, box.scrollTop]));
    } catch (e) {
      // No session storage (refused, or full): the next load fits the diagram.
    }
  };

  /** After a reload, the zoom and position the page had; any other load fits. */
  Viewer.prototype.restore = function () {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(this.key) || 'null');
      sessionStorage.removeItem(this.key);
    } catch (e) {
      return;
    }
    var navigation = window.performance && performance.getEntriesByType && performance.getEntriesByType('navigation')[0];
    if (!Array.isArray(saved) || !navigation || navigation.type !== 'reload') return;
    if (!saved.every(function (n) { return typeof n === 'number' && isFinite(n); })) return;
    this.fitted = false;
    this.zoomTo(saved[0], 0, 0);
    this.viewport.scrollLeft = saved[1];
    this.viewport.scrollTop = saved[2];
  };

  /** The scale at which the whole diagram fits the box (never above 1:1). */
  Viewer.prototype.fitScale = function () {
    var box = this.viewport;
    var s = (box.clientWidth - 2) / this.width;
    if (this.isFull()) s = Math.min(s, (box.clientHeight - 2) / this.height);
    return Math.max(MIN_SCALE, Math.min(1, s));
  };

  /**
   * Draws the diagram at `scale`, keeping the diagram point under the box
   * point (`cx`, `cy`) (default: the box's centre) where it was.
   */
  Viewer.prototype.zoomTo = function (scale, cx, cy) {
    var box = this.viewport;
    scale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, scale));
    if (cx === undefined) { cx = box.clientWidth / 2; cy = box.clientHeight / 2; }
    var x = (box.scrollLeft + cx) / this.scale;
    var y = (box.scrollTop + cy) / this.scale;
    this.scale = scale;
    this.svg.style.width = Math.round(this.width * scale) + 'px';
    this.svg.style.height = Math.round(this.height * scale) + 'px';
    box.scrollLeft = x * scale - cx;
    box.scrollTop = y * scale - cy;
    this.zoomText.textContent = Math.round(scale * 100) + ' %';
  };

  Viewer.prototype.fit = function () {
    this.fitted = true;
    this.zoomTo(this.fitScale(), 0, 0);
    this.viewport.scrollLeft = 0;
    this.viewport.scrollTop = 0;
  };

  Viewer.prototype.zoomBy = function (factor, cx, cy) {
    this.fitted = false;
    this.zoomTo(this.scale * factor, cx, cy);
  };

  Viewer.prototype.pan = function (dx, dy) {
    this.viewport.scrollLeft += dx;
    this.viewport.scrollTop += dy;
  };

  Viewer.prototype.isFull = function () {
    return this.full.classList.contains('viewer-fullscreen');
  };

  /** Full screen through the Fullscreen API where there is one, else a fixed box over the page. */
  Viewer.prototype.toggleFull = function () {
    var self = this;
    if (document.fullscreenElement === this.full) {
      document.exitFullscreen();
    } else if (this.isFull()) {
      this.setFallbackFull(false);
    } else if (this.full.requestFullscreen && document.fullscreenEnabled) {
      this.full.requestFullscreen().catch(function () { self.setFallbackFull(true); });
    } else {
      this.setFallbackFull(true);
    }
  };

  Viewer.prototype.setFallbackFull = function (on) {
    this.full.classList.toggle('viewer-fullscreen', on);
    this.full.classList.toggle('viewer-fixed', on);
    document.documentElement.classList.toggle('viewer-fixed-page', on);
    this.fullChanged();
  };

  Viewer.prototype.onFullscreenChange = function () {
    if (this.full.classList.contains('viewer-fixed')) return;
    var on = document.fullscreenElement === this.full;
    if (on === this.isFull()) return;
    this.full.classList.toggle('viewer-fullscreen', on);
    this.fullChanged();
  };

  Viewer.prototype.fullChanged = function () {
    var full = this.isFull();
    this.fullButton.setAttribute('aria-pressed', full ? 'true' : 'false');
    this.fullButton.textContent = full ? 'Exit full screen' : 'Full screen';
    if (this.fitted) this.fit();
    this.viewport.focus({ preventScroll: true });
  };

  Viewer.prototype.command = function (name) {
    if (name === 'in') this.zoomBy(ZOOM_STEP);
    else if (name === 'out') this.zoomBy(1 / ZOOM_STEP);
    else if (name === 'fit') this.fit();
    else if (name === 'actual') { this.fitted = false; this.zoomTo(1); }
    else if (name === 'full') this.toggleFull();
  };

  Viewer.prototype.onKey = function (event) {
    if (event.altKey || event.metaKey || event.ctrlKey) return;
    var action = KEYS[event.key];
    if (event.key === 'Escape' && this.full.classList.contains('viewer-fixed')) action = ['full'];
    if (!action) return;
    event.preventDefault();
    if (typeof action[0] === 'number') this.pan(action[0] * (event.shiftKey ? 4 : 1), action[1] * (event.shiftKey ? 4 : 1));
    else this.command(action[0]);
  };

  /** The point of a mouse or touch event relative to the box's top left corner. */
  Viewer.prototype.local = function (clientX, clientY) {
    var r = this.viewport.getBoundingClientRect();
    return [clientX - r.left - this.viewport.clientLeft, clientY - r.top - this.viewport.clientTop];
  };

  Viewer.prototype.onWheel = function (event) {
    if (!event.ctrlKey && !event.metaKey) return; // plain wheel scrolls
    event.preventDefault();
    var at = this.local(event.clientX, event.clientY);
    this.zoomBy(Math.pow(1.0015, -event.deltaY * (event.deltaMode === 1 ? 30 : 1)), at[0], at[1]);
  };

  /** Drag with a mouse or pen pans; two fingers pinch-zoom; one finger scrolls natively. */
  Viewer.prototype.bindPointer = function () {
    var self = this;
    var box = this.viewport;
    var pointers = new Map(); // pointer id → its last position
    var drag = null;
    var pinch = null;
    function spread() {
      var p = Array.from(pointers.values());
      return { d: Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y), x: (p[0].x + p[1].x) / 2, y: (p[0].y + p[1].y) / 2 };
    }
    box.addEventListener('pointerdown', function (event) {
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      self.dragged = false;
      if (pointers.size === 2) { pinch = spread(); drag = null; }
      else if (event.pointerType !== 'touch' && event.button === 0) {
        drag = { x: event.clientX, y: event.clientY, left: box.scrollLeft, top: box.scrollTop, id: event.pointerId };
      }
    });
    box.addEventListener('pointermove', function (event) {
      if (!pointers.has(event.pointerId)) return;
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (pinch && pointers.size === 2) {
        var now = spread();
        var at = self.local(now.x, now.y);
        if (pinch.d > 0) self.zoomBy(now.d / pinch.d, at[0], at[1]);
        self.pan(pinch.x - now.x, pinch.y - now.y);
        pinch = now;
        self.dragged = true;
      } else if (drag && drag.id === event.pointerId) {
        var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
        if (!self.dragged && Math.hypot(dx, dy) < DRAG_SLOP) return;
        if (!self.dragged) { box.setPointerCapture(event.pointerId); box.classList.add('viewer-dragging'); }
        self.dragged = true;
        box.scrollLeft = drag.left - dx;
        box.scrollTop = drag.top - dy;
      }
    });
    function end(event) {
      pointers.delete(event.pointerId);
      if (pointers.size < 2) pinch = null;
      if (drag && drag.id === event.pointerId) { drag = null; box.classList.remove('viewer-dragging'); }
    }
    box.addEventListener('pointerup', end);
    box.addEventListener('pointercancel', end);
    box.addEventListener('touchmove', function (event) { if (event.touches.length > 1) event.preventDefault(); }, { passive: false });
    // A drag that ends over a link does not follow it.
    box.addEventListener('click', function (event) {
      if (self.dragged) { event.preventDefault(); event.stopImmediatePropagation(); self.dragged = false; }
    }, true);
  };

  Viewer.prototype.bind = function () {
    var self = this;
    this.bar.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-view]');
      if (button) self.command(button.getAttribute('data-view'));
    });
    this.viewport.addEventListener('keydown', function (event) { self.onKey(event); });
    this.viewport.addEventListener('wheel', function (event) { self.onWheel(event); }, { passive: false });
    document.addEventListener('fullscreenchange', function () { self.onFullscreenChange(); });
    window.addEventListener('resize', function () { if (self.fitted) self.fit(); });
    window.addEventListener('pagehide', function () { self.save(); });
    this.bindPointer();
  };

  /** The diagram node of step `id`, or null. */
  Viewer.prototype.stepNode = function (id) {
    return this.svg.querySelector('g.node[data-step="' + CSS.escape(id) + '"]');
  };

  /** The link a diagram node sits in, or null. */
  function linkOf(node) {
    return node.parentNode.tagName.toLowerCase() === 'a' ? node.parentNode : null;
  }

  /** Scrolls the box so that `el` (inside the diagram) is in view, centred if it was not. */
  Viewer.prototype.reveal = function (el) {
    var box = this.viewport.getBoundingClientRect();
    var r = el.getBoundingClientRect();
    if (r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom) return;
    this.pan(r.left + r.width / 2 - (box.left + box.width / 2), r.top + r.height / 2 - (box.top + box.height / 2));
  };

  // ------------------------------------------------------------ step details

  /** The details panel beside a workflow diagram, filled from the step list. */
  function StepDetails(viewer, panel) {
    this.viewer = viewer;
    this.panel = panel;
    this.layout = panel.parentNode;
    this.title = panel.querySelector('.step-details-title');
    this.kind = panel.querySelector('.step-details-kind');
    this.body = panel.querySelector('.step-details-body');
    this.closeButton = panel.querySelector('.step-details-close');
    this.current = null;
    this.bind();
  }

  /** A copy of the step entry's content for the panel: no ids, headings one level up. */
  StepDetails.prototype.copy = function (article) {
    var fragment = document.createDocumentFragment();
    Array.prototype.forEach.call(article.children, function (child) {
      if (child.tagName !== 'H3') fragment.appendChild(child.cloneNode(true));
    });
    fragment.querySelectorAll('[id]').forEach(function (el) { el.removeAttribute('id'); });
    fragment.querySelectorAll('h4').forEach(function (h4) {
      var h3 = document.createElement('h3');
      while (h4.firstChild) h3.appendChild(h4.firstChild);
      h4.replaceWith(h3);
    });
    return fragment;
  };

  /**
   * Shows the step `id` (without `step-`), moving focus to the details if
   * `focus` and the window to the diagram unless `stay`; false when the page
   * has no such step.
   */
  StepDetails.prototype.open = function (id, focus, stay) {
    var article = document.getElementById('step-' + id);
    if (!article || !article.classList.contains('step')) return false;
    var heading = article.querySelector('h3');
    var kind = heading && heading.querySelector('.kind');
    this.title.textContent = heading ? heading.firstChild.textContent.trim() : id;
    this.kind.textContent = kind ? kind.textContent : '';
    this.body.textContent = '';
    this.body.appendChild(this.copy(article));
    this.panel.hidden = false;
    this.layout.classList.add('details-open');
    var node = this.select(id);
    if (this.viewer.fitted) this.viewer.fit();
    if (node) this.viewer.reveal(node);
    if (!stay) this.bringIntoView();
    if (focus) this.panel.focus({ preventScroll: true });
    return true;
  };

  StepDetails.prototype.close = function () {
    this.panel.hidden = true;
    this.layout.classList.remove('details-open');
    this.select(null);
    if (this.viewer.fitted) this.viewer.fit();
  };

  /** Marks the step's node in the diagram as the one shown, and returns it (null if none). */
  StepDetails.prototype.select = function (id) {
    var old = this.viewer.svg.querySelector('.node.selected');
    if (old) {
      old.classList.remove('selected');
      if (linkOf(old)) linkOf(old).removeAttribute('aria-current');
    }
    this.current = id;
    var node = id && this.viewer.stepNode(id);
    if (!node) return null;
    node.classList.add('selected');
    if (linkOf(node)) linkOf(node).setAttribute('aria-current', 'true');
    return node;
  };

  /** The diagram and the panel in the window: beside each other, or the panel's top below the diagram. */
  StepDetails.prototype.bringIntoView = function () {
    // The layout, not the figure: beside the details the figure is sticky.
    var layout = this.layout.getBoundingClientRect();
    var panel = this.panel.getBoundingClientRect();
    var top = window.scrollY + layout.top - 8;
    var panelTop = window.scrollY + panel.top;
    // Below the diagram: as much of the diagram as leaves the panel's first lines in view.
    if (panelTop > top + window.innerHeight * 0.6) top = panelTop - window.innerHeight * 0.6;
    window.scrollTo(window.scrollX, Math.max(0, top));
  };

  /** The step a URL fragment names, or null. */
  function stepOf(hash) {
    var id = decodeURIComponent((hash || '').replace(/^#/, ''));
    return id.indexOf('step-') === 0 ? id.slice(5) : null;
  }

  StepDetails.prototype.fromLocation = function (focus, stay) {
    var id = stepOf(window.location.hash);
    if (!id || !this.open(id, focus, stay)) this.close();
  };

  StepDetails.prototype.bind = function () {
    var self = this;
    // Links to steps, in the diagram and in the panel, open the step here and
    // keep the diagram in view; the URL says which step is shown.
    function follow(event) {
      var link = event.target.closest('a');
      if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
      var href = link.getAttribute('href') || link.getAttributeNS('http://www.w3.org/1999/xlink', 'href') || '';
      var id = href.charAt(0) === '#' && stepOf(href);
      if (!id || !document.getElementById('step-' + id)) return;
      event.preventDefault();
      if (window.location.hash !== '#step-' + id) history.pushState(null, '', '#step-' + id);
      self.open(id, link.closest('.step-details') !== null || event.detail === 0);
    }
    this.viewer.viewport.addEventListener('click', follow);
    this.panel.addEventListener('click', follow);
    this.closeButton.addEventListener('click', function () {
      var at = self.current;
      history.pushState(null, '', window.location.pathname + window.location.search);
      self.close();
      var node = at && self.viewer.stepNode(at);
      if (node && node.parentNode.focus) node.parentNode.focus({ preventScroll: true });
      else self.viewer.viewport.focus({ preventScroll: true });
    });
    this.panel.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') { event.preventDefault(); self.closeButton.click(); }
    });
    // A step link in the step list ("Next") stays in the list: the browser
    // scrolls to the entry, which takes focus; the details follow unseen.
    this.fromList = false;
    document.addEventListener('click', function (event) {
      var link = event.target.closest && event.target.closest('article.step a[href^="#step-"]');
      self.fromList = Boolean(link) && !link.closest('.step-details');
    }, true);
    window.addEventListener('popstate', function () { self.fromLocation(false, self.fromList); });
    window.addEventListener('hashchange', function () {
      var list = self.fromList;
      self.fromList = false;
      self.fromLocation(!list, list);
      var entry = list && document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
      // The details may have grown the layout above the entry: scroll again.
      if (entry) { entry.scrollIntoView({ block: 'start' }); entry.focus({ preventScroll: true }); }
    });
    if (!stepOf(window.location.hash)) return;
    this.fromLocation(true);
    // The browser scrolls to (and focuses) the step list entry the URL names
    // once the page has loaded: bring the diagram and details back then.
    window.addEventListener('load', function () {
      requestAnimationFrame(function () { if (self.current) self.open(self.current, true); });
    });
  };

  function ready(fn) {
    if (document.readyState !== 'loading') fn(); else document.addEventListener('DOMContentLoaded', fn);
  }

  ready(function () {
    document.querySelectorAll('figure.diagram').forEach(function (figure, index) {
      if (!figure.querySelector('.viewer-viewport svg') || !figure.querySelector('.viewer-bar')) return;
      var viewer = new Viewer(figure, index);
      var panel = figure.parentNode.querySelector(':scope > .step-details');
      if (panel) new StepDetails(viewer, panel);
    });
  });
})();
